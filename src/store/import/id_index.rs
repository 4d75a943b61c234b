//! The book's records by id, for a file whose rows may name them.

use crate::store::rows::Digests;
use rustc_hash::FxHashMap;

/// Records by id, with their rid and digests: the ids in one buffer rather than a string each,
/// which a big book would make and free by the million.
#[derive(Default)]
pub(super) struct IdIndex {
    text: String,
    /// By the id's hash: its record, the first of those whose ids share the hash.
    first: FxHashMap<u64, u32>,
    records: Vec<IdRecord>,
}

struct IdRecord {
    /// Where the id lies in [`IdIndex::text`].
    start: usize,
    end: usize,
    rid: i64,
    digests: Digests,
    /// The next record whose id has the same hash, if any.
    next: Option<u32>,
}

impl IdIndex {
    pub(super) fn reserve(&mut self, records: usize) {
        self.first.reserve(records);
        self.records.reserve(records);
    }

    fn hash(id: &str) -> u64 {
        std::hash::BuildHasher::hash_one(&rustc_hash::FxBuildHasher, id)
    }

    /// The record with `id`, whose hash is `hash`.
    fn find(&self, hash: u64, id: &str) -> Option<u32> {
        let mut at = self.first.get(&hash).copied();
        while let Some(i) = at {
            let record = &self.records[i as usize];
            if &self.text[record.start..record.end] == id {
                return Some(i);
            }
            at = record.next;
        }
        None
    }

    /// The rid and digests of the record with `id`.
    pub(super) fn get(&self, id: &str) -> Option<(i64, Digests)> {
        let record = &self.records[self.find(IdIndex::hash(id), id)? as usize];
        Some((record.rid, record.digests))
    }

    pub(super) fn insert(&mut self, id: &str, rid: i64, digests: Digests) {
        self.insert_hashed(IdIndex::hash(id), id, rid, digests);
    }

    fn insert_hashed(&mut self, hash: u64, id: &str, rid: i64, digests: Digests) {
        match self.find(hash, id) {
            Some(i) => {
                let record = &mut self.records[i as usize];
                (record.rid, record.digests) = (rid, digests);
            }
            None => {
                let i = u32::try_from(self.records.len()).expect("fewer than 4 billion records");
                let next = self.first.insert(hash, i);
                let start = self.text.len();
                self.text.push_str(id);
                self.records.push(IdRecord { start, end: self.text.len(), rid, digests, next });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(n: i64) -> Digests {
        Digests { identity: n, full: n }
    }

    /// Ids whose hashes collide are told apart by their text, and each keeps its own record.
    #[test]
    fn the_id_index_finds_each_id_and_replaces_in_place() {
        let mut index = IdIndex::default();
        for i in 0..10_000 {
            index.insert(&format!("h-x-{i}"), i, d(-i));
        }
        index.insert("h-x-7", 70, d(700));
        assert_eq!(index.get("h-x-7"), Some((70, d(700))));
        assert_eq!(index.get("h-x-9999"), Some((9999, d(-9999))));
        assert_eq!(index.get("h-x-10000"), None);
        assert_eq!(index.records.len(), 10_000);
        // Three ids under one hash.
        for (n, id) in ["a", "b", "c"].into_iter().enumerate() {
            index.insert_hashed(42, id, n as i64, d(0));
        }
        index.insert_hashed(42, "b", 11, d(1));
        let found = |id| index.find(42, id).map(|i| index.records[i as usize].rid);
        assert_eq!((found("a"), found("b"), found("c"), found("d")), (Some(0), Some(11), Some(2), None));
        assert_eq!(index.records.len(), 10_003);
    }
}
