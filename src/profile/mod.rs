//! Import profiles: how to read one CSV layout that Matchbook has no reader of its own for.
//!
//! Benevity and Bright Funds have built-in readers ([`crate::platforms`]); every other platform
//! (YourCause, CyberGrants, PayPal Giving Fund, Network for Good) and every bank exports CSV its own
//! way, in layouts nobody publishes. A profile says, once, how to read such a file: which line is
//! the header, how dates and amounts are written, which column holds what, and what the values of
//! a type column mean. The treasurer makes it (the app's wizard starts from [`sniff`]'s guess), and
//! [`read`] then turns every file of that layout into the records the book imports: payments, as a
//! [`PlatformReport`](crate::platforms::PlatformReport) whose lines go through the book's project
//! mappings like a built-in platform's, or a bank statement's deposits.
//!
//! # The format
//!
//! Plain text modelled on hledger's CSV rules files, but simpler: one directive a line, its name
//! first, then its value (the rest of the line, trimmed). Blank lines and lines whose first
//! non-blank character is `#` are comments; a `#` anywhere else is part of a value, since header
//! names and type values may hold one.
//!
//! ```text
//! # Matchbook import profile
//! profile       YourCause payouts       required: the name (1 to 80 characters, no control characters)
//! makes         payments                required: payments, or deposits (a bank statement's credits)
//! header        Payment Date;Amount     the header line as files of this layout write it (recognises them)
//! skip          2                       lines before the header line (default 0)
//! separator     ;                       , ; | or tab (default ,)
//! encoding      windows-1252            utf-8 (default), utf-16 (by its BOM; little-endian without) or windows-1252
//! date-format   %d.%m.%Y                %Y %y %m %d %e %b %B and other characters (default %Y-%m-%d)
//! decimal-mark  ,                       . (default) or ,
//! thousands     .                       none (default), comma, dot, space or apostrophe: , . space '
//! currency      EUR                     every row's currency, when no column says it
//! payer         YourCause               payments: who pays, when no column says it
//! account       Checking                deposits: the account's name (default none)
//! column date   Payment Date            column FIELD NAME: the column (by its header name) that holds FIELD
//! type match    Matching Gift           type KIND VALUE: a value of the type column is match, gift or skip
//! ```
//!
//! A payments profile's fields: `date` (required: when the money was sent), `amount` (the gross),
//! `fees`, `net` (an amount, or a net and fees: with two of the three the third is worked out, with
//! all three they must agree), `currency` and `payer` (each a column or the fixed directive),
//! `project` (required: its value goes through the book's project mappings), `employer`,
//! `contributor`, `email`, `type` (with `type` lines), `gift-date`, `reference` (unique per row: the
//! payment's id is made of it), `disbursement`, `bank-date` and `bank-reference`.
//!
//! A deposits profile's fields: `date` (required), `amount` (signed: more than 0 is money in) or
//! `credit` and/or `debit` (a row with only a debit is a withdrawal), `currency`, `reference`,
//! `description` (may be given several times; the values are joined) and `balance` (the running
//! balance after the row, which is checked).
//!
//! Every mistake in a profile (an unknown directive or field, a field given twice, a required one
//! missing, type lines without a type column) is an error naming its line. [`Profile::to_text`]
//! writes a profile back in a fixed order that [`Profile::parse`] reads to an equal profile.
//!
//! # Reading
//!
//! [`read`] decodes the bytes ([`decode`]), leaves out the `skip` lines, reads the rest with
//! [`crate::platforms::table`] and every row with the profile. It collects every row it cannot
//! read, each an error naming its line and column and saying what would be right, so that the
//! wizard can show them all; a file with any is refused whole. A value of the type column that no
//! `type` line names is refused too: it decides whose money a row is, and Matchbook does not guess.
//!
//! Ids are stable, so that importing the same file again changes nothing: a payment's is made of
//! its reference, or else of a hash of what its row says and how many rows before it said the same.

mod decode;
mod form;
mod format;
mod read;

pub use decode::{decode, sniff, Sniffed, MAX_DECODED_BYTES, SNIFFED_ROWS};
pub use form::{FieldChoice, ProfileColumn, ProfileForm, ProfileType};
pub use read::{read, ProfileRead, MAX_ERRORS};

use crate::ledger::LedgerError;
use crate::money::Currency;

/// An import profile: how to read one CSV layout. Plain data; [`Profile::parse`] and
/// [`Profile::to_text`] are its text form. Columns are kept in [`Field`] order and type lines in
/// [`TypeMeaning`] order (each in the order given), as `to_text` writes them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    /// What the treasurer calls it ("YourCause payouts"); its key names the platform in mappings.
    pub name: String,
    pub makes: Makes,
    /// The header line as files of this layout write it, to recognise them.
    pub header: Option<String>,
    /// Lines before the header line (a report's title, its date).
    pub skip: usize,
    /// `,` `;` `\t` or `|`.
    pub separator: u8,
    pub encoding: Encoding,
    /// A chrono format of `%Y %y %m %d %e %b %B` and literal characters.
    pub date_format: String,
    /// `.` or `,`.
    pub decimal_mark: char,
    /// `,` `.` ` ` or `'`; `None`: amounts are not grouped.
    pub thousands: Option<char>,
    /// Every row's currency, when no column says it.
    pub currency: Option<Currency>,
    /// Payments: who pays, when no column says it.
    pub payer: Option<String>,
    /// Deposits: the account's name; may be empty.
    pub account: String,
    /// Which column (by its header name) holds each field.
    pub columns: Vec<(Field, String)>,
    /// What values of the `type` column mean.
    pub types: Vec<(TypeMeaning, String)>,
}

/// What a profile's rows become.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Makes {
    /// A platform's report: payment records, placed in projects through the mappings.
    Payments,
    /// A bank statement: its credits become deposit records; debits are left out.
    Deposits,
}

impl Makes {
    pub fn name(self) -> &'static str {
        match self {
            Makes::Payments => "payments",
            Makes::Deposits => "deposits",
        }
    }
}

/// How a file's bytes are text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Encoding {
    #[default]
    Utf8,
    /// Little- or big-endian by its byte-order mark; little-endian without one.
    Utf16,
    Windows1252,
}

impl Encoding {
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "utf-8",
            Encoding::Utf16 => "utf-16",
            Encoding::Windows1252 => "windows-1252",
        }
    }
}

impl std::str::FromStr for Encoding {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "utf-8" | "utf8" => Ok(Encoding::Utf8),
            "utf-16" | "utf16" => Ok(Encoding::Utf16),
            "windows-1252" | "cp1252" => Ok(Encoding::Windows1252),
            _ => Err(format!(
                "{s:?} is not an encoding Matchbook reads; write utf-8, utf-16 or windows-1252 (what Excel on \
                 Windows saves as \"CSV\")"
            )),
        }
    }
}

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    Date,
    Amount,
    Fees,
    Net,
    Credit,
    Debit,
    Balance,
    Currency,
    Payer,
    Project,
    Employer,
    Contributor,
    Email,
    Type,
    GiftDate,
    Reference,
    Disbursement,
    BankDate,
    BankReference,
    Description,
}

impl Field {
    /// Every field, in the order profiles list them.
    pub const ALL: [Field; 20] = [
        Field::Date,
        Field::Amount,
        Field::Fees,
        Field::Net,
        Field::Credit,
        Field::Debit,
        Field::Balance,
        Field::Currency,
        Field::Payer,
        Field::Project,
        Field::Employer,
        Field::Contributor,
        Field::Email,
        Field::Type,
        Field::GiftDate,
        Field::Reference,
        Field::Disbursement,
        Field::BankDate,
        Field::BankReference,
        Field::Description,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Field::Date => "date",
            Field::Amount => "amount",
            Field::Fees => "fees",
            Field::Net => "net",
            Field::Credit => "credit",
            Field::Debit => "debit",
            Field::Balance => "balance",
            Field::Currency => "currency",
            Field::Payer => "payer",
            Field::Project => "project",
            Field::Employer => "employer",
            Field::Contributor => "contributor",
            Field::Email => "email",
            Field::Type => "type",
            Field::GiftDate => "gift-date",
            Field::Reference => "reference",
            Field::Disbursement => "disbursement",
            Field::BankDate => "bank-date",
            Field::BankReference => "bank-reference",
            Field::Description => "description",
        }
    }

    /// Whether a profile that makes `makes` may have a column of this field.
    pub fn is_for(self, makes: Makes) -> bool {
        match self {
            Field::Date | Field::Amount | Field::Currency | Field::Reference => true,
            Field::Credit | Field::Debit | Field::Balance | Field::Description => makes == Makes::Deposits,
            _ => makes == Makes::Payments,
        }
    }
}

/// What a value of the `type` column means.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TypeMeaning {
    /// The employer's money (a match, a volunteer grant).
    Match,
    /// The donor's own gift, passed on by the platform.
    Gift,
    /// Not money for the book (a refund, a reversal): the row is left out.
    Skip,
}

impl TypeMeaning {
    pub const ALL: [TypeMeaning; 3] = [TypeMeaning::Match, TypeMeaning::Gift, TypeMeaning::Skip];

    pub fn name(self) -> &'static str {
        match self {
            TypeMeaning::Match => "match",
            TypeMeaning::Gift => "gift",
            TypeMeaning::Skip => "skip",
        }
    }
}

impl Profile {
    /// A profile with every setting at its default and no columns yet.
    pub fn new(name: &str, makes: Makes) -> Profile {
        Profile {
            name: name.into(),
            makes,
            header: None,
            skip: 0,
            separator: b',',
            encoding: Encoding::Utf8,
            date_format: "%Y-%m-%d".into(),
            decimal_mark: '.',
            thousands: None,
            currency: None,
            payer: None,
            account: String::new(),
            columns: Vec::new(),
            types: Vec::new(),
        }
    }

    /// Reads a profile's text; `source` names it in errors (its file name). Every mistaken line
    /// is reported with its line; what the lines say together (a required field missing, type
    /// lines without a type column) is checked once every line reads, so that a misspelt line
    /// does not also show up as what it failed to give.
    pub fn parse(source: &str, text: &str) -> Result<Profile, Vec<LedgerError>> {
        format::parse(source, text)
    }

    /// The profile's text, in a fixed order, that [`Profile::parse`] reads back to an equal
    /// profile (for a profile `parse` accepts: see [`Profile::check`]).
    pub fn to_text(&self) -> String {
        format::to_text(self)
    }

    /// Whether a profile made in code (the wizard's) is one `parse` would accept, and its text
    /// reads back to it: every problem, as `parse` reports it, with `source` as its file.
    pub fn check(&self, source: &str) -> Result<(), Vec<LedgerError>> {
        let mut sorted = self.clone();
        format::sort(&mut sorted);
        let text = self.to_text();
        match Profile::parse(source, &text) {
            Ok(read) if read == sorted => Ok(()),
            Ok(_) => Err(vec![LedgerError {
                file: source.into(),
                line: None,
                column: None,
                message: "a value of the profile holds a line break or spaces at its ends, which its text cannot \
                          keep"
                    .into(),
            }]),
            Err(errors) => Err(errors),
        }
    }

    /// The key the profile's payments name their platform by (in the book's project mappings).
    pub fn key(&self) -> String {
        crate::model::name_key(&self.name)
    }

    /// Whether a file's header line (decoded) is the one this profile expects: compared without
    /// regard to case, to spaces around the separators, or to quotes around names.
    pub fn matches_header(&self, decoded_header_line: &str) -> bool {
        let Some(expected) = &self.header else { return false };
        let cells = |line: &str| -> Vec<String> {
            line.trim()
                .split(char::from(self.separator))
                .map(|cell| {
                    let cell = cell.trim();
                    let cell = match cell.strip_prefix('"').and_then(|c| c.strip_suffix('"')) {
                        Some(inner) => inner.replace("\"\"", "\""),
                        None => cell.to_string(),
                    };
                    cell.trim().to_lowercase()
                })
                .collect()
        };
        cells(expected) == cells(decoded_header_line)
    }

    /// Whether a file that begins with `start_of_file` is of this profile's layout: its line after
    /// the skipped ones is the profile's header. How an import picks a saved profile by itself.
    pub fn recognises(&self, start_of_file: &[u8]) -> bool {
        let text = decode::decode_lossy(start_of_file, self.encoding);
        let line = decode::nth_line_start(&text, self.skip).split('\n').next().unwrap_or("");
        self.matches_header(line)
    }

    /// A profile with what [`sniff`] guessed of a file (encoding, separator, the lines before the
    /// header, the header) and no columns yet.
    pub fn draft(name: &str, makes: Makes, sniffed: &Sniffed) -> Profile {
        let mut profile = Profile::new(name, makes);
        profile.skip = sniffed.skip;
        profile.separator = sniffed.separator;
        profile.encoding = sniffed.encoding;
        if !sniffed.header.is_empty() {
            profile.header = Some(sniffed.header.join(&char::from(sniffed.separator).to_string()));
        }
        profile
    }

    /// A first draft's text for a file that [`sniff`] looked at: what the guess found, and the file's
    /// columns with their first values as comments, to be turned into `column` lines. It does not
    /// read files until its columns are said: nothing here guesses what a column means.
    pub fn draft_text(name: &str, makes: Makes, sniffed: &Sniffed) -> String {
        let mut text = Profile::draft(name, makes, sniffed).to_text();
        text.push_str("\n# The file's columns and their first values; say which holds what, as `column FIELD NAME`:\n");
        for (i, name) in sniffed.header.iter().enumerate() {
            let values: Vec<&str> = sniffed
                .rows
                .iter()
                .filter_map(|r| r.get(i))
                .map(String::as_str)
                .filter(|v| !v.is_empty())
                .take(3)
                .collect();
            text.push_str(&format!("#   {name}: {}\n", values.join(" | ")));
        }
        let fields: Vec<&str> = Field::ALL.iter().filter(|f| f.is_for(makes)).map(|f| f.name()).collect();
        text.push_str(&format!("# Fields of a {} profile: {}\n", makes.name(), fields.join(", ")));
        text
    }

    /// The column of `field` (the first, for `description`), as the profile names it.
    pub fn column(&self, field: Field) -> Option<&str> {
        self.columns.iter().find(|(f, _)| *f == field).map(|(_, name)| name.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yourcause() -> Profile {
        Profile::parse("yourcause.profile", include_str!("../../tests/data/profiles/yourcause.profile")).unwrap()
    }

    #[test]
    fn headers_are_recognised_without_regard_to_case_spaces_or_quotes() {
        let profile = yourcause();
        let line = "Payment Date;Batch;Payment ID;Transaction Type;Donation Date;Company;Donor Name;Donor Email;\
                    Program;Gross Amount;Fee;Net Amount;Currency";
        assert!(profile.matches_header(line));
        assert!(profile.matches_header(&format!("  {}\r", line.to_uppercase().replace(';', " ; "))));
        assert!(profile.matches_header(&line.replace("Batch", "\"Batch\"")));
        assert!(!profile.matches_header(&line.replace("Fee;", "")));
        assert!(!profile.matches_header(&line.replace(';', ",")));
        assert!(!Profile { header: None, ..profile.clone() }.matches_header(line));
    }

    #[test]
    fn a_file_is_recognised_by_its_header_after_the_skipped_lines() {
        let profile = yourcause();
        let file = include_bytes!("../../tests/data/profiles/yourcause-payouts.csv");
        assert!(profile.recognises(file));
        let other = Profile { skip: profile.skip + 1, ..profile.clone() };
        assert!(!other.recognises(file));
        assert!(!profile.recognises(b"date,amount\n"));
    }

    #[test]
    fn a_profile_made_in_code_is_checked_as_its_text_would_be() {
        let mut profile = Profile::new("Giving Fund", Makes::Payments);
        assert_eq!(profile.key(), "giving fund");
        let found = profile.check("wizard").unwrap_err();
        assert!(found.iter().any(|e| e.message.contains("no `column date`")), "{found:#?}");
        profile.columns =
            vec![(Field::Project, "Fund".into()), (Field::Date, "Date".into()), (Field::Amount, "Amount".into())];
        profile.payer = Some("PayPal Giving Fund".into());
        profile.currency = Some("USD".parse().unwrap());
        assert_eq!(profile.check("wizard"), Ok(()));
        assert_eq!(profile.column(Field::Project), Some("Fund"));
        profile.payer = Some("PayPal\nGiving Fund".into());
        assert!(profile.check("wizard").is_err());
        // Nor does `read` read with a profile its text would not be.
        profile.payer = None;
        let found = read(&profile, "f.csv", b"Date,Amount,Fund\n2025-01-02,1.00,Lumen\n").unwrap_err();
        assert!(found[0]
            .message
            .starts_with("the profile \"Giving Fund\" cannot read files: the profile says no payer"));
    }
}
