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
