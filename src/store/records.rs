//! Reading records back: whole kinds, by id, and the names and people they refer to.

use super::{book_files, cache, rows, BookFile, NamesInUse, Result, Store, StoreError};
use crate::model::EntryKind;
use crate::model::{Person, Record, RecordKind, Status};
use rusqlite::{Connection, OptionalExtension};
use rustc_hash::FxHashSet;

/// An hours or donation entry by its id: its kind, row and status. Takes a connection so that
/// a transaction under way (links) can look entries up too.
pub(super) fn find_entry_in(conn: &Connection, id: &str) -> Result<(EntryKind, i64, Status)> {
    for kind in [EntryKind::Hours, EntryKind::Donation] {
        let sql = format!("SELECT rid, status FROM {} WHERE id = ?1", kind.record_kind().name());
        let found: Option<(i64, String)> = conn.query_row(&sql, [id], |r| Ok((r.get(0)?, r.get(1)?))).optional()?;
        if let Some((rid, status)) = found {
            return Ok((kind, rid, status.parse().unwrap_or(Status::Logged)));
        }
    }
    Err(StoreError::UnknownId(id.to_string()))
}

impl Store {
    /// Calls `f` with every record of `kind`, in the order they were added.
    pub fn for_each_record(&self, kind: RecordKind, f: impl FnMut(Record) -> Result<()>) -> Result<()> {
        rows::for_each_record(&self.conn, kind, f)
    }

    /// Every record of `kind`, in the order they were added.
    pub fn records(&self, kind: RecordKind) -> Result<Vec<Record>> {
        let mut records = Vec::new();
        self.for_each_record(kind, |r| {
            records.push(r);
            Ok(())
        })?;
        Ok(records)
    }

    /// The records of `kind` with these ids, in the order of `ids`; unknown ids are an error.
    pub fn records_by_id(&self, kind: RecordKind, ids: &[String]) -> Result<Vec<Record>> {
        rows::records_by_id(&self.conn, kind, ids)
    }

    /// How many records of each kind the book holds.
    pub fn counts(&self) -> Result<Vec<(RecordKind, u64)>> {
        RecordKind::ALL
            .into_iter()
            .map(|kind| {
                let n: i64 = self.conn.query_row(&format!("SELECT count(*) FROM {}", kind.name()), [], |r| r.get(0))?;
                Ok((kind, n as u64))
            })
            .collect()
    }

    /// The ids of entries given by kind and row, in the same order. Many are found in one pass
    /// over their table, a few by one lookup each.
    pub fn entry_ids(&self, entries: &[(EntryKind, i64)]) -> Result<Vec<String>> {
        self.entry_ids_scanning_from(entries, 1000)
    }

    /// [`Store::entry_ids`], reading a whole table when at least `scan_from` of its entries are asked.
    fn entry_ids_scanning_from(&self, entries: &[(EntryKind, i64)], scan_from: usize) -> Result<Vec<String>> {
        let mut order: Vec<u32> = (0..entries.len() as u32).collect();
        order.sort_unstable_by_key(|&i| entries[i as usize]);
        let mut ids = vec![String::new(); entries.len()];
        for kind in [EntryKind::Hours, EntryKind::Donation] {
            let wanted: Vec<u32> = order.iter().copied().filter(|&i| entries[i as usize].0 == kind).collect();
            let table = kind.record_kind().name();
            let missing = |rid: i64| StoreError::Damaged(format!("no row {rid} in {table}"));
            if wanted.len() < scan_from {
                let mut stmt = self.conn.prepare_cached(&format!("SELECT id FROM {table} WHERE rid = ?1"))?;
                for i in wanted {
                    let rid = entries[i as usize].1;
                    ids[i as usize] = stmt.query_row([rid], |r| r.get(0)).optional()?.ok_or_else(|| missing(rid))?;
                }
                continue;
            }
            let mut stmt = self.conn.prepare(&format!("SELECT rid, id FROM {table} ORDER BY rid"))?;
            let mut rows = stmt.query([])?;
            // The last row read: its rid, and its id when wanted (only those are copied).
            let mut row: Option<(i64, Option<String>)> = None;
            for i in wanted {
                let rid = entries[i as usize].1;
                while row.as_ref().is_none_or(|(r, _)| *r < rid) {
                    let r = rows.next()?.ok_or_else(|| missing(rid))?;
                    let at: i64 = r.get(0)?;
                    row = Some((at, if at == rid { Some(r.get(1)?) } else { None }));
                }
                match &row {
                    Some((r, Some(id))) if *r == rid => ids[i as usize].clone_from(id),
                    _ => return Err(missing(rid)),
                }
            }
        }
        Ok(ids)
    }

    /// Finds an hours or donation entry by its id.
    pub fn find_entry(&self, id: &str) -> Result<(EntryKind, i64)> {
        let (kind, rid, _) = find_entry_in(&self.conn, id)?;
        Ok((kind, rid))
    }

    /// Writes one of the book's other files (see [`BookFile`]) as CSV; returns the rows written.
    pub fn export_book_file(&self, kind: BookFile, out: impl std::io::Write) -> Result<u64> {
        book_files::export(&self.conn, kind, out)
    }

    /// Every name (employers, projects, payers) and contributor, indexed by their row id as the
    /// records refer to them (index 0 is unused).
    pub fn names_and_people(&self) -> Result<(Vec<String>, Vec<Person>)> {
        let rows::Lookup { names, people } = rows::lookup(&self.conn)?;
        Ok((names, people))
    }

    /// Every contributor as rows name them (one per name and email), sorted by name.
    pub fn contributors(&self) -> Result<Vec<Person>> {
        let mut stmt = self.conn.prepare("SELECT name, email FROM contributors ORDER BY key")?;
        let people = stmt
            .query_map([], |r| Ok(Person { name: r.get(0)?, email: r.get(1)? }))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(people)
    }

    /// The projects and employers the records name, sorted, for forms to offer.
    pub fn names_in_use(&self) -> Result<NamesInUse> {
        let ids = |sql: &str| -> Result<FxHashSet<i64>> {
            let mut stmt = self.conn.prepare(sql)?;
            let ids = stmt.query_map([], |r| r.get::<_, Option<i64>>(0))?.filter_map(|id| id.transpose());
            Ok(ids.collect::<rusqlite::Result<_>>()?)
        };
        // While the results cache is current its monthly sums name every entry's project and
        // employer: reading them is much faster than a scan of every entry, at every start of the
        // app.
        let (mut projects, mut employers) = match (
            cache::names_in_monthly_sums(&self.conn, "project")?,
            cache::names_in_monthly_sums(&self.conn, "employer")?,
        ) {
            (Some(projects), Some(employers)) => (projects, employers),
            _ => (
                ids("SELECT DISTINCT project FROM hours UNION SELECT project FROM donations")?,
                ids("SELECT DISTINCT employer FROM hours UNION SELECT employer FROM donations")?,
            ),
        };
        projects.extend(ids("SELECT project FROM payments")?);
        employers.extend(ids("SELECT employer FROM programs UNION SELECT employer FROM employments")?);
        let mut stmt = self.conn.prepare("SELECT id, name FROM names ORDER BY key")?;
        let (mut in_projects, mut in_employers) = (Vec::new(), Vec::new());
        for name in stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))? {
            let (id, name) = name?;
            if employers.contains(&id) {
                in_employers.push(name.clone());
            }
            if projects.contains(&id) {
                in_projects.push(name);
            }
        }
        Ok(NamesInUse { projects: in_projects, employers: in_employers })
    }
}

#[cfg(test)]
mod tests {
    /// Looked up one by one or found in a pass over the tables, the ids are the same, in the order
    /// asked, duplicates included; a row that is not there is an error.
    #[test]
    fn entry_ids_come_back_in_the_order_asked_however_they_are_found() {
        use crate::model::EntryKind::{Donation, Hours};
        let dir = tempfile::tempdir().unwrap();
        let mut store = super::Store::open_or_create(&dir.path().join("book.sqlite")).unwrap();
        let book = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/book");
        store.import(&[book], &crate::store::ImportOptions::default(), &mut |_| {}).unwrap();
        let rid = |table: &str, id: &str| {
            store
                .conn
                .query_row(&format!("SELECT rid FROM {table} WHERE id = ?1"), [id], |r| r.get::<_, i64>(0))
                .unwrap()
        };
        let mut asked = Vec::new();
        let mut expected = Vec::new();
        for (kind, table) in [(Hours, "hours"), (Donation, "donations")] {
            let mut stmt = store.conn.prepare(&format!("SELECT id FROM {table} ORDER BY id DESC")).unwrap();
            for id in stmt.query_map([], |r| r.get::<_, String>(0)).unwrap().map(Result::unwrap) {
                asked.push((kind, rid(table, &id)));
                expected.push(id);
            }
        }
        asked.push(asked[0]);
        expected.push(expected[0].clone());
        assert!(asked.len() > 50);
        assert_eq!(store.entry_ids_scanning_from(&asked, usize::MAX).unwrap(), expected);
        assert_eq!(store.entry_ids_scanning_from(&asked, 0).unwrap(), expected);
        for scan_from in [0, usize::MAX] {
            assert!(store.entry_ids_scanning_from(&[(Hours, 1_000_000)], scan_from).is_err());
        }
    }
}
