//! What can go wrong with a book, each kind with a message a user can act on.

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database {path}: {source}")]
    Open { path: String, source: rusqlite::Error },
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
    /// An I/O error of the file at `path`.
    pub fn file(path: &std::path::Path, source: std::io::Error) -> StoreError {
        StoreError::File { path: path.display().to_string(), source }
    }
}
