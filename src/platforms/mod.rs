//! The reports of the platforms that pay matching money, read as they come: Benevity's donations
//! report and its newer disbursement report, and Bright Funds' donor report. An import profile
//! ([`crate::profile`]) reads any other layout the same way.
//!
//! Every reader checks what its file says (totals, one currency per payout) and turns each line
//! into a [`ReportLine`]: the payment records the line makes, and the values from which its
//! project can be told. [`PlatformReport::payments`] then places every line in a project, through
//! the book's remembered mappings, and the store imports the records like `payments.csv` rows: one
//! import path for every platform.

pub mod benevity;
pub mod benevity_disbursements;
pub mod brightfunds;
pub mod table;

use crate::ledger::LedgerError;
use crate::model::Payment;

/// A platform as the book's mappings and settings know it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Platform {
    /// The key its mappings are stored under.
    pub key: &'static str,
    /// Its name as people write it.
    pub title: &'static str,
    /// The fields from which a line's project can be told, as (key, how its reports name it), in
    /// the order they are tried.
    pub project_fields: &'static [(&'static str, &'static str)],
}

pub const BENEVITY: Platform = Platform {
    key: "benevity",
    title: "Benevity",
    project_fields: &[
        ("project remote id", "Project Remote ID"),
        ("project id", "Project ID"),
        ("comment", "Comment"),
        ("project", "Project"),
    ],
};

pub const BRIGHT_FUNDS: Platform = Platform {
    key: "bright funds",
    title: "Bright Funds",
    project_fields: &[("designation", "Designation"), ("fund name", "Fund Name")],
};

/// The platforms whose reports Matchbook reads itself.
pub const PLATFORMS: [Platform; 2] = [BENEVITY, BRIGHT_FUNDS];

/// The platform whose key (or title) this is, compared loosely: `Bright-Funds` is `bright funds`.
pub fn platform(name: &str) -> Option<Platform> {
    let key = name.trim().to_ascii_lowercase().replace(['_', '-'], " ");
    PLATFORMS.into_iter().find(|p| p.key == key || p.title.eq_ignore_ascii_case(&key))
}

/// The layouts recognised by their beginning.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    BenevityDonations,
    BenevityDisbursements,
    BrightFunds,
}

/// What a file's first bytes say it is, if it is a platform report Matchbook reads.
pub fn recognise(start: &[u8]) -> Option<Layout> {
    if benevity::is_report(start) {
        return Some(Layout::BenevityDonations);
    }
    let header = crate::csv_text::first_line_names(start)?;
    if benevity_disbursements::is_header(&header) {
        Some(Layout::BenevityDisbursements)
    } else if brightfunds::is_header(&header) {
        Some(Layout::BrightFunds)
    } else {
        None
    }
}

/// What the treasurer told the book about a platform, for what its reports do not say.
pub trait Settings {
    /// The value of `setting` for `platform`, if one was given.
    fn setting(&self, platform: &str, setting: &str) -> Option<String>;
}

impl Settings for () {
    fn setting(&self, _: &str, _: &str) -> Option<String> {
        None
    }
}

/// Reads a report of a recognised layout.
pub fn read(
    layout: Layout,
    file: &str,
    bytes: &[u8],
    settings: &dyn Settings,
) -> Result<PlatformReport, Vec<LedgerError>> {
    match layout {
        Layout::BenevityDonations => benevity::read(file, bytes).map(benevity::Report::into_platform_report),
        Layout::BenevityDisbursements => benevity_disbursements::read(file, bytes),
        Layout::BrightFunds => brightfunds::read(file, bytes, settings),
    }
}

/// A platform's report, read and checked: what it says, line by line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlatformReport {
    pub file: String,
    /// The platform's key (see [`Platform`]), or an import profile's name.
    pub platform: String,
    /// What the file was read as, for the import's summary.
    pub description: String,
    pub lines: Vec<ReportLine>,
    /// What was read but not understood (unknown columns, unknown values kept as they are).
    pub warnings: Vec<String>,
}

/// One line of a report: the payments it makes and what tells their project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportLine {
    pub line: u64,
    /// The values from which the project can be told, in the order they are tried: (field as
    /// mappings store it, the column's name in the file, value). Empty values are left out.
    pub clues: Vec<Clue>,
    /// The line's payment records, their project still empty.
    pub payments: Vec<Payment>,
}

/// A report's payments with the lines they come from, or every line that could not be placed.
pub type Placed = Result<Vec<(u64, Payment)>, Vec<LedgerError>>;

/// A value of a report's line that may name its project.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Clue {
    /// The field as mappings store it (`comment`).
    pub field: String,
    /// The column as the file names it (`Donor Comment`).
    pub title: String,
    pub value: String,
}

impl Clue {
    pub fn new(field: &str, title: &str, value: &str) -> Clue {
        Clue { field: field.into(), title: title.into(), value: value.into() }
    }
}

impl PlatformReport {
    /// Every line's payments, placed in their project by `project_of` (`None`: it cannot tell,
    /// and the line is an error that names the values a mapping could be made of).
    pub fn payments(&self, project_of: &dyn Fn(&ReportLine) -> Option<String>) -> Placed {
        let mut payments = Vec::with_capacity(self.lines.len());
        let mut errors = Vec::new();
        // Record ids are made of the report's values, their spaces made `_`: two lines whose
        // values differ only so (`BF 1`, `BF_1`) would make one record, the second replacing the
        // first without a word.
        let mut line_of_id: std::collections::HashMap<&str, u64> = std::collections::HashMap::new();
        for line in &self.lines {
            for payment in &line.payments {
                if let Some(first) = line_of_id.insert(payment.id.as_str(), line.line).filter(|&f| f != line.line) {
                    errors.push(LedgerError {
                        file: self.file.clone(),
                        line: Some(line.line),
                        column: None,
                        message: format!(
                            "the line makes the record {}, as line {first} does (a record's id is made of the \
                             report's values, spaces written as _): the two lines cannot be told apart",
                            payment.id
                        ),
                    });
                }
            }
        }
        for line in &self.lines {
            let Some(project) = project_of(line) else {
                let message = if line.clues.is_empty() {
                    "the line names no project, fund or designation, so Matchbook cannot tell whose money it is; \
                     ask the platform which project it is for, correct the file and import again"
                        .to_string()
                } else {
                    format!(
                        "no Matchbook project is mapped for this line ({}); map one of these values to a project \
                         once ({}, or in the app's Import screen) and import again",
                        clue_list(&line.clues),
                        map_command(&self.platform, line.clues.first()),
                    )
                };
                errors.push(LedgerError {
                    file: self.file.clone(),
                    line: Some(line.line),
                    column: Some(line.clues.last().map_or("Project", |c| c.title.as_str()).to_string()),
                    message,
                });
                continue;
            };
            for payment in &line.payments {
                payments.push((line.line, Payment { project: project.clone(), ..payment.clone() }));
            }
        }
        if errors.is_empty() {
            Ok(payments)
        } else {
            Err(errors)
        }
    }

    /// A report of many disbursements, described for the import's summary as "`layout` (2
    /// disbursement(s), 8 donation(s), net 3613.32 USD)".
    pub fn of_disbursements(
        file: &str,
        platform: &Platform,
        layout: &str,
        disbursements: usize,
        lines: Vec<ReportLine>,
        warnings: Vec<String>,
    ) -> PlatformReport {
        let mut report = PlatformReport {
            file: file.into(),
            platform: platform.key.into(),
            description: String::new(),
            lines,
            warnings,
        };
        report.description = format!(
            "{layout} ({disbursements} disbursement(s), {} donation(s), net {})",
            report.lines.len(),
            report.net_by_currency()
        );
        report
    }

    /// Net of every payment, per currency: the summary's "net 2668.80 USD".
    pub fn net_by_currency(&self) -> String {
        let mut sums: Vec<(crate::money::Currency, crate::money::Cents)> = Vec::new();
        for p in self.lines.iter().flat_map(|l| &l.payments) {
            match sums.iter_mut().find(|(c, _)| *c == p.currency) {
                Some((_, sum)) => *sum += p.net,
                None => sums.push((p.currency, p.net)),
            }
        }
        sums.iter().map(|(c, n)| format!("{} {c}", crate::money::format_cents(*n))).collect::<Vec<_>>().join(", ")
    }
}

/// The command that maps a line's first clue: `matchbook map set --platform benevity comment
/// "Project: Lumen" PROJECT`.
fn map_command(platform: &str, clue: Option<&Clue>) -> String {
    let quoted = |s: &str| if s.contains([' ', '"', '\'']) { format!("{s:?}") } else { s.to_string() };
    let (field, value) =
        clue.map_or(("FIELD".to_string(), "VALUE".to_string()), |c| (quoted(&c.field), quoted(&c.value)));
    format!("matchbook map set --platform {} {field} {value} PROJECT", quoted(platform))
}

/// `Comment "Project: Lumen", Project "OSC"`: the values a line's project could be told from.
pub fn clue_list(clues: &[Clue]) -> String {
    if clues.is_empty() {
        return "it names no project, fund or designation".into();
    }
    clues.iter().map(|c| format!("{} {:?}", c.title, c.value)).collect::<Vec<_>>().join(", ")
}

/// `YourCause payouts` as an id part: `yourcause-payouts` (lower-case ASCII letters and digits,
/// anything else one `-`); a name of no such character by a hash of it.
pub fn slug(name: &str) -> String {
    let mut slug = String::with_capacity(name.len());
    for c in name.chars().map(|c| c.to_ascii_lowercase()) {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    while slug.ends_with('-') {
        slug.pop();
    }
    if slug.is_empty() {
        let mut hash = crate::model::StableHash::new();
        hash.eat(crate::model::name_key(name).as_bytes());
        slug = format!("{:08x}", hash.finish() as u32);
    }
    slug
}

/// An id part made of a report's value: its words joined by `_`, so that ids hold no spaces.
pub fn id_part(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join("_")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert_eq!(slug("YourCause payouts"), "yourcause-payouts");
        assert_eq!(slug("  Bank -- (Checking) "), "bank-checking");
        assert_eq!(slug("Zoë's Bank"), "zo-s-bank");
        assert_eq!(slug("Банк").len(), 8);
        assert_ne!(slug("Банк"), slug("Спонсор"));
    }
}
