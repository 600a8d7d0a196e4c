//! Records with the physical line they start on (SPEC §3: "counted in
//! physical lines of the file").
//!
//! A physical line ends with `\r\n`, `\n` or (v3) `\r` alone (the "CSV
//! Macintosh" of older spreadsheets), whatever the other lines do. Lines
//! no record covers (empty lines) come out as rows with one empty cell, so
//! that they are reported instead of silently dropped.
//!
//! The text is read in blocks into a buffer of its own, and each record is
//! read from there: one scan, eight bytes at a time, finds the line's end
//! and its delimiters, so that a line without a quote (nearly all of them)
//! is split there directly; a line with one goes to `csv_core`, the
//! parser of the `csv` crate, with that crate's settings (quotes doubled
//! inside a quoted field, any line end ends a record), which reads quoted
//! fields across line ends. Either way the buffer knows where every line
//! end is, so lines are counted as the bytes go by. Memory stays bounded:
//! the buffer holds one block, or the record being read if it is longer.

use std::io::Read;

use super::Record;

/// How many line breaks a text holds: each `\r\n`, `\n` or lone `\r` is one.
pub fn line_breaks(text: &str) -> u64 {
    let bytes = text.as_bytes();
    memchr::memchr2_iter(b'\n', b'\r', bytes)
        .filter(|&at| bytes[at] == b'\n' || bytes.get(at + 1) != Some(&b'\n'))
        .count() as u64
}

/// How many bytes a read asks for at a time.
const BLOCK: usize = 1 << 16;

/// The UTF-8 byte order mark, skipped at the start of the text as the `csv`
/// crate does.
const BOM: &[u8] = b"\xef\xbb\xbf";

/// What ends the scan of a line ([`scan`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Stop {
    /// Its line end, at this offset from the line's start.
    LineEnd(usize),
    /// A quote before its line end: the record goes to `csv_core`.
    Quote,
}

/// Whether lines can be split at `delimiter` directly: an ASCII byte that
/// is neither a quote nor a line end, so that each field is whole UTF-8.
fn fast_delimiter(delimiter: u8) -> bool {
    delimiter.is_ascii() && !matches!(delimiter, b'"' | b'\n' | b'\r')
}

/// The high bit of each byte of `word` equal to the byte repeated in
/// `needle`, and nothing else (no carry crosses from one byte to the next).
#[inline(always)]
fn bytes_equal(word: u64, needle: u64) -> u64 {
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    let x = word ^ needle;
    !(((x & LOW7) + LOW7) | x | LOW7)
}

/// Scans `line[from..]` for the first line end or quote, adding where each
/// `delimiter` before it is to `cuts`; `None` when the bytes end first.
/// Eight bytes at a time, every byte looked for at once: the fields are
/// short, and one search per field cost more than the splitting itself.
fn scan(line: &[u8], from: usize, delimiter: u8, cuts: &mut Vec<usize>) -> Option<Stop> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    let (lf, cr, quote, delim) = (
        ONES * u64::from(b'\n'),
        ONES * u64::from(b'\r'),
        ONES * u64::from(b'"'),
        ONES * u64::from(delimiter),
    );
    let mut at = from;
    while let Some(bytes) = line.get(at..at + 8) {
        let mut word = [0u8; 8];
        word.copy_from_slice(bytes);
        let word = u64::from_le_bytes(word);
        let stops = bytes_equal(word, lf) | bytes_equal(word, cr) | bytes_equal(word, quote);
        let mut delims = bytes_equal(word, delim);
        if stops != 0 {
            // Only the delimiters before the first stop.
            delims &= (stops & stops.wrapping_neg()) - 1;
        }
        while delims != 0 {
            cuts.push(at + delims.trailing_zeros() as usize / 8);
            delims &= delims - 1;
        }
        if stops != 0 {
            let first = at + stops.trailing_zeros() as usize / 8;
            return Some(stop_at(line, first));
        }
        at += 8;
    }
    for (k, &byte) in line.iter().enumerate().skip(at) {
        match byte {
            b'\n' | b'\r' | b'"' => return Some(stop_at(line, k)),
            _ if byte == delimiter => cuts.push(k),
            _ => {}
        }
    }
    None
}

fn stop_at(line: &[u8], at: usize) -> Stop {
    match line[at] {
        b'"' => Stop::Quote,
        _ => Stop::LineEnd(at),
    }
}

/// A CSV reader that gives each record its physical start line, and hands
/// out every line no record covers as a row with one empty cell.
pub(super) struct Records<R> {
    input: R,
    /// The text read so far and not yet handed out: `buf[start..end]`.
    buf: Vec<u8>,
    start: usize,
    end: usize,
    /// Whether `input` has no more bytes.
    eof: bool,
    /// Whether the start of the text was looked at (for a BOM).
    begun: bool,
    /// Whether the last byte handed out was a `\r`: a `\n` right after it
    /// ends no line of its own.
    after_cr: bool,
    /// The physical line of `buf[start]`.
    line: u64,
    delimiter: u8,
    /// The parser of lines with quotes, and its output: the fields' bytes
    /// and where each field ends.
    quoted: csv_core::Reader,
    fields: Vec<u8>,
    ends: Vec<usize>,
    /// Where the delimiters of the line being read are, from its start.
    cuts: Vec<usize>,
    /// Whether the row last handed out holds a line break.
    spans_lines: bool,
    /// How far the text is known to be UTF-8: checked once a block rather
    /// than once a line ([`Records::utf8_up_to`]).
    valid_to: usize,
}

/// `csv_core`'s parser as the `csv` crate sets it up. It skips a BOM at the
/// start of its first record only, which is not the start of the text
/// here: it is given a record first, so that a BOM further down stays.
fn quoted_parser(delimiter: u8) -> csv_core::Reader {
    let mut parser = csv_core::ReaderBuilder::new().delimiter(delimiter).build();
    let (mut field, mut end) = ([0u8; 4], [0usize; 4]);
    let (read, ..) = parser.read_record(b"x\n", &mut field, &mut end);
    debug_assert_eq!(read, csv_core::ReadRecordResult::Record);
    parser
}

impl<R: Read> Records<R> {
    pub(super) fn new(input: R, delimiter: u8) -> Self {
        Self {
            input,
            buf: Vec::new(),
            start: 0,
            end: 0,
            eof: false,
            begun: false,
            after_cr: false,
            line: 1,
            delimiter,
            quoted: quoted_parser(delimiter),
            fields: Vec::new(),
            ends: Vec::new(),
            cuts: Vec::new(),
            spans_lines: false,
            valid_to: 0,
        }
    }

    /// Whether the fields of the row [`Records::next`] last gave hold a
    /// line break (a quoted one: the record spans several lines).
    pub(super) fn spans_lines(&self) -> bool {
        self.spans_lines
    }

    /// Reads more of the text after the unread bytes, which move to the
    /// front of the buffer; sets `eof` when there is none.
    fn fill(&mut self) -> std::io::Result<()> {
        if self.start > 0 {
            self.buf.copy_within(self.start..self.end, 0);
            self.end -= self.start;
            // What was checked before `start` is gone.
            self.valid_to = self.valid_to.saturating_sub(self.start);
            self.start = 0;
        }
        // A record longer than the buffer doubles it: a line of any length
        // is read in time proportional to it.
        let wanted = self.end + BLOCK;
        if self.buf.len() < wanted {
            self.buf.resize(wanted.max(2 * self.buf.len()), 0);
        }
        loop {
            match self.input.read(&mut self.buf[self.end..]) {
                Ok(0) => {
                    self.eof = true;
                    return Ok(());
                }
                Ok(read) => {
                    self.end += read;
                    return Ok(());
                }
                Err(err) if err.kind() == std::io::ErrorKind::Interrupted => {}
                Err(err) => return Err(err),
            }
        }
    }

    /// Hands out `n` bytes, counting the line ends among them (a quoted
    /// record can hold some).
    fn consume(&mut self, n: usize) {
        let bytes = &self.buf[self.start..self.start + n];
        for at in memchr::memchr2_iter(b'\n', b'\r', bytes) {
            let after_cr = match at {
                0 => self.after_cr,
                _ => bytes[at - 1] == b'\r',
            };
            if bytes[at] == b'\r' || !after_cr {
                self.line += 1;
            }
        }
        if let Some(&last) = bytes.last() {
            self.after_cr = last == b'\r';
        }
        self.start += n;
    }

    /// Fills `out` with the next row and returns its physical line; `None`
    /// at the end of the text. A record that is not valid UTF-8 (the file
    /// changed since it was first read) comes out with no field; a read
    /// error is returned with the line it happened on.
    pub(super) fn next(&mut self, out: &mut Record) -> Result<Option<u64>, (u64, std::io::Error)> {
        let line = self.line;
        let io = |err| (line, err);
        if !self.begun {
            self.begun = true;
            while self.end - self.start < BOM.len() && !self.eof {
                self.fill().map_err(io)?;
            }
            if self.buf[self.start..self.end].starts_with(BOM) {
                self.start += BOM.len();
            }
        }
        // Up to the end of the next line, or of the text, or to its first
        // quote: the delimiters met on the way are where its cells end.
        let fast = fast_delimiter(self.delimiter);
        let mut searched = 0;
        self.cuts.clear();
        let stop = loop {
            if self.start == self.end && !self.eof {
                self.fill().map_err(io)?;
                continue;
            }
            if self.after_cr && self.start < self.end && self.buf[self.start] == b'\n' {
                // The `\n` of a `\r\n` whose `\r` ended the last row.
                self.start += 1;
                self.after_cr = false;
            }
            let unread = &self.buf[self.start..self.end];
            let stop = match fast {
                true => scan(unread, searched, self.delimiter, &mut self.cuts),
                false => memchr::memchr2(b'\n', b'\r', &unread[searched..])
                    .map(|at| Stop::LineEnd(searched + at)),
            };
            if stop.is_some() || self.eof {
                break stop;
            }
            searched = unread.len();
            self.fill().map_err(io)?;
        };
        let line = self.line;
        let ends_at = match stop {
            Some(Stop::Quote) => {
                out.clear();
                return self.read_quoted(out).map_err(io).map(|()| Some(line));
            }
            Some(Stop::LineEnd(at)) => Some(at),
            None => None,
        };
        let to = ends_at.map_or(self.end, |at| self.start + at);
        let len = to - self.start;
        if len == 0 && ends_at.is_none() {
            return Ok(None);
        }
        self.spans_lines = false;
        out.clear();
        if len == 0 {
            // An empty line: no record covers it.
            out.push_field("");
        } else if fast {
            // No quote: the fields are what lies between the delimiters.
            let checked = self.utf8_up_to(to);
            let bytes = &self.buf[self.start..to];
            let text = match checked {
                // SAFETY: `utf8_up_to` says the line is UTF-8.
                true => Some(unsafe { std::str::from_utf8_unchecked(bytes) }),
                false => std::str::from_utf8(bytes).ok(),
            };
            if let Some(text) = text {
                // The delimiter is ASCII: each field is a `str` of its own.
                out.split_at(text, &self.cuts);
            }
        } else {
            return self.read_quoted(out).map_err(io).map(|()| Some(line));
        }
        // The search above found the line's only line end, its terminator
        // (a `\n` after a `\r` was skipped): nothing to count again.
        self.start += len;
        match ends_at {
            Some(_) => {
                self.after_cr = self.buf[self.start] == b'\r';
                self.start += 1;
                self.line += 1;
            }
            None => self.after_cr = false,
        }
        Ok(Some(line))
    }

    /// Whether `buf[start..to]`, a line, is known to be UTF-8: the check of
    /// the buffer, extended first to what was read since, covers it. Not
    /// when bytes that are not UTF-8 come before `to`: the caller checks
    /// the line alone.
    ///
    /// The bytes from a line's start up to `valid_to` were checked here to
    /// be UTF-8 together, and not written to since (`fill` only appends
    /// after `end`, or moves the unread bytes and `valid_to` together);
    /// `start` only moves forward between. `start` is a line's start, after
    /// a line end or the BOM (ASCII) or at the start of the text, and `to`
    /// its line end (ASCII): both are character boundaries of that text, so
    /// the line is UTF-8 when `valid_to` is past it.
    fn utf8_up_to(&mut self, to: usize) -> bool {
        if self.valid_to < self.start {
            // Everything checked was handed out: check from here.
            self.valid_to = self.start;
        }
        if self.valid_to < to {
            let rest = &self.buf[self.valid_to..self.end];
            self.valid_to += match std::str::from_utf8(rest) {
                Ok(_) => rest.len(),
                Err(err) => err.valid_up_to(),
            };
        }
        to <= self.valid_to
    }

    /// Reads the record at `buf[start]` with `csv_core`: its quoted fields
    /// may hold delimiters and line ends.
    fn read_quoted(&mut self, out: &mut Record) -> std::io::Result<()> {
        let (mut written, mut ended) = (0, 0);
        loop {
            if written == self.fields.len() {
                self.fields.resize((2 * written).max(256), 0);
            }
            if ended == self.ends.len() {
                self.ends.resize((2 * ended).max(32), 0);
            }
            let (result, read, wrote, ends) = self.quoted.read_record(
                &self.buf[self.start..self.end],
                &mut self.fields[written..],
                &mut self.ends[ended..],
            );
            self.consume(read);
            written += wrote;
            ended += ends;
            match result {
                csv_core::ReadRecordResult::InputEmpty => self.fill()?,
                csv_core::ReadRecordResult::OutputFull
                | csv_core::ReadRecordResult::OutputEndsFull => {}
                csv_core::ReadRecordResult::Record | csv_core::ReadRecordResult::End => break,
            }
        }
        let bytes = &self.fields[..written];
        self.spans_lines = memchr::memchr2(b'\n', b'\r', bytes).is_some();
        if let Ok(text) = std::str::from_utf8(bytes) {
            let mut from = 0;
            for &to in &self.ends[..ended] {
                // The delimiters are ASCII, so each field is whole UTF-8;
                // were one not, the record would come out with no field.
                let Some(field) = text.get(from..to) else {
                    out.clear();
                    break;
                };
                out.push_field(field);
                from = to;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every row of `text` as (line, cells).
    fn rows(text: &str) -> Vec<(u64, Vec<String>)> {
        let mut records = Records::new(text.as_bytes(), b';');
        let mut record = Record::new();
        let mut rows = Vec::new();
        while let Some(line) = records.next(&mut record).unwrap() {
            rows.push((line, record.iter().map(str::to_string).collect()));
        }
        rows
    }

    fn lines(text: &str) -> Vec<u64> {
        rows(text).into_iter().map(|(line, _)| line).collect()
    }

    #[test]
    fn crlf_and_lf_give_the_same_lines() {
        assert_eq!(lines("h;x\nU1;a\nU2;b\n"), vec![1, 2, 3]);
        assert_eq!(lines("h;x\r\nU1;a\r\nU2;b\r\n"), vec![1, 2, 3]);
        assert_eq!(lines("h;x\r\nU1;a\r\nU2;b"), vec![1, 2, 3]);
        assert_eq!(lines("h;x\r\nU1;a\nU2;b\r\n"), vec![1, 2, 3]);
    }

    #[test]
    fn a_quoted_line_break_moves_the_next_row_down() {
        assert_eq!(lines("h;x\r\nU1;\"a\r\nb\"\r\nU2;c\r\n"), vec![1, 2, 4]);
        assert_eq!(lines("h;x\nU1;\"a\n\nb\"\nU2;c"), vec![1, 2, 5]);
    }

    #[test]
    fn empty_lines_are_rows_with_one_empty_cell() {
        let got = rows("\r\nh;x\r\n\r\nU1;a\r\n\n");
        let empty = vec![String::new()];
        assert_eq!(
            got,
            vec![
                (1, empty.clone()),
                (2, vec!["h".to_string(), "x".to_string()]),
                (3, empty.clone()),
                (4, vec!["U1".to_string(), "a".to_string()]),
                (5, empty),
            ]
        );
    }

    #[test]
    fn a_lone_carriage_return_ends_a_line() {
        assert_eq!(lines("h;x\nU1;a\rU2;b\nU3;c\n"), vec![1, 2, 3, 4]);
        assert_eq!(lines("h;x\rU1;a\rU2;b\r"), vec![1, 2, 3]);
        assert_eq!(lines("h;x\rU1;a\r\rU2;b"), vec![1, 2, 3, 4]);
        assert_eq!(lines("h;x\r\nU1;a\rU2;b\nU3;c"), vec![1, 2, 3, 4]);
        // A quoted header cell with a lone `\r` inside, then an empty line.
        assert_eq!(lines("h;\"x\ry\"\rU1;a\r\rU2;b\r"), vec![1, 3, 4, 5]);
    }

    #[test]
    fn a_carriage_return_cut_from_its_line_feed_by_a_read_is_one_line_end() {
        for text in [
            "h;x\r\nU1;a\r\n\r\nU2;b\r",
            "h;x\rU1;\"a\r\nb\"\r\rU2;b\r\n",
        ] {
            let got: Vec<u64> = rows_by_steps(text.as_bytes(), b';', 1)
                .into_iter()
                .map(|(line, ..)| line)
                .collect();
            assert_eq!(got, lines(text), "{text:?}");
        }
    }

    type Rows = Vec<(u64, bool, Vec<String>)>;

    /// Every row a reader gives: `next` fills the record and returns its
    /// line and whether it spans lines.
    fn collect_rows(mut next: impl FnMut(&mut Record) -> Option<(u64, bool)>) -> Rows {
        let mut record = Record::new();
        let mut rows = Vec::new();
        while let Some((line, spans_lines)) = next(&mut record) {
            rows.push((
                line,
                spans_lines,
                record.iter().map(str::to_string).collect(),
            ));
        }
        rows
    }

    /// Every row of `text` as the reader before the fast path gives them.
    fn reference_rows(text: &[u8], delimiter: u8) -> Rows {
        let mut records = reference::Records::new(text, delimiter);
        let mut read = csv::StringRecord::new();
        collect_rows(|record| {
            let line = records.next(&mut read).unwrap()?;
            *record = Record::from(read.iter().collect::<Vec<_>>());
            Some((line, records.spans_lines()))
        })
    }

    /// Every row of `text` read `step` bytes at a time.
    fn rows_by_steps(text: &[u8], delimiter: u8, step: usize) -> Rows {
        struct Steps<'a>(&'a [u8], usize);
        impl Read for Steps<'_> {
            fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                let n = self.0.len().min(buf.len()).min(self.1);
                buf[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        let mut records = Records::new(Steps(text, step), delimiter);
        collect_rows(|record| {
            let line = records.next(record).unwrap()?;
            Some((line, records.spans_lines()))
        })
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]

        /// The fast path splits the lines without quotes as `csv` does, and
        /// the lines are counted as before, read in any block sizes.
        #[test]
        fn the_rows_are_those_of_the_csv_crate(
            parts in proptest::collection::vec(
                proptest::prop_oneof![
                    proptest::strategy::Just("a"), proptest::strategy::Just("é"),
                    proptest::strategy::Just(";"), proptest::strategy::Just(","),
                    proptest::strategy::Just("\""), proptest::strategy::Just("\"\""),
                    proptest::strategy::Just("\r"), proptest::strategy::Just("\n"),
                    proptest::strategy::Just("\r\n"), proptest::strategy::Just(" "),
                    proptest::strategy::Just("\u{feff}"), proptest::strategy::Just("U12"),
                ],
                0..40,
            ),
            step in 1usize..9,
            comma in proptest::bool::ANY,
        ) {
            let text = parts.concat();
            let delimiter = if comma { b',' } else { b';' };
            let expected = reference_rows(text.as_bytes(), delimiter);
            let got = rows_by_steps(text.as_bytes(), delimiter, step);
            proptest::prop_assert_eq!(&rows_by_steps(text.as_bytes(), delimiter, usize::MAX), &got);
            // One difference is allowed, on purpose: a quote left open to
            // the end of a text that ends with a line break. The old reader
            // took that break for the record's terminator and put the
            // record a line too high, over the empty lines before it
            // (`a_quote_left_open_to_the_end_starts_on_its_own_line`); the
            // new one gives those empty lines and the record its own line.
            if got != expected {
                let (Some((last, rest)), Some((old_last, old_rest))) =
                    (got.split_last(), expected.split_last())
                else {
                    return Err(proptest::test_runner::TestCaseError::fail("rows differ"));
                };
                let open_to_the_end = text.ends_with(['\r', '\n'])
                    && last.2.last().is_some_and(|cell| cell.ends_with(['\r', '\n']));
                proptest::prop_assert!(open_to_the_end, "{:?} != {:?}", got, expected);
                proptest::prop_assert_eq!((&last.1, &last.2), (&old_last.1, &old_last.2));
                proptest::prop_assert!(last.0 > old_last.0);
                proptest::prop_assert_eq!(&rest[..old_rest.len().min(rest.len())], old_rest);
                // The rows the new reader gives back: empty lines, right
                // above the record.
                let inserted = &rest[old_rest.len().min(rest.len())..];
                let first = last.0 - inserted.len() as u64;
                let lines: Vec<u64> = inserted.iter().map(|row| row.0).collect();
                proptest::prop_assert_eq!(lines, (first..last.0).collect::<Vec<u64>>());
                proptest::prop_assert!(inserted.iter().all(|row| row.2 == [String::new()]));
            }
        }
    }

    /// The rows of a text without quotes as a plain model reads them: lines
    /// ended by `\r\n`, `\r` or `\n`; an empty line one empty cell; a line
    /// that is not UTF-8 no field; the others split at `;`.
    fn model_rows(text: &[u8]) -> Rows {
        let mut lines = Vec::new();
        let mut line = Vec::new();
        let mut at = 0;
        while at < text.len() {
            match text[at] {
                b'\r' | b'\n' => {
                    if text[at] == b'\r' && text.get(at + 1) == Some(&b'\n') {
                        at += 1;
                    }
                    lines.push(std::mem::take(&mut line));
                }
                byte => line.push(byte),
            }
            at += 1;
        }
        if !line.is_empty() {
            lines.push(line);
        }
        lines
            .into_iter()
            .enumerate()
            .map(|(n, line)| {
                let cells = match std::str::from_utf8(&line) {
                    Ok("") => vec![String::new()],
                    Ok(text) => text.split(';').map(str::to_string).collect(),
                    Err(_) => Vec::new(),
                };
                (n as u64 + 1, false, cells)
            })
            .collect()
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]

        /// Lines that are not UTF-8 among others (a file changed between
        /// its two reads), read in any block sizes: the UTF-8 checked once
        /// a block gives each line as a check of the line alone would.
        #[test]
        fn lines_that_are_not_utf8_are_found_whatever_the_blocks(
            parts in proptest::collection::vec(
                proptest::prop_oneof![
                    proptest::strategy::Just(&b"a"[..]), proptest::strategy::Just("é".as_bytes()),
                    proptest::strategy::Just(&b";"[..]), proptest::strategy::Just(&b"\xff"[..]),
                    proptest::strategy::Just(&b"\xc3"[..]), proptest::strategy::Just("\u{20ac}".as_bytes()),
                    proptest::strategy::Just(&b"\r"[..]), proptest::strategy::Just(&b"\n"[..]),
                    proptest::strategy::Just(&b"\r\n"[..]), proptest::strategy::Just(&b"U12"[..]),
                ],
                0..40,
            ),
            step in 1usize..9,
        ) {
            let text = parts.concat();
            let expected = model_rows(&text);
            proptest::prop_assert_eq!(&rows_by_steps(&text, b';', step), &expected);
            proptest::prop_assert_eq!(&rows_by_steps(&text, b';', usize::MAX), &expected);
        }
    }

    #[test]
    fn a_quote_left_open_to_the_end_starts_on_its_own_line() {
        let got = rows_by_steps(b"\r\"\r", b';', 1);
        assert_eq!(
            got,
            vec![
                (1, false, vec![String::new()]),
                (2, true, vec!["\r".to_string()])
            ]
        );
    }

    #[test]
    fn a_record_that_is_not_utf8_is_a_row_with_no_field_on_its_line() {
        // Only when a file changes between its two reads (its encoding was
        // decided on the first). The old reader put it a line too low,
        // after an empty row that is not in the text.
        for text in [&b"h\na\xff\nb\n"[..], &b"h\na;\"\xff\"\nb\n"[..]] {
            let got: Vec<(u64, Vec<String>)> = rows_by_steps(text, b';', 3)
                .into_iter()
                .map(|(line, _, cells)| (line, cells))
                .collect();
            assert_eq!(
                got,
                vec![
                    (1, vec!["h".to_string()]),
                    (2, vec![]),
                    (3, vec!["b".to_string()])
                ]
            );
        }
    }

    #[test]
    fn a_long_line_is_read_across_blocks() {
        let long = "x".repeat(3 * BLOCK);
        let text = format!("h;x\r\nU1;{long}\r\nU2;\"{long}\r\n{long}\"\r\nU3;z");
        assert_eq!(
            rows_by_steps(text.as_bytes(), b';', usize::MAX),
            reference_rows(text.as_bytes(), b';')
        );
    }

    #[test]
    fn line_breaks_count_each_line_end_once() {
        assert_eq!(line_breaks("a\r\nb\nc\rd"), 3);
        assert_eq!(line_breaks("\r\r\n\n"), 3);
        assert_eq!(line_breaks("abc"), 0);
    }
}

/// The reader this module had before the fast path: the `csv` crate's
/// `Reader` over a reader noting where the line ends pass. The differential
/// test checks that both give the same rows on any text.
#[cfg(test)]
mod reference {
    use super::line_breaks;
    use std::collections::VecDeque;
    use std::io::Read;

    /// A reader that remembers the offsets of the line ends it hands out.
    pub(super) struct LineCounter<R> {
        inner: R,
        /// Bytes handed out so far.
        offset: u64,
        /// Offsets of the line ends handed out and not yet counted.
        pending: VecDeque<u64>,
        /// How many line ends were counted (all before the last offset asked
        /// about).
        counted: u64,
        /// The offset of a `\r` that ended the bytes handed out: whether it
        /// ends a line alone depends on the next byte.
        last_cr: Option<u64>,
    }

    impl<R> LineCounter<R> {
        pub(super) fn new(inner: R) -> Self {
            Self {
                inner,
                offset: 0,
                pending: VecDeque::new(),
                counted: 0,
                last_cr: None,
            }
        }

        /// How many line ends come before byte `offset` of the text. The offsets
        /// asked about must not decrease (records come in order).
        fn newlines_before(&mut self, offset: u64) -> u64 {
            while self.pending.front().is_some_and(|&at| at < offset) {
                self.pending.pop_front();
                self.counted += 1;
            }
            self.counted
        }

        /// Every line end handed out so far.
        fn newlines(&self) -> u64 {
            self.counted + self.pending.len() as u64 + u64::from(self.last_cr.is_some())
        }
    }

    impl<R: Read> Read for LineCounter<R> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let read = self.inner.read(buf)?;
            let offset = self.offset;
            let bytes = &buf[..read];
            // A `\r` at the end of the previous bytes ends a line alone unless
            // these start with its `\n`; at the end of the text it does.
            if let Some(cr) = self.last_cr.take() {
                if bytes.first() != Some(&b'\n') {
                    self.pending.push_back(cr);
                }
            }
            for at in memchr::memchr2_iter(b'\n', b'\r', bytes) {
                if bytes[at] == b'\n' {
                    self.pending.push_back(offset + at as u64);
                } else if at + 1 == read {
                    self.last_cr = Some(offset + at as u64);
                } else if bytes[at + 1] != b'\n' {
                    self.pending.push_back(offset + at as u64);
                }
            }
            self.offset += read as u64;
            Ok(read)
        }
    }

    /// A CSV reader that gives each record its physical start line, and hands
    /// out every line no record covers as a row with one empty cell.
    pub(super) struct Records<R> {
        reader: csv::Reader<LineCounter<R>>,
        /// The last physical line of the last record read (0 before any).
        last_line: u64,
        /// Empty lines still to hand out: `gap.0..gap.1`.
        gap: (u64, u64),
        /// A record read ahead while the empty lines before it are handed out.
        held: Option<u64>,
        held_record: csv::StringRecord,
        /// Whether the held record's fields hold a line break.
        held_spans_lines: bool,
        /// Whether the row last handed out does ([`Records::spans_lines`]).
        spans_lines: bool,
        done: bool,
    }

    impl<R: Read> Records<R> {
        pub(super) fn new(input: R, delimiter: u8) -> Self {
            let reader = csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .delimiter(delimiter)
                .buffer_capacity(1 << 16)
                .from_reader(LineCounter::new(input));
            Self {
                reader,
                last_line: 0,
                gap: (1, 1),
                held: None,
                held_record: csv::StringRecord::new(),
                held_spans_lines: false,
                spans_lines: false,
                done: false,
            }
        }

        /// Whether the fields of the row [`Records::next`] last gave hold a
        /// line break (a quoted one: the record spans several lines).
        pub(super) fn spans_lines(&self) -> bool {
            self.spans_lines
        }

        /// Keeps the record just read (lines `first..=last`) for after the
        /// empty lines between the previous record and it.
        fn hold(&mut self, first: u64, last: u64) {
            self.gap = (self.last_line + 1, first);
            self.last_line = self.last_line.max(last);
            self.held = Some(first);
        }

        /// Fills `out` with the next row and returns its physical line; `None`
        /// at the end of the text. A record that is not valid UTF-8 (the file
        /// changed since it was first read) comes out with no field; a read
        /// error is returned with the line it happened on.
        pub(super) fn next(
            &mut self,
            out: &mut csv::StringRecord,
        ) -> Result<Option<u64>, (u64, std::io::Error)> {
            loop {
                if self.gap.0 < self.gap.1 {
                    let line = self.gap.0;
                    self.gap.0 += 1;
                    out.clear();
                    out.push_field("");
                    self.spans_lines = false;
                    return Ok(Some(line));
                }
                if let Some(line) = self.held.take() {
                    std::mem::swap(out, &mut self.held_record);
                    self.spans_lines = self.held_spans_lines;
                    return Ok(Some(line));
                }
                if self.done {
                    return Ok(None);
                }
                let read = self.reader.read_record(&mut self.held_record);
                let end = self.reader.position().byte();
                match read {
                    Ok(true) => {
                        // The record's last byte: its terminator, or its last
                        // character at the end of the text.
                        let last = 1 + self.reader.get_mut().newlines_before(end.saturating_sub(1));
                        // Most records hold no line break: one search says so.
                        let text = self.held_record.as_slice().as_bytes();
                        let inside: u64 = if memchr::memchr2(b'\n', b'\r', text).is_none() {
                            0
                        } else {
                            self.held_record.iter().map(line_breaks).sum()
                        };
                        self.held_spans_lines = inside > 0;
                        self.hold(last.saturating_sub(inside).max(1), last);
                    }
                    Ok(false) => {
                        self.done = true;
                        let newlines = self.reader.get_ref().newlines();
                        self.gap = (self.last_line + 1, newlines + 1);
                    }
                    Err(err) => {
                        let line = 1 + self.reader.get_mut().newlines_before(end);
                        if let csv::ErrorKind::Io(io) = err.into_kind() {
                            return Err((line, io));
                        }
                        self.held_record.clear();
                        self.held_spans_lines = false;
                        self.hold(line, line);
                    }
                }
            }
        }
    }
}
