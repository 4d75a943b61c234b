//! The desktop notification at start: when claims worth money fall due within 30 days, once a day
//! at most, unless the user turned it off (on the Reminders screen). The setting and the last day
//! shown are kept in the app's config folder (`reminders.json`). Showing may fail (no notification
//! daemon, under Xvfb say): the app carries on.

use matchbook::claims::{self, ClaimState};
use matchbook::model::iso;
use matchbook::money::format_cents;
use matchbook::store::Store;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use tauri::{AppHandle, Manager};
use tauri_plugin_notification::NotificationExt;

/// How many days ahead a claim's deadline makes the notification.
pub const NOTIFY_WITHIN_DAYS: u32 = 30;

/// The notification's setting, and the last day it was shown.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct ReminderSettings {
    /// Whether the app notifies at start of claims falling due.
    pub notify: bool,
    /// The last day it did (`YYYY-MM-DD`).
    pub last_notified: Option<String>,
}

impl Default for ReminderSettings {
    fn default() -> Self {
        ReminderSettings { notify: true, last_notified: None }
    }
}

fn settings_path(app: &AppHandle) -> Option<PathBuf> {
    app.path().app_config_dir().ok().map(|dir| dir.join("reminders.json"))
}

fn load(app: &AppHandle) -> ReminderSettings {
    settings_path(app)
        .and_then(|path| std::fs::read(path).ok())
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .unwrap_or_default()
}

fn save(app: &AppHandle, settings: &ReminderSettings) -> Result<(), String> {
    let path = settings_path(app).ok_or("the app has no config folder")?;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    let text = serde_json::to_vec_pretty(settings).map_err(|e| e.to_string())?;
    std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))
}

/// The notification's setting.
#[tauri::command]
pub async fn reminder_settings(app: AppHandle) -> ReminderSettings {
    load(&app)
}

/// Turns the notification at start on or off.
#[tauri::command]
pub async fn set_reminder_notify(app: AppHandle, notify: bool) -> Result<ReminderSettings, String> {
    let settings = ReminderSettings { notify, ..load(&app) };
    save(&app, &settings)?;
    Ok(settings)
}

/// What the notification says of the claims to submit within [`NOTIFY_WITHIN_DAYS`], if any is
/// worth money: "3 contributors can still claim 1234.50 USD, the first by 2026-12-22".
pub fn summary(store: &mut Store, today: matchbook::model::Date) -> Option<String> {
    let review_days = claims::book_review_days(store).ok()?;
    let options = claims::Options { contributor: None, within: Some(NOTIFY_WITHIN_DAYS), entries: false };
    let found = claims::claims(store, today, &options, &review_days).ok()?;
    let due: Vec<&claims::Claim> = found.claims.iter().filter(|c| c.state == ClaimState::ToSubmit).collect();
    if due.is_empty() {
        return None;
    }
    let mut sums: Vec<(String, i64)> = Vec::new();
    for c in &due {
        match sums.iter_mut().find(|(currency, _)| *currency == c.currency) {
            Some((_, sum)) => *sum += c.expected,
            None => sums.push((c.currency.clone(), c.expected)),
        }
    }
    let money: Vec<String> = sums.iter().map(|(currency, sum)| format!("{} {currency}", format_cents(*sum))).collect();
    let mut people: Vec<(&str, &str)> = due.iter().map(|c| (c.contributor.as_str(), c.email.as_str())).collect();
    people.sort_unstable();
    people.dedup();
    let first = due.iter().filter_map(|c| c.deadline.as_deref()).min().unwrap_or_default();
    Some(format!(
        "{} contributor{} can still claim {} if they submit in time, the first by {first}. Reminders writes their emails.",
        people.len(),
        if people.len() == 1 { "" } else { "s" },
        money.join(" and "),
    ))
}

/// At start: notifies of the claims falling due, once a day at most, unless turned off. Runs on a
/// thread of its own; any failure only skips the notification.
pub fn notify_at_start(app: AppHandle, store: Arc<Mutex<Result<Store, String>>>) {
    std::thread::spawn(move || {
        let settings = load(&app);
        let today = chrono::Local::now().date_naive();
        if !settings.notify || settings.last_notified.as_deref() == Some(iso(today).as_str()) {
            return;
        }
        let said = {
            let mut opened = match store.lock() {
                Ok(guard) => guard,
                Err(poisoned) => poisoned.into_inner(),
            };
            match opened.as_mut() {
                Ok(store) => summary(store, today),
                Err(_) => None,
            }
        };
        let Some(body) = said else { return };
        if let Err(e) = app.notification().builder().title("Matching claims fall due").body(&body).show() {
            eprintln!("matchbook: the notification could not be shown: {e}");
        }
        if let Err(e) = save(&app, &ReminderSettings { last_notified: Some(iso(today)), ..settings }) {
            eprintln!("matchbook: {e}");
        }
    });
}
