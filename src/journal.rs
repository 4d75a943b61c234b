//! The book as a plain-text accounting journal, for hledger or beancount, so that a treasurer's
//! own books can include it.
//!
//! Accrual, per project and currency (the currency is the commodity):
//! - each expected claim (an entry's award that earns more than 0) is income when earned and a
//!   receivable until paid; the platform's fee on it is an expense:
//!   `Assets:Receivable:Matching:P +net`, `Expenses:Fees:Matching:P +fee`, `Income:Matching:P −expected`;
//! - employer money the payer sent settles the claim and is owed by the payer until it is in the
//!   bank: `Assets:Receivable:Platforms:Payer +net`, `Assets:Receivable:Matching:P −net`;
//! - a donor's own gift is income of its own, owed by the payer the same way:
//!   `Assets:Receivable:Platforms:Payer +net`, `Expenses:Fees:Gifts:P +fees`, `Income:Gifts:P −gross`;
//! - a deposit on the bank statement that brought a payout (matched `auto` or `chosen`) moves the
//!   money into the bank: `Assets:Bank:Account +amount`, `Assets:Receivable:Platforms:Payer −amount`;
//!   one marked not matching money is `Income:Other −amount`, and one no payout explains (yet)
//!   `Equity:Unreconciled −amount`, so that the bank account always holds every deposit.
//!
//! So over any period the balances are `report expected`'s figures: `Income:Matching:P` is
//! −expected, `Expenses:Fees:Matching:P` the fees, `Assets:Receivable:Matching:P` outstanding, and
//! the postings to it of the transactions tagged `payment` −received. A payer's receivable is what
//! it sent that the bank has not shown yet. Each transaction carries the entry, payment or deposit
//! id and the contributor as tags (hledger) or metadata (beancount).

use crate::model::EntryKind;
use crate::model::{iso, Date, Funds};
use crate::money::{format_cents, format_hours, Cents, Currency};
use crate::store::{BankMatch, Store, StoreError, NOT_MATCHING};
use std::collections::{BTreeSet, HashMap};
use std::fmt::Write;

#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Flavour {
    Hledger,
    Beancount,
}

impl Flavour {
    pub fn name(self) -> &'static str {
        match self {
            Flavour::Hledger => "hledger",
            Flavour::Beancount => "beancount",
        }
    }
}

/// One transaction before it is written.
struct Transaction {
    date: Date,
    payee: String,
    narration: String,
    /// (key, value) pairs: tags or metadata.
    meta: Vec<(&'static str, String)>,
    /// (account, amount); they sum to zero.
    postings: Vec<(String, Cents)>,
    currency: String,
}

/// The book as a journal as of `as_of` (which decides what has expired).
pub fn journal(store: &mut Store, flavour: Flavour, as_of: Date) -> Result<String, StoreError> {
    store.refresh_results(as_of)?;
    let (names, people) = store.names_and_people()?;
    let name = |id: Option<i64>| id.and_then(|i| names.get(i as usize)).cloned().unwrap_or_default();
    let person = |id: Option<i64>| {
        id.and_then(|i| people.get(i as usize))
            .map(|p| if p.name.is_empty() { p.email.clone() } else { p.name.clone() })
            .unwrap_or_default()
    };
    let mut accounts = AccountNames::default();
    let mut transactions = Vec::new();
    // Claims as transactions, in order of date and entry id: the ids are found once all claims
    // are known (one pass over each table rather than a lookup per claim).
    let programs = store.program_names_by_rid()?;
    let mut claims: Vec<(Transaction, u32)> = Vec::new();
    let mut entries: Vec<(EntryKind, i64)> = Vec::new();
    store.for_each_award(None, None, |a| {
        if a.expected <= 0 {
            return Ok(());
        }
        let kind = a.kind.name();
        let what = match a.kind {
            EntryKind::Hours => format!("{} h", format_hours(a.hours)),
            EntryKind::Donation => format!("gift {}", format_cents(a.gift)),
        };
        let program = a.program_rid.and_then(|rid| programs.get(&rid)).cloned().unwrap_or_default();
        let transaction = Transaction {
            date: a.date,
            payee: person(Some(a.contributor.into())),
            narration: format!("{kind} {what}, {program}"),
            meta: vec![
                ("entry", String::new()),
                ("contributor", person(Some(a.contributor.into()))),
                ("employer", name(a.employer.map(i64::from))),
                ("program", program),
            ],
            // Accounts named below.
            postings: vec![(String::new(), a.expected - a.fee), (String::new(), a.fee), (String::new(), -a.expected)],
            currency: a.currency.to_string(),
        };
        claims.push((transaction, a.project));
        entries.push((a.kind, a.entry_rid));
        Ok(())
    })?;
    for ((transaction, _), id) in claims.iter_mut().zip(store.entry_ids(&entries)?) {
        transaction.meta[0].1 = id;
    }
    drop(entries);
    claims.sort_by(|(a, _), (b, _)| (a.date, &a.meta[0].1).cmp(&(b.date, &b.meta[0].1)));
    for (mut transaction, project) in claims {
        let project = accounts.project(&name(Some(project.into())));
        let accounts = ["Assets:Receivable:Matching", "Expenses:Fees:Matching", "Income:Matching"];
        for ((account, _), prefix) in transaction.postings.iter_mut().zip(accounts) {
            *account = format!("{prefix}:{project}");
        }
        transactions.push(transaction);
    }
    let payments = store.payments_by_date()?;
    // A payout's payer, as bank reconciliation names it: its first line's (lines of one payout in
    // different currencies are separate payouts).
    let mut payer_of: HashMap<(String, Currency), u32> = HashMap::new();
    for payment in &payments {
        payer_of.entry((payment.payout().to_string(), payment.currency)).or_insert(payment.payer);
    }
    for payment in payments {
        let project = accounts.project(&name(Some(payment.project.into())));
        let payer = name(Some(payment.payer.into()));
        let owed = format!("Assets:Receivable:Platforms:{}", accounts.payer(&payer));
        let (gross, fees, net) = (payment.gross, payment.fees, payment.net);
        let gift = payment.funds == Funds::Gift;
        let postings = if gift {
            vec![
                (owed, net),
                (format!("Expenses:Fees:Gifts:{project}"), fees),
                (format!("Income:Gifts:{project}"), -gross),
            ]
        } else {
            vec![(owed, net), (format!("Assets:Receivable:Matching:{project}"), -net)]
        };
        transactions.push(Transaction {
            date: payment.date,
            payee: payer,
            narration: format!(
                "{} {}{}",
                if gift { "donor gift" } else { "payment" },
                payment.reference,
                if gross != net {
                    format!(" (gross {}, fees {})", format_cents(gross), format_cents(fees))
                } else {
                    String::new()
                }
            ),
            meta: vec![
                ("payment", payment.id.clone()),
                ("contributor", person(payment.contributor.map(i64::from))),
                ("employer", name(payment.employer.map(i64::from))),
                ("disbursement", payment.disbursement.clone()),
                ("gift_date", payment.gift_date.map(iso).unwrap_or_default()),
                ("bank_date", payment.bank_date.map(iso).unwrap_or_default()),
                ("bank_reference", payment.bank_reference.clone()),
            ],
            postings,
            currency: payment.currency.to_string(),
        });
    }
    // Every deposit is in the bank; what it is decides the other side.
    let matches: HashMap<String, BankMatch> =
        store.bank_matches()?.into_iter().map(|m| (m.deposit.clone(), m)).collect();
    for deposit in store.deposits()? {
        let bank = format!("Assets:Bank:{}", accounts.bank(&deposit.account));
        let matched = matches.get(&deposit.id);
        // A match names a payout of the deposit's currency, or it is none (as bank reconciliation
        // reads it: a payout gone since, or in another currency, brought nothing).
        let payer = matched.filter(|m| m.how != NOT_MATCHING).and_then(|m| {
            payer_of.get(&(m.payout.clone(), deposit.currency)).map(|&payer| (m, name(Some(payer.into()))))
        });
        let mut meta = vec![("deposit", deposit.id.clone()), ("reference", deposit.reference.clone())];
        let (payee, narration, other) = if let Some((m, payer)) = payer {
            meta.push(("payout", m.payout.clone()));
            meta.push(("matched", m.how.clone()));
            let other = format!("Assets:Receivable:Platforms:{}", accounts.payer(&payer));
            (payer, format!("payout {} in the bank", m.payout), other)
        } else if let Some(m) = matched.filter(|m| m.how == NOT_MATCHING) {
            meta.push(("note", m.note.clone()));
            let narration = if m.note.is_empty() {
                "not matching money".to_string()
            } else {
                format!("not matching money: {}", m.note)
            };
            (deposit.description.clone(), narration, "Income:Other".to_string())
        } else {
            let narration = "deposit no payout explains yet".to_string();
            (deposit.description.clone(), narration, "Equity:Unreconciled".to_string())
        };
        transactions.push(Transaction {
            date: deposit.date,
            payee,
            narration,
            meta,
            postings: vec![(bank, deposit.amount), (other, -deposit.amount)],
            currency: deposit.currency.to_string(),
        });
    }
    transactions.sort_by_key(|t| t.date);
    Ok(write(flavour, &transactions))
}

fn write(flavour: Flavour, transactions: &[Transaction]) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "; Matchbook's book as a {} journal: claims as receivables, fees as", flavour.name());
    let _ = writeln!(out, "; expenses, payments owed by their payer until the bank shows them, deposits in");
    let _ = writeln!(out, "; the bank, per project and currency. Generated; do not edit.");
    out.push('\n');
    if flavour == Flavour::Beancount {
        // Beancount wants every account opened, and every commodity it sees declared or not.
        let accounts: BTreeSet<&str> =
            transactions.iter().flat_map(|t| t.postings.iter().map(|(a, _)| a.as_str())).collect();
        let first = transactions.first().map_or_else(|| "1970-01-01".to_string(), |t| iso(t.date));
        for account in accounts {
            let _ = writeln!(out, "{first} open {account}");
        }
        out.push('\n');
    }
    for t in transactions {
        let date = iso(t.date);
        match flavour {
            Flavour::Hledger => {
                let tags: Vec<String> = t
                    .meta
                    .iter()
                    .filter(|(_, v)| !v.is_empty())
                    .map(|(k, v)| format!("{k}:{}", hledger_text(v)))
                    .collect();
                let _ = writeln!(
                    out,
                    "{date} {} | {}  ; {}",
                    hledger_text(&t.payee),
                    hledger_text(&t.narration),
                    tags.join(", ")
                );
            }
            Flavour::Beancount => {
                let _ = writeln!(out, "{date} * \"{}\" \"{}\"", beancount_text(&t.payee), beancount_text(&t.narration));
                for (k, v) in t.meta.iter().filter(|(_, v)| !v.is_empty()) {
                    let _ = writeln!(out, "  {k}: \"{}\"", beancount_text(v));
                }
            }
        }
        for (account, cents) in &t.postings {
            let _ = writeln!(out, "  {account}  {} {}", format_cents(*cents), t.currency);
        }
        out.push('\n');
    }
    out
}

/// Names (of projects, payers, bank accounts) as account components both tools accept: ASCII
/// letters, digits and dashes, starting with a capital or digit. A name that reads the same so
/// (but for letter case, which never tells names apart) is its own account; any other gets a
/// suffix made from the name itself: unique, and the same however many names the book holds or in
/// which order they came.
#[derive(Default)]
struct AccountNames {
    by_name: HashMap<(&'static str, String), String>,
}

impl AccountNames {
    fn project(&mut self, project: &str) -> String {
        self.component(project, "Project")
    }

    fn payer(&mut self, payer: &str) -> String {
        self.component(payer, "Payer")
    }

    /// A deposit's bank account; a statement that names none is `Unnamed-account` (a lowercase
    /// word that no other name becomes, see [`account_component`]).
    fn bank(&mut self, account: &str) -> String {
        if account.trim().is_empty() {
            return "Unnamed-account".to_string();
        }
        self.component(account, "Account")
    }

    fn component(&mut self, name: &str, fallback: &'static str) -> String {
        self.by_name.entry((fallback, name.to_string())).or_insert_with(|| account_component(name, fallback)).clone()
    }
}

#[cfg(test)]
fn project_account(project: &str) -> String {
    account_component(project, "Project")
}

/// See [`AccountNames`]. Accents and compatibility forms (fullwidth letters) become their plain
/// letters first, so that the account still reads as the name; a name with no letter or digit is
/// `fallback` with its suffix.
fn account_component(name: &str, fallback: &str) -> String {
    use unicode_normalization::{char::is_combining_mark, UnicodeNormalization};
    let plain: String = name.nfkd().filter(|c| !is_combining_mark(*c)).collect();
    let words: Vec<String> = plain
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut chars = w.chars();
            let first = chars.next().expect("not empty").to_ascii_uppercase();
            std::iter::once(first).chain(chars).collect()
        })
        .collect();
    let base = if words.is_empty() { fallback.to_string() } else { words.join("-") };
    if base.eq_ignore_ascii_case(name) {
        return base;
    }
    // Eight lowercase letters: a name kept as it is never ends in such a word (its words start
    // with a capital or a digit), so the two kinds of account cannot meet.
    let mut hash = {
        let mut h = crate::model::StableHash::new();
        h.eat(name.as_bytes());
        h.finish()
    };
    let suffix: String = (0..8)
        .map(|_| {
            let letter = (b'a' + (hash % 26) as u8) as char;
            hash /= 26;
            letter
        })
        .collect();
    format!("{base}-{suffix}")
}

/// hledger ends a description at `;`, a payee at `|` and a tag value at `,`.
fn hledger_text(text: &str) -> String {
    text.replace([';', '|', ','], " ").replace('\n', " ")
}

fn beancount_text(text: &str) -> String {
    text.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn project_names_become_account_components() {
        let suffixed = |account: &str, base: &str| {
            let suffix = account.strip_prefix(base).and_then(|s| s.strip_prefix('-')).unwrap_or("");
            suffix.len() == 8 && suffix.bytes().all(|b| b.is_ascii_lowercase())
        };
        assert_eq!(project_account("Open-Science-Lab"), "Open-Science-Lab");
        assert_eq!(project_account("3d-printing"), "3d-Printing");
        assert!(suffixed(&project_account("Open Science Lab"), "Open-Science-Lab"));
        assert!(suffixed(&project_account("open science lab!"), "Open-Science-Lab"));
        assert!(suffixed(&project_account("Café ∆"), "Cafe"));
        assert!(suffixed(&project_account("∆"), "Project"));
        assert!(suffixed(&project_account("Ｌumen"), "Lumen"), "{}", project_account("Ｌumen"));
    }

    /// The names a tester's probe found colliding or misleading: each project its own account,
    /// the project named "Lumen-2" the account Lumen-2, whatever else the book holds.
    #[test]
    fn accounts_are_unique_and_stable_whatever_else_the_book_holds() {
        let names = ["Lumen!", "Lumen-2", "Lumen\u{202E}", "Lumen", "Ｌumen", "lumen 2"];
        let accounts: Vec<String> = names.iter().map(|n| project_account(n)).collect();
        assert_eq!(accounts[1], "Lumen-2");
        assert_eq!(accounts[3], "Lumen");
        let distinct: BTreeSet<&String> = accounts.iter().collect();
        assert_eq!(distinct.len(), names.len(), "{accounts:?}");
        // In any order, with any other projects, each name gets the same account.
        let mut in_reverse = AccountNames::default();
        for (name, account) in names.iter().zip(&accounts).rev() {
            assert_eq!(&in_reverse.project("Another"), "Another");
            assert_eq!(&in_reverse.project(name), account);
        }
    }

    /// Payers and bank accounts are named as projects are; a statement that names no account has
    /// an account of its own that no named one becomes.
    #[test]
    fn payers_and_bank_accounts_become_account_components() {
        let mut names = AccountNames::default();
        assert_eq!(names.payer("Benevity"), "Benevity");
        assert!(names.payer("Tailspin Toys").starts_with("Tailspin-Toys-"));
        assert_eq!(names.bank("000012345678"), "000012345678");
        assert_eq!(names.bank(""), "Unnamed-account");
        for named in ["Unnamed-account", "Unnamed account", "unnamed-account", "Unnamed"] {
            assert_ne!(names.bank(named), "Unnamed-account", "{named}");
        }
    }
}
