//! The book's schema over time.
//!
//! A book's schema version is SQLite's `user_version`. A new book is made from `schema.sql`, which
//! is today's book in one file; a book made by an earlier Matchbook is brought up to date by the
//! migrations after its version, in one transaction, which a test checks gives the same tables.
//!
//! Only changes to the records are migrations. Versions 1 (the first schema), 2 and 4 to 8 (which
//! changed only the results cache) have no migration: a version 1 book needs versions 3 and 9, and
//! the results cache is rebuilt whenever its own version differs (see `cache`), never migrated.

use super::{new_book_tag, rows, set_meta, Result, Store, StoreError};
use crate::model::RecordKind;
use rusqlite::Connection;

/// The schema a book made today has; books at a later version were made by a newer Matchbook.
pub const SCHEMA_VERSION: u32 = 13;

/// A change from the version before it to `version`.
struct Migration {
    version: u32,
    sql: &'static str,
    /// Kinds whose digests cover other columns from this version on: recomputed once every
    /// migration has run, so that they are made by today's code over today's columns.
    redigest: &'static [RecordKind],
}

const MIGRATIONS: &[Migration] = &[
    Migration { version: 3, sql: include_str!("migrations/03_reconcile.sql"), redigest: &[RecordKind::Payments] },
    Migration { version: 9, sql: include_str!("migrations/09_results_cache_out.sql"), redigest: &[] },
    Migration {
        version: 10,
        sql: include_str!("migrations/10_status_out_of_identity.sql"),
        redigest: &[RecordKind::Hours, RecordKind::Donations],
    },
    Migration { version: 11, sql: include_str!("migrations/11_money_in.sql"), redigest: &[RecordKind::Payments] },
    Migration { version: 12, sql: include_str!("migrations/12_status_dates.sql"), redigest: &[] },
    Migration { version: 13, sql: include_str!("migrations/13_platforms.sql"), redigest: &[] },
];

/// The schema version of the book on `conn`, or 0 for an empty file.
pub(super) fn version(conn: &Connection) -> Result<u32> {
    Ok(conn.pragma_query_value(None, "user_version", |r| r.get(0))?)
}

impl Store {
    /// Makes a new book, or brings an older one to [`SCHEMA_VERSION`]. A book of a later version,
    /// or a database that is not a book, is refused and left as it is.
    pub(super) fn bring_up_to_date(&mut self) -> Result<()> {
        if version(&self.conn)? == SCHEMA_VERSION {
            return Ok(());
        }
        let path = self.path.clone();
        let newer = |from: u32| {
            StoreError::Refused(format!(
                "{path} was made by a newer Matchbook (book schema {from}; this one reads up to {SCHEMA_VERSION}): \
                 open it with that version"
            ))
        };
        let from = version(&self.conn)?;
        if from > SCHEMA_VERSION {
            return Err(newer(from));
        }
        if self.is_read_only() {
            return Err(StoreError::Refused(format!(
                "{path} was made by an earlier Matchbook and must be brought up to date, but it is read-only: \
                 make the file and its folder writable and open it again"
            )));
        }
        if from > 0 {
            self.backup("migrate")?;
        }
        let tx = self.begin_write()?;
        // Read again under the write lock: another process may have just made or migrated it.
        let from = version(&tx)?;
        if from == 0 {
            let tables: i64 = tx.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))?;
            if tables > 0 {
                return Err(StoreError::Damaged(format!(
                    "{path} is an SQLite database but not a Matchbook book (it has tables and no book schema)"
                )));
            }
            tx.execute_batch(include_str!("schema.sql"))?;
            set_meta(&tx, "book_tag", &new_book_tag())?;
            set_meta(&tx, "next_seq", "1")?;
            set_meta(&tx, "records_version", "0")?;
        } else if from > SCHEMA_VERSION {
            return Err(newer(from));
        } else {
            let mut redigest: Vec<RecordKind> = Vec::new();
            for migration in MIGRATIONS.iter().filter(|m| m.version > from) {
                tx.execute_batch(migration.sql)?;
                for kind in migration.redigest {
                    if !redigest.contains(kind) {
                        redigest.push(*kind);
                    }
                }
            }
            for kind in redigest {
                rows::recompute_digests(&tx, kind)?;
            }
        }
        tx.pragma_update(None, "user_version", SCHEMA_VERSION)?;
        tx.commit()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each migration's version is later than the one before, and the last is today's.
    #[test]
    fn migrations_run_in_order_up_to_the_schema_version() {
        assert!(MIGRATIONS.windows(2).all(|w| w[0].version < w[1].version));
        assert_eq!(MIGRATIONS.last().map(|m| m.version), Some(SCHEMA_VERSION));
    }
}
