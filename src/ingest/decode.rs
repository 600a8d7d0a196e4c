//! Encoding and delimiter detection (SPEC §2.1). A file is UTF-16 when it
//! starts with a UTF-16 byte order mark (Excel's "Texte Unicode" always
//! writes one), UTF-8 when it is valid UTF-8, else Windows-1252 — (v3) or,
//! when some of its non-ASCII lines are UTF-8 and others not, both, line by
//! line (`mixed.rs`).

/// How a file was decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Encoding {
    #[serde(rename = "UTF-8")]
    Utf8,
    #[serde(rename = "UTF-8 (BOM)")]
    Utf8Bom,
    #[serde(rename = "Windows-1252")]
    Windows1252,
    /// (v3) UTF-8 lines and Windows-1252 lines in one file, each decoded
    /// in its own encoding (an export pasted together from two tools).
    #[serde(rename = "UTF-8 et Windows-1252")]
    Mixed,
    #[serde(rename = "UTF-8 (BOM) et Windows-1252")]
    MixedBom,
    #[serde(rename = "UTF-16 LE")]
    Utf16Le,
    #[serde(rename = "UTF-16 BE")]
    Utf16Be,
    /// Not text: a sheet of a workbook, read cell by cell.
    #[serde(rename = "classeur xlsx")]
    Xlsx,
    #[serde(rename = "classeur xls")]
    Xls,
    #[serde(rename = "classeur ods")]
    Ods,
}

impl Encoding {
    pub fn label(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Utf8Bom => "UTF-8 (BOM)",
            Encoding::Windows1252 => "Windows-1252",
            Encoding::Mixed => "UTF-8 et Windows-1252",
            Encoding::MixedBom => "UTF-8 (BOM) et Windows-1252",
            Encoding::Utf16Le => "UTF-16 LE",
            Encoding::Utf16Be => "UTF-16 BE",
            Encoding::Xlsx => "classeur xlsx",
            Encoding::Xls => "classeur xls",
            Encoding::Ods => "classeur ods",
        }
    }

    /// The UTF-16 encoding whose byte order mark starts `bytes`, if any.
    pub fn utf16_from_bom(bytes: &[u8]) -> Option<Self> {
        if bytes.starts_with(UTF16_LE_BOM) {
            Some(Encoding::Utf16Le)
        } else if bytes.starts_with(UTF16_BE_BOM) {
            Some(Encoding::Utf16Be)
        } else {
            None
        }
    }

    /// The byte order mark the reader skips.
    pub fn bom(self) -> &'static [u8] {
        match self {
            Encoding::Utf8Bom | Encoding::MixedBom => BOM,
            Encoding::Utf16Le => UTF16_LE_BOM,
            Encoding::Utf16Be => UTF16_BE_BOM,
            _ => b"",
        }
    }

    /// The decoder for text that is not UTF-8 already (a mixed text has
    /// its own, line by line).
    pub fn decoder(self) -> Option<&'static encoding_rs::Encoding> {
        match self {
            Encoding::Windows1252 => Some(encoding_rs::WINDOWS_1252),
            Encoding::Utf16Le => Some(encoding_rs::UTF_16LE),
            Encoding::Utf16Be => Some(encoding_rs::UTF_16BE),
            _ => None,
        }
    }
}

pub(super) const BOM: &[u8] = b"\xEF\xBB\xBF";
const UTF16_LE_BOM: &[u8] = b"\xFF\xFE";
const UTF16_BE_BOM: &[u8] = b"\xFE\xFF";

/// Decodes a whole file: UTF-16 after its byte order mark, UTF-8 (a BOM is
/// dropped) when it is valid UTF-8, else Windows-1252. Valid UTF-8 is
/// moved, not copied.
pub fn decode(mut bytes: Vec<u8>) -> (String, Encoding) {
    if let Some(utf16) = Encoding::utf16_from_bom(&bytes) {
        let decoder = utf16.decoder().unwrap_or(encoding_rs::UTF_16LE);
        let (text, _) = decoder.decode_without_bom_handling(&bytes[2..]);
        return (text.into_owned(), utf16);
    }
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
    fn decodes_utf16_after_its_bom_and_survives_a_cut_character() {
        let le: Vec<u8> = [0xFF, 0xFE, b'N', 0, 0xB0, 0, b'\t', 0].to_vec();
        assert_eq!(decode(le), ("N°\t".to_string(), Encoding::Utf16Le));
        let be: Vec<u8> = [0xFE, 0xFF, 0, b'N', 0, 0xB0].to_vec();
        assert_eq!(decode(be), ("N°".to_string(), Encoding::Utf16Be));
        // An odd byte or a lone surrogate becomes U+FFFD, never a panic.
        let (text, _) = decode(vec![0xFF, 0xFE, 0x00, 0xD8, b'a']);
        assert!(text.contains('\u{FFFD}'), "{text:?}");
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
