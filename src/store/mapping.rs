//! Which Matchbook project a platform report's line belongs to. A fiscal sponsor receives for many
//! projects under one charity name, so the report's `Project` column often names the sponsor and
//! the designation sits in `Comment` or `Project Remote ID`. The treasurer maps such a value to a
//! project once; the book remembers it for every later report.

use super::{Store, StoreError};
use crate::benevity::{self, Line, PROJECT_FIELDS};
use crate::model::name_key;
use rusqlite::params;
use std::collections::HashMap;
use std::path::PathBuf;

/// The only platform whose reports Matchbook reads so far.
pub const BENEVITY: &str = "benevity";

/// "The value `value` in the report column `field` means the project `project`."
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ProjectMapping {
    pub platform: String,
    /// One of [`PROJECT_FIELDS`]: `project`, `comment` or `project remote id`.
    pub field: String,
    pub value: String,
    pub project: String,
}

/// A report value that no mapping and no project name explains, with the lines that carry it.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct UnmappedLine {
    pub file: String,
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub line: u64,
    /// The line's values of [`PROJECT_FIELDS`] that are not empty, as (field, value).
    pub values: Vec<(String, String)>,
}

/// A report column as mappings store it: `Project-Remote-ID`, `project_remote_id` and
/// `project remote id` are one field.
fn field_name(field: &str) -> String {
    field.trim().to_ascii_lowercase().replace(['_', '-'], " ")
}

/// Checks a mapping; returns the key it is stored under (platform, field, value key), or the
/// column at fault and why.
pub(super) fn checked(mapping: &ProjectMapping) -> Result<(String, String, String), (&'static str, String)> {
    if mapping.platform != BENEVITY {
        let message = format!("unknown platform {:?}; Matchbook reads reports of: {BENEVITY}", mapping.platform);
        return Err(("platform", message));
    }
    let field = field_name(&mapping.field);
    if !PROJECT_FIELDS.contains(&field.as_str()) {
        let message = format!(
            "unknown field {:?}; a project can be told from: project, comment, project-remote-id",
            mapping.field
        );
        return Err(("field", message));
    }
    for (column, text) in [("value", &mapping.value), ("project", &mapping.project)] {
        if text.trim().is_empty() {
            return Err((column, "a mapping needs a value and a project".into()));
        }
    }
    Ok((mapping.platform.clone(), field, name_key(&mapping.value)))
}

/// Stores a mapping that [`checked`] accepted, replacing the one of its key.
pub(super) fn remember(conn: &rusqlite::Connection, mapping: &ProjectMapping) -> Result<(), StoreError> {
    let (platform, field, key) = checked(mapping).map_err(|(_, message)| StoreError::Invalid(message))?;
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
        let field = field_name(field);
        let n = self.conn.execute(
            "DELETE FROM project_map WHERE platform = ?1 AND field = ?2 AND value_key = ?3",
            params![platform, field, name_key(value)],
        )?;
        Ok(n > 0)
    }

    /// How a Benevity line finds its project: a mapping of its `Project Remote ID`, `Comment` or
    /// `Project` (tried in that order), else its `Project` when that names a project of the book.
    pub(super) fn benevity_projects(&self) -> Result<impl Fn(&Line) -> Option<String>, StoreError> {
        let mut mapped: HashMap<(String, String), String> = HashMap::new();
        for m in self.project_mappings()?.into_iter().filter(|m| m.platform == BENEVITY) {
            mapped.insert((m.field, name_key(&m.value)), m.project);
        }
        let known: HashMap<String, String> =
            self.names_in_use()?.projects.into_iter().map(|p| (name_key(&p), p)).collect();
        Ok(move |line: &Line| {
            PROJECT_FIELDS
                .iter()
                .filter(|f| !line.field(f).is_empty())
                .find_map(|f| mapped.get(&(f.to_string(), name_key(line.field(f)))).cloned())
                .or_else(|| known.get(&name_key(&line.project)).cloned())
        })
    }

    /// The lines of the Benevity reports among `paths` that no mapping places, so that a form can
    /// ask for them all at once. Files that are not reports, or that do not read, are passed over
    /// (the import's preview reports their problems).
    pub fn unmapped_report_lines(&self, paths: &[PathBuf]) -> Result<Vec<UnmappedLine>, StoreError> {
        let project_of = self.benevity_projects()?;
        let mut unmapped = Vec::new();
        for path in super::expand_paths(paths)? {
            let Ok(bytes) = std::fs::read(&path) else { continue };
            if !benevity::is_report(&bytes) {
                continue;
            }
            let file = path.display().to_string();
            let Ok(report) = benevity::read(&file, &bytes) else { continue };
            for line in report.lines.iter().filter(|l| project_of(l).is_none()) {
                unmapped.push(UnmappedLine {
                    file: file.clone(),
                    line: line.line,
                    values: PROJECT_FIELDS
                        .iter()
                        .filter(|f| !line.field(f).is_empty())
                        .map(|f| (f.to_string(), line.field(f).to_string()))
                        .collect(),
                });
            }
        }
        Ok(unmapped)
    }
}
