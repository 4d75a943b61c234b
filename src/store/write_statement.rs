//! A statement that writes many rows, bound through SQLite's C API.
//!
//! rusqlite binds every text and blob as `SQLITE_TRANSIENT`: SQLite copies it into an allocation
//! of its own and frees that at the next bind. An imported row has several texts, and those
//! copies, allocations and frees are a noticeable part of the writing thread's time, which is the
//! import's critical path. Here texts and blobs are bound as `SQLITE_STATIC`, borrowed from the
//! caller for the one step that uses them.

use rusqlite::ffi;
use rusqlite::types::{ToSqlOutput, ValueRef};
use rusqlite::Connection;
use std::ffi::{c_int, CStr, CString};
use std::marker::PhantomData;

/// A prepared statement of `conn`, run with [`WriteStatement::execute`].
pub(super) struct WriteStatement<'conn> {
    stmt: *mut ffi::sqlite3_stmt,
    db: *mut ffi::sqlite3,
    parameters: usize,
    /// The statement must not outlive its connection.
    connection: PhantomData<&'conn Connection>,
}

impl<'conn> WriteStatement<'conn> {
    pub(super) fn prepare(conn: &'conn Connection, sql: &str) -> rusqlite::Result<WriteStatement<'conn>> {
        let sql = CString::new(sql).map_err(|_| rusqlite::Error::InvalidQuery)?;
        // SAFETY: the handle is the live connection's, which `'conn` outlives this statement.
        let db = unsafe { conn.handle() };
        let mut stmt = std::ptr::null_mut();
        // SAFETY: `sql` is a NUL-terminated string; `stmt` receives the statement or null.
        let rc = unsafe { ffi::sqlite3_prepare_v2(db, sql.as_ptr(), -1, &mut stmt, std::ptr::null_mut()) };
        if rc != ffi::SQLITE_OK || stmt.is_null() {
            return Err(last_error(db, rc));
        }
        // SAFETY: `stmt` was just prepared.
        let parameters = unsafe { ffi::sqlite3_bind_parameter_count(stmt) } as usize;
        Ok(WriteStatement { stmt, db, parameters, connection: PhantomData })
    }

    pub(super) fn parameter_count(&self) -> usize {
        self.parameters
    }

    /// Binds `values` to the statement's parameters, in order (one value for each), and runs it
    /// once. The values are borrowed only until this returns.
    pub(super) fn execute(&mut self, values: &[ToSqlOutput<'_>]) -> rusqlite::Result<()> {
        if values.len() != self.parameters {
            return Err(rusqlite::Error::InvalidParameterCount(values.len(), self.parameters));
        }
        for (i, value) in values.iter().enumerate() {
            let value = match value {
                ToSqlOutput::Borrowed(v) => *v,
                ToSqlOutput::Owned(v) => ValueRef::from(v),
                other => return Err(rusqlite::Error::ToSqlConversionFailure(format!("{other:?}").into())),
            };
            let column = (i + 1) as c_int;
            let length = |bytes: &[u8]| c_int::try_from(bytes.len()).map_err(|_| too_big());
            // SAFETY: `stmt` is prepared and `column` within its parameters. A text or blob is
            // bound SQLITE_STATIC: `values` outlives the step below, and the next execute binds
            // every parameter again before its own step, so SQLite never reads a stale pointer.
            let rc = unsafe {
                match value {
                    ValueRef::Null => ffi::sqlite3_bind_null(self.stmt, column),
                    ValueRef::Integer(n) => ffi::sqlite3_bind_int64(self.stmt, column, n),
                    ValueRef::Real(x) => ffi::sqlite3_bind_double(self.stmt, column, x),
                    ValueRef::Text(t) => {
                        ffi::sqlite3_bind_text(self.stmt, column, t.as_ptr().cast(), length(t)?, ffi::SQLITE_STATIC())
                    }
                    ValueRef::Blob(b) => {
                        ffi::sqlite3_bind_blob(self.stmt, column, b.as_ptr().cast(), length(b)?, ffi::SQLITE_STATIC())
                    }
                }
            };
            if rc != ffi::SQLITE_OK {
                return Err(last_error(self.db, rc));
            }
        }
        // SAFETY: every parameter is bound to memory that `values` keeps alive during the step.
        let rc = unsafe { ffi::sqlite3_step(self.stmt) };
        let result = if rc == ffi::SQLITE_DONE { Ok(()) } else { Err(last_error(self.db, rc)) };
        // SAFETY: `stmt` is prepared; resetting it ends the step (and any transaction it held open).
        unsafe { ffi::sqlite3_reset(self.stmt) };
        result
    }
}

impl Drop for WriteStatement<'_> {
    fn drop(&mut self) {
        // SAFETY: `stmt` was prepared by `prepare` and is finalized once, here.
        unsafe { ffi::sqlite3_finalize(self.stmt) };
    }
}

/// The connection's last error, as rusqlite reports errors.
fn last_error(db: *mut ffi::sqlite3, rc: c_int) -> rusqlite::Error {
    // SAFETY: `db` is a live connection; the message is copied before any other call on it.
    let (code, message) = unsafe {
        let message = ffi::sqlite3_errmsg(db);
        let message = (!message.is_null()).then(|| CStr::from_ptr(message).to_string_lossy().into_owned());
        (ffi::sqlite3_extended_errcode(db), message)
    };
    let code = if code == ffi::SQLITE_OK { rc } else { code };
    rusqlite::Error::SqliteFailure(ffi::Error::new(code), message)
}

fn too_big() -> rusqlite::Error {
    rusqlite::Error::SqliteFailure(ffi::Error::new(ffi::SQLITE_TOOBIG), None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rusqlite::types::Value;

    #[test]
    fn writes_every_kind_of_value_and_reports_constraint_errors() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch("CREATE TABLE t (a, b, c TEXT UNIQUE, d, e)").unwrap();
        let mut insert =
            WriteStatement::prepare(&conn, "INSERT INTO t VALUES (?, ?, ?, ?, ?), (?, ?, ?, ?, ?)").unwrap();
        assert_eq!(insert.parameter_count(), 10);
        let row = |n: i64, text: String| {
            [
                ToSqlOutput::Owned(Value::Null),
                ToSqlOutput::Owned(Value::Integer(n)),
                ToSqlOutput::Owned(Value::Text(text)),
                ToSqlOutput::Owned(Value::Real(0.5)),
                ToSqlOutput::Borrowed(ValueRef::Blob(b"\x00\x01")),
            ]
        };
        let values: Vec<_> = row(1, "one".into()).into_iter().chain(row(2, String::new())).collect();
        insert.execute(&values).unwrap();
        let again: Vec<_> = row(3, "three".into()).into_iter().chain(row(4, "one".into())).collect();
        let error = insert.execute(&again).unwrap_err();
        assert_eq!(error.sqlite_error_code(), Some(rusqlite::ErrorCode::ConstraintViolation), "{error}");
        assert!(error.to_string().contains("UNIQUE"), "{error}");
        assert!(matches!(insert.execute(&values[..5]), Err(rusqlite::Error::InvalidParameterCount(5, 10))));
        type Row = (Option<i64>, i64, String, f64, Vec<u8>);
        let rows: Vec<Row> = conn
            .prepare("SELECT * FROM t ORDER BY b")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        let expected = |n, t: &str| (None, n, t.to_string(), 0.5, vec![0, 1]);
        assert_eq!(rows, [expected(1, "one"), expected(2, "")]);
    }
}
