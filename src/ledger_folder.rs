//! A ledger kept as files, in a folder of a git repository say, used without a book: checked as an
//! import would check it ([`check`], `matchbook check`), or read into a book in memory that
//! reports run on ([`open`], `matchbook report --ledger`).
//!
//! Both go through the import itself, into a book in memory ([`Store::open_in_memory`]): the
//! same rows are refused for the same reasons, names are resolved and what spans files (versions
//! of a program that overlap, links naming entries) is checked as it would be in a book, and a
//! book in memory reports what a book with the same files imported would.

use crate::ledger::LedgerError;
use crate::model::Date;
use crate::reconcile;
use crate::store::{FileReport, ImportOptions, ImportOutcome, Store, StoreError};
use std::path::PathBuf;

/// What [`check`] found: the files read (when nothing is wrong), or every problem.
#[derive(Debug)]
pub struct Checked {
    pub files: Vec<FileReport>,
    /// Every problem, up to [`crate::store::MAX_IMPORT_ERRORS`] (where an import stops looking);
    /// problems that span files are looked for once every file is right.
    pub problems: Vec<LedgerError>,
}

/// Checks `paths` (files, or folders of them) as an import into an empty book would, writing
/// nothing anywhere. `options.dry_run` is implied.
pub fn check(paths: &[PathBuf], options: &ImportOptions) -> Result<Checked, StoreError> {
    let mut store = Store::open_in_memory(&name_of(paths))?;
    let options = ImportOptions { dry_run: true, ..options.clone() };
    Ok(match store.import(paths, &options, &mut |_| {})? {
        ImportOutcome::Imported(files) => Checked { files, problems: Vec::new() },
        ImportOutcome::Rejected(problems) => Checked { files: Vec::new(), problems },
        ImportOutcome::Cancelled => unreachable!("nothing cancels a check"),
    })
}

/// A ledger read into a book in memory, or why it cannot be.
pub enum Opened {
    Book { store: Store, files: Vec<FileReport> },
    Refused(Vec<LedgerError>),
}

/// Reads `paths` (files, or folders of them) into a new book in memory, all or nothing, as
/// `matchbook import` reads them into a book: the import, then the reconciliation that follows
/// it as of `today`. Its reports are those of a book that imported the same files (new ids
/// apart, which carry [`crate::store::IN_MEMORY_TAG`] instead of a book's own tag).
pub fn open(paths: &[PathBuf], options: &ImportOptions, today: Date) -> Result<Opened, StoreError> {
    let mut store = Store::open_in_memory(&name_of(paths))?;
    let options = ImportOptions { dry_run: false, ..options.clone() };
    let outcome = store.import(paths, &options, &mut |_| {})?;
    reconcile::after_import(&mut store, &options, &outcome, today)?;
    Ok(match outcome {
        ImportOutcome::Imported(files) => Opened::Book { store, files },
        ImportOutcome::Rejected(problems) => Opened::Refused(problems),
        ImportOutcome::Cancelled => unreachable!("nothing cancels reading a ledger"),
    })
}

/// How messages name a book in memory made of `paths`.
fn name_of(paths: &[PathBuf]) -> String {
    let shown: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    format!("the ledger {} (read into memory)", shown.join(", "))
}

/// A problem as a GitHub Actions workflow command, `::error file=F,line=L,title=T::MESSAGE`, which
/// shows it on the line of a pull request's file: the column's name is the title; a problem
/// without a line annotates the file.
pub fn github_error(problem: &LedgerError) -> String {
    let title = problem.column.as_ref().map(|c| format!("column {c}"));
    github_command("error", &problem.file, problem.line, title.as_deref(), &problem.message)
}

/// A warning about `file` as a GitHub Actions workflow command, on its line when the warning
/// starts with the file and a line (`FILE:LINE: ...`, as an import's do).
pub fn github_warning(file: &str, warning: &str) -> String {
    let after_file = warning.strip_prefix(file).and_then(|rest| rest.strip_prefix(':'));
    let line = after_file.and_then(|rest| rest.split_once(':')).and_then(|(n, rest)| Some((n.parse().ok()?, rest)));
    match (line, after_file) {
        (Some((line, rest)), _) => github_command("warning", file, Some(line), None, rest.trim_start()),
        (None, Some(rest)) => github_command("warning", file, None, None, rest.trim_start()),
        (None, None) => github_command("warning", file, None, None, warning),
    }
}

/// One workflow command, its properties and its message escaped as GitHub documents: `%`, CR and
/// LF in both, and `:` and `,` in properties too. The file is given relative to the repository,
/// as the path was given (from its top, where a workflow's steps run), with `/` between folders
/// and without a leading `./`.
fn github_command(command: &str, file: &str, line: Option<u64>, title: Option<&str>, message: &str) -> String {
    let mut file = file.to_string();
    if std::path::MAIN_SEPARATOR != '/' {
        file = file.replace(std::path::MAIN_SEPARATOR, "/");
    }
    let mut file = file.as_str();
    while let Some(rest) = file.strip_prefix("./") {
        file = rest.trim_start_matches('/');
    }
    let mut text = format!("::{command} file={}", escape_property(file));
    if let Some(line) = line {
        text += &format!(",line={line}");
    }
    if let Some(title) = title {
        text += &format!(",title={}", escape_property(title));
    }
    text + "::" + &escape_data(message)
}

fn escape_data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem(file: &str, line: Option<u64>, column: Option<&str>, message: &str) -> LedgerError {
        LedgerError { file: file.into(), line, column: column.map(String::from), message: message.into() }
    }

    #[test]
    fn a_problem_is_an_error_command_on_its_line() {
        let p = problem("ledger/hours.csv", Some(3), Some("hours"), "\"25\" is out of range");
        assert_eq!(github_error(&p), "::error file=ledger/hours.csv,line=3,title=column hours::\"25\" is out of range");
        let p = problem("./ledger/empty.csv", None, None, "the file is empty");
        assert_eq!(github_error(&p), "::error file=ledger/empty.csv::the file is empty");
    }

    /// As GitHub's toolkit escapes them: `%`, CR and LF everywhere, `:` and `,` in properties.
    #[test]
    fn commands_are_escaped() {
        let p = problem("a,b:c%.csv", Some(2), Some("x,y"), "50% of\r\n\"a:b,c\"");
        assert_eq!(
            github_error(&p),
            "::error file=a%2Cb%3Ac%25.csv,line=2,title=column x%2Cy::50%25 of%0D%0A\"a:b,c\""
        );
        assert_eq!(github_warning("h.csv", "column colour: ignored"), "::warning file=h.csv::column colour: ignored");
        assert_eq!(
            github_warning("h.csv", "h.csv:1: column colour: ignored"),
            "::warning file=h.csv,line=1::column colour: ignored"
        );
        assert_eq!(github_warning("h.csv", "h.csv: no rows"), "::warning file=h.csv::no rows");
    }
}
