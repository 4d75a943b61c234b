//! The catalogue of known employer programs: real programs a treasurer can start a program version
//! from, each with the source its figures come from and the date that source describes.
//!
//! The catalogue is data, `data/program-catalogue.csv`, compiled in: the columns of `programs.csv`
//! (without `id`) after an `entry` key, then `source_title`, `source_url`, `source_date` and
//! `notes`. Every entry's program columns are read as a one-row `programs.csv` through the same
//! reader a form's row and an imported file go through, so an entry the import would refuse is
//! refused here too. `docs/program-catalogue.md` cites each entry.
//!
//! Figures come only from the cited sources; what a source does not state is left empty and the
//! entry's notes say so. Employers change their programs: every figure is to be checked with the
//! employer before use ([`CHECK_WITH_EMPLOYER`]).

use crate::ledger::{self, LedgerError};
use crate::model::{ProgramVersion, Record, RecordKind};
use crate::report::{Cell, Table};
use crate::store::{reader_of_fields, Fields};

/// The catalogue as shipped.
pub const CATALOGUE_CSV: &str = include_str!("../data/program-catalogue.csv");

/// The name the shipped catalogue goes by in errors.
pub const CATALOGUE_FILE: &str = "data/program-catalogue.csv";

/// What every entry carries, wherever it is shown.
pub const CHECK_WITH_EMPLOYER: &str = "Check every figure with the employer before use: these are what a public \
     source said on its date, not the employer's current terms.";

/// The catalogue's columns besides the program's.
const SOURCE_COLUMNS: [&str; 4] = ["source_title", "source_url", "source_date", "notes"];

/// One known program, as a source described it.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct CatalogueEntry {
    /// A stable key, e.g. `microsoft-hours`.
    pub entry: String,
    /// The program version's columns as text, as a form holds them (no `id`).
    #[cfg_attr(feature = "typescript", ts(type = "Record<string, string>"))]
    pub fields: Fields,
    pub source_title: String,
    pub source_url: String,
    /// The date the source describes or was published: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    pub source_date: String,
    /// What the source says, and what it leaves unsaid (and so is left empty).
    pub notes: String,
    /// The reminder to check every figure with the employer before use.
    pub check: String,
    /// The version as the import reads it.
    #[serde(skip)]
    #[cfg_attr(feature = "typescript", ts(skip))]
    pub version: ProgramVersion,
}

impl CatalogueEntry {
    /// A field of the program, or "".
    pub fn field(&self, column: &str) -> &str {
        self.fields.get(column).map_or("", String::as_str)
    }
}

/// The shipped catalogue, in its file's order.
pub fn catalogue() -> Result<Vec<CatalogueEntry>, LedgerError> {
    parse(CATALOGUE_FILE, CATALOGUE_CSV)
}

/// Reads a catalogue's text; `file` names it in errors, whose lines count the header as line 1.
pub fn parse(file: &str, text: &str) -> Result<Vec<CatalogueEntry>, LedgerError> {
    let fail = |line: Option<u64>, column: Option<&str>, message: String| LedgerError {
        file: file.to_string(),
        line,
        column: column.map(str::to_string),
        message,
    };
    let program_columns: Vec<&str> = ledger::header(RecordKind::Programs).into_iter().filter(|c| *c != "id").collect();
    let expected: Vec<&str> =
        std::iter::once("entry").chain(program_columns.iter().copied()).chain(SOURCE_COLUMNS).collect();
    let mut csv = csv::ReaderBuilder::new().has_headers(true).from_reader(text.as_bytes());
    let header = csv.headers().map_err(|e| fail(Some(1), None, e.to_string()))?.clone();
    if header.iter().collect::<Vec<_>>() != expected {
        return Err(fail(Some(1), None, format!("the header must be: {}", expected.join(","))));
    }
    let mut entries: Vec<CatalogueEntry> = Vec::new();
    for row in csv.records() {
        let row = row.map_err(|e| fail(e.position().map(|p| p.line()), None, e.to_string()))?;
        let line = row.position().map_or(0, |p| p.line());
        let cell =
            |column: &str| row.get(header.iter().position(|h| h == column).expect("checked header")).unwrap_or("");
        let entry = cell("entry").trim().to_string();
        if entry.is_empty() || !entry.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-') {
            return Err(fail(Some(line), Some("entry"), format!("{entry:?} is not a key of a-z, 0-9 and -")));
        }
        if entries.iter().any(|e| e.entry == entry) {
            return Err(fail(Some(line), Some("entry"), format!("{entry:?} appears twice")));
        }
        let fields: Fields =
            program_columns.iter().map(|&column| (column.to_string(), cell(column).to_string())).collect();
        let version = read_version(file, line, &fields)?;
        if let Some(other) = entries.iter().find(|e| e.version.program == version.program) {
            return Err(fail(
                Some(line),
                Some("program"),
                format!("{:?} is also entry {:?}; each entry is its own program", version.program, other.entry),
            ));
        }
        let source_url = cell("source_url").trim().to_string();
        if !source_url.starts_with("https://") && !source_url.starts_with("http://") {
            return Err(fail(Some(line), Some("source_url"), "every entry cites a source by its address".into()));
        }
        let source_date = cell("source_date").trim().to_string();
        if let Err(why) = check_source_date(&source_date) {
            return Err(fail(Some(line), Some("source_date"), why));
        }
        let source_title = cell("source_title").trim().to_string();
        let notes = cell("notes").trim().to_string();
        for (column, value) in [("source_title", &source_title), ("notes", &notes)] {
            if value.is_empty() {
                return Err(fail(Some(line), Some(column), "is empty; every entry says where it comes from".into()));
            }
        }
        entries.push(CatalogueEntry {
            entry,
            fields,
            source_title,
            source_url,
            source_date,
            notes,
            check: CHECK_WITH_EMPLOYER.to_string(),
            version,
        });
    }
    Ok(entries)
}

/// The entry's program columns, read as a one-row `programs.csv` by the import's reader; its errors
/// are given the entry's line.
fn read_version(file: &str, line: u64, fields: &Fields) -> Result<ProgramVersion, LedgerError> {
    let relined = |e: LedgerError| LedgerError { file: file.to_string(), line: Some(line), ..e };
    let mut reader = reader_of_fields(RecordKind::Programs, std::slice::from_ref(fields), file).map_err(relined)?;
    match reader.next_record() {
        Some(Ok((_, Record::Program(version)))) => Ok(version),
        Some(Err(e)) => Err(relined(e)),
        _ => unreachable!("one programs row read as a program"),
    }
}

/// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, a real day.
fn check_source_date(text: &str) -> Result<(), String> {
    let full = match text.len() {
        4 => format!("{text}-01-01"),
        7 => format!("{text}-01"),
        _ => text.to_string(),
    };
    ledger::parse_date(&full)
        .map(|_| ())
        .map_err(|_| format!("{text:?} is not a date the source describes: YYYY, YYYY-MM or YYYY-MM-DD"))
}

/// What an entry's program earns, in a few words: `25.00 per hour`, `1:1 match from 50.00`.
pub fn earns(entry: &CatalogueEntry) -> String {
    let f = |column: &str| entry.field(column);
    let mut out = match f("kind") {
        "volunteer" if !f("rate_per_hour").is_empty() => format!("{} per hour", f("rate_per_hour")),
        "volunteer" => format!("{} per {} hours", f("block_amount"), f("block_hours")),
        _ => format!("{}:1 match", f("match_ratio")),
    };
    for (column, words) in [
        ("min_hours", "after {} hours"),
        ("min_gift", "from {}"),
        ("max_gift", "up to {} a gift"),
        ("annual_cap", "capped at {} a year"),
    ] {
        if !f(column).is_empty() {
            out += &format!(", {}", words.replace("{}", f(column)));
        }
    }
    out
}

/// The catalogue as a short table: key, program, employer, what it earns, and the source.
pub fn summary_table(entries: &[CatalogueEntry]) -> Table {
    let columns = ["entry", "program", "employer", "kind", "currency", "earns", "source_date", "source_url"];
    let rows = entries
        .iter()
        .map(|e| {
            [
                e.entry.clone(),
                e.field("program").to_string(),
                e.field("employer").to_string(),
                e.field("kind").to_string(),
                e.field("currency").to_string(),
                earns(e),
                e.source_date.clone(),
                e.source_url.clone(),
            ]
            .into_iter()
            .map(Cell::Text)
            .collect()
        })
        .collect();
    Table { columns: columns.map(String::from).to_vec(), rows }
}

/// The catalogue whole, in its file's columns.
pub fn full_table(entries: &[CatalogueEntry]) -> Table {
    let program_columns: Vec<&str> = ledger::header(RecordKind::Programs).into_iter().filter(|c| *c != "id").collect();
    let columns: Vec<String> = std::iter::once("entry")
        .chain(program_columns.iter().copied())
        .chain(SOURCE_COLUMNS)
        .map(String::from)
        .collect();
    let rows = entries
        .iter()
        .map(|e| {
            std::iter::once(e.entry.clone())
                .chain(program_columns.iter().map(|c| e.field(c).to_string()))
                .chain([e.source_title.clone(), e.source_url.clone(), e.source_date.clone(), e.notes.clone()])
                .map(Cell::Text)
                .collect()
        })
        .collect();
    Table { columns, rows }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_row(row: &str) -> String {
        let header = CATALOGUE_CSV.lines().next().unwrap();
        format!("{header}\n{row}\n")
    }

    const GOOD: &str = "x-hours,X Volunteer,X,,volunteer,USD,2020-01-01,,10.00,,,,,,,,,,,,A page,https://example.org/x,2020,Says 10 an hour.";

    #[test]
    fn a_good_row_reads() {
        let entries = parse("t.csv", &with_row(GOOD)).unwrap();
        assert_eq!(entries.len(), 1);
        assert_eq!(entries[0].version.program, "X Volunteer");
        assert_eq!(earns(&entries[0]), "10.00 per hour");
    }

    #[test]
    fn a_row_the_import_refuses_is_refused_with_its_line_and_column() {
        // A volunteer version with a match ratio.
        let bad = GOOD.replace("10.00,,,,,", "10.00,,,,1,");
        let e = parse("t.csv", &with_row(&bad)).unwrap_err();
        assert_eq!((e.line, e.column.as_deref()), (Some(2), Some("match_ratio")), "{e}");
    }

    #[test]
    fn sources_and_dates_are_required() {
        let no_url = GOOD.replace("https://example.org/x", "");
        assert_eq!(parse("t.csv", &with_row(&no_url)).unwrap_err().column.as_deref(), Some("source_url"));
        for date in ["", "20", "2020-13", "2020-02-30", "soon"] {
            let bad = GOOD.replace(",2020,", &format!(",{date},"));
            assert_eq!(parse("t.csv", &with_row(&bad)).unwrap_err().column.as_deref(), Some("source_date"), "{date}");
        }
        let no_notes = GOOD.replace("Says 10 an hour.", "");
        assert_eq!(parse("t.csv", &with_row(&no_notes)).unwrap_err().column.as_deref(), Some("notes"));
    }

    #[test]
    fn entries_and_programs_are_unique() {
        let twice = format!("{}{GOOD}\n", with_row(GOOD));
        assert_eq!(parse("t.csv", &twice).unwrap_err().column.as_deref(), Some("entry"));
        let same_program = format!("{}{}\n", with_row(GOOD), GOOD.replacen("x-hours", "y-hours", 1));
        assert_eq!(parse("t.csv", &same_program).unwrap_err().column.as_deref(), Some("program"));
    }
}
