//! Bank and credit-card statements in OFX (Open Financial Exchange; Quicken's QFX is the same
//! format), the file most banks offer for download, read so that deposits can be matched with the
//! platforms' payouts. Both forms are read:
//!
//! - OFX 1.x: a header of `KEY:VALUE` lines (`OFXHEADER:100`, `DATA:OFXSGML`, `CHARSET:1252`, ...),
//!   then SGML, whose elements holding a value usually have no closing tag (`<TRNAMT>-12.50`);
//! - OFX 2.x: an XML prolog and `<?OFX ...?>`, then XML, every element closed.
//!
//! Every statement (`STMTRS` of a bank account, `CCSTMTRS` of a credit card) becomes a
//! [`Statement`]: its account, currency, period, transactions and balances. What does not add up to
//! a statement Matchbook can trust is refused, with the file, the line and the element named: a
//! truncated file, a transaction without its id, date or amount, a value that is not a date or an
//! amount, a FITID given twice, an amount in another currency than the statement's (Matchbook never
//! guesses an exchange rate).
//!
//! The reader is hand-written and takes two passes over the text: the first checks the structure
//! and settles which SGML elements without a closing tag are empty (an empty element and an
//! aggregate look the same until the aggregate's closing tag comes, or does not), the second reads
//! the statements. Both are linear in the file's size, and nothing a file says makes the reader hold
//! more than the file's text, a bit per element and the statements it returns: values, tags and
//! nesting are limited.

use crate::encodings::{decode_utf16_lossy, decode_windows_1252, utf16_byte_order, utf16_units, UTF8_BOM};
use crate::ledger::LedgerError;
use crate::model::Date;
use crate::money::{self, Cents, Currency};
use std::borrow::Cow;
use std::collections::HashMap;

/// One statement of one account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    /// The line of its `<STMTRS>` or `<CCSTMTRS>` (1-based).
    pub line: u64,
    /// `ACCTID`, as the bank gives it (often partly masked).
    pub account: String,
    /// `CURDEF`.
    pub currency: Currency,
    /// `DTSTART` and `DTEND` of the transaction list.
    pub start: Option<Date>,
    pub end: Option<Date>,
    pub transactions: Vec<Transaction>,
    /// `LEDGERBAL`: the balance at the end of the statement.
    pub ledger_balance: Option<Balance>,
    /// `AVAILBAL`: what could be drawn then.
    pub available_balance: Option<Balance>,
}

/// A balance and the day it was taken (`BALAMT`, `DTASOF`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Balance {
    /// The line of its `<LEDGERBAL>` or `<AVAILBAL>`.
    pub line: u64,
    pub amount: Cents,
    pub date: Date,
}

/// One transaction (`STMTTRN`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transaction {
    /// The line of its `<STMTTRN>`.
    pub line: u64,
    /// `FITID`: the bank's id of the transaction, unique within the account.
    pub fitid: String,
    /// `TRNTYPE`: CREDIT, DEBIT, XFER, CHECK, SRVCHG, ...
    pub kind: String,
    /// `DTPOSTED`, the day as the bank wrote it (the time and time zone are dropped).
    pub date: Date,
    /// `TRNAMT`: money into the account is positive, money out negative.
    pub amount: Cents,
    pub currency: Currency,
    /// `NAME`, or `PAYEE`'s `NAME`.
    pub name: String,
    pub memo: String,
    /// `REFNUM`, else `CHECKNUM`, else empty.
    pub reference: String,
}

/// The most bytes one element's value may take.
pub const MAX_VALUE_BYTES: usize = 64 * 1024;
/// The most aggregates that may be open inside one another.
pub const MAX_DEPTH: usize = 32;
/// The most bytes of an element's name (OFX's are at most 32).
const MAX_NAME_BYTES: usize = 64;
/// The most bytes of a tag, from `<` to `>`.
const MAX_TAG_BYTES: usize = 1024;
/// The most elements open at once while the structure is checked, counting the SGML elements
/// without a closing tag that turn out to be empty.
const MAX_OPEN: usize = 256;
/// The most bytes of the SGML header.
const MAX_HEADER_BYTES: usize = 64 * 1024;
/// The most problems reported: past these, the file is too broken for more to help.
const MAX_ERRORS: usize = 100;
/// How far into a file [`is_ofx`] looks for `<?OFX` or `<OFX>` after an XML prolog.
const SNIFF_BYTES: usize = 8 * 1024;

/// Whether a file's first bytes look like OFX: an SGML header (`OFXHEADER:`) or an XML prolog
/// followed by `<?OFX` or `<OFX>`, after a byte-order mark and white space.
pub fn is_ofx(start_of_file: &[u8]) -> bool {
    let decoded;
    let bytes = match utf16_byte_order(start_of_file) {
        Some(big_endian) => {
            let window = &start_of_file[2..start_of_file.len().min(2 + 2 * SNIFF_BYTES)];
            decoded = decode_utf16_lossy(window, big_endian);
            decoded.as_bytes()
        }
        None => start_of_file.strip_prefix(UTF8_BOM).unwrap_or(start_of_file),
    };
    let start = bytes.iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(bytes.len());
    let rest = &bytes[start..];
    if starts_with_ignoring_case(rest, b"OFXHEADER:") {
        return true;
    }
    if !rest.starts_with(b"<?xml") {
        return false;
    }
    let window = &rest[..rest.len().min(SNIFF_BYTES)];
    memchr::memmem::find(window, b"<?OFX").is_some() || memchr::memmem::find(window, b"<OFX>").is_some()
}

/// Reads every bank and credit-card statement of an OFX file. Every problem names the file, the
/// line and, where there is one, the element (in `column`).
pub fn read(file: &str, bytes: &[u8]) -> Result<Vec<Statement>, Vec<LedgerError>> {
    let (text, form, body) = decode(file, bytes).map_err(|e| vec![e])?;
    let empty = check_structure(&mut Tokens::new(file, &text, form, body)).map_err(|e| vec![e])?;
    read_statements(&mut Tokens::new(file, &text, form, body), &empty)
}

fn problem(file: &str, line: Option<u64>, column: Option<&str>, message: impl Into<String>) -> LedgerError {
    LedgerError { file: file.into(), line, column: column.map(str::to_string), message: message.into() }
}

// ---------------------------------------------------------------------------------------------
// Bytes to text.

/// The two forms of OFX.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Form {
    Sgml,
    Xml,
}

/// How the bytes after the header are to be decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Encoding {
    Utf8,
    Windows1252,
    /// A character set Matchbook has no table for, as the header names it: the file is read only
    /// if it is all ASCII, which every one of them agrees on.
    Unknown(String),
}

/// The file as text, its form, and where its body starts (the first `<` after an SGML header, the
/// XML prolog).
fn decode(file: &str, bytes: &[u8]) -> Result<(String, Form, usize), LedgerError> {
    if let Some(big_endian) = utf16_byte_order(bytes) {
        let units = &bytes[2..];
        if !units.len().is_multiple_of(2) {
            let message = "the file is UTF-16 text that ends in the middle of a character: it is truncated";
            return Err(problem(file, None, None, message));
        }
        let mut text = String::with_capacity(units.len() / 2);
        for c in char::decode_utf16(utf16_units(units, big_endian)) {
            match c {
                Ok(c) => text.push(c),
                Err(_) => {
                    let line = line_of(text.as_bytes(), text.len());
                    return Err(problem(file, Some(line), None, "the file is not valid UTF-16 text"));
                }
            }
        }
        // The header's own encoding is moot: the byte-order mark said how to read the file.
        let (form, body, _) = recognise(file, text.as_bytes())?;
        check_no_nul(file, &text)?;
        return Ok((text, form, body));
    }
    let bytes = bytes.strip_prefix(UTF8_BOM).unwrap_or(bytes);
    let (form, body, encoding) = recognise(file, bytes)?;
    let text = match encoding {
        Encoding::Utf8 => match std::str::from_utf8(bytes) {
            Ok(text) => text.to_string(),
            Err(e) => {
                let line = line_of(bytes, e.valid_up_to());
                return Err(problem(file, Some(line), None, "the file is not UTF-8 text, as its header says it is"));
            }
        },
        Encoding::Windows1252 => decode_windows_1252(bytes).map_err(|at| {
            problem(
                file,
                Some(line_of(bytes, at)),
                None,
                format!(
                    "byte 0x{:02X} is no Windows-1252 character, as the header says the file's are \
                     (is the file UTF-8 text?)",
                    bytes[at]
                ),
            )
        })?,
        Encoding::Unknown(name) => match bytes.iter().position(|b| !b.is_ascii()) {
            None => String::from_utf8_lossy(bytes).into_owned(),
            Some(at) => {
                return Err(problem(
                    file,
                    Some(line_of(bytes, at)),
                    None,
                    format!(
                        "the file is in the character set {name}, which Matchbook does not read \
                         (it reads UTF-8, Windows-1252 and ISO-8859-1)"
                    ),
                ))
            }
        },
    };
    check_no_nul(file, &text)?;
    Ok((text, form, body))
}

fn check_no_nul(file: &str, text: &str) -> Result<(), LedgerError> {
    match memchr::memchr(0, text.as_bytes()) {
        None => Ok(()),
        Some(at) => Err(problem(
            file,
            Some(line_of(text.as_bytes(), at)),
            None,
            "the file holds NUL bytes: it is binary, not OFX text",
        )),
    }
}

/// The line of the byte at `at` (a line ends with `\n`, `\r\n` or a lone `\r`).
fn line_of(bytes: &[u8], at: usize) -> u64 {
    let mut counter = LineCounter::default();
    counter.line_at(bytes, at)
}

/// Lines counted as reading goes forward, each byte once.
#[derive(Debug, Clone, Copy)]
struct LineCounter {
    /// Lines are counted up to this byte.
    counted: usize,
    /// The line of that byte.
    line: u64,
}

impl Default for LineCounter {
    fn default() -> Self {
        LineCounter { counted: 0, line: 1 }
    }
}

impl LineCounter {
    /// The line of the byte at `at`, which is not before the last one asked about.
    fn line_at(&mut self, bytes: &[u8], at: usize) -> u64 {
        let at = at.min(bytes.len());
        if at > self.counted {
            for i in memchr::memchr2_iter(b'\n', b'\r', &bytes[self.counted..at]) {
                let i = self.counted + i;
                if bytes[i] == b'\n' || bytes.get(i + 1) != Some(&b'\n') {
                    self.line += 1;
                }
            }
            self.counted = at;
        }
        self.line
    }
}

fn starts_with_ignoring_case(bytes: &[u8], prefix: &[u8]) -> bool {
    bytes.get(..prefix.len()).is_some_and(|start| start.eq_ignore_ascii_case(prefix))
}

/// Which form of OFX the bytes are, where the body starts and how the file says it is encoded.
fn recognise(file: &str, bytes: &[u8]) -> Result<(Form, usize, Encoding), LedgerError> {
    let start = bytes.iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(bytes.len());
    let rest = &bytes[start..];
    if starts_with_ignoring_case(rest, b"OFXHEADER:") {
        let (body, encoding) = sgml_header(file, bytes, start)?;
        return Ok((Form::Sgml, body, encoding));
    }
    if rest.starts_with(b"<?xml") {
        return Ok((Form::Xml, start, xml_encoding(file, bytes, start)?));
    }
    let line = line_of(bytes, start);
    let message = if rest.is_empty() {
        "the file is empty; an OFX file starts with OFXHEADER:100 or <?xml"
    } else {
        "this is not an OFX file: it starts neither with an OFX header (OFXHEADER:100) nor with <?xml"
    };
    Err(problem(file, Some(line), None, message))
}

/// Reads the SGML header, which starts at `start`: `KEY:VALUE` lines up to the first `<`. Returns
/// where the body starts and the encoding the header gives.
fn sgml_header(file: &str, bytes: &[u8], start: usize) -> Result<(usize, Encoding), LedgerError> {
    let mut lines = LineCounter::default();
    let first_line = lines.line_at(bytes, start);
    let window = &bytes[start..bytes.len().min(start + MAX_HEADER_BYTES + 1)];
    let Some(body) = memchr::memchr(b'<', window).map(|at| start + at) else {
        let line = line_of(bytes, bytes.len());
        let message = if window.len() > MAX_HEADER_BYTES {
            format!("the OFX header is longer than {} KiB: this is no OFX file", MAX_HEADER_BYTES / 1024)
        } else {
            "the file has an OFX header but no <OFX> after it: it is truncated".to_string()
        };
        return Err(problem(file, Some(line), None, message));
    };
    let header = &bytes[start..body];
    if let Some(at) = header.iter().position(|b| !b.is_ascii()) {
        let line = line_of(bytes, start + at);
        return Err(problem(file, Some(line), None, "the OFX header holds a byte that is not ASCII"));
    }
    // Lines of KEY:VALUE fields; some banks write them all on one line, apart by spaces.
    let mut fields: HashMap<String, (String, u64)> = HashMap::new();
    let mut line = first_line;
    let mut at = 0;
    while at < header.len() {
        let end = memchr::memchr2(b'\n', b'\r', &header[at..]).map_or(header.len(), |i| at + i);
        for field in header[at..end].split(|b| b.is_ascii_whitespace()).filter(|f| !f.is_empty()) {
            let field = String::from_utf8_lossy(field);
            let Some((key, value)) = field.split_once(':').filter(|(key, _)| !key.is_empty()) else {
                return Err(problem(
                    file,
                    Some(line),
                    None,
                    format!("the OFX header holds {field:?}, which is not KEY:VALUE"),
                ));
            };
            fields.insert(key.to_ascii_uppercase(), (value.to_ascii_uppercase(), line));
        }
        at = end;
        if header.get(at) == Some(&b'\r') {
            at += 1;
            if header.get(at) != Some(&b'\n') {
                line += 1;
            }
        }
        if header.get(at) == Some(&b'\n') {
            at += 1;
            line += 1;
        }
    }
    if let Some((data, line)) = fields.get("DATA").filter(|(data, _)| data != "OFXSGML") {
        let message = format!("the header says DATA:{data}; OFX 1 files say DATA:OFXSGML");
        return Err(problem(file, Some(*line), Some("DATA"), message));
    }
    if let Some((compression, line)) = fields.get("COMPRESSION").filter(|(c, _)| c != "NONE" && !c.is_empty()) {
        let message = format!("the file is compressed (COMPRESSION:{compression}), which Matchbook does not read");
        return Err(problem(file, Some(*line), Some("COMPRESSION"), message));
    }
    let value = |key: &str| fields.get(key).map(|(value, _)| value.as_str());
    let encoding = match (value("ENCODING"), value("CHARSET")) {
        (Some("UTF-8" | "UTF8"), _) => Encoding::Utf8,
        (_, None | Some("1252" | "NONE" | "" | "ISO-8859-1" | "8859-1" | "ISO8859-1" | "LATIN1" | "LATIN-1")) => {
            Encoding::Windows1252
        }
        (_, Some(other)) => Encoding::Unknown(format!("CHARSET:{other}")),
    };
    Ok((body, encoding))
}

/// The encoding the XML declaration at `start` gives (UTF-8 if it gives none).
fn xml_encoding(file: &str, bytes: &[u8], start: usize) -> Result<Encoding, LedgerError> {
    let window = &bytes[start..bytes.len().min(start + MAX_TAG_BYTES)];
    let Some(end) = memchr::memmem::find(window, b"?>") else {
        let line = line_of(bytes, start);
        return Err(problem(file, Some(line), None, "the XML declaration (<?xml ...?>) is never closed"));
    };
    let declaration = String::from_utf8_lossy(&window[..end]);
    let Some(after) = declaration.find("encoding").map(|at| &declaration[at + "encoding".len()..]) else {
        return Ok(Encoding::Utf8);
    };
    let after = after.trim_start().strip_prefix('=').unwrap_or("").trim_start();
    let name = match after.chars().next() {
        Some(quote @ ('"' | '\'')) => after[1..].split(quote).next().unwrap_or(""),
        _ => "",
    };
    Ok(match name.to_ascii_uppercase().as_str() {
        "UTF-8" | "UTF8" | "US-ASCII" | "USASCII" | "ASCII" => Encoding::Utf8,
        "WINDOWS-1252" | "CP1252" | "1252" | "ISO-8859-1" | "ISO8859-1" | "ISO_8859-1" | "LATIN1" | "LATIN-1" => {
            Encoding::Windows1252
        }
        _ => Encoding::Unknown(format!("encoding=\"{name}\"")),
    })
}

// ---------------------------------------------------------------------------------------------
// Text to tokens.

/// An element's name, in capitals (SGML's names ignore case; OFX's are all capitals).
#[derive(Clone, Copy, PartialEq, Eq)]
struct Name {
    bytes: [u8; MAX_NAME_BYTES],
    len: u8,
}

impl Name {
    fn new(bytes: &[u8]) -> Name {
        let mut name = Name { bytes: [0; MAX_NAME_BYTES], len: 0 };
        let len = bytes.len().min(MAX_NAME_BYTES);
        for (to, from) in name.bytes.iter_mut().zip(&bytes[..len]) {
            *to = from.to_ascii_uppercase();
        }
        name.len = len as u8;
        name
    }

    fn as_str(&self) -> &str {
        std::str::from_utf8(&self.bytes[..usize::from(self.len)]).unwrap_or("")
    }
}

impl std::fmt::Debug for Name {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

fn is_name_start(byte: u8) -> bool {
    byte.is_ascii_alphabetic() || byte == b'_'
}

fn is_name_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'.' | b'_' | b'-' | b':')
}

#[derive(Debug, Clone, Copy)]
enum Token<'t> {
    /// `<NAME>`, or `<NAME/>` (`empty`).
    Open {
        name: Name,
        line: u64,
        empty: bool,
    },
    Close {
        name: Name,
        line: u64,
    },
    /// Text between tags that is not all white space, trimmed.
    Text {
        raw: &'t str,
        line: u64,
    },
    End {
        line: u64,
    },
}

/// The tokens of a file's body, with the line of each. Comments and processing instructions are
/// skipped.
struct Tokens<'t> {
    file: &'t str,
    text: &'t str,
    form: Form,
    pos: usize,
    lines: LineCounter,
    peeked: Option<Token<'t>>,
}

impl<'t> Tokens<'t> {
    fn new(file: &'t str, text: &'t str, form: Form, body: usize) -> Tokens<'t> {
        Tokens { file, text, form, pos: body.min(text.len()), lines: LineCounter::default(), peeked: None }
    }

    fn fail(&self, line: u64, column: Option<&str>, message: impl Into<String>) -> LedgerError {
        problem(self.file, Some(line), column, message)
    }

    fn line_at(&mut self, at: usize) -> u64 {
        self.lines.line_at(self.text.as_bytes(), at)
    }

    fn peek(&mut self) -> Result<Token<'t>, LedgerError> {
        if let Some(token) = self.peeked {
            return Ok(token);
        }
        let token = self.read()?;
        self.peeked = Some(token);
        Ok(token)
    }

    fn next(&mut self) -> Result<Token<'t>, LedgerError> {
        match self.peeked.take() {
            Some(token) => Ok(token),
            None => self.read(),
        }
    }

    fn read(&mut self) -> Result<Token<'t>, LedgerError> {
        let text = self.text;
        let bytes = text.as_bytes();
        loop {
            let start = self.pos;
            let tag = memchr::memchr(b'<', &bytes[start..]).map_or(bytes.len(), |at| start + at);
            let between = &text[start..tag];
            let value = between.trim();
            if !value.is_empty() {
                let line = self.line_at(start + (between.len() - between.trim_start().len()));
                self.pos = tag;
                if value.len() > MAX_VALUE_BYTES {
                    let message =
                        format!("a value is longer than {} KiB, the most Matchbook reads", MAX_VALUE_BYTES / 1024);
                    return Err(self.fail(line, None, message));
                }
                return Ok(Token::Text { raw: value, line });
            }
            let line = self.line_at(tag);
            self.pos = tag;
            let rest = &bytes[tag..];
            if rest.is_empty() {
                return Ok(Token::End { line });
            }
            // Comments and processing instructions (the XML declaration, <?OFX ...?>) say nothing
            // about statements.
            for (open, close, what) in [(&b"<!--"[..], &b"-->"[..], "a comment (<!--)"), (&b"<?"[..], &b"?>"[..], "<?")]
            {
                if rest.starts_with(open) {
                    let Some(end) = memchr::memmem::find(&rest[open.len()..], close) else {
                        return Err(self.fail(line, None, format!("{what} opened on line {line} is never closed")));
                    };
                    self.pos = tag + open.len() + end + close.len();
                }
            }
            if self.pos != tag {
                continue;
            }
            if rest.starts_with(b"<!") {
                let shown: String = String::from_utf8_lossy(&rest[..rest.len().min(12)]).into_owned();
                return Err(self.fail(line, None, format!("{shown:?}... is markup that OFX does not use")));
            }
            let closing = rest.get(1) == Some(&b'/');
            let name_start = if closing { 2 } else { 1 };
            if !rest.get(name_start).copied().is_some_and(is_name_start) {
                let message = "a \"<\" starts no tag (text writes it as &lt;)";
                return Err(self.fail(line, None, message));
            }
            let name_len = rest[name_start..].iter().take_while(|&&b| is_name_byte(b)).count();
            if name_len > MAX_NAME_BYTES {
                let message = format!("a tag's name is longer than {MAX_NAME_BYTES} characters");
                return Err(self.fail(line, None, message));
            }
            let name = Name::new(&rest[name_start..name_start + name_len]);
            // What follows the name: white space, attributes (XML only), `/` of an empty element.
            let (mut at, mut quote, mut attributes, mut slash) = (name_start + name_len, None, false, false);
            let end = loop {
                let Some(&byte) = rest.get(at).filter(|_| at < MAX_TAG_BYTES) else { break None };
                match (quote, byte) {
                    (Some(q), _) => quote = (byte != q).then_some(q),
                    (None, b'>') => break Some(at),
                    (None, b'<') => break None,
                    (None, b'"' | b'\'') => (quote, attributes, slash) = (Some(byte), true, false),
                    (None, b'/') => slash = true,
                    (None, b) if b.is_ascii_whitespace() => {}
                    (None, _) => (attributes, slash) = (true, false),
                }
                at += 1;
            };
            let Some(end) = end else {
                let message = format!("the tag <{}{name:?} is never closed with \">\"", if closing { "/" } else { "" });
                return Err(self.fail(line, Some(name.as_str()), message));
            };
            if (closing && (attributes || slash)) || (attributes && self.form == Form::Sgml) {
                let shown = String::from_utf8_lossy(&rest[..=end]).into_owned();
                return Err(self.fail(line, Some(name.as_str()), format!("the tag {shown} is not an OFX tag")));
            }
            self.pos = tag + end + 1;
            return Ok(if closing { Token::Close { name, line } } else { Token::Open { name, line, empty: slash } });
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The first pass: structure.

/// The elements (by their order among opening tags) that hold nothing: SGML elements without a
/// closing tag and no value, and elements closed right after they open.
#[derive(Default)]
struct EmptyElements(Vec<u64>);

impl EmptyElements {
    fn insert(&mut self, ordinal: usize) {
        let word = ordinal / 64;
        if self.0.len() <= word {
            self.0.resize(word + 1, 0);
        }
        self.0[word] |= 1 << (ordinal % 64);
    }

    fn contains(&self, ordinal: usize) -> bool {
        self.0.get(ordinal / 64).is_some_and(|word| word & (1 << (ordinal % 64)) != 0)
    }
}

/// An element open while the structure is checked.
struct OpenElement {
    name: Name,
    line: u64,
    ordinal: usize,
    /// Something came inside it: an element (or, in SGML, anything).
    holds_elements: bool,
    /// XML: it holds text.
    holds_text: bool,
}

const OFX: &str = "OFX";

/// Checks that the elements nest, that the file is whole and that it is OFX, and settles which
/// elements are empty (see [`EmptyElements`]).
///
/// In SGML an element with no value and no closing tag is empty; the closing tag of an element
/// that encloses it shows it never had one. XML is read as XML: every element closed, in order.
fn check_structure(tokens: &mut Tokens) -> Result<EmptyElements, LedgerError> {
    let sgml = tokens.form == Form::Sgml;
    let mut open: Vec<OpenElement> = Vec::new();
    let mut empty = EmptyElements::default();
    let mut ordinal = 0;
    let mut root_seen = false;
    let mut root_closed_on: Option<u64> = None;
    // SGML: the element whose value was just read, which its closing tag may follow.
    let mut last_value: Option<Name> = None;
    // The element just opened, while nothing followed it.
    let mut just_opened: Option<usize> = None;
    loop {
        let token = tokens.next()?;
        if let (Some(closed_on), Token::Open { line, .. } | Token::Close { line, .. } | Token::Text { line, .. }) =
            (root_closed_on, token)
        {
            let message = format!("there is more after </OFX> (line {closed_on}): the file holds two files?");
            return Err(tokens.fail(line, None, message));
        }
        match token {
            Token::End { line } => {
                if !root_seen {
                    return Err(tokens.fail(line, None, "the file holds no <OFX> element: it is not an OFX file"));
                }
                // In SGML, elements that hold nothing yet may be empty ones rather than the
                // aggregate the file was cut in.
                let unclosed = if sgml { open.iter().rev().find(|e| e.holds_elements) } else { None };
                if let Some(element) = unclosed.or(open.last()) {
                    let message = format!(
                        "the file ends inside <{:?}> opened on line {}: it is truncated",
                        element.name, element.line
                    );
                    return Err(tokens.fail(element.line, Some(element.name.as_str()), message));
                }
                return Ok(empty);
            }
            Token::Open { name, line, empty: closed_at_once } => {
                if !root_seen && name.as_str() != OFX {
                    let message = format!("the file's first element is <{name:?}>, not <OFX>: it is not an OFX file");
                    return Err(tokens.fail(line, Some(name.as_str()), message));
                }
                root_seen = true;
                let this = ordinal;
                ordinal += 1;
                (last_value, just_opened) = (None, None);
                if let Some(parent) = open.last_mut() {
                    if parent.holds_text {
                        let message = format!(
                            "<{:?}> (line {}) holds a value but is not closed before <{name:?}>: XML closes every element",
                            parent.name, parent.line
                        );
                        return Err(tokens.fail(line, Some(parent.name.as_str()), message));
                    }
                    parent.holds_elements = true;
                }
                let is_root = open.is_empty();
                if closed_at_once {
                    if is_root {
                        return Err(tokens.fail(line, Some(OFX), "<OFX/> is empty: the file holds no statement"));
                    }
                    empty.insert(this);
                    continue;
                }
                if sgml {
                    if let Token::Text { .. } = tokens.peek()? {
                        tokens.next()?;
                        if is_root {
                            return Err(tokens.fail(line, Some(OFX), "<OFX> holds a value instead of elements"));
                        }
                        last_value = Some(name);
                        continue;
                    }
                }
                if open.len() >= MAX_OPEN {
                    let message = format!("more than {MAX_OPEN} elements are open at once, the most Matchbook reads");
                    return Err(tokens.fail(line, Some(name.as_str()), message));
                }
                open.push(OpenElement { name, line, ordinal: this, holds_elements: false, holds_text: false });
                just_opened = Some(this);
            }
            Token::Text { raw, line } => {
                (last_value, just_opened) = (None, None);
                match open.last_mut() {
                    Some(top) if !sgml && !top.holds_elements && !top.holds_text => top.holds_text = true,
                    Some(top) if !sgml => {
                        let shown: String = raw.chars().take(40).collect();
                        let message =
                            format!("<{:?}> (line {}) holds both elements and the text {shown:?}", top.name, top.line);
                        return Err(tokens.fail(line, Some(top.name.as_str()), message));
                    }
                    _ => {
                        let shown: String = raw.chars().take(40).collect();
                        let message = format!("the text {shown:?} is in no element");
                        return Err(tokens.fail(line, None, message));
                    }
                }
            }
            Token::Close { name, line } => {
                if sgml && last_value.take() == Some(name) {
                    continue;
                }
                let at = if sgml {
                    open.iter().rposition(|e| e.name == name)
                } else {
                    open.len().checked_sub(1).filter(|&top| open[top].name == name)
                };
                let Some(at) = at else {
                    let message = match open.last() {
                        Some(top) => format!(
                            "</{name:?}> on line {line} does not close <{:?}> opened on line {}",
                            top.name, top.line
                        ),
                        None => format!("</{name:?}> on line {line} closes no element"),
                    };
                    return Err(tokens.fail(line, Some(name.as_str()), message));
                };
                // SGML: the elements it encloses that are still open had no closing tag: empty.
                for element in &open[at + 1..] {
                    empty.insert(element.ordinal);
                }
                if just_opened == Some(open[at].ordinal) {
                    empty.insert(open[at].ordinal);
                }
                open.truncate(at);
                just_opened = None;
                if open.is_empty() {
                    root_closed_on = Some(line);
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The second pass: statements.

/// Reads the statements from tokens whose structure [`check_structure`] found right.
fn read_statements(tokens: &mut Tokens, empty: &EmptyElements) -> Result<Vec<Statement>, Vec<LedgerError>> {
    let mut reader = StatementReader::new(tokens.file);
    let mut ordinal = 0;
    let mut depth = 0;
    let mut last_value: Option<Name> = None;
    while reader.errors.len() < MAX_ERRORS {
        match tokens.next().map_err(|e| vec![e])? {
            Token::End { .. } => break,
            Token::Open { name, line, empty: closed_at_once } => {
                let this = ordinal;
                ordinal += 1;
                last_value = None;
                if closed_at_once || empty.contains(this) {
                    reader.value(name, line, "");
                    last_value = (!closed_at_once).then_some(name);
                } else if let Token::Text { raw, .. } = tokens.peek().map_err(|e| vec![e])? {
                    tokens.next().map_err(|e| vec![e])?;
                    reader.value(name, line, raw);
                    last_value = Some(name);
                } else {
                    depth += 1;
                    if depth > MAX_DEPTH {
                        let message = format!("elements nest deeper than {MAX_DEPTH}, the most Matchbook reads");
                        return Err(vec![tokens.fail(line, Some(name.as_str()), message)]);
                    }
                    reader.open(name.as_str(), line);
                }
            }
            Token::Close { name, .. } => {
                if last_value.take() == Some(name) {
                    continue;
                }
                depth = usize::saturating_sub(depth, 1);
                reader.close();
            }
            Token::Text { line, .. } => {
                return Err(vec![tokens.fail(line, None, "text is in no element")]);
            }
        }
    }
    reader.finish()
}

/// What an open aggregate is to the reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    /// Anything the reader does not read (what it holds is not read either).
    Other,
    Statement,
    Account,
    TransactionList,
    Transaction,
    Payee,
    /// `CURRENCY` (the amount is in that currency), or `ORIGCURRENCY` (the amount is in the
    /// statement's currency, converted by the bank from that one).
    Currency {
        original: bool,
    },
    Balance {
        available: bool,
    },
}

/// The role of an aggregate named `name` inside one of role `parent`.
fn role_of(name: &str, parent: Role) -> Role {
    match (name, parent) {
        ("STMTRS" | "CCSTMTRS", _) => Role::Statement,
        ("BANKACCTFROM" | "CCACCTFROM", Role::Statement) => Role::Account,
        ("BANKTRANLIST", Role::Statement) => Role::TransactionList,
        ("STMTTRN", Role::TransactionList) => Role::Transaction,
        ("PAYEE", Role::Transaction) => Role::Payee,
        ("CURRENCY", Role::Transaction) => Role::Currency { original: false },
        ("ORIGCURRENCY", Role::Transaction) => Role::Currency { original: true },
        ("LEDGERBAL", Role::Statement) => Role::Balance { available: false },
        ("AVAILBAL", Role::Statement) => Role::Balance { available: true },
        _ => Role::Other,
    }
}

/// An element's value as written, and its line.
#[derive(Debug, Clone)]
struct Field {
    value: String,
    line: u64,
}

#[derive(Default)]
struct StatementDraft {
    line: u64,
    currency: Option<Field>,
    account: Option<Field>,
    /// The line of its BANKTRANLIST.
    list: Option<u64>,
    start: Option<Field>,
    end: Option<Field>,
    transactions: Vec<(Transaction, Option<CurrencyDraft>)>,
    fitids: HashMap<String, u64>,
    ledger_balance: Option<Balance>,
    available_balance: Option<Balance>,
    /// A problem was found in it: it is not returned.
    failed: bool,
}

#[derive(Default)]
struct TransactionDraft {
    line: u64,
    kind: Option<Field>,
    posted: Option<Field>,
    amount: Option<Field>,
    fitid: Option<Field>,
    name: Option<Field>,
    payee: Option<Field>,
    memo: Option<Field>,
    refnum: Option<Field>,
    checknum: Option<Field>,
    currency: Option<CurrencyDraft>,
}

#[derive(Debug, Clone, Default)]
struct CurrencyDraft {
    line: u64,
    original: bool,
    symbol: Option<Field>,
    rate: Option<Field>,
}

#[derive(Default)]
struct BalanceDraft {
    line: u64,
    available: bool,
    amount: Option<Field>,
    date: Option<Field>,
}

/// Builds statements from the elements of the second pass.
struct StatementReader<'f> {
    file: &'f str,
    /// The roles of the open aggregates.
    frames: Vec<Role>,
    statement: Option<StatementDraft>,
    transaction: Option<TransactionDraft>,
    balance: Option<BalanceDraft>,
    statements: Vec<Statement>,
    errors: Vec<LedgerError>,
    /// The line of `<OFX>`.
    root_line: u64,
}

impl<'f> StatementReader<'f> {
    fn new(file: &'f str) -> StatementReader<'f> {
        StatementReader {
            file,
            frames: Vec::new(),
            statement: None,
            transaction: None,
            balance: None,
            statements: Vec::new(),
            errors: Vec::new(),
            root_line: 1,
        }
    }

    fn fail(&mut self, line: u64, column: &str, message: impl Into<String>) {
        if let Some(statement) = self.statement.as_mut() {
            statement.failed = true;
        }
        self.errors.push(problem(self.file, Some(line), Some(column), message));
    }

    fn parent(&self) -> Role {
        self.frames.last().copied().unwrap_or(Role::Other)
    }

    fn open(&mut self, name: &str, line: u64) {
        if self.frames.is_empty() {
            self.root_line = line;
        }
        let mut role = role_of(name, self.parent());
        match role {
            Role::Statement => {
                if let Some(outer) = &self.statement {
                    let message = format!("a statement inside the statement opened on line {}", outer.line);
                    self.fail(line, name, message);
                    role = Role::Other;
                } else {
                    self.statement = Some(StatementDraft { line, ..StatementDraft::default() });
                }
            }
            Role::TransactionList => {
                let first = self.statement.as_mut().and_then(|s| s.list.replace(line));
                if let Some(first) = first {
                    self.fail(
                        line,
                        name,
                        format!("the statement has a second BANKTRANLIST (the first is on line {first})"),
                    );
                }
            }
            Role::Transaction => self.transaction = Some(TransactionDraft { line, ..TransactionDraft::default() }),
            Role::Currency { original } => {
                let draft = CurrencyDraft { line, original, ..CurrencyDraft::default() };
                let before = self.transaction.as_mut().and_then(|t| t.currency.replace(draft));
                if let Some(before) = before {
                    let message = format!(
                        "the transaction has a second currency (the first, on line {}, is enough)",
                        before.line
                    );
                    self.fail(line, name, message);
                }
            }
            Role::Balance { available } => {
                self.balance = Some(BalanceDraft { line, available, ..BalanceDraft::default() });
            }
            Role::Account | Role::Payee | Role::Other => {}
        }
        self.frames.push(role);
    }

    fn close(&mut self) {
        let Some(role) = self.frames.pop() else { return };
        match role {
            Role::Transaction => self.finish_transaction(),
            Role::Balance { .. } => self.finish_balance(),
            Role::Statement => self.finish_statement(),
            _ => {}
        }
    }

    /// An element with a value (or an empty one).
    fn value(&mut self, name: Name, line: u64, raw: &str) {
        let name = name.as_str();
        let parent = self.parent();
        if role_of(name, parent) != Role::Other {
            // An aggregate the reader reads, written empty.
            if !raw.is_empty() {
                let shown: String = raw.chars().take(40).collect();
                self.fail(line, name, format!("<{name}> holds the value {shown:?} where OFX has elements"));
                return;
            }
            self.open(name, line);
            self.close();
            return;
        }
        let slot = match (parent, name) {
            (Role::Statement, "CURDEF") => self.statement.as_mut().map(|s| &mut s.currency),
            (Role::Account, "ACCTID") => self.statement.as_mut().map(|s| &mut s.account),
            (Role::TransactionList, "DTSTART") => self.statement.as_mut().map(|s| &mut s.start),
            (Role::TransactionList, "DTEND") => self.statement.as_mut().map(|s| &mut s.end),
            (Role::Transaction, _) => self.transaction.as_mut().and_then(|t| match name {
                "TRNTYPE" => Some(&mut t.kind),
                "DTPOSTED" => Some(&mut t.posted),
                "TRNAMT" => Some(&mut t.amount),
                "FITID" => Some(&mut t.fitid),
                "NAME" => Some(&mut t.name),
                "MEMO" => Some(&mut t.memo),
                "REFNUM" => Some(&mut t.refnum),
                "CHECKNUM" => Some(&mut t.checknum),
                _ => None,
            }),
            (Role::Payee, "NAME") => self.transaction.as_mut().map(|t| &mut t.payee),
            (Role::Currency { .. }, "CURSYM") => {
                self.transaction.as_mut().and_then(|t| t.currency.as_mut()).map(|c| &mut c.symbol)
            }
            (Role::Currency { .. }, "CURRATE") => {
                self.transaction.as_mut().and_then(|t| t.currency.as_mut()).map(|c| &mut c.rate)
            }
            (Role::Balance { .. }, "BALAMT") => self.balance.as_mut().map(|b| &mut b.amount),
            (Role::Balance { .. }, "DTASOF") => self.balance.as_mut().map(|b| &mut b.date),
            _ => None,
        };
        let Some(slot) = slot else { return };
        let outcome = match (&*slot, decode_entities(raw)) {
            (Some(first), _) => Err(format!("<{name}> is given twice here (also on line {})", first.line)),
            (None, Err(message)) => Err(message),
            (None, Ok(value)) => {
                *slot = Some(Field { value: value.into_owned(), line });
                Ok(())
            }
        };
        if let Err(message) = outcome {
            self.fail(line, name, message);
        }
    }

    /// The value of a required element, or a problem saying it is missing.
    fn required<'a>(&mut self, field: &'a Option<Field>, line: u64, name: &str, missing: &str) -> Option<&'a Field> {
        match field {
            Some(field) if !field.value.is_empty() => Some(field),
            _ => {
                self.fail(line, name, missing);
                None
            }
        }
    }

    fn date(&mut self, field: &Field, name: &str) -> Option<Date> {
        let date = parse_date(&field.value);
        if date.is_none() {
            let message = format!(
                "{:?} is not a date (OFX writes dates like 20250331 or 20250331120000.000[-5:EST])",
                field.value
            );
            self.fail(field.line, name, message);
        }
        date
    }

    fn amount(&mut self, field: &Field, name: &str) -> Option<Cents> {
        parse_amount(&field.value).map_err(|message| self.fail(field.line, name, message)).ok()
    }

    fn finish_transaction(&mut self) {
        let Some(draft) = self.transaction.take() else { return };
        let line = draft.line;
        let fitid = self.required(&draft.fitid, line, "FITID", "the transaction has no FITID (the bank's id for it)");
        let date = self
            .required(&draft.posted, line, "DTPOSTED", "the transaction has no DTPOSTED (its date)")
            .and_then(|f| self.date(f, "DTPOSTED"));
        let amount = self
            .required(&draft.amount, line, "TRNAMT", "the transaction has no TRNAMT (its amount)")
            .and_then(|f| self.amount(f, "TRNAMT"));
        let (Some(fitid), Some(date), Some(amount)) = (fitid, date, amount) else { return };
        let Some(statement) = self.statement.as_mut() else { return };
        if let Some(first) = statement.fitids.insert(fitid.value.clone(), draft.line) {
            let message = format!(
                "FITID {:?} is also the id of the transaction on line {first}; a bank gives every \
                 transaction of an account its own",
                fitid.value
            );
            let line = fitid.line;
            self.fail(line, "FITID", message);
            return;
        }
        let text = |field: &Option<Field>| field.as_ref().map(|f| f.value.clone());
        let transaction = Transaction {
            line: draft.line,
            fitid: fitid.value.clone(),
            kind: text(&draft.kind).unwrap_or_default(),
            date,
            amount,
            // Settled with the statement's currency, when the statement closes.
            currency: Currency::NONE,
            name: text(&draft.name).filter(|n| !n.is_empty()).or_else(|| text(&draft.payee)).unwrap_or_default(),
            memo: text(&draft.memo).unwrap_or_default(),
            reference: text(&draft.refnum)
                .filter(|r| !r.is_empty())
                .or_else(|| text(&draft.checknum))
                .unwrap_or_default(),
        };
        statement.transactions.push((transaction, draft.currency));
    }

    fn finish_balance(&mut self) {
        let Some(draft) = self.balance.take() else { return };
        let element = if draft.available { "AVAILBAL" } else { "LEDGERBAL" };
        let missing = |name: &str, what: &str| format!("the balance <{element}> has no {name} ({what})");
        let amount = self
            .required(&draft.amount, draft.line, "BALAMT", &missing("BALAMT", "its amount"))
            .and_then(|f| self.amount(f, "BALAMT"));
        let date = self
            .required(&draft.date, draft.line, "DTASOF", &missing("DTASOF", "its date"))
            .and_then(|f| self.date(f, "DTASOF"));
        let (Some(amount), Some(date)) = (amount, date) else { return };
        let Some(statement) = self.statement.as_mut() else { return };
        let slot = if draft.available { &mut statement.available_balance } else { &mut statement.ledger_balance };
        if let Some(first) = slot.replace(Balance { line: draft.line, amount, date }) {
            let message = format!("the statement has a second {element} (the first is on line {})", first.line);
            self.fail(draft.line, element, message);
        }
    }

    fn finish_statement(&mut self) {
        let Some(draft) = self.statement.take() else { return };
        // Problems are pinned to the statement from here on.
        let mut failed = draft.failed;
        let mut fail = |errors: &mut Vec<LedgerError>, line: u64, column: &str, message: String| {
            failed = true;
            errors.push(problem(self.file, Some(line), Some(column), message));
        };
        let currency = match &draft.currency {
            Some(field) if !field.value.is_empty() => match field.value.parse::<Currency>() {
                Ok(currency) => Some(currency),
                Err(message) => {
                    fail(&mut self.errors, field.line, "CURDEF", message);
                    None
                }
            },
            _ => {
                fail(&mut self.errors, draft.line, "CURDEF", "the statement has no CURDEF (currency)".into());
                None
            }
        };
        let account = match &draft.account {
            Some(field) if !field.value.is_empty() => Some(field.value.clone()),
            _ => {
                let message = "the statement has no ACCTID (account number)".to_string();
                fail(&mut self.errors, draft.line, "ACCTID", message);
                None
            }
        };
        let mut period = [None, None];
        for (slot, (field, name)) in period.iter_mut().zip([(&draft.start, "DTSTART"), (&draft.end, "DTEND")]) {
            if let Some(field) = field.as_ref().filter(|f| !f.value.is_empty()) {
                *slot = parse_date(&field.value);
                if slot.is_none() {
                    let message = format!(
                        "{:?} is not a date (OFX writes dates like 20250331 or 20250331120000.000[-5:EST])",
                        field.value
                    );
                    fail(&mut self.errors, field.line, name, message);
                }
            }
        }
        let Some(currency) = currency else { return };
        let mut transactions = Vec::with_capacity(draft.transactions.len());
        for (mut transaction, currency_draft) in draft.transactions {
            match transaction_currency(currency, currency_draft.as_ref()) {
                Ok(in_currency) => transaction.currency = in_currency,
                Err((line, column, message)) => fail(&mut self.errors, line, column, message),
            }
            transactions.push(transaction);
        }
        let (Some(account), false) = (account, failed) else { return };
        self.statements.push(Statement {
            line: draft.line,
            account,
            currency,
            start: period[0],
            end: period[1],
            transactions,
            ledger_balance: draft.ledger_balance,
            available_balance: draft.available_balance,
        });
    }

    fn finish(mut self) -> Result<Vec<Statement>, Vec<LedgerError>> {
        if self.errors.is_empty() && self.statements.is_empty() {
            let message = "the file holds no bank or credit-card statement (no <STMTRS> or <CCSTMTRS>)";
            self.errors.push(problem(self.file, Some(self.root_line), Some(OFX), message));
        }
        if self.errors.is_empty() {
            return Ok(self.statements);
        }
        self.errors.sort_by_key(|e| e.line);
        Err(self.errors)
    }
}

/// The currency of a transaction's amount in a statement in `statement`: the statement's, unless
/// `CURRENCY` says otherwise. An amount that would have to be converted is refused: Matchbook never
/// guesses an exchange.
fn transaction_currency(
    statement: Currency,
    draft: Option<&CurrencyDraft>,
) -> Result<Currency, (u64, &'static str, String)> {
    let Some(draft) = draft else { return Ok(statement) };
    let element = if draft.original { "ORIGCURRENCY" } else { "CURRENCY" };
    let Some(symbol) = draft.symbol.as_ref().filter(|s| !s.value.is_empty()) else {
        return Err((draft.line, "CURSYM", format!("<{element}> has no CURSYM (currency)")));
    };
    let symbol_currency: Currency = symbol.value.parse().map_err(|m: String| (symbol.line, "CURSYM", m))?;
    let rate = match draft.rate.as_ref().filter(|r| !r.value.is_empty()) {
        None => None,
        Some(rate) => {
            let value = PlainNumber::parse(&rate.value)
                .ok_or_else(|| (rate.line, "CURRATE", format!("{:?} is not an exchange rate", rate.value)))?;
            Some((value, rate))
        }
    };
    if draft.original {
        // ORIGCURRENCY: the bank converted the amount into the statement's currency already.
        return Ok(statement);
    }
    match rate {
        Some((value, rate)) if !value.is_one() => Err((
            rate.line,
            "CURRATE",
            format!(
                "the amount is in {symbol_currency} at a rate of {} to the statement's {statement}; Matchbook \
                 does not convert currencies, so it cannot tell the amount in {statement}",
                rate.value
            ),
        )),
        None if symbol_currency != statement => Err((
            symbol.line,
            "CURSYM",
            format!(
                "the amount is in {symbol_currency}, not the statement's {statement}, and no rate (CURRATE) \
                 says what it is in {statement}; Matchbook does not guess an exchange"
            ),
        )),
        _ => Ok(symbol_currency),
    }
}

// ---------------------------------------------------------------------------------------------
// Values.

/// Text with its character references replaced: `&amp; &lt; &gt; &quot; &apos;`, `&#NN;` and
/// `&#xHH;`. An `&` that starts none of these is kept as it is (SGML files write `AT&T`).
fn decode_entities(raw: &str) -> Result<Cow<'_, str>, String> {
    if !raw.contains('&') {
        return Ok(Cow::Borrowed(raw));
    }
    let mut text = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(at) = rest.find('&') {
        text.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        // A reference is short: `&#x10FFFF;` is the longest.
        let end = after.bytes().take(10).position(|b| b == b';');
        let decoded = match end {
            Some(end) => entity(&after[..end])?.map(|c| (c, end + 1)),
            None => None,
        };
        match decoded {
            Some((c, length)) => {
                text.push(c);
                rest = &after[length..];
            }
            None => {
                text.push('&');
                rest = after;
            }
        }
    }
    text.push_str(rest);
    Ok(Cow::Owned(text))
}

/// The character a reference's name (between `&` and `;`) stands for, if it is one.
fn entity(name: &str) -> Result<Option<char>, String> {
    let number = match name {
        "amp" => return Ok(Some('&')),
        "lt" => return Ok(Some('<')),
        "gt" => return Ok(Some('>')),
        "quot" => return Ok(Some('"')),
        "apos" => return Ok(Some('\'')),
        _ => match name.strip_prefix('#') {
            Some(hex) if hex.starts_with(['x', 'X']) => (&hex[1..], 16),
            Some(decimal) => (decimal, 10),
            None => return Ok(None),
        },
    };
    let (digits, radix) = number;
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return Ok(None);
    }
    match u32::from_str_radix(digits, radix).ok().and_then(char::from_u32) {
        Some(c) if c != '\0' => Ok(Some(c)),
        _ => Err(format!("&{name}; is not a character")),
    }
}

/// An OFX date: `YYYYMMDD`, then optionally `HHMMSS` (or `HHMM`), `.XXX` and a time zone
/// (`[-5:EST]`, `[+1]`). Only the day is kept, as written: a deposit is on the day the bank says.
fn parse_date(text: &str) -> Option<Date> {
    let bytes = text.as_bytes();
    let digits = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
    let number = |range: std::ops::Range<usize>| {
        bytes.get(range)?.iter().try_fold(0u32, |n, &b| b.is_ascii_digit().then(|| n * 10 + u32::from(b - b'0')))
    };
    let mut rest = &bytes[digits..];
    match digits {
        8 => {}
        12 | 14 => {
            let (hours, minutes) = (number(8..10)?, number(10..12)?);
            let seconds = if digits == 14 { number(12..14)? } else { 0 };
            if hours > 23 || minutes > 59 || seconds > 60 {
                return None;
            }
            if let Some(fraction) = rest.strip_prefix(b".") {
                let fraction_digits = fraction.iter().take_while(|b| b.is_ascii_digit()).count();
                if digits != 14 || !(1..=6).contains(&fraction_digits) {
                    return None;
                }
                rest = &fraction[fraction_digits..];
            }
        }
        _ => return None,
    }
    if !rest.is_empty() && !is_time_zone(rest) {
        return None;
    }
    Date::from_ymd_opt(i32::try_from(number(0..4)?).ok()?, number(4..6)?, number(6..8)?)
}

/// `[-5:EST]`, `[+5.5:IST]`, `[0:GMT]`, `[+1]`.
fn is_time_zone(bytes: &[u8]) -> bool {
    let Some(inner) = bytes.strip_prefix(b"[").and_then(|b| b.strip_suffix(b"]")) else { return false };
    let (offset, zone) = match inner.iter().position(|&b| b == b':') {
        Some(colon) => (&inner[..colon], &inner[colon + 1..]),
        None => (inner, &b""[..]),
    };
    let offset = offset.strip_prefix(b"-").or_else(|| offset.strip_prefix(b"+")).unwrap_or(offset);
    let mut parts = offset.splitn(2, |&b| b == b'.');
    let whole = parts.next().unwrap_or_default();
    let fraction = parts.next().unwrap_or(b"0");
    let all_digits = |part: &[u8]| (1..=4).contains(&part.len()) && part.iter().all(u8::is_ascii_digit);
    all_digits(whole)
        && all_digits(fraction)
        && zone.len() <= 16
        && zone.iter().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'/' | b'+' | b'-'))
}

/// An OFX amount in cents: `-12.50`, `+100`, `1000.5`, or with a decimal comma (`12,50`) when it
/// has no dot. More than two decimals are refused unless the extra ones are zeros. Made in
/// integers, digit by digit: exact whatever the length of the text.
fn parse_amount(text: &str) -> Result<Cents, String> {
    let (negative, magnitude) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    let number = PlainNumber::parse(magnitude).ok_or_else(|| format!("{text:?} is not an amount"))?;
    if number.fraction.len() > 2 {
        return Err(format!("{text:?} has more than 2 decimals"));
    }
    let too_large = || format!("{text:?} is larger than any amount Matchbook reads");
    // 1,000,000,000.00 has ten digits before the point; a longer number is too large anyway.
    if number.whole.len() > 10 {
        return Err(too_large());
    }
    let digits = |text: &str| text.bytes().fold(0, |n: Cents, b| n * 10 + Cents::from(b - b'0'));
    let fraction = digits(number.fraction) * if number.fraction.len() == 1 { 10 } else { 1 };
    let cents = digits(number.whole) * 100 + fraction;
    if cents > money::MAX_AMOUNT {
        return Err(too_large());
    }
    Ok(if negative { -cents } else { cents })
}

/// A non-negative decimal as OFX writes it: digits with at most one decimal mark, a dot, or a
/// comma when there is no dot.
struct PlainNumber<'t> {
    /// The digits before the mark, without leading zeros.
    whole: &'t str,
    /// The digits after it, without trailing zeros.
    fraction: &'t str,
}

impl<'t> PlainNumber<'t> {
    fn parse(text: &'t str) -> Option<PlainNumber<'t>> {
        let mark = if text.contains('.') { '.' } else { ',' };
        let (whole, fraction) = text.split_once(mark).unwrap_or((text, ""));
        let all_digits = |part: &str| part.bytes().all(|b| b.is_ascii_digit());
        if (whole.is_empty() && fraction.is_empty()) || !all_digits(whole) || !all_digits(fraction) {
            return None;
        }
        Some(PlainNumber { whole: whole.trim_start_matches('0'), fraction: fraction.trim_end_matches('0') })
    }

    fn is_one(&self) -> bool {
        self.whole == "1" && self.fraction.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SGML_SAMPLE: &[u8] = include_bytes!("../tests/data/bank-statement.ofx");
    const XML_SAMPLE: &str = include_str!("../tests/data/bank-statement-v2.ofx");

    fn date(text: &str) -> Date {
        text.parse().unwrap()
    }

    fn usd() -> Currency {
        "USD".parse().unwrap()
    }

    /// (date, amount, fitid, name, memo, reference) of each transaction.
    fn summary(statement: &Statement) -> Vec<(Date, Cents, &str, &str, &str, &str)> {
        statement
            .transactions
            .iter()
            .map(|t| (t.date, t.amount, t.fitid.as_str(), t.name.as_str(), t.memo.as_str(), t.reference.as_str()))
            .collect()
    }

    /// The checking account's transactions, as both samples hold them.
    fn checking_account(statement: &Statement) {
        assert_eq!(statement.account, "000012345678");
        assert_eq!(statement.currency, usd());
        assert_eq!((statement.start, statement.end), (Some(date("2025-03-01")), Some(date("2025-04-30"))));
        assert_eq!(
            summary(statement),
            [
                (date("2025-03-03"), -1200, "20250303000001", "MONTHLY SERVICE FEE", "ACCOUNT MAINTENANCE FEE MAR", ""),
                (
                    date("2025-03-14"),
                    500_000,
                    "20250314000001",
                    "SLOAN FOUNDATION GRANT",
                    "ACH CREDIT GRANT G-2025-117",
                    ""
                ),
                (
                    date("2025-03-20"),
                    -1840,
                    "20250320000001",
                    "Café Luna",
                    "DEBIT CARD PURCHASE 0319 BOARD MEETING",
                    ""
                ),
                (
                    date("2025-03-31"),
                    266_880,
                    "20250331000001",
                    "BENEVITY FUND",
                    "ACH CREDIT AMERICAN ONLINE GIVING EXBANK778812",
                    ""
                ),
                (date("2025-04-01"), -1200, "20250401000001", "MONTHLY SERVICE FEE", "ACCOUNT MAINTENANCE FEE APR", ""),
                (date("2025-04-02"), -35_000, "20250402000001", "CHECK 1042", "", "1042"),
                (
                    date("2025-04-15"),
                    -150_000,
                    "20250415000001",
                    "ONLINE TRANSFER TO SAVINGS",
                    "TO XXXXXX9012",
                    "TRF0415A77"
                ),
                (
                    date("2025-04-30"),
                    94_452,
                    "20250430000001",
                    "BENEVITY FUND",
                    "ACH CREDIT AMERICAN ONLINE GIVING EXBANK781140",
                    ""
                ),
                (date("2025-04-30"), 137, "20250430000002", "INTEREST PAID", "", ""),
            ]
        );
        let kinds: Vec<&str> = statement.transactions.iter().map(|t| t.kind.as_str()).collect();
        assert_eq!(kinds, ["SRVCHG", "CREDIT", "POS", "CREDIT", "SRVCHG", "CHECK", "XFER", "CREDIT", "INT"]);
        assert!(statement.transactions.iter().all(|t| t.currency == usd()));
        let ledger = statement.ledger_balance.as_ref().unwrap();
        assert_eq!((ledger.amount, ledger.date), (1_920_254, date("2025-04-30")));
        let available = statement.available_balance.as_ref().unwrap();
        assert_eq!((available.amount, available.date), (1_920_254, date("2025-04-30")));
    }

    #[test]
    fn reads_the_sgml_sample() {
        assert!(is_ofx(SGML_SAMPLE));
        let statements = read("bank-statement.ofx", SGML_SAMPLE).unwrap();
        assert_eq!(statements.len(), 1);
        let statement = &statements[0];
        assert_eq!(statement.line, 34);
        checking_account(statement);
        let lines: Vec<u64> = statement.transactions.iter().map(|t| t.line).collect();
        assert_eq!(lines, [44, 52, 60, 68, 76, 84, 92, 101, 109]);
        assert_eq!(
            (statement.ledger_balance.as_ref().unwrap().line, statement.available_balance.as_ref().unwrap().line),
            (117, 121)
        );
    }

    #[test]
    fn reads_the_xml_sample_with_two_statements() {
        assert!(is_ofx(XML_SAMPLE.as_bytes()));
        let statements = read("bank-statement-v2.ofx", XML_SAMPLE.as_bytes()).unwrap();
        assert_eq!(statements.len(), 2);
        let (checking, card) = (&statements[0], &statements[1]);
        assert_eq!(checking.line, 25);
        checking_account(checking);
        assert_eq!(checking.transactions[0].line, 35);
        assert_eq!(card.line, 126);
        assert_eq!(card.account, "XXXXXXXXXXXX4242");
        assert_eq!((card.start, card.end), (Some(date("2025-03-01")), Some(date("2025-04-30"))));
        assert_eq!(
            summary(card),
            [
                (
                    date("2025-03-05"),
                    -8999,
                    "2025030524692163000000001",
                    "SMITH & SONS HARDWARE",
                    "SHELVING FOR THE LAB",
                    ""
                ),
                (
                    date("2025-03-12"),
                    -4217,
                    "2025031224692163000000002",
                    "EUROPA HOSTING GMBH",
                    "EUR 38.93 AT 1.0832",
                    ""
                ),
                (date("2025-03-25"), 50_000, "2025032524692163000000003", "PAYMENT - THANK YOU", "", ""),
                (
                    date("2025-04-10"),
                    -12_000,
                    "2025041024692163000000004",
                    "OPEN SCIENCE CONFERENCE",
                    "REGISTRATION – 2 SEATS",
                    ""
                ),
            ]
        );
        // The hosting bill was in euros, converted by the bank (ORIGCURRENCY): the amount is in dollars.
        assert!(card.transactions.iter().all(|t| t.currency == usd()));
        let ledger = card.ledger_balance.as_ref().unwrap();
        assert_eq!((ledger.line, ledger.amount, ledger.date), (177, -26_456, date("2025-04-30")));
        assert_eq!(card.available_balance, None);
    }

    #[test]
    fn recognises_ofx_files() {
        assert!(is_ofx(b"\xEF\xBB\xBF\r\n  OFXHEADER:100\r\nDATA:OFXSGML"));
        assert!(is_ofx(b"<?xml version=\"1.0\"?>\n<OFX>\n"));
        assert!(is_ofx(b"\xFF\xFEO\0F\0X\0H\0E\0A\0D\0E\0R\0:\x001\0"));
        assert!(!is_ofx(b"<?xml version=\"1.0\"?>\n<html>"));
        assert!(!is_ofx(b"date,amount\n2025-01-01,3\n"));
        assert!(!is_ofx(b""));
        assert!(!is_ofx(b"Donations Report"));
    }

    /// An SGML file holding one checking account's statement with these transactions.
    fn sgml(transactions: &str) -> String {
        format!(
            "OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\nENCODING:USASCII\nCHARSET:1252\n\n<OFX>\n<BANKMSGSRSV1>\n\
             <STMTTRNRS>\n<STMTRS>\n<CURDEF>USD\n<BANKACCTFROM>\n<ACCTID>42\n</BANKACCTFROM>\n<BANKTRANLIST>\n\
             {transactions}</BANKTRANLIST>\n</STMTRS>\n</STMTTRNRS>\n</BANKMSGSRSV1>\n</OFX>\n"
        )
    }

    /// The first line of a transaction in [`sgml`].
    const FIRST: u64 = 16;

    fn transaction(fitid: &str, posted: &str, amount: &str) -> String {
        format!(
            "<STMTTRN>\n<TRNTYPE>CREDIT\n<DTPOSTED>{posted}\n<TRNAMT>{amount}\n<FITID>{fitid}\n<NAME>X\n</STMTTRN>\n"
        )
    }

    /// (line, column, message) of every problem.
    fn problems(text: &[u8]) -> Vec<(Option<u64>, Option<String>, String)> {
        read("f.ofx", text).unwrap_err().into_iter().map(|e| (e.line, e.column, e.message)).collect()
    }

    fn first_problem(text: &[u8]) -> (Option<u64>, Option<String>, String) {
        problems(text).into_iter().next().unwrap()
    }

    #[test]
    fn the_test_file_reads() {
        let statements = read("f.ofx", sgml(&transaction("A1", "20250102", "10")).as_bytes()).unwrap();
        assert_eq!(statements[0].transactions[0].line, FIRST);
        assert_eq!(statements[0].transactions[0].amount, 1000);
    }

    #[test]
    fn refuses_a_truncated_file_naming_the_unclosed_element() {
        // The sample up to where `before` starts, plus `more` bytes.
        let cut = |sample: &'static [u8], before: &str, more: usize| {
            let at = memchr::memmem::find(sample, before.as_bytes()).unwrap() + more;
            &sample[..at]
        };
        // Cut inside the BANKTRANLIST, after a transaction, then inside one.
        let after_a_transaction = cut(SGML_SAMPLE, "<STMTTRN>\r\n<TRNTYPE>CREDIT\r\n<DTPOSTED>20250331", 0);
        let (line, column, message) = first_problem(after_a_transaction);
        assert_eq!((line, column.as_deref()), (Some(41), Some("BANKTRANLIST")));
        assert_eq!(message, "the file ends inside <BANKTRANLIST> opened on line 41: it is truncated");
        let (line, column, message) = first_problem(cut(SGML_SAMPLE, "EXBANK778812", 0));
        assert_eq!((line, column.as_deref()), (Some(68), Some("STMTTRN")), "{message}");
        // A cut right after an element with no value yet.
        let after_memo = cut(SGML_SAMPLE, "<MEMO>ACH CREDIT AMERICAN ONLINE GIVING EXBANK778812", "<MEMO>".len());
        assert_eq!(first_problem(after_memo).1.as_deref(), Some("STMTTRN"));
        let (line, column, message) = first_problem(cut(XML_SAMPLE.as_bytes(), "<NAME>BENEVITY", "<NAME>BEN".len()));
        assert_eq!((line, column.as_deref()), (Some(64), Some("NAME")), "{message}");
    }

    #[test]
    fn no_cut_of_the_samples_panics_and_every_cut_short_of_the_end_is_refused() {
        let xml = XML_SAMPLE.as_bytes();
        for sample in [SGML_SAMPLE, xml] {
            let end = memchr::memmem::rfind(sample, b"</OFX>").unwrap() + "</OFX>".len();
            for cut in 0..=sample.len() {
                let read = read("cut.ofx", &sample[..cut]);
                assert_eq!(read.is_ok(), cut >= end, "cut at {cut}: {read:?}");
            }
        }
    }

    #[test]
    fn refuses_transactions_without_fitid_date_or_amount() {
        let text = sgml(
            "<STMTTRN>\n<TRNTYPE>DEBIT\n<DTPOSTED>20250102\n<TRNAMT>-1\n</STMTTRN>\n\
             <STMTTRN>\n<TRNTYPE>DEBIT\n<TRNAMT>-1\n<FITID>2\n</STMTTRN>\n\
             <STMTTRN>\n<TRNTYPE>DEBIT\n<DTPOSTED>20250102\n<FITID>3\n<TRNAMT>\n</STMTTRN>\n",
        );
        let problems = problems(text.as_bytes());
        let found: Vec<(Option<u64>, Option<&str>)> = problems.iter().map(|p| (p.0, p.1.as_deref())).collect();
        assert_eq!(
            found,
            [(Some(FIRST), Some("FITID")), (Some(FIRST + 5), Some("DTPOSTED")), (Some(FIRST + 10), Some("TRNAMT"))]
        );
        assert_eq!(problems[1].2, "the transaction has no DTPOSTED (its date)");
    }

    #[test]
    fn refuses_bad_dates() {
        for bad in ["2025-01-02", "20250230", "2025010", "20250102256000", "20250102120000[EST]", "20250102x"] {
            let text = sgml(&transaction("A", bad, "1"));
            let (line, column, message) = first_problem(text.as_bytes());
            assert_eq!((line, column.as_deref()), (Some(FIRST + 2), Some("DTPOSTED")), "{bad}");
            assert!(message.starts_with(&format!("{bad:?} is not a date")), "{message}");
        }
        let bad_start = sgml("").replace("<BANKTRANLIST>\n", "<BANKTRANLIST>\n<DTSTART>tomorrow\n");
        assert_eq!(first_problem(bad_start.as_bytes()).1.as_deref(), Some("DTSTART"));
    }

    #[test]
    fn reads_every_form_of_date() {
        for (text, day) in [
            ("20250331", "2025-03-31"),
            ("202503311200", "2025-03-31"),
            ("20250331235959", "2025-03-31"),
            ("20250331235959.123", "2025-03-31"),
            ("20250331000000.000[-5:EST]", "2025-03-31"),
            ("20250331[+1]", "2025-03-31"),
            ("20250331120000[+5.30:IST]", "2025-03-31"),
            ("20240229", "2024-02-29"),
        ] {
            assert_eq!(parse_date(text), Some(date(day)), "{text}");
        }
        for bad in ["", "2025033", "20250331.5", "20250331120000.", "20250331[-5:EST", "20250331[]", "0000101"] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn refuses_bad_amounts() {
        for (bad, message) in [
            ("12.5.0", "\"12.5.0\" is not an amount"),
            ("1,000.00", "\"1,000.00\" is not an amount"),
            ("1,2,3", "\"1,2,3\" is not an amount"),
            ("$5", "\"$5\" is not an amount"),
            ("--5", "\"--5\" is not an amount"),
            ("1e5", "\"1e5\" is not an amount"),
            ("1.005", "\"1.005\" has more than 2 decimals"),
            ("99999999999", "\"99999999999\" is larger than any amount Matchbook reads"),
            ("1000000000.01", "\"1000000000.01\" is larger than any amount Matchbook reads"),
            // Found by the fuzzer: a number a decimal holds, but not in cents.
            (
                "-2025033100000120250303000001",
                "\"-2025033100000120250303000001\" is larger than any amount Matchbook reads",
            ),
            ("1.000000000000000000000000000001", "\"1.000000000000000000000000000001\" has more than 2 decimals"),
            ("-", "\"-\" is not an amount"),
            (".", "\".\" is not an amount"),
            ("1 000", "\"1 000\" is not an amount"),
        ] {
            let text = sgml(&transaction("A", "20250102", bad));
            let (line, column, found) = first_problem(text.as_bytes());
            assert_eq!((line, column.as_deref(), found.as_str()), (Some(FIRST + 3), Some("TRNAMT"), message));
        }
    }

    #[test]
    fn reads_every_form_of_amount() {
        for (text, cents) in [
            ("-12.50", -1250),
            ("+100", 10000),
            ("1000.5", 100_050),
            ("12,50", 1250),
            ("-0,07", -7),
            ("3.000", 300),
            ("0", 0),
            ("-0.00", 0),
            (".5", 50),
            ("5.", 500),
            ("0001000000000.000000000000000000000000000000", 100_000_000_000),
        ] {
            assert_eq!(parse_amount(text), Ok(cents), "{text}");
        }
    }

    #[test]
    fn refuses_a_missing_or_unknown_currency() {
        let no_curdef = sgml(&transaction("A", "20250102", "1")).replace("<CURDEF>USD\n", "");
        let (line, column, message) = first_problem(no_curdef.as_bytes());
        assert_eq!((line, column.as_deref()), (Some(10), Some("CURDEF")));
        assert_eq!(message, "the statement has no CURDEF (currency)");
        let unknown = sgml("").replace("<CURDEF>USD", "<CURDEF>XYZ");
        let (line, column, message) = first_problem(unknown.as_bytes());
        assert_eq!((line, column.as_deref()), (Some(11), Some("CURDEF")));
        assert!(message.contains("\"XYZ\" is not an ISO 4217 currency code"), "{message}");
        let no_account = sgml("").replace("<ACCTID>42\n", "");
        assert_eq!(first_problem(no_account.as_bytes()).2, "the statement has no ACCTID (account number)");
    }

    #[test]
    fn refuses_a_fitid_given_twice_in_a_statement() {
        let text = sgml(&(transaction("A1", "20250102", "1") + &transaction("A1", "20250103", "2")));
        let (line, column, message) = first_problem(text.as_bytes());
        assert_eq!((line, column.as_deref()), (Some(FIRST + 11), Some("FITID")));
        assert!(message.starts_with(&format!("FITID \"A1\" is also the id of the transaction on line {FIRST}")));
        // Two accounts may each have their own A1.
        let statement = sgml(&transaction("A1", "20250102", "1"));
        let start = statement.find("<STMTTRNRS>").unwrap();
        let end = statement.find("</BANKMSGSRSV1>").unwrap();
        let two = format!("{}{}", &statement[..end], &statement[start..]);
        assert_eq!(read("f.ofx", two.as_bytes()).unwrap().len(), 2);
    }

    #[test]
    fn refuses_amounts_in_another_currency() {
        let with_currency = |currency: &str| {
            sgml(&format!(
                "<STMTTRN>\n<TRNTYPE>CREDIT\n<DTPOSTED>20250102\n<TRNAMT>10\n<FITID>1\n{currency}</STMTTRN>\n"
            ))
        };
        // The CURRENCY aggregate's line, and its first and second element's.
        let (aggregate, first, second) = (FIRST + 5, FIRST + 6, FIRST + 7);
        for (currency, line, column, message) in [
            ("<CURRENCY>\n<CURRATE>1.25\n<CURSYM>GBP\n</CURRENCY>\n", first, "CURRATE", "in GBP at a rate of 1.25"),
            ("<CURRENCY>\n<CURRATE>0.9\n<CURSYM>USD\n</CURRENCY>\n", first, "CURRATE", "does not convert"),
            (
                "<CURRENCY>\n<CURRATE>1.0000000000000000000000000000001\n<CURSYM>USD\n</CURRENCY>\n",
                first,
                "CURRATE",
                "does not convert",
            ),
            ("<CURRENCY>\n<CURSYM>EUR\n</CURRENCY>\n", first, "CURSYM", "no rate (CURRATE)"),
            ("<CURRENCY>\n<CURRATE>1\n</CURRENCY>\n", aggregate, "CURSYM", "<CURRENCY> has no CURSYM"),
            ("<CURRENCY>\n<CURRATE>1\n<CURSYM>EUROS\n</CURRENCY>\n", second, "CURSYM", "not an ISO 4217"),
            ("<CURRENCY>\n<CURRATE>one\n<CURSYM>EUR\n</CURRENCY>\n", first, "CURRATE", "not an exchange rate"),
            (
                "<CURRENCY>\n<CURSYM>EUR\n</CURRENCY>\n<CURRENCY>\n<CURSYM>EUR\n</CURRENCY>\n",
                FIRST + 8,
                "CURRENCY",
                "second",
            ),
        ] {
            let (found_line, found_column, found) = first_problem(with_currency(currency).as_bytes());
            assert_eq!((found_line, found_column.as_deref()), (Some(line), Some(column)), "{currency}: {found}");
            assert!(found.contains(message), "{currency}: {found}");
        }
        let currency_of =
            |currency: &str| read("f.ofx", with_currency(currency).as_bytes()).unwrap()[0].transactions[0].currency;
        // The same currency, or another at a rate of exactly 1, says nothing to convert.
        assert_eq!(currency_of("<CURRENCY>\n<CURRATE>1.000\n<CURSYM>USD\n</CURRENCY>\n"), usd());
        assert_eq!(currency_of("<CURRENCY>\n<CURRATE>01\n<CURSYM>USD\n</CURRENCY>\n"), usd());
        assert_eq!(currency_of("<CURRENCY>\n<CURSYM>USD\n</CURRENCY>\n"), usd());
        assert_eq!(currency_of("<CURRENCY>\n<CURRATE>1,0\n<CURSYM>CAD\n</CURRENCY>\n"), "CAD".parse().unwrap());
        // ORIGCURRENCY: the bank converted the amount into the statement's currency itself.
        assert_eq!(currency_of("<ORIGCURRENCY>\n<CURRATE>1.0832\n<CURSYM>EUR\n</ORIGCURRENCY>\n"), usd());
    }

    #[test]
    fn refuses_mismatched_closing_tags_in_xml() {
        let swapped = XML_SAMPLE.replacen("</STMTTRN>", "</BANKTRANLIST>", 1);
        let (line, column, message) = first_problem(swapped.as_bytes());
        assert_eq!((line, column.as_deref()), (Some(42), Some("BANKTRANLIST")));
        assert_eq!(message, "</BANKTRANLIST> on line 42 does not close <STMTTRN> opened on line 35");
        // XML closes every element: the SGML way of leaving values open is refused.
        let unclosed_value = XML_SAMPLE.replacen("<TRNTYPE>SRVCHG</TRNTYPE>", "<TRNTYPE>SRVCHG", 1);
        let (line, column, message) = first_problem(unclosed_value.as_bytes());
        assert_eq!((line, column.as_deref()), (Some(37), Some("TRNTYPE")));
        assert_eq!(
            message,
            "<TRNTYPE> (line 36) holds a value but is not closed before <DTPOSTED>: XML closes every element"
        );
        let mixed = XML_SAMPLE.replacen("</MEMO>", "<X/></MEMO>", 1);
        assert!(first_problem(mixed.as_bytes())
            .2
            .contains("<MEMO> (line 41) holds a value but is not closed before <X>"));
        let text_after_elements = XML_SAMPLE.replacen("</FI>", "</FI> stray", 1);
        assert!(first_problem(text_after_elements.as_bytes()).2.contains("holds both elements and the text \"stray\""));
        // In SGML, a closing tag that closes nothing open is refused too.
        let stray = sgml("</STMTTRN>\n");
        assert!(first_problem(stray.as_bytes()).2.contains("</STMTTRN> on line 16 does not close <BANKTRANLIST>"));
    }

    #[test]
    fn refuses_text_that_is_not_ofx() {
        for (text, message) in [
            (&b""[..], "the file is empty"),
            (b"date,amount\n2025-01-02,10\n", "this is not an OFX file"),
            (b"<?xml version=\"1.0\"?>\n<html><body/></html>", "first element is <HTML>, not <OFX>"),
            (b"<?xml version=\"1.0\"?>\n", "holds no <OFX> element"),
            (b"OFXHEADER:100\nDATA:OFXSGML\n", "no <OFX> after it"),
            (b"OFXHEADER:100\nDATA:OFXXML\n\n<OFX></OFX>", "DATA:OFXXML"),
            (b"OFXHEADER:100\nthis is a letter\n<OFX>", "not KEY:VALUE"),
            (b"OFXHEADER:100\n\n<OFX>\n<SIGNONMSGSRSV1>\n</SIGNONMSGSRSV1>\n</OFX>\n", "holds no bank or credit-card"),
            (
                b"OFXHEADER:100\n\n<OFX>\n<INVSTMTMSGSRSV1>\n<STMTTRN>\n</STMTTRN>\n</INVSTMTMSGSRSV1>\n</OFX>\n",
                "no <STMTRS>",
            ),
            (b"OFXHEADER:100\n\n<OFX>\n</OFX>\n<OFX>\n</OFX>\n", "more after </OFX>"),
            (b"OFXHEADER:100\n\n<OFX>hello</OFX>", "<OFX> holds a value"),
            (b"OFXHEADER:100\n\n<OFX>\n<NAME>a < b\n</OFX>", "starts no tag"),
            (b"OFXHEADER:100\n\n<OFX>\n<!DOCTYPE x>\n</OFX>", "markup that OFX does not use"),
            (b"\x7FELF\x02\x01\x01\0\0\0", "this is not an OFX file"),
        ] {
            let (_, _, found) = first_problem(text);
            assert!(found.contains(message), "{:?}: {found}", String::from_utf8_lossy(text));
        }
    }

    #[test]
    fn sgml_values_may_be_empty_or_closed() {
        // An empty MEMO with no closing tag, a NAME closed as in XML, lower-case tags, an empty
        // element closed at once, an aggregate the reader does not know, and comments.
        let text = sgml(
            "<STMTTRN>\n<TRNTYPE>DEBIT\n<MEMO>\n<DTPOSTED>20250102\n<TRNAMT>-3.5\n<FITID>F1\n\
             <name>Smith &amp; Sons</name>\n<REFNUM></REFNUM>\n<CHECKNUM>17\n\
             <EXT.INFO>\n<NAME>not the payee\n<EXT.FLAG>\n</EXT.INFO>\n<!-- a comment -->\n</STMTTRN>\n",
        );
        let statements = read("f.ofx", text.as_bytes()).unwrap();
        let t = &statements[0].transactions[0];
        assert_eq!(
            (t.name.as_str(), t.memo.as_str(), t.reference.as_str(), t.amount),
            ("Smith & Sons", "", "17", -350)
        );
        // A value given twice is refused rather than one of them believed.
        let twice = sgml("<STMTTRN>\n<TRNAMT>1\n<TRNAMT>2\n<DTPOSTED>20250102\n<FITID>1\n</STMTTRN>\n");
        let (line, column, message) = first_problem(twice.as_bytes());
        assert_eq!((line, column.as_deref()), (Some(FIRST + 2), Some("TRNAMT")));
        assert_eq!(message, format!("<TRNAMT> is given twice here (also on line {})", FIRST + 1));
        // An aggregate the reader reads that holds a value instead.
        let valued = sgml("<STMTTRN>oops\n");
        assert!(first_problem(valued.as_bytes()).2.contains("<STMTTRN> holds the value \"oops\""));
    }

    #[test]
    fn reads_character_references() {
        assert_eq!(decode_entities("A &amp; B &lt;&gt; &quot;x&quot; &apos;"), Ok("A & B <> \"x\" '".into()));
        assert_eq!(decode_entities("caf&#233; &#x20AC;5"), Ok("café €5".into()));
        assert_eq!(decode_entities("AT&T & co &nbsp; &#; &#xZZ; &"), Ok("AT&T & co &nbsp; &#; &#xZZ; &".into()));
        assert!(decode_entities("&#0;").is_err());
        assert!(decode_entities("&#xD800;").is_err());
        assert!(decode_entities("&#99999999;").is_err());
        let text = sgml(&transaction("A", "20250102", "1").replace("<NAME>X", "<NAME>bad &#0;"));
        assert_eq!(
            first_problem(text.as_bytes()),
            (Some(FIRST + 5), Some("NAME".into()), "&#0; is not a character".into())
        );
    }

    #[test]
    fn decodes_the_encodings_the_header_gives() {
        let body = |header: &str, name: &[u8]| {
            let mut text = sgml(&transaction("A", "20250102", "1"))
                .replace("ENCODING:USASCII\nCHARSET:1252\n", header)
                .into_bytes();
            let at = memchr::memmem::find(&text, b"<NAME>X").unwrap() + 6;
            text.splice(at..at + 1, name.iter().copied());
            text
        };
        let name_of = |bytes: &[u8]| read("f.ofx", bytes).map(|s| s[0].transactions[0].name.clone());
        assert_eq!(
            name_of(&body("ENCODING:USASCII\nCHARSET:1252\n", b"\x80 Caf\xe9 \x93q\x94")),
            Ok("€ Café “q”".into())
        );
        assert_eq!(name_of(&body("", b"Caf\xe9")), Ok("Café".into()));
        assert_eq!(name_of(&body("ENCODING:UTF-8\nCHARSET:NONE\n", "Café".as_bytes())), Ok("Café".into()));
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend(body("ENCODING:UTF-8\n", "Ünï".as_bytes()));
        assert_eq!(name_of(&bom), Ok("Ünï".into()));
        // Bytes the encoding does not have are refused, naming the line.
        let undefined = problems(&body("CHARSET:1252\n", b"a\x81b"));
        assert_eq!(undefined[0].1, None);
        assert_eq!(undefined[0].0, Some(FIRST + 5 - 1));
        assert!(undefined[0].2.contains("byte 0x81 is no Windows-1252 character"), "{undefined:?}");
        let not_utf8 = problems(&body("ENCODING:UTF-8\n", b"Caf\xe9"));
        assert!(not_utf8[0].2.contains("not UTF-8"), "{not_utf8:?}");
        let other = problems(&body("CHARSET:850\n", b"Caf\x82"));
        assert!(other[0].2.contains("character set CHARSET:850"), "{other:?}");
        assert!(name_of(&body("CHARSET:850\n", b"Cafe")).is_ok());
        // XML with a declared Windows-1252 encoding.
        let xml = XML_SAMPLE.replacen("encoding=\"UTF-8\"", "encoding=\"windows-1252\"", 1);
        assert!(xml.chars().all(|c| c.is_ascii() || c == 'é'));
        let latin: Vec<u8> = xml.chars().map(|c| if c == 'é' { 0xE9 } else { c as u8 }).collect();
        assert_eq!(read("f.ofx", &latin).unwrap()[0].transactions[2].name, "Café Luna");
        // UTF-16, either way round.
        for big_endian in [false, true] {
            let mut utf16 = if big_endian { vec![0xFE, 0xFF] } else { vec![0xFF, 0xFE] };
            for unit in XML_SAMPLE.encode_utf16() {
                utf16.extend(if big_endian { unit.to_be_bytes() } else { unit.to_le_bytes() });
            }
            assert!(is_ofx(&utf16));
            assert_eq!(read("f.ofx", &utf16).unwrap().len(), 2);
            assert!(problems(&utf16[..utf16.len() - 1])[0].2.contains("UTF-16"));
        }
        assert!(problems(b"\xFF\xFE\x00\xD8\x41\x00")[0].2.contains("not valid UTF-16"));
        assert!(problems(b"OFXHEADER:100\n\n<OFX>\n\0</OFX>")[0].2.contains("NUL"));
    }

    #[test]
    fn lines_end_with_cr_lf_or_cr_alone() {
        let text = sgml(&transaction("A", "20250102", "1"));
        for ending in ["\r\n", "\r"] {
            let statements = read("f.ofx", text.replace('\n', ending).as_bytes()).unwrap();
            assert_eq!((statements[0].line, statements[0].transactions[0].line), (10, FIRST));
        }
        let one_line_header =
            text.replace("OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\n", "OFXHEADER:100 DATA:OFXSGML VERSION:102 ");
        assert_eq!(read("f.ofx", one_line_header.as_bytes()).unwrap()[0].transactions[0].line, FIRST - 3);
    }

    #[test]
    fn limits_values_nesting_and_open_elements() {
        let long = sgml(
            &transaction("A", "20250102", "1")
                .replace("<NAME>X", &format!("<NAME>{}", "x".repeat(MAX_VALUE_BYTES + 1))),
        );
        assert!(first_problem(long.as_bytes()).2.contains("longer than 64 KiB"));
        let at_limit = sgml(
            &transaction("A", "20250102", "1").replace("<NAME>X", &format!("<NAME>{}", "x".repeat(MAX_VALUE_BYTES))),
        );
        assert!(read("f.ofx", at_limit.as_bytes()).is_ok());
        // 33 aggregates inside one another (OFX and the statement's four count).
        let deep = sgml(&format!("{}{}", "<X>\n<Y>1\n".repeat(28), "</X>\n".repeat(28)));
        assert!(first_problem(deep.as_bytes()).2.contains("nest deeper than 32"));
        let deep_enough = sgml(&format!("{}{}", "<X>\n<Y>1\n".repeat(27), "</X>\n".repeat(27)));
        assert!(read("f.ofx", deep_enough.as_bytes()).is_ok());
        let open = sgml(&"<EMPTY>\n".repeat(MAX_OPEN));
        assert!(first_problem(open.as_bytes()).2.contains("more than 256 elements are open at once"));
        // Empty elements count while open, not once their parent closes.
        let closed_each_time = sgml(&format!("<X>\n{}</X>\n", "<EMPTY>\n".repeat(MAX_OPEN - 10)).repeat(10));
        assert!(read("f.ofx", closed_each_time.as_bytes()).is_ok());
        let long_tag = sgml(&format!("<{}>\n", "T".repeat(MAX_NAME_BYTES + 1)));
        assert!(first_problem(long_tag.as_bytes()).2.contains("longer than 64 characters"));
        let unclosed_tag = format!("OFXHEADER:100\n\n<OFX\n{}", " ".repeat(2 * MAX_TAG_BYTES));
        assert!(first_problem(unclosed_tag.as_bytes()).2.contains("is never closed with \">\""));
    }

    #[test]
    fn reading_takes_time_in_proportion_to_the_file() {
        // Pathological shapes run as fast as plain ones: empty elements closed all at once by
        // their parent, and closing tags that search the open elements.
        let many = 200_000;
        let shapes = [
            sgml(&format!("<A>\n{}</A>\n", "<EMPTY>\n".repeat(MAX_OPEN - 10)).repeat(many / 200)),
            sgml(&format!("<A>\n{}</A>\n", "<B>\n</B>\n".repeat(many))),
            sgml(&transaction("A", "20250102", "1"))
                .replace("<NAME>X", &format!("<NAME>{}", "&amp;&#233;".repeat(5000))),
            sgml(&(0..many / 10).map(|i| transaction(&i.to_string(), "20250102", "1")).collect::<String>()),
        ];
        for shape in shapes {
            let started = std::time::Instant::now();
            let _ = read("f.ofx", shape.as_bytes());
            assert!(started.elapsed() < std::time::Duration::from_secs(5), "{} bytes", shape.len());
        }
    }
}
