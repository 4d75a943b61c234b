//! New rows of one table, written many to a statement.

use crate::model::RecordKind;
use crate::store::rows::table_columns;
use crate::store::write_statement::WriteStatement;
use crate::store::StoreError;
use rusqlite::types::{ToSqlOutput, Value};
use rusqlite::Transaction;

/// New records of one table, written many rows to a statement: one-row `INSERT`s spend much of
/// their time starting and ending statements. SQLite gives each new row the
/// table's largest rid + 1, so a statement's rows get consecutive rids; each statement checks it.
pub(super) struct Inserts<'t> {
    tx: &'t Transaction<'t>,
    one: WriteStatement<'t>,
    many: WriteStatement<'t>,
    /// Values per row: id, digest and the table's columns.
    width: usize,
    /// The rid of the last record added (at first, the table's largest).
    pub(super) last_rid: i64,
    /// False for a preview's shortcut (see [`import_file`]): rows are counted, not written.
    write: bool,
}

impl<'t> Inserts<'t> {
    /// Rows per statement of `many`: more gained nothing more.
    const ROWS: usize = 32;

    pub(super) fn new(tx: &'t Transaction<'t>, kind: RecordKind, write: bool) -> Result<Inserts<'t>, StoreError> {
        let (table, columns) = (kind.name(), table_columns(kind));
        let width = columns.len() + 2;
        let row = format!("({})", vec!["?"; width].join(", "));
        // OR FAIL: a statement that fails keeps the rows it wrote before, so SQLite need not
        // journal each statement; any error rolls the whole import back anyway.
        let sql = |rows: usize| {
            let values = vec![row.as_str(); rows].join(", ");
            format!("INSERT OR FAIL INTO {table} (id, digest, {}) VALUES {values}", columns.join(", "))
        };
        let last_rid = tx.query_row(&format!("SELECT coalesce(max(rid), 0) FROM {table}"), [], |r| r.get(0))?;
        let (one, many) = (WriteStatement::prepare(tx, &sql(1))?, WriteStatement::prepare(tx, &sql(Inserts::ROWS))?);
        Ok(Inserts { tx, one, many, width, last_rid, write })
    }

    /// Adds a record to `pending`, writing them once there are enough; returns its rid (0 when
    /// not writing).
    pub(super) fn add<'r>(
        &mut self,
        pending: &mut Vec<ToSqlOutput<'r>>,
        id: String,
        digest: i64,
        values: Vec<ToSqlOutput<'r>>,
    ) -> Result<i64, StoreError> {
        if !self.write {
            return Ok(0);
        }
        // Past i64::MAX, SQLite would choose a rid at random.
        let rid = self
            .last_rid
            .checked_add(1)
            .ok_or_else(|| StoreError::Refused("a new row has no rid left: the book's largest is i64::MAX".into()))?;
        self.last_rid = rid;
        pending.extend([Value::Text(id), Value::Integer(digest)].map(ToSqlOutput::Owned));
        pending.extend(values);
        debug_assert_eq!(pending.len() % self.width, 0);
        if pending.len() == Inserts::ROWS * self.width {
            self.flush(pending)?;
        }
        Ok(rid)
    }

    /// Writes the rows of `pending`.
    pub(super) fn flush(&mut self, pending: &mut Vec<ToSqlOutput<'_>>) -> Result<(), StoreError> {
        let statement = if pending.len() == Inserts::ROWS * self.width { &mut self.many } else { &mut self.one };
        let rows = pending.len() / self.width;
        for (n, row) in pending.chunks(statement.parameter_count()).enumerate() {
            statement.execute(row)?;
            // The rid of the statement's last row, as `add` counted: only a table whose largest rid
            // is i64::MAX would make SQLite choose otherwise.
            let last = self.last_rid - (rows - (n + 1) * row.len() / self.width) as i64;
            if self.tx.last_insert_rowid() != last {
                return Err(StoreError::Damaged(format!(
                    "SQLite gave a new row the rid {} where {last} was expected",
                    self.tx.last_insert_rowid()
                )));
            }
        }
        pending.clear();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::store::{ImportOptions, Store};

    /// Rids are counted, not asked for: should SQLite choose another (only past i64::MAX), the
    /// import says so and writes nothing.
    #[test]
    fn an_import_refuses_rows_whose_rids_are_not_the_ones_counted() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open_or_create(&dir.path().join("book.sqlite")).unwrap();
        let conn = &store.conn;
        conn.pragma_update(None, "foreign_keys", "OFF").unwrap();
        conn.execute(
            "INSERT INTO hours (rid, id, digest, date, contributor, project, hours, description, status)
             VALUES (?1, 'h-last', 0, '2025-01-01', 1, 1, 10000, '', 'logged')",
            [i64::MAX],
        )
        .unwrap();
        let csv = dir.path().join("hours.csv");
        std::fs::write(&csv, "date,contributor,project,hours\n2025-01-02,Ada,Lumen,1\n").unwrap();
        let error = store.import(&[csv], &ImportOptions::default(), &mut |_| {}).unwrap_err();
        assert!(error.to_string().contains("no rid left"), "{error}");
        let rows: i64 = store.conn.query_row("SELECT count(*) FROM hours", [], |r| r.get(0)).unwrap();
        assert_eq!(rows, 1);
    }
}
