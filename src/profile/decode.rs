//! A file's bytes as text, in the encoding its profile says, refused with a reason (and the line)
//! rather than read as garbage; and [`sniff`], the wizard's first guess at a file's layout.

use super::Encoding;
use crate::encodings::{decode_utf16_lossy, utf16_byte_order, utf16_units, windows_1252_char, UTF8_BOM};
use crate::platforms::table::{self, Row};

/// The most bytes a file's text may take once decoded: 256 MiB.
pub const MAX_DECODED_BYTES: usize = 256 << 20;

/// `bytes` as text in `encoding`: UTF-8 (a byte-order mark dropped), UTF-16 (little- or
/// big-endian by its byte-order mark, little-endian without one) or Windows-1252. What is not
/// text in that encoding is refused, naming the line and what the file may be instead.
pub fn decode(bytes: &[u8], encoding: Encoding) -> Result<String, String> {
    decode_text(bytes, encoding).map_err(|(line, message)| match line {
        Some(line) => format!("line {line}: {message}"),
        None => message,
    })
}

/// [`decode`], with the line of the problem apart from its message.
pub(super) fn decode_text(bytes: &[u8], encoding: Encoding) -> Result<String, (Option<u64>, String)> {
    // UTF-16 takes two bytes a character at the least; the others one.
    let least = if encoding == Encoding::Utf16 { bytes.len() / 2 } else { bytes.len() };
    if least > MAX_DECODED_BYTES {
        return Err((None, too_large()));
    }
    let text = match encoding {
        Encoding::Utf8 => utf8(bytes)?,
        Encoding::Utf16 => utf16(bytes)?,
        Encoding::Windows1252 => windows_1252(bytes)?,
    };
    if text.len() > MAX_DECODED_BYTES {
        return Err((None, too_large()));
    }
    Ok(text)
}

fn too_large() -> String {
    format!("the file is larger than {} MiB, the most Matchbook reads as one file", MAX_DECODED_BYTES >> 20)
}

/// The line of the byte at `at` (lines end with `\n`).
fn line_of(bytes: &[u8], at: usize) -> u64 {
    1 + memchr::memchr_iter(b'\n', &bytes[..at.min(bytes.len())]).count() as u64
}

/// How many NUL bytes are at even and at odd places in the first 4 KiB: UTF-16 text of mostly
/// ASCII characters has one in every pair, on the side its byte order says.
fn nul_places(bytes: &[u8]) -> (usize, usize) {
    let sample = &bytes[..bytes.len().min(4096)];
    let even = sample.iter().step_by(2).filter(|&&b| b == 0).count();
    let odd = sample.iter().skip(1).step_by(2).filter(|&&b| b == 0).count();
    (even, odd)
}

/// Whether NUL bytes fill every other place, as in UTF-16 text of mostly ASCII characters.
fn looks_utf16(bytes: &[u8]) -> bool {
    let (even, odd) = nul_places(bytes);
    let pairs = bytes.len().min(4096) / 2;
    pairs > 0 && even.max(odd) * 2 >= pairs
}

/// Refuses text in an 8-bit encoding that holds NUL bytes, saying whether it is UTF-16.
fn check_no_nul(bytes: &[u8], encoding: Encoding) -> Result<(), (Option<u64>, String)> {
    let Some(at) = memchr::memchr(0, bytes) else { return Ok(()) };
    let message = if looks_utf16(bytes) {
        format!(
            "the file is UTF-16 text, not {}: every other byte is 0; set `encoding utf-16` in the profile",
            encoding.name()
        )
    } else {
        "the file is binary, not CSV text (it holds NUL bytes)".to_string()
    };
    Err((Some(line_of(bytes, at)), message))
}

fn utf8(bytes: &[u8]) -> Result<String, (Option<u64>, String)> {
    if utf16_byte_order(bytes).is_some() {
        return Err((Some(1), "the file starts with a UTF-16 byte-order mark: it is UTF-16 text, not UTF-8; set `encoding utf-16` in the profile".into()));
    }
    let bytes = bytes.strip_prefix(UTF8_BOM).unwrap_or(bytes);
    check_no_nul(bytes, Encoding::Utf8)?;
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(text.to_string()),
        Err(e) => {
            let at = e.valid_up_to();
            let byte = bytes.get(at).copied().unwrap_or(0);
            Err((
                Some(line_of(bytes, at)),
                format!(
                    "the file is not UTF-8 text (byte 0x{byte:02X} is no UTF-8 character there); a file that Excel or \
                     another Windows program saved is most likely windows-1252: set `encoding windows-1252` in the \
                     profile"
                ),
            ))
        }
    }
}

fn utf16(bytes: &[u8]) -> Result<String, (Option<u64>, String)> {
    if bytes.starts_with(UTF8_BOM) {
        return Err((Some(1), "the file starts with a UTF-8 byte-order mark: it is UTF-8 text, not UTF-16; set `encoding utf-8` in the profile".into()));
    }
    let big_endian = utf16_byte_order(bytes);
    let body = if big_endian.is_some() { &bytes[2..] } else { bytes };
    if body.len() % 2 == 1 {
        return Err((None, format!("the file is not UTF-16 text: its length ({} bytes) is odd", bytes.len())));
    }
    // ASCII characters (the separators, the line ends, digits) are a byte and a 0 in UTF-16:
    // text without a 0 is in another encoding, and read as UTF-16 would be garbage.
    if body.len() >= 4 && memchr::memchr(0, body).is_none() {
        let guess = if std::str::from_utf8(body).is_ok() { "utf-8" } else { "windows-1252" };
        return Err((
            None,
            format!(
                "the file is not UTF-16 text (no byte of it is 0, as its ASCII characters' would be); it reads as \
                 {guess}: set `encoding {guess}` in the profile"
            ),
        ));
    }
    if big_endian.is_none() {
        let (even, odd) = nul_places(body);
        if even > 2 * odd.max(1) {
            return Err((
                None,
                "the file looks like big-endian UTF-16 without a byte-order mark, which Matchbook cannot tell from \
                 little-endian; save it as UTF-16 with a byte-order mark (or as UTF-8)"
                    .into(),
            ));
        }
    }
    let big_endian = big_endian.unwrap_or(false);
    let units = utf16_units(body, big_endian);
    let mut text = String::with_capacity(body.len() / 2);
    let mut line = 1;
    for c in char::decode_utf16(units) {
        match c {
            Ok(c) => {
                if c == '\n' {
                    line += 1;
                }
                text.push(c);
            }
            Err(e) => {
                return Err((
                    Some(line),
                    format!(
                        "the file is not UTF-16 text: it holds half a character (0x{:04X} without its pair); is it \
                         cut short, or in another encoding?",
                        e.unpaired_surrogate()
                    ),
                ))
            }
        }
    }
    Ok(text.strip_prefix('\u{FEFF}').map(str::to_string).unwrap_or(text))
}

fn windows_1252(bytes: &[u8]) -> Result<String, (Option<u64>, String)> {
    if bytes.starts_with(UTF8_BOM) {
        return Err((Some(1), "the file starts with a UTF-8 byte-order mark: it is UTF-8 text, not windows-1252; set `encoding utf-8` in the profile".into()));
    }
    if utf16_byte_order(bytes).is_some() {
        return Err((Some(1), "the file starts with a UTF-16 byte-order mark: it is UTF-16 text, not windows-1252; set `encoding utf-16` in the profile".into()));
    }
    check_no_nul(bytes, Encoding::Windows1252)?;
    let mut length = 0usize;
    for (at, &byte) in bytes.iter().enumerate() {
        match windows_1252_char(byte) {
            Some(c) => length += c.len_utf8(),
            None => {
                return Err((
                    Some(line_of(bytes, at)),
                    format!(
                        "the file is not windows-1252 text: byte 0x{byte:02X} is no character in it; is the file \
                         UTF-8 (encoding utf-8)?"
                    ),
                ))
            }
        }
    }
    if length > MAX_DECODED_BYTES {
        return Err((None, too_large()));
    }
    let mut text = String::with_capacity(length);
    text.extend(bytes.iter().filter_map(|&b| windows_1252_char(b)));
    Ok(text)
}

/// The wizard's first guess at a file's layout; the treasurer confirms every part of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sniffed {
    pub encoding: Encoding,
    pub separator: u8,
    /// Lines before the header line.
    pub skip: usize,
    /// The header's names, as the file writes them (empty when no table was found).
    pub header: Vec<String>,
    /// Up to [`SNIFFED_ROWS`] rows after the header.
    pub rows: Vec<Vec<String>>,
}

/// How many rows after the header [`sniff`] returns.
pub const SNIFFED_ROWS: usize = 20;

/// The separators a profile may have, in the order a tie goes to.
const SEPARATORS: [u8; 4] = [b',', b';', b'\t', b'|'];

/// How many lines the separator is guessed from.
const SNIFFED_LINES: usize = 30;

/// Guesses a file's encoding (a byte-order mark or NUL bytes every other byte: UTF-16; valid
/// UTF-8: UTF-8; else Windows-1252), its separator (the one that splits the first lines into the
/// most equally long rows), its header (the first line as long as the table's rows: the lines
/// before are a preamble to skip) and shows its first rows. Never fails: what it cannot tell
/// stays at the defaults.
pub fn sniff(bytes: &[u8]) -> Sniffed {
    let encoding = if utf16_byte_order(bytes).is_some() || (!bytes.starts_with(UTF8_BOM) && looks_utf16(bytes)) {
        Encoding::Utf16
    } else if std::str::from_utf8(bytes).is_ok() {
        Encoding::Utf8
    } else {
        Encoding::Windows1252
    };
    let mut sniffed = Sniffed { encoding, separator: b',', skip: 0, header: Vec::new(), rows: Vec::new() };
    // The guess needs the first lines only.
    let text = decode_lossy(&bytes[..bytes.len().min(1 << 20)], encoding);
    let first_lines = lines_prefix(&text, SNIFFED_LINES);

    // The best separator's score (rows of the usual width, weighted by it), and its rows.
    let mut best: Option<(Score, u8)> = None;
    let mut best_rows = Vec::new();
    for separator in SEPARATORS {
        let rows = rows_of(first_lines, separator);
        let Some((width, count)) = usual_width(&rows) else { continue };
        let score = Score { weighted: count * (width - 1), count, width };
        if best.as_ref().is_none_or(|(s, _)| score > *s) {
            best = Some((score, separator));
            best_rows = rows;
        }
    }
    let (rows, Some((Score { width, .. }, separator))) = (best_rows, best) else {
        // No separator makes a table: the file's first line, as one cell, is all it shows.
        let rows = rows_of(first_lines, b',');
        if let Some(first) = rows.first() {
            sniffed.skip = (first.line as usize).saturating_sub(1);
            sniffed.header = first.cells.clone();
        }
        return sniffed;
    };
    sniffed.separator = separator;
    let Some(header) = rows.iter().find(|r| r.cells.len() == width) else { return sniffed };
    sniffed.skip = (header.line as usize).saturating_sub(1);
    sniffed.header = header.cells.clone();
    // The rows after the header, read from its line on: more lines than were sniffed.
    let from_header = nth_line_start(&text, sniffed.skip);
    let table = rows_of(lines_prefix(from_header, 2 * SNIFFED_ROWS + 10), separator);
    sniffed.rows = table.into_iter().skip(1).take(SNIFFED_ROWS).map(|r| r.cells).collect();
    sniffed
}

/// How well a separator splits the first lines into a table: the rows of the usual width
/// weighted by it (a decimal comma splits rows too, into fewer cells), then their count and width.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Score {
    weighted: usize,
    count: usize,
    width: usize,
}

/// The rows of `text` read with `separator`; when a quote left open by a cut (or a broken
/// line) makes that fail, the rows before the line it is on.
fn rows_of(text: &str, separator: u8) -> Vec<Row> {
    let mut text = text;
    for _ in 0..3 {
        match table::read_rows("sniffed", text.as_bytes(), separator) {
            Ok(rows) => return rows.rows,
            Err(e) => {
                let line = e.line.unwrap_or(1).saturating_sub(1) as usize;
                if line == 0 {
                    return Vec::new();
                }
                text = lines_prefix(text, line);
            }
        }
    }
    Vec::new()
}

/// The number of cells most rows have (at least 2; a tie goes to the wider), and how many do.
fn usual_width(rows: &[Row]) -> Option<(usize, usize)> {
    let mut counts: Vec<(usize, usize)> = Vec::new();
    for row in rows.iter().filter(|r| r.cells.len() >= 2) {
        match counts.iter_mut().find(|(width, _)| *width == row.cells.len()) {
            Some((_, count)) => *count += 1,
            None => counts.push((row.cells.len(), 1)),
        }
    }
    counts.into_iter().max_by_key(|&(width, count)| (count, width))
}

/// The first `n` lines of `text` (with their line ends).
fn lines_prefix(text: &str, n: usize) -> &str {
    if n == 0 {
        return "";
    }
    match memchr::memchr_iter(b'\n', text.as_bytes()).nth(n - 1) {
        Some(end) => &text[..=end],
        None => text,
    }
}

/// `text` from its line `n + 1` on (after `n` lines).
pub(super) fn nth_line_start(text: &str, n: usize) -> &str {
    if n == 0 {
        return text;
    }
    match memchr::memchr_iter(b'\n', text.as_bytes()).nth(n - 1) {
        Some(end) => &text[end + 1..],
        None => "",
    }
}

/// `bytes` as text in `encoding`, what is not replaced by U+FFFD: good enough for a guess.
pub(super) fn decode_lossy(bytes: &[u8], encoding: Encoding) -> String {
    match encoding {
        Encoding::Utf8 => String::from_utf8_lossy(bytes.strip_prefix(UTF8_BOM).unwrap_or(bytes)).into_owned(),
        Encoding::Utf16 => {
            let order = utf16_byte_order(bytes);
            let body = if order.is_some() { &bytes[2..] } else { bytes };
            decode_utf16_lossy(body, order.unwrap_or(false))
        }
        Encoding::Windows1252 => {
            bytes.iter().map(|&b| windows_1252_char(b).unwrap_or(char::REPLACEMENT_CHARACTER)).collect()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const YOURCAUSE: &[u8] = include_bytes!("../../tests/data/profiles/yourcause-payouts.csv");
    const BANK: &[u8] = include_bytes!("../../tests/data/profiles/bank-statement.csv");
    const BANK_UTF16: &[u8] = include_bytes!("../../tests/data/profiles/bank-statement-utf16.csv");

    fn utf16le(text: &str, bom: bool) -> Vec<u8> {
        let mut bytes = if bom { vec![0xFF, 0xFE] } else { Vec::new() };
        bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        bytes
    }

    #[test]
    fn utf8_text_and_its_refusals() {
        assert_eq!(decode(b"\xEF\xBB\xBFa;b\n", Encoding::Utf8).unwrap(), "a;b\n");
        let e = decode(b"a;b\nZo\xEB;1\n", Encoding::Utf8).unwrap_err();
        assert!(e.starts_with("line 2: the file is not UTF-8 text (byte 0xEB"), "{e}");
        assert!(e.contains("encoding windows-1252"), "{e}");
        assert!(decode(&utf16le("a,b\n", true), Encoding::Utf8).unwrap_err().contains("encoding utf-16"));
        let e = decode(&utf16le("a,b\n1,2\n", false), Encoding::Utf8).unwrap_err();
        assert!(e.contains("is UTF-16 text") && e.contains("encoding utf-16"), "{e}");
        assert!(decode(b"a,b\n\0\n", Encoding::Utf8).unwrap_err().contains("binary"));
    }

    #[test]
    fn utf16_text_by_its_byte_order_mark() {
        let text = "Date,Name\n2025-03-27,Zoë 𝄞\n";
        assert_eq!(decode(&utf16le(text, true), Encoding::Utf16).unwrap(), text);
        assert_eq!(decode(&utf16le(text, false), Encoding::Utf16).unwrap(), text);
        let mut be = vec![0xFE, 0xFF];
        be.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
        assert_eq!(decode(&be, Encoding::Utf16).unwrap(), text);
        assert!(decode(&be[2..], Encoding::Utf16).unwrap_err().contains("big-endian"));
        let mut odd = utf16le(text, true);
        odd.push(b'x');
        assert!(decode(&odd, Encoding::Utf16).unwrap_err().contains("odd"));
        let mut unpaired = utf16le("a,b\nc,", true);
        unpaired.extend([0x00, 0xD8, b'x', 0]);
        assert!(decode(&unpaired, Encoding::Utf16).unwrap_err().starts_with("line 2: the file is not UTF-16 text"));
        let e = decode(b"Date,Amount\n2025-03-27,1.00\n", Encoding::Utf16).unwrap_err();
        assert!(e.contains("encoding utf-8"), "{e}");
    }

    #[test]
    fn windows_1252_text_with_its_whole_table() {
        assert_eq!(decode(b"Zo\xEB \x80 \x9F \xA0\xFF", Encoding::Windows1252).unwrap(), "Zoë € Ÿ \u{A0}ÿ");
        for undefined in [0x81, 0x8D, 0x8F, 0x90, 0x9D] {
            let e = decode(&[b'a', b'\n', undefined], Encoding::Windows1252).unwrap_err();
            assert!(e.starts_with("line 2: the file is not windows-1252 text"), "{e}");
        }
        let all: Vec<u8> = (1..=255).filter(|b| ![0x81, 0x8D, 0x8F, 0x90, 0x9D].contains(b)).collect();
        assert_eq!(decode(&all, Encoding::Windows1252).unwrap().chars().count(), all.len());
        assert!(decode(b"\xEF\xBB\xBFa", Encoding::Windows1252).unwrap_err().contains("encoding utf-8"));
    }

    #[test]
    fn sniffs_the_samples() {
        let yourcause = sniff(YOURCAUSE);
        assert_eq!(
            (yourcause.encoding, yourcause.separator, yourcause.skip),
            (Encoding::Windows1252, b';', 2),
            "{yourcause:#?}"
        );
        assert_eq!(yourcause.header[..3], ["Payment Date", "Batch", "Payment ID"]);
        assert_eq!(yourcause.rows.len(), 8);
        assert_eq!(yourcause.rows[0][6], "Zoë Example");
        for (bytes, encoding) in [(BANK, Encoding::Utf8), (BANK_UTF16, Encoding::Utf16)] {
            let bank = sniff(bytes);
            assert_eq!((bank.encoding, bank.separator, bank.skip), (encoding, b',', 0), "{bank:#?}");
            assert_eq!(bank.header, ["Date", "Description", "Reference", "Debit", "Credit", "Balance"]);
            assert_eq!(bank.rows.len(), 9);
            assert_eq!(bank.rows[1][4], "5,000.00");
        }
    }

    #[test]
    fn sniffing_never_fails() {
        for bytes in [&b""[..], b"\n\n", b"just one line", b"\xFF\xFE", b"a;b|c\n\"open\n", b"\0\0\0"] {
            let _ = sniff(bytes);
        }
        let tabs = sniff(b"Title\n\nName\tAmount\tDate\nA\t1\t2025-01-01\nB\t2\t2025-01-02\n");
        assert_eq!((tabs.separator, tabs.skip, tabs.rows.len()), (b'\t', 2, 2), "{tabs:#?}");
    }
}
