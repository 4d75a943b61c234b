//! Reconciliation: which expected entries each received payment line pays, and what is left on
//! either side: money received for entries nobody logged, and claims never paid.
//!
//! A payment line (employer money, see [`Funds::Match`]) can pay the entries that share its
//! currency, project and employer (its `employer`, or its `payer` when it names none), the
//! contributor when the line names one (email where both have one, else name), whose program year
//! holds the line's date (or whose claim deadline it meets), and whose expected amounts add up to
//! the line's `gross` within a cent. The line is matched automatically when exactly one such set
//! exists (preferring, among single entries of the same amount, the one entry already claimed);
//! otherwise the treasurer chooses. Matched entries become `paid` ([`Store::link`]).
//!
//! The second level, each payout matched to the bank deposit that brought it, is
//! [`crate::bank`]'s; the summary here shows both, per project and currency.

use crate::bank::{self, BankRow, BankView, DepositLine, PayoutLine, PayoutState};
use crate::model::EntryKind;
use crate::model::{iso, Date, Funds, Status};
use crate::money::{Cents, Currency};
use crate::people::Identities;
use crate::report::{Cell, Table};
use crate::store::{ImportOptions, ImportOutcome, Store, StoreError};
use std::collections::{BTreeMap, HashMap, HashSet};

/// How old an unpaid claim must be before it counts as not received.
pub const DEFAULT_LAG_DAYS: u32 = 90;

/// Lines and amounts within this many cents of each other match.
const TOLERANCE: Cents = 1;

/// Subset search looks at most this many candidates and steps, then gives up (ambiguous).
const SUBSET_CANDIDATES: usize = 24;
const SUBSET_STEPS: usize = 200_000;

/// An entry with an expected amount that a payment may pay. Compact, as a book holds a million:
/// the entry's id is read only for the few that are shown or linked.
#[derive(Debug, Clone)]
struct Claim {
    /// The entry's row in its table.
    rid: i64,
    kind: EntryKind,
    date: Date,
    contributor: u32,
    employer: Option<u32>,
    project: u32,
    currency: Currency,
    expected: Cents,
    status: Status,
    /// The payment dates that fit: the program year, up to the claim deadline when later.
    window: (Date, Date),
}

/// A received payment line.
#[derive(Debug, Clone)]
struct Received {
    id: String,
    /// When the money was sent.
    date: Date,
    /// The day of the gift or volunteering it pays: what entries are matched by.
    gift_date: Date,
    payer: u32,
    employer: Option<u32>,
    contributor: Option<u32>,
    project: u32,
    currency: Currency,
    gross: Cents,
    net: Cents,
    funds: Funds,
    disbursement: String,
}

/// What reconciliation makes of a payment line.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LineState {
    /// Linked to the entries it pays.
    Matched,
    /// Exactly one set of entries fits; [`auto_reconcile`] will link it.
    ToMatch,
    /// Several sets fit: the treasurer chooses.
    Ambiguous,
    /// No entry fits: money for hours or gifts nobody logged. Record them, then reconcile.
    NotLogged,
    /// A donor's own gift: income, but not what any claim expects.
    Gift,
}

impl LineState {
    pub fn name(self) -> &'static str {
        match self {
            LineState::Matched => "matched",
            LineState::ToMatch => "to match",
            LineState::Ambiguous => "ambiguous",
            LineState::NotLogged => "not logged",
            LineState::Gift => "donor gift",
        }
    }
}

/// An entry as reconciliation shows it.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct EntryRef {
    pub id: String,
    /// `hours` or `donation`.
    pub kind: String,
    pub date: String,
    pub contributor: String,
    pub employer: String,
    pub project: String,
    #[cfg_attr(feature = "typescript", ts(type = "string"))]
    pub currency: Currency,
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub expected: Cents,
    pub status: Status,
}

/// A received payment line and what became of it.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ReceivedLine {
    pub payment: String,
    /// When the money was sent.
    pub date: String,
    /// When the gift or the hours it pays were made, when the report says; else when it was sent.
    pub gift_date: String,
    pub payer: String,
    pub employer: String,
    /// Whom the money is for: the name, or the email when the line has no name.
    pub contributor: String,
    pub email: String,
    pub project: String,
    #[cfg_attr(feature = "typescript", ts(type = "string"))]
    pub currency: Currency,
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub gross: Cents,
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub net: Cents,
    pub disbursement: String,
    pub state: LineState,
    /// The entries it pays (matched) or would pay (to match).
    pub entries: Vec<EntryRef>,
    /// For an ambiguous line, the sets of entries that fit.
    pub options: Vec<Vec<EntryRef>>,
}

/// Per project and currency: counts and amounts of each state, and the claims not received.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct ReconcileRow {
    pub project: String,
    pub currency: String,
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub matched: Cents,
    pub matched_lines: u32,
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub to_match: Cents,
    pub to_match_lines: u32,
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub ambiguous: Cents,
    pub ambiguous_lines: u32,
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub not_logged: Cents,
    pub not_logged_lines: u32,
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub gifts: Cents,
    pub gift_lines: u32,
    /// Net of every line received (employer money and gifts), as the platforms report it; of
    /// it, what the bank confirmed (the line's payout matched to a deposit), and what the bank
    /// has not shown after the window.
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub received_net: Cents,
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub in_bank: Cents,
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub not_in_bank: Cents,
    /// Expected (gross) of the claims older than the lag that no payment paid.
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub not_received: Cents,
    pub not_received_entries: u32,
}

/// The whole picture as of a date.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Reconciliation {
    pub as_of: String,
    pub lag_days: u32,
    pub rows: Vec<ReconcileRow>,
    /// Every employer-money and gift line received, oldest first.
    pub received: Vec<ReceivedLine>,
    /// Claims dated on or before `as_of − lag_days`, still not paid, oldest first (the first
    /// `limit` of them when a limit was asked for).
    pub not_received: Vec<EntryRef>,
    /// How many such claims there are in all.
    pub not_received_total: u32,
    /// The bank's side: payouts, deposits and their sums per currency.
    pub window_days: u32,
    pub payouts: Vec<PayoutLine>,
    pub deposits: Vec<DepositLine>,
    pub bank: Vec<BankRow>,
}

/// What [`auto_reconcile`] did.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct AutoOutcome {
    /// Lines linked now, and the entries they pay.
    pub matched_lines: u32,
    pub matched_entries: u32,
    /// Lines left for the treasurer's choice, and lines no entry fits.
    pub ambiguous_lines: u32,
    pub not_logged_lines: u32,
    /// Payouts matched to their deposit now, and payouts several deposits fit.
    pub bank_matched: u32,
    pub bank_ambiguous: u32,
}

/// The book as reconciliation needs it.
struct State {
    names: Vec<String>,
    people: Vec<crate::model::Person>,
    identities: Identities,
    claims: Vec<Claim>,
    lines: Vec<Received>,
    /// Claims by (project, currency, employer), oldest first: where a line looks for candidates.
    by_payee: HashMap<(u32, Currency, Option<u32>), Vec<u32>>,
    /// Payment id → the claims (indexes) it pays.
    links: HashMap<String, Vec<usize>>,
    linked: HashSet<usize>,
}

enum Decision {
    Match(Vec<usize>),
    Ambiguous(Vec<Vec<usize>>),
    Nothing,
}

impl State {
    fn load(store: &mut Store, as_of: Date) -> Result<State, StoreError> {
        store.prune_links()?;
        store.refresh_results(as_of)?;
        let (names, people) = store.names_and_people()?;
        let identities = Identities::new(&people);
        let year_starts = store.program_year_starts_by_rid()?;
        let mut claims = Vec::new();
        store.for_each_award(None, None, |a| {
            if a.expected <= 0 || a.status == Status::Rejected {
                return Ok(());
            }
            let (_, first, last) =
                a.program_rid.and_then(|p| year_starts.get(&p)).copied().unwrap_or_default().program_year(a.date);
            claims.push(Claim {
                rid: a.entry_rid,
                kind: a.kind,
                date: a.date,
                contributor: a.contributor,
                employer: a.employer,
                project: a.project,
                currency: a.currency,
                expected: a.expected,
                status: a.status,
                window: (first, a.deadline.map_or(last, |d| d.max(last))),
            });
            Ok(())
        })?;
        // Each day's hours first, then its donations, each by row.
        claims.sort_by_key(|c| (c.date, std::cmp::Reverse(c.kind), c.rid));
        let lines: Vec<Received> = store
            .payments_by_date()?
            .into_iter()
            .map(|p| Received {
                id: p.id,
                date: p.date,
                gift_date: p.gift_date.unwrap_or(p.date),
                payer: p.payer,
                employer: p.employer,
                contributor: p.contributor,
                project: p.project,
                currency: p.currency,
                gross: p.gross,
                net: p.net,
                funds: p.funds,
                disbursement: p.disbursement,
            })
            .collect();
        // The links name entries by id: find their rows, then the claims of those rows.
        let mut link_rows: HashMap<(EntryKind, i64), Vec<String>> = HashMap::new();
        let mut links: HashMap<String, Vec<usize>> = HashMap::new();
        for link in store.links()? {
            match store.find_entry(&link.entry) {
                Ok(row) => link_rows.entry(row).or_default().push(link.payment.clone()),
                Err(StoreError::UnknownId(_)) => {} // deleted since; pruned on the next load
                Err(e) => return Err(e),
            }
            // An entry linked but earning nothing now (e.g. rejected since) keeps its link; it
            // just is not a claim.
            links.entry(link.payment).or_default();
        }
        let mut linked = HashSet::new();
        for (i, c) in claims.iter().enumerate() {
            for payment in link_rows.get(&(c.kind, c.rid)).into_iter().flatten() {
                linked.insert(i);
                links.entry(payment.clone()).or_default().push(i);
            }
        }
        let mut by_payee: HashMap<(u32, Currency, Option<u32>), Vec<u32>> = HashMap::new();
        for (i, c) in claims.iter().enumerate() {
            by_payee.entry((c.project, c.currency, c.employer)).or_default().push(i as u32);
        }
        Ok(State { names, people, identities, claims, lines, by_payee, links, linked })
    }

    /// The claims `line` could pay, oldest first.
    fn candidates(&self, line: &Received) -> Vec<usize> {
        let employer = line.employer.unwrap_or(line.payer);
        let Some(same_payee) = self.by_payee.get(&(line.project, line.currency, Some(employer))) else {
            return Vec::new();
        };
        same_payee
            .iter()
            .map(|&i| i as usize)
            .filter(|&i| {
                let c = &self.claims[i];
                !self.linked.contains(&i)
                    && c.window.0 <= line.gift_date
                    && line.gift_date <= c.window.1
                    && line.contributor.is_none_or(|p| self.identities.matching(p).contains(&c.contributor))
            })
            .collect()
    }

    /// Entries not yet `paid` are tried first; entries marked paid by hand (no line pays them
    /// yet) only when no set of the others fits, since a payment most likely pays open claims.
    fn decide(&self, line: &Received) -> Decision {
        let candidates = self.candidates(line);
        let open: Vec<usize> = candidates.iter().copied().filter(|&i| self.claims[i].status != Status::Paid).collect();
        match self.decide_among(line, &open) {
            Decision::Nothing if open.len() < candidates.len() => self.decide_among(line, &candidates),
            decision => decision,
        }
    }

    fn decide_among(&self, line: &Received, candidates: &[usize]) -> Decision {
        let fits = |sum: Cents| (sum - line.gross).abs() <= TOLERANCE;
        let singles: Vec<usize> = candidates.iter().copied().filter(|&i| fits(self.claims[i].expected)).collect();
        match singles.len() {
            0 => {}
            1 => return Decision::Match(singles),
            _ => {
                let claimed: Vec<usize> =
                    singles.iter().copied().filter(|&i| self.claims[i].status != Status::Logged).collect();
                if claimed.len() == 1 {
                    return Decision::Match(claimed);
                }
                return Decision::Ambiguous(singles.into_iter().map(|i| vec![i]).collect());
            }
        }
        if candidates.len() > 1 && fits(candidates.iter().map(|&i| self.claims[i].expected).sum()) {
            return Decision::Match(candidates.to_vec());
        }
        let (found, complete) = subsets(candidates, |i| self.claims[i].expected, line.gross);
        match found.len() {
            0 => Decision::Nothing,
            1 if complete => Decision::Match(found.into_iter().next().expect("one")),
            _ => Decision::Ambiguous(found),
        }
    }

    fn entry(&self, store: &Store, i: usize) -> Result<EntryRef, StoreError> {
        let c = &self.claims[i];
        Ok(EntryRef {
            id: entry_id(store, c)?,
            kind: c.kind.name().into(),
            date: iso(c.date),
            contributor: self.people.get(c.contributor as usize).map(|p| p.name.clone()).unwrap_or_default(),
            employer: c.employer.map(|e| self.name(e)).unwrap_or_default(),
            project: self.name(c.project),
            currency: c.currency,
            expected: c.expected,
            status: c.status,
        })
    }

    fn name(&self, id: u32) -> String {
        self.names.get(id as usize).cloned().unwrap_or_default()
    }
}

/// Sets of candidates (sorted by index) whose amounts add up to `target` within a cent: none, one,
/// or two (enough to know the choice is ambiguous), and whether the search was complete (it
/// looks at the oldest [`SUBSET_CANDIDATES`] for at most [`SUBSET_STEPS`] steps).
fn subsets(candidates: &[usize], amount: impl Fn(usize) -> Cents, target: Cents) -> (Vec<Vec<usize>>, bool) {
    struct Search<'a> {
        pool: Vec<usize>,
        /// What the pool holds from each position on, to prune branches that cannot reach the target.
        rest: Vec<Cents>,
        amount: &'a dyn Fn(usize) -> Cents,
        target: Cents,
        chosen: Vec<usize>,
        found: Vec<Vec<usize>>,
        steps: usize,
    }
    impl Search<'_> {
        fn walk(&mut self, k: usize, sum: Cents) {
            self.steps += 1;
            if self.found.len() >= 2 || self.steps > SUBSET_STEPS {
                return;
            }
            if (sum - self.target).abs() <= TOLERANCE && !self.chosen.is_empty() {
                let mut set = self.chosen.clone();
                set.sort_unstable();
                self.found.push(set);
                return;
            }
            if k == self.pool.len() || sum > self.target + TOLERANCE || sum + self.rest[k] < self.target - TOLERANCE {
                return;
            }
            let item = self.pool[k];
            self.chosen.push(item);
            self.walk(k + 1, sum + (self.amount)(item));
            self.chosen.pop();
            self.walk(k + 1, sum);
        }
    }
    let mut pool: Vec<usize> = candidates.iter().copied().take(SUBSET_CANDIDATES).collect();
    pool.sort_by_key(|&i| std::cmp::Reverse(amount(i)));
    let mut rest = vec![0; pool.len() + 1];
    for k in (0..pool.len()).rev() {
        rest[k] = rest[k + 1] + amount(pool[k]);
    }
    let complete = candidates.len() <= SUBSET_CANDIDATES;
    let mut search = Search { pool, rest, amount: &amount, target, chosen: Vec::new(), found: Vec::new(), steps: 0 };
    search.walk(0, 0);
    let complete = complete && (search.steps <= SUBSET_STEPS || search.found.len() >= 2);
    (search.found, complete)
}

/// The reconciliation that follows an import, as of `as_of`: [`auto_reconcile`] when the import
/// wrote records (a preview, a refused or cancelled import, or one that changed nothing leaves
/// the links as they are).
pub fn after_import(
    store: &mut Store,
    options: &ImportOptions,
    outcome: &ImportOutcome,
    as_of: Date,
) -> Result<Option<AutoOutcome>, StoreError> {
    let wrote = match outcome {
        ImportOutcome::Imported(files) => !options.dry_run && files.iter().any(|f| f.added + f.replaced > 0),
        ImportOutcome::Rejected(_) | ImportOutcome::Cancelled => false,
    };
    if !wrote {
        return Ok(None);
    }
    auto_reconcile(store, as_of, bank::DEFAULT_WINDOW_DAYS).map(Some)
}

/// Links every line that exactly one set of entries fits, oldest line first (each linked entry
/// becomes `paid`), then every payout and deposit that decide themselves (see [`crate::bank`]).
/// Running it again changes nothing.
pub fn auto_reconcile(store: &mut Store, as_of: Date, window_days: u32) -> Result<AutoOutcome, StoreError> {
    let mut outcome = link_entries(store, as_of)?;
    let bank = bank::auto_match(store, window_days)?;
    outcome.bank_matched = bank.matched;
    outcome.bank_ambiguous = bank.ambiguous;
    Ok(outcome)
}

fn link_entries(store: &mut Store, as_of: Date) -> Result<AutoOutcome, StoreError> {
    // Most imports bring no payments: then there is nothing to match, and no need for results.
    if store.unlinked_matches()? == 0 {
        return Ok(AutoOutcome::default());
    }
    let mut state = State::load(store, as_of)?;
    let mut outcome = AutoOutcome::default();
    let mut backed_up = false;
    let lines: Vec<Received> =
        state.lines.iter().filter(|l| l.funds == Funds::Match && !state.links.contains_key(&l.id)).cloned().collect();
    for line in lines {
        match state.decide(&line) {
            Decision::Match(set) => {
                if !backed_up {
                    store.backup("reconcile")?;
                    backed_up = true;
                }
                let ids: Vec<String> =
                    set.iter().map(|&i| entry_id(store, &state.claims[i])).collect::<Result<_, _>>()?;
                store.link(&line.id, &ids, "auto")?;
                outcome.matched_lines += 1;
                outcome.matched_entries += set.len() as u32;
                state.linked.extend(set.iter().copied());
                state.links.insert(line.id.clone(), set);
            }
            Decision::Ambiguous(_) => outcome.ambiguous_lines += 1,
            Decision::Nothing => outcome.not_logged_lines += 1,
        }
    }
    Ok(outcome)
}

/// The reconciliation as of `as_of`, reading only (but for dropping links to records deleted
/// since): matched lines, lines to match, ambiguous lines with their options, lines nobody
/// logged, donor gifts, and claims older than `lag_days` that no payment paid, per project and
/// currency. `limit` bounds the list of claims not received
/// (a window shows a page of them, not a million).
pub fn reconciliation(
    store: &mut Store,
    as_of: Date,
    lag_days: u32,
    window_days: u32,
    limit: Option<usize>,
) -> Result<Reconciliation, StoreError> {
    let BankView { payouts, deposits, rows: bank, .. } = bank::bank_view(store, as_of, window_days)?;
    let payout_states: HashMap<&str, PayoutState> = payouts.iter().map(|p| (p.payout.as_str(), p.state)).collect();
    let mut state = State::load(store, as_of)?;
    let mut rows: BTreeMap<(String, String), ReconcileRow> = BTreeMap::new();
    let mut received = Vec::new();
    let lines = std::mem::take(&mut state.lines);
    for line in &lines {
        let (state_of, entries, options) = if line.funds == Funds::Gift {
            (LineState::Gift, Vec::new(), Vec::new())
        } else if let Some(set) = state.links.get(&line.id) {
            (LineState::Matched, set.clone(), Vec::new())
        } else {
            match state.decide(line) {
                Decision::Match(set) => {
                    // Later lines must not count these entries again.
                    state.linked.extend(set.iter().copied());
                    (LineState::ToMatch, set, Vec::new())
                }
                Decision::Ambiguous(options) => (LineState::Ambiguous, Vec::new(), options),
                Decision::Nothing => (LineState::NotLogged, Vec::new(), Vec::new()),
            }
        };
        let project = state.name(line.project);
        let row = row_of(&mut rows, &project, line.currency);
        let (amount, count) = match state_of {
            LineState::Matched => (&mut row.matched, &mut row.matched_lines),
            LineState::ToMatch => (&mut row.to_match, &mut row.to_match_lines),
            LineState::Ambiguous => (&mut row.ambiguous, &mut row.ambiguous_lines),
            LineState::NotLogged => (&mut row.not_logged, &mut row.not_logged_lines),
            LineState::Gift => (&mut row.gifts, &mut row.gift_lines),
        };
        *amount += line.gross;
        *count += 1;
        row.received_net += line.net;
        match payout_states.get(crate::model::payout_of(&line.id, &line.disbursement)) {
            Some(PayoutState::InBank) => row.in_bank += line.net,
            Some(PayoutState::NotInBank) => row.not_in_bank += line.net,
            _ => {}
        }
        let person = line.contributor.and_then(|c| state.people.get(c as usize));
        received.push(ReceivedLine {
            payment: line.id.clone(),
            date: iso(line.date),
            gift_date: iso(line.gift_date),
            payer: state.name(line.payer),
            employer: line.employer.map(|e| state.name(e)).unwrap_or_default(),
            contributor: person
                .map(|p| if p.name.is_empty() { p.email.clone() } else { p.name.clone() })
                .unwrap_or_default(),
            email: person.map(|p| p.email.clone()).unwrap_or_default(),
            project,
            currency: line.currency,
            gross: line.gross,
            net: line.net,
            disbursement: line.disbursement.clone(),
            state: state_of,
            entries: entries.iter().map(|&i| state.entry(store, i)).collect::<Result<_, _>>()?,
            options: options
                .iter()
                .map(|set| set.iter().map(|&i| state.entry(store, i)).collect::<Result<_, _>>())
                .collect::<Result<_, _>>()?,
        });
    }
    let cutoff = as_of - chrono::Days::new(u64::from(lag_days));
    let mut not_received = Vec::new();
    let mut not_received_total = 0;
    for (i, claim) in state.claims.iter().enumerate() {
        if claim.date > cutoff || claim.status == Status::Paid || state.linked.contains(&i) {
            continue;
        }
        let project = state.name(claim.project);
        let row = row_of(&mut rows, &project, claim.currency);
        row.not_received += claim.expected;
        row.not_received_entries += 1;
        not_received_total += 1;
        if limit.is_none_or(|limit| not_received.len() < limit) {
            not_received.push(state.entry(store, i)?);
        }
    }
    Ok(Reconciliation {
        as_of: iso(as_of),
        lag_days,
        rows: rows.into_values().collect(),
        received,
        not_received,
        not_received_total,
        window_days,
        payouts,
        deposits,
        bank,
    })
}

/// The summary row of a project and currency, sorted by project name.
fn row_of<'a>(
    rows: &'a mut BTreeMap<(String, String), ReconcileRow>,
    project: &str,
    currency: Currency,
) -> &'a mut ReconcileRow {
    rows.entry((project.to_lowercase(), currency.to_string())).or_insert_with(|| ReconcileRow {
        project: project.to_string(),
        currency: currency.to_string(),
        ..Default::default()
    })
}

/// The id of a claim's entry.
fn entry_id(store: &Store, claim: &Claim) -> Result<String, StoreError> {
    store.entry_id(claim.kind, claim.rid)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subsets_find_none_one_or_two() {
        let amounts = [5000, 2500, 2400, 1000];
        let amount = |i: usize| amounts[i];
        assert_eq!(subsets(&[0, 1, 2, 3], amount, 3400), (vec![vec![2, 3]], true));
        assert_eq!(subsets(&[0, 1, 2, 3], amount, 1234), (vec![], true));
        // Within a cent.
        assert_eq!(subsets(&[0, 1, 2, 3], amount, 3501), (vec![vec![1, 3]], true));
        // 35.00 is 25.00 + 10.00 twice over: ambiguous.
        let twins = [5000, 2500, 2500, 1000];
        assert_eq!(subsets(&[0, 1, 2, 3], |i| twins[i], 3500), (vec![vec![1, 3], vec![2, 3]], true));
    }
}

/// Which list `report reconcile` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum List {
    /// Per project and currency: each state's lines and amounts, and the claims not received.
    Summary,
    /// Every line received, with its state and the entries it pays.
    Received,
    /// The claims older than the lag that no payment paid.
    Missing,
    /// Every payout, with its state in the bank and its deposit.
    Payouts,
    /// Every deposit, with the payout it brought or its state.
    Deposits,
    /// Per currency: deposits, matched, unexplained and marked not matching.
    Bank,
}

impl Reconciliation {
    /// One of its lists as a [`Table`].
    pub fn table(&self, list: List) -> Table {
        let amount = |cents: Cents, currency: &str| Cell::Amount(cents, currency.to_string());
        let (columns, rows): (&[&str], Vec<Vec<Cell>>) = match list {
            List::Summary => (
                &[
                    "project",
                    "currency",
                    "matched",
                    "matched_lines",
                    "to_match",
                    "ambiguous",
                    "ambiguous_lines",
                    "not_logged",
                    "not_logged_lines",
                    "donor_gifts",
                    "not_received",
                    "not_received_entries",
                    "received_net",
                    "in_bank",
                    "not_in_bank",
                ],
                self.rows
                    .iter()
                    .map(|r| {
                        let c = r.currency.as_str();
                        vec![
                            Cell::Text(r.project.clone()),
                            Cell::Text(r.currency.clone()),
                            amount(r.matched, c),
                            Cell::Int(r.matched_lines.into()),
                            amount(r.to_match, c),
                            amount(r.ambiguous, c),
                            Cell::Int(r.ambiguous_lines.into()),
                            amount(r.not_logged, c),
                            Cell::Int(r.not_logged_lines.into()),
                            amount(r.gifts, c),
                            amount(r.not_received, c),
                            Cell::Int(r.not_received_entries.into()),
                            amount(r.received_net, c),
                            amount(r.in_bank, c),
                            amount(r.not_in_bank, c),
                        ]
                    })
                    .collect(),
            ),
            List::Received => (
                &[
                    "payment",
                    "date",
                    "project",
                    "employer",
                    "contributor",
                    "currency",
                    "gross",
                    "net",
                    "state",
                    "entries",
                    "disbursement",
                ],
                self.received
                    .iter()
                    .map(|l| {
                        let entries = if l.options.is_empty() {
                            l.entries.iter().map(|e| e.id.as_str()).collect::<Vec<_>>().join(" ")
                        } else {
                            let options: Vec<String> = l
                                .options
                                .iter()
                                .map(|o| o.iter().map(|e| e.id.as_str()).collect::<Vec<_>>().join("+"))
                                .collect();
                            format!("one of: {}", options.join(" | "))
                        };
                        vec![
                            Cell::Text(l.payment.clone()),
                            Cell::Text(l.date.clone()),
                            Cell::Text(l.project.clone()),
                            Cell::Text(if l.employer.is_empty() { l.payer.clone() } else { l.employer.clone() }),
                            Cell::Text(l.contributor.clone()),
                            Cell::Text(l.currency.to_string()),
                            amount(l.gross, l.currency.as_str()),
                            amount(l.net, l.currency.as_str()),
                            Cell::Text(l.state.name().into()),
                            Cell::Text(entries),
                            Cell::Text(l.disbursement.clone()),
                        ]
                    })
                    .collect(),
            ),
            List::Missing => (
                &["id", "kind", "date", "project", "employer", "contributor", "status", "currency", "expected"],
                self.not_received
                    .iter()
                    .map(|e| {
                        vec![
                            Cell::Text(e.id.clone()),
                            Cell::Text(e.kind.clone()),
                            Cell::Text(e.date.clone()),
                            Cell::Text(e.project.clone()),
                            Cell::Text(e.employer.clone()),
                            Cell::Text(e.contributor.clone()),
                            Cell::Text(e.status.name().into()),
                            Cell::Text(e.currency.to_string()),
                            amount(e.expected, e.currency.as_str()),
                        ]
                    })
                    .collect(),
            ),
            List::Payouts => (
                &["payout", "payer", "projects", "sent", "bank_date", "currency", "net", "lines", "state", "deposit"],
                self.payouts
                    .iter()
                    .map(|p| {
                        let deposit = if p.options.is_empty() {
                            p.deposit.clone()
                        } else {
                            format!("one of: {}", p.options.join(" | "))
                        };
                        vec![
                            Cell::Text(p.payout.clone()),
                            Cell::Text(p.payer.clone()),
                            Cell::Text(p.projects.join(", ")),
                            Cell::Text(p.sent.clone()),
                            Cell::Text(p.bank_date.clone()),
                            Cell::Text(p.currency.to_string()),
                            amount(p.net, p.currency.as_str()),
                            Cell::Int(p.lines.into()),
                            Cell::Text(p.state.name().into()),
                            Cell::Text(deposit),
                        ]
                    })
                    .collect(),
            ),
            List::Deposits => (
                &["deposit", "date", "account", "currency", "amount", "state", "payout", "reference", "description"],
                self.deposits
                    .iter()
                    .map(|d| {
                        let payout = match d.state {
                            bank::DepositState::Ambiguous => format!("one of: {}", d.options.join(" | ")),
                            bank::DepositState::NotMatching => d.note.clone(),
                            _ => d.payout.clone(),
                        };
                        vec![
                            Cell::Text(d.id.clone()),
                            Cell::Text(d.date.clone()),
                            Cell::Text(d.account.clone()),
                            Cell::Text(d.currency.to_string()),
                            amount(d.amount, d.currency.as_str()),
                            Cell::Text(d.state.name().into()),
                            Cell::Text(payout),
                            Cell::Text(d.reference.clone()),
                            Cell::Text(d.description.clone()),
                        ]
                    })
                    .collect(),
            ),
            List::Bank => (
                &[
                    "currency",
                    "deposits",
                    "deposit_count",
                    "matched",
                    "unexplained",
                    "unexplained_count",
                    "not_matching",
                    "not_matching_count",
                ],
                self.bank
                    .iter()
                    .map(|b| {
                        let c = b.currency.as_str();
                        vec![
                            Cell::Text(b.currency.clone()),
                            amount(b.deposits, c),
                            Cell::Int(b.deposit_count.into()),
                            amount(b.matched, c),
                            amount(b.unexplained, c),
                            Cell::Int(b.unexplained_count.into()),
                            amount(b.not_matching, c),
                            Cell::Int(b.not_matching_count.into()),
                        ]
                    })
                    .collect(),
            ),
        };
        Table { columns: columns.iter().map(|c| c.to_string()).collect(), rows }
    }
}
