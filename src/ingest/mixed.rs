//! Mixed encodings (SPEC §2.1, v3): a text without a UTF-16 byte order mark
//! that is not valid UTF-8 as a whole is decoded physical line by physical
//! line, split on the line-end bytes (`\r\n`, `\n`, `\r`) before quotes are
//! parsed: a line that is valid UTF-8 is UTF-8, any other line Windows-1252.
//!
//! [`classify`] reads a file once more to find its lines that are not
//! UTF-8, and whether some non-ASCII line is (then the file was pasted
//! together from two tools, and each Windows-1252 line is a finding);
//! [`MixedDecoder`] then turns the file into UTF-8 as it streams, decoding
//! those lines as Windows-1252. Neither holds more than a block of the file
//! (a line longer than a block is checked piece by piece).

use std::io::Read;

/// How many bytes are read at a time.
const BLOCK: usize = 1 << 16;

/// What [`classify`] found in a text.
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct Lines {
    /// Whether a line holds non-ASCII text that is valid UTF-8.
    pub(super) utf8: bool,
    /// The physical lines (1-based) that are not valid UTF-8, in order.
    pub(super) windows_1252: Vec<u64>,
}

/// The bytes of the line being read, while it is valid UTF-8 so far.
#[derive(Default)]
struct LineState {
    invalid: bool,
    non_ascii: bool,
    /// The line's bytes not checked yet (a block's tail, at most a block
    /// and a cut character).
    pending: Vec<u8>,
}

impl LineState {
    /// Adds a piece of the line.
    fn feed(&mut self, piece: &[u8]) {
        if self.invalid {
            return;
        }
        if self.pending.is_empty() {
            // The whole piece, as is, when it holds no cut character.
            match std::str::from_utf8(piece) {
                Ok(text) => self.non_ascii |= !text.is_ascii(),
                Err(err) if err.error_len().is_some() => self.invalid = true,
                Err(err) => {
                    self.non_ascii = true;
                    self.pending.extend_from_slice(&piece[err.valid_up_to()..]);
                }
            }
            return;
        }
        self.pending.extend_from_slice(piece);
        match std::str::from_utf8(&self.pending) {
            Ok(_) => {
                self.non_ascii = true;
                self.pending.clear();
            }
            Err(err) if err.error_len().is_some() => {
                self.invalid = true;
                self.pending.clear();
            }
            Err(err) => {
                let valid = err.valid_up_to();
                self.pending.drain(..valid);
            }
        }
    }

    /// Ends the line: whether it is valid UTF-8, and whether it is ASCII.
    fn end(&mut self) -> (bool, bool) {
        // A character still cut at the end of the line is not UTF-8.
        let valid = !self.invalid && self.pending.is_empty();
        let non_ascii = self.non_ascii || self.invalid || !self.pending.is_empty();
        self.invalid = false;
        self.non_ascii = false;
        self.pending.clear();
        (valid, non_ascii)
    }
}

/// Cuts blocks of a text into physical lines: `\r\n`, `\n` and `\r` alone
/// each end one line, even when a block ends between the `\r` and the `\n`.
#[derive(Default)]
struct Splitter {
    /// Whether the previous block ended with `\r` (a `\n` starting this
    /// block belongs to that line end).
    after_cr: bool,
}

/// A piece of a block: text of the current line, or a line end.
enum Piece<'a> {
    Text(&'a [u8]),
    /// A line end's bytes; `ends` is false for the `\n` of a `\r\n` cut by
    /// the end of the previous block (its line was already ended).
    End {
        bytes: &'a [u8],
        ends: bool,
    },
}

impl Splitter {
    fn split<'a>(&mut self, block: &'a [u8], mut piece: impl FnMut(Piece<'a>)) {
        let mut at = 0;
        if self.after_cr && block.first() == Some(&b'\n') {
            piece(Piece::End {
                bytes: &block[..1],
                ends: false,
            });
            at = 1;
        }
        self.after_cr = false;
        while at < block.len() {
            let Some(found) = memchr::memchr2(b'\n', b'\r', &block[at..]) else {
                piece(Piece::Text(&block[at..]));
                return;
            };
            let end = at + found;
            if end > at {
                piece(Piece::Text(&block[at..end]));
            }
            let len = if block[end] == b'\r' && block.get(end + 1) == Some(&b'\n') {
                2
            } else {
                1
            };
            if block[end] == b'\r' && end + 1 == block.len() {
                self.after_cr = true;
            }
            piece(Piece::End {
                bytes: &block[end..end + len],
                ends: true,
            });
            at = end + len;
        }
    }
}

/// Reads a text and finds its lines that are not UTF-8 (SPEC §2.1:
/// *Mixed encodings*). Without `list`, it only tells whether a non-ASCII
/// line is UTF-8, and stops at the first one: a file all Windows-1252 (the
/// usual non-UTF-8 file) is then read once with no list kept.
pub(super) fn classify(mut input: impl Read, list: bool) -> std::io::Result<Lines> {
    let mut lines = Lines::default();
    let mut splitter = Splitter::default();
    let mut state = LineState::default();
    let mut line = 1u64;
    let mut block = vec![0u8; BLOCK];
    loop {
        let read = match input.read(&mut block) {
            Ok(0) => break,
            Ok(read) => read,
            Err(err) if err.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(err) => return Err(err),
        };
        splitter.split(&block[..read], |piece| match piece {
            Piece::Text(text) => state.feed(text),
            Piece::End { ends: false, .. } => {}
            Piece::End { ends: true, .. } => {
                let (valid, non_ascii) = state.end();
                note(&mut lines, line, valid, non_ascii, list);
                line += 1;
            }
        });
        if lines.utf8 && !list {
            return Ok(lines);
        }
    }
    let (valid, non_ascii) = state.end();
    note(&mut lines, line, valid, non_ascii, list);
    Ok(lines)
}

fn note(lines: &mut Lines, line: u64, valid: bool, non_ascii: bool, list: bool) {
    if !valid {
        if list {
            lines.windows_1252.push(line);
        }
    } else if non_ascii {
        lines.utf8 = true;
    }
}

/// A text whose lines are UTF-8 except those listed, which are
/// Windows-1252, read as UTF-8.
pub(super) struct MixedDecoder<R> {
    inner: R,
    /// The Windows-1252 lines, in order, and the first not passed yet.
    windows_1252: Vec<u64>,
    next: usize,
    line: u64,
    splitter: Splitter,
    block: Vec<u8>,
    /// Decoded bytes not handed out yet, from `out_at`.
    out: Vec<u8>,
    out_at: usize,
}

impl<R: Read> MixedDecoder<R> {
    pub(super) fn new(inner: R, windows_1252: Vec<u64>) -> Self {
        Self {
            inner,
            windows_1252,
            next: 0,
            line: 1,
            splitter: Splitter::default(),
            block: vec![0u8; BLOCK],
            out: Vec::new(),
            out_at: 0,
        }
    }

    /// Decodes the next block; false at the end of the text.
    fn fill(&mut self) -> std::io::Result<bool> {
        let read = loop {
            match self.inner.read(&mut self.block) {
                Ok(read) => break read,
                Err(err) if err.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(err) => return Err(err),
            }
        };
        if read == 0 {
            return Ok(false);
        }
        self.out.clear();
        self.out_at = 0;
        let (out, lines, next, line) = (
            &mut self.out,
            &self.windows_1252,
            &mut self.next,
            &mut self.line,
        );
        self.splitter
            .split(&self.block[..read], |piece| match piece {
                Piece::Text(text) => {
                    while lines.get(*next).is_some_and(|&l| l < *line) {
                        *next += 1;
                    }
                    if lines.get(*next) == Some(line) {
                        let (decoded, _) =
                            encoding_rs::WINDOWS_1252.decode_without_bom_handling(text);
                        out.extend_from_slice(decoded.as_bytes());
                    } else {
                        out.extend_from_slice(text);
                    }
                }
                Piece::End { bytes, ends } => {
                    out.extend_from_slice(bytes);
                    if ends {
                        *line += 1;
                    }
                }
            });
        Ok(true)
    }
}

impl<R: Read> Read for MixedDecoder<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while self.out_at == self.out.len() {
            if !self.fill()? {
                return Ok(0);
            }
        }
        let n = buf.len().min(self.out.len() - self.out_at);
        buf[..n].copy_from_slice(&self.out[self.out_at..self.out_at + n]);
        self.out_at += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Hands out `step` bytes a read, to cut lines and characters anywhere.
    struct Trickle<'a> {
        bytes: &'a [u8],
        step: usize,
    }

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = self.step.min(buf.len()).min(self.bytes.len());
            buf[..n].copy_from_slice(&self.bytes[..n]);
            self.bytes = &self.bytes[n..];
            Ok(n)
        }
    }

    fn mixed() -> Vec<u8> {
        let mut bytes = "id;nom\r\nU1;Hélène\r\n".as_bytes().to_vec();
        bytes.extend_from_slice(b"U2;J\xe9r\xf4me\rU3;plain\n");
        bytes.extend_from_slice("U4;Zoé\r\n".as_bytes());
        bytes.extend_from_slice(b"U5;\"a\xe9\nb\xe8\"");
        bytes
    }

    #[test]
    fn finds_the_lines_that_are_not_utf8() {
        for step in [1, 2, 3, 7, BLOCK] {
            let found = classify(
                Trickle {
                    bytes: &mixed(),
                    step,
                },
                true,
            )
            .unwrap();
            assert_eq!(
                found,
                Lines {
                    utf8: true,
                    windows_1252: vec![3, 6, 7]
                },
                "step {step}"
            );
        }
        let plain = classify(&b"a\r\n\xe9t\xe9\rb\n"[..], true).unwrap();
        assert_eq!(
            plain,
            Lines {
                utf8: false,
                windows_1252: vec![2]
            }
        );
        // A character cut by the end of its line is not UTF-8.
        let cut = classify(&b"a\xc3\nb\xc3\xa9"[..], true).unwrap();
        assert_eq!(cut.windows_1252, vec![1]);
        assert!(cut.utf8);
        // Without the list, only whether a non-ASCII line is UTF-8.
        let quick = classify(&mixed()[..], false).unwrap();
        assert!(quick.utf8 && quick.windows_1252.is_empty());
        let quick = classify(&b"a\r\n\xe9t\xe9\rb\n"[..], false).unwrap();
        assert_eq!(quick, Lines::default());
    }

    #[test]
    fn decodes_each_line_in_its_own_encoding() {
        let bytes = mixed();
        for step in [1, 2, 5, BLOCK] {
            let mut decoder = MixedDecoder::new(
                Trickle {
                    bytes: &bytes,
                    step,
                },
                vec![3, 6, 7],
            );
            let mut text = String::new();
            decoder.read_to_string(&mut text).unwrap();
            assert_eq!(
                text, "id;nom\r\nU1;Hélène\r\nU2;Jérôme\rU3;plain\nU4;Zoé\r\nU5;\"aé\nbè\"",
                "step {step}"
            );
        }
    }
}
