//! CSV text as it streams in from a file, checked on its way to the CSV parser: UTF-8 without NUL
//! bytes, no quoted field left open, no record longer than [`MAX_RECORD_BYTES`], and the line on
//! which each record starts. Reading streams, so that a file of any size takes memory for a few
//! records, not for the file; and a line that never ends is refused once it passes the limit, not
//! once it is all in memory.

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read};

/// The most bytes one record (one line, or several lines of a quoted field) may take.
pub const MAX_RECORD_BYTES: u64 = 1 << 20;
/// The most bytes one cell may take.
pub const MAX_CELL_BYTES: usize = 64 * 1024;
/// The most columns a file's header may name.
pub const MAX_COLUMNS: usize = 500;

/// The names of a CSV file's first line, trimmed and lower-cased, if it reads as CSV: what a
/// file's beginning is recognised by (a platform's report, one of the book's own files).
pub fn first_line_names(bytes: &[u8]) -> Option<Vec<String>> {
    let bytes = bytes.strip_prefix(crate::encodings::UTF8_BOM).unwrap_or(bytes);
    let mut csv = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(bytes);
    let mut record = csv::StringRecord::new();
    match csv.read_record(&mut record) {
        Ok(true) => Some(record.iter().map(|h| h.trim().to_ascii_lowercase()).collect()),
        _ => None,
    }
}

/// A problem in the text itself, and the line it is on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextProblem {
    pub line: u64,
    pub message: String,
}

impl std::fmt::Display for TextProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

impl std::error::Error for TextProblem {}

/// Text read through the checks; a problem ends the reading with an I/O error carrying the
/// [`TextProblem`] (see [`CheckedText::problem`]).
pub struct CheckedText<R> {
    inner: BufReader<R>,
    /// The position of the next byte (after a byte-order mark, which is dropped).
    pos: u64,
    /// The line that position is on.
    line: u64,
    /// The bytes not yet passed by the records read that may be a record's first: the first
    /// after a line end (`\r` or `\n`) that is none. Where each is, and its line.
    record_firsts: VecDeque<(u64, u64)>,
    /// The last byte read, and whether it ended a line (or none was read yet).
    previous: Option<u8>,
    after_line_end: bool,
    in_quotes: bool,
    /// A quote inside a quoted field was the last byte read: the next decides whether it closes
    /// the field or is the first of an escaped pair.
    quote_pending: bool,
    quote_opened_on: u64,
    /// Where the record under way started, and on which line.
    record_start: (u64, u64),
    /// The first bytes of a character that the last read cut in two.
    utf8_tail: Vec<u8>,
    problem: Option<TextProblem>,
}

impl<R: Read> CheckedText<R> {
    pub fn new(inner: R) -> CheckedText<R> {
        let mut inner = BufReader::with_capacity(64 * 1024, inner);
        if inner.fill_buf().is_ok_and(|b| b.starts_with(b"\xEF\xBB\xBF")) {
            inner.consume(3);
        }
        CheckedText {
            inner,
            pos: 0,
            line: 1,
            record_firsts: VecDeque::new(),
            previous: None,
            after_line_end: true,
            in_quotes: false,
            quote_pending: false,
            quote_opened_on: 0,
            record_start: (0, 1),
            utf8_tail: Vec::new(),
            problem: None,
        }
    }

    /// How many lines the text read so far holds (at its end, the file's).
    pub fn lines(&self) -> u64 {
        self.line
    }

    /// The problem that ended the reading, if one did.
    pub fn problem(&self) -> Option<&TextProblem> {
        self.problem.as_ref()
    }

    /// The line on which the record that starts at byte `start` begins: the line of its first
    /// byte that ends no line (a record's position can be the rest of the line end before it,
    /// or blank lines that the parser skips).
    pub fn line_at(&mut self, start: u64) -> u64 {
        while self.record_firsts.front().is_some_and(|&(at, _)| at < start) {
            self.record_firsts.pop_front();
        }
        self.record_firsts.front().map_or(self.line, |&(_, line)| line)
    }

    fn fail(&mut self, line: u64, message: impl Into<String>) -> std::io::Error {
        let problem = TextProblem { line, message: message.into() };
        self.problem = Some(problem.clone());
        std::io::Error::new(std::io::ErrorKind::InvalidData, problem)
    }

    /// The line of the byte at `at` in `chunk`, which starts at `self.pos`, before the chunk's
    /// lines are counted.
    fn line_in(&self, chunk: &[u8], at: usize) -> u64 {
        self.line + memchr::memchr_iter(b'\n', &chunk[..at]).count() as u64
    }

    /// Checks `chunk`, the bytes that follow those checked before, and counts its lines.
    fn check(&mut self, chunk: &[u8]) -> std::io::Result<()> {
        // The first problem in the text, wherever the reads cut it.
        let nul = memchr::memchr(0, chunk);
        let not_utf8 = self.check_utf8(chunk);
        let first = match (nul, not_utf8) {
            (Some(nul), Some(bad)) if bad <= nul => Some((bad, "the file is not UTF-8 text")),
            (Some(nul), _) => Some((nul, "the file is binary, not CSV text (it holds NUL bytes)")),
            (None, Some(bad)) => Some((bad, "the file is not UTF-8 text")),
            (None, None) => None,
        };
        if let Some((at, problem)) = first {
            let line = self.line_in(chunk, at);
            return Err(self.fail(line, problem));
        }
        let mut events = memchr::memchr3_iter(b'"', b'\n', b'\r', chunk);
        let mut i = 0;
        while i < chunk.len() {
            let byte = chunk[i];
            let line_end = matches!(byte, b'\r' | b'\n');
            if self.after_line_end && !line_end {
                self.record_firsts.push_back((self.pos + i as u64, self.line));
            }
            self.after_line_end = line_end;
            if self.quote_pending {
                self.quote_pending = false;
                if byte == b'"' {
                    // An escaped quote: both bytes are text.
                    self.previous = Some(byte);
                    i += 1;
                    continue;
                }
                self.in_quotes = false;
            }
            match byte {
                b'"' if self.in_quotes => self.quote_pending = true,
                b'"' if matches!(self.previous, None | Some(b',' | b'\n' | b'\r')) => {
                    self.in_quotes = true;
                    self.quote_opened_on = self.line;
                }
                b'\n' => {
                    self.line += 1;
                    if !self.in_quotes {
                        self.record_start = (self.pos + i as u64 + 1, self.line);
                    }
                }
                _ => {}
            }
            self.previous = Some(byte);
            // Jump to the next quote or line end: the bytes between change nothing but what the
            // byte before the next is, and whether one that starts a line is a record's first.
            let next = loop {
                match events.next() {
                    Some(e) if e <= i => continue,
                    Some(e) => break e,
                    None => break chunk.len(),
                }
            };
            if next > i + 1 {
                if self.after_line_end {
                    self.record_firsts.push_back((self.pos + i as u64 + 1, self.line));
                    self.after_line_end = false;
                }
                if self.quote_pending {
                    // The byte after a quote in a quoted field is no quote: the field closed.
                    self.quote_pending = false;
                    self.in_quotes = false;
                }
                self.previous = Some(chunk[next - 1]);
            }
            i = next;
        }
        self.pos += chunk.len() as u64;
        let (start, line) = self.record_start;
        if self.pos - start > MAX_RECORD_BYTES {
            return Err(self.fail(
                line,
                format!(
                    "the line is longer than {} MiB, the most Matchbook reads as one row (a quote left open?)",
                    MAX_RECORD_BYTES >> 20
                ),
            ));
        }
        Ok(())
    }

    /// Where `chunk` stops being UTF-8 text (0 for a character the chunk before began), if it
    /// does; a character that it cuts in two at its end is kept for the next chunk.
    fn check_utf8(&mut self, mut chunk: &[u8]) -> Option<usize> {
        let mut taken = 0;
        if !self.utf8_tail.is_empty() {
            let need = utf8_len(self.utf8_tail[0]).saturating_sub(self.utf8_tail.len());
            taken = need.min(chunk.len());
            self.utf8_tail.extend_from_slice(&chunk[..taken]);
            chunk = &chunk[taken..];
            // Bytes that cannot go on a character are wrong at once, whatever follows.
            if self.utf8_tail[1..].iter().any(|b| !(0x80..=0xBF).contains(b)) {
                return Some(0);
            }
            if self.utf8_tail.len() < utf8_len(self.utf8_tail[0]) {
                return None; // still cut: the chunk was tiny
            }
            if std::str::from_utf8(&self.utf8_tail).is_err() {
                return Some(0);
            }
            self.utf8_tail.clear();
        }
        let e = std::str::from_utf8(chunk).err()?;
        let valid = e.valid_up_to();
        match e.error_len() {
            None => {
                self.utf8_tail.extend_from_slice(&chunk[valid..]);
                None
            }
            Some(_) => Some(taken + valid),
        }
    }

    /// Checks what only the end of the text can tell.
    fn check_end(&mut self) -> std::io::Result<()> {
        if !self.utf8_tail.is_empty() {
            return Err(self.fail(self.line, "the file is not UTF-8 text"));
        }
        if self.in_quotes && !self.quote_pending {
            return Err(self.fail(self.quote_opened_on, "a quoted field is never closed (unterminated quote)"));
        }
        Ok(())
    }
}

/// How many bytes a UTF-8 character whose first byte is `first` takes (1 for a stray byte,
/// which the check then refuses).
fn utf8_len(first: u8) -> usize {
    match first {
        0xC0..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF7 => 4,
        _ => 1,
    }
}

impl<R: Read> Read for CheckedText<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if let Some(problem) = &self.problem {
            return Err(std::io::Error::new(std::io::ErrorKind::InvalidData, problem.clone()));
        }
        let n = self.inner.read(buf)?;
        if n == 0 {
            self.check_end()?;
            return Ok(0);
        }
        self.check(&buf[..n])?;
        Ok(n)
    }
}

/// Where and why a read of `csv` failed: the problem the checks found in the text, with its line,
/// or else the CSV parser's own error.
pub fn read_failure<R: Read>(csv: &mut csv::Reader<CheckedText<R>>, e: csv::Error) -> (Option<u64>, String) {
    match csv.get_ref().problem() {
        Some(problem) => (Some(problem.line), problem.message.clone()),
        None => (e.position().map(|p| csv.get_mut().line_at(p.byte())), format!("not valid CSV: {e}")),
    }
}

/// The [`TextProblem`] an I/O error from a [`CheckedText`] carries, if it does.
pub fn problem_of(e: &std::io::Error) -> Option<&TextProblem> {
    e.get_ref().and_then(|inner| inner.downcast_ref::<TextProblem>())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads `text` through the checks in chunks of `chunk` bytes, and the line of each record.
    fn read(text: &[u8], chunk: usize) -> Result<Vec<u64>, TextProblem> {
        struct Chunks<'a>(&'a [u8], usize);
        impl Read for Chunks<'_> {
            fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                let n = self.1.min(buf.len()).min(self.0.len());
                buf[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        let checked = CheckedText::new(Chunks(text, chunk));
        let mut csv = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(checked);
        let mut record = csv::ByteRecord::new();
        let mut lines = Vec::new();
        loop {
            match csv.read_byte_record(&mut record) {
                Ok(false) => return Ok(lines),
                Ok(true) => {
                    let start = record.position().map_or(0, |p| p.byte());
                    lines.push(csv.get_mut().line_at(start));
                }
                Err(_) => return Err(csv.get_ref().problem().cloned().expect("a text problem")),
            }
        }
    }

    #[test]
    fn records_are_numbered_by_the_line_they_start_on() {
        for chunk in [1, 2, 3, 7, 64 * 1024] {
            let text = b"a,b\r\n1,2\r\n\r\n3,\"x\ny\"\n4,5\n\n\n6,\"\"\"q\"\"\"\n";
            assert_eq!(read(text, chunk).unwrap(), [1, 2, 4, 6, 9], "chunks of {chunk}");
            assert_eq!(read(b"\xEF\xBB\xBFa,b\n1,2", chunk).unwrap(), [1, 2]);
        }
    }

    #[test]
    fn bad_text_is_refused_with_its_line() {
        for chunk in [1, 2, 5, 64 * 1024] {
            let problem = |text: &[u8]| read(text, chunk).unwrap_err();
            assert_eq!(problem(b"a\nb\n\"open\nc\n").line, 3);
            assert!(problem(b"a\nb\n\"open\nc\n").message.contains("unterminated"));
            assert_eq!(problem(b"a\nb\0\n").line, 2);
            assert_eq!(problem(b"a\n\xE2\x82\n").line, 2, "a character cut short");
            assert_eq!(problem(b"a\nb\n\xff\n").line, 3);
            assert!(read("a,é,€,𝄞\n\"ünï\"\"cödé\"\n".as_bytes(), chunk).is_ok());
            // The first problem, however the text is cut (a fuzzer found a NUL two lines after
            // bad UTF-8 reported first when both came in one read).
            assert_eq!(problem(b"a\nb\xff\nc\nd\0\n").line, 2);
            assert!(problem(b"a\nb\xff\nc\nd\0\n").message.contains("UTF-8"));
            assert!(problem(b"a\nb\xe2\0\n").message.contains("UTF-8"), "a character cut by a NUL");
        }
    }

    #[test]
    fn a_line_that_never_ends_is_refused_past_the_limit_not_read_whole() {
        struct Endless(u64);
        impl Read for Endless {
            fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                assert!(self.0 < 4 * MAX_RECORD_BYTES, "read far past the limit");
                buf.fill(b'x');
                self.0 += buf.len() as u64;
                Ok(buf.len())
            }
        }
        let mut checked = CheckedText::new(std::io::Read::chain(&b"a,b\n1,2\n"[..], Endless(0)));
        let mut sink = Vec::new();
        let err = checked.read_to_end(&mut sink).unwrap_err();
        let problem = problem_of(&err).unwrap();
        assert_eq!(problem.line, 3);
        assert!(problem.message.contains("longer than 1 MiB"), "{problem}");
    }

    /// Where a byte-by-byte reading of RFC 4180 finds the first unterminated quote: the line it
    /// opens on.
    fn unterminated_quote_bytewise(bytes: &[u8]) -> Option<u64> {
        let (mut in_quotes, mut field_start, mut opened_at, mut line) = (false, true, 0, 1);
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            if b == b'\n' {
                line += 1;
            }
            if in_quotes {
                if b == b'"' {
                    if bytes.get(i + 1) == Some(&b'"') {
                        i += 1;
                    } else {
                        in_quotes = false;
                    }
                }
            } else {
                if b == b'"' && field_start {
                    in_quotes = true;
                    opened_at = line;
                }
                field_start = matches!(b, b',' | b'\n' | b'\r');
            }
            i += 1;
        }
        in_quotes.then_some(opened_at)
    }

    /// The line each record starts on, counted from the whole text at once: skip the line ends a
    /// record's position may start on, then count the line ends before.
    fn record_lines_from_the_whole_text(text: &[u8]) -> Vec<u64> {
        let mut csv = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text);
        let mut record = csv::ByteRecord::new();
        let mut lines = Vec::new();
        while csv.read_byte_record(&mut record).unwrap_or(false) {
            let mut start = record.position().map_or(0, |p| p.byte()) as usize;
            while matches!(text.get(start), Some(b'\r' | b'\n')) {
                start += 1;
            }
            lines.push(1 + memchr::memchr_iter(b'\n', &text[..start]).count() as u64);
        }
        lines
    }

    proptest::proptest! {
        /// Records are numbered as counting over the whole text numbers them, however it is cut.
        #[test]
        fn record_lines_are_those_of_the_whole_text(
            text in proptest::collection::vec(proptest::sample::select(vec![b'a', b'"', b',', b'\n', b'\r']), 0..60),
            chunk in 1usize..9,
        ) {
            if let Ok(lines) = read(&text, chunk) {
                proptest::prop_assert_eq!(lines, record_lines_from_the_whole_text(&text));
            }
        }

        /// Quotes are tracked as a byte-by-byte reading tracks them, however the text is cut.
        #[test]
        fn quotes_are_checked_as_a_bytewise_reading_checks_them(
            text in proptest::collection::vec(proptest::sample::select(vec![b'a', b'"', b',', b'\n', b'\r', b' ']), 0..40),
            chunk in 1usize..8,
        ) {
            let found = read(&text, chunk).err().map(|p| p.line);
            proptest::prop_assert_eq!(found, unterminated_quote_bytewise(&text));
        }
    }
}
