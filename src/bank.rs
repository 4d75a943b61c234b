//! Bank reconciliation, the second level of [`crate::reconcile`]: each platform payout (the lines
//! of one disbursement, or a payment line that names none) is matched to the deposit on the bank
//! statement that brought it.
//!
//! A deposit fits a payout when it has the payout's currency and net amount, to the cent, and is
//! dated within a window of days (by default [`DEFAULT_WINDOW_DAYS`]) of the day the payout reached
//! the bank (its bank date, where the platform says) or else was sent. A pair is matched
//! automatically when no other payout fits the deposit, or when the deposit is the payout's only
//! fit and every other payout it fits has another, or when the deposit carries the payout's bank
//! reference (or disbursement id) and no other fit does; everything else is the treasurer's
//! choice. What is left: payouts not seen in the bank after the window, and deposits no payout
//! explains, which the treasurer can mark as not matching money (a grant, a sponsorship).

use crate::model::{iso, Date, Deposit};
use crate::money::{Cents, Currency};
use crate::store::{BankMatch, PaymentRow, Store, StoreError, NOT_MATCHING};
use std::collections::{BTreeMap, HashMap, HashSet};

/// How many days a deposit may be from a payout's bank date (or sending date) and still fit.
pub const DEFAULT_WINDOW_DAYS: u32 = 10;

/// Where a payout stands.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PayoutState {
    /// Matched to the deposit that brought it.
    InBank,
    /// Exactly one deposit fits; [`auto_match`] will match it.
    ToMatch,
    /// Several deposits fit, or its deposit fits other payouts too: the treasurer chooses.
    Ambiguous,
    /// No deposit yet, and the window has not passed.
    Waiting,
    /// No deposit, and the window has passed: chase it.
    NotInBank,
}

impl PayoutState {
    pub fn name(self) -> &'static str {
        match self {
            PayoutState::InBank => "in bank",
            PayoutState::ToMatch => "to match",
            PayoutState::Ambiguous => "ambiguous",
            PayoutState::Waiting => "waiting",
            PayoutState::NotInBank => "not in bank",
        }
    }
}

/// Where a deposit stands.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DepositState {
    Matched,
    ToMatch,
    Ambiguous,
    /// No payout explains it.
    Unexplained,
    /// Marked by the treasurer as not matching money.
    NotMatching,
}

impl DepositState {
    pub fn name(self) -> &'static str {
        match self {
            DepositState::Matched => "matched",
            DepositState::ToMatch => "to match",
            DepositState::Ambiguous => "ambiguous",
            DepositState::Unexplained => "unexplained",
            DepositState::NotMatching => "not matching",
        }
    }
}

/// A payout as bank reconciliation shows it.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PayoutLine {
    /// Its disbursement id, or the id of its one payment line.
    pub payout: String,
    pub payer: String,
    /// The projects it pays, by name.
    pub projects: Vec<String>,
    #[cfg_attr(feature = "typescript", ts(type = "string"))]
    pub currency: Currency,
    /// What should reach the bank: the net of its lines.
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub net: Cents,
    pub lines: u32,
    /// When it was sent, and (where the platform says) reached the bank under which reference.
    pub sent: String,
    pub bank_date: String,
    pub bank_reference: String,
    pub state: PayoutState,
    /// The deposit that brought it (in bank), or would (to match).
    pub deposit: String,
    /// `auto` or `chosen`, when in bank.
    pub how: String,
    /// For an ambiguous payout: the deposits that fit.
    pub options: Vec<String>,
}

/// A deposit as bank reconciliation shows it.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DepositLine {
    pub id: String,
    pub date: String,
    pub account: String,
    #[cfg_attr(feature = "typescript", ts(type = "string"))]
    pub currency: Currency,
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub amount: Cents,
    pub reference: String,
    pub description: String,
    pub state: DepositState,
    /// The payout it brought (matched), or would (to match).
    pub payout: String,
    /// Why it is not matching money, as the treasurer wrote it.
    pub note: String,
    /// For an ambiguous deposit: the payouts it fits.
    pub options: Vec<String>,
}

/// Per currency: the bank's side in sums.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct BankRow {
    pub currency: String,
    /// Every deposit.
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub deposits: Cents,
    pub deposit_count: u32,
    /// Deposits that brought a payout.
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub matched: Cents,
    /// Deposits no payout explains (ambiguous ones included), and how many.
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub unexplained: Cents,
    pub unexplained_count: u32,
    /// Deposits marked as not matching money.
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub not_matching: Cents,
    pub not_matching_count: u32,
}

/// The bank's side of the book as of a date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BankView {
    pub window_days: u32,
    pub payouts: Vec<PayoutLine>,
    pub deposits: Vec<DepositLine>,
    pub rows: Vec<BankRow>,
}

impl BankView {
    /// The state of the payout a payment line came in.
    pub fn state_of(&self, payout: &str) -> Option<PayoutState> {
        self.payouts.iter().find(|p| p.payout == payout).map(|p| p.state)
    }

    /// Payout → state, for looking up many lines.
    pub fn states(&self) -> HashMap<&str, PayoutState> {
        self.payouts.iter().map(|p| (p.payout.as_str(), p.state)).collect()
    }
}

/// A payout gathered from its payment lines.
struct Payout {
    key: String,
    payer: String,
    projects: Vec<String>,
    currency: Currency,
    net: Cents,
    lines: u32,
    sent: Date,
    bank_date: Option<Date>,
    bank_reference: String,
    /// Whether its key is a disbursement id (which a statement may quote), not a payment's id.
    disbursement: bool,
}

impl Payout {
    /// The day its deposit is looked for around.
    fn anchor(&self) -> Date {
        self.bank_date.unwrap_or(self.sent)
    }
}

/// Gathers the payment lines into payouts, in order of their first line's date. Lines of one
/// disbursement in different currencies are separate payouts (no single deposit brings them).
fn payouts(payments: &[PaymentRow], names: &[String]) -> Vec<Payout> {
    let name = |id: u32| names.get(id as usize).cloned().unwrap_or_default();
    let mut by_key: HashMap<(&str, Currency), usize> = HashMap::new();
    let mut payouts: Vec<Payout> = Vec::new();
    for p in payments {
        let key = p.payout();
        let i = *by_key.entry((key, p.currency)).or_insert_with(|| {
            payouts.push(Payout {
                key: key.to_string(),
                payer: name(p.payer),
                projects: Vec::new(),
                currency: p.currency,
                net: 0,
                lines: 0,
                sent: p.date,
                bank_date: p.bank_date,
                bank_reference: p.bank_reference.clone(),
                disbursement: !p.disbursement.is_empty(),
            });
            payouts.len() - 1
        });
        let payout = &mut payouts[i];
        payout.net += p.net;
        payout.lines += 1;
        payout.sent = payout.sent.max(p.date);
        if payout.bank_date.is_none() {
            payout.bank_date = p.bank_date;
        }
        if payout.bank_reference.is_empty() {
            payout.bank_reference.clone_from(&p.bank_reference);
        }
        let project = name(p.project);
        if !payout.projects.contains(&project) {
            payout.projects.push(project);
        }
    }
    payouts
}

/// The decisions: which free payout fits which free deposit.
struct Fits {
    /// Payout index → deposit indexes that fit it.
    of_payout: Vec<Vec<usize>>,
    /// Deposit index → payout indexes it fits.
    of_deposit: Vec<Vec<usize>>,
}

fn fits(
    payouts: &[Payout],
    deposits: &[Deposit],
    taken_payouts: &HashSet<usize>,
    taken_deposits: &HashSet<usize>,
    window: u32,
) -> Fits {
    let mut by_amount: HashMap<(Currency, Cents), Vec<usize>> = HashMap::new();
    for (i, d) in deposits.iter().enumerate().filter(|(i, _)| !taken_deposits.contains(i)) {
        by_amount.entry((d.currency, d.amount)).or_default().push(i);
    }
    let window = chrono::Days::new(u64::from(window));
    let mut of_payout = vec![Vec::new(); payouts.len()];
    let mut of_deposit = vec![Vec::new(); deposits.len()];
    for (p, payout) in payouts.iter().enumerate().filter(|(p, _)| !taken_payouts.contains(p)) {
        let Some(same) = by_amount.get(&(payout.currency, payout.net)) else { continue };
        let (from, to) = (payout.anchor() - window, payout.anchor() + window);
        for &d in same {
            if (from..=to).contains(&deposits[d].date) {
                of_payout[p].push(d);
                of_deposit[d].push(p);
            }
        }
    }
    Fits { of_payout, of_deposit }
}

/// Whether the deposit quotes the payout's bank reference or disbursement id.
fn quotes(deposit: &Deposit, payout: &Payout) -> bool {
    let text = format!("{} {}", deposit.reference, deposit.description).to_lowercase();
    let quoted = |needle: &str| !needle.trim().is_empty() && text.contains(&needle.trim().to_lowercase());
    quoted(&payout.bank_reference) || (payout.disbursement && quoted(&payout.key))
}

/// The pairs that decide themselves among the free payouts and deposits: each the other's only
/// fit, or the only fit that quotes the payout's reference. Found again after each round, since a
/// pair taken can leave another pair alone.
fn decided(payouts: &[Payout], deposits: &[Deposit], matches: &[(usize, usize)], window: u32) -> Vec<(usize, usize)> {
    let mut taken_payouts: HashSet<usize> = matches.iter().map(|m| m.0).collect();
    let mut taken_deposits: HashSet<usize> = matches.iter().map(|m| m.1).collect();
    let mut found = Vec::new();
    loop {
        let fits = fits(payouts, deposits, &taken_payouts, &taken_deposits, window);
        let mut round = Vec::new();
        for (p, candidates) in fits.of_payout.iter().enumerate() {
            let quoting: Vec<usize> =
                candidates.iter().copied().filter(|&d| quotes(&deposits[d], &payouts[p])).collect();
            let d = match (candidates.as_slice(), quoting.as_slice()) {
                (_, [d]) => *d,
                ([d], []) => *d,
                _ => continue,
            };
            let rivals: Vec<usize> = fits.of_deposit[d].iter().copied().filter(|&q| q != p).collect();
            // A deposit that names another payout is never taken by this one for want of others.
            if !quotes(&deposits[d], &payouts[p]) && rivals.iter().any(|&q| quotes(&deposits[d], &payouts[q])) {
                continue;
            }
            // The deposit fits no other payout; or it is this payout's only way into the bank and
            // every other payout it fits has another; or it quotes this payout's reference alone.
            let alone = rivals.is_empty();
            let forced = candidates.len() == 1 && rivals.iter().all(|&q| fits.of_payout[q].len() > 1);
            let only_quoted =
                quotes(&deposits[d], &payouts[p]) && !rivals.iter().any(|&q| quotes(&deposits[d], &payouts[q]));
            if alone || forced || only_quoted {
                round.push((p, d));
            }
        }
        round.retain({
            let mut seen = HashSet::new();
            move |&(_, d)| seen.insert(d)
        });
        if round.is_empty() {
            return found;
        }
        for &(p, d) in &round {
            taken_payouts.insert(p);
            taken_deposits.insert(d);
        }
        found.extend(round);
    }
}

/// The book's payouts and deposits, and the matches kept.
struct Loaded {
    payouts: Vec<Payout>,
    deposits: Vec<Deposit>,
    matches: Vec<BankMatch>,
}

fn load(store: &mut Store) -> Result<Loaded, StoreError> {
    store.prune_bank_matches()?;
    let (names, _) = store.names_and_people()?;
    let payments = store.payments_by_date()?;
    Ok(Loaded { payouts: payouts(&payments, &names), deposits: store.deposits()?, matches: store.bank_matches()? })
}

/// What [`auto_match`] did.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct BankOutcome {
    pub matched: u32,
    pub ambiguous: u32,
}

/// Matches every payout and deposit that decide themselves (see the module's doc). Running it
/// again changes nothing.
pub fn auto_match(store: &mut Store, window_days: u32) -> Result<BankOutcome, StoreError> {
    if store.counts()?.iter().all(|(k, n)| k.name() != "deposits" || *n == 0) {
        return Ok(BankOutcome::default());
    }
    let loaded = load(store)?;
    let kept = kept_pairs(&loaded);
    let new = decided(&loaded.payouts, &loaded.deposits, &kept, window_days);
    if !new.is_empty() {
        store.backup("reconcile")?;
    }
    let pairs: Vec<(&str, &str)> =
        new.iter().map(|&(p, d)| (loaded.deposits[d].id.as_str(), loaded.payouts[p].key.as_str())).collect();
    store.match_deposits(&pairs, "auto")?;
    let view = view_of(&loaded, &[kept, new.clone()].concat(), window_days, None);
    Ok(BankOutcome {
        matched: new.len() as u32,
        ambiguous: view.payouts.iter().filter(|p| p.state == PayoutState::Ambiguous).count() as u32,
    })
}

/// The matches kept in the book, as (payout, deposit) indexes; those naming a payout of another
/// currency than their deposit are left out (they cannot be).
fn kept_pairs(loaded: &Loaded) -> Vec<(usize, usize)> {
    let deposit_at: HashMap<&str, usize> =
        loaded.deposits.iter().enumerate().map(|(i, d)| (d.id.as_str(), i)).collect();
    let mut payout_at: HashMap<(&str, Currency), usize> = HashMap::new();
    for (i, p) in loaded.payouts.iter().enumerate() {
        payout_at.insert((p.key.as_str(), p.currency), i);
    }
    loaded
        .matches
        .iter()
        .filter(|m| m.how != NOT_MATCHING)
        .filter_map(|m| {
            let d = *deposit_at.get(m.deposit.as_str())?;
            let p = *payout_at.get(&(m.payout.as_str(), loaded.deposits[d].currency))?;
            Some((p, d))
        })
        .collect()
}

/// The bank's side as of `as_of`, reading only: what is matched, what would be, what is the
/// treasurer's choice, and what is left.
pub fn bank_view(store: &mut Store, as_of: Date, window_days: u32) -> Result<BankView, StoreError> {
    let loaded = load(store)?;
    let kept = kept_pairs(&loaded);
    Ok(view_of(&loaded, &kept, window_days, Some(as_of)))
}

fn view_of(loaded: &Loaded, kept: &[(usize, usize)], window_days: u32, as_of: Option<Date>) -> BankView {
    let Loaded { payouts, deposits, matches } = loaded;
    let would = decided(payouts, deposits, kept, window_days);
    let how: HashMap<&str, &BankMatch> = matches.iter().map(|m| (m.deposit.as_str(), m)).collect();
    let marked: HashSet<usize> = deposits
        .iter()
        .enumerate()
        .filter(|(_, d)| how.get(d.id.as_str()).is_some_and(|m| m.how == NOT_MATCHING))
        .map(|(i, _)| i)
        .collect();
    let mut taken_payouts: HashSet<usize> = kept.iter().chain(&would).map(|m| m.0).collect();
    let mut taken_deposits: HashSet<usize> = kept.iter().chain(&would).map(|m| m.1).collect();
    taken_deposits.extend(&marked);
    let open = fits(payouts, deposits, &taken_payouts, &taken_deposits, window_days);
    let kept_of_payout: HashMap<usize, usize> = kept.iter().copied().collect();
    let would_of_payout: HashMap<usize, usize> = would.iter().copied().collect();
    let window = chrono::Days::new(u64::from(window_days));

    let mut payout_lines = Vec::with_capacity(payouts.len());
    for (p, payout) in payouts.iter().enumerate() {
        let (state, deposit, options) = if let Some(&d) = kept_of_payout.get(&p) {
            (PayoutState::InBank, deposits[d].id.clone(), Vec::new())
        } else if let Some(&d) = would_of_payout.get(&p) {
            (PayoutState::ToMatch, deposits[d].id.clone(), Vec::new())
        } else if !open.of_payout[p].is_empty() {
            let options = open.of_payout[p].iter().map(|&d| deposits[d].id.clone()).collect();
            (PayoutState::Ambiguous, String::new(), options)
        } else if as_of.is_some_and(|as_of| payout.anchor() + window < as_of) {
            (PayoutState::NotInBank, String::new(), Vec::new())
        } else {
            (PayoutState::Waiting, String::new(), Vec::new())
        };
        let how = how.get(deposit.as_str()).filter(|_| state == PayoutState::InBank).map(|m| m.how.clone());
        payout_lines.push(PayoutLine {
            payout: payout.key.clone(),
            payer: payout.payer.clone(),
            projects: payout.projects.clone(),
            currency: payout.currency,
            net: payout.net,
            lines: payout.lines,
            sent: iso(payout.sent),
            bank_date: payout.bank_date.map(iso).unwrap_or_default(),
            bank_reference: payout.bank_reference.clone(),
            state,
            deposit,
            how: how.unwrap_or_default(),
            options,
        });
    }
    taken_payouts.clear();
    let kept_of_deposit: HashMap<usize, usize> = kept.iter().map(|&(p, d)| (d, p)).collect();
    let would_of_deposit: HashMap<usize, usize> = would.iter().map(|&(p, d)| (d, p)).collect();
    let mut rows: BTreeMap<Currency, BankRow> = BTreeMap::new();
    let mut deposit_lines = Vec::with_capacity(deposits.len());
    for (d, deposit) in deposits.iter().enumerate() {
        let (state, payout, options) = if marked.contains(&d) {
            (DepositState::NotMatching, String::new(), Vec::new())
        } else if let Some(&p) = kept_of_deposit.get(&d) {
            (DepositState::Matched, payouts[p].key.clone(), Vec::new())
        } else if let Some(&p) = would_of_deposit.get(&d) {
            (DepositState::ToMatch, payouts[p].key.clone(), Vec::new())
        } else if !open.of_deposit[d].is_empty() {
            let options = open.of_deposit[d].iter().map(|&p| payouts[p].key.clone()).collect();
            (DepositState::Ambiguous, String::new(), options)
        } else {
            (DepositState::Unexplained, String::new(), Vec::new())
        };
        let row = rows
            .entry(deposit.currency)
            .or_insert_with(|| BankRow { currency: deposit.currency.to_string(), ..Default::default() });
        row.deposits += deposit.amount;
        row.deposit_count += 1;
        match state {
            DepositState::Matched | DepositState::ToMatch => row.matched += deposit.amount,
            DepositState::Ambiguous | DepositState::Unexplained => {
                row.unexplained += deposit.amount;
                row.unexplained_count += 1;
            }
            DepositState::NotMatching => {
                row.not_matching += deposit.amount;
                row.not_matching_count += 1;
            }
        }
        deposit_lines.push(DepositLine {
            id: deposit.id.clone(),
            date: iso(deposit.date),
            account: deposit.account.clone(),
            currency: deposit.currency,
            amount: deposit.amount,
            reference: deposit.reference.clone(),
            description: deposit.description.clone(),
            state,
            payout,
            note: how.get(deposit.id.as_str()).map(|m| m.note.clone()).unwrap_or_default(),
            options,
        });
    }
    BankView { window_days, payouts: payout_lines, deposits: deposit_lines, rows: rows.into_values().collect() }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> Date {
        text.parse().unwrap()
    }

    fn payout(key: &str, net: Cents, sent: &str, reference: &str) -> Payout {
        Payout {
            key: key.into(),
            payer: "Benevity".into(),
            projects: vec!["Lumen".into()],
            currency: "USD".parse().unwrap(),
            net,
            lines: 1,
            sent: day(sent),
            bank_date: None,
            bank_reference: reference.into(),
            disbursement: true,
        }
    }

    fn deposit(id: &str, amount: Cents, date: &str, reference: &str) -> Deposit {
        Deposit {
            id: id.into(),
            date: day(date),
            account: String::new(),
            currency: "USD".parse().unwrap(),
            amount,
            reference: reference.into(),
            description: String::new(),
        }
    }

    #[test]
    fn exact_within_and_outside_the_window() {
        let payouts = [payout("A", 10_000, "2025-03-01", ""), payout("B", 20_000, "2025-03-01", "")];
        let deposits = [deposit("b1", 10_000, "2025-03-11", ""), deposit("b2", 20_000, "2025-03-12", "")];
        assert_eq!(decided(&payouts, &deposits, &[], 10), [(0, 0)]);
        assert_eq!(decided(&payouts, &deposits, &[], 11), [(0, 0), (1, 1)]);
    }

    #[test]
    fn two_deposits_of_one_amount_are_the_treasurers_choice_unless_one_quotes_the_reference() {
        let payouts = [payout("A", 10_000, "2025-03-01", "BANK42")];
        let twins = [deposit("b1", 10_000, "2025-03-02", "x"), deposit("b2", 10_000, "2025-03-03", "y")];
        assert_eq!(decided(&payouts, &twins, &[], 10), []);
        let quoted = [deposit("b1", 10_000, "2025-03-02", "x"), deposit("b2", 10_000, "2025-03-03", "ref bank42")];
        assert_eq!(decided(&payouts, &quoted, &[], 10), [(0, 1)]);
    }

    #[test]
    fn a_deposit_quoting_a_payouts_reference_goes_to_it_even_when_another_has_no_other_way() {
        // A (no reference) fits only b1; B fits b1 and b2, and b1 quotes B's reference: b1 is B's,
        // and A waits for the treasurer rather than take the deposit that names another payout.
        let payouts = [payout("DISB-A", 10_000, "2025-03-01", ""), payout("DISB-B", 10_000, "2025-03-10", "REF2")];
        let deposits = [deposit("b1", 10_000, "2025-03-09", "ACH REF2"), deposit("b2", 10_000, "2025-03-18", "")];
        assert_eq!(decided(&payouts, &deposits, &[], 8), [(1, 0)]);
    }

    #[test]
    fn a_pair_taken_leaves_the_next_alone() {
        // A fits b1 and b2; B fits only b2: B takes b2, which leaves A alone with b1.
        let payouts = [payout("A", 10_000, "2025-03-01", ""), payout("B", 10_000, "2025-03-20", "")];
        let deposits = [deposit("b1", 10_000, "2025-03-05", ""), deposit("b2", 10_000, "2025-03-11", "")];
        assert_eq!(decided(&payouts, &deposits, &[], 10), [(1, 1), (0, 0)]);
    }
}
