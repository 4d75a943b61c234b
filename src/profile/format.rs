//! A profile's text: read line by line into a [`Profile`], every mistake reported with its line,
//! and written back in a fixed order.

use super::{Encoding, Field, Makes, Profile, TypeMeaning};
use crate::ledger::LedgerError;
use crate::money::Currency;
use std::collections::HashMap;

/// The most characters a profile's name may have.
pub const MAX_NAME_CHARS: usize = 80;

/// The directives, in the order `to_text` writes them.
const DIRECTIVES: [&str; 14] = [
    "profile",
    "makes",
    "header",
    "skip",
    "separator",
    "encoding",
    "date-format",
    "decimal-mark",
    "thousands",
    "currency",
    "payer",
    "account",
    "column",
    "type",
];

/// Where a problem of a profile is: what [`problems`] finds, placed on a line by `parse`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// The profile as a whole (something it lacks).
    Whole,
    Directive(&'static str),
    Column(usize),
    Type(usize),
}

pub fn parse(source: &str, text: &str) -> Result<Profile, Vec<LedgerError>> {
    let mut profile = Profile::new("", Makes::Payments);
    let mut errors = Vec::new();
    // The line of each directive given once, of each column and of each type line.
    let mut given: HashMap<&'static str, u64> = HashMap::new();
    let mut column_lines = Vec::new();
    let mut type_lines = Vec::new();
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    for (number, raw) in text.lines().enumerate() {
        let line = number as u64 + 1;
        let trimmed = raw.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let (word, value) = match trimmed.split_once(char::is_whitespace) {
            Some((word, value)) => (word, value.trim()),
            None => (trimmed, ""),
        };
        let word = word.to_ascii_lowercase();
        let mut fail = |message: String| errors.push(error(source, Some(line), message));
        let Some(&directive) = DIRECTIVES.iter().find(|d| **d == word) else {
            fail(format!(
                "unknown directive {word:?}; a profile's lines are {} (and # comments)",
                DIRECTIVES.join(", ")
            ));
            continue;
        };
        if directive != "column" && directive != "type" {
            if let Some(first) = given.insert(directive, line) {
                fail(format!("{directive} is given twice (first on line {first}); give it once"));
                continue;
            }
        }
        if value.is_empty() {
            fail(format!("{directive} has no value; {}", what_it_takes(directive)));
            continue;
        }
        if let Some(problem) = line_problem(value) {
            fail(format!("{directive}'s value {problem}"));
            continue;
        }
        let set = match directive {
            "profile" => name_value(value, true).map(|v| profile.name = v),
            "makes" => makes_value(value).map(|v| profile.makes = v),
            "header" => {
                profile.header = Some(value.to_string());
                Ok(())
            }
            "skip" => value
                .parse::<usize>()
                .map(|v| profile.skip = v)
                .map_err(|_| format!("{value:?} is not a number of lines; {}", what_it_takes("skip"))),
            "separator" => separator_value(value).map(|v| profile.separator = v),
            "encoding" => value.parse::<Encoding>().map(|v| profile.encoding = v),
            "date-format" => date_format_problem(value).map_or_else(
                || {
                    profile.date_format = value.to_string();
                    Ok(())
                },
                Err,
            ),
            "decimal-mark" => match value {
                "." | "," => {
                    profile.decimal_mark = if value == "." { '.' } else { ',' };
                    Ok(())
                }
                _ => Err(format!("{value:?} is not a decimal mark; {}", what_it_takes("decimal-mark"))),
            },
            "thousands" => thousands_value(value).map(|v| profile.thousands = v),
            "currency" => value.parse::<Currency>().map(|v| profile.currency = Some(v)),
            "payer" => name_value(value, false).map(|v| profile.payer = Some(v)),
            "account" => name_value(value, false).map(|v| profile.account = v),
            "column" => column_value(value).map(|v| {
                profile.columns.push(v);
                column_lines.push(line);
            }),
            _ => type_value(value).map(|v| {
                profile.types.push(v);
                type_lines.push(line);
            }),
        };
        if let Err(message) = set {
            fail(message);
        }
    }
    for (directive, example) in [("profile", "profile YourCause payouts"), ("makes", "makes payments")] {
        if !given.contains_key(directive) {
            errors.push(error(source, None, format!("the profile has no {directive} line (like `{example}`)")));
        }
    }
    // What the lines say together is checked only once each line read: a column's field is
    // right or wrong for what the profile makes.
    if errors.is_empty() {
        for (place, message) in problems(&profile) {
            let line = match place {
                Place::Whole => None,
                Place::Directive(d) => given.get(d).copied(),
                Place::Column(i) => column_lines.get(i).copied(),
                Place::Type(i) => type_lines.get(i).copied(),
            };
            errors.push(error(source, line, message));
        }
    }
    if !errors.is_empty() {
        errors.sort_by_key(|e| e.line.unwrap_or(u64::MAX));
        return Err(errors);
    }
    sort(&mut profile);
    Ok(profile)
}

fn error(source: &str, line: Option<u64>, message: String) -> LedgerError {
    LedgerError { file: source.into(), line, column: None, message }
}

/// Puts columns in [`Field`] order and type lines in [`TypeMeaning`] order, each kind in the
/// order given (descriptions are joined in that order).
pub fn sort(profile: &mut Profile) {
    profile.columns.sort_by_key(|(field, _)| *field);
    profile.types.sort_by_key(|(meaning, _)| *meaning);
}

/// What a directive's value may be.
fn what_it_takes(directive: &str) -> &'static str {
    match directive {
        "profile" => "write the profile's name, like `profile YourCause payouts`",
        "makes" => "write payments (a platform's report) or deposits (a bank statement's credits)",
        "header" => "write the file's header line as it is, like `header Date;Amount;Donor`",
        "skip" => "write how many lines come before the header line, like `skip 2`",
        "separator" => "write , ; | or tab",
        "encoding" => "write utf-8, utf-16 or windows-1252",
        "date-format" => "write how the file writes 27 March 2025, like %d.%m.%Y for 27.03.2025",
        "decimal-mark" => "write . or ,",
        "thousands" => "write none, , . space or ' (what groups thousands in 1,234.56)",
        "currency" => "write an ISO 4217 code, like EUR",
        "payer" => "write who pays, like `payer YourCause`",
        "account" => "write the account's name, like `account Checking`",
        "column" => "write the field and the column's header name, like `column date Payment Date`",
        _ => "write match, gift or skip and a value of the type column, like `type match Matching Gift`",
    }
}

/// Why a value cannot be a line of a profile's text (control characters other than a tab).
fn line_problem(value: &str) -> Option<String> {
    let (at, c) = value.chars().enumerate().find(|(_, c)| c.is_control() && *c != '\t')?;
    Some(format!("holds a control character (U+{:04X}) at character {}", c as u32, at + 1))
}

fn name_value(value: &str, is_profile_name: bool) -> Result<String, String> {
    if let Some(problem) = crate::ledger::name_problem(value) {
        return Err(format!("the name {problem}"));
    }
    if is_profile_name && value.chars().count() > MAX_NAME_CHARS {
        return Err(format!("the name is longer than {MAX_NAME_CHARS} characters; give a shorter one"));
    }
    Ok(value.to_string())
}

fn makes_value(value: &str) -> Result<Makes, String> {
    match value.to_ascii_lowercase().as_str() {
        "payments" => Ok(Makes::Payments),
        "deposits" => Ok(Makes::Deposits),
        _ => Err(format!("{value:?} is not what a profile makes; {}", what_it_takes("makes"))),
    }
}

fn separator_value(value: &str) -> Result<u8, String> {
    match value.to_ascii_lowercase().as_str() {
        "," => Ok(b','),
        ";" => Ok(b';'),
        "|" => Ok(b'|'),
        "tab" => Ok(b'\t'),
        _ => Err(format!("{value:?} is not a separator Matchbook reads; {}", what_it_takes("separator"))),
    }
}

/// How `to_text` writes a separator.
fn separator_text(separator: u8) -> String {
    match separator {
        b'\t' => "tab".into(),
        other => char::from(other).to_string(),
    }
}

fn thousands_value(value: &str) -> Result<Option<char>, String> {
    match value.to_ascii_lowercase().as_str() {
        "none" => Ok(None),
        "," => Ok(Some(',')),
        "." => Ok(Some('.')),
        "space" => Ok(Some(' ')),
        "'" => Ok(Some('\'')),
        _ => Err(format!("{value:?} is not a thousands separator; {}", what_it_takes("thousands"))),
    }
}

fn thousands_text(thousands: Option<char>) -> String {
    match thousands {
        None => "none".into(),
        Some(' ') => "space".into(),
        Some(c) => c.to_string(),
    }
}

fn field_value(word: &str) -> Result<Field, String> {
    let word = word.to_ascii_lowercase();
    Field::ALL.into_iter().find(|f| f.name() == word).ok_or_else(|| {
        let names: Vec<&str> = Field::ALL.iter().map(|f| f.name()).collect();
        format!("unknown field {word:?}; a column is one of {}", names.join(", "))
    })
}

fn column_value(value: &str) -> Result<(Field, String), String> {
    let Some((field, name)) = value.split_once(char::is_whitespace) else {
        return Err(format!("`column {value}` names no column; {}", what_it_takes("column")));
    };
    Ok((field_value(field)?, name.trim().to_string()))
}

fn type_value(value: &str) -> Result<(TypeMeaning, String), String> {
    let Some((kind, name)) = value.split_once(char::is_whitespace) else {
        return Err(format!("`type {value}` gives no value; {}", what_it_takes("type")));
    };
    let kind = kind.to_ascii_lowercase();
    let meaning = TypeMeaning::ALL
        .into_iter()
        .find(|m| m.name() == kind)
        .ok_or_else(|| format!("{kind:?} is not a kind of type; write match, gift or skip"))?;
    Ok((meaning, name.trim().to_string()))
}

/// The specifiers a date format may use.
const DATE_SPECIFIERS: &str = "YymdebB";

/// Why `format` cannot be a profile's date format, if it cannot.
pub fn date_format_problem(format: &str) -> Option<String> {
    if format.is_empty() || format.chars().count() > 40 {
        return Some("a date format has 1 to 40 characters, like %d.%m.%Y".into());
    }
    let mut specifiers = String::new();
    let mut chars = format.chars();
    while let Some(c) = chars.next() {
        if c.is_control() {
            return Some("a date format holds no control characters".into());
        }
        if c == '%' {
            match chars.next() {
                Some(s) if DATE_SPECIFIERS.contains(s) => specifiers.push(s),
                other => {
                    let what = other.map_or("%".to_string(), |s| format!("%{s}"));
                    return Some(format!(
                        "{what} is not a date specifier Matchbook reads; use %Y (2025), %y (25), %m (03), \
                         %b (Mar), %B (March), %d (07) or %e ( 7), and other characters as they are"
                    ));
                }
            }
        }
    }
    let count = |set: &str| specifiers.chars().filter(|s| set.contains(*s)).count();
    for (set, what) in
        [("Yy", "the year (%Y or %y)"), ("mbB", "the month (%m, %b or %B)"), ("de", "the day (%d or %e)")]
    {
        if count(set) != 1 {
            return Some(format!("{format:?} must give {what} exactly once"));
        }
    }
    // A format chrono cannot read back what it writes (%Y%m%d runs the year into the month).
    let sample = chrono::NaiveDate::from_ymd_opt(2025, 3, 27)?;
    let mut written = String::new();
    if std::fmt::Write::write_fmt(&mut written, format_args!("{}", sample.format(format))).is_err()
        || chrono::NaiveDate::parse_from_str(&written, format) != Ok(sample)
    {
        return Some(format!(
            "{format:?} cannot be read back: Matchbook writes 27 March 2025 as {written:?} and cannot read that; \
             put a separator between the parts"
        ));
    }
    None
}

/// Everything wrong with what a profile's settings say together (and with values a profile made
/// in code may hold), each with where it is.
pub fn problems(p: &Profile) -> Vec<(Place, String)> {
    let mut found = Vec::new();
    let mut problem = |place: Place, message: String| found.push((place, message));
    if p.name.trim().is_empty() {
        problem(Place::Whole, "the profile has no name".into());
    } else if let Err(message) = name_value(&p.name, true) {
        problem(Place::Directive("profile"), message);
    }
    if let Some(message) = date_format_problem(&p.date_format) {
        problem(Place::Directive("date-format"), message);
    }
    if !matches!(p.separator, b',' | b';' | b'|' | b'\t') {
        problem(Place::Directive("separator"), format!("the separator {}", what_it_takes("separator")));
    }
    if !matches!(p.decimal_mark, '.' | ',') {
        problem(Place::Directive("decimal-mark"), format!("the decimal mark: {}", what_it_takes("decimal-mark")));
    }
    if !matches!(p.thousands, None | Some(',' | '.' | ' ' | '\'')) {
        problem(Place::Directive("thousands"), format!("the thousands separator: {}", what_it_takes("thousands")));
    }
    if p.thousands == Some(p.decimal_mark) {
        problem(
            Place::Directive("thousands"),
            format!(
                "the thousands separator is the decimal mark ({:?}); amounts would be ambiguous: a file with a \
                 decimal comma groups thousands with . or a space",
                p.decimal_mark
            ),
        );
    }

    let makes = p.makes.name();
    let mut first_of: HashMap<Field, usize> = HashMap::new();
    for (i, (field, name)) in p.columns.iter().enumerate() {
        if name.trim().is_empty() || name.trim() != name || line_problem(name).is_some() {
            problem(Place::Column(i), format!("column {}'s header name is empty or not one line", field.name()));
        }
        if !field.is_for(p.makes) {
            let fields: Vec<&str> = Field::ALL.iter().filter(|f| f.is_for(p.makes)).map(|f| f.name()).collect();
            problem(
                Place::Column(i),
                format!(
                    "a profile that makes {makes} has no field {}; its fields are {}",
                    field.name(),
                    fields.join(", ")
                ),
            );
        }
        if *field != Field::Description {
            if let Some(&first) = first_of.get(field) {
                let other = &p.columns[first].1;
                problem(
                    Place::Column(i),
                    format!("field {} is given twice (also column {other:?}); give it once", field.name()),
                );
            } else {
                first_of.insert(*field, i);
            }
        }
    }
    let has = |field: Field| p.columns.iter().any(|(f, _)| *f == field);
    let column_of = |field: Field| p.columns.iter().position(|(f, _)| *f == field).map_or(Place::Whole, Place::Column);
    if !has(Field::Date) {
        problem(Place::Whole, "the profile has no `column date` (the column with each row's date)".into());
    }
    match (p.currency.is_some(), has(Field::Currency)) {
        (false, false) => problem(
            Place::Whole,
            "the profile says no currency: give `column currency NAME` or, when every row is in one, `currency EUR`"
                .into(),
        ),
        (true, true) => problem(
            Place::Directive("currency"),
            "the profile gives both a currency and a currency column; give one".into(),
        ),
        _ => {}
    }
    match p.makes {
        Makes::Payments => {
            if !has(Field::Project) {
                problem(
                    Place::Whole,
                    "the profile has no `column project` (the column that tells each row's project)".into(),
                );
            }
            match (p.payer.is_some(), has(Field::Payer)) {
                (false, false) => problem(
                    Place::Whole,
                    "the profile says no payer: give `payer NAME` (like `payer YourCause`) or `column payer NAME`"
                        .into(),
                ),
                (true, true) => problem(
                    Place::Directive("payer"),
                    "the profile gives both a payer and a payer column; give one".into(),
                ),
                _ => {}
            }
            let (amount, fees, net) = (has(Field::Amount), has(Field::Fees), has(Field::Net));
            let gross_known = amount || (fees && net);
            if !gross_known {
                let place =
                    if fees || net { column_of(if fees { Field::Fees } else { Field::Net }) } else { Place::Whole };
                problem(
                    place,
                    "the profile has no `column amount` (the gross); give it, or both `column net` and `column fees`"
                        .into(),
                );
            }
            if !p.account.is_empty() {
                problem(Place::Directive("account"), "account is for profiles that make deposits".into());
            }
            let type_column = has(Field::Type);
            if type_column && p.types.is_empty() {
                problem(
                    column_of(Field::Type),
                    "the profile has a type column but no `type` lines to say what its values mean (like `type \
                     match Matching Gift`)"
                        .into(),
                );
            }
            if !type_column && !p.types.is_empty() {
                problem(Place::Type(0), "the profile has type lines but no `column type` whose values they are".into());
            }
        }
        Makes::Deposits => {
            let (amount, credit, debit) = (has(Field::Amount), has(Field::Credit), has(Field::Debit));
            if amount && (credit || debit) {
                problem(
                    column_of(Field::Amount),
                    "the profile gives both an amount column and credit/debit columns; give one or the other".into(),
                );
            }
            if !amount && !credit {
                problem(
                    Place::Whole,
                    "the profile says no amount: give `column amount NAME` (signed) or `column credit NAME` (and \
                     `column debit NAME`)"
                        .into(),
                );
            }
            if p.payer.is_some() {
                problem(Place::Directive("payer"), "payer is for profiles that make payments".into());
            }
            if !p.types.is_empty() {
                problem(Place::Type(0), "type lines are for profiles that make payments".into());
            }
        }
    }
    let mut first_type: HashMap<String, usize> = HashMap::new();
    for (i, (meaning, value)) in p.types.iter().enumerate() {
        if value.trim().is_empty() || value.trim() != value || line_problem(value).is_some() {
            problem(Place::Type(i), format!("a `type {}` value is empty or not one line", meaning.name()));
        }
        if let Some(&first) = first_type.get(&value.to_lowercase()) {
            problem(
                Place::Type(i),
                format!(
                    "the type value {value:?} is given twice (as {} before); give it once",
                    p.types[first].0.name()
                ),
            );
        } else {
            first_type.insert(value.to_lowercase(), i);
        }
    }
    if let Some(header) = &p.header {
        if header.trim().is_empty() || header.trim() != header || line_problem(header).is_some() {
            problem(Place::Directive("header"), "the header is empty or not one line".into());
        }
    }
    if p.account.trim() != p.account || p.payer.as_ref().is_some_and(|payer| payer.trim() != payer) {
        problem(Place::Whole, "the payer or account has spaces at its ends".into());
    }
    found
}

pub fn to_text(p: &Profile) -> String {
    let mut text = String::from("# Matchbook import profile\n");
    let mut line = |directive: &str, value: &str| text.push_str(&format!("{directive:<13} {value}\n"));
    line("profile", &p.name);
    line("makes", p.makes.name());
    if let Some(header) = &p.header {
        line("header", header);
    }
    line("skip", &p.skip.to_string());
    line("separator", &separator_text(p.separator));
    line("encoding", p.encoding.name());
    line("date-format", &p.date_format);
    line("decimal-mark", &p.decimal_mark.to_string());
    line("thousands", &thousands_text(p.thousands));
    if let Some(currency) = p.currency {
        line("currency", currency.as_str());
    }
    if let Some(payer) = &p.payer {
        line("payer", payer);
    }
    if !p.account.is_empty() {
        line("account", &p.account);
    }
    let mut sorted = p.clone();
    sort(&mut sorted);
    // `column date           Payment Date`, `type match    Matching Gift`: the values aligned.
    for (field, name) in &sorted.columns {
        text.push_str(&format!("column {:<14} {name}\n", field.name()));
    }
    for (meaning, value) in &sorted.types {
        text.push_str(&format!("type {:<8} {value}\n", meaning.name()));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    const YOURCAUSE: &str = include_str!("../../tests/data/profiles/yourcause.profile");
    const BANK: &str = include_str!("../../tests/data/profiles/bank.profile");

    fn errors(text: &str) -> Vec<(Option<u64>, String)> {
        parse("p.profile", text).unwrap_err().into_iter().map(|e| (e.line, e.message)).collect()
    }

    /// A payments profile with everything it needs, and `extra` lines after.
    fn payments(extra: &str) -> String {
        format!("profile P\nmakes payments\ncurrency EUR\npayer X\ncolumn date D\ncolumn amount A\ncolumn project P\n{extra}")
    }

    #[test]
    fn the_samples_parse_and_round_trip() {
        let yourcause = parse("yourcause.profile", YOURCAUSE).unwrap();
        assert_eq!(yourcause.name, "YourCause payouts");
        assert_eq!(yourcause.makes, Makes::Payments);
        assert_eq!(
            (yourcause.skip, yourcause.separator, yourcause.encoding, yourcause.decimal_mark, yourcause.thousands),
            (2, b';', Encoding::Windows1252, ',', Some('.'))
        );
        assert_eq!(yourcause.payer.as_deref(), Some("YourCause"));
        assert_eq!(yourcause.columns[0], (Field::Date, "Payment Date".to_string()));
        assert_eq!(
            yourcause.types,
            [
                (TypeMeaning::Match, "Matching Gift".to_string()),
                (TypeMeaning::Match, "Volunteer Grant".to_string()),
                (TypeMeaning::Gift, "Donation".to_string()),
                (TypeMeaning::Skip, "Refund".to_string()),
            ]
        );
        let bank = parse("bank.profile", BANK).unwrap();
        assert_eq!((bank.makes, bank.account.as_str(), bank.thousands), (Makes::Deposits, "Checking", Some(',')));
        for profile in [yourcause, bank] {
            let text = to_text(&profile);
            assert!(text.starts_with("# Matchbook import profile\n"), "{text}");
            assert_eq!(parse("again", &text).unwrap(), profile, "{text}");
            assert_eq!(to_text(&parse("again", &text).unwrap()), text);
            assert!(profile.check("p").is_ok());
        }
    }

    #[test]
    fn text_is_written_in_a_fixed_order_and_aligned() {
        let shuffled =
            payments("type skip Refund\ncolumn type Kind\ntype match Match\nthousands space\nseparator tab\n");
        let text = to_text(&parse("p", &shuffled).unwrap());
        assert_eq!(
            text,
            "# Matchbook import profile\n\
             profile       P\n\
             makes         payments\n\
             skip          0\n\
             separator     tab\n\
             encoding      utf-8\n\
             date-format   %Y-%m-%d\n\
             decimal-mark  .\n\
             thousands     space\n\
             currency      EUR\n\
             payer         X\n\
             column date           D\n\
             column amount         A\n\
             column project        P\n\
             column type           Kind\n\
             type match    Match\n\
             type skip     Refund\n"
        );
    }

    #[test]
    fn comments_blank_lines_and_hashes_in_values() {
        let text = payments("# a comment\n\n   # an indented one\nheader  Date;Nr # of gifts;Amount\r\n");
        let p = parse("p", &text).unwrap();
        assert_eq!(p.header.as_deref(), Some("Date;Nr # of gifts;Amount"));
    }

    #[test]
    fn every_mistake_is_reported_with_its_line() {
        let text = "profile P\nmakes payments\nfrobnicate 3\nskip two\nseparator :\ncolumn datum D\n\
                    encoding latin-9\ndate-format %d/%m/%Q\ndecimal-mark ;\nthousands _\ncurrency EURO\nmakes deposits\n";
        let found = errors(text);
        let lines: Vec<Option<u64>> = found.iter().map(|(l, _)| *l).collect();
        assert_eq!(lines, [3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map(Some), "{found:#?}");
        assert!(found[0].1.contains("unknown directive \"frobnicate\""), "{found:#?}");
        assert!(found[3].1.contains("unknown field \"datum\""), "{found:#?}");
        assert!(found[5].1.contains("%Q is not a date specifier"), "{found:#?}");
        assert!(found[9].1.contains("given twice (first on line 2)"), "{found:#?}");
    }

    #[test]
    fn what_the_lines_say_together_is_checked() {
        let found = errors("profile P\nmakes payments\ncolumn date D\ncolumn date E\ntype gift G\naccount A\n");
        let messages: Vec<&str> = found.iter().map(|(_, m)| m.as_str()).collect();
        assert_eq!(found[0].0, Some(4), "{found:#?}");
        assert!(messages[0].contains("field date is given twice"), "{found:#?}");
        assert_eq!(found[1].0, Some(5), "{found:#?}");
        assert!(messages[1].contains("type lines but no `column type`"), "{found:#?}");
        assert_eq!(found[2].0, Some(6));
        for lacking in ["no currency", "no `column project`", "no payer", "no `column amount`"] {
            assert!(found.iter().any(|(line, m)| line.is_none() && m.contains(lacking)), "{lacking}: {found:#?}");
        }
        let found = errors(&payments("column type Kind\n"));
        assert_eq!(found[0].0, Some(8));
        assert!(found[0].1.contains("no `type` lines"), "{found:#?}");
        let found = errors(&payments("column credit C\nthousands .\ndecimal-mark .\ntype match M\ntype gift m\n"));
        assert!(found.iter().any(|(l, m)| *l == Some(8) && m.contains("has no field credit")), "{found:#?}");
        assert!(found.iter().any(|(l, m)| *l == Some(9) && m.contains("is the decimal mark")), "{found:#?}");
        assert!(found.iter().any(|(l, m)| *l == Some(12) && m.contains("given twice")), "{found:#?}");
        assert_eq!(errors("")[0], (None, "the profile has no profile line (like `profile YourCause payouts`)".into()));
        let found = errors("profile B\nmakes deposits\ncolumn date D\ncurrency USD\ncolumn amount A\ncolumn debit B\n");
        assert!(found[0].1.contains("both an amount column and credit/debit"), "{found:#?}");
        assert_eq!(found[0].0, Some(5));
    }

    #[test]
    fn net_and_fees_may_stand_for_the_amount() {
        let text = payments("").replace("column amount A\n", "column net N\ncolumn fees F\n");
        assert!(parse("p", &text).is_ok());
        let found = errors(&text.replace("column fees F\n", ""));
        assert!(found[0].1.contains("no `column amount`"), "{found:#?}");
    }

    #[test]
    fn date_formats_are_checked() {
        for good in ["%Y-%m-%d", "%d.%m.%Y", "%m/%d/%y", "%e %b %Y", "%d %B %Y", "%Y%m%d"] {
            assert_eq!(date_format_problem(good), None, "{good}");
        }
        for bad in ["%d.%m", "%Y-%m-%d %H:%M", "%d.%m.%Y.%d", "", "%", "%Y-%j"] {
            assert!(date_format_problem(bad).is_some(), "{bad}");
        }
    }

    #[test]
    fn names_are_one_line_of_at_most_80_characters() {
        let long = "x".repeat(81);
        assert!(errors(&payments("").replace("profile P", &format!("profile {long}")))[0].1.contains("longer than 80"));
        assert!(errors(&payments("").replace("profile P", "profile P\u{7}Q"))[0].1.contains("control character"));
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]
        /// Any profile `parse` accepts is written back to text it reads as the same profile.
        #[test]
        fn profiles_round_trip_through_their_text(
            name in "[A-Za-z0-9][A-Za-z0-9 #;:.'-]{0,30}[A-Za-z0-9]",
            deposits in proptest::bool::ANY,
            header in proptest::option::of("[A-Za-z][A-Za-z0-9 ;,|#]{0,20}[a-z]"),
            skip in 0usize..5,
            separator in proptest::sample::select(vec![b',', b';', b'|', b'\t']),
            encoding in proptest::sample::select(vec![Encoding::Utf8, Encoding::Utf16, Encoding::Windows1252]),
            date_format in proptest::sample::select(vec!["%Y-%m-%d", "%d.%m.%Y", "%m/%d/%y", "%e %b %Y"]),
            marks in proptest::sample::select(vec![('.', None), ('.', Some(',')), (',', Some('.')), (',', Some(' ')), ('.', Some('\''))]),
            fixed_currency in proptest::bool::ANY,
            column_names in proptest::collection::vec("[A-Za-z][A-Za-z0-9 #/]{0,12}[a-z]", 6),
            descriptions in 0usize..3,
            types in proptest::collection::vec((0usize..3, "[A-Za-z][A-Za-z0-9 ]{0,10}[a-z]"), 0..4),
        ) {
            let mut p = Profile::new(&name, if deposits { Makes::Deposits } else { Makes::Payments });
            p.header = header;
            p.skip = skip;
            p.separator = separator;
            p.encoding = encoding;
            p.date_format = date_format.into();
            (p.decimal_mark, p.thousands) = marks;
            let column = |i: usize| column_names[i].clone();
            p.columns.push((Field::Date, column(0)));
            if fixed_currency {
                p.currency = Some("EUR".parse().unwrap());
            } else {
                p.columns.push((Field::Currency, column(1)));
            }
            if deposits {
                p.account = "Checking".into();
                p.columns.push((Field::Credit, column(2)));
                p.columns.push((Field::Balance, column(3)));
                for i in 0..descriptions {
                    p.columns.push((Field::Description, format!("{} {i}", column(4))));
                }
            } else {
                p.payer = Some("YourCause".into());
                p.columns.push((Field::Project, column(2)));
                p.columns.push((Field::Net, column(3)));
                p.columns.push((Field::Fees, column(4)));
                let mut seen = std::collections::HashSet::new();
                for (kind, value) in types {
                    if seen.insert(value.to_lowercase()) {
                        p.types.push((TypeMeaning::ALL[kind], value));
                    }
                }
                if !p.types.is_empty() {
                    p.columns.push((Field::Type, column(5)));
                }
            }
            sort(&mut p);
            let text = to_text(&p);
            proptest::prop_assert_eq!(parse("p", &text), Ok(p.clone()), "{}", text);
            proptest::prop_assert!(p.check("p").is_ok());
        }
    }
}
