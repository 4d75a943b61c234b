//! The book's files besides its records: which payment line pays which entry (`reconciled.csv`),
//! which deposit brought which payout (`bank-matches.csv`), what the values of a platform report's
//! columns mean (`project-mappings.csv`) and what the treasurer told the book about a platform
//! (`platform-settings.csv`), how to read the layouts it has no reader for
//! (`import-profiles.csv`) and when each platform pays (`platforms.csv`). All are decisions a
//! treasurer made, so an export carries them and an import of that folder restores them, in the
//! same transaction as the records and after them (a link names records that the same import may
//! bring).

use super::bank_matches;
use super::import::FileReport;
use super::links;
use super::mapping;
use super::platforms;
use super::profiles;
use super::settings;
use crate::csv_text::{read_failure, CheckedText};
use crate::ledger::{guard_formula, unguard_formula, LedgerError};
use crate::model::Status;
use rusqlite::{params, OptionalExtension, Transaction};
use std::fmt;

/// Which of the files.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum BookFile {
    /// `payment,entry,prior_status,how`: one row per entry a payment line pays.
    #[serde(rename = "reconciled")]
    Reconciled,
    /// `platform,field,value,project`: one row per remembered report value.
    #[serde(rename = "project mappings")]
    ProjectMappings,
    /// `platform,setting,value`: one row per answer about a platform's reports.
    #[serde(rename = "platform settings")]
    PlatformSettings,
    /// `deposit,payout,how,note`: one row per deposit matched or marked.
    #[serde(rename = "bank matches")]
    BankMatches,
    /// `name,profile`: one row per saved import profile, its text whole.
    #[serde(rename = "import profiles")]
    ImportProfiles,
    /// `name,review_days,payout,minimum_payout,check_fee,notes`: one row per platform's payout
    /// schedule (see [`crate::forecast`]).
    #[serde(rename = "platforms")]
    Platforms,
}

impl BookFile {
    /// In the order an import applies them: a mapping may name a profile's platform.
    pub const ALL: [BookFile; 6] = [
        BookFile::Platforms,
        BookFile::ImportProfiles,
        BookFile::PlatformSettings,
        BookFile::ProjectMappings,
        BookFile::Reconciled,
        BookFile::BankMatches,
    ];

    /// The file's name in an export.
    pub fn file_name(self) -> &'static str {
        match self {
            BookFile::Reconciled => "reconciled.csv",
            BookFile::ProjectMappings => "project-mappings.csv",
            BookFile::PlatformSettings => "platform-settings.csv",
            BookFile::BankMatches => "bank-matches.csv",
            BookFile::ImportProfiles => "import-profiles.csv",
            BookFile::Platforms => "platforms.csv",
        }
    }

    pub fn header(self) -> &'static [&'static str] {
        match self {
            BookFile::Reconciled => &["payment", "entry", "prior_status", "how"],
            BookFile::ProjectMappings => &["platform", "field", "value", "project"],
            BookFile::PlatformSettings => &["platform", "setting", "value"],
            BookFile::BankMatches => &["deposit", "payout", "how", "note"],
            BookFile::ImportProfiles => &["name", "profile"],
            BookFile::Platforms => &["name", "review_days", "payout", "minimum_payout", "check_fee", "notes"],
        }
    }

    /// Columns that must hold a value in every row.
    fn required(self) -> &'static [&'static str] {
        match self {
            BookFile::Reconciled => &["payment", "entry"],
            BookFile::ProjectMappings => &["platform", "field", "value", "project"],
            BookFile::PlatformSettings => &["platform", "setting", "value"],
            BookFile::BankMatches => &["deposit", "how"],
            BookFile::ImportProfiles => &["name", "profile"],
            BookFile::Platforms => &["name", "payout"],
        }
    }

    /// The file whose header names exactly these columns, in any order and case.
    pub fn recognise(header: &[String]) -> Option<BookFile> {
        BookFile::ALL.into_iter().find(|f| {
            let mut wanted = f.header().to_vec();
            wanted.sort_unstable();
            let mut got: Vec<&str> = header.iter().map(|h| h.as_str()).collect();
            got.sort_unstable();
            got == wanted
        })
    }
}

impl fmt::Display for BookFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            BookFile::Reconciled => "reconciled",
            BookFile::ProjectMappings => "project mappings",
            BookFile::PlatformSettings => "platform settings",
            BookFile::BankMatches => "bank matches",
            BookFile::ImportProfiles => "import profiles",
            BookFile::Platforms => "platforms",
        })
    }
}

/// One row of a book file: its line and its values in [`BookFile::header`] order.
pub(super) type BookRow = (u64, Vec<String>);

/// Reads every row of a book file (whose [`header_of`] is `header`), or every problem found in it.
pub(super) fn read(
    file: &str,
    bytes: &[u8],
    kind: BookFile,
    header: &[String],
) -> Result<Vec<BookRow>, Vec<LedgerError>> {
    let error = |line: Option<u64>, column: Option<&str>, message: String| LedgerError {
        file: file.to_string(),
        line,
        column: column.map(str::to_string),
        message,
    };
    let positions: Vec<usize> =
        kind.header().iter().map(|c| header.iter().position(|h| h == c).expect("a recognised header")).collect();
    let mut csv = csv::ReaderBuilder::new().has_headers(true).flexible(true).from_reader(CheckedText::new(bytes));
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    let mut record = csv::StringRecord::new();
    loop {
        match csv.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                let (line, message) = read_failure(&mut csv, e);
                errors.push(error(line, None, message));
                break;
            }
        }
        let line = csv.get_mut().line_at(record.position().map_or(0, |p| p.byte()));
        if record.len() != header.len() {
            let message = format!("the row has {} field(s) but the header has {}", record.len(), header.len());
            errors.push(error(Some(line), None, message));
            continue;
        }
        let values: Vec<String> = positions.iter().map(|&i| unguard_formula(record[i].trim()).to_string()).collect();
        for (column, value) in kind.header().iter().zip(&values) {
            if kind.required().contains(column) && value.is_empty() {
                errors.push(error(Some(line), Some(column), "needs a value".into()));
            }
        }
        rows.push((line, values));
    }
    if errors.is_empty() {
        Ok(rows)
    } else {
        Err(errors)
    }
}

/// Writes every row of `kind` from the book, formulas guarded as in the ledger's files.
pub(super) fn export(
    conn: &rusqlite::Connection,
    kind: BookFile,
    out: impl std::io::Write,
) -> Result<u64, super::StoreError> {
    let sql = match kind {
        BookFile::Reconciled => "SELECT payment, entry, prior_status, how FROM reconciled ORDER BY payment, entry",
        BookFile::ProjectMappings => {
            "SELECT platform, field, value, project FROM project_map ORDER BY platform, field, value_key"
        }
        BookFile::PlatformSettings => {
            "SELECT platform, setting, value FROM platform_settings ORDER BY platform, setting"
        }
        BookFile::BankMatches => "SELECT deposit, payout, how, note FROM bank_matches ORDER BY deposit",
        BookFile::ImportProfiles => "SELECT name, text FROM import_profiles ORDER BY name_key",
        BookFile::Platforms => platforms::EXPORT_SQL,
    };
    let mut csv = csv::Writer::from_writer(out);
    csv.write_record(kind.header()).map_err(std::io::Error::from)?;
    let mut stmt = conn.prepare(sql)?;
    let mut rows = stmt.query([])?;
    let mut count = 0;
    while let Some(r) = rows.next()? {
        let values: Vec<String> = (0..kind.header().len()).map(|i| r.get(i)).collect::<rusqlite::Result<_>>()?;
        csv.write_record(values.iter().map(|v| guard_formula(v).into_owned())).map_err(std::io::Error::from)?;
        count += 1;
    }
    csv.flush()?;
    Ok(count)
}

/// Applies the rows of one book file to the book: each link or mapping is added, replaced (same
/// key, other values) or left as it is. A problem is pushed to `errors` with its line and column.
pub(super) fn apply(
    tx: &Transaction,
    kind: BookFile,
    rows: &[BookRow],
    report: &mut FileReport,
    errors: &mut Vec<LedgerError>,
) -> Result<(), super::StoreError> {
    for (line, values) in rows {
        report.rows += 1;
        let mut problem = |column: &str, message: String| {
            errors.push(LedgerError {
                file: report.file.clone(),
                line: Some(*line),
                column: Some(column.to_string()),
                message,
            })
        };
        let outcome = match kind {
            BookFile::Reconciled => apply_link(tx, values, &mut problem)?,
            BookFile::ProjectMappings => apply_mapping(tx, values, &mut problem)?,
            BookFile::PlatformSettings => apply_setting(tx, values, &mut problem)?,
            BookFile::BankMatches => apply_bank_match(tx, values, &mut problem)?,
            BookFile::ImportProfiles => apply_profile(tx, values, &mut problem)?,
            BookFile::Platforms => apply_platform(tx, values, &mut problem)?,
        };
        match outcome {
            Some(Outcome::Added) => report.added += 1,
            Some(Outcome::Replaced) => report.replaced += 1,
            Some(Outcome::Unchanged) => report.unchanged += 1,
            None => {}
        }
    }
    Ok(())
}

enum Outcome {
    Added,
    Replaced,
    Unchanged,
}

/// `payment,entry,prior_status,how`: the entry becomes `paid`, as when the link is made in the app.
fn apply_link(
    tx: &Transaction,
    values: &[String],
    problem: &mut dyn FnMut(&str, String),
) -> Result<Option<Outcome>, super::StoreError> {
    let [payment, entry, prior, how] = values else { unreachable!("a reconciled row has four values") };
    let prior: Status = match if prior.is_empty() { Ok(Status::Logged) } else { prior.parse() } {
        Ok(status) => status,
        Err(e) => {
            problem("prior_status", e);
            return Ok(None);
        }
    };
    let how = if how.is_empty() { "chosen" } else { how.as_str() };
    if !["auto", "chosen"].contains(&how) {
        problem("how", format!("unknown value {how:?} (expected auto or chosen)"));
        return Ok(None);
    }
    let Some(paid_on) = links::payment_date(tx, payment)? else {
        problem("payment", format!("no payment {payment} in the book or in this import"));
        return Ok(None);
    };
    let kind = match super::records::find_entry_in(tx, entry) {
        Ok((kind, _, _)) => kind.record_kind(),
        Err(super::StoreError::UnknownId(_)) => {
            problem("entry", format!("no hours or donation entry {entry} in the book or in this import"));
            return Ok(None);
        }
        Err(e) => return Err(e),
    };
    let outcome = match links::link_of(tx, entry)? {
        Some(link) if &link.payment != payment => {
            problem("entry", links::already_paid(entry, &link.payment));
            return Ok(None);
        }
        Some(link) if link.prior_status == prior && link.how == how => Outcome::Unchanged,
        Some(_) => {
            tx.execute(
                "UPDATE reconciled SET prior_status = ?2, how = ?3 WHERE entry = ?1",
                params![entry, prior.name(), how],
            )?;
            Outcome::Replaced
        }
        None => {
            tx.execute(
                "INSERT INTO reconciled(payment, entry, prior_status, how) VALUES (?1, ?2, ?3, ?4)",
                params![payment, entry, prior.name(), how],
            )?;
            Outcome::Added
        }
    };
    links::mark_paid(tx, kind, entry, paid_on)?;
    Ok(Some(outcome))
}

/// `platform,field,value,project`, as `matchbook map set` takes them.
fn apply_mapping(
    tx: &Transaction,
    values: &[String],
    problem: &mut dyn FnMut(&str, String),
) -> Result<Option<Outcome>, super::StoreError> {
    let [platform, field, value, project] = values else { unreachable!("a mapping row has four values") };
    let mapping = mapping::ProjectMapping {
        platform: platform.to_ascii_lowercase(),
        field: field.clone(),
        value: value.clone(),
        project: project.clone(),
    };
    let key = match mapping::checked(&mapping) {
        Ok(key) => key,
        Err((column, message)) => {
            problem(column, message);
            return Ok(None);
        }
    };
    if !mapping::platform_exists(tx, &key.0)? {
        problem("platform", mapping::unknown_platform(platform));
        return Ok(None);
    }
    let existing: Option<(String, String)> = tx
        .query_row(
            "SELECT value, project FROM project_map WHERE platform = ?1 AND field = ?2 AND value_key = ?3",
            params![key.0, key.1, key.2],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let outcome = match existing {
        Some((v, p)) if &v == value && &p == project => return Ok(Some(Outcome::Unchanged)),
        Some(_) => Outcome::Replaced,
        None => Outcome::Added,
    };
    mapping::remember(tx, &mapping)?;
    Ok(Some(outcome))
}

/// `name,profile`, as `matchbook profile import` takes a profile's text.
fn apply_profile(
    tx: &Transaction,
    values: &[String],
    problem: &mut dyn FnMut(&str, String),
) -> Result<Option<Outcome>, super::StoreError> {
    let [name, text] = values else { unreachable!("a profile row has two values") };
    let profile = match crate::profile::Profile::parse(name, text) {
        Ok(profile) => profile,
        Err(errors) => {
            problem("profile", profiles::joined(&errors));
            return Ok(None);
        }
    };
    if profile.name != *name {
        problem("name", format!("the profile's text names it {:?}", profile.name));
        return Ok(None);
    }
    if let Err(message) = profiles::checked(&profile) {
        problem("profile", message);
        return Ok(None);
    }
    let existing: Option<String> = tx
        .query_row("SELECT text FROM import_profiles WHERE name_key = ?1", [profile.key()], |r| r.get(0))
        .optional()?;
    let outcome = match existing {
        Some(t) if t == profile.to_text() => return Ok(Some(Outcome::Unchanged)),
        Some(_) => Outcome::Replaced,
        None => Outcome::Added,
    };
    profiles::remember(tx, &profile)?;
    Ok(Some(outcome))
}

/// `name,review_days,payout,minimum_payout,check_fee,notes`: a platform's payout schedule.
fn apply_platform(
    tx: &Transaction,
    values: &[String],
    problem: &mut dyn FnMut(&str, String),
) -> Result<Option<Outcome>, super::StoreError> {
    let [name, review_days, payout, minimum_payout, check_fee, notes] = values else {
        unreachable!("a platforms row has six values")
    };
    let row = crate::forecast::PlatformRow {
        name: name.clone(),
        review_days: review_days.clone(),
        payout: payout.clone(),
        minimum_payout: minimum_payout.clone(),
        check_fee: check_fee.clone(),
        notes: notes.clone(),
    };
    let platform = match platforms::checked(&row) {
        Ok(platform) => platform,
        Err((column, message)) => {
            problem(column, message);
            return Ok(None);
        }
    };
    let outcome = match platforms::kept(tx, name)? {
        Some(kept) if kept == platform.row() => return Ok(Some(Outcome::Unchanged)),
        Some(_) => Outcome::Replaced,
        None => Outcome::Added,
    };
    platforms::remember(tx, &platform)?;
    Ok(Some(outcome))
}

/// `platform,setting,value`, as `matchbook platform set` takes them.
fn apply_setting(
    tx: &Transaction,
    values: &[String],
    problem: &mut dyn FnMut(&str, String),
) -> Result<Option<Outcome>, super::StoreError> {
    let [platform, setting, value] = values else { unreachable!("a setting row has three values") };
    let checked = match settings::checked(platform, setting, value) {
        Ok(checked) => checked,
        Err((column, message)) => {
            problem(column, message);
            return Ok(None);
        }
    };
    let existing: Option<String> = tx
        .query_row(
            "SELECT value FROM platform_settings WHERE platform = ?1 AND setting = ?2",
            params![checked.platform, checked.setting],
            |r| r.get(0),
        )
        .optional()?;
    let outcome = match existing {
        Some(v) if v == checked.value => return Ok(Some(Outcome::Unchanged)),
        Some(_) => Outcome::Replaced,
        None => Outcome::Added,
    };
    settings::remember(tx, &checked)?;
    Ok(Some(outcome))
}

/// `deposit,payout,how,note`, as `matchbook reconcile --deposit` and `--not-matching` make them.
fn apply_bank_match(
    tx: &Transaction,
    values: &[String],
    problem: &mut dyn FnMut(&str, String),
) -> Result<Option<Outcome>, super::StoreError> {
    let [deposit, payout, how, note] = values else { unreachable!("a bank match row has four values") };
    let how = if how.is_empty() { "chosen" } else { how.as_str() };
    if !["auto", "chosen", bank_matches::NOT_MATCHING].contains(&how) {
        problem("how", format!("unknown value {how:?} (expected auto, chosen or not matching)"));
        return Ok(None);
    }
    if (how == bank_matches::NOT_MATCHING) != payout.is_empty() {
        problem("payout", "a deposit marked not matching names no payout; a matched one names its payout".into());
        return Ok(None);
    }
    let existing: Option<(String, String, String)> = tx
        .query_row("SELECT payout, how, note FROM bank_matches WHERE deposit = ?1", [deposit], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .optional()?;
    if let Some((p, h, n)) = &existing {
        if p == payout && h == how && n == note {
            return Ok(Some(Outcome::Unchanged));
        }
        tx.execute("DELETE FROM bank_matches WHERE deposit = ?1", [deposit])?;
    }
    let payout = (!payout.is_empty()).then_some(payout.as_str());
    match bank_matches::check_free(tx, deposit, payout) {
        Ok(()) => {}
        Err(super::StoreError::UnknownId(_)) => {
            problem("deposit", format!("no deposit {deposit} in the book or in this import"));
            return Ok(None);
        }
        Err(super::StoreError::Refused(message)) => {
            problem("payout", message);
            return Ok(None);
        }
        Err(e) => return Err(e),
    }
    tx.execute(
        "INSERT INTO bank_matches(deposit, payout, how, note) VALUES (?1, ?2, ?3, ?4)",
        params![deposit, payout.unwrap_or(""), how, note],
    )?;
    Ok(Some(if existing.is_some() { Outcome::Replaced } else { Outcome::Added }))
}

/// What an import reports for a book file, before its rows are counted.
pub(super) fn report(file: &str, kind: BookFile) -> FileReport {
    FileReport {
        file: file.to_string(),
        kind: super::import::FileKind::Book(kind),
        format: None,
        rows: 0,
        added: 0,
        replaced: 0,
        unchanged: 0,
        warnings: Vec::new(),
    }
}
