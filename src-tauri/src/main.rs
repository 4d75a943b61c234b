//! Matchbook's desktop app: a window over one book. Every decision lives in the `matchbook`
//! library; `commands` only hands the UI's requests to it and its answers (or errors) back.

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod bindings;
mod commands;
mod files;
mod reminders;

use std::path::PathBuf;
use std::sync::mpsc;
use std::sync::Mutex;
use std::time::Duration;
use tauri::Manager;
use tauri_plugin_window_state::{AppHandleExt, StateFlags};

const USAGE: &str = "usage: matchbook-app [--db FILE [--create]]

Opens the Matchbook desktop app on a book (a SQLite file). Without --db (or the MATCHBOOK_DB
variable) it opens the default book, shared with the matchbook command:
matchbook.sqlite in the platform's data directory, made if there is none. A book given by --db
must exist, unless --create says to make it.";

/// The book to open, and whether to make it if there is none: `--db FILE`, else `MATCHBOOK_DB`,
/// else the default book (made without asking). The path is decided here, once; the web view
/// never names a database.
fn book_path() -> Result<(PathBuf, bool), String> {
    let mut args = std::env::args().skip(1);
    let mut path = std::env::var_os("MATCHBOOK_DB").filter(|p| !p.is_empty()).map(PathBuf::from);
    let mut create = false;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--db" => path = Some(args.next().ok_or("--db needs a FILE")?.into()),
            "--create" => create = true,
            "-h" | "--help" => return Err(USAGE.into()),
            other => match other.strip_prefix("--db=") {
                Some(p) => path = Some(p.into()),
                None => return Err(format!("unknown argument {other:?}\n\n{USAGE}")),
            },
        }
    }
    Ok(match path {
        Some(path) => (path, create),
        None => (matchbook::store::default_path(), true),
    })
}

/// Saves the window's size and place once it has stayed still for a moment. The window-state
/// plugin writes them only when the app exits normally; this way they survive a crash, a kill or
/// a logout too.
struct GeometrySaver(Mutex<mpsc::Sender<()>>);

impl GeometrySaver {
    const QUIET: Duration = Duration::from_millis(400);

    fn start(app: tauri::AppHandle) -> GeometrySaver {
        let (moved, moves) = mpsc::channel::<()>();
        std::thread::spawn(move || {
            while moves.recv().is_ok() {
                // Wait for the window to stop moving, then save once.
                loop {
                    match moves.recv_timeout(Self::QUIET) {
                        Ok(()) => continue,
                        Err(mpsc::RecvTimeoutError::Timeout) => break,
                        Err(mpsc::RecvTimeoutError::Disconnected) => return,
                    }
                }
                if let Err(e) = app.save_window_state(StateFlags::all()) {
                    eprintln!("matchbook-app: cannot save the window's size and place: {e}");
                }
            }
        });
        GeometrySaver(Mutex::new(moved))
    }

    fn touch(&self) {
        let _ = self.0.lock().unwrap_or_else(|p| p.into_inner()).send(());
    }
}

/// WebKitGTK's DMA-BUF renderer (2.42 and later) doubles the web process's memory (see
/// docs/performance.md) and is known to leave windows blank on some GPUs and VMs; the older path draws the same
/// screens. A user who sets the variable keeps their choice.
#[cfg(target_os = "linux")]
fn prefer_lean_webkit_renderer() {
    const VAR: &str = "WEBKIT_DISABLE_DMABUF_RENDERER";
    if std::env::var_os(VAR).is_none() {
        // Sound: main's first step, before any thread exists that could read the environment.
        std::env::set_var(VAR, "1");
    }
}

fn main() {
    #[cfg(target_os = "linux")]
    prefer_lean_webkit_renderer();
    let (path, create) = match book_path() {
        Ok(chosen) => chosen,
        Err(message) => {
            eprintln!("{message}");
            std::process::exit(2);
        }
    };
    let state = commands::AppState::open(&path, create);
    let store = state.store_handle();
    tauri::Builder::default()
        .plugin(tauri_plugin_window_state::Builder::default().build())
        .plugin(tauri_plugin_notification::init())
        .setup(move |app| {
            app.manage(GeometrySaver::start(app.handle().clone()));
            reminders::notify_at_start(app.handle().clone(), store.clone());
            Ok(())
        })
        .on_window_event(|window, event| {
            if matches!(event, tauri::WindowEvent::Moved(_) | tauri::WindowEvent::Resized(_)) {
                if let Some(saver) = window.try_state::<GeometrySaver>() {
                    saver.touch();
                }
            }
        })
        .manage(state)
        .manage(files::Chosen::default())
        .invoke_handler(tauri::generate_handler![
            commands::book_info,
            commands::overview,
            commands::entries,
            commands::records,
            commands::save_record,
            commands::delete_records,
            commands::restore_records,
            commands::set_status,
            commands::explain,
            commands::preview_program,
            commands::program_catalogue,
            commands::choose_import,
            commands::confirm_import_path,
            commands::import_files,
            commands::cancel_import,
            commands::export_book,
            commands::export_entries,
            commands::reconciliation,
            commands::auto_reconcile,
            commands::link_payment,
            commands::unlink_payment,
            commands::project_mappings,
            commands::set_project_mapping,
            commands::remove_project_mapping,
            commands::unmapped_lines,
            commands::unanswered_settings,
            commands::set_platform_setting,
            commands::platform_settings,
            commands::platforms,
            commands::save_platform,
            commands::remove_platform,
            commands::profile_start,
            commands::test_profile,
            commands::save_profile,
            commands::import_profiles,
            commands::remove_profile,
            commands::match_deposit,
            commands::mark_not_matching,
            commands::unmatch_deposit,
            commands::export_journal,
            commands::claims,
            commands::save_reminder,
            commands::reminder_mailto,
            reminders::reminder_settings,
            reminders::set_reminder_notify,
            commands::book_problem,
            commands::about,
            commands::backups,
            commands::restore_backup,
        ])
        .run(tauri::generate_context!())
        .expect("the desktop app could not start");
}
