//! The ids of the names and contributors that rows refer to, and new ids for rows without one.

use crate::model::name_key;
use crate::model::{Person, Record, RecordKind};
use crate::store::rows::{record_id, value_ref, values, Digests, Refer};
use crate::store::StoreError;
use rusqlite::{params, Transaction};
use rustc_hash::FxHashMap;

/// Resolves the names and contributors that records refer to: ids of those the book holds, and
/// new ids, in order after its last, for those it does not yet hold (`new_names`), which the
/// writing thread inserts before the rows that use them. Runs on the reading thread while rows
/// are written (see [`Batch::new_names`]), on the writing one in a preview.
pub(super) struct Resolver {
    /// By case-folded key, and by the exact spelling last seen (saves folding every row).
    names: FxHashMap<String, i64>,
    names_exact: FxHashMap<String, i64>,
    contributors: FxHashMap<String, i64>,
    /// By name and email exactly as spelled, joined by U+001F (as in the keys); `spelled` is the
    /// buffer that joins them for a lookup, so that a row costs one lookup and no allocation.
    contributors_exact: FxHashMap<String, i64>,
    spelled: String,
    last_name: i64,
    last_contributor: i64,
    /// Made since the last batch.
    pub(super) new_names: Vec<NewName>,
}

/// A name or contributor new to the book, with the id the [`Resolver`] gave it.
pub(super) enum NewName {
    Name { id: i64, key: String, name: String },
    Contributor { id: i64, key: String, name: String, email: String },
}

pub(super) fn write_new_names(tx: &Transaction, new_names: &[NewName]) -> Result<(), StoreError> {
    for new in new_names {
        match new {
            NewName::Name { id, key, name } => {
                tx.prepare_cached("INSERT INTO names (id, key, name) VALUES (?1, ?2, ?3)")?
                    .execute(params![id, key, name])?;
            }
            NewName::Contributor { id, key, name, email } => {
                tx.prepare_cached("INSERT INTO contributors (id, key, name, email) VALUES (?1, ?2, ?3, ?4)")?
                    .execute(params![id, key, name, email])?;
            }
        }
    }
    Ok(())
}

/// The ids a record refers to, in the order [`values`] asks for them (a payment has four).
#[derive(Clone, Copy, Default)]
pub(super) struct Refs {
    ids: [Option<i64>; 4],
    len: usize,
}

impl Refs {
    fn push(&mut self, id: Option<i64>) {
        self.ids[self.len] = id;
        self.len += 1;
    }

    /// Gives the ids again, in the same order, to a second call of [`values`].
    pub(super) fn replay(&self) -> impl Refer + '_ {
        struct Replay<'a>(std::slice::Iter<'a, Option<i64>>);
        impl Refer for Replay<'_> {
            fn name(&mut self, _: &str) -> Option<i64> {
                *self.0.next().expect("values asks for as many names as when resolved")
            }
            fn contributor(&mut self, _: &Person) -> i64 {
                self.name("").expect("values asks for contributors where it did when resolved")
            }
        }
        Replay(self.ids[..self.len].iter())
    }
}

impl Resolver {
    pub(super) fn new(tx: &Transaction) -> Result<Resolver, StoreError> {
        let mut names = FxHashMap::default();
        let mut stmt = tx.prepare("SELECT key, id FROM names")?;
        for row in stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))? {
            let (k, v) = row?;
            names.insert(k, v);
        }
        let mut contributors = FxHashMap::default();
        let mut stmt = tx.prepare("SELECT key, id FROM contributors")?;
        for row in stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))? {
            let (k, v) = row?;
            contributors.insert(k, v);
        }
        let last = |table: &str| tx.query_row(&format!("SELECT coalesce(max(id), 0) FROM {table}"), [], |r| r.get(0));
        Ok(Resolver {
            names,
            names_exact: FxHashMap::default(),
            contributors,
            contributors_exact: FxHashMap::default(),
            spelled: String::new(),
            last_name: last("names")?,
            last_contributor: last("contributors")?,
            new_names: Vec::new(),
        })
    }

    /// Resolves what `record` refers to, and digests it.
    pub(super) fn resolve(&mut self, record: &Record) -> (Refs, Digests) {
        struct Recording<'a>(&'a mut Resolver, Refs);
        impl Refer for Recording<'_> {
            fn name(&mut self, name: &str) -> Option<i64> {
                let id = self.0.name(name);
                self.1.push(id);
                id
            }
            fn contributor(&mut self, person: &Person) -> i64 {
                let id = self.0.contributor(person);
                self.1.push(Some(id));
                id
            }
        }
        let mut recording = Recording(self, Refs::default());
        let digests = Digests::of(record.kind(), values(&mut recording, record).iter().map(value_ref));
        (recording.1, digests)
    }

    fn name(&mut self, name: &str) -> Option<i64> {
        let name = name.trim();
        if name.is_empty() {
            return None;
        }
        if let Some(&id) = self.names_exact.get(name) {
            return Some(id);
        }
        let key = name_key(name);
        let id = match self.names.get(&key) {
            Some(&id) => id,
            None => {
                self.last_name += 1;
                let id = self.last_name;
                self.names.insert(key.clone(), id);
                self.new_names.push(NewName::Name { id, key, name: name.to_string() });
                id
            }
        };
        self.names_exact.insert(name.to_string(), id);
        Some(id)
    }

    fn contributor(&mut self, person: &Person) -> i64 {
        let (name, email) = (person.name.trim(), person.email.trim());
        self.spelled.clear();
        self.spelled.extend([name, "\u{1f}", email]);
        if let Some(&id) = self.contributors_exact.get(&self.spelled) {
            return id;
        }
        let key = format!("{}\u{1f}{}", name_key(name), email.to_lowercase());
        let id = match self.contributors.get(&key) {
            Some(&id) => id,
            None => {
                self.last_contributor += 1;
                let id = self.last_contributor;
                self.contributors.insert(key.clone(), id);
                let (name, email) = (name.to_string(), email.to_string());
                self.new_names.push(NewName::Contributor { id, key, name, email });
                id
            }
        };
        self.contributors_exact.insert(self.spelled.clone(), id);
        id
    }
}

/// New ids for rows that come without one: the book's tag and the next sequence numbers.
pub(super) struct NewIds {
    tag: String,
    next_seq: i64,
    /// How many were made.
    pub(super) made: i64,
}

impl NewIds {
    pub(super) fn new(tx: &Transaction) -> Result<NewIds, StoreError> {
        let meta = |key: &str| tx.query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get::<_, String>(0));
        Ok(NewIds { tag: meta("book_tag")?, next_seq: meta("next_seq")?.parse().unwrap_or(1), made: 0 })
    }

    pub(super) fn make(&mut self, kind: RecordKind) -> String {
        let id = record_id(kind, &self.tag, self.next_seq + self.made);
        self.made += 1;
        id
    }
}
