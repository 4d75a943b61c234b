//! The rules engine: a pure function from the book's records to one [`Award`] per entry and
//! program, as the ledger contract's rules define it.
//!
//! Stages, each doing one thing:
//! 1. order every entry once by the contract's tie-breaking order ([`Evaluation::rank`]), so no
//!    result depends on the order rows were imported in;
//! 2. find each entry's programs (employer given or from the employment history, version in force)
//!    and compute the rate or match amount, the program year and the claim deadline;
//! 3. blocks and threshold, per person, program, program year and project;
//! 4. caps, per person, cap pool and program year;
//! 5. fees.
//!
//! Rejected entries and entries expired as of the report date earn 0 and take no part in 3 and 4.

use crate::model::*;
use crate::money::{self, Cents, Currency, Hours};
use crate::people::Identities;
use rustc_hash::FxHashMap;
use std::collections::HashMap;

/// The book as the engine sees it: names interned, one struct per entry.
#[derive(Debug, Clone, Default)]
pub struct Book {
    /// Display names of employers and projects; entries refer to them by index.
    pub names: Vec<String>,
    /// How rows name contributors; entries and employments refer to them by index.
    pub people: Vec<Person>,
    pub programs: Vec<ProgramVersion>,
    pub employments: Vec<EmploymentRef>,
    pub entries: Vec<Entry>,
    /// The entries' ids and descriptions, one after another (see [`TextSpan`]).
    pub texts: String,
}

/// Where an entry's id or description lies in [`Book::texts`]. One buffer rather than a string
/// each: a big book would make and free two small strings per entry.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TextSpan {
    start: u32,
    end: u32,
}

impl TextSpan {
    /// This span moved `by` bytes further into the texts, as when one buffer is appended to another.
    pub fn shifted(self, by: u32) -> Option<TextSpan> {
        Some(TextSpan { start: self.start.checked_add(by)?, end: self.end.checked_add(by)? })
    }
}

/// Appends `text` to `texts`; `None` once they would pass 4 GiB, which spans cannot address.
pub fn keep_text(texts: &mut String, text: &str) -> Option<TextSpan> {
    let start = u32::try_from(texts.len()).ok()?;
    let end = u32::try_from(texts.len() + text.len()).ok()?;
    texts.push_str(text);
    Some(TextSpan { start, end })
}

/// An employment with its names interned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmploymentRef {
    pub person: u32,
    pub employer: u32,
    pub start: Date,
    pub end: Option<Date>,
}

/// An hours or donation row with its names interned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    pub id: TextSpan,
    pub kind: EntryKind,
    pub date: Date,
    pub person: u32,
    pub employer: Option<u32>,
    pub project: u32,
    /// Hours (ten-thousandths) for hours, cents for donations.
    pub quantity: i64,
    /// The gift's currency; `None` for hours.
    pub currency: Option<Currency>,
    pub status: Status,
    pub description: TextSpan,
}

impl Book {
    /// A text of [`Book::texts`].
    pub fn text(&self, span: TextSpan) -> &str {
        &self.texts[span.start as usize..span.end as usize]
    }

    /// The id of entry number `entry`.
    pub fn entry_id(&self, entry: u32) -> &str {
        self.text(self.entries[entry as usize].id)
    }

    /// Interns a name (employer or project) by its case-folded key.
    pub fn intern(&mut self, index: &mut HashMap<String, u32>, name: &str) -> u32 {
        let key = name_key(name);
        if let Some(&id) = index.get(&key) {
            return id;
        }
        self.names.push(name.trim().to_string());
        let id = (self.names.len() - 1) as u32;
        index.insert(key, id);
        id
    }

    /// Builds a book from records, as tests and small tools need it. The store loads its own.
    pub fn from_records<'a>(records: impl IntoIterator<Item = &'a Record>) -> Book {
        let mut book = Book::default();
        let mut names = HashMap::new();
        let mut people: HashMap<(String, String), u32> = HashMap::new();
        let mut person = |book: &mut Book, p: &Person| {
            let key = (name_key(&p.name), p.email.trim().to_lowercase());
            *people.entry(key).or_insert_with(|| {
                book.people.push(p.clone());
                (book.people.len() - 1) as u32
            })
        };
        for record in records {
            match record {
                Record::Program(p) => book.programs.push(p.clone()),
                Record::Employment(e) => {
                    let employment = EmploymentRef {
                        person: person(&mut book, &e.person),
                        employer: book.intern(&mut names, &e.employer),
                        start: e.start,
                        end: e.end,
                    };
                    book.employments.push(employment);
                }
                Record::Hours(h) => {
                    let entry = Entry {
                        id: book.keep(&h.id),
                        kind: EntryKind::Hours,
                        date: h.date,
                        person: person(&mut book, &h.person),
                        employer: (!h.employer.is_empty()).then(|| book.intern(&mut names, &h.employer)),
                        project: book.intern(&mut names, &h.project),
                        quantity: h.hours,
                        currency: None,
                        status: h.status,
                        description: book.keep(&h.description),
                    };
                    book.entries.push(entry);
                }
                Record::Donation(d) => {
                    let entry = Entry {
                        id: book.keep(&d.id),
                        kind: EntryKind::Donation,
                        date: d.date,
                        person: person(&mut book, &d.person),
                        employer: (!d.employer.is_empty()).then(|| book.intern(&mut names, &d.employer)),
                        project: book.intern(&mut names, &d.project),
                        quantity: d.amount,
                        currency: Some(d.currency),
                        status: d.status,
                        description: TextSpan::default(),
                    };
                    book.entries.push(entry);
                }
                Record::Payment(_) | Record::Deposit(_) => {}
            }
        }
        book
    }

    fn keep(&mut self, text: &str) -> TextSpan {
        keep_text(&mut self.texts, text).expect("books built from records in memory stay far below 4 GiB of text")
    }
}

/// Why an award is what it is; several can hold at once.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    Rejected,
    Expired,
    NoEmployer,
    NoProgram,
    Currency,
    BelowMinGift,
    MaxGift,
    ThresholdNotReached,
    ThresholdReached,
    Capped,
}

impl Reason {
    pub const ALL: [Reason; 10] = [
        Reason::Rejected,
        Reason::Expired,
        Reason::NoEmployer,
        Reason::NoProgram,
        Reason::Currency,
        Reason::BelowMinGift,
        Reason::MaxGift,
        Reason::ThresholdNotReached,
        Reason::ThresholdReached,
        Reason::Capped,
    ];

    pub(crate) fn bit(self) -> u16 {
        1 << (self as u16)
    }
}

/// One entry's result under one program (or, with `program: None`, its lack of one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Award {
    pub entry: u32,
    /// Index of the program version in [`Book::programs`].
    pub program: Option<u32>,
    pub currency: Currency,
    /// The program year, named by the calendar year it starts in.
    pub year: i32,
    pub deadline: Option<Date>,
    /// For donations, the part of the gift that is matched (after `max_gift`).
    pub gift_counted: Cents,
    /// The amount from rate, blocks or match, before threshold, cap and deadline.
    pub base: Cents,
    pub expected: Cents,
    pub fee: Cents,
    /// Hours given to this program, project and year up to and including this entry (blocks).
    pub running_hours: Hours,
    /// Hours given to this program, project and year in all (threshold).
    pub year_hours: Hours,
    /// Room left under the annual cap before this entry.
    pub cap_left: Option<Cents>,
    flags: u16,
}

impl Award {
    pub fn has(&self, reason: Reason) -> bool {
        self.flags & reason.bit() != 0
    }

    pub fn reasons(&self) -> Vec<Reason> {
        Reason::ALL.into_iter().filter(|r| self.has(*r)).collect()
    }

    /// The reasons as one number, bit `1 << (reason as u32)` for each (as the results cache keeps them).
    pub fn reason_bits(&self) -> u16 {
        self.flags
    }

    fn set(&mut self, reason: Reason) {
        self.flags |= reason.bit();
    }

    pub fn net(&self) -> Cents {
        self.expected - self.fee
    }

    /// What the annual cap took from this award.
    pub fn lost_to_cap(&self) -> Cents {
        if self.has(Reason::Capped) && self.participates() && !self.has(Reason::ThresholdNotReached) {
            self.base - self.expected
        } else {
            0
        }
    }

    /// What a missed claim deadline took: everything the award would have earned.
    pub fn lost_to_deadline(&self) -> Cents {
        if self.has(Reason::Expired) {
            self.base
        } else {
            0
        }
    }

    /// Rejected and expired awards take part in nothing.
    fn participates(&self) -> bool {
        !self.has(Reason::Rejected) && !self.has(Reason::Expired) && self.program.is_some()
    }
}

/// The engine's output: awards sorted by entry, and the range of report dates for which they hold.
#[derive(Debug, Clone)]
pub struct Evaluation {
    pub as_of: Date,
    pub awards: Vec<Award>,
    /// Position of each entry in the contract's order (date, donations first, larger first, ...).
    pub rank: Vec<u32>,
    /// The same awards hold for every report date in `valid_from..=valid_to`: no claim deadline of
    /// a logged entry falls between.
    pub valid_from: Date,
    pub valid_to: Date,
}

impl Evaluation {
    /// The awards of entry `entry` (an index into [`Book::entries`]).
    pub fn awards_of(&self, entry: u32) -> &[Award] {
        let start = self.awards.partition_point(|a| a.entry < entry);
        let end = self.awards.partition_point(|a| a.entry <= entry);
        &self.awards[start..end]
    }
}

/// Who each program version belongs to, as indices shared by all its versions.
pub struct ProgramIds {
    /// The employer's name index in [`Book::names`] (`None` if no entry names that employer).
    pub employer: Vec<Option<u32>>,
    /// The program: employer and case-folded name, the same for every version.
    pub program: Vec<u32>,
    /// The cap pool: the employer's cap group, or the program when it has none.
    pub pool: Vec<u32>,
}

impl ProgramIds {
    pub fn of(book: &Book) -> ProgramIds {
        let mut employer_ids: HashMap<String, u32> = HashMap::new();
        for (id, name) in book.names.iter().enumerate() {
            employer_ids.entry(name_key(name)).or_insert(id as u32);
        }
        let mut programs: HashMap<(String, String), u32> = HashMap::new();
        let mut pools: HashMap<(String, String, bool), u32> = HashMap::new();
        let mut ids = ProgramIds { employer: Vec::new(), program: Vec::new(), pool: Vec::new() };
        for version in &book.programs {
            let employer = name_key(&version.employer);
            ids.employer.push(employer_ids.get(&employer).copied());
            let next = programs.len() as u32;
            ids.program.push(*programs.entry((employer.clone(), name_key(&version.program))).or_insert(next));
            let pool = if version.cap_group.trim().is_empty() {
                (employer, name_key(&version.program), false)
            } else {
                (employer, name_key(&version.cap_group), true)
            };
            let next = pools.len() as u32;
            ids.pool.push(*pools.entry(pool).or_insert(next));
        }
        ids
    }
}

/// Inverts a sorted order of indices into each index's position in it.
fn ranks(order: &[u32]) -> Vec<u32> {
    let mut rank = vec![0u32; order.len()];
    for (position, &index) in order.iter().enumerate() {
        rank[index as usize] = position as u32;
    }
    rank
}

/// The contract's order of entries: date, donations before hours, larger first, project name,
/// description, id.
fn rank_entries(book: &Book) -> Vec<u32> {
    // Names and descriptions are compared once each, as ranks, rather than as text at every
    // step of sorting a million entries.
    let project_rank = ranks(&sorted_indices(&book.names.iter().map(|n| name_key(n)).collect::<Vec<_>>()));
    // Each description is hashed once: numbered as first met, then the numbers ranked.
    let mut numbers: FxHashMap<&str, u32> = FxHashMap::default();
    let first_met: Vec<u32> = (book.entries.iter())
        .map(|e| {
            let next = numbers.len() as u32;
            *numbers.entry(book.text(e.description)).or_insert(next)
        })
        .collect();
    let mut texts: Vec<(&str, u32)> = numbers.into_iter().collect();
    texts.sort_unstable();
    let mut description_rank = vec![0u32; texts.len()];
    for (rank, (_, number)) in texts.into_iter().enumerate() {
        description_rank[number as usize] = rank as u32;
    }
    // The keys themselves are sorted, side by side, which is faster than sorting indices into the
    // entries.
    let mut keys: Vec<RankKey> = (book.entries.iter().zip(first_met).enumerate())
        .map(|(i, (e, number))| {
            let day = chrono::Datelike::num_days_from_ce(&e.date) as u32; // ledger dates are after year 1
            RankKey {
                day_and_kind: day << 1 | e.kind as u32,
                larger_first: std::cmp::Reverse(e.quantity),
                project: project_rank[e.project as usize],
                description: description_rank[number as usize],
                entry: i as u32,
            }
        })
        .collect();
    keys.sort_unstable_by(|x, y| {
        x.before_id().cmp(&y.before_id()).then_with(|| book.entry_id(x.entry).cmp(book.entry_id(y.entry)))
    });
    let order: Vec<u32> = keys.into_iter().map(|k| k.entry).collect();
    ranks(&order)
}

/// An entry's place in the contract's order: date, donations before hours, larger first, project,
/// description, then id (compared by text, through `entry`).
struct RankKey {
    /// The day number and the kind in one number: donations (0) come before hours (1).
    day_and_kind: u32,
    larger_first: std::cmp::Reverse<i64>,
    /// Ranks of the project's and the description's texts.
    project: u32,
    description: u32,
    entry: u32,
}

impl RankKey {
    /// What is compared before the entry's id.
    fn before_id(&self) -> (u32, std::cmp::Reverse<i64>, u32, u32) {
        (self.day_and_kind, self.larger_first, self.project, self.description)
    }
}

/// The awards that stage 3 (blocks and threshold) counts together.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct BlockGroup {
    person: u32,
    program: u32,
    year: i32,
    project: u32,
}

/// An award's place in stage 3: its group, then the entry's rank.
#[derive(PartialEq, Eq, PartialOrd, Ord)]
struct BlockPlace {
    group: BlockGroup,
    rank: u32,
    award: u32,
}

/// The awards that share a cap in stage 4.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct CapGroup {
    person: u32,
    pool: u32,
    year: i32,
}

/// An award's place in stage 4: its group, the entry's rank, then (for an entry under several
/// programs of one pool) the program's rank by employer and name.
#[derive(PartialEq, Eq, PartialOrd, Ord)]
struct CapPlace {
    group: CapGroup,
    rank: u32,
    program_rank: u32,
    award: u32,
}

/// The indices of `items` in the order of their values.
fn sorted_indices<T: Ord>(items: &[T]) -> Vec<u32> {
    let mut order: Vec<u32> = (0..items.len() as u32).collect();
    order.sort_unstable_by(|&a, &b| items[a as usize].cmp(&items[b as usize]));
    order
}

/// Position of each program version in the order of employer, program name, start and id, so that
/// no result depends on the order the versions were imported in.
fn rank_programs(book: &Book) -> Vec<u32> {
    let keys: Vec<(String, String, Date, &str)> = book
        .programs
        .iter()
        .map(|v| (name_key(&v.employer), name_key(&v.program), v.effective_from, v.id.as_str()))
        .collect();
    ranks(&sorted_indices(&keys))
}

/// Stage 2: each entry's awards, one per program of its employers in force on its date (or one
/// saying why none applies), with program year, deadline and amount before blocks and caps.
fn programs_and_amounts(
    book: &Book,
    as_of: Date,
    identities: &Identities,
    employments_of: &[Vec<u32>],
    versions_by_employer: &[Vec<u32>],
    version_program: &[u32],
) -> Vec<Award> {
    let mut awards = Vec::with_capacity(book.entries.len());
    let mut employers: Vec<u32> = Vec::new();
    let mut seen_programs: Vec<u32> = Vec::new();
    // Each version's claim deadline by program year, as met: dates are slow to make.
    let mut deadlines: Vec<Vec<(i32, Date)>> = vec![Vec::new(); book.programs.len()];
    for (index, entry) in book.entries.iter().enumerate() {
        employers.clear();
        match entry.employer {
            Some(employer) => employers.push(employer),
            None => {
                for &same in identities.matching(entry.person) {
                    for &e in &employments_of[same as usize] {
                        let employment = &book.employments[e as usize];
                        if employment.start <= entry.date && employment.end.is_none_or(|end| entry.date <= end) {
                            employers.push(employment.employer);
                        }
                    }
                }
                employers.sort_unstable();
                employers.dedup();
            }
        }
        let blank = Award {
            entry: index as u32,
            program: None,
            currency: entry.currency.unwrap_or(Currency::NONE),
            year: 0,
            deadline: None,
            gift_counted: 0,
            base: 0,
            expected: 0,
            fee: 0,
            running_hours: 0,
            year_hours: 0,
            cap_left: None,
            flags: 0,
        };
        let first = awards.len();
        seen_programs.clear();
        let wanted = match entry.kind {
            EntryKind::Hours => ProgramKind::Volunteer,
            EntryKind::Donation => ProgramKind::Donation,
        };
        for employer in &employers {
            for &v in &versions_by_employer[*employer as usize] {
                let version = &book.programs[v as usize];
                if version.kind != wanted || !version.in_force_on(entry.date) {
                    continue;
                }
                // Versions of one program never overlap in a valid book; be safe if they do.
                if seen_programs.contains(&version_program[v as usize]) {
                    continue;
                }
                seen_programs.push(version_program[v as usize]);
                let year = version.year_start.year_of(entry.date);
                let deadline = version.claim_days.map(|days| {
                    let known = &mut deadlines[v as usize];
                    match known.iter().find(|(y, _)| *y == year) {
                        Some(&(_, deadline)) => deadline,
                        None => {
                            let deadline = version.year_start.bounds(year).1 + chrono::Days::new(days.into());
                            known.push((year, deadline));
                            deadline
                        }
                    }
                });
                let mut award = Award { program: Some(v), currency: version.currency, year, deadline, ..blank.clone() };
                match &version.earning {
                    Earning::Rate(rate) => award.base = money::hours_times_rate(entry.quantity, *rate),
                    Earning::Blocks { .. } => {} // stage 3
                    Earning::Match { ratio, min_gift, max_gift } => {
                        if entry.currency != Some(version.currency) {
                            // Nothing is matched; the gift stays in its own currency, where
                            // reports count it (amounts in different currencies never add up).
                            award.currency = blank.currency;
                            award.set(Reason::Currency);
                        } else if min_gift.is_some_and(|min| entry.quantity < min) {
                            award.set(Reason::BelowMinGift);
                        } else {
                            award.gift_counted = max_gift.map_or(entry.quantity, |max| entry.quantity.min(max));
                            if award.gift_counted < entry.quantity {
                                award.set(Reason::MaxGift);
                            }
                            award.base = money::scale_cents(award.gift_counted, *ratio);
                        }
                    }
                }
                if entry.status == Status::Logged && award.deadline.is_some_and(|deadline| as_of > deadline) {
                    award.set(Reason::Expired);
                }
                awards.push(award);
            }
        }
        if awards.len() == first {
            let mut award = blank;
            award.set(if employers.is_empty() { Reason::NoEmployer } else { Reason::NoProgram });
            awards.push(award);
        }
        if entry.status == Status::Rejected {
            for award in &mut awards[first..] {
                award.set(Reason::Rejected);
            }
        }
        for award in &mut awards[first..] {
            award.expected = award.base;
        }
    }
    awards
}

/// Runs the rules on `book` as of the report date `as_of`.
pub fn evaluate(book: &Book, as_of: Date) -> Evaluation {
    let ProgramIds { employer: version_employer, program: version_program, pool: version_pool } = ProgramIds::of(book);
    // By employer (a name index): a table, not a hash, since every entry looks its employers up.
    let mut versions_by_employer: Vec<Vec<u32>> = vec![Vec::new(); book.names.len()];
    for (v, employer) in version_employer.iter().enumerate() {
        if let Some(e) = employer {
            versions_by_employer[*e as usize].push(v as u32);
        }
    }
    let identities = Identities::new(&book.people);
    let mut employments_of: Vec<Vec<u32>> = vec![Vec::new(); book.people.len()];
    for (i, employment) in book.employments.iter().enumerate() {
        employments_of[employment.person as usize].push(i as u32);
    }
    // Stage 2 does not need the entries' order: it runs while another thread ranks them.
    let (rank, mut awards) = std::thread::scope(|scope| {
        let rank = scope.spawn(|| rank_entries(book));
        let awards =
            programs_and_amounts(book, as_of, &identities, &employments_of, &versions_by_employer, &version_program);
        (rank.join().expect("ranking does not panic"), awards)
    });

    // Stages 3 and 4 visit the awards in orders that stage 2 settled (person, program or cap
    // pool, program year, rank; stage 3 changes none of them): both are sorted at once.
    let person_of = |a: &Award| identities.person(book.entries[a.entry as usize].person);
    let program_rank = rank_programs(book);
    let (blocks_order, caps_order) = std::thread::scope(|scope| {
        let caps = scope.spawn(|| {
            let mut order: Vec<CapPlace> = (awards.iter().enumerate())
                .filter(|(_, a)| a.participates())
                .map(|(i, a)| {
                    let v = a.program.expect("participates") as usize;
                    CapPlace {
                        group: CapGroup { person: person_of(a), pool: version_pool[v], year: a.year },
                        rank: rank[a.entry as usize],
                        program_rank: program_rank[v],
                        award: i as u32,
                    }
                })
                .collect();
            order.sort_unstable();
            order
        });
        let mut order: Vec<BlockPlace> = (awards.iter().enumerate())
            .filter(|(_, a)| a.participates() && book.entries[a.entry as usize].kind == EntryKind::Hours)
            .map(|(i, a)| {
                let entry = &book.entries[a.entry as usize];
                let program = version_program[a.program.expect("participates") as usize];
                BlockPlace {
                    group: BlockGroup { person: person_of(a), program, year: a.year, project: entry.project },
                    rank: rank[a.entry as usize],
                    award: i as u32,
                }
            })
            .collect();
        order.sort_unstable();
        (order, caps.join().expect("sorting does not panic"))
    });

    // Stage 3: blocks and threshold, per person, program, program year and project.
    for group in blocks_order.chunk_by(|x, y| x.group == y.group) {
        let total: Hours = group.iter().map(|g| book.entries[awards[g.award as usize].entry as usize].quantity).sum();
        let mut running: Hours = 0;
        for g in group {
            let award = &mut awards[g.award as usize];
            let hours = book.entries[award.entry as usize].quantity;
            let version = &book.programs[award.program.expect("participates") as usize];
            let before = running;
            running += hours;
            award.running_hours = running;
            award.year_hours = total;
            if let Earning::Blocks { hours: size, amount } = version.earning {
                award.base = (running / size - before / size) * amount;
            }
            award.expected = award.base;
            if let Some(min) = version.min_hours {
                if total < min {
                    award.set(Reason::ThresholdNotReached);
                    award.expected = 0;
                } else {
                    award.set(Reason::ThresholdReached);
                }
            }
        }
    }

    // Stage 4: caps, per person, cap pool and program year. An entry under several programs of
    // one pool meets them in the order of employer and program name, not of the rows.
    drop(blocks_order);
    for group in caps_order.chunk_by(|x, y| x.group == y.group) {
        let mut used: Cents = 0;
        for g in group {
            let award = &mut awards[g.award as usize];
            let version = &book.programs[award.program.expect("participates") as usize];
            if let Some(cap) = version.annual_cap {
                let left = (cap - used).max(0);
                award.cap_left = Some(left);
                if award.expected > left {
                    award.expected = left;
                    award.set(Reason::Capped);
                }
            }
            used += award.expected;
        }
    }

    // Stage 5: rejected and expired earn nothing; fees on the rest.
    // The results hold from the day after the last claim deadline before `as_of` through the
    // next one on or after it, since an award expires the day after its deadline.
    let (mut last_passed, mut next_deadline): (Option<Date>, Option<Date>) = (None, None);
    for award in &mut awards {
        if !award.participates() {
            award.expected = 0;
        }
        if let Some(v) = award.program {
            if let Some(rate) = book.programs[v as usize].fee_rate {
                award.fee = money::scale_cents(award.expected, rate);
            }
        }
        if book.entries[award.entry as usize].status == Status::Logged {
            match award.deadline {
                Some(d) if d < as_of => last_passed = last_passed.max(Some(d)),
                Some(d) => next_deadline = Some(next_deadline.map_or(d, |n| n.min(d))),
                None => {}
            }
        }
    }
    let valid_from = last_passed.map_or(FIRST_DATE, |d| d.succ_opt().expect("before as_of"));
    let valid_to = next_deadline.unwrap_or(LAST_DATE);
    Evaluation { as_of, awards, rank, valid_from, valid_to }
}

/// One step of an explanation, in the order the rules apply.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[derive(Debug, Clone, serde::Serialize)]
pub struct Step {
    pub rule: &'static str,
    pub detail: String,
}

/// An award told rule by rule.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[derive(Debug, Clone, serde::Serialize)]
pub struct Explanation {
    pub program: Option<String>,
    pub version: Option<String>,
    pub employer: Option<String>,
    #[cfg_attr(feature = "typescript", ts(type = "string"))]
    pub currency: Currency,
    pub program_year: Option<i32>,
    #[cfg_attr(feature = "typescript", ts(type = "string | null"))]
    pub deadline: Option<Date>,
    pub steps: Vec<Step>,
    pub reasons: Vec<Reason>,
    pub expected: String,
    pub fee: String,
    pub expected_net: String,
}

/// Tells how `award` came about.
pub fn explain(book: &Book, evaluation: &Evaluation, award: &Award) -> Explanation {
    use money::{format_cents as c, format_hours as h};
    let entry = &book.entries[award.entry as usize];
    let cur = award.currency;
    let mut steps = Vec::new();
    let mut step = |rule: &'static str, detail: String| steps.push(Step { rule, detail });
    let version = award.program.map(|v| &book.programs[v as usize]);
    match version {
        None => {
            if award.has(Reason::NoEmployer) {
                step(
                    "no employer",
                    format!(
                        "{} had no employer on {}; the entry earns 0",
                        book.people[entry.person as usize].name, entry.date
                    ),
                );
            } else {
                step(
                    "no program",
                    format!(
                        "no program of the employer is in force on {} for this kind of entry; the entry earns 0",
                        entry.date
                    ),
                );
            }
        }
        Some(version) => {
            let (year, first, last) = version.year_start.program_year(entry.date);
            step(
                "program",
                format!(
                    "{} ({}), version {} in force from {}{}",
                    version.program,
                    version.employer,
                    version.id,
                    version.effective_from,
                    version.effective_to.map_or(String::new(), |to| format!(" to {to}"))
                ),
            );
            step("program year", format!("{year}: {first} to {last}"));
            match &version.earning {
                Earning::Rate(rate) => step(
                    "rate",
                    format!(
                        "{} h × {} {cur}/h = {} {cur}",
                        h(entry.quantity),
                        money::format_rate(*rate),
                        c(award.base)
                    ),
                ),
                Earning::Blocks { hours, amount } if award.running_hours > 0 => step(
                    "blocks",
                    format!(
                        "running total {} h → {} h reaches {} more block(s) of {} h at {} {cur} = {} {cur}",
                        h(award.running_hours - entry.quantity),
                        h(award.running_hours),
                        award.running_hours / hours - (award.running_hours - entry.quantity) / hours,
                        h(*hours),
                        c(*amount),
                        c(award.base)
                    ),
                ),
                Earning::Blocks { hours, amount } => {
                    step("blocks", format!("{} for every full {} h", c(*amount), h(*hours)))
                }
                Earning::Match { ratio, min_gift, max_gift } => {
                    if award.has(Reason::Currency) {
                        step(
                            "currency",
                            format!(
                                "the gift is in {}, the program matches {cur} only; earns 0",
                                entry.currency.map_or("?".into(), |c| c.to_string())
                            ),
                        );
                    } else if award.has(Reason::BelowMinGift) {
                        step(
                            "min gift",
                            format!(
                                "the gift {} is below the minimum {}; earns 0",
                                c(entry.quantity),
                                c(min_gift.unwrap_or(0))
                            ),
                        );
                    } else {
                        if award.has(Reason::MaxGift) {
                            step(
                                "max gift",
                                format!(
                                    "only the first {} of the {} gift is matched",
                                    c(max_gift.unwrap_or(0)),
                                    c(entry.quantity)
                                ),
                            );
                        }
                        step(
                            "match",
                            format!(
                                "{} × {} = {} {cur}",
                                c(award.gift_counted),
                                money::format_rate(*ratio),
                                c(award.base)
                            ),
                        );
                    }
                }
            }
            if let Some(min) = version.min_hours {
                if award.has(Reason::ThresholdNotReached) {
                    step(
                        "threshold",
                        format!(
                            "{} h given to this project in program year {year}, fewer than the {} h minimum; earns 0",
                            h(award.year_hours),
                            h(min)
                        ),
                    );
                } else if award.has(Reason::ThresholdReached) {
                    step("threshold", format!("{} h given to this project in program year {year} reach the {} h minimum; all of them count", h(award.year_hours), h(min)));
                }
            }
            if let (Some(cap), Some(left)) = (version.annual_cap, award.cap_left) {
                let pool = if version.cap_group.is_empty() {
                    version.program.clone()
                } else {
                    format!("cap group {}", version.cap_group)
                };
                if award.has(Reason::Capped) {
                    step(
                        "cap",
                        format!(
                            "{} of the {} {cur} annual cap of {pool} was left; cut to {}",
                            c(left),
                            c(cap),
                            c(award.expected)
                        ),
                    );
                } else {
                    step(
                        "cap",
                        format!("{} of the {} {cur} annual cap of {pool} was left; not limited", c(left), c(cap)),
                    );
                }
            }
        }
    }
    if award.has(Reason::Rejected) {
        step("rejected", "the entry was rejected; earns 0".into());
    }
    if award.has(Reason::Expired) {
        step(
            "deadline",
            format!(
                "still logged after the claim deadline {} (as of {}); expired, earns 0",
                award.deadline.expect("expired has a deadline"),
                evaluation.as_of
            ),
        );
    } else if let Some(deadline) = award.deadline {
        step("deadline", format!("claim by {deadline} ({})", entry.status.name()));
    }
    if let Some(rate) = version.and_then(|v| v.fee_rate) {
        step(
            "fee",
            format!(
                "{} × {} = {} {cur}; expected net {} {cur}",
                c(award.expected),
                money::format_rate(rate),
                c(award.fee),
                c(award.net())
            ),
        );
    }
    Explanation {
        program: version.map(|v| v.program.clone()),
        version: version.map(|v| v.id.clone()),
        employer: version.map(|v| v.employer.clone()),
        currency: cur,
        program_year: version.map(|_| award.year),
        deadline: award.deadline,
        steps,
        reasons: award.reasons(),
        expected: c(award.expected),
        fee: c(award.fee),
        expected_net: c(award.net()),
    }
}
