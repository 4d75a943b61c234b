//! A platform's report as a table: its CSV read whole into rows that know their line (every limit
//! of [`crate::csv_text`] checked), a header whose columns are found by name, whatever their order,
//! and the cells, amounts and dates every platform writes alike.

use crate::csv_text::{read_failure, CheckedText, MAX_CELL_BYTES, MAX_COLUMNS};
use crate::ledger::{parse_date, LedgerError};
use crate::model::{Date, Person};
use crate::money::{self, Cents};
use std::collections::HashMap;

/// One row of a file that is not blank: its cells (trimmed) and the line it starts on.
#[derive(Debug, Clone)]
pub struct Row {
    pub line: u64,
    pub cells: Vec<String>,
}

/// A file's rows, and how many lines it has (for errors about its end).
#[derive(Debug)]
pub struct Rows {
    pub rows: Vec<Row>,
    pub last_line: u64,
}

/// An error about `file`, at `line`, in `column`.
pub fn fail(file: &str, line: u64, column: Option<&str>, message: impl Into<String>) -> LedgerError {
    LedgerError { file: file.into(), line: Some(line), column: column.map(str::to_string), message: message.into() }
}

/// Reads every row of `bytes` (UTF-8 text, `delimiter`-separated), skipping blank ones.
pub fn read_rows(file: &str, bytes: &[u8], delimiter: u8) -> Result<Rows, LedgerError> {
    let mut csv = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(CheckedText::new(bytes));
    let mut rows = Vec::new();
    let mut record = csv::StringRecord::new();
    loop {
        match csv.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                let line = csv.get_mut().line_at(record.position().map_or(0, |p| p.byte()));
                if record.len() > MAX_COLUMNS {
                    let message = format!("the line has {} cells; Matchbook reads at most {MAX_COLUMNS}", record.len());
                    return Err(fail(file, line, None, message));
                }
                if record.iter().any(|c| c.len() > MAX_CELL_BYTES) {
                    let message =
                        format!("a cell holds more than {} KiB, the most Matchbook reads", MAX_CELL_BYTES / 1024);
                    return Err(fail(file, line, None, message));
                }
                let cells: Vec<String> = record.iter().map(|c| c.trim().to_string()).collect();
                if cells.iter().any(|c| !c.is_empty()) {
                    rows.push(Row { line, cells });
                }
            }
            Err(e) => {
                let (line, message) = read_failure(&mut csv, e);
                return Err(LedgerError { file: file.into(), line, column: None, message });
            }
        }
    }
    Ok(Rows { last_line: csv.get_ref().lines(), rows })
}

/// A table's header: where each column is, found by its name compared case-insensitively.
#[derive(Debug)]
pub struct Header {
    pub line: u64,
    /// The names as the file writes them.
    titles: Vec<String>,
    places: HashMap<String, usize>,
    /// Cells a row must have: up to the last named column.
    width: usize,
}

impl Header {
    /// Reads `row` as a header. A name twice is an error; names not in `known` are returned as
    /// warnings ("unknown column ... ignored").
    pub fn new(file: &str, row: &Row, known: &[&str], layout: &str) -> Result<(Header, Vec<String>), LedgerError> {
        let mut places = HashMap::with_capacity(row.cells.len());
        let mut warnings = Vec::new();
        for (i, title) in row.cells.iter().enumerate() {
            let name = title.to_ascii_lowercase();
            if name.is_empty() {
                continue;
            }
            if !known.contains(&name.as_str()) {
                warnings.push(format!("{file}:{}: unknown column {title:?} in {layout}; ignored", row.line));
            }
            if places.insert(name, i).is_some() {
                return Err(fail(file, row.line, Some(title), "the column appears twice in the header"));
            }
        }
        let width = row.cells.iter().rposition(|n| !n.is_empty()).map_or(0, |i| i + 1);
        Ok((Header { line: row.line, titles: row.cells.clone(), places, width }, warnings))
    }

    /// Refuses a header without every one of `required`, naming those missing as the layout
    /// spells them.
    pub fn require(&self, file: &str, required: &[&str], what: &str) -> Result<(), LedgerError> {
        let missing: Vec<&str> = required.iter().copied().filter(|c| !self.has(c)).collect();
        if missing.is_empty() {
            return Ok(());
        }
        let names: Vec<String> = missing.iter().map(|c| title_case(c)).collect();
        Err(fail(file, self.line, None, format!("{what} lacks the column(s) {}", names.join(", "))))
    }

    pub fn has(&self, name: &str) -> bool {
        self.places.contains_key(name)
    }

    /// The cell of column `name` (lower case) in `row`; empty when the header has no such column.
    pub fn cell<'r>(&self, row: &'r Row, name: &str) -> &'r str {
        self.places.get(name).and_then(|&i| row.cells.get(i)).map_or("", String::as_str)
    }

    /// The column's name as the file writes it (for messages), or `name` when it has none.
    pub fn title<'a>(&'a self, name: &'a str) -> &'a str {
        self.places.get(name).map_or(name, |&i| self.titles[i].as_str())
    }

    /// Refuses a row with fewer cells than the header names.
    pub fn check_width(&self, file: &str, row: &Row) -> Result<(), LedgerError> {
        if row.cells.len() < self.width {
            let message =
                format!("the row has {} field(s) but the header has {} (a short row)", row.cells.len(), self.width);
            return Err(fail(file, row.line, None, message));
        }
        Ok(())
    }
}

/// `donation date` as a layout's documentation spells it: `Donation Date`.
fn title_case(name: &str) -> String {
    name.split(' ')
        .map(|w| {
            let mut c = w.chars();
            c.next().map_or(String::new(), |f| f.to_uppercase().chain(c).collect())
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// An amount as platforms write it: `1,000.00` (thousands separators allowed), never negative;
/// an empty cell is 0.
pub fn amount(file: &str, line: u64, column: &str, text: &str) -> Result<Cents, LedgerError> {
    if text.is_empty() {
        return Ok(0);
    }
    // A comma after the point is a decimal comma (`1.200,00`): without its comma the text would
    // read as 1.20.
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    let groups: Vec<&str> = whole.split(',').collect();
    let well_grouped = !fraction.contains(',')
        && (groups.len() == 1
            || (!groups[0].is_empty() && groups[0].len() <= 3 && groups[1..].iter().all(|g| g.len() == 3)));
    if !well_grouped {
        return Err(fail(file, line, Some(column), format!("{text:?} is not an amount like 1,000.00")));
    }
    money::parse_cents(&text.replace(',', "")).map_err(|e| fail(file, line, Some(column), e.to_string()))
}

/// A date as platforms write it: `2025-03-27`, or a timestamp of that day (`2025-03-27T09:15:40Z`).
pub fn date(file: &str, line: u64, column: &str, text: &str) -> Result<Date, LedgerError> {
    parse_date(text.get(..10).unwrap_or(text)).map_err(|_| {
        fail(file, line, Some(column), format!("{text:?} is not a date like 2025-03-27 or 2025-03-27T09:15:40Z"))
    })
}

/// A donor or company name that becomes a name in the book: refused when it holds characters
/// no name may hold (see [`crate::ledger::name_problem`]).
pub fn name(file: &str, line: u64, column: &str, text: &str) -> Result<String, LedgerError> {
    match crate::ledger::name_problem(text) {
        Some(problem) => Err(fail(file, line, Some(column), problem)),
        None => Ok(text.to_string()),
    }
}

/// The person a name and an email make, or `None` when neither is given; an email that is
/// not one is refused.
pub fn person(file: &str, line: u64, name: String, email: (&str, String)) -> Result<Option<Person>, LedgerError> {
    let (email_column, email) = email;
    if !email.is_empty() && (!email.contains('@') || email.contains(char::is_whitespace)) {
        return Err(fail(file, line, Some(email_column), format!("{email:?} is not an email address")));
    }
    Ok(match (name.is_empty(), email.is_empty()) {
        (true, true) => None,
        (true, false) => Some(Person { name: email.clone(), email }),
        _ => Some(Person { name, email }),
    })
}

/// Splits `total` over `weights` in proportion, the rounding remainder cent by cent to the
/// largest shares first (ties to the earliest), so that the parts add up to `total` exactly.
pub fn split_in_proportion(total: Cents, weights: &[Cents]) -> Vec<Cents> {
    let sum: i128 = weights.iter().map(|&w| i128::from(w)).sum();
    if sum == 0 {
        let mut parts = vec![0; weights.len()];
        if let Some(first) = parts.first_mut() {
            *first = total;
        }
        return parts;
    }
    let exact: Vec<(i128, i128)> = weights
        .iter()
        .map(|&w| (i128::from(total) * i128::from(w) / sum, i128::from(total) * i128::from(w) % sum))
        .collect();
    let mut parts: Vec<Cents> = exact.iter().map(|&(q, _)| q as Cents).collect();
    let mut left = total - parts.iter().sum::<Cents>();
    let mut order: Vec<usize> = (0..weights.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(exact[i].1));
    for i in order {
        if left == 0 {
            break;
        }
        parts[i] += left.signum();
        left -= left.signum();
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_add_up() {
        assert_eq!(split_in_proportion(2500, &[10000, 10000, 20000]), [625, 625, 1250]);
        assert_eq!(split_in_proportion(100, &[1, 1, 1]), [34, 33, 33]);
        assert_eq!(split_in_proportion(7, &[0, 0]), [7, 0]);
    }

    #[test]
    fn amounts_and_dates() {
        assert_eq!(amount("f", 1, "A", "1,200.00"), Ok(120_000));
        assert!(amount("f", 1, "A", "1,20.00").is_err());
        assert!(amount("f", 1, "A", "1.200,00").is_err(), "a decimal comma is not 1.20");
        assert_eq!(date("f", 1, "D", "2025-03-27T00:00:00Z").unwrap().to_string(), "2025-03-27");
        assert!(date("f", 1, "D", "27/03/2025").is_err());
    }
}
