//! Matchbook's desktop app: a window over one book. Every decision lives in the `matchbook`
//! library; `commands` only hands the UI's requests to it and its answers (or errors) back.

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod bindings;
mod commands;

use std::path::PathBuf;

const USAGE: &str = "usage: matchbook-app [--db FILE]

Opens the Matchbook desktop app on a book (a SQLite file). Without --db (or the MATCHBOOK_DB
variable) it opens the default book, shared with the matchbook command:
matchbook.sqlite in the platform's data directory.";

/// The book to open: `--db FILE`, else `MATCHBOOK_DB`, else the default book. The path is
/// decided here, once; the web view never names a database.
fn book_path() -> Result<PathBuf, String> {
    let mut args = std::env::args().skip(1);
    let mut path = std::env::var_os("MATCHBOOK_DB").filter(|p| !p.is_empty()).map(PathBuf::from);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--db" => path = Some(args.next().ok_or("--db needs a FILE")?.into()),
            "-h" | "--help" => return Err(USAGE.into()),
            other => match other.strip_prefix("--db=") {
                Some(p) => path = Some(p.into()),
                None => return Err(format!("unknown argument {other:?}\n\n{USAGE}")),
            },
        }
    }
    Ok(path.unwrap_or_else(matchbook::store::default_path))
}

fn main() {
    let path = match book_path() {
        Ok(path) => path,
        Err(message) => {
            eprintln!("{message}");
            std::process::exit(2);
        }
    };
    let state = match commands::AppState::open(&path) {
        Ok(state) => state,
        Err(e) => {
            eprintln!("matchbook-app: {e}");
            std::process::exit(1);
        }
    };
    tauri::Builder::default()
        .plugin(tauri_plugin_window_state::Builder::default().build())
        .plugin(tauri_plugin_dialog::init())
        .manage(state)
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
            commands::export_journal,
        ])
        .run(tauri::generate_context!())
        .expect("the desktop app could not start");
}
