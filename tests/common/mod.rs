//! What the integration tests of the `matchbook` command share: a book in a temporary directory
//! and the real binary run on it.
#![allow(dead_code)] // each test crate uses its own part

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub const BIN: &str = env!("CARGO_BIN_EXE_matchbook");

/// The repository's own files (examples/...).
pub fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

/// An exported book: file name -> bytes.
pub type Export = BTreeMap<String, Vec<u8>>;

/// A book in its own temporary directory.
pub struct Book {
    pub dir: tempfile::TempDir,
    pub db: PathBuf,
}

impl Book {
    /// A directory and a book's path in it, with no book there yet.
    pub fn unmade() -> Book {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = dir.path().join("book.sqlite");
        Book { dir, db }
    }

    /// A new, empty book, made as a person would: `matchbook init`.
    pub fn new() -> Book {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = dir.path().join("book.sqlite");
        let made = Command::new(BIN).arg("init").arg(&db).env_remove("MATCHBOOK_DB").output().expect("run matchbook");
        assert!(made.status.success(), "matchbook init: {}", String::from_utf8_lossy(&made.stderr));
        Book { dir, db }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Writes `content` to `name` in the book's directory and returns its path.
    pub fn write(&self, name: &str, content: impl AsRef<[u8]>) -> PathBuf {
        let path = self.path(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(&path, content).unwrap();
        path
    }

    pub fn run<S: AsRef<std::ffi::OsStr>>(&self, args: &[S]) -> Output {
        Command::new(BIN)
            .arg("--db")
            .arg(&self.db)
            .args(args)
            .current_dir(self.dir.path())
            .env_remove("MATCHBOOK_DB")
            .output()
            .expect("run matchbook")
    }

    /// Runs a command that must succeed; returns its stdout.
    pub fn ok<S: AsRef<std::ffi::OsStr>>(&self, args: &[S]) -> String {
        let out = self.run(args);
        let shown: Vec<_> = args.iter().map(|a| a.as_ref().to_string_lossy().into_owned()).collect();
        assert!(
            out.status.success(),
            "matchbook {shown:?} failed ({}):\nstdout:\n{}\nstderr:\n{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("stdout is UTF-8")
    }

    /// Runs a command that must fail; returns its stderr.
    pub fn fails<S: AsRef<std::ffi::OsStr>>(&self, args: &[S]) -> String {
        let out = self.run(args);
        let shown: Vec<_> = args.iter().map(|a| a.as_ref().to_string_lossy().into_owned()).collect();
        assert!(
            !out.status.success(),
            "matchbook {shown:?} should have failed:\nstdout:\n{}\nstderr:\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stderr).into_owned()
    }

    pub fn import(&self, paths: &[&Path]) -> String {
        let mut args: Vec<&std::ffi::OsStr> = vec!["import".as_ref()];
        args.extend(paths.iter().map(|p| p.as_os_str()));
        self.ok(&args)
    }

    pub fn import_fails(&self, paths: &[&Path]) -> String {
        let mut args: Vec<&std::ffi::OsStr> = vec!["import".as_ref()];
        args.extend(paths.iter().map(|p| p.as_os_str()));
        self.fails(&args)
    }

    /// Exports into `dir` (relative to the book's directory) and returns the files.
    pub fn export_to(&self, dir: &str) -> Export {
        let dir = self.path(dir);
        assert!(!dir.exists(), "export dir {} already used", dir.display());
        self.ok(&["export".as_ref(), dir.as_os_str()]);
        read_dir(&dir)
    }

    /// Exports into a fresh directory and returns the files.
    pub fn export(&self) -> Export {
        let dir = tempfile::tempdir_in(self.dir.path()).unwrap();
        self.ok(&["export".as_ref(), dir.path().as_os_str()]);
        read_dir(dir.path())
    }

    pub fn report_csv(&self, args: &[&str]) -> String {
        let mut all = vec!["report", "expected", "--format", "csv"];
        all.extend_from_slice(args);
        self.ok(&all)
    }
}

pub fn read_dir(dir: &Path) -> Export {
    let mut files = Export::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        files.insert(entry.file_name().to_string_lossy().into_owned(), std::fs::read(entry.path()).unwrap());
    }
    let names: Vec<&str> = files.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        [
            "bank-matches.csv",
            "deposits.csv",
            "donations.csv",
            "employments.csv",
            "hours.csv",
            "import-profiles.csv",
            "payments.csv",
            "platform-settings.csv",
            "platforms.csv",
            "programs.csv",
            "project-mappings.csv",
            "reconciled.csv"
        ]
    );
    files
}

/// The data rows (header skipped) of one exported file.
pub fn rows(export: &Export, file: &str) -> Vec<String> {
    let text = std::str::from_utf8(&export[file]).expect("export is UTF-8");
    text.lines().skip(1).map(str::to_string).collect()
}

/// The id (first column) of the only exported row containing `needle`.
pub fn id_of(export: &Export, file: &str, needle: &str) -> String {
    let found: Vec<String> = rows(export, file).into_iter().filter(|r| r.contains(needle)).collect();
    assert_eq!(found.len(), 1, "expected exactly one row of {file} containing {needle:?}, got {found:?}");
    found[0].split(',').next().unwrap().to_string()
}

/// The Benevity samples' project mappings (tests/data): the two comments, and the charity's
/// name for the gift without one (the sponsor's general fund).
pub fn map_sample_benevity(book: &Book) {
    book.ok(&["map", "set", "comment", "Project: Widgets", "Widgets"]);
    book.ok(&["map", "set", "comment", "Project: Gadgets", "Gadgets"]);
    book.ok(&["map", "set", "project", "Example Science Foundation", "Widgets"]);
}

/// A book with the sample disbursement report: payouts EXDISB0325 (2,668.80 USD, bank date
/// 2025-03-31, reference EXBANK778812) and EXDISB0425 (944.52 USD, sent 2025-04-28, bank date
/// 2025-04-30, reference EXBANK781140).
pub fn book_with_sample_payouts() -> Book {
    let book = Book::new();
    map_sample_benevity(&book);
    let report = book.write("disbursements.csv", include_str!("../data/benevity-disbursement-sample.csv"));
    book.import(&[&report]);
    book
}
