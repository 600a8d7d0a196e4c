//! Encoding and delimiter detection (SPEC §2.1).

/// How a file was decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Encoding {
    #[serde(rename = "UTF-8")]
    Utf8,
    #[serde(rename = "UTF-8 (BOM)")]
    Utf8Bom,
    #[serde(rename = "Windows-1252")]
    Windows1252,
}

impl Encoding {
    pub fn label(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Utf8Bom => "UTF-8 (BOM)",
            Encoding::Windows1252 => "Windows-1252",
        }
    }
}

pub(super) const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Decodes a whole file: UTF-8 (a BOM is dropped) when it is valid UTF-8,
/// else Windows-1252. Valid UTF-8 is moved, not copied.
pub fn decode(mut bytes: Vec<u8>) -> (String, Encoding) {
    let had_bom = bytes.starts_with(BOM);
    if had_bom {
        bytes.drain(..BOM.len());
    }
    match String::from_utf8(bytes) {
        Ok(text) if had_bom => (text, Encoding::Utf8Bom),
        Ok(text) => (text, Encoding::Utf8),
        Err(err) => {
            let bytes = err.into_bytes();
            let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(&bytes);
            (text.into_owned(), Encoding::Windows1252)
        }
    }
}

/// The most frequent of `;`, `,` and tab outside quotes on the header line;
/// on a tie the first of that list wins, and `;` when none appears. It reads
/// raw bytes: the delimiters, quotes and line ends are ASCII, which UTF-8
/// and Windows-1252 both write as themselves and never inside another
/// character, so the encoding does not matter.
pub fn detect_delimiter(bytes: &[u8]) -> u8 {
    let mut counts = [0usize; 3];
    let candidates = [b';', b',', b'\t'];
    let mut in_quotes = false;
    for &byte in bytes {
        match byte {
            b'"' => in_quotes = !in_quotes,
            b'\n' | b'\r' if !in_quotes => break,
            _ if !in_quotes => {
                if let Some(i) = candidates.iter().position(|&c| c == byte) {
                    counts[i] += 1;
                }
            }
            _ => {}
        }
    }
    let mut best = 0;
    for i in 1..3 {
        if counts[i] > counts[best] {
            best = i;
        }
    }
    candidates[best]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_utf8_bom_and_windows_1252() {
        assert_eq!(
            decode("é".as_bytes().to_vec()),
            ("é".to_string(), Encoding::Utf8)
        );
        let mut with_bom = BOM.to_vec();
        with_bom.extend_from_slice("é".as_bytes());
        assert_eq!(decode(with_bom), ("é".to_string(), Encoding::Utf8Bom));
        assert_eq!(
            decode(vec![b'e', 0xE9, 0x80]),
            ("eé€".to_string(), Encoding::Windows1252)
        );
    }

    #[test]
    fn detects_the_delimiter_outside_quotes() {
        assert_eq!(detect_delimiter(b"a;b;c\n1,2,3,4,5"), b';');
        assert_eq!(detect_delimiter(b"a,b,c\r\n"), b',');
        assert_eq!(detect_delimiter(b"a\tb\tc"), b'\t');
        assert_eq!(detect_delimiter(b"\"a;b;c\",d,e"), b',');
        assert_eq!(detect_delimiter(b"single"), b';');
        // Windows-1252 and UTF-8 (with a BOM) headers read the same.
        assert_eq!(
            detect_delimiter(b"N\xb0 dossier,\xc9quipe,Dur\xe9e;x"),
            b','
        );
        assert_eq!(
            detect_delimiter("\u{FEFF}N° dossier\tÉquipe\tDurée;x".as_bytes()),
            b'\t'
        );
    }
}
