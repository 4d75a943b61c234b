//! Browsing hours and donations: filtering, sorting and paging the whole book in memory, so a
//! table can scroll a million entries while only the visible page crosses to the user interface.
//!
//! [`EntryIndex`] keeps one compact row per entry (ids of names, date, amount, status, expected)
//! built from the book and its results cache; text (ids, descriptions) is read from the book only
//! for the rows of a page. It is rebuilt when the records or the results change.

use crate::model::EntryKind;
use crate::model::{Date, Person, RecordKind, Status};
use crate::money::{format_cents, format_hours, Cents, Currency};
use crate::store::{iso, Store, StoreError};
use std::collections::HashMap;

/// Which hours or donations to show, in which order, and which slice of them.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct EntryQuery {
    /// `hours` or `donations`.
    pub kind: RecordKind,
    /// Part of the contributor's name or email, any case.
    pub contributor: Option<String>,
    /// Part of the project's name, any case.
    pub project: Option<String>,
    /// Part of the employer's name, any case.
    pub employer: Option<String>,
    pub status: Option<Status>,
    /// First and last date, ISO, both included.
    pub from: Option<String>,
    pub to: Option<String>,
    pub sort: SortKey,
    pub descending: bool,
    pub offset: u32,
    pub limit: u32,
}

impl EntryQuery {
    /// Every entry of `kind` by date, the first `limit` of them: a query to narrow down.
    pub fn all(kind: RecordKind, limit: u32) -> EntryQuery {
        EntryQuery {
            kind,
            contributor: None,
            project: None,
            employer: None,
            status: None,
            from: None,
            to: None,
            sort: SortKey::Date,
            descending: false,
            offset: 0,
            limit,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Deserialize, serde::Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum SortKey {
    Date,
    Contributor,
    Employer,
    Project,
    /// Hours, or a gift's amount.
    Quantity,
    Expected,
    Status,
}

/// An amount in one currency, in cents.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct Amount {
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub cents: Cents,
    pub currency: String,
}

/// One row of the hours or donations table.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct EntryRow {
    pub id: String,
    pub date: String,
    pub contributor: String,
    pub email: String,
    /// As the row gives it; empty when taken from the employment history.
    pub employer: String,
    pub project: String,
    /// Hours ("2.5") or the gift's amount ("100.00").
    pub quantity: String,
    /// The gift's currency; empty for hours.
    pub currency: String,
    pub description: String,
    pub status: Status,
    /// The days it reached its statuses (ISO dates), empty where not known or not reached.
    pub submitted_on: String,
    pub approved_on: String,
    pub paid_on: String,
    pub rejected_on: String,
    /// What the entry is expected to earn, per currency (usually one).
    pub expected: Vec<Amount>,
}

/// A page of rows and how many rows the filter selects in all.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct EntryPage {
    pub total: u32,
    pub offset: u32,
    pub rows: Vec<EntryRow>,
}

/// One entry, compactly. Name fields are ids into [`EntryIndex::names`] / `people` (0: none).
#[derive(Debug, Clone, Copy)]
struct IndexedEntry {
    rid: i64,
    quantity: i64,
    expected: Cents,
    date: Date,
    contributor: u32,
    employer: u32,
    project: u32,
    status: Status,
    currency: Option<Currency>,
    expected_currency: Option<Currency>,
}

/// One kind's entries (hours or donations), as the index keeps them.
#[derive(Default)]
struct KindIndex {
    rows: Vec<IndexedEntry>,
    /// Entries with awards in more than one currency: all their expected amounts.
    split: HashMap<i64, Vec<Amount>>,
    /// For each row (kept in order of date, then rid: every sort's tie-break, so that a sort by
    /// another key is one stable pass over the rows), its place in order of rid, the order in
    /// which the book lists the records.
    rid_rank: Vec<u32>,
}

/// The filter and order of the last query, and the rows it selected, so that scrolling through
/// pages does not sort again.
struct LastQuery {
    query: EntryQuery,
    positions: Vec<u32>,
}

pub struct EntryIndex {
    /// The records and results version and report date this index was built for.
    built_for: (String, Date),
    names: Vec<String>,
    name_rank: Vec<u32>,
    people: Vec<Person>,
    person_rank: Vec<u32>,
    hours: KindIndex,
    donations: KindIndex,
    last: Option<LastQuery>,
}

impl EntryIndex {
    /// Builds the index of the book as of `as_of` (refreshing the results cache if needed).
    pub fn build(store: &mut Store, as_of: Date) -> Result<EntryIndex, StoreError> {
        store.refresh_results(as_of)?;
        let (names, people) = store.names_and_people()?;
        let name_rank = ranks_by(&names, |n| n.to_lowercase());
        let person_rank = ranks_by(&people, |p| (p.name.to_lowercase(), p.email.to_lowercase()));
        // The cache's awards are unpacked on a second thread while this one reads the entries.
        let packed = store.packed_awards()?;
        let (mut hours, mut donations, [hour_awards, donation_awards]) = std::thread::scope(|scope| {
            let awards = scope.spawn(move || -> Result<[Vec<AwardOf>; 2], StoreError> {
                let mut by_kind = [Vec::new(), Vec::new()];
                packed.for_each(|a| {
                    let at = match a.kind {
                        EntryKind::Hours => 0,
                        EntryKind::Donation => 1,
                    };
                    by_kind[at].push((a.entry_rid, a.currency, a.expected));
                    Ok(())
                })?;
                Ok(by_kind)
            });
            let hours = read_rows(store, EntryKind::Hours)?;
            let donations = read_rows(store, EntryKind::Donation)?;
            Ok::<_, StoreError>((hours, donations, awards.join().expect("unpacking does not panic")?))
        })?;
        // Ordered first: the awards come in date order too, so that adding them reads the rows
        // nearly in turn rather than all over the table.
        hours.order();
        donations.order();
        add_expected(&mut hours, hour_awards);
        add_expected(&mut donations, donation_awards);
        // Reading every entry filled SQLite's page cache; the index now holds what is needed.
        store.release_memory()?;
        Ok(EntryIndex {
            built_for: (store.records_version()?, as_of),
            names,
            name_rank,
            people,
            person_rank,
            hours,
            donations,
            last: None,
        })
    }

    /// Whether the index still shows the book as of `as_of`.
    pub fn is_current(&self, store: &Store, as_of: Date) -> Result<bool, StoreError> {
        Ok(self.built_for == (store.records_version()?, as_of))
    }

    fn table(&self, kind: RecordKind) -> Result<&KindIndex, StoreError> {
        match kind.entry_kind() {
            Some(EntryKind::Hours) => Ok(&self.hours),
            Some(EntryKind::Donation) => Ok(&self.donations),
            None => Err(StoreError::Invalid(format!("{kind} are not entries; browse hours or donations"))),
        }
    }

    /// The positions (in the table) of the rows `query` selects, in its order.
    fn select(&mut self, query: &EntryQuery) -> Result<&[u32], StoreError> {
        let key = EntryQuery { offset: 0, limit: 0, ..query.clone() };
        if self.last.as_ref().is_none_or(|last| last.query != key) {
            let positions = self.filter_and_sort(&key)?;
            self.last = Some(LastQuery { query: key, positions });
        }
        Ok(&self.last.as_ref().expect("just set").positions)
    }

    fn filter_and_sort(&self, query: &EntryQuery) -> Result<Vec<u32>, StoreError> {
        let table = self.table(query.kind)?;
        let matching_names = |needle: &Option<String>| -> Option<Vec<bool>> {
            let needle = needle.as_deref().map(str::trim).filter(|n| !n.is_empty())?.to_lowercase();
            Some(self.names.iter().map(|n| n.to_lowercase().contains(&needle)).collect())
        };
        let projects = matching_names(&query.project);
        let employers = matching_names(&query.employer);
        let contributors: Option<Vec<bool>> =
            query.contributor.as_deref().map(str::trim).filter(|n| !n.is_empty()).map(|needle| {
                let needle = needle.to_lowercase();
                self.people
                    .iter()
                    .map(|p| p.name.to_lowercase().contains(&needle) || p.email.to_lowercase().contains(&needle))
                    .collect()
            });
        let date = |text: &Option<String>, column: &str| -> Result<Option<Date>, StoreError> {
            text.as_deref()
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(|t| crate::ledger::parse_date(t).map_err(|e| StoreError::Invalid(format!("{column}: {e}"))))
                .transpose()
        };
        let (from, to) = (date(&query.from, "from")?, date(&query.to, "to")?);
        let selected = |r: &IndexedEntry| {
            projects.as_ref().is_none_or(|m| m[r.project as usize])
                && employers.as_ref().is_none_or(|m| m[r.employer as usize])
                && contributors.as_ref().is_none_or(|m| m[r.contributor as usize])
                && query.status.is_none_or(|s| s == r.status)
                && from.is_none_or(|f| r.date >= f)
                && to.is_none_or(|t| r.date <= t)
        };
        let sort_key = |r: &IndexedEntry| -> i64 {
            match query.sort {
                SortKey::Date => 0,
                SortKey::Contributor => self.person_rank[r.contributor as usize].into(),
                SortKey::Employer => self.name_rank[r.employer as usize].into(),
                SortKey::Project => self.name_rank[r.project as usize].into(),
                SortKey::Quantity => r.quantity,
                SortKey::Expected => r.expected,
                SortKey::Status => r.status as i64,
            }
        };
        let in_date_order = (0..table.rows.len() as u32).filter(|&i| selected(&table.rows[i as usize]));
        let mut ordered: Vec<u32> = match query.sort {
            SortKey::Date => in_date_order.collect(),
            _ => stable_sort_by_key(in_date_order.collect(), |i| sort_key(&table.rows[i as usize])),
        };
        if query.descending {
            ordered.reverse();
        }
        Ok(ordered)
    }

    /// The page of rows `query` asks for.
    pub fn page(&mut self, store: &Store, query: &EntryQuery) -> Result<EntryPage, StoreError> {
        let positions = self.select(query)?;
        let total = positions.len() as u32;
        let start = (query.offset as usize).min(positions.len());
        let end = start.saturating_add(query.limit.min(1000) as usize).min(positions.len());
        let page: Vec<u32> = positions[start..end].to_vec();
        let table = self.table(query.kind)?;
        let entry_kind = query.kind.entry_kind().expect("the table is of entries");
        let mut rows = Vec::with_capacity(page.len());
        for position in page {
            let r = &table.rows[position as usize];
            let Some((id, description, dates)) = store.entry_details(entry_kind, r.rid)? else {
                continue; // deleted since the index was built; the caller rebuilds on its next call
            };
            let person = &self.people[r.contributor as usize];
            let expected = match (table.split.get(&r.rid), r.expected_currency) {
                (Some(split), _) => split.clone(),
                (None, Some(currency)) => vec![Amount { cents: r.expected, currency: currency.to_string() }],
                (None, None) => Vec::new(),
            };
            rows.push(EntryRow {
                id,
                date: iso(r.date),
                contributor: person.name.clone(),
                email: person.email.clone(),
                employer: self.names[r.employer as usize].clone(),
                project: self.names[r.project as usize].clone(),
                quantity: match r.currency {
                    None => format_hours(r.quantity),
                    Some(_) => format_cents(r.quantity),
                },
                currency: r.currency.map(|c| c.to_string()).unwrap_or_default(),
                description,
                status: r.status,
                submitted_on: dates.submitted_on.map(iso).unwrap_or_default(),
                approved_on: dates.approved_on.map(iso).unwrap_or_default(),
                paid_on: dates.paid_on.map(iso).unwrap_or_default(),
                rejected_on: dates.rejected_on.map(iso).unwrap_or_default(),
                expected,
            });
        }
        Ok(EntryPage { total, offset: start as u32, rows })
    }

    /// Writes the entries `query` selects (all of them, not one page) as a ledger CSV of their
    /// kind, in the order they were added; returns how many.
    pub fn export(&mut self, store: &Store, query: &EntryQuery, out: impl std::io::Write) -> Result<u64, StoreError> {
        let kind = query.kind;
        let selected = self.select(query)?.to_vec();
        let table = self.table(kind)?;
        let mut wanted = vec![false; table.rows.len()];
        for p in selected {
            wanted[table.rid_rank[p as usize] as usize] = true;
        }
        // The book lists a kind's records in the order of their rows.
        let mut position = 0;
        crate::export::write_records(store, kind, out, |_| {
            let keep = wanted.get(position).copied().unwrap_or(false);
            position += 1;
            keep
        })
    }
}

/// `items` ordered by `key`, ties keeping their order. Keys spanning a small range (ranks of
/// names, statuses, most amounts) are placed by counting, in one pass; others merge-sorted.
fn stable_sort_by_key(items: Vec<u32>, key: impl Fn(u32) -> i64) -> Vec<u32> {
    const COUNTING_RANGE: i64 = 1 << 22;
    let keys: Vec<i64> = items.iter().map(|&i| key(i)).collect();
    let (Some(&min), Some(&max)) = (keys.iter().min(), keys.iter().max()) else { return items };
    if max.saturating_sub(min) >= COUNTING_RANGE {
        let mut pairs: Vec<(i64, u32)> = keys.into_iter().zip(items).collect();
        pairs.sort_by_key(|p| p.0);
        return pairs.into_iter().map(|p| p.1).collect();
    }
    let mut starts = vec![0usize; (max - min + 2) as usize];
    for &k in &keys {
        starts[(k - min + 1) as usize] += 1;
    }
    for b in 1..starts.len() {
        starts[b] += starts[b - 1];
    }
    let mut out = vec![0u32; items.len()];
    for (&k, &i) in keys.iter().zip(&items) {
        let slot = &mut starts[(k - min) as usize];
        out[*slot] = i;
        *slot += 1;
    }
    out
}

/// For each item, its place when sorted by `key` (ties keep their order).
fn ranks_by<T, K: Ord>(items: &[T], key: impl Fn(&T) -> K) -> Vec<u32> {
    let mut order: Vec<u32> = (0..items.len() as u32).collect();
    order.sort_by_cached_key(|&i| key(&items[i as usize]));
    let mut rank = vec![0; items.len()];
    for (place, i) in order.into_iter().enumerate() {
        rank[i as usize] = place as u32;
    }
    rank
}

/// The rows of `kind`'s table, in rid order, without their expected amounts.
fn read_rows(store: &Store, kind: EntryKind) -> Result<KindIndex, StoreError> {
    let mut table = KindIndex::default();
    // Sized once: growing a big book's rows by doubling copies them over and over.
    table.rows.reserve_exact(store.entry_count(kind)?);
    store.for_each_stored_entry(kind, |e| {
        table.rows.push(IndexedEntry {
            rid: e.rid,
            date: e.date,
            contributor: e.contributor,
            employer: e.employer.unwrap_or(0),
            project: e.project,
            quantity: e.quantity,
            status: e.status,
            currency: e.currency,
            expected: 0,
            expected_currency: None,
        })
    })?;
    Ok(table)
}

/// An award as the index needs it: its entry's rid, its currency and expected amount.
type AwardOf = (i64, Currency, Cents);

/// Adds each award to its row's expected amount.
fn add_expected(table: &mut KindIndex, awards: Vec<AwardOf>) {
    // An award finds its entry's row through a table of rows by rid: a binary search for each
    // award would miss the cache at every step. Rids far apart (more
    // than four slots a row) are searched among the rows' (rid, place) pairs instead.
    let (first_rid, last_rid) =
        table.rows.iter().fold((i64::MAX, i64::MIN), |(lo, hi), r| (lo.min(r.rid), hi.max(r.rid)));
    let span = if table.rows.is_empty() { 0 } else { (last_rid - first_rid + 1) as usize };
    let dense = span <= 4 * table.rows.len() + 1024;
    let mut row_of_rid = vec![u32::MAX; if dense { span } else { 0 }];
    let mut by_rid: Vec<(i64, u32)> = Vec::new();
    if dense {
        for (at, row) in table.rows.iter().enumerate() {
            row_of_rid[(row.rid - first_rid) as usize] = at as u32;
        }
    } else {
        by_rid = table.rows.iter().enumerate().map(|(at, r)| (r.rid, at as u32)).collect();
        by_rid.sort_unstable();
    }
    let find = |rid: i64| -> Option<usize> {
        if !dense {
            let i = by_rid.binary_search_by_key(&rid, |&(r, _)| r).ok()?;
            return Some(by_rid[i].1 as usize);
        }
        let at = *row_of_rid.get(usize::try_from(rid - first_rid).ok()?)?;
        (at != u32::MAX).then_some(at as usize)
    };
    for (rid, currency, expected) in awards {
        let Some(at) = find(rid) else { continue };
        let row = &mut table.rows[at];
        match row.expected_currency {
            None => {
                row.expected_currency = Some(currency);
                row.expected = expected;
            }
            Some(c) if c == currency && !table.split.contains_key(&rid) => row.expected += expected,
            Some(c) => {
                let split = table
                    .split
                    .entry(rid)
                    .or_insert_with(|| vec![Amount { cents: row.expected, currency: c.to_string() }]);
                match split.iter_mut().find(|a| a.currency == currency.as_str()) {
                    Some(a) => a.cents += expected,
                    None => split.push(Amount { cents: expected, currency: currency.to_string() }),
                }
            }
        }
    }
}

impl KindIndex {
    /// Puts the rows in order of date, then rid, and ranks each in rid order.
    fn order(&mut self) {
        // The rows come in rid order, so a row's rank in rid order is the place it had before
        // this sort, and (date, that place) sorts as (date, rid) does: one number each, sorted,
        // instead of sorting the rows and then their rids again.
        debug_assert!(self.rows.is_sorted_by_key(|r| r.rid));
        let mut keys: Vec<u64> = (self.rows.iter().enumerate())
            .map(|(at, r)| {
                let day = (i64::from(chrono::Datelike::num_days_from_ce(&r.date)) - i64::from(i32::MIN)) as u64; // 32 bits
                day << 32 | at as u64
            })
            .collect();
        keys.sort_unstable();
        let from: Vec<u32> = keys.into_iter().map(|k| k as u32).collect();
        gather_in_place(&mut self.rows, &from);
        self.rid_rank = from;
    }
}

/// Puts `items[from[i]]` at every `i`, in place (a copy would be as large as the index),
/// following each cycle of the permutation once.
fn gather_in_place<T: Copy>(items: &mut [T], from: &[u32]) {
    let mut done = vec![false; items.len()];
    for start in 0..items.len() {
        if done[start] {
            continue;
        }
        let first = items[start];
        let mut at = start;
        loop {
            done[at] = true;
            let next = from[at] as usize;
            if next == start {
                items[at] = first;
                break;
            }
            items[at] = items[next];
            at = next;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A logged entry of nothing but its rid and date.
    fn compact(rid: i64, date: Date) -> IndexedEntry {
        IndexedEntry {
            rid,
            quantity: 0,
            expected: 0,
            date,
            contributor: 0,
            employer: 0,
            project: 0,
            status: Status::Logged,
            currency: None,
            expected_currency: None,
        }
    }

    /// Rows read in rid order end in order of date then rid, each ranked by its rid among them.
    #[test]
    fn a_table_orders_its_rows_by_date_then_rid_and_ranks_them_by_rid() {
        let mut seed = 7u64;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let mut rid = 0;
        let rows: Vec<IndexedEntry> = (0..5_000)
            .map(|_| {
                rid += 1 + (next() % 3) as i64;
                compact(rid, Date::from_num_days_from_ce_opt(738_000 + (next() % 400) as i32).unwrap())
            })
            .collect();
        let mut table = KindIndex { rows: rows.clone(), ..KindIndex::default() };
        table.order();
        let mut expected = rows.clone();
        expected.sort_by_key(|r| (r.date, r.rid));
        assert_eq!(
            table.rows.iter().map(|r| (r.date, r.rid)).collect::<Vec<_>>(),
            expected.iter().map(|r| (r.date, r.rid)).collect::<Vec<_>>()
        );
        for (at, r) in table.rows.iter().enumerate() {
            let rank = rows.iter().position(|o| o.rid == r.rid).unwrap();
            assert_eq!(table.rid_rank[at] as usize, rank);
        }
    }

    /// Awards find their rows whatever the rows' order, by a table of rids or, when rids lie
    /// far apart, by a search; an award of a row not in the table is left out.
    #[test]
    fn awards_find_their_rows_by_rid_near_or_far_apart() {
        let day = Date::from_num_days_from_ce_opt(738_000).unwrap();
        let usd: Currency = "USD".parse().unwrap();
        for rids in [[3i64, 1, 2], [5_000_000, 10, 1_000_000]] {
            let mut table = KindIndex { rows: rids.iter().map(|&r| compact(r, day)).collect(), ..KindIndex::default() };
            let awards = vec![(rids[0], usd, 100), (rids[2], usd, 7), (rids[0], usd, 20), (99_999_999, usd, 1)];
            add_expected(&mut table, awards);
            let expected: Vec<(i64, Cents)> = table.rows.iter().map(|r| (r.rid, r.expected)).collect();
            assert_eq!(expected, [(rids[0], 120), (rids[1], 0), (rids[2], 7)], "{rids:?}");
        }
    }

    #[test]
    fn gathering_in_place_is_gathering_into_a_copy() {
        let items: Vec<u32> = (100..200).collect();
        let mut from: Vec<u32> = (0..100).collect();
        from.reverse();
        from.rotate_left(17);
        let copy: Vec<u32> = from.iter().map(|&f| items[f as usize]).collect();
        let mut in_place = items.clone();
        gather_in_place(&mut in_place, &from);
        assert_eq!(in_place, copy);
    }

    #[test]
    fn sorts_by_key_keeping_the_order_of_ties_by_counting_or_merging() {
        let keys = [3i64, 1, 3, -2, 1, 0];
        let items: Vec<u32> = (0..keys.len() as u32).collect();
        let sorted = stable_sort_by_key(items.clone(), |i| keys[i as usize]);
        assert_eq!(sorted, [3, 5, 1, 4, 0, 2]);
        // A range too wide to count takes the merge sort, with the same answer.
        let wide = [3i64 << 40, 1, 3 << 40, -2 << 40, 1, 0];
        assert_eq!(stable_sort_by_key(items, |i| wide[i as usize]), [3, 5, 1, 4, 0, 2]);
        assert_eq!(stable_sort_by_key(Vec::new(), |_| 0), Vec::<u32>::new());
    }
}
