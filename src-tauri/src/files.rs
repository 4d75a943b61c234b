//! The files the app reads and writes: only those the user chose in a native dialog that the
//! backend opened (for a path typed in the window, a dialog opened at it, to confirm there), never
//! a path the web view names on its own, so that script in the window could neither read nor
//! overwrite other files.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use tauri::{AppHandle, Manager};

/// The paths the user chose to read this session: files and folders to import.
#[derive(Default)]
pub struct Chosen(Mutex<HashSet<PathBuf>>);

impl Chosen {
    fn allow(&self, paths: &[PathBuf]) {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).extend(paths.iter().cloned());
    }

    /// Refuses any of `paths` that the user did not choose.
    pub fn check(&self, paths: &[PathBuf]) -> Result<(), String> {
        let chosen = self.0.lock().unwrap_or_else(|p| p.into_inner());
        match paths.iter().find(|p| !chosen.contains(*p)) {
            Some(path) => Err(format!("{} was not chosen in a file dialog; choose it again", path.display())),
            None => Ok(()),
        }
    }
}

/// What a dialog asks for.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Asking {
    /// CSV files to read, one or more.
    CsvFiles,
    Folder,
    /// A file to write, of the given filter name and extension.
    FileToSave(&'static str, &'static str),
}

/// One native file dialog: its title, what it asks for, and where it opens.
struct Dialog {
    title: &'static str,
    asking: Asking,
    /// The folder it opens in, and the file name it proposes or selects.
    folder: Option<PathBuf>,
    name: Option<String>,
}

impl Dialog {
    fn new(title: &'static str, asking: Asking) -> Dialog {
        Dialog { title, asking, folder: None, name: None }
    }

    /// Shows the dialog over the main window and waits for the answer (nothing when cancelled),
    /// without holding up the async runtime: the dialog runs on the main thread.
    async fn show(self, app: &AppHandle) -> Vec<PathBuf> {
        let (answer, mut answered) = tauri::async_runtime::channel(1);
        let main = app.clone();
        let shown = app.run_on_main_thread(move || {
            let _ = answer.blocking_send(self.run(&main));
        });
        if shown.is_err() {
            return Vec::new();
        }
        let answer = answered.recv().await.unwrap_or_default();
        // The dialog may have read the book's file (see `reopen_book`).
        let state = app.state::<crate::commands::AppState>().inner().clone();
        let _ = tauri::async_runtime::spawn_blocking(move || state.reopen_book()).await;
        answer
    }

    #[cfg(target_os = "linux")]
    fn run(self, app: &AppHandle) -> Vec<PathBuf> {
        use gtk::prelude::*;
        use gtk::{FileChooserAction, ResponseType};
        let parent = app.get_webview_window("main").and_then(|w| w.gtk_window().ok());
        let (action, accept) = match self.asking {
            Asking::CsvFiles => (FileChooserAction::Open, "Choose"),
            Asking::Folder => (FileChooserAction::SelectFolder, "Choose"),
            Asking::FileToSave(..) => (FileChooserAction::Save, "Save"),
        };
        let dialog = gtk::FileChooserDialog::with_buttons(
            Some(self.title),
            parent.as_ref(),
            action,
            &[("Cancel", ResponseType::Cancel), (accept, ResponseType::Accept)],
        );
        dialog.set_default_response(ResponseType::Accept);
        let filter = gtk::FileFilter::new();
        match self.asking {
            Asking::CsvFiles => {
                dialog.set_select_multiple(true);
                filter.set_name(Some("CSV files and bank statements (OFX, QFX)"));
                for pattern in IMPORTED_FILES {
                    filter.add_pattern(pattern);
                }
                dialog.add_filter(filter.clone());
            }
            Asking::FileToSave(name, extension) => {
                dialog.set_do_overwrite_confirmation(true);
                filter.set_name(Some(name));
                filter.add_pattern(&format!("*.{extension}"));
                dialog.add_filter(filter.clone());
            }
            Asking::Folder => {}
        }
        if let Some(folder) = &self.folder {
            dialog.set_current_folder(folder);
        }
        if let Some(name) = &self.name {
            match self.asking {
                Asking::FileToSave(..) => dialog.set_current_name(name),
                _ => {
                    let _ = dialog.set_filename(self.folder.clone().unwrap_or_default().join(name));
                }
            }
        }
        let answer = dialog.run();
        let chosen = if answer == ResponseType::Accept { dialog.filenames() } else { Vec::new() };
        // SAFETY: the dialog is ours alone and no longer used; destroying it closes its window
        // (a top-level window is not freed when its last reference goes).
        unsafe { dialog.destroy() };
        chosen
    }

    #[cfg(not(target_os = "linux"))]
    fn run(self, app: &AppHandle) -> Vec<PathBuf> {
        let mut dialog = rfd::FileDialog::new().set_title(self.title);
        if let Some(window) = app.get_webview_window("main") {
            dialog = dialog.set_parent(&window);
        }
        if let Some(folder) = &self.folder {
            dialog = dialog.set_directory(folder);
        }
        if let Some(name) = &self.name {
            dialog = dialog.set_file_name(name);
        }
        match self.asking {
            Asking::CsvFiles => dialog
                .add_filter("CSV files and bank statements (OFX, QFX)", &["csv", "ofx", "qfx", "txt"])
                .pick_files()
                .unwrap_or_default(),
            Asking::Folder => dialog.pick_folder().into_iter().collect(),
            Asking::FileToSave(name, extension) => {
                dialog.add_filter(name, &[extension]).save_file().into_iter().collect()
            }
        }
    }
}

/// The files an import reads: ledger files, platform reports and bank exports (CSV, some banks
/// name theirs .txt), and OFX statements (Quicken's are .qfx).
#[cfg(target_os = "linux")]
const IMPORTED_FILES: [&str; 8] = ["*.csv", "*.CSV", "*.ofx", "*.OFX", "*.qfx", "*.QFX", "*.txt", "*.TXT"];

/// Asks for CSV files (or one folder of them) to import; they may be read from then on.
pub async fn choose_to_import(app: AppHandle, folder: bool) -> Vec<PathBuf> {
    let dialog = match folder {
        true => Dialog::new("Choose a ledger folder", Asking::Folder),
        false => Dialog::new("Choose files to import", Asking::CsvFiles),
    };
    let picked = dialog.show(&app).await;
    app.state::<Chosen>().allow(&picked);
    picked
}

/// Opens the native dialog at a path typed in the window, for the user to confirm it there (the
/// folder open, or the file selected): what they choose may be read. Nothing when they cancel.
pub async fn confirm_to_import(app: AppHandle, typed: PathBuf) -> Vec<PathBuf> {
    let dialog = if typed.is_dir() {
        Dialog { folder: Some(typed), ..Dialog::new("Import this folder?", Asking::Folder) }
    } else {
        Dialog {
            folder: typed.parent().filter(|f| f.is_dir()).map(Path::to_path_buf),
            name: typed.file_name().map(|n| n.to_string_lossy().into_owned()),
            ..Dialog::new("Import this file?", Asking::CsvFiles)
        }
    };
    let picked = dialog.show(&app).await;
    app.state::<Chosen>().allow(&picked);
    picked
}

/// Asks for a folder to export into. `None` when the user cancels.
pub async fn choose_export_folder(app: AppHandle) -> Option<PathBuf> {
    Dialog::new("Export the book to a folder", Asking::Folder).show(&app).await.pop()
}

/// Asks where to save a file named like `name` (with the filter's extension); the dialog itself
/// asks before replacing a file. `None` when the user cancels.
pub async fn choose_file_to_save(
    app: AppHandle,
    title: &'static str,
    name: String,
    filter: (&'static str, &'static str),
) -> Option<PathBuf> {
    let dialog = Dialog { name: Some(name), ..Dialog::new(title, Asking::FileToSave(filter.0, filter.1)) };
    dialog.show(&app).await.pop()
}

/// `path` as the UI lists it.
pub fn shown(path: &Path) -> String {
    path.display().to_string()
}
