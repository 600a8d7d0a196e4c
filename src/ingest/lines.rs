//! Records with the physical line they start on, and the lines the CSV
//! parser skips (SPEC §3: "counted in physical lines of the file").
//!
//! A physical line ends with `\r\n`, `\n` or (v3) `\r` alone (the "CSV
//! Macintosh" of older spreadsheets), whatever the other lines do.
//!
//! The `csv` crate's own line count is one short after every `\r\n`: a
//! record ends on the `\r`, and the `\n` is only counted when the *next*
//! record is read, after that record's position was taken. It counts no
//! lone `\r`, and skips empty lines without a word. So the line of a record
//! is counted here instead: [`LineCounter`] notes where each line end of
//! the text passes on its way to the parser (at its last byte: the `\n` of
//! `\r\n`), and the record's line is the count of line ends before its
//! last byte (its terminator), minus the line breaks inside its quoted
//! fields. Lines no record covers (empty lines) come out as rows with one
//! empty cell, so that they are reported instead of silently dropped.
//! Memory stays bounded: only the line ends not yet behind the parser are
//! kept.

use std::collections::VecDeque;
use std::io::Read;

/// How many line breaks a text holds: each `\r\n`, `\n` or lone `\r` is one.
pub fn line_breaks(text: &str) -> u64 {
    let bytes = text.as_bytes();
    memchr::memchr2_iter(b'\n', b'\r', bytes)
        .filter(|&at| bytes[at] == b'\n' || bytes.get(at + 1) != Some(&b'\n'))
        .count() as u64
}

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

#[cfg(test)]
mod tests {
    use super::*;

    /// Every row of `text` as (line, cells).
    fn rows(text: &str) -> Vec<(u64, Vec<String>)> {
        let mut records = Records::new(text.as_bytes(), b';');
        let mut record = csv::StringRecord::new();
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
        /// Hands out one byte a read.
        struct Trickle<'a>(&'a [u8]);
        impl Read for Trickle<'_> {
            fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                match (self.0.split_first(), buf.first_mut()) {
                    (Some((&byte, rest)), Some(out)) => {
                        *out = byte;
                        self.0 = rest;
                        Ok(1)
                    }
                    _ => Ok(0),
                }
            }
        }
        for text in [
            "h;x\r\nU1;a\r\n\r\nU2;b\r",
            "h;x\rU1;\"a\r\nb\"\r\rU2;b\r\n",
        ] {
            let mut records = Records::new(Trickle(text.as_bytes()), b';');
            let mut record = csv::StringRecord::new();
            let mut got = Vec::new();
            while let Some(line) = records.next(&mut record).unwrap() {
                got.push(line);
            }
            assert_eq!(got, lines(text), "{text:?}");
        }
    }

    #[test]
    fn line_breaks_count_each_line_end_once() {
        assert_eq!(line_breaks("a\r\nb\nc\rd"), 3);
        assert_eq!(line_breaks("\r\r\n\n"), 3);
        assert_eq!(line_breaks("abc"), 0);
    }
}
