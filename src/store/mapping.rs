//! Which Matchbook project a platform report's line belongs to. A fiscal sponsor receives for many
//! projects under one charity name, so a report's project column often names the sponsor and the
//! designation sits in a comment, a project id or a fund. The treasurer maps such a value to a
//! project once; the book remembers it for every later report of that platform (Benevity's two
//! layouts share their mappings).

use super::{Store, StoreError};
use crate::model::name_key;
use crate::platforms::{self, Clue, PlatformReport, ReportLine};
use rusqlite::params;
use std::collections::HashMap;
use std::path::PathBuf;

/// "The value `value` in the report column `field` means the project `project`."
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ProjectMapping {
    /// The platform's key (`benevity`, `bright funds`), or an import profile's name.
    pub platform: String,
    /// One of the platform's project fields (`comment`), or a profile's project column.
    pub field: String,
    pub value: String,
    pub project: String,
}

/// A report line that no mapping and no project name places, with the values that could.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct UnmappedLine {
    pub file: String,
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub line: u64,
    /// The platform its mappings are kept under.
    pub platform: String,
    /// The line's values that may name its project, in the order they are tried.
    pub clues: Vec<Clue>,
}

/// A report column as mappings store it: `Project-Remote-ID`, `project_remote_id` and
/// `project remote id` are one field.
fn field_name(field: &str) -> String {
    field.trim().to_ascii_lowercase().replace(['_', '-'], " ")
}

/// The key mappings of a platform (or profile) are kept under.
pub(super) fn platform_key(platform: &str) -> String {
    platforms::platform(platform).map_or_else(|| name_key(platform), |p| p.key.to_string())
}

/// Checks a mapping; returns the key it is stored under (platform, field, value key), or the
/// column at fault and why. A platform Matchbook reads itself takes its own fields; any other
/// name is an import profile's, whose fields are its columns.
pub(super) fn checked(mapping: &ProjectMapping) -> Result<(String, String, String), (&'static str, String)> {
    let field = field_name(&mapping.field);
    if mapping.platform.trim().is_empty() {
        return Err(("platform", "a mapping needs a platform (benevity, bright funds or a profile's name)".into()));
    }
    if let Some(platform) = platforms::platform(&mapping.platform) {
        if !platform.project_fields.iter().any(|(f, _)| *f == field) {
            let fields: Vec<String> = platform.project_fields.iter().map(|(f, _)| f.replace(' ', "-")).collect();
            let message = format!(
                "unknown field {:?}; a {} line's project can be told from: {}",
                mapping.field,
                platform.title,
                fields.join(", ")
            );
            return Err(("field", message));
        }
    } else if field.is_empty() {
        return Err(("field", "a mapping needs a field".into()));
    }
    for (column, text) in [("value", &mapping.value), ("project", &mapping.project)] {
        if text.trim().is_empty() {
            return Err((column, "a mapping needs a value and a project".into()));
        }
    }
    Ok((platform_key(&mapping.platform), field, name_key(&mapping.value)))
}

/// Whether mappings of the platform (or profile) with this key can be kept: Matchbook reads its
/// reports, or the book has a profile of that name.
pub(super) fn platform_exists(conn: &rusqlite::Connection, key: &str) -> Result<bool, StoreError> {
    if platforms::platform(key).is_some() {
        return Ok(true);
    }
    let n: i64 = conn.query_row("SELECT count(*) FROM import_profiles WHERE name_key = ?1", [key], |r| r.get(0))?;
    Ok(n > 0)
}

pub(super) fn unknown_platform(platform: &str) -> String {
    format!("unknown platform {platform:?}: neither benevity, bright funds nor an import profile of the book")
}

/// Stores a mapping that [`checked`] accepted, replacing the one of its key.
pub(super) fn remember(conn: &rusqlite::Connection, mapping: &ProjectMapping) -> Result<(), StoreError> {
    let (platform, field, key) = checked(mapping).map_err(|(_, message)| StoreError::Invalid(message))?;
    if !platform_exists(conn, &platform)? {
        return Err(StoreError::Invalid(unknown_platform(&mapping.platform)));
    }
    conn.execute(
        "INSERT INTO project_map(platform, field, value_key, value, project) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT(platform, field, value_key) DO UPDATE SET value = excluded.value, project = excluded.project",
        params![platform, field, key, mapping.value.trim(), mapping.project.trim()],
    )?;
    Ok(())
}

impl Store {
    /// Every remembered mapping, by platform, field and value.
    pub fn project_mappings(&self) -> Result<Vec<ProjectMapping>, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT platform, field, value, project FROM project_map ORDER BY platform, field, value_key")?;
        let rows = stmt.query_map([], |r| {
            Ok(ProjectMapping { platform: r.get(0)?, field: r.get(1)?, value: r.get(2)?, project: r.get(3)? })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Remembers (or changes) what a report value means.
    pub fn set_project_mapping(&self, mapping: &ProjectMapping) -> Result<(), StoreError> {
        remember(&self.conn, mapping)
    }

    /// Forgets a mapping; returns whether there was one.
    pub fn remove_project_mapping(&self, platform: &str, field: &str, value: &str) -> Result<bool, StoreError> {
        let n = self.conn.execute(
            "DELETE FROM project_map WHERE platform = ?1 AND field = ?2 AND value_key = ?3",
            params![platform_key(platform), field_name(field), name_key(value)],
        )?;
        Ok(n > 0)
    }

    /// [`Store::project_resolver`], for a look at a file that is not imported (`profile test`).
    pub fn project_resolver_for(&self, platform: &str) -> Result<impl Fn(&ReportLine) -> Option<String>, StoreError> {
        self.project_resolver(platform)
    }

    /// How a line of `platform`'s reports finds its project: a mapping of one of its values (tried
    /// in the order the line gives them), else a value that is the name of a project of the book.
    pub(super) fn project_resolver(
        &self,
        platform: &str,
    ) -> Result<impl Fn(&ReportLine) -> Option<String>, StoreError> {
        let platform = platform_key(platform);
        let mut mapped: HashMap<(String, String), String> = HashMap::new();
        for m in self.project_mappings()?.into_iter().filter(|m| m.platform == platform) {
            mapped.insert((m.field, name_key(&m.value)), m.project);
        }
        let known: HashMap<String, String> =
            self.names_in_use()?.projects.into_iter().map(|p| (name_key(&p), p)).collect();
        Ok(move |line: &ReportLine| {
            line.clues
                .iter()
                .find_map(|c| mapped.get(&(c.field.clone(), name_key(&c.value))).cloned())
                .or_else(|| line.clues.iter().find_map(|c| known.get(&name_key(&c.value)).cloned()))
        })
    }

    /// A report's payments, each line placed in its project (see [`Store::project_resolver`]).
    pub(super) fn placed_payments(&self, report: &PlatformReport) -> Result<platforms::Placed, StoreError> {
        let project_of = self.project_resolver(&report.platform)?;
        Ok(report.payments(&project_of))
    }

    /// The lines of the platform reports among `paths` that no mapping places, so that a form can
    /// ask for them all at once. Files that are not reports, or that do not read, are passed over
    /// (the import's preview reports their problems).
    pub fn unmapped_report_lines(&self, paths: &[PathBuf]) -> Result<Vec<UnmappedLine>, StoreError> {
        let mut unmapped = Vec::new();
        for path in super::expand_paths(paths)? {
            let Some(report) = self.read_platform_report(&path)? else { continue };
            let project_of = self.project_resolver(&report.platform)?;
            for line in report.lines.iter().filter(|l| project_of(l).is_none()) {
                unmapped.push(UnmappedLine {
                    file: report.file.clone(),
                    line: line.line,
                    platform: report.platform.clone(),
                    clues: line.clues.clone(),
                });
            }
        }
        Ok(unmapped)
    }
}
