//! Snapshots of the book, so that an import, a bulk change, a reconciliation run or a schema
//! migration can be undone whole.
//!
//! A backup is a whole SQLite copy of the book (`VACUUM INTO`, consistent while others read it),
//! checked with `PRAGMA integrity_check` before it counts, in a folder beside the book:
//! `BOOK.backups/`, one file per snapshot named by when it was made (UTC), the records version it
//! holds and what was about to happen: `20261202T053012Z-v42-import.sqlite`. The newest
//! [`KEPT`] are kept. A snapshot is not made again while the book holds the records of the newest
//! one: re-importing the same file ten times would otherwise push out every useful backup.

use super::{records_version, set_meta, Result, Store, StoreError};
use rusqlite::{Connection, OpenFlags};
use std::path::{Path, PathBuf};

/// How many backups are kept beside a book.
pub const KEPT: usize = 10;

/// One backup of a book.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Backup {
    pub path: String,
    /// When it was made, as `YYYY-MM-DD HH:MM:SS UTC`.
    pub made: String,
    /// What was about to happen: import, bulk-change, reconcile, migrate, restore, by-hand.
    pub reason: String,
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub bytes: u64,
    /// The records version of the book it copies.
    #[cfg_attr(feature = "typescript", ts(skip))]
    #[serde(skip)]
    version: String,
}

/// The folder that holds the backups of the book at `book`.
pub fn folder_of(book: &Path) -> PathBuf {
    let mut name = book.file_name().unwrap_or_default().to_os_string();
    name.push(".backups");
    book.with_file_name(name)
}

/// The backups of the book at `book`, newest first.
pub fn list(book: &Path) -> Vec<Backup> {
    let Ok(entries) = std::fs::read_dir(folder_of(book)) else { return Vec::new() };
    let mut backups: Vec<Backup> = entries
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let (stamp, rest) = name.strip_suffix(".sqlite")?.split_once('-')?;
            let (version, reason) = rest.strip_prefix('v')?.split_once('-')?;
            let made = made_from_stamp(stamp)?;
            let bytes = e.metadata().map(|m| m.len()).unwrap_or(0);
            let path = e.path().display().to_string();
            Some(Backup { path, made, reason: reason.to_string(), bytes, version: version.to_string() })
        })
        .collect();
    backups.sort_by(|a, b| b.path.cmp(&a.path));
    backups
}

/// `20261202T053012Z` as `2026-12-02 05:30:12 UTC`.
fn made_from_stamp(stamp: &str) -> Option<String> {
    let b = stamp.as_bytes();
    if b.len() != 16
        || b[8] != b'T'
        || b[15] != b'Z'
        || !stamp[..8].bytes().chain(stamp[9..15].bytes()).all(|c| c.is_ascii_digit())
    {
        return None;
    }
    Some(format!(
        "{}-{}-{} {}:{}:{} UTC",
        &stamp[..4],
        &stamp[4..6],
        &stamp[6..8],
        &stamp[9..11],
        &stamp[11..13],
        &stamp[13..15]
    ))
}

/// A damaged book's error, pointing at the newest backup there is of it.
pub(super) fn pointing_at_backup(e: StoreError, book: &Path) -> StoreError {
    match e {
        StoreError::Damaged(message) => StoreError::Damaged(match list(book).first() {
            Some(newest) => format!(
                "{message}. The newest backup is {} (made {}, before {}): matchbook restore {}",
                newest.path, newest.made, newest.reason, newest.path
            ),
            None => format!("{message}. There is no backup of it in {}", folder_of(book).display()),
        }),
        other => other,
    }
}

/// Checks a copy of a book with SQLite's `integrity_check`.
fn check_copy(path: &Path) -> Result<()> {
    let checked = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .and_then(|conn| conn.query_row("PRAGMA integrity_check(1)", [], |r| r.get::<_, String>(0)));
    match checked {
        Ok(result) if result == "ok" => Ok(()),
        Ok(result) => Err(StoreError::Damaged(format!("the backup {} is damaged ({result})", path.display()))),
        Err(e) => Err(StoreError::Damaged(format!("{} is not a sound copy of a book ({e})", path.display()))),
    }
}

impl Store {
    /// Keeps a backup of the book before `reason` changes it, unless the newest backup already
    /// holds these records; returns the backup that holds them.
    ///
    /// A book in memory has nothing to keep a copy of (it ends with its process): its "backup"
    /// is one that names no file.
    pub fn backup(&self, reason: &str) -> Result<Backup> {
        self.writable()?;
        let book = Path::new(&self.path);
        let version = records_version(&self.conn)?;
        if self.in_memory {
            return Ok(Backup { path: String::new(), made: String::new(), reason: reason.into(), bytes: 0, version });
        }
        if let Some(newest) = list(book).into_iter().next().filter(|b| b.version == version) {
            return Ok(newest);
        }
        let folder = folder_of(book);
        std::fs::create_dir_all(&folder).map_err(|e| StoreError::file(&folder, e))?;
        let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%SZ");
        let path = folder.join(format!("{stamp}-v{version}-{reason}.sqlite"));
        self.copy_to(&path)?;
        for old in list(book).into_iter().skip(KEPT) {
            let _ = std::fs::remove_file(&old.path);
        }
        list(book)
            .into_iter()
            .find(|b| Path::new(&b.path) == path)
            .ok_or_else(|| StoreError::Refused(format!("the backup {} was made but cannot be listed", path.display())))
    }

    /// Writes a checked copy of the book to `file`, which must not exist.
    pub fn backup_to(&self, file: &Path) -> Result<()> {
        if file.symlink_metadata().is_ok() {
            return Err(StoreError::Refused(format!("{} already exists; a backup needs a new file", file.display())));
        }
        self.copy_to(file)
    }

    /// Copies the book to `path` under a temporary name, checks the copy, then renames it: a
    /// backup that is there is whole and sound.
    fn copy_to(&self, path: &Path) -> Result<()> {
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let temporary = path.with_file_name(format!(".{name}.partial-{}", std::process::id()));
        let _ = std::fs::remove_file(&temporary);
        let made = self
            .conn
            .execute("VACUUM INTO ?1", [temporary.to_string_lossy()])
            .map_err(StoreError::from)
            .and_then(|_| check_copy(&temporary))
            .and_then(|_| std::fs::rename(&temporary, path).map_err(|e| StoreError::file(path, e)));
        if made.is_err() {
            let _ = std::fs::remove_file(&temporary);
        }
        made
    }

    /// Puts the book back as the backup at `from` holds it, after checking it, and after keeping
    /// a backup of the book as it is (so that a restore can be undone too). Other processes that
    /// have the book open see the restored book from their next read.
    pub fn restore(&mut self, from: &Path) -> Result<Backup> {
        check_copy(from)?;
        let before = self.backup("restore")?;
        let version_now: i64 = records_version(&self.conn)?.parse().unwrap_or(0);
        if self.is_read_only() {
            return Err(StoreError::Refused(format!("the book {} is read-only: it cannot be restored", self.path)));
        }
        let source = Connection::open_with_flags(from, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
        // SQLite's online backup, page by page into the open book, so that other processes that
        // have it open read the restored book (a file copied over it would go unseen by them).
        let copy = rusqlite::backup::Backup::new(&source, &mut self.conn)?;
        copy.run_to_completion(1024, std::time::Duration::from_millis(50), None)?;
        drop(copy);
        // A version never seen before: whatever another process built for an earlier one (an
        // index, a cache) is stale.
        let restored: i64 = records_version(&self.conn)?.parse().unwrap_or(0);
        set_meta(&self.conn, "records_version", &(version_now.max(restored) + 1).to_string())?;
        Ok(before)
    }
}

/// Puts back a book that cannot be opened (damaged) from the backup at `from`: the damaged file is
/// kept beside it as `BOOK.damaged-STAMP`. Only while no process has the book open.
pub fn restore_damaged(book: &Path, from: &Path) -> Result<PathBuf> {
    check_copy(from)?;
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%SZ");
    let mut aside = book.file_name().unwrap_or_default().to_os_string();
    aside.push(format!(".damaged-{stamp}"));
    let aside = book.with_file_name(aside);
    if book.exists() {
        std::fs::rename(book, &aside).map_err(|e| StoreError::file(book, e))?;
    }
    for suffix in ["-wal", "-shm"] {
        let mut side = book.as_os_str().to_os_string();
        side.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(side));
    }
    let temporary =
        book.with_file_name(format!(".{}.restoring", book.file_name().unwrap_or_default().to_string_lossy()));
    std::fs::copy(from, &temporary).map_err(|e| StoreError::file(&temporary, e))?;
    std::fs::File::open(&temporary).and_then(|f| f.sync_all()).map_err(|e| StoreError::file(&temporary, e))?;
    std::fs::rename(&temporary, book).map_err(|e| StoreError::file(book, e))?;
    Ok(aside)
}
