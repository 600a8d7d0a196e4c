//! A PDF content stream cut into its operations as they are written: each
//! operation's bytes (its operands, then its operator) and its operator,
//! without parsing the operands into objects. PDF/UA's artifacts only need
//! the operators, and the bytes are written back as they were, so a page
//! is marked without decoding and encoding every number of it (decision
//! 160). PDF 32000-1 §7.2 (lexical conventions) and §7.8.2 (content
//! streams).

/// One operation of a content stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Raw<'a> {
    /// The operator, e.g. `Tj`.
    pub operator: &'a [u8],
    /// The operation as written: its operands, then its operator.
    pub bytes: &'a [u8],
}

/// The operations of `content`, or `None` for what this reader does not
/// take on: an inline image (`BI … ID … EI`, whose data is binary), an
/// operand without its operator at the end, a string, array or dictionary
/// left open, or a stray closing delimiter.
pub fn operations(content: &[u8]) -> Option<Vec<Raw<'_>>> {
    let mut out = Vec::with_capacity(content.len() / 16);
    let mut at = 0;
    let mut start = None;
    loop {
        at = skip_space(content, at);
        if at >= content.len() {
            break;
        }
        let end = object_end(content, at, 0)?;
        let token = &content[at..end];
        let operand_start = *start.get_or_insert(at);
        // lopdf cuts `0q` into a number and `q`, and `nullQ` into `null`
        // and `Q`: a token that is neither a number nor an operator by
        // lopdf's reading leaves the page to lopdf.
        if is_operator(token) {
            if token == b"BI" || !is_lopdf_operator(token) {
                return None;
            }
            out.push(Raw {
                operator: token,
                bytes: &content[operand_start..end],
            });
            start = None;
        } else if starts_number(token) && !is_lopdf_number(token) {
            return None;
        }
        at = end;
    }
    start.is_none().then_some(out)
}

/// `operations` written back, each on a line of its own, with every number
/// spelled as lopdf spells what it reads: a real as the shortest decimal
/// that reads back as the same `f32` (Chromium's `.23999999` is `0.24`),
/// with a point; an integer without sign or leading zeros. The pages are
/// then drawn, and read, at the coordinates they had when lopdf parsed
/// and wrote them again (before decision 160): a text extractor puts
/// lines that nearly touch in the same order as before.
pub fn write(operations: &[Raw<'_>]) -> Vec<u8> {
    let mut out = Vec::with_capacity(operations.iter().map(|op| op.bytes.len() + 1).sum());
    for op in operations {
        write_numbers_as_lopdf(op.bytes, &mut out);
        out.push(b'\n');
    }
    out
}

/// Copies `bytes` (an operation) to `out`, its numbers spelled as lopdf
/// writes them; strings and names as they are.
fn write_numbers_as_lopdf(bytes: &[u8], out: &mut Vec<u8>) {
    let mut at = 0;
    while at < bytes.len() {
        let byte = bytes[at];
        let end = match byte {
            b'(' => string_end(bytes, at).unwrap_or(bytes.len()),
            b'<' if bytes.get(at + 1) == Some(&b'<') => at + 2,
            b'<' => bytes[at..]
                .iter()
                .position(|&b| b == b'>')
                .map_or(bytes.len(), |end| at + end + 1),
            b'/' => regular_end(bytes, at + 1),
            b'+' | b'-' | b'.' | b'0'..=b'9' => {
                let end = regular_end(bytes, at);
                write_number(&bytes[at..end], out);
                at = end;
                continue;
            }
            _ if is_space(byte) || is_delimiter(byte) => at + 1,
            _ => regular_end(bytes, at),
        };
        out.extend_from_slice(&bytes[at..end]);
        at = end;
    }
}

/// `token`, a number, as lopdf writes it once read; as it is if it is not
/// one lopdf reads.
fn write_number(token: &[u8], out: &mut Vec<u8>) {
    let text = match std::str::from_utf8(token) {
        Ok(text) if is_lopdf_number(token) => text,
        _ => {
            out.extend_from_slice(token);
            return;
        }
    };
    if text.contains('.') {
        match text.parse::<f32>() {
            Ok(value) if value.is_finite() => {
                let spelled = value.to_string();
                out.extend_from_slice(spelled.as_bytes());
                if !spelled.contains('.') {
                    out.extend_from_slice(b".0");
                }
            }
            _ => out.extend_from_slice(token),
        }
    } else {
        match text.parse::<i64>() {
            Ok(value) => out.extend_from_slice(value.to_string().as_bytes()),
            Err(_) => out.extend_from_slice(token),
        }
    }
}

fn is_space(byte: u8) -> bool {
    matches!(byte, b'\0' | b'\t' | b'\n' | b'\x0C' | b'\r' | b' ')
}

fn is_delimiter(byte: u8) -> bool {
    matches!(
        byte,
        b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%'
    )
}

/// Whether a bare token is an operator: not a number, `true`, `false` or
/// `null`.
fn is_operator(token: &[u8]) -> bool {
    match token.first() {
        Some(b'+' | b'-' | b'.' | b'0'..=b'9') | Some(b'(' | b'<' | b'[' | b'/') | None => false,
        _ => !matches!(token, b"true" | b"false" | b"null"),
    }
}

/// Whether a bare token starts as a number does.
fn starts_number(token: &[u8]) -> bool {
    matches!(token.first(), Some(b'+' | b'-' | b'.' | b'0'..=b'9'))
}

/// Whether `token` is a number as lopdf reads one whole: a sign, then
/// digits with at most one point and at least one digit (no exponent).
fn is_lopdf_number(token: &[u8]) -> bool {
    let digits = token
        .strip_prefix(b"+")
        .or_else(|| token.strip_prefix(b"-"))
        .unwrap_or(token);
    let points = digits.iter().filter(|&&b| b == b'.').count();
    points <= 1
        && digits.iter().any(u8::is_ascii_digit)
        && digits.iter().all(|&b| b == b'.' || b.is_ascii_digit())
}

/// Whether `token` is an operator as lopdf reads one whole: letters,
/// digits, `*`, `'` and `"`, not starting with a keyword lopdf would read
/// first.
fn is_lopdf_operator(token: &[u8]) -> bool {
    token
        .iter()
        .all(|&b| b.is_ascii_alphanumeric() || matches!(b, b'*' | b'\'' | b'"'))
        && !(token.starts_with(b"true")
            || token.starts_with(b"false")
            || token.starts_with(b"null"))
}

/// How deep arrays and dictionaries may nest before a page is left to
/// lopdf (which refuses it): no stack is spent on a hostile page.
const NESTING: usize = 64;

/// The first byte at or after `at` that is neither white space nor in a
/// comment.
fn skip_space(content: &[u8], mut at: usize) -> usize {
    while let Some(&byte) = content.get(at) {
        if is_space(byte) {
            at += 1;
        } else if byte == b'%' {
            while content.get(at).is_some_and(|&b| b != b'\n' && b != b'\r') {
                at += 1;
            }
        } else {
            break;
        }
    }
    at
}

/// Where the object (or operator) that starts at `at` ends, `depth`
/// arrays or dictionaries deep.
fn object_end(content: &[u8], at: usize, depth: usize) -> Option<usize> {
    match content[at] {
        b'(' => string_end(content, at),
        b'<' | b'[' if depth >= NESTING => None,
        b'<' if content.get(at + 1) == Some(&b'<') => container_end(
            content,
            at + 2,
            |c, i| c.get(i..i + 2) == Some(b">>"),
            2,
            depth + 1,
        ),
        b'<' => content[at..]
            .iter()
            .position(|&b| b == b'>')
            .map(|end| at + end + 1),
        b'[' => container_end(content, at + 1, |c, i| c[i] == b']', 1, depth + 1),
        b'/' => Some(regular_end(content, at + 1)),
        b')' | b'>' | b']' | b'{' | b'}' => None,
        _ => Some(regular_end(content, at)),
    }
}

/// The end of a run of regular characters from `at`.
fn regular_end(content: &[u8], mut at: usize) -> usize {
    while content
        .get(at)
        .is_some_and(|&b| !is_space(b) && !is_delimiter(b))
    {
        at += 1;
    }
    at
}

/// The end of a literal string `( … )`: balanced parentheses, `\` escaping
/// the byte after it.
fn string_end(content: &[u8], at: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut i = at;
    while let Some(&byte) = content.get(i) {
        match byte {
            b'\\' => i += 1,
            b'(' => depth += 1,
            b')' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// The end of an array or dictionary whose content starts at `at`, closed
/// where `closes` says, by a delimiter `width` bytes long.
fn container_end(
    content: &[u8],
    mut at: usize,
    closes: impl Fn(&[u8], usize) -> bool,
    width: usize,
    depth: usize,
) -> Option<usize> {
    loop {
        at = skip_space(content, at);
        if at >= content.len() {
            return None;
        }
        if closes(content, at) {
            return Some(at + width);
        }
        at = object_end(content, at, depth)?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn operators(content: &str) -> Option<Vec<(String, String)>> {
        operations(content.as_bytes()).map(|ops| {
            ops.iter()
                .map(|op| {
                    (
                        String::from_utf8_lossy(op.operator).into_owned(),
                        String::from_utf8_lossy(op.bytes).into_owned(),
                    )
                })
                .collect()
        })
    }

    #[test]
    fn each_operation_keeps_its_operands_as_written() {
        let content = "q 0.24 0 0 -0.24 0 841.92 cm\n/Artifact BMC BT /F8 10.66 Tf\n\
                       1 0 0 -1 683.4531 1093 Tm <0033> Tj [(a\\)b) -3 (c(d)e)] TJ ET EMC\n\
                       /Span <</MCID 0 /Alt (x >> y) /K [1 <</A 2>>]>> BDC % a comment\n\
                       (it's) ' 1 2 (\") \" EMC Q";
        let ops = operators(content).unwrap();
        let names: Vec<&str> = ops.iter().map(|(op, _)| op.as_str()).collect();
        assert_eq!(
            names,
            [
                "q", "cm", "BMC", "BT", "Tf", "Tm", "Tj", "TJ", "ET", "EMC", "BDC", "'", "\"",
                "EMC", "Q"
            ]
        );
        assert_eq!(ops[1].1, "0.24 0 0 -0.24 0 841.92 cm");
        assert_eq!(ops[7].1, "[(a\\)b) -3 (c(d)e)] TJ");
        assert_eq!(
            ops[10].1,
            "/Span <</MCID 0 /Alt (x >> y) /K [1 <</A 2>>]>> BDC"
        );
        assert_eq!(ops[12].1, "1 2 (\") \"");
        assert_eq!(
            String::from_utf8(write(&operations(b"q  1 0 0 1 0 0 cm\r\nQ").unwrap())).unwrap(),
            "q\n1 0 0 1 0 0 cm\nQ\n"
        );
        // Numbers as lopdf writes them, strings and names as they are.
        let page = b".23999999 0 0 -.23999999 0 841.91998 cm /F1.5 10.6599998 Tf [(1.50) -3.0 <0033>] TJ /P <</MCID 007>> BDC";
        assert_eq!(
            String::from_utf8(write(&operations(page).unwrap())).unwrap(),
            "0.24 0 0 -0.24 0 841.92 cm\n/F1.5 10.66 Tf\n[(1.50) -3.0 <0033>] TJ\n/P <</MCID 7>> BDC\n"
        );
    }

    #[test]
    fn what_it_does_not_take_on_is_refused() {
        // An inline image, an operand without operator, open or stray
        // delimiters.
        for content in [
            "q BI /W 1 /H 1 ID \u{0}\u{1} EI Q",
            "q 1 2",
            "(open Tj",
            "[1 2 TJ",
            "<</A 1 BDC",
            "<00 Tj",
            "q ] Q",
            // What lopdf cuts otherwise: a number glued to an operator,
            // an exponent, a keyword glued to an operator.
            "0 0 1 1 re f 0q Q",
            "0 0 1 1 re f q.5 w Q",
            "1.5e3 Tw",
            "nullQ",
            "1-2 Td",
        ] {
            assert_eq!(operators(content), None, "{content}");
        }
        // Arrays nested deeper than lopdf reads them.
        let deep = format!("{}{} TJ", "[".repeat(100_000), "]".repeat(100_000));
        assert_eq!(operators(&deep), None);
        let fine = format!("{}{} TJ", "[".repeat(10), "]".repeat(10));
        assert_eq!(operators(&fine).map(|ops| ops.len()), Some(1));
        assert_eq!(operators(""), Some(vec![]));
        assert_eq!(operators("  % only a comment"), Some(vec![]));
    }
}
