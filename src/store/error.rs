//! What can go wrong with a book, each kind with a message a user can act on.

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database: {0}")]
    Sql(#[from] rusqlite::Error),
    #[error("database: {0}")]
    Value(#[from] rusqlite::types::FromSqlError),
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// Reading or writing a file failed; `path` names it.
    #[error("{path}: {source}")]
    File { path: String, source: std::io::Error },
    #[error("csv: {0}")]
    Csv(#[from] csv::Error),
    /// Another process writes the book, and went on longer than this one waited.
    #[error(
        "the book {book} is busy: {} is writing it (waited {waited} s); try again when it is done",
        writer.as_deref().unwrap_or("another program")
    )]
    Busy { book: String, writer: Option<String>, waited: u64 },
    /// SQLite's error, with the book it was met in.
    #[error("the book {book}: {message}")]
    InBook { book: String, message: String },
    #[error("no record has the id {0:?}")]
    UnknownId(String),
    /// The request itself is not valid: a malformed date in a filter, a kind that has no entries.
    #[error("{0}")]
    Invalid(String),
    /// The book holds what Matchbook never writes: a row missing, a damaged cache, a database that
    /// is not a book.
    #[error("{0}")]
    Damaged(String),
    /// A valid request that the book's contents refuse: a link to an entry another payment paid,
    /// a book made by a newer Matchbook.
    #[error("{0}")]
    Refused(String),
}

pub type Result<T> = std::result::Result<T, StoreError>;

impl StoreError {
    /// Whether SQLite raised this without saying which book: [`StoreError::in_book`] names it.
    pub fn is_from_sqlite(&self) -> bool {
        matches!(self, StoreError::Sql(_) | StoreError::Value(_))
    }

    /// This error as met in the book at `book`: SQLite's own messages do not say which book,
    /// nor what to do when it is damaged.
    pub fn in_book(self, book: &str) -> StoreError {
        let code = match &self {
            StoreError::Sql(e) => e.sqlite_error_code(),
            StoreError::Value(_) => None,
            _ => return self,
        };
        let said = self.to_string().trim_start_matches("database: ").to_string();
        match code {
            Some(rusqlite::ErrorCode::DatabaseCorrupt | rusqlite::ErrorCode::NotADatabase) => {
                let damaged = StoreError::Damaged(format!(
                    "the book {book} is damaged ({said}); nothing was changed: restore a backup of it"
                ));
                super::backups::pointing_at_backup(damaged, std::path::Path::new(book))
            }
            Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) => super::writer::busy(book),
            Some(rusqlite::ErrorCode::DiskFull) => StoreError::InBook {
                book: book.to_string(),
                message: "the disk is full; what was being written was not (free some space and run it again)".into(),
            },
            _ => StoreError::InBook { book: book.to_string(), message: said },
        }
    }

    /// An I/O error of the file at `path`.
    pub fn file(path: &std::path::Path, source: std::io::Error) -> StoreError {
        StoreError::File { path: path.display().to_string(), source }
    }
}
