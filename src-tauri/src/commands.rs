//! The commands the UI invokes. Each one is a thin call into the `matchbook` library, run off the
//! UI thread; errors come back as [`AppError`] values, never as panics.

use crate::files::{self, Chosen};
use chrono::Datelike;
use matchbook::bank;
use matchbook::browse::{EntryIndex, EntryPage, EntryQuery};
use matchbook::claims::{self, ContributorClaims, Sender};
use matchbook::journal::Flavour;
use matchbook::ledger::LedgerError;
use matchbook::model::{Date, Person, RecordKind, Status};
use matchbook::overview::{Overview, ProgramPreview};
use matchbook::profile::{self, FieldChoice, Makes, ProfileForm};
use matchbook::reconcile::{self, AutoOutcome, Reconciliation};
use matchbook::report::{self, EntryExplanation};
use matchbook::store::{
    self, Backup, Fields, FileReport, ImportOptions, ImportOutcome, PlatformSetting, ProfileTest, ProjectMapping,
    SettingQuestion, Store, StoreError, UnmappedLine, WriteError,
};
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use tauri::ipc::Channel;
use tauri::{AppHandle, State};

/// An error as the UI shows it: a sentence, and for rejected input every problem with its line
/// and column (a form's field is its column).
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct AppError {
    pub message: String,
    pub problems: Vec<LedgerError>,
    /// SQLite said it without naming the book: [`with_store`] says it in the book's words.
    #[serde(skip)]
    #[cfg_attr(feature = "typescript", ts(skip))]
    unnamed_book: Option<StoreError>,
}

impl AppError {
    fn new(message: String) -> AppError {
        AppError { message, problems: Vec::new(), unnamed_book: None }
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> AppError {
        let message = e.to_string();
        AppError { unnamed_book: e.is_from_sqlite().then_some(e), ..AppError::new(message) }
    }
}

impl From<WriteError> for AppError {
    fn from(e: WriteError) -> AppError {
        match e {
            WriteError::Invalid(problems) => AppError {
                message: match problems.as_slice() {
                    [one] => one.message.clone(),
                    many => format!("{} problems; nothing was saved", many.len()),
                },
                problems,
                unnamed_book: None,
            },
            WriteError::Store(e) => e.into(),
        }
    }
}

impl From<std::io::Error> for AppError {
    fn from(e: std::io::Error) -> AppError {
        StoreError::from(e).into()
    }
}

type Result<T> = std::result::Result<T, AppError>;

/// The book (or why it could not be opened), the hours/donations index built from it, and the
/// running import's cancel flag. Clones share them.
#[derive(Clone)]
pub struct AppState {
    path: PathBuf,
    store: Arc<Mutex<std::result::Result<Store, String>>>,
    index: Arc<Mutex<Option<EntryIndex>>>,
    cancel: Arc<AtomicBool>,
}

impl AppState {
    /// The open book (or why it could not be opened), for work the app does by itself at start.
    pub fn store_handle(&self) -> Arc<Mutex<std::result::Result<Store, String>>> {
        self.store.clone()
    }

    /// Opens the book at `path` (making it first if `create`). A book that cannot be opened is no
    /// reason not to start: the window says why, and offers its backups.
    pub fn open(path: &Path, create: bool) -> AppState {
        AppState {
            path: path.to_path_buf(),
            store: Arc::new(Mutex::new(open_book(path, create).map_err(|e| e.to_string()))),
            index: Arc::new(Mutex::new(None)),
            cancel: Arc::new(AtomicBool::new(false)),
        }
    }
}

impl AppState {
    /// Opens the book again, if it was open. A native file dialog reads files in the folders it
    /// shows (GLib sniffs their type), the book among them; closing what it read drops this
    /// process's POSIX locks on the book, and SQLite in another process (the command line) would
    /// then take the book for unused and delete its write-ahead log under this connection, whose
    /// later writes would be lost to every other reader. A new connection holds the locks again.
    pub fn reopen_book(&self) {
        let mut store = lock(&self.store);
        if store.is_ok() {
            // The old connection goes first: its close checkpoints what it wrote into the book.
            *store = Err("the book is being opened again".into());
            *store = open_book(&self.path, false).map_err(|e| e.to_string());
        }
    }
}

fn open_book(path: &Path, create: bool) -> std::result::Result<Store, StoreError> {
    let mut store = if create { Store::open_or_create(path)? } else { Store::open(path)? };
    store.set_holder("the Matchbook app");
    Ok(store)
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic while holding the lock cannot leave the book half-written (SQLite transactions
    // roll back), so the data behind a poisoned lock is still good.
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Runs `work` on a blocking thread with the book.
async fn with_store<T: Send + 'static>(
    state: &State<'_, AppState>,
    work: impl FnOnce(&mut Store) -> Result<T> + Send + 'static,
) -> Result<T> {
    let store = state.store.clone();
    tauri::async_runtime::spawn_blocking(move || {
        let mut opened = lock(&store);
        let store = opened.as_mut().map_err(|why| AppError::new(why.clone()))?;
        work(store).map_err(|e| match e.unnamed_book {
            Some(error) => error.in_book(store.path()).into(),
            None => e,
        })
    })
    .await
    .map_err(|e| AppError::new(format!("internal error: {e}")))?
}

fn today() -> Date {
    chrono::Local::now().date_naive()
}

fn parse_date(text: &str, what: &str) -> Result<Date> {
    matchbook::ledger::parse_date(text).map_err(|e| AppError::new(format!("{what}: {e}")))
}

#[derive(Debug, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct KindCount {
    pub kind: RecordKind,
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub rows: u64,
}

#[derive(Debug, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct Contributor {
    pub name: String,
    pub email: String,
}

/// What the app shows about the open book, and the names forms offer.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct BookInfo {
    pub path: String,
    pub today: String,
    pub counts: Vec<KindCount>,
    pub contributors: Vec<Contributor>,
    pub projects: Vec<String>,
    pub employers: Vec<String>,
}

#[tauri::command]
pub async fn book_info(state: State<'_, AppState>) -> Result<BookInfo> {
    with_store(&state, |store| {
        let names = store.names_in_use()?;
        Ok(BookInfo {
            path: store.path().to_string(),
            today: store::iso(today()),
            counts: store.counts()?.into_iter().map(|(kind, rows)| KindCount { kind, rows }).collect(),
            contributors: store
                .contributors()?
                .into_iter()
                .map(|Person { name, email }| Contributor { name, email })
                .collect(),
            projects: names.projects,
            employers: names.employers,
        })
    })
    .await
}

/// The overview of `from..=to` (default: this calendar year), as of today.
#[tauri::command]
pub async fn overview(state: State<'_, AppState>, from: Option<String>, to: Option<String>) -> Result<Overview> {
    let today = today();
    let from = match from.filter(|f| !f.is_empty()) {
        Some(f) => parse_date(&f, "from")?,
        None => Date::from_ymd_opt(today.year(), 1, 1).expect("January 1st exists"),
    };
    let to = match to.filter(|t| !t.is_empty()) {
        Some(t) => parse_date(&t, "to")?,
        None => Date::from_ymd_opt(today.year(), 12, 31).expect("December 31st exists"),
    };
    with_store(&state, move |store| Ok(matchbook::overview::overview(store, from, to, today)?)).await
}

/// The index of hours and donations, rebuilt if the book changed since it was built.
fn current_index<'a>(index: &'a mut Option<EntryIndex>, store: &mut Store) -> Result<&'a mut EntryIndex> {
    let today = today();
    if !index.as_ref().map(|i| i.is_current(store, today)).transpose()?.unwrap_or(false) {
        *index = Some(EntryIndex::build(store, today)?);
    }
    Ok(index.as_mut().expect("built above"))
}

/// One page of hours or donations, filtered and sorted by the index.
#[tauri::command]
pub async fn entries(state: State<'_, AppState>, query: EntryQuery) -> Result<EntryPage> {
    let index = state.index.clone();
    with_store(&state, move |store| Ok(current_index(&mut lock(&index), store)?.page(store, &query)?)).await
}

/// Every record of a small kind (programs, employments, payments) as form fields.
#[tauri::command]
pub async fn records(state: State<'_, AppState>, kind: RecordKind) -> Result<Vec<Fields>> {
    if kind.entry_kind().is_some() {
        return Err(AppError::new(format!("{kind} are browsed page by page")));
    }
    with_store(&state, move |store| Ok(store.records(kind)?.iter().map(store::fields_of).collect())).await
}

/// Adds (no id) or replaces (an id) one record; returns its id.
#[tauri::command]
pub async fn save_record(state: State<'_, AppState>, kind: RecordKind, fields: Fields) -> Result<String> {
    with_store(&state, move |store| {
        let ids = store.write_fields(kind, &[fields], "form")?;
        Ok(ids.into_iter().next().expect("one row written"))
    })
    .await
}

/// Deletes records; returns them as they were, for undo.
#[tauri::command]
pub async fn delete_records(state: State<'_, AppState>, kind: RecordKind, ids: Vec<String>) -> Result<Vec<Fields>> {
    with_store(&state, move |store| Ok(store.delete(kind, &ids)?)).await
}

/// Brings deleted records back (undo).
#[tauri::command]
pub async fn restore_records(state: State<'_, AppState>, kind: RecordKind, rows: Vec<Fields>) -> Result<()> {
    with_store(&state, move |store| {
        store.write_fields(kind, &rows, "undo")?;
        Ok(())
    })
    .await
}

/// Sets the status of many hours or donations, dated today; returns how many changed.
#[tauri::command]
pub async fn set_status(
    state: State<'_, AppState>,
    kind: RecordKind,
    ids: Vec<String>,
    status: Status,
) -> Result<usize> {
    with_store(&state, move |store| Ok(store.set_status(kind, &ids, status, today())?)).await
}

/// One entry's expected amounts, rule by rule, as of today.
#[tauri::command]
pub async fn explain(state: State<'_, AppState>, id: String) -> Result<EntryExplanation> {
    with_store(&state, move |store| Ok(report::explain(store, &id, today())?)).await
}

/// What an entry would earn under a program version being edited.
#[tauri::command]
pub async fn preview_program(
    program: Fields,
    contributor: String,
    date: String,
    quantity: String,
) -> Result<ProgramPreview> {
    Ok(matchbook::overview::preview_program(&program, &contributor, &date, &quantity, today())?)
}

/// The catalogue of known employer programs to start a program version from: figures from cited
/// public sources, each with its source and date, to check with the employer before use.
#[tauri::command]
pub async fn program_catalogue() -> Result<Vec<matchbook::catalogue::CatalogueEntry>> {
    matchbook::catalogue::catalogue().map_err(|e| AppError::new(e.to_string()))
}

/// How far a running import has come.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct ImportProgress {
    pub file: String,
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub bytes_done: u64,
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub bytes_total: u64,
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub rows: u64,
}

/// What an import did or, in a dry run, would do; or why it did nothing.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct ImportResult {
    /// Whether the book changed (never in a dry run).
    pub written: bool,
    /// After a written import: the payment lines it let reconciliation match.
    pub reconciled: Option<AutoOutcome>,
    /// After a written import, why the reconciliation that follows could not run: the import
    /// stands, and the Reconcile screen runs it again.
    pub reconcile_failed: Option<String>,
    /// After a written import, the backup of the book as it was before it (see [`restore_backup`]).
    pub undo: Option<String>,
    pub cancelled: bool,
    pub files: Vec<FileReport>,
    pub errors: Vec<LedgerError>,
}

/// Opens a native dialog for CSV files (or a folder of them) to import; returns what the user
/// chose, which the import commands may read from then on.
#[tauri::command]
pub async fn choose_import(app: AppHandle, folder: bool) -> Result<Vec<String>> {
    Ok(files::choose_to_import(app, folder).await.iter().map(|p| files::shown(p)).collect())
}

/// Opens the native dialog at a path typed in the window, for the user to confirm it there;
/// returns what they chose (nothing when they cancelled), which the import commands may read.
#[tauri::command]
pub async fn confirm_import_path(app: AppHandle, path: PathBuf) -> Result<Vec<String>> {
    Ok(files::confirm_to_import(app, path).await.iter().map(|p| files::shown(p)).collect())
}

/// Imports (or with `dry_run`, previews) files and folders the user chose (see
/// [`choose_import`]), streaming progress; all or nothing.
#[tauri::command]
pub async fn import_files(
    state: State<'_, AppState>,
    chosen: State<'_, Chosen>,
    paths: Vec<PathBuf>,
    dry_run: bool,
    on_progress: Channel<ImportProgress>,
) -> Result<ImportResult> {
    chosen.check(&paths).map_err(AppError::new)?;
    state.cancel.store(false, Ordering::Relaxed);
    let options = ImportOptions { dry_run, cancel: Some(state.cancel.clone()), ..ImportOptions::default() };
    with_store(&state, move |store| {
        let mut progress = |p: store::Progress| {
            // A closed window drops the channel; the import goes on regardless.
            let _ = on_progress.send(ImportProgress {
                file: p.file.to_string(),
                bytes_done: p.bytes_done,
                bytes_total: p.bytes_total,
                rows: p.rows,
            });
        };
        let empty = || ImportResult {
            written: false,
            reconciled: None,
            reconcile_failed: None,
            undo: None,
            cancelled: false,
            files: Vec::new(),
            errors: Vec::new(),
        };
        let outcome = store.import(&paths, &options, &mut progress)?;
        let (reconciled, reconcile_failed) = match reconcile::after_import(store, &options, &outcome, today()) {
            Ok(reconciled) => (reconciled, None),
            Err(e) => (None, Some(e.to_string())),
        };
        Ok(match outcome {
            ImportOutcome::Imported(files) => {
                let written = !dry_run && files.iter().any(|f| f.added + f.replaced > 0);
                // The backup the import kept of the book before it: what "Undo" restores.
                let undo = written
                    .then(|| store::backups_of(Path::new(store.path())).into_iter().find(|b| b.reason == "import"))
                    .flatten()
                    .map(|b| b.path);
                ImportResult { written, reconciled, reconcile_failed, undo, files, ..empty() }
            }
            ImportOutcome::Rejected(errors) => ImportResult { errors, ..empty() },
            ImportOutcome::Cancelled => ImportResult { cancelled: true, ..empty() },
        })
    })
    .await
}

/// Stops the running import, which then writes nothing.
#[tauri::command]
pub async fn cancel_import(state: State<'_, AppState>) -> Result<()> {
    state.cancel.store(true, Ordering::Relaxed);
    Ok(())
}

/// Asks for a folder in a native dialog and writes the whole book there, one CSV per kind;
/// returns the files written, or `None` when the user cancelled. A folder that holds files is
/// refused, as the command line refuses it without --force: the dialog can make a new one.
#[tauri::command]
pub async fn export_book(app: AppHandle, state: State<'_, AppState>) -> Result<Option<Vec<String>>> {
    let Some(dir) = files::choose_export_folder(app).await else { return Ok(None) };
    with_store(&state, move |store| {
        let written = matchbook::export::export_dir(store, &dir, false)?;
        Ok(Some(written.into_iter().map(|(path, _)| files::shown(&path)).collect()))
    })
    .await
}

/// Asks where to save in a native dialog and writes there the hours or donations the query
/// selects (all pages) as a ledger CSV; returns the file and its rows, or `None` when cancelled.
#[tauri::command]
pub async fn export_entries(
    app: AppHandle,
    state: State<'_, AppState>,
    query: EntryQuery,
) -> Result<Option<(String, u64)>> {
    let name = format!("{}.csv", query.kind.name());
    let Some(path) = files::choose_file_to_save(app, "Export the entries shown", name, ("CSV", "csv")).await else {
        return Ok(None);
    };
    let index = state.index.clone();
    with_store(&state, move |store| {
        let index = &mut lock(&index);
        let entries = current_index(index, store)?;
        let rows = matchbook::export::write_atomically(&path, |file| entries.export(store, &query, file))?;
        Ok(Some((files::shown(&path), rows)))
    })
    .await
}

/// Received payment lines and what they pay, lines nobody logged, and claims older than
/// `lag_days` (default 90) not received (the oldest [`MISSING_LISTED`] of them), as of today.
#[tauri::command]
pub async fn reconciliation(state: State<'_, AppState>, lag_days: Option<u32>) -> Result<Reconciliation> {
    let lag = lag_days.unwrap_or(reconcile::DEFAULT_LAG_DAYS);
    with_store(&state, move |store| {
        Ok(reconcile::reconciliation(store, today(), lag, bank::DEFAULT_WINDOW_DAYS, Some(MISSING_LISTED))?)
    })
    .await
}

/// How many claims not received the Reconcile screen lists; the summary counts them all.
const MISSING_LISTED: usize = 200;

/// Links every payment line that exactly one set of entries fits.
#[tauri::command]
pub async fn auto_reconcile(state: State<'_, AppState>) -> Result<AutoOutcome> {
    with_store(&state, move |store| Ok(reconcile::auto_reconcile(store, today(), bank::DEFAULT_WINDOW_DAYS)?)).await
}

/// The treasurer's choice: `payment` pays `entries`, which become paid.
#[tauri::command]
pub async fn link_payment(state: State<'_, AppState>, payment: String, entries: Vec<String>) -> Result<()> {
    with_store(&state, move |store| Ok(store.link(&payment, &entries, "chosen")?)).await
}

/// Undoes a payment's links; its entries get their earlier status back.
#[tauri::command]
pub async fn unlink_payment(state: State<'_, AppState>, payment: String) -> Result<usize> {
    with_store(&state, move |store| Ok(store.unlink(&payment)?)).await
}

#[tauri::command]
pub async fn project_mappings(state: State<'_, AppState>) -> Result<Vec<ProjectMapping>> {
    with_store(&state, move |store| Ok(store.project_mappings()?)).await
}

#[tauri::command]
pub async fn set_project_mapping(state: State<'_, AppState>, mapping: ProjectMapping) -> Result<()> {
    with_store(&state, move |store| Ok(store.set_project_mapping(&mapping)?)).await
}

#[tauri::command]
pub async fn remove_project_mapping(state: State<'_, AppState>, mapping: ProjectMapping) -> Result<bool> {
    with_store(&state, move |store| {
        Ok(store.remove_project_mapping(&mapping.platform, &mapping.field, &mapping.value)?)
    })
    .await
}

/// What the platform reports among `paths` need to be told that the book does not know yet
/// (Bright Funds' currency, how it pays), to ask before the preview.
#[tauri::command]
pub async fn unanswered_settings(
    state: State<'_, AppState>,
    chosen: State<'_, Chosen>,
    paths: Vec<PathBuf>,
) -> Result<Vec<SettingQuestion>> {
    chosen.check(&paths).map_err(AppError::new)?;
    with_store(&state, move |store| Ok(store.unanswered_settings(&paths)?)).await
}

#[tauri::command]
pub async fn set_platform_setting(
    state: State<'_, AppState>,
    platform: String,
    setting: String,
    value: String,
) -> Result<PlatformSetting> {
    with_store(&state, move |store| Ok(store.set_platform_setting(&platform, &setting, &value)?)).await
}

#[tauri::command]
pub async fn platform_settings(state: State<'_, AppState>) -> Result<Vec<PlatformSetting>> {
    with_store(&state, move |store| Ok(store.platform_settings()?)).await
}

/// The import profile wizard's start for a file the user chose: a draft profile from what the
/// file's beginning shows, its header and first rows, and the fields a column may hold.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct ProfileStart {
    pub form: ProfileForm,
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
    pub fields: Vec<FieldChoice>,
}

#[tauri::command]
pub async fn profile_start(
    chosen: State<'_, Chosen>,
    path: PathBuf,
    name: String,
    makes: String,
) -> Result<ProfileStart> {
    chosen.check(std::slice::from_ref(&path)).map_err(AppError::new)?;
    let makes = if makes == "deposits" { Makes::Deposits } else { Makes::Payments };
    tauri::async_runtime::spawn_blocking(move || {
        let bytes = std::fs::read(&path).map_err(|e| AppError::new(format!("{}: {e}", path.display())))?;
        let sniffed = profile::sniff(&bytes);
        Ok(ProfileStart {
            form: ProfileForm::draft(&name, makes, &sniffed),
            header: sniffed.header,
            rows: sniffed.rows,
            fields: ProfileForm::field_choices(),
        })
    })
    .await
    .map_err(|e| AppError::new(format!("internal error: {e}")))?
}

/// Reads the chosen file with the wizard's profile, writing nothing.
#[tauri::command]
pub async fn test_profile(
    state: State<'_, AppState>,
    chosen: State<'_, Chosen>,
    form: ProfileForm,
    path: PathBuf,
) -> Result<ProfileTest> {
    chosen.check(std::slice::from_ref(&path)).map_err(AppError::new)?;
    let profile = match form.profile() {
        Ok(profile) => profile,
        Err(errors) => return Ok(ProfileTest { errors, ..ProfileTest::default() }),
    };
    with_store(&state, move |store| Ok(store.test_profile(&profile, &path)?)).await
}

/// Keeps the wizard's profile in the book; returns whether it replaced one of its name.
#[tauri::command]
pub async fn save_profile(state: State<'_, AppState>, form: ProfileForm) -> Result<bool> {
    let profile = form.profile().map_err(|problems| AppError {
        message: format!(
            "the profile cannot be saved: {}",
            problems.iter().map(|p| p.message.as_str()).collect::<Vec<_>>().join("; ")
        ),
        problems,
        unnamed_book: None,
    })?;
    with_store(&state, move |store| Ok(store.save_import_profile(&profile)?)).await
}

#[tauri::command]
pub async fn import_profiles(state: State<'_, AppState>) -> Result<Vec<ProfileForm>> {
    with_store(&state, move |store| Ok(store.import_profiles()?.iter().map(ProfileForm::of).collect())).await
}

/// Forgets a profile and its files' project mappings; returns how many mappings went with it.
#[tauri::command]
pub async fn remove_profile(state: State<'_, AppState>, name: String) -> Result<usize> {
    with_store(&state, move |store| {
        store
            .remove_import_profile(&name)?
            .ok_or_else(|| AppError::new(format!("the book has no import profile {name:?}")))
    })
    .await
}

/// The treasurer's choice: `deposit` brought `payout`.
#[tauri::command]
pub async fn match_deposit(state: State<'_, AppState>, deposit: String, payout: String) -> Result<()> {
    with_store(&state, move |store| Ok(store.match_deposit(&deposit, &payout, "chosen")?)).await
}

/// Marks a deposit as money no payout explains (a grant), with the treasurer's note.
#[tauri::command]
pub async fn mark_not_matching(state: State<'_, AppState>, deposit: String, note: String) -> Result<()> {
    with_store(&state, move |store| Ok(store.mark_not_matching(&deposit, &note)?)).await
}

/// Forgets a deposit's match or mark.
#[tauri::command]
pub async fn unmatch_deposit(state: State<'_, AppState>, deposit: String) -> Result<bool> {
    with_store(&state, move |store| Ok(store.unmatch_deposit(&deposit)?)).await
}

/// The lines of platform reports among `paths` that no mapping places yet, to ask about them.
#[tauri::command]
pub async fn unmapped_lines(
    state: State<'_, AppState>,
    chosen: State<'_, Chosen>,
    paths: Vec<PathBuf>,
) -> Result<Vec<UnmappedLine>> {
    chosen.check(&paths).map_err(AppError::new)?;
    with_store(&state, move |store| Ok(store.unmapped_report_lines(&paths)?)).await
}

/// Asks where to save in a native dialog and writes the book there as an hledger or beancount
/// journal; returns the file, or `None` when the user cancelled.
#[tauri::command]
pub async fn export_journal(app: AppHandle, state: State<'_, AppState>, flavour: Flavour) -> Result<Option<String>> {
    let (name, extension) = match flavour {
        Flavour::Hledger => ("matchbook.journal", "journal"),
        Flavour::Beancount => ("matchbook.beancount", "beancount"),
    };
    let title = "Export the book as a journal";
    let Some(path) = files::choose_file_to_save(app, title, name.into(), ("Journal", extension)).await else {
        return Ok(None);
    };
    with_store(&state, move |store| {
        // The save dialog asked before replacing a file there.
        matchbook::export::export_journal(store, flavour, today(), &path, true)?;
        Ok(Some(files::shown(&path)))
    })
    .await
}

/// Why the book could not be opened, if it could not: the window shows it instead of the book.
#[tauri::command]
pub async fn book_problem(state: State<'_, AppState>) -> Result<Option<String>> {
    Ok(lock(&state.store).as_ref().err().cloned())
}

/// The book's backups, newest first.
#[tauri::command]
pub async fn backups(state: State<'_, AppState>) -> Result<Vec<Backup>> {
    Ok(store::backups_of(&state.path))
}

/// Puts the book back as the backup at `path` (one of [`backups`]) holds it; returns the backup
/// of the book as it was. A book that could not be opened is put back whole and opened.
#[tauri::command]
pub async fn restore_backup(state: State<'_, AppState>, path: PathBuf) -> Result<Option<Backup>> {
    let book = state.path.clone();
    if !store::backups_of(&book).iter().any(|b| Path::new(&b.path) == path) {
        return Err(AppError::new(format!("{} is not a backup of this book", path.display())));
    }
    *lock(&state.index) = None;
    let store = state.store.clone();
    tauri::async_runtime::spawn_blocking(move || {
        let mut opened = lock(&store);
        match opened.as_mut() {
            Ok(store) => Ok(Some(store.restore(&path)?)),
            Err(_) => {
                store::restore_damaged(&book, &path)?;
                *opened = Ok(open_book(&book, false)?);
                Ok(None)
            }
        }
    })
    .await
    .map_err(|e| AppError::new(format!("internal error: {e}")))?
}

/// What the About dialog says: the app's version and the book schema it reads.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct About {
    pub version: String,
    pub book_schema: u32,
    pub book: String,
}

#[tauri::command]
pub async fn about(state: State<'_, AppState>) -> Result<About> {
    Ok(About {
        version: env!("CARGO_PKG_VERSION").into(),
        book_schema: store::SCHEMA_VERSION,
        book: files::shown(&state.path),
    })
}

/// The claims to remind contributors of (`report claims`), by contributor, soonest deadline first;
/// with `within`, only those to submit within that many days.
#[tauri::command]
pub async fn claims(state: State<'_, AppState>, within: Option<u32>) -> Result<Vec<ContributorClaims>> {
    with_store(&state, move |store| {
        let options = claims::Options { contributor: None, within, entries: false };
        let review_days = claims::book_review_days(store)?;
        Ok(claims::claims(store, today(), &options, &review_days)?.by_contributor())
    })
    .await
}

/// One contributor's claims with their entries, as their reminder tells them.
fn claims_of(store: &mut Store, contributor: &str, email: &str) -> Result<ContributorClaims> {
    let who = if email.is_empty() { contributor } else { email };
    let options = claims::Options { contributor: Some(who.to_string()), within: None, entries: true };
    let review_days = claims::book_review_days(store)?;
    let found = claims::claims(store, today(), &options, &review_days)?;
    found
        .by_contributor()
        .into_iter()
        .find(|c| c.contributor == contributor && c.email == email)
        .ok_or_else(|| AppError::new(format!("{contributor} has nothing to claim")))
}

/// What a reminder is written as.
#[derive(Debug, Clone, Copy, serde::Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum ReminderFile {
    /// An RFC 5322 message (`.eml`) that a mail client opens to send.
    Email,
    /// A printable HTML statement.
    Statement,
}

/// Asks where to save a contributor's reminder (its email as `.eml`, or its statement as HTML) and
/// writes it; returns the file, or `None` when the user cancelled. Nothing is sent.
#[tauri::command]
pub async fn save_reminder(
    app: AppHandle,
    state: State<'_, AppState>,
    contributor: String,
    email: String,
    sender: Sender,
    file: ReminderFile,
) -> Result<Option<String>> {
    let reminder = with_store(&state, move |store| claims_of(store, &contributor, &email)).await?;
    let stem: String =
        reminder.contributor.chars().map(|c| if c.is_alphanumeric() || c == '-' { c } else { '-' }).collect();
    let (title, name, filter) = match file {
        ReminderFile::Email => ("Save the reminder email", format!("claims-{stem}.eml"), ("Email", "eml")),
        ReminderFile::Statement => ("Save the statement", format!("claims-{stem}.html"), ("Web page", "html")),
    };
    let Some(path) = files::choose_file_to_save(app, title, name, filter).await else {
        return Ok(None);
    };
    let text = match file {
        ReminderFile::Email => {
            let email = claims::email(&reminder, today(), &sender);
            claims::eml(&email, &sender, chrono::Local::now().fixed_offset())
        }
        ReminderFile::Statement => claims::statement_html(&reminder, today(), &sender),
    };
    std::fs::write(&path, text).map_err(|e| AppError::new(format!("{}: {e}", path.display())))?;
    Ok(Some(files::shown(&path)))
}

/// A contributor's reminder email as a `mailto:` link, for the UI to offer (its body cut short to
/// keep the link one that mail clients open).
#[tauri::command]
pub async fn reminder_mailto(
    state: State<'_, AppState>,
    contributor: String,
    email: String,
    sender: Sender,
) -> Result<String> {
    with_store(&state, move |store| {
        let reminder = claims_of(store, &contributor, &email)?;
        Ok(claims::mailto(&claims::email(&reminder, today(), &sender), MAILTO_LENGTH))
    })
    .await
}

/// The longest `mailto:` link offered: what browsers and mail clients open everywhere.
const MAILTO_LENGTH: usize = 2000;

/// Every payout schedule the book may use (its own, the shipped defaults, and the platforms its
/// programs name that nothing describes), for the Programs screen.
#[tauri::command]
pub async fn platforms(state: State<'_, AppState>) -> Result<Vec<matchbook::forecast::PlatformView>> {
    with_store(&state, move |store| Ok(matchbook::forecast::platform_views(store)?)).await
}

/// Gives or changes a platform's payout schedule (a row of `platforms.csv`).
#[tauri::command]
pub async fn save_platform(state: State<'_, AppState>, row: matchbook::forecast::PlatformRow) -> Result<()> {
    with_store(&state, move |store| {
        store.set_platform(&row)?;
        Ok(())
    })
    .await
}

/// Forgets the book's schedule of a platform: its shipped default (or about 60 days) applies again.
#[tauri::command]
pub async fn remove_platform(state: State<'_, AppState>, name: String) -> Result<bool> {
    with_store(&state, move |store| Ok(store.remove_platform(&name)?)).await
}
