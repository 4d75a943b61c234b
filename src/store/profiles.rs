//! The book's saved import profiles ([`crate::profile`]): kept as the text the treasurer would
//! write, keyed by the name's key (which also names the profile's platform in project mappings).
//! A profile is checked before it is kept, so every saved one reads files.

use super::{Store, StoreError};
use crate::ledger::LedgerError;
use crate::model::name_key;
use crate::profile::Profile;
use rusqlite::{params, OptionalExtension};

impl Store {
    /// Every saved profile, by name.
    pub fn import_profiles(&self) -> Result<Vec<Profile>, StoreError> {
        let mut stmt = self.conn.prepare("SELECT name, text FROM import_profiles ORDER BY name_key")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
        let mut profiles = Vec::new();
        for row in rows {
            let (name, text) = row?;
            profiles.push(parsed(&name, &text)?);
        }
        Ok(profiles)
    }

    /// The saved profile of this name (in any case or spacing), if any.
    pub fn import_profile(&self, name: &str) -> Result<Option<Profile>, StoreError> {
        let found: Option<(String, String)> = self
            .conn
            .query_row("SELECT name, text FROM import_profiles WHERE name_key = ?1", [name_key(name)], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()?;
        found.map(|(name, text)| parsed(&name, &text)).transpose()
    }

    /// Keeps `profile`, replacing a saved one of the same name; returns whether one was replaced.
    /// Refused, with every problem, when the profile could not read files.
    pub fn save_import_profile(&self, profile: &Profile) -> Result<bool, StoreError> {
        checked(profile).map_err(StoreError::Invalid)?;
        remember(&self.conn, profile)
    }

    /// Forgets a profile and the project mappings of its files; returns how many mappings went
    /// with it, or `None` when the book has no profile of that name.
    pub fn remove_import_profile(&self, name: &str) -> Result<Option<usize>, StoreError> {
        let key = name_key(name);
        let tx = self.begin_write()?;
        if tx.execute("DELETE FROM import_profiles WHERE name_key = ?1", [&key])? == 0 {
            return Ok(None);
        }
        let mappings = tx.execute("DELETE FROM project_map WHERE platform = ?1", [&key])?;
        tx.commit()?;
        Ok(Some(mappings))
    }

    /// The saved profile that reads a file beginning with `start_of_file`: the one whose header
    /// it has. `Err` names them when more than one has, since Matchbook does not pick.
    pub(super) fn profile_recognising(
        &self,
        start_of_file: &[u8],
    ) -> Result<Result<Option<Profile>, String>, StoreError> {
        let mut found: Vec<Profile> =
            self.import_profiles()?.into_iter().filter(|p| p.recognises(start_of_file)).collect();
        if found.len() > 1 {
            let names: Vec<String> = found.iter().map(|p| format!("{:?}", p.name)).collect();
            return Ok(Err(format!(
                "the file has the header of the profiles {}; say which reads it (import --profile NAME)",
                names.join(" and ")
            )));
        }
        Ok(Ok(found.pop()))
    }
}

/// Whether a profile can be kept: it reads files, and its name is not a platform Matchbook reads
/// itself (the name is the platform of its mappings).
pub(super) fn checked(profile: &Profile) -> Result<(), String> {
    profile.check("the profile").map_err(|errors| joined(&errors))?;
    if let Some(platform) = crate::platforms::platform(&profile.key()) {
        return Err(format!("Matchbook reads {}'s reports itself; give the profile another name", platform.title));
    }
    Ok(())
}

/// Stores a checked profile under its key; returns whether one was replaced.
pub(super) fn remember(conn: &rusqlite::Connection, profile: &Profile) -> Result<bool, StoreError> {
    let key = profile.key();
    let replaced: bool =
        conn.query_row("SELECT count(*) > 0 FROM import_profiles WHERE name_key = ?1", [&key], |r| r.get(0))?;
    conn.execute(
        "INSERT INTO import_profiles(name_key, name, text) VALUES (?1, ?2, ?3)
         ON CONFLICT(name_key) DO UPDATE SET name = excluded.name, text = excluded.text",
        params![key, profile.name, profile.to_text()],
    )?;
    Ok(replaced)
}

/// A stored profile's text, which was checked when it was kept.
fn parsed(name: &str, text: &str) -> Result<Profile, StoreError> {
    Profile::parse(name, text).map_err(|errors| {
        StoreError::Damaged(format!("the saved import profile {name:?} no longer reads: {}", joined(&errors)))
    })
}

/// Every problem of a profile, one after the other.
pub(super) fn joined(errors: &[LedgerError]) -> String {
    errors
        .iter()
        .map(|e| match e.line {
            Some(line) => format!("line {line}: {}", e.message),
            None => e.message.clone(),
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// What a profile makes of a file, before anything is written: the wizard's "test".
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct ProfileTest {
    /// "YourCause payouts (profile): 7 row(s) read, 1 skipped".
    pub description: String,
    /// The first [`PROFILE_TEST_SHOWN`] records it would import.
    pub records: Vec<ProfileRecord>,
    /// How many it would import in all.
    pub total: usize,
    /// Rows left out, as the profile says, and why.
    pub skipped: Vec<SkippedRow>,
    pub warnings: Vec<String>,
    /// Every row it cannot read; the file would be refused with them.
    pub errors: Vec<LedgerError>,
}

/// One record a profile makes, as the wizard shows it.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct ProfileRecord {
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub line: u64,
    /// `payment` (employer money), `gift` (a donor's own) or `deposit`.
    pub kind: String,
    pub date: String,
    pub id: String,
    /// A payment's payer, or a deposit's account.
    pub from: String,
    /// Whom a payment is for: employer and contributor.
    pub employer: String,
    pub contributor: String,
    /// The book's project it goes to; empty when no mapping places it yet.
    pub project: String,
    /// The values a mapping could be made of, for a line no mapping places.
    pub clues: String,
    pub currency: String,
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub amount: crate::money::Cents,
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub fees: crate::money::Cents,
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub net: crate::money::Cents,
    pub reference: String,
}

/// A row a profile leaves out.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SkippedRow {
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub line: u64,
    pub reason: String,
}

/// How many records a test shows; it counts them all.
pub const PROFILE_TEST_SHOWN: usize = 200;

impl Store {
    /// Reads the file at `path` with `profile`, changing nothing: the records it would make (each
    /// payment placed in its project through the book's mappings, where one places it), the rows
    /// it leaves out, or every row it cannot read.
    pub fn test_profile(&self, profile: &Profile, path: &std::path::Path) -> Result<ProfileTest, StoreError> {
        let file = path.display().to_string();
        let read = super::import::read_whole(path)
            .map_err(|e| vec![e])
            .and_then(|bytes| crate::profile::read(profile, &file, &bytes));
        let read = match read {
            Ok(read) => read,
            Err(errors) => return Ok(ProfileTest { errors, ..ProfileTest::default() }),
        };
        let mut test = ProfileTest {
            description: read.description,
            skipped: read.skipped.into_iter().map(|(line, reason)| SkippedRow { line, reason }).collect(),
            warnings: read.warnings,
            ..ProfileTest::default()
        };
        if let Some(report) = &read.payments {
            let project_of = self.project_resolver(&report.platform)?;
            for line in &report.lines {
                let project = project_of(line).unwrap_or_default();
                for p in &line.payments {
                    test.total += 1;
                    if test.records.len() < PROFILE_TEST_SHOWN {
                        test.records.push(ProfileRecord {
                            line: line.line,
                            kind: if p.funds == crate::model::Funds::Match { "payment" } else { "gift" }.into(),
                            date: crate::model::iso(p.date),
                            id: p.id.clone(),
                            from: p.payer.clone(),
                            employer: p.employer.clone(),
                            contributor: p.person.as_ref().map(|x| x.name.clone()).unwrap_or_default(),
                            project: project.clone(),
                            clues: if project.is_empty() {
                                crate::platforms::clue_list(&line.clues)
                            } else {
                                String::new()
                            },
                            currency: p.currency.to_string(),
                            amount: p.gross,
                            fees: p.fees,
                            net: p.net,
                            reference: p.reference.clone(),
                        });
                    }
                }
            }
        }
        for (line, d) in &read.deposits {
            test.total += 1;
            if test.records.len() < PROFILE_TEST_SHOWN {
                test.records.push(ProfileRecord {
                    line: *line,
                    kind: "deposit".into(),
                    date: crate::model::iso(d.date),
                    id: d.id.clone(),
                    from: d.account.clone(),
                    currency: d.currency.to_string(),
                    amount: d.amount,
                    net: d.amount,
                    reference: d.reference.clone(),
                    clues: d.description.clone(),
                    ..ProfileRecord::default()
                });
            }
        }
        Ok(test)
    }
}
