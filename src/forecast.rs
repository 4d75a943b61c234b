//! When the money comes: each platform's payout schedule (`platforms.csv`, else a shipped default,
//! else "about 60 days"), every outstanding claim's expected arrival worked out from its status
//! dates and its platform, `report forecast` (money expected per month ahead) and the overdue
//! claims (expected arrival plus a grace passed, nothing received).
//!
//! The dates are pure functions of a claim and a schedule ([`approval`], [`PayoutRule::pays_on`],
//! [`schedule`]); [`claims`] feeds them from the book's results cache.

use crate::model::{Date, EntryKind, Status};
use crate::money::{format_cents, parse_cents, Cents, Currency};
use crate::report::{Cell, Rows};
use crate::store::{iso, Store, StoreError};
use chrono::{Datelike, Days};
use rustc_hash::FxHashMap;
use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

/// How many days after its expected arrival a claim is overdue, unless the caller says.
pub const DEFAULT_GRACE_DAYS: u32 = 30;
/// How many months ahead `report forecast` and the Overview look, unless the caller says.
pub const DEFAULT_MONTHS: u32 = 6;
/// How many overdue claims the Overview lists (the oldest).
pub const OVERDUE_LISTED: usize = 100;

/// A day of the month a payout falls on: a number (clamped to the month's length: 31 is the
/// last day of a short month) or the month's last day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MonthDay {
    Day(u32),
    Last,
}

impl MonthDay {
    /// This day in the month of `year` and `month`.
    fn in_month(self, year: i32, month: u32) -> Date {
        let last = last_day(year, month);
        match self {
            MonthDay::Last => last,
            MonthDay::Day(d) => Date::from_ymd_opt(year, month, d.min(last.day())).expect("a day of the month"),
        }
    }
}

impl fmt::Display for MonthDay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MonthDay::Day(d) => write!(f, "{d}"),
            MonthDay::Last => f.write_str("last"),
        }
    }
}

fn parse_month_day(text: &str) -> Result<MonthDay, String> {
    if text.eq_ignore_ascii_case("last") {
        return Ok(MonthDay::Last);
    }
    match text.parse::<u32>() {
        Ok(d @ 1..=31) => Ok(MonthDay::Day(d)),
        _ => Err(format!("{text:?} is not a day of the month (1 to 31, or last)")),
    }
}

/// The last day of a month.
pub fn last_day(year: i32, month: u32) -> Date {
    let (y, m) = if month == 12 { (year + 1, 1) } else { (year, month + 1) };
    Date::from_ymd_opt(y, m, 1).and_then(|d| d.pred_opt()).expect("dates in range")
}

/// The year and month `k` months after `date`'s.
fn months_after(date: Date, k: u32) -> (i32, u32) {
    let index = date.year() * 12 + date.month0() as i32 + k as i32;
    (index.div_euclid(12), index.rem_euclid(12) as u32 + 1)
}

/// When a platform pays a claim's money once it is approved: the `payout` column of
/// `platforms.csv`. One of:
///
/// - `days:N`: N days after approval (`days:60`, the rule of a platform Matchbook knows nothing of).
/// - `month+K:D`: on day D (1 to 31, clamped to the month's length, or `last`) of the K-th month after
///   the month of approval: `month+1:last` pays a month's approved money in the last days of the
///   next month (Benevity), `month+1:15` on the 15th of the next (Network for Good), `month+2:15`
///   mid-month two months on (Bright Funds' matches). With K = 0, a day already past pays the next
///   month's.
/// - `monthly:D cutoff:C`: one payout a month on day D, of the money approved up to day C of that
///   month; money approved after day C waits for the next month's (PayPal Giving Fund:
///   `monthly:25 cutoff:15`). `monthly:D` alone is `monthly:D cutoff:D`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PayoutRule {
    Days(u32),
    MonthAfter { months: u32, day: MonthDay },
    Monthly { day: MonthDay, cutoff: MonthDay },
}

/// `day` of the month `months` after `approved`'s, or of the month after that when it falls
/// before `approved` (money is not paid before it is approved).
fn day_on_or_after(approved: Date, months: u32, day: MonthDay) -> Date {
    let (y, m) = months_after(approved, months);
    let date = day.in_month(y, m);
    if date < approved {
        let (y, m) = months_after(approved, months + 1);
        day.in_month(y, m)
    } else {
        date
    }
}

impl PayoutRule {
    /// The rule of a platform no row and no shipped default describes.
    pub const UNKNOWN: PayoutRule = PayoutRule::Days(60);

    /// The day money approved on `approved` is paid, before any minimum payout holds it.
    pub fn pays_on(self, approved: Date) -> Date {
        match self {
            PayoutRule::Days(n) => approved + Days::new(n.into()),
            PayoutRule::MonthAfter { months, day } => day_on_or_after(approved, months, day),
            PayoutRule::Monthly { day, cutoff } => {
                let cut = cutoff.in_month(approved.year(), approved.month());
                day_on_or_after(approved, if approved <= cut { 0 } else { 1 }, day)
            }
        }
    }

    /// The rule in words, for explanations.
    pub fn describe(self) -> String {
        match self {
            PayoutRule::Days(n) => format!("pays {n} days after approval"),
            PayoutRule::MonthAfter { months: 0, day } => format!("pays on day {day} of the month of approval"),
            PayoutRule::MonthAfter { months: 1, day } => {
                format!("pays a month's approved money on day {day} of the next month")
            }
            PayoutRule::MonthAfter { months, day } => {
                format!("pays a month's approved money on day {day} of the {months}th month after")
            }
            PayoutRule::Monthly { day, cutoff } => {
                format!("pays monthly on day {day} what was approved by day {cutoff} of that month")
            }
        }
    }
}

impl fmt::Display for PayoutRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PayoutRule::Days(n) => write!(f, "days:{n}"),
            PayoutRule::MonthAfter { months, day } => write!(f, "month+{months}:{day}"),
            PayoutRule::Monthly { day, cutoff } if day == cutoff => write!(f, "monthly:{day}"),
            PayoutRule::Monthly { day, cutoff } => write!(f, "monthly:{day} cutoff:{cutoff}"),
        }
    }
}

impl FromStr for PayoutRule {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        let t = text.trim().to_ascii_lowercase();
        let bad = || {
            format!(
                "{text:?} is not a payout rule (days:N, month+K:D, monthly:D or monthly:D cutoff:C; D a day or last)"
            )
        };
        let mut words = t.split_whitespace();
        let first = words.next().ok_or_else(bad)?;
        let rest: Vec<&str> = words.collect();
        let (name, value) = first.split_once(':').ok_or_else(bad)?;
        let rule = if name == "days" {
            match value.parse::<u32>() {
                Ok(n @ 0..=3650) => PayoutRule::Days(n),
                _ => return Err(format!("{value:?} is not a number of days from 0 to 3650")),
            }
        } else if let Some(k) = name.strip_prefix("month+") {
            let months = match k.parse::<u32>() {
                Ok(k @ 0..=24) => k,
                _ => return Err(format!("{k:?} is not a number of months from 0 to 24")),
            };
            PayoutRule::MonthAfter { months, day: parse_month_day(value)? }
        } else if name == "monthly" {
            let day = parse_month_day(value)?;
            let cutoff = match rest.as_slice() {
                [] => day,
                [c] => parse_month_day(c.strip_prefix("cutoff:").ok_or_else(bad)?)?,
                _ => return Err(bad()),
            };
            return Ok(PayoutRule::Monthly { day, cutoff });
        } else {
            return Err(bad());
        };
        if !rest.is_empty() {
            return Err(bad());
        }
        Ok(rule)
    }
}

/// The least a platform pays out: a project's balance below it is held, until it reaches it or,
/// with `days`, until its oldest claim has waited that many days after approval. The amount is in
/// the claim's currency. Written `45.00` or `45.00 or 365 days`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MinimumPayout {
    pub amount: Cents,
    pub days: Option<u32>,
}

impl fmt::Display for MinimumPayout {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", format_cents(self.amount))?;
        if let Some(days) = self.days {
            write!(f, " or {days} days")?;
        }
        Ok(())
    }
}

impl FromStr for MinimumPayout {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        let t = text.trim().to_ascii_lowercase();
        let bad = || format!("{text:?} is not a minimum payout like 45.00 or 45.00 or 365 days");
        let (amount, days) = match t.split_once(" or ") {
            Some((a, d)) => {
                let d = d.trim().strip_suffix("days").or_else(|| d.trim().strip_suffix("day")).ok_or_else(bad)?;
                let days = d.trim().parse::<u32>().map_err(|_| bad())?;
                if days == 0 || days > 3650 {
                    return Err(bad());
                }
                (a.trim(), Some(days))
            }
            None => (t.as_str(), None),
        };
        let amount = parse_cents(amount).map_err(|e| format!("{e}"))?;
        Ok(MinimumPayout { amount, days })
    }
}

/// A platform's schedule: a row of `platforms.csv`, or a shipped default.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PlatformRow {
    /// As programs name it in their `platform` column (compared case-insensitively).
    pub name: String,
    /// Days between a claim's submission and its approval.
    pub review_days: String,
    /// A [`PayoutRule`].
    pub payout: String,
    /// A [`MinimumPayout`], or empty.
    pub minimum_payout: String,
    /// What one payout by check costs (money, or empty); shown, not forecast.
    pub check_fee: String,
    /// Where the figures come from.
    pub notes: String,
}

/// Where a platform's schedule came from.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ScheduleSource {
    /// A row of the book's `platforms.csv`.
    Book,
    /// Matchbook's shipped default of that name.
    Shipped,
    /// Nothing describes it: about 60 days.
    Unknown,
}

/// A platform's schedule, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Platform {
    pub name: String,
    pub review_days: u32,
    pub payout: PayoutRule,
    pub minimum: Option<MinimumPayout>,
    pub check_fee: Option<Cents>,
    pub notes: String,
    pub source: ScheduleSource,
}

impl Platform {
    /// Checks a row; or the column at fault and why.
    pub fn from_row(row: &PlatformRow, source: ScheduleSource) -> Result<Platform, (&'static str, String)> {
        let name = row.name.trim();
        if name.is_empty() {
            return Err(("name", "needs a value".into()));
        }
        let review_days = match row.review_days.trim() {
            "" => 0,
            t => match t.parse::<u32>() {
                Ok(n @ 0..=3650) => n,
                _ => return Err(("review_days", format!("{t:?} is not a number of days from 0 to 3650"))),
            },
        };
        let payout = match row.payout.trim() {
            "" => return Err(("payout", "needs a value (days:60 if unsure)".into())),
            t => t.parse().map_err(|e| ("payout", e))?,
        };
        let minimum = match row.minimum_payout.trim() {
            "" => None,
            t => Some(t.parse().map_err(|e| ("minimum_payout", e))?),
        };
        let check_fee = match row.check_fee.trim() {
            "" => None,
            t => Some(parse_cents(t).map_err(|e| ("check_fee", e.to_string()))?),
        };
        Ok(Platform {
            name: name.to_string(),
            review_days,
            payout,
            minimum,
            check_fee,
            notes: row.notes.trim().to_string(),
            source,
        })
    }

    /// The row as `platforms.csv` writes it.
    pub fn row(&self) -> PlatformRow {
        PlatformRow {
            name: self.name.clone(),
            review_days: self.review_days.to_string(),
            payout: self.payout.to_string(),
            minimum_payout: self.minimum.map(|m| m.to_string()).unwrap_or_default(),
            check_fee: self.check_fee.map(format_cents).unwrap_or_default(),
            notes: self.notes.clone(),
        }
    }

    /// The schedule of a platform nothing describes.
    pub fn unknown(name: &str) -> Platform {
        Platform {
            name: name.to_string(),
            review_days: 0,
            payout: PayoutRule::UNKNOWN,
            minimum: None,
            check_fee: None,
            notes: "no schedule known: about 60 days after submission; give it a row in platforms.csv \
                    (or the Programs screen) to change it"
                .into(),
            source: ScheduleSource::Unknown,
        }
    }
}

/// How platforms are compared: trimmed, case-insensitive.
pub fn platform_key(name: &str) -> String {
    name.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// The shipped defaults, as `platforms.csv` rows would give them: name, review days, payout,
/// minimum payout, check fee, notes. Each is a claim to check with the platform: see
/// docs/ledger-format.md, "Platform schedules", for the help pages they come from.
pub const SHIPPED: &[(&str, &str, &str, &str, &str, &str)] = &[
    (
        "Benevity",
        "28",
        "month+1:last",
        "",
        "",
        "Benevity's Causes help, 'What are period end dates': a month's donations are paid around the last \
         week of the following month. Review of 2-4 weeks (up to 6) for volunteer rewards: from Matchbook's \
         issue, unverified",
    ),
    (
        "Bright Funds",
        "15",
        "month+2:15",
        "",
        "",
        "Bright Funds help, 'Donation timelines for U.S.-based nonprofits': a match approved in January is \
         sent mid-March. Review of 15 days: its example (submitted Jan 15, approved Jan 30)",
    ),
    (
        "PayPal Giving Fund",
        "0",
        "monthly:25 cutoff:15",
        "",
        "",
        "PayPal help, 'When and how will my charity get paid?': paid on or before the 25th, donations of the \
         16th of the previous month to the 15th of this one (enrolled charities)",
    ),
    (
        "Network for Good",
        "0",
        "month+1:15",
        "",
        "",
        "Network for Good help, 'How does my organization get paid?': a month's donations are disbursed on \
         the 15th of the next month",
    ),
    (
        "Millie",
        "0",
        "month+1:last",
        "45.00 or 365 days",
        "",
        "Millie support, 'Donation processing': paid at the end of each month once the balance passes $45, \
         else after 365 days; matches approved in a month are processed on the 1st of the next (finance help \
         hub). Its FAQ says $50: check which applies",
    ),
];

/// The schedules a book uses: its own rows, then the shipped defaults, then "about 60 days".
#[derive(Debug, Clone, Default)]
pub struct Schedules {
    by_key: FxHashMap<String, Platform>,
}

impl Schedules {
    /// The shipped defaults, overridden by `rows` (the book's, already checked) of the same name.
    pub fn new(rows: impl IntoIterator<Item = Platform>) -> Schedules {
        let mut by_key = FxHashMap::default();
        for platform in shipped() {
            by_key.insert(platform_key(&platform.name), platform);
        }
        for platform in rows {
            by_key.insert(platform_key(&platform.name), platform);
        }
        Schedules { by_key }
    }

    /// The book's schedules.
    pub fn of_book(store: &Store) -> Result<Schedules, StoreError> {
        Ok(Schedules::new(store.platforms()?))
    }

    /// The schedule of the platform a program names; "about 60 days" if nothing describes it.
    pub fn get(&self, name: &str) -> Platform {
        self.by_key.get(&platform_key(name)).cloned().unwrap_or_else(|| Platform::unknown(name.trim()))
    }

    /// Every schedule described (the book's and the shipped ones), by name.
    pub fn all(&self) -> Vec<Platform> {
        let mut all: Vec<Platform> = self.by_key.values().cloned().collect();
        all.sort_by_key(|p| platform_key(&p.name));
        all
    }
}

/// The shipped defaults, checked.
pub fn shipped() -> Vec<Platform> {
    SHIPPED
        .iter()
        .map(|(name, review, payout, minimum, fee, notes)| {
            let row = PlatformRow {
                name: name.to_string(),
                review_days: review.to_string(),
                payout: payout.to_string(),
                minimum_payout: minimum.to_string(),
                check_fee: fee.to_string(),
                notes: notes.to_string(),
            };
            Platform::from_row(&row, ScheduleSource::Shipped).expect("shipped schedules are valid")
        })
        .collect()
}

/// What an outstanding claim's arrival is worked out from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Claim {
    pub status: Status,
    /// The entry's own date.
    pub date: Date,
    pub submitted_on: Option<Date>,
    pub approved_on: Option<Date>,
}

/// How a claim's approval day was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Approval {
    /// Approved on its `approved_on`.
    Approved(Date),
    /// Approved, with no `approved_on`: the entry's date stands for it.
    ApprovedUndated(Date),
    /// Submitted on its `submitted_on`; approved after the platform's review days.
    Submitted { submitted: Date, approved: Date },
    /// Submitted, with no `submitted_on`: from the entry's date, after the review days.
    SubmittedUndated { submitted: Date, approved: Date },
}

impl Approval {
    /// The (expected) day of approval.
    pub fn day(self) -> Date {
        match self {
            Approval::Approved(d) | Approval::ApprovedUndated(d) => d,
            Approval::Submitted { approved, .. } | Approval::SubmittedUndated { approved, .. } => approved,
        }
    }
}

/// The day a claim is (or is expected to be) approved: `None` for a claim not outstanding
/// (logged: it needs submitting first; paid or rejected: nothing more comes).
pub fn approval(claim: &Claim, review_days: u32) -> Option<Approval> {
    match claim.status {
        Status::Approved => Some(match claim.approved_on {
            Some(d) => Approval::Approved(d),
            None => Approval::ApprovedUndated(claim.date),
        }),
        Status::Submitted => {
            let after = |d: Date| d + Days::new(review_days.into());
            Some(match claim.submitted_on {
                Some(submitted) => Approval::Submitted { submitted, approved: after(submitted) },
                None => Approval::SubmittedUndated { submitted: claim.date, approved: after(claim.date) },
            })
        }
        Status::Logged | Status::Paid | Status::Rejected => None,
    }
}

/// Whether a payout was held by the platform's minimum.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hold {
    /// Paid on its rule's day.
    None,
    /// Held until the project's balance reached the minimum, on this payout day.
    UntilMinimum,
    /// Held, the minimum not reached, until its oldest claim had waited the minimum's days.
    UntilDays,
    /// Below the minimum with nothing after it to reach it and no limit of days: expected on its
    /// rule's day, but the platform may hold it longer.
    BelowMinimum,
}

/// When each of a project's outstanding claims on one platform, in one currency, arrives:
/// `claims` are (approval day, net); the result is (expected arrival, hold), in the same order.
///
/// Without a minimum each is paid on its rule's day. With one, the payout days are taken in order
/// and the money due on each adds to what is held; once what is held reaches the minimum, it is all
/// paid that day. With the minimum's days, what is held is paid (on the first payout day, or the
/// day itself) once its oldest claim has waited that many days since approval.
pub fn schedule(platform: &Platform, claims: &[(Date, Cents)]) -> Vec<(Date, Hold)> {
    let due: Vec<Date> = claims.iter().map(|(approved, _)| platform.payout.pays_on(*approved)).collect();
    let Some(minimum) = platform.minimum.filter(|m| m.amount > 0) else {
        return due.into_iter().map(|d| (d, Hold::None)).collect();
    };
    let mut order: Vec<usize> = (0..claims.len()).collect();
    order.sort_by_key(|&i| (due[i], claims[i].0));
    let mut out = vec![(Date::MIN, Hold::None); claims.len()];
    let mut held: Vec<usize> = Vec::new();
    let mut balance: Cents = 0;
    let limit = |held: &[usize]| -> Option<Date> {
        let days = minimum.days?;
        let oldest = held.iter().map(|&i| claims[i].0).min()?;
        Some(oldest + Days::new(days.into()))
    };
    let mut start = 0;
    while start < order.len() {
        let day = due[order[start]];
        let mut end = start;
        while end < order.len() && due[order[end]] == day {
            end += 1;
        }
        // What waited too long goes before this payout day's money joins it.
        if let Some(by) = limit(&held).filter(|by| *by < day) {
            for &i in &held {
                out[i] = (by, Hold::UntilDays);
            }
            held.clear();
            balance = 0;
        }
        for &i in &order[start..end] {
            held.push(i);
            balance += claims[i].1;
        }
        if balance >= minimum.amount {
            for &i in &held {
                // This payout day's own claims are paid on their day; those carried, held.
                let hold = if order[start..end].contains(&i) { Hold::None } else { Hold::UntilMinimum };
                out[i] = (day, hold);
            }
            held.clear();
            balance = 0;
        }
        start = end;
    }
    match limit(&held) {
        Some(by) => {
            for &i in &held {
                out[i] = (by.max(due[i]), Hold::UntilDays);
            }
        }
        None => {
            for &i in &held {
                out[i] = (due[i], Hold::BelowMinimum);
            }
        }
    }
    out
}

/// An outstanding claim's expected arrival.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Arrival {
    pub approval: Approval,
    /// The rule's day, before any minimum held it.
    pub due: Date,
    pub expected: Date,
    pub hold: Hold,
}

/// Whether a claim expected on `expected` is overdue on `as_of`: more than `grace` days have
/// passed since (on the grace's last day it is not yet).
pub fn is_overdue(expected: Date, as_of: Date, grace: u32) -> bool {
    as_of > expected + Days::new(grace.into())
}

/// How an arrival was worked out, a step a line.
pub fn explain_arrival(platform: &Platform, arrival: &Arrival) -> Vec<String> {
    let mut steps = Vec::new();
    let source = match platform.source {
        ScheduleSource::Book => "the book's platforms.csv".to_string(),
        ScheduleSource::Shipped => "Matchbook's shipped default, to check with the platform".to_string(),
        ScheduleSource::Unknown => "no schedule known for it: about 60 days".to_string(),
    };
    steps.push(format!("platform {} ({source})", platform.name));
    match arrival.approval {
        Approval::Approved(d) => steps.push(format!("approved on {} (its approved_on)", iso(d))),
        Approval::ApprovedUndated(d) => {
            steps.push(format!("approved, with no approved_on: the entry's date {} stands for it", iso(d)))
        }
        Approval::Submitted { submitted, approved } => steps.push(format!(
            "submitted on {} (its submitted_on); reviewed in {} days: approved about {}",
            iso(submitted),
            platform.review_days,
            iso(approved)
        )),
        Approval::SubmittedUndated { submitted, approved } => steps.push(format!(
            "submitted, with no submitted_on: from the entry's date {}; reviewed in {} days: approved about {}",
            iso(submitted),
            platform.review_days,
            iso(approved)
        )),
    }
    steps.push(
        format!("{} ({}): {}", platform.name, platform.payout, platform.payout.describe())
            + &format!(" -> {}", iso(arrival.due)),
    );
    if let Some(m) = platform.minimum {
        steps.push(match arrival.hold {
            Hold::None => format!("minimum payout {m}: reached"),
            Hold::UntilMinimum => {
                format!("minimum payout {m}: the project's balance reaches it on {}", iso(arrival.expected))
            }
            Hold::UntilDays => format!(
                "minimum payout {m}: not reached; paid once the oldest claim held has waited: {}",
                iso(arrival.expected)
            ),
            Hold::BelowMinimum => format!("minimum payout {m}: not reached; the platform may hold it longer"),
        });
    }
    steps.push(format!("expected by {}", iso(arrival.expected)));
    steps
}

/// An outstanding claim (one award of a submitted or approved entry that earns money) and its
/// expected arrival.
#[derive(Debug, Clone)]
pub struct ForecastClaim {
    pub kind: EntryKind,
    pub entry_rid: i64,
    pub program_rid: Option<i64>,
    pub project: u32,
    pub employer: Option<u32>,
    pub contributor: u32,
    pub currency: Currency,
    pub status: Status,
    /// What arrives: expected less the fee.
    pub net: Cents,
    /// The index of its platform in [`Forecast::platforms`].
    pub platform: u32,
    pub arrival: Arrival,
}

/// Every outstanding claim with its expected arrival, and the platforms they go through.
pub struct Forecast {
    pub platforms: Vec<Platform>,
    pub claims: Vec<ForecastClaim>,
}

/// Works out every outstanding claim's arrival from the results cache (as of `as_of`), the
/// entries' status dates and the programs' platforms.
pub fn claims(store: &mut Store, as_of: Date) -> Result<Forecast, StoreError> {
    store.refresh_results(as_of)?;
    let schedules = Schedules::of_book(store)?;
    let mut platforms: Vec<Platform> = Vec::new();
    let mut platform_of_program: FxHashMap<i64, u32> = FxHashMap::default();
    let mut index_of: FxHashMap<String, u32> = FxHashMap::default();
    for (rid, name) in store.program_platforms()? {
        let key = platform_key(&name);
        let index = *index_of.entry(key).or_insert_with(|| {
            platforms.push(schedules.get(&name));
            platforms.len() as u32 - 1
        });
        platform_of_program.insert(rid, index);
    }
    let dates = store.outstanding_status_dates()?;
    let mut claims: Vec<ForecastClaim> = Vec::new();
    store.for_each_award(None, None, |a| {
        if !matches!(a.status, Status::Submitted | Status::Approved) {
            return Ok(());
        }
        let net = a.expected - a.fee;
        let Some(program_rid) = a.program_rid.filter(|_| net > 0) else { return Ok(()) };
        // Every program of a fresh cache is the book's.
        let Some(&platform) = platform_of_program.get(&program_rid) else { return Ok(()) };
        let (submitted_on, approved_on) = dates.get(&(a.kind, a.entry_rid)).copied().unwrap_or((None, None));
        let claim = Claim { status: a.status, date: a.date, submitted_on, approved_on };
        let Some(approval) = approval(&claim, platforms.get(platform as usize).map_or(0, |p| p.review_days)) else {
            return Ok(());
        };
        claims.push(ForecastClaim {
            kind: a.kind,
            entry_rid: a.entry_rid,
            program_rid: Some(program_rid),
            project: a.project,
            employer: a.employer,
            contributor: a.contributor,
            currency: a.currency,
            status: a.status,
            net,
            platform,
            arrival: Arrival { approval, due: approval.day(), expected: approval.day(), hold: Hold::None },
        });
        Ok(())
    })?;
    // Platforms without a minimum pay each claim on its day; those with one, per project and currency.
    let mut groups: FxHashMap<(u32, u32, Currency), Vec<usize>> = FxHashMap::default();
    for (i, c) in claims.iter_mut().enumerate() {
        let platform = &platforms[c.platform as usize];
        if platform.minimum.is_some() {
            groups.entry((c.platform, c.project, c.currency)).or_default().push(i);
        } else {
            let due = platform.payout.pays_on(c.arrival.approval.day());
            c.arrival.due = due;
            c.arrival.expected = due;
        }
    }
    for ((platform, _, _), members) in groups {
        let platform = &platforms[platform as usize];
        let input: Vec<(Date, Cents)> =
            members.iter().map(|&i| (claims[i].arrival.approval.day(), claims[i].net)).collect();
        for (&i, (expected, hold)) in members.iter().zip(schedule(platform, &input)) {
            let c = &mut claims[i];
            c.arrival.due = platform.payout.pays_on(c.arrival.approval.day());
            c.arrival.expected = expected;
            c.arrival.hold = hold;
        }
    }
    Ok(Forecast { platforms, claims })
}

/// How an entry's money is expected to arrive, a line a step, for `explain`: one block per
/// award of an outstanding entry, or why none is expected.
pub fn explain_entry(
    store: &mut Store,
    kind: EntryKind,
    rid: i64,
    status: Status,
    as_of: Date,
) -> Result<Vec<String>, StoreError> {
    match status {
        Status::Logged => {
            return Ok(vec!["none expected: the claim is logged, not yet submitted on the employer's platform".into()])
        }
        Status::Paid => return Ok(vec!["none expected: paid".into()]),
        Status::Rejected => return Ok(vec!["none expected: rejected".into()]),
        Status::Submitted | Status::Approved => {}
    }
    let forecast = claims(store, as_of)?;
    let mut lines = Vec::new();
    for c in forecast.claims.iter().filter(|c| c.kind == kind && c.entry_rid == rid) {
        let platform = &forecast.platforms[c.platform as usize];
        lines.push(format!("{} {} net", format_cents(c.net), c.currency));
        lines.extend(explain_arrival(platform, &c.arrival).into_iter().map(|l| format!("  {l}")));
        let overdue_on = c.arrival.expected + Days::new(DEFAULT_GRACE_DAYS.into());
        if as_of > overdue_on {
            lines.push(format!("  overdue since {} ({DEFAULT_GRACE_DAYS} days' grace)", iso(overdue_on)));
        }
    }
    if lines.is_empty() {
        lines.push("none expected: no program pays this entry anything".into());
    }
    Ok(lines)
}

/// A platform's schedule as the Programs screen shows it.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PlatformView {
    pub row: PlatformRow,
    pub source: ScheduleSource,
    /// The payout rule in words.
    pub rule: String,
    /// How many program versions name it.
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub programs: usize,
}

/// Every schedule the book may use: its own rows, the shipped defaults, and the platforms its
/// programs name that nothing describes (about 60 days), by name.
pub fn platform_views(store: &Store) -> Result<Vec<PlatformView>, StoreError> {
    let schedules = Schedules::of_book(store)?;
    let mut used: FxHashMap<String, (String, usize)> = FxHashMap::default();
    for (_, name) in store.program_platforms()? {
        let entry = used.entry(platform_key(&name)).or_insert_with(|| (name.trim().to_string(), 0));
        entry.1 += 1;
    }
    let mut all = schedules.all();
    for (key, (name, _)) in &used {
        if !all.iter().any(|p| platform_key(&p.name) == *key) && !name.is_empty() {
            all.push(Platform::unknown(name));
        }
    }
    all.sort_by_key(|p| platform_key(&p.name));
    Ok(all
        .into_iter()
        .map(|p| PlatformView {
            programs: used.get(&platform_key(&p.name)).map_or(0, |u| u.1),
            rule: p.payout.describe(),
            source: p.source,
            row: p.row(),
        })
        .collect())
}

/// How `report forecast` groups its rows first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ForecastBy {
    Month,
    Project,
    Platform,
}

/// A claim's month in the forecast: `late` (expected before the report date, not yet received),
/// `YYYY-MM` (the report date's month and the `months - 1` after it), or `later`.
fn bucket(expected: Date, as_of: Date, months: u32) -> String {
    if expected < as_of {
        return "late".into();
    }
    let index = |d: Date| d.year() * 12 + d.month0() as i32;
    if index(expected) - index(as_of) >= months as i32 {
        return "later".into();
    }
    crate::report::month_key(expected)
}

/// The order of buckets: late, the months, later.
fn bucket_rank(bucket: &str) -> (u8, &str) {
    match bucket {
        "late" => (0, ""),
        "later" => (2, ""),
        m => (1, m),
    }
}

/// `report forecast`: the money of outstanding claims expected per month (from the report date's,
/// `months` of them), per project (or platform) and currency.
pub struct ForecastTable {
    columns: Vec<String>,
    rows: Vec<Vec<Cell>>,
}

impl Rows for ForecastTable {
    fn columns(&self) -> &[String] {
        &self.columns
    }

    fn each_row(&self, f: &mut dyn FnMut(&[Cell]) -> std::io::Result<()>) -> std::io::Result<()> {
        self.rows.iter().try_for_each(|row| f(row))
    }
}

/// The rows of `report forecast`.
pub fn forecast(store: &mut Store, by: ForecastBy, months: u32, as_of: Date) -> Result<ForecastTable, StoreError> {
    let forecast = claims(store, as_of)?;
    let (names, _) = store.names_and_people()?;
    // (bucket, group, currency) -> (claims, net)
    let mut sums: FxHashMap<(String, u32, Currency), (i64, Cents)> = FxHashMap::default();
    let mut bucket_of: FxHashMap<Date, String> = FxHashMap::default();
    for c in &forecast.claims {
        let b = bucket_of.entry(c.arrival.expected).or_insert_with(|| bucket(c.arrival.expected, as_of, months));
        let group = if by == ForecastBy::Platform { c.platform } else { c.project };
        let s = sums.entry((b.clone(), group, c.currency)).or_default();
        s.0 += 1;
        s.1 += c.net;
    }
    let group_name = |g: u32| -> String {
        if by == ForecastBy::Platform {
            forecast.platforms.get(g as usize).map(|p| p.name.clone()).unwrap_or_default()
        } else {
            names.get(g as usize).cloned().unwrap_or_default()
        }
    };
    let mut rows: Vec<(String, String, String, i64, Cents)> =
        sums.into_iter().map(|((b, g, cur), (n, net))| (b, group_name(g), cur.to_string(), n, net)).collect();
    match by {
        ForecastBy::Month => rows.sort_by(|a, b| {
            (bucket_rank(&a.0), a.1.to_lowercase(), &a.2).cmp(&(bucket_rank(&b.0), b.1.to_lowercase(), &b.2))
        }),
        ForecastBy::Project | ForecastBy::Platform => rows.sort_by(|a, b| {
            (a.1.to_lowercase(), bucket_rank(&a.0), &a.2).cmp(&(b.1.to_lowercase(), bucket_rank(&b.0), &b.2))
        }),
    }
    let group = if by == ForecastBy::Platform { "platform" } else { "project" };
    let columns: Vec<String> = match by {
        ForecastBy::Month => vec!["month", group, "currency", "claims", "expected_net"],
        _ => vec![group, "month", "currency", "claims", "expected_net"],
    }
    .into_iter()
    .map(String::from)
    .collect();
    let rows = rows
        .into_iter()
        .map(|(b, g, cur, n, net)| {
            let (first, second) = if by == ForecastBy::Month { (b, g) } else { (g, b) };
            vec![Cell::Text(first), Cell::Text(second), Cell::Text(cur.clone()), Cell::Int(n), Cell::Amount(net, cur)]
        })
        .collect();
    Ok(ForecastTable { columns, rows })
}

/// An outstanding claim past its expected arrival and the grace.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct OverdueItem {
    pub id: String,
    pub kind: EntryKind,
    pub status: Status,
    pub contributor: String,
    pub project: String,
    pub employer: String,
    pub platform: String,
    pub expected: String,
    /// Days since the expected arrival.
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub days_late: i64,
    pub currency: String,
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub at_stake: Cents,
    /// What to do: ask the contributor (not approved yet) or ask the platform (approved, not paid).
    pub action: String,
}

/// The overdue claims: at most a limit of them, and how many and how much in all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Overdue {
    /// Oldest expected arrival first.
    pub items: Vec<OverdueItem>,
    pub count: usize,
    /// The money at stake per currency.
    pub at_stake: BTreeMap<String, Cents>,
}

/// The overdue claims as of `as_of`, oldest expected arrival first; at most `limit` listed.
pub fn overdue(store: &mut Store, as_of: Date, grace: u32, limit: usize) -> Result<Overdue, StoreError> {
    let forecast = claims(store, as_of)?;
    overdue_of(store, &forecast, as_of, grace, limit)
}

/// [`overdue`] of claims already worked out.
pub fn overdue_of(
    store: &Store,
    forecast: &Forecast,
    as_of: Date,
    grace: u32,
    limit: usize,
) -> Result<Overdue, StoreError> {
    let mut late: Vec<&ForecastClaim> =
        forecast.claims.iter().filter(|c| is_overdue(c.arrival.expected, as_of, grace)).collect();
    let mut at_stake: BTreeMap<String, Cents> = BTreeMap::new();
    for c in &late {
        *at_stake.entry(c.currency.to_string()).or_default() += c.net;
    }
    let count = late.len();
    late.sort_by_key(|c| (c.arrival.expected, c.kind, c.entry_rid));
    late.truncate(limit);
    let ids = store.entry_ids(&late.iter().map(|c| (c.kind, c.entry_rid)).collect::<Vec<_>>())?;
    let (names, people) = store.names_and_people()?;
    let name = |id: Option<u32>| id.and_then(|i| names.get(i as usize)).cloned().unwrap_or_default();
    let items = late
        .into_iter()
        .zip(ids)
        .map(|(c, id)| {
            let platform = &forecast.platforms[c.platform as usize];
            let employer = name(c.employer);
            let contributor = people.get(c.contributor as usize).map(|p| p.name.clone()).unwrap_or_default();
            let who = if employer.is_empty() { "the employer" } else { &employer };
            // An employer that pays directly is asked itself; there is no platform to name.
            let direct = platform.name.eq_ignore_ascii_case("direct");
            let action = match (c.status, direct) {
                (Status::Submitted, false) => {
                    format!("ask {contributor} whether {who} approved the claim on {}", platform.name)
                }
                (Status::Submitted, true) => format!("ask {contributor} whether {who} approved the claim"),
                (_, false) => format!("ask {} when it pays this approved claim", platform.name),
                (_, true) => format!("ask {who} when it pays this approved claim"),
            };
            OverdueItem {
                id,
                kind: c.kind,
                status: c.status,
                contributor,
                project: name(Some(c.project)),
                employer,
                platform: platform.name.clone(),
                expected: iso(c.arrival.expected),
                days_late: (as_of - c.arrival.expected).num_days(),
                currency: c.currency.to_string(),
                at_stake: c.net,
                action,
            }
        })
        .collect();
    Ok(Overdue { items, count, at_stake })
}

/// The overdue claims as a report's rows.
pub fn overdue_table(items: &[OverdueItem]) -> crate::report::Table {
    let columns = [
        "id",
        "kind",
        "status",
        "contributor",
        "project",
        "platform",
        "expected",
        "days_late",
        "currency",
        "at_stake",
        "action",
    ];
    crate::report::Table {
        columns: columns.iter().map(|c| c.to_string()).collect(),
        rows: items
            .iter()
            .map(|o| {
                vec![
                    Cell::Text(o.id.clone()),
                    Cell::Text(o.kind.name().into()),
                    Cell::Text(o.status.name().into()),
                    Cell::Text(o.contributor.clone()),
                    Cell::Text(o.project.clone()),
                    Cell::Text(o.platform.clone()),
                    Cell::Text(o.expected.clone()),
                    Cell::Int(o.days_late),
                    Cell::Text(o.currency.clone()),
                    Cell::Amount(o.at_stake, o.currency.clone()),
                    Cell::Text(o.action.clone()),
                ]
            })
            .collect(),
    }
}

/// Expected arrivals of one month and currency beside what arrived in it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct ForecastMonth {
    /// `YYYY-MM`, or `late` (expected before the report date, not received).
    pub month: String,
    pub currency: String,
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub expected: Cents,
    /// Employers' money received in the month (payments of type match).
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub arrived: Cents,
}

/// The Overview's months: the `back` months before the report date's with what arrived, then
/// `late`, then the report date's month and `ahead - 1` after with what is expected (and what
/// arrived so far this month).
pub fn months_around(
    store: &mut Store,
    as_of: Date,
    back: u32,
    ahead: u32,
    forecast: &Forecast,
) -> Result<Vec<ForecastMonth>, StoreError> {
    // Past months (0), then `late` (1), then the report date's month and after (2).
    let mut sums: BTreeMap<((u8, String), String), (Cents, Cents)> = BTreeMap::new();
    for c in &forecast.claims {
        let b = bucket(c.arrival.expected, as_of, ahead);
        if b == "later" {
            continue;
        }
        let rank = if b == "late" { 1 } else { 2 };
        sums.entry(((rank, b), c.currency.to_string())).or_default().0 += c.net;
    }
    let start = as_of.year() * 12 + as_of.month0() as i32 - back as i32;
    let from = Date::from_ymd_opt(start.div_euclid(12), start.rem_euclid(12) as u32 + 1, 1).expect("a month");
    let this = crate::report::month_key(as_of);
    for (month, currency, net) in store.received_matches_by_month(from, as_of)? {
        let rank = if month < this { 0 } else { 2 };
        sums.entry(((rank, month), currency.to_string())).or_default().1 += net;
    }
    Ok(sums
        .into_iter()
        .map(|(((_, month), currency), (expected, arrived))| ForecastMonth { month, currency, expected, arrived })
        .collect())
}

#[cfg(test)]
mod tests;
