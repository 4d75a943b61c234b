//! What the treasurer told the book about a platform, for what its reports do not say: the
//! currency of a Bright Funds report, how Bright Funds pays. Asked once (the import names the
//! setting it lacks), kept in the book and in its export.

use super::{Store, StoreError};
use crate::platforms::{self, brightfunds, Settings};
use rusqlite::params;
use std::collections::HashMap;

/// One answer: the platform's `setting` is `value`.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PlatformSetting {
    /// The platform's key (`bright funds`).
    pub platform: String,
    pub setting: String,
    pub value: String,
}

/// A setting an import needs and the book lacks, asked of the treasurer before it.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SettingQuestion {
    /// The platform's key and its name as people write it.
    pub platform: String,
    pub platform_title: String,
    pub setting: String,
    /// What to ask: "In which currency are Bright Funds' amounts?"
    pub question: String,
    /// The answers it may have; empty: any text of the kind the question says.
    pub choices: Vec<String>,
    /// The file that needs it.
    pub file: String,
}

/// Settings that note which ones were asked for and not given.
struct Asked<'s> {
    settings: &'s BookSettings,
    missing: std::cell::RefCell<Vec<(String, String)>>,
}

impl Settings for Asked<'_> {
    fn setting(&self, platform: &str, setting: &str) -> Option<String> {
        let value = self.settings.setting(platform, setting);
        if value.is_none() {
            self.missing.borrow_mut().push((platform.to_string(), setting.to_string()));
        }
        value
    }
}

/// The question of a setting, and its answers.
fn question(platform: &str, setting: &str) -> Option<(String, Vec<String>)> {
    let title = platforms::platform(platform)?.title;
    match setting {
        brightfunds::CURRENCY => {
            Some((format!("In which currency are {title}'s amounts? (a code such as USD)"), vec![]))
        }
        brightfunds::DELIVERY => Some((
            format!(
                "How does {title} pay you: by check (each check costs a fee no row shows) or by bank transfer (eft)?"
            ),
            brightfunds::DELIVERIES.iter().map(|d| d.to_string()).collect(),
        )),
        _ => None,
    }
}

/// The settings each platform takes, with what a value may be.
fn known(platform: &str, setting: &str) -> Option<&'static str> {
    match (platform, setting) {
        (p, brightfunds::CURRENCY) if p == platforms::BRIGHT_FUNDS.key => Some("a currency code such as USD"),
        (p, brightfunds::DELIVERY) if p == platforms::BRIGHT_FUNDS.key => Some("check or eft"),
        _ => None,
    }
}

/// Checks an answer and brings it to the form it is kept in (platform key, lower-case setting,
/// an upper-case currency); or the column at fault and why.
pub(super) fn checked(platform: &str, setting: &str, value: &str) -> Result<PlatformSetting, (&'static str, String)> {
    let Some(found) = platforms::platform(platform) else {
        let names: Vec<&str> = platforms::PLATFORMS.iter().map(|p| p.title).collect();
        return Err((
            "platform",
            format!("unknown platform {platform:?} (Matchbook reads reports of {})", names.join(", ")),
        ));
    };
    let setting = setting.trim().to_ascii_lowercase();
    let Some(expected) = known(found.key, &setting) else {
        return Err((
            "setting",
            format!("{} has no setting {setting:?} (it takes currency and delivery)", found.title),
        ));
    };
    let value = value.trim();
    let value = match setting.as_str() {
        brightfunds::CURRENCY => {
            value.parse::<crate::money::Currency>().map(|c| c.to_string()).map_err(|e| ("value", e))?
        }
        _ => {
            let value = value.to_ascii_lowercase();
            if !brightfunds::DELIVERIES.contains(&value.as_str()) {
                return Err(("value", format!("{value:?} is not {expected}")));
            }
            value
        }
    };
    Ok(PlatformSetting { platform: found.key.into(), setting, value })
}

/// Stores a setting that [`checked`] accepted, replacing the one of its key.
pub(super) fn remember(conn: &rusqlite::Connection, setting: &PlatformSetting) -> Result<(), StoreError> {
    conn.execute(
        "INSERT INTO platform_settings(platform, setting, value) VALUES (?1, ?2, ?3)
         ON CONFLICT(platform, setting) DO UPDATE SET value = excluded.value",
        params![setting.platform, setting.setting, setting.value],
    )?;
    Ok(())
}

/// The book's settings, read once for an import.
pub struct BookSettings(HashMap<(String, String), String>);

impl Settings for BookSettings {
    fn setting(&self, platform: &str, setting: &str) -> Option<String> {
        self.0.get(&(platform.to_string(), setting.to_string())).cloned()
    }
}

impl Store {
    /// Every setting, by platform and name.
    pub fn platform_settings(&self) -> Result<Vec<PlatformSetting>, StoreError> {
        let mut stmt =
            self.conn.prepare("SELECT platform, setting, value FROM platform_settings ORDER BY platform, setting")?;
        let rows =
            stmt.query_map([], |r| Ok(PlatformSetting { platform: r.get(0)?, setting: r.get(1)?, value: r.get(2)? }))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Remembers (or changes) an answer; returns it as kept.
    pub fn set_platform_setting(
        &self,
        platform: &str,
        setting: &str,
        value: &str,
    ) -> Result<PlatformSetting, StoreError> {
        let checked = checked(platform, setting, value).map_err(|(_, message)| StoreError::Invalid(message))?;
        remember(&self.conn, &checked)?;
        Ok(checked)
    }

    /// The settings that the platform reports among `paths` need and the book lacks, each once:
    /// asked before an import, so that it does not fail for them. Files that do not read for any
    /// other reason are passed over (the import's preview reports them).
    pub fn unanswered_settings(&self, paths: &[std::path::PathBuf]) -> Result<Vec<SettingQuestion>, StoreError> {
        let settings = self.book_settings()?;
        let mut questions: Vec<SettingQuestion> = Vec::new();
        for path in super::expand_paths(paths)? {
            let Some(layout) = super::import::sniff(&path).ok().and_then(|start| platforms::recognise(&start)) else {
                continue;
            };
            let Ok(bytes) = super::import::read_whole(&path) else { continue };
            let file = path.display().to_string();
            let asked = Asked { settings: &settings, missing: Default::default() };
            if platforms::read(layout, &file, &bytes, &asked).is_ok() {
                continue;
            }
            for (platform, setting) in asked.missing.into_inner() {
                if questions.iter().any(|q| q.platform == platform && q.setting == setting) {
                    continue;
                }
                let Some((question, choices)) = question(&platform, &setting) else { continue };
                let platform_title = platforms::platform(&platform).map_or(platform.clone(), |p| p.title.to_string());
                questions.push(SettingQuestion {
                    platform,
                    platform_title,
                    setting,
                    question,
                    choices,
                    file: file.clone(),
                });
            }
        }
        Ok(questions)
    }

    /// Forgets an answer; returns whether there was one.
    pub fn remove_platform_setting(&self, platform: &str, setting: &str) -> Result<bool, StoreError> {
        let key = platforms::platform(platform).map_or_else(|| platform.to_string(), |p| p.key.to_string());
        let n = self.conn.execute(
            "DELETE FROM platform_settings WHERE platform = ?1 AND setting = ?2",
            params![key, setting.trim().to_ascii_lowercase()],
        )?;
        Ok(n > 0)
    }

    pub(super) fn book_settings(&self) -> Result<BookSettings, StoreError> {
        Ok(BookSettings(self.platform_settings()?.into_iter().map(|s| ((s.platform, s.setting), s.value)).collect()))
    }
}
