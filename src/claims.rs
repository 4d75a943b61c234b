//! Claim reminders (`report claims`, the app's Reminders): per contributor, what is still `logged`
//! and worth money (which platform, which employer's program, by which deadline, how many hours or
//! which gifts, how much the employer will pay), and what was submitted but is still not approved
//! after the platform's review time; and the texts that ask them to act: an email (as an RFC 5322
//! `.eml` file and a `mailto:` link) and a printable statement. Matchbook sends nothing.
//!
//! Claims are read from the results cache (the awards `report due` reads), grouped by contributor,
//! project, program version, deadline and currency, so that one line says "14.5 hours for Lumen in
//! 2026, 362.50 USD from Microsoft if submitted on Benevity by 2027-03-31".

use crate::model::{iso, name_key, Date, EntryKind, Status, LAST_DATE};
use crate::money::{format_cents, format_hours, Cents, Currency, Hours};
use crate::report::{Cell, Rows};
use crate::rules::Reason;
use crate::store::{Store, StoreError};
use rustc_hash::FxHashMap;
use std::collections::HashMap;
use std::fmt::Write as _;

/// The review time of a platform not otherwise known: "about 60 days" (issue 17).
pub const DEFAULT_REVIEW_DAYS: u32 = 60;

/// The days a platform takes between a submission and its approval, by platform name.
pub type ReviewDays<'a> = &'a dyn Fn(&str) -> u32;

/// The fewest days a claim waits for approval before it is called late: a platform that approves
/// at once (a review of 0 days) still takes days to show it.
pub const MIN_REVIEW_DAYS: u32 = 7;

/// Every platform's review time as [`DEFAULT_REVIEW_DAYS`].
pub fn default_review_days(_platform: &str) -> u32 {
    DEFAULT_REVIEW_DAYS
}

/// The book's review times: each platform's schedule (the book's `platforms.csv`, else the shipped
/// default: see [`crate::forecast::Schedules`]), at least [`MIN_REVIEW_DAYS`]; a platform nothing
/// describes, [`DEFAULT_REVIEW_DAYS`].
pub fn book_review_days(store: &Store) -> Result<impl Fn(&str) -> u32, StoreError> {
    let schedules = crate::forecast::Schedules::of_book(store)?;
    Ok(move |platform: &str| {
        let schedule = schedules.get(platform);
        match schedule.source {
            crate::forecast::ScheduleSource::Unknown => DEFAULT_REVIEW_DAYS,
            _ => schedule.review_days.max(MIN_REVIEW_DAYS),
        }
    })
}

/// What a claim waits for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum ClaimState {
    /// Still `logged`: the contributor must submit it on the platform.
    ToSubmit,
    /// `submitted` longer ago than the platform's review time, and not approved.
    AwaitingApproval,
}

impl ClaimState {
    pub fn name(self) -> &'static str {
        match self {
            ClaimState::ToSubmit => "to submit",
            ClaimState::AwaitingApproval => "awaiting approval",
        }
    }
}

/// One entry of a claim (filled in only when asked: see [`Options::entries`]).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct ClaimEntry {
    pub id: String,
    pub date: String,
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub hours: Hours,
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub gift: Cents,
}

/// One contributor's entries for one project under one program version, deadline and currency,
/// in one state.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct Claim {
    pub contributor: String,
    /// Empty when the book knows none.
    pub email: String,
    pub state: ClaimState,
    pub kind: EntryKind,
    pub project: String,
    pub employer: String,
    pub program: String,
    pub platform: String,
    /// The claim deadline; none when the program sets none.
    pub deadline: Option<String>,
    #[cfg_attr(feature = "typescript", ts(type = "number | null"))]
    pub days_left: Option<i64>,
    /// For a claim awaiting approval: the earliest day its entries were submitted, and that day
    /// plus the platform's review time.
    pub submitted_on: Option<String>,
    pub review_due: Option<String>,
    pub first_date: String,
    pub last_date: String,
    pub entries: u32,
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub hours: Hours,
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub gifts: Cents,
    pub currency: String,
    /// What the employer pays, and the platform's fee out of it.
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub expected: Cents,
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub fee: Cents,
    /// The entries, in date order, when [`Options::entries`] asked for them.
    pub entry_list: Vec<ClaimEntry>,
}

impl Claim {
    /// The day that orders claims: the deadline to submit, or the day approval was due.
    fn urgency(&self) -> &str {
        match self.state {
            ClaimState::ToSubmit => self.deadline.as_deref().unwrap_or("9999-12-31"),
            ClaimState::AwaitingApproval => self.review_due.as_deref().unwrap_or(""),
        }
    }

    /// What the project receives: the employer's payment less the platform's fee.
    pub fn net(&self) -> Cents {
        self.expected - self.fee
    }
}

/// Which claims `report claims` lists.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// A contributor's name or email (either as any of their rows writes it, in any case).
    pub contributor: Option<String>,
    /// Only claims to submit whose deadline falls within this many days of the report date
    /// (claims awaiting approval are late already, and always listed).
    pub within: Option<u32>,
    /// Whether each claim lists its entries (ids, dates, hours and gifts).
    pub entries: bool,
}

/// `report claims`: the claims, soonest first, then the most money first.
pub fn claims(
    store: &mut Store,
    as_of: Date,
    options: &Options,
    review_days: ReviewDays,
) -> Result<Claims, StoreError> {
    store.refresh_results(as_of)?;
    let (names, people) = store.names_and_people()?;
    let wanted: Option<Vec<bool>> = options.contributor.as_ref().map(|who| {
        let key = name_key(who);
        people
            .iter()
            .map(|p| name_key(&p.name) == key || (!p.email.is_empty() && p.email.to_lowercase() == key))
            .collect()
    });
    let programs = store.program_platforms_by_rid()?;
    let horizon = options.within.map_or(LAST_DATE, |d| as_of + chrono::Days::new(d.into()));
    // An entry can be overdue for approval only if submitted at least the shortest review time ago.
    let shortest_review = programs.values().map(|(_, platform)| review_days(platform)).min().unwrap_or(0);
    let submitted_until = as_of - chrono::Days::new(u64::from(shortest_review) + 1);
    let submitted: [FxHashMap<i64, Date>; 2] = [
        store.submitted_on_until(EntryKind::Hours, submitted_until)?,
        store.submitted_on_until(EntryKind::Donation, submitted_until)?,
    ];
    let review: HashMap<i64, u32> = programs.iter().map(|(rid, (_, platform))| (*rid, review_days(platform))).collect();

    #[derive(Hash, PartialEq, Eq)]
    struct Key {
        contributor: u32,
        state: ClaimState,
        kind: EntryKind,
        project: u32,
        employer: Option<u32>,
        program: Option<i64>,
        deadline: Option<Date>,
        currency: Currency,
    }
    struct Sums {
        first: Date,
        last: Date,
        submitted: Option<Date>,
        entries: u32,
        hours: Hours,
        gifts: Cents,
        expected: Cents,
        fee: Cents,
        rids: Vec<(EntryKind, i64, Date, Hours, Cents)>,
    }
    let mut groups: FxHashMap<Key, Sums> = FxHashMap::default();
    // An entry's hours and gift come on its first award of a currency only (see CachedAward).
    let mut last_entry: (EntryKind, i64, Hours, Cents) = (EntryKind::Hours, -1, 0, 0);
    store.for_each_award(None, None, |a| {
        if (a.kind, a.entry_rid) != (last_entry.0, last_entry.1) {
            last_entry = (a.kind, a.entry_rid, a.hours, a.gift);
        }
        if a.expected <= 0 || wanted.as_ref().is_some_and(|w| !w.get(a.contributor as usize).copied().unwrap_or(false))
        {
            return Ok(());
        }
        let (state, submitted_on) = match a.status {
            Status::Logged if !a.has(Reason::Expired) => {
                if a.deadline.is_some_and(|d| d > horizon) || (options.within.is_some() && a.deadline.is_none()) {
                    return Ok(());
                }
                (ClaimState::ToSubmit, None)
            }
            Status::Submitted => {
                let Some(&on) = submitted[matches!(a.kind, EntryKind::Donation) as usize].get(&a.entry_rid) else {
                    return Ok(());
                };
                let days = a.program_rid.and_then(|rid| review.get(&rid)).copied().unwrap_or(DEFAULT_REVIEW_DAYS);
                if on + chrono::Days::new(days.into()) >= as_of {
                    return Ok(());
                }
                (ClaimState::AwaitingApproval, Some(on))
            }
            _ => return Ok(()),
        };
        let key = Key {
            contributor: a.contributor,
            state,
            kind: a.kind,
            project: a.project,
            employer: a.employer,
            program: a.program_rid,
            deadline: a.deadline,
            currency: a.currency,
        };
        let sums = groups.entry(key).or_insert(Sums {
            first: a.date,
            last: a.date,
            submitted: submitted_on,
            entries: 0,
            hours: 0,
            gifts: 0,
            expected: 0,
            fee: 0,
            rids: Vec::new(),
        });
        sums.first = sums.first.min(a.date);
        sums.last = sums.last.max(a.date);
        sums.submitted = match (sums.submitted, submitted_on) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        sums.entries += 1;
        sums.hours += last_entry.2;
        sums.gifts += last_entry.3;
        sums.expected += a.expected;
        sums.fee += a.fee;
        if options.entries {
            sums.rids.push((a.kind, a.entry_rid, a.date, last_entry.2, last_entry.3));
        }
        Ok(())
    })?;

    let name = |id: Option<u32>| id.and_then(|i| names.get(i as usize)).cloned().unwrap_or_default();
    let mut list = Vec::with_capacity(groups.len());
    for (key, sums) in groups {
        let person = people.get(key.contributor as usize);
        let (program, platform) = key.program.and_then(|rid| programs.get(&rid)).cloned().unwrap_or_default();
        let entry_list = if options.entries {
            let ids = store.entry_ids(&sums.rids.iter().map(|r| (r.0, r.1)).collect::<Vec<_>>())?;
            let mut entries: Vec<ClaimEntry> = (sums.rids.iter().zip(ids))
                .map(|(r, id)| ClaimEntry { id, date: iso(r.2), hours: r.3, gift: r.4 })
                .collect();
            entries.sort_by(|a, b| (&a.date, &a.id).cmp(&(&b.date, &b.id)));
            entries
        } else {
            Vec::new()
        };
        let review_due = match (key.state, sums.submitted) {
            (ClaimState::AwaitingApproval, Some(on)) => {
                let days = key.program.and_then(|rid| review.get(&rid)).copied().unwrap_or(DEFAULT_REVIEW_DAYS);
                Some(iso(on + chrono::Days::new(days.into())))
            }
            _ => None,
        };
        list.push(Claim {
            contributor: person.map(|p| p.name.clone()).unwrap_or_default(),
            email: person.map(|p| p.email.clone()).unwrap_or_default(),
            state: key.state,
            kind: key.kind,
            project: name(Some(key.project)),
            employer: name(key.employer),
            program,
            platform,
            deadline: key.deadline.map(iso),
            days_left: key.deadline.map(|d| (d - as_of).num_days()),
            submitted_on: sums.submitted.map(iso),
            review_due,
            first_date: iso(sums.first),
            last_date: iso(sums.last),
            entries: sums.entries,
            hours: sums.hours,
            gifts: sums.gifts,
            currency: key.currency.to_string(),
            expected: sums.expected,
            fee: sums.fee,
            entry_list,
        });
    }
    list.sort_by(|a, b| {
        (a.urgency(), std::cmp::Reverse(a.expected), &a.contributor, &a.project, &a.program, a.state, &a.currency).cmp(
            &(b.urgency(), std::cmp::Reverse(b.expected), &b.contributor, &b.project, &b.program, b.state, &b.currency),
        )
    });
    Ok(Claims { columns: COLUMNS.iter().map(|c| c.to_string()).collect(), claims: list })
}

const COLUMNS: [&str; 17] = [
    "contributor",
    "email",
    "state",
    "kind",
    "project",
    "employer",
    "program",
    "platform",
    "deadline",
    "days_left",
    "submitted_on",
    "entries",
    "hours",
    "gifts",
    "currency",
    "expected",
    "net",
];

/// The lines of `report claims`.
pub struct Claims {
    columns: Vec<String>,
    pub claims: Vec<Claim>,
}

impl Claims {
    /// The claims by contributor (name and email), each contributor where their first claim is.
    pub fn by_contributor(&self) -> Vec<ContributorClaims> {
        let mut order: Vec<ContributorClaims> = Vec::new();
        let mut index: HashMap<(&str, &str), usize> = HashMap::new();
        for c in &self.claims {
            let i = *index.entry((&c.contributor, &c.email)).or_insert_with(|| {
                order.push(ContributorClaims {
                    contributor: c.contributor.clone(),
                    email: c.email.clone(),
                    claims: Vec::new(),
                });
                order.len() - 1
            });
            order[i].claims.push(c.clone());
        }
        order
    }
}

impl Rows for Claims {
    fn columns(&self) -> &[String] {
        &self.columns
    }

    fn each_row(&self, f: &mut dyn FnMut(&[Cell]) -> std::io::Result<()>) -> std::io::Result<()> {
        let text = |t: &Option<String>| Cell::Text(t.clone().unwrap_or_default());
        for c in &self.claims {
            f(&[
                Cell::Text(c.contributor.clone()),
                Cell::Text(c.email.clone()),
                Cell::Text(c.state.name().into()),
                Cell::Text(c.kind.name().into()),
                Cell::Text(c.project.clone()),
                Cell::Text(c.employer.clone()),
                Cell::Text(c.program.clone()),
                Cell::Text(c.platform.clone()),
                text(&c.deadline),
                c.days_left.map_or(Cell::Text(String::new()), Cell::Int),
                text(&c.submitted_on),
                Cell::Int(c.entries.into()),
                Cell::Hours(c.hours),
                Cell::Amount(c.gifts, c.currency.clone()),
                Cell::Text(c.currency.clone()),
                Cell::Amount(c.expected, c.currency.clone()),
                Cell::Amount(c.net(), c.currency.clone()),
            ])?;
        }
        Ok(())
    }
}

/// One contributor's claims, as one email or statement tells them.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct ContributorClaims {
    pub contributor: String,
    pub email: String,
    pub claims: Vec<Claim>,
}

/// Who writes the reminders: the From of the emails and the signature; may be empty.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct Sender {
    pub name: String,
    pub email: String,
}

/// A reminder email: To, Subject and a plain-text body (lines end with `\n`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct Email {
    pub to_name: String,
    pub to: String,
    pub subject: String,
    pub body: String,
}

/// Hours as a person says them: 14.5, 3, 1.25.
pub fn spoken_hours(hours: Hours) -> String {
    let text = format_hours(hours);
    let text = text.trim_end_matches('0');
    text.trim_end_matches('.').to_string()
}

fn money(cents: Cents, currency: &str) -> String {
    format!("{} {currency}", format_cents(cents))
}

/// "a", "a and b", "a, b and c".
fn joined(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [only] => only.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// The sums of `claims` per currency, in order of first appearance: "362.50 USD and 40.00 EUR".
fn totals<'a>(claims: impl Iterator<Item = &'a Claim>) -> String {
    let mut sums: Vec<(String, Cents)> = Vec::new();
    for c in claims {
        match sums.iter_mut().find(|(cur, _)| *cur == c.currency) {
            Some((_, sum)) => *sum += c.expected,
            None => sums.push((c.currency.clone(), c.expected)),
        }
    }
    joined(&sums.iter().map(|(cur, sum)| money(*sum, cur)).collect::<Vec<_>>())
}

fn distinct<'a>(items: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for item in items {
        if !item.is_empty() && !out.iter().any(|o| o == item) {
            out.push(item.to_string());
        }
    }
    out
}

/// "in 2026", or "from 2025-07-01 to 2026-06-30".
fn when(c: &Claim) -> String {
    if c.first_date[..4] == c.last_date[..4] {
        format!("in {}", &c.first_date[..4])
    } else {
        format!("from {} to {}", c.first_date, c.last_date)
    }
}

/// What was given: "14.5 hours" or "2 gifts (500.00 USD)".
fn given(c: &Claim) -> String {
    match c.kind {
        EntryKind::Hours => format!("{} hours", spoken_hours(c.hours)),
        EntryKind::Donation if c.entries == 1 => format!("a gift of {}", money(c.gifts, &c.currency)),
        EntryKind::Donation => format!("{} gifts ({} in all)", c.entries, money(c.gifts, &c.currency)),
    }
}

fn payer(c: &Claim) -> &str {
    if c.employer.is_empty() {
        "Your employer"
    } else {
        &c.employer
    }
}

fn platform(c: &Claim) -> &str {
    if c.platform.is_empty() {
        "your employer's giving platform"
    } else {
        &c.platform
    }
}

/// The sentence of one claim.
fn sentence(c: &Claim, as_of: Date) -> String {
    let program = if c.program.is_empty() { String::new() } else { format!(" ({})", c.program) };
    match c.state {
        ClaimState::ToSubmit => {
            let by = match (&c.deadline, c.days_left) {
                (Some(d), Some(0)) => format!(" by {d}, today"),
                (Some(d), Some(1)) => format!(" by {d}, tomorrow"),
                (Some(d), Some(n)) => format!(" by {d}, in {n} days"),
                _ => String::new(),
            };
            format!(
                "You gave {} {} {}. {}{program} will pay {} for them if you submit them on {}{by}.",
                c.project,
                given(c),
                when(c),
                payer(c),
                money(c.expected, &c.currency),
                platform(c),
            )
        }
        ClaimState::AwaitingApproval => {
            let day = |d: &Option<String>| d.as_deref().and_then(|d| crate::ledger::parse_date(d).ok());
            let (on, due) = (day(&c.submitted_on), day(&c.review_due));
            let since = on.map_or(0, |on| (as_of - on).num_days());
            let review = on.zip(due).map_or(0, |(on, due)| (due - on).num_days());
            format!(
                "You submitted {} for {} (given {}) on {} on {}. It is not approved yet, {since} days later, \
                 while {} usually approves within {review} days; {}{program} would pay {} for it. Could you look \
                 at it on {}, and ask {} if it was refused?",
                given(c),
                c.project,
                when(c),
                platform(c),
                c.submitted_on.as_deref().unwrap_or_default(),
                platform(c),
                payer(c),
                money(c.expected, &c.currency),
                platform(c),
                if c.employer.is_empty() { "your employer" } else { &c.employer },
            )
        }
    }
}

/// The email that asks a contributor to claim what is theirs to claim (and to look at what waits
/// for approval). Plain text, lines of at most 76 characters but for long names.
pub fn email(who: &ContributorClaims, as_of: Date, sender: &Sender) -> Email {
    let to_submit: Vec<&Claim> = who.claims.iter().filter(|c| c.state == ClaimState::ToSubmit).collect();
    let waiting: Vec<&Claim> = who.claims.iter().filter(|c| c.state == ClaimState::AwaitingApproval).collect();
    let projects = distinct(to_submit.iter().chain(&waiting).map(|c| c.project.as_str()));
    let subject = match to_submit.iter().filter_map(|c| c.deadline.as_deref()).min() {
        Some(first) => format!(
            "{} for {} if you submit by {first}",
            totals(to_submit.iter().copied()),
            joined(&distinct(to_submit.iter().map(|c| c.project.as_str())))
        ),
        None if !to_submit.is_empty() => format!(
            "{} for {} if you submit it",
            totals(to_submit.iter().copied()),
            joined(&distinct(to_submit.iter().map(|c| c.project.as_str())))
        ),
        None => format!("Your matching claims for {} are not approved yet", joined(&projects)),
    };
    let mut body = String::new();
    let _ = writeln!(body, "Hello {},", who.contributor);
    body.push('\n');
    let para = |text: &str, body: &mut String| {
        body.push_str(&wrap(text, 72, ""));
    };
    para(
        &format!(
            "Thank you for what you give to {}. Your employer matches it, but only once you claim it on its \
             giving platform, in time. As of {}, this is what the book shows:",
            joined(&projects),
            iso(as_of)
        ),
        &mut body,
    );
    let item = |c: &Claim, body: &mut String| {
        body.push_str(&wrap(&sentence(c, as_of), 72, "- "));
        for e in c.entry_list.iter().take(ENTRIES_SHOWN) {
            let what = match c.kind {
                EntryKind::Hours => format!("{} hours", spoken_hours(e.hours)),
                EntryKind::Donation => money(e.gift, &c.currency),
            };
            let _ = writeln!(body, "    {}  {what}", e.date);
        }
        if c.entry_list.len() > ENTRIES_SHOWN {
            let _ = writeln!(body, "    and {} more", c.entry_list.len() - ENTRIES_SHOWN);
        }
    };
    if !to_submit.is_empty() {
        body.push('\n');
        body.push_str("To submit:\n");
        for c in &to_submit {
            item(c, &mut body);
        }
    }
    if !waiting.is_empty() {
        body.push('\n');
        body.push_str("Submitted, still waiting for approval:\n");
        for c in &waiting {
            item(c, &mut body);
        }
    }
    if !to_submit.is_empty() {
        body.push('\n');
        body.push_str("How to submit:\n");
        let steps = [
            "Sign in to your employer's giving platform (named above; your employer's intranet links to it).",
            "Hours: log each day above as volunteer time for the project, with its date and hours. Gifts: add each gift above as a donation made outside the platform, with its receipt, and ask for the match.",
            "Submit them before the deadline. Your employer approves them, and the platform pays the project.",
            "Reply to this email once you have, so that the book shows them as submitted.",
        ];
        for (n, step) in steps.iter().enumerate() {
            body.push_str(&wrap(step, 72, &format!("{}. ", n + 1)));
        }
    }
    body.push('\n');
    body.push_str("Thank you,\n");
    if !sender.name.trim().is_empty() {
        let _ = writeln!(body, "{}", sender.name.trim());
    }
    Email { to_name: who.contributor.clone(), to: who.email.clone(), subject, body }
}

/// How many entries of a claim an email or statement lists.
const ENTRIES_SHOWN: usize = 40;

/// `text` wrapped at spaces to `width` characters, the first line after `first`, the others
/// indented as deep; each line ends with `\n`.
fn wrap(text: &str, width: usize, first: &str) -> String {
    let indent = " ".repeat(first.chars().count());
    let mut out = String::new();
    let mut line = first.to_string();
    let mut empty = true;
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        if !empty && line.chars().count() + 1 + word.chars().count() > width {
            out.push_str(&line);
            out.push('\n');
            line = indent.clone();
            empty = true;
        }
        if !empty {
            line.push(' ');
        }
        line.push_str(word);
        empty = false;
    }
    out.push_str(&line);
    out.push('\n');
    out
}

/// The email as an RFC 5322 message (a `.eml` file any mail client opens as a draft): UTF-8 text,
/// quoted-printable, CRLF line ends, no line over 76 characters but folded headers. `date` is
/// the message's Date.
pub fn eml(email: &Email, sender: &Sender, date: chrono::DateTime<chrono::FixedOffset>) -> String {
    let mut out = String::new();
    if !sender.email.trim().is_empty() {
        let _ = write!(out, "From: {}\r\n", mailbox(&sender.name, sender.email.trim()));
    }
    if !email.to.trim().is_empty() {
        let _ = write!(out, "To: {}\r\n", mailbox(&email.to_name, email.to.trim()));
    }
    let _ = write!(out, "Subject: {}\r\n", header_text(&email.subject, "Subject: ".len()));
    let _ = write!(out, "Date: {}\r\n", date.to_rfc2822());
    out.push_str("MIME-Version: 1.0\r\n");
    out.push_str("Content-Type: text/plain; charset=utf-8\r\n");
    out.push_str("Content-Transfer-Encoding: quoted-printable\r\n");
    // Outlook opens a message with this header as a draft to send; other clients ignore it.
    out.push_str("X-Unsent: 1\r\n");
    out.push_str("\r\n");
    out.push_str(&quoted_printable(&email.body));
    out
}

/// `name <address>`, the name quoted or encoded as RFC 2047 says.
fn mailbox(name: &str, address: &str) -> String {
    let name = name.trim();
    if name.is_empty() {
        return address.to_string();
    }
    let shown = if name.is_ascii() {
        format!("\"{}\"", name.replace('\\', "\\\\").replace('"', "\\\""))
    } else {
        encoded_words(name, "To: ".len())
    };
    format!("{shown} <{address}>")
}

/// A header's unstructured text: as it is if ASCII and short, else RFC 2047 encoded words.
fn header_text(text: &str, used: usize) -> String {
    let clean: String = text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    if clean.is_ascii() && used + clean.len() <= 78 {
        clean
    } else if clean.is_ascii() {
        // Folded at spaces: each line under 78 characters where words allow.
        let mut out = String::new();
        let mut len = used;
        for (i, word) in clean.split(' ').enumerate() {
            if i > 0 {
                if len + 1 + word.len() > 78 {
                    out.push_str("\r\n ");
                    len = 1;
                } else {
                    out.push(' ');
                    len += 1;
                }
            }
            out.push_str(word);
            len += word.len();
        }
        out
    } else {
        encoded_words(&clean, used)
    }
}

/// `text` as RFC 2047 Q-encoded words of at most 75 characters, one per folded line.
fn encoded_words(text: &str, _used: usize) -> String {
    let mut words: Vec<String> = Vec::new();
    let mut word = String::new();
    for c in text.chars() {
        let mut piece = String::new();
        if c.is_ascii_alphanumeric() || "!*+-/".contains(c) {
            piece.push(c);
        } else if c == ' ' {
            piece.push('_');
        } else {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                let _ = write!(piece, "={b:02X}");
            }
        }
        // "=?utf-8?q?" + word + "?=" at most 75.
        if 12 + word.len() + piece.len() > 75 {
            words.push(std::mem::take(&mut word));
        }
        word.push_str(&piece);
    }
    words.push(word);
    words.iter().map(|w| format!("=?utf-8?q?{w}?=")).collect::<Vec<_>>().join("\r\n ")
}

/// `text` (lines ending `\n`) as quoted-printable (RFC 2045) with CRLF line ends.
fn quoted_printable(text: &str) -> String {
    let mut out = String::new();
    for line in text.split_terminator('\n') {
        let line = line.strip_suffix('\r').unwrap_or(line);
        let mut len = 0;
        let bytes = line.as_bytes();
        for (i, &b) in bytes.iter().enumerate() {
            let last = i + 1 == bytes.len();
            let literal = (b == b' ' || b == b'\t') && !last || (33..=126).contains(&b) && b != b'=';
            let piece = if literal { (b as char).to_string() } else { format!("={b:02X}") };
            // A soft line break keeps lines at 76 characters, the "=" included.
            if len + piece.len() > 75 {
                out.push_str("=\r\n");
                len = 0;
            }
            out.push_str(&piece);
            len += piece.len();
        }
        out.push_str("\r\n");
    }
    out
}

/// The email as a `mailto:` link (RFC 6068), its body cut short (with a word saying so) to keep
/// the link under `max` characters, which mail clients and systems open.
pub fn mailto(email: &Email, max: usize) -> String {
    let head = format!("mailto:{}?subject={}&body=", percent(email.to.trim()), percent(&email.subject));
    let full = percent(&email.body.replace('\n', "\r\n"));
    if head.len() + full.len() <= max {
        return head + &full;
    }
    let note = "\n[...]\n(The rest is in the statement sent with this email.)\n";
    let mut body = String::new();
    for line in email.body.lines() {
        let next = format!("{body}{line}\n");
        if head.len() + percent(&(next.clone() + note).replace('\n', "\r\n")).len() > max {
            break;
        }
        body = next;
    }
    head + &percent(&(body + note).replace('\n', "\r\n"))
}

/// Percent-encodes all but RFC 3986's unreserved characters.
fn percent(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

fn html_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A one-page printable statement of a contributor's claims: HTML with its CSS inline, for a
/// browser to show and print (or print to PDF).
pub fn statement_html(who: &ContributorClaims, as_of: Date, sender: &Sender) -> String {
    let e = html_escape;
    let email = email(who, as_of, sender);
    let mut h = String::new();
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Matching claims of {}</title>\n",
        e(&who.contributor)
    );
    h.push_str(
        "<style>\n\
         body { font: 11pt/1.45 system-ui, sans-serif; color: #111; max-width: 46rem; margin: 2rem auto; padding: 0 1rem; }\n\
         h1 { font-size: 1.4rem; margin: 0 0 .2rem; } .muted { color: #555; }\n\
         table { border-collapse: collapse; width: 100%; margin: 1rem 0; font-size: 10pt; }\n\
         th, td { border-bottom: 1px solid #ccc; padding: .3rem .4rem; text-align: left; vertical-align: top; }\n\
         td.num, th.num { text-align: right; white-space: nowrap; } .soon { font-weight: 600; }\n\
         ol { padding-left: 1.2rem; } li { margin: .2rem 0; }\n\
         @media print { body { margin: 0; max-width: none; font-size: 10pt; } @page { size: A4; margin: 15mm; } }\n\
         </style>\n</head>\n<body>\n",
    );
    let _ = writeln!(h, "<h1>Matching claims of {}</h1>", e(&who.contributor));
    let _ = writeln!(
        h,
        "<p class=\"muted\">{}As of {}. Your employer matches what you give once you claim it on its giving platform, in time.</p>",
        if who.email.is_empty() { String::new() } else { format!("{} &middot; ", e(&who.email)) },
        iso(as_of)
    );
    for c in &who.claims {
        let _ = writeln!(h, "<p class=\"soon\">{}</p>", e(&sentence(c, as_of)));
    }
    h.push_str(
        "<table>\n<thead><tr><th>State</th><th>Project</th><th>Program</th><th>Platform</th><th>Given</th>\
         <th>Deadline</th><th class=\"num\">Employer pays</th></tr></thead>\n<tbody>\n",
    );
    for c in &who.claims {
        let program = match (c.employer.is_empty(), c.program.is_empty()) {
            (false, false) => format!("{} ({})", c.program, c.employer),
            (false, true) => c.employer.clone(),
            _ => c.program.clone(),
        };
        let deadline = match c.state {
            ClaimState::ToSubmit => c.deadline.clone().unwrap_or_else(|| "none".into()),
            ClaimState::AwaitingApproval => format!("submitted {}", c.submitted_on.clone().unwrap_or_default()),
        };
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{} {}</td><td>{}</td><td class=\"num\">{}</td></tr>",
            e(c.state.name()),
            e(&c.project),
            e(&program),
            e(&c.platform),
            e(&given(c)),
            e(&when(c)),
            e(&deadline),
            e(&money(c.expected, &c.currency))
        );
        for entry in c.entry_list.iter().take(ENTRIES_SHOWN) {
            let what = match c.kind {
                EntryKind::Hours => format!("{} hours", spoken_hours(entry.hours)),
                EntryKind::Donation => money(entry.gift, &c.currency),
            };
            let _ = writeln!(
                h,
                "<tr class=\"muted\"><td></td><td colspan=\"3\">{}</td><td colspan=\"3\">{}</td></tr>",
                e(&entry.date),
                e(&what)
            );
        }
    }
    h.push_str("</tbody>\n</table>\n");
    if who.claims.iter().any(|c| c.state == ClaimState::ToSubmit) {
        h.push_str(
            "<h2>How to submit</h2>\n<ol>\n\
             <li>Sign in to your employer's giving platform (named above; your employer's intranet links to it).</li>\n\
             <li>Hours: log each day above as volunteer time for the project, with its date and hours. Gifts: add each gift as a donation made outside the platform, with its receipt, and ask for the match.</li>\n\
             <li>Submit them before the deadline. Your employer approves them, and the platform pays the project.</li>\n\
             <li>Tell us once you have, so that the book shows them as submitted.</li>\n</ol>\n",
        );
    }
    let _ = writeln!(h, "<p class=\"muted\">Subject of the reminder email: {}</p>", e(&email.subject));
    if !sender.name.trim().is_empty() || !sender.email.trim().is_empty() {
        let _ = writeln!(h, "<p>Thank you,<br>{} {}</p>", e(sender.name.trim()), e(sender.email.trim()));
    }
    h.push_str("</body>\n</html>\n");
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_printable_keeps_lines_short_and_encodes_what_it_must() {
        let text = format!("{}\nCafé = ok \nend\n", "x".repeat(200));
        let qp = quoted_printable(&text);
        assert!(qp.split("\r\n").all(|l| l.len() <= 76), "{qp}");
        assert!(qp.contains("Caf=C3=A9 =3D ok=20\r\n"), "{qp}");
    }

    #[test]
    fn headers_encode_what_is_not_ascii() {
        assert_eq!(mailbox("Zoë O\"Hara", "z@example.org"), "=?utf-8?q?Zo=C3=AB_O=22Hara?= <z@example.org>");
        assert_eq!(mailbox("Ada", "a@example.org"), "\"Ada\" <a@example.org>");
        let long = encoded_words(&"é".repeat(40), 9);
        assert!(long.split("\r\n").all(|l| l.trim_start().len() <= 75), "{long}");
    }

    #[test]
    fn hours_are_spoken_without_trailing_zeros() {
        assert_eq!(spoken_hours(145_000), "14.5");
        assert_eq!(spoken_hours(30_000), "3");
        assert_eq!(spoken_hours(12_500), "1.25");
    }

    #[test]
    fn a_mailto_link_stays_under_its_length() {
        let email = Email {
            to_name: "Ada".into(),
            to: "ada@example.org".into(),
            subject: "Claim & submit".into(),
            body: "line of text\n".repeat(500),
        };
        let link = mailto(&email, 2000);
        assert!(link.len() <= 2000);
        assert!(link.starts_with("mailto:ada%40example.org?subject=Claim%20%26%20submit&body=line%20of%20text%0D%0A"));
        assert!(link.contains("statement"));
    }
}
