//! Properties of the rules engine and the book over random small books:
//! (a) no annual cap is ever exceeded, (b) results do not depend on row order, (c) amounts are never
//! negative and fees never exceed what is expected, (d) export -> import -> export is exact, (e) reports
//! over any period add up the engine's awards.

use matchbook::ledger;
use matchbook::model::*;
use matchbook::money::{self, Cents, Currency};
use matchbook::rules::{evaluate, Book, Evaluation, Reason};
use matchbook::store::{ImportOptions, ImportOutcome, ProjectMapping, Store};
use proptest::prelude::*;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

// ---------------------------------------------------------------------------------------------
// The value tables the generator picks from
// ---------------------------------------------------------------------------------------------

/// Employers; the last one has no programs.
const EMPLOYERS: [&str; 4] = ["Microsoft", "Northwind Traders", "Fabrikam", "Tailspin Toys"];
const PEOPLE: [(&str, &str); 4] = [
    ("Ada Lindqvist", "ada.lindqvist@example.org"),
    ("Ben Okafor", "ben.okafor@example.net"),
    ("Chloe Martin", "chloe.martin@example.com"),
    ("Dev Patel", "dev.patel@example.co.uk"),
];
const PROJECTS: [&str; 3] = ["Lumen", "Quarry", "Tessel"];
const RATES: [&str; 6] = ["10", "20.25", "25", "0.25", "33.3333", "7.5"];
const BLOCKS: [(&str, &str); 3] = [("10", "250.00"), ("2.5", "40.00"), ("5", "100.00")];
const MIN_HOURS: [Option<&str>; 4] = [None, None, Some("5"), Some("20")];
const RATIOS: [&str; 4] = ["1", "2", "0.5", "0.3333"];
const MIN_GIFTS: [Option<&str>; 2] = [None, Some("25.00")];
const MAX_GIFTS: [Option<&str>; 3] = [None, Some("1000.00"), Some("200.00")];
const CAPS: [Option<&str>; 5] = [None, Some("100.00"), Some("500.00"), Some("500.00"), Some("2500.00")];
const CAP_GROUPS: [&str; 3] = ["", "giving", "Giving "];
const YEAR_STARTS: [&str; 3] = ["01-01", "07-01", "04-06"];
const CLAIM_DAYS: [Option<u32>; 5] = [None, Some(0), Some(30), Some(90), Some(120)];
const FEE_RATES: [Option<&str>; 5] = [None, Some("0.029"), Some("0.035"), Some("0.5"), Some("1")];
const CURRENCIES: [&str; 3] = ["USD", "USD", "EUR"];
const STATUSES: [Status; 7] = [
    Status::Logged,
    Status::Logged,
    Status::Logged,
    Status::Submitted,
    Status::Approved,
    Status::Paid,
    Status::Rejected,
];
const HOURS: [&str; 8] = ["0.5", "1.3333", "2.5", "8", "24", "10", "0.0001", "3.25"];
const AMOUNTS: [&str; 6] = ["20.00", "25.00", "1200.00", "75.25", "0.01", "500.00"];
const DESCRIPTIONS: [&str; 14] = [
    "",
    "Triage new issues",
    "=SUM(A1:A9)",
    "'=SUM(A1:A9)",
    "-fix typo",
    "@maintainers",
    "'quoted",
    "say \"hi\", then",
    "line\nbreak",
    "  padded  ",
    "\ttab first",
    "+1",
    "Ünïcödé ✓, “quotes”",
    "'\t'",
];

fn day(base: &str, offset: u32) -> Date {
    base.parse::<Date>().unwrap() + chrono::Days::new(offset.into())
}

/// A name as some row might write it: as is, lower case, upper case or padded.
fn variant(name: &str, how: u8) -> String {
    match how % 4 {
        0 => name.to_string(),
        1 => name.to_lowercase(),
        2 => name.to_uppercase(),
        _ => format!("  {name} "),
    }
}

// ---------------------------------------------------------------------------------------------
// Generated specs (small integers that shrink well) and the records built from them
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone)]
struct VersionSpec {
    earning: usize,
    min_hours: usize,
    min_gift: usize,
    max_gift: usize,
    cap: usize,
}

#[derive(Debug, Clone)]
struct ProgramSpec {
    employer: usize,
    volunteer: bool,
    currency: usize,
    year_start: usize,
    claim_days: usize,
    fee_rate: usize,
    cap_group: usize,
    /// 0: from 2023-01-01, else from 2024-01-01 + offset.
    start: u32,
    /// Days each version lasts before the next begins.
    lengths: Vec<u32>,
    versions: Vec<VersionSpec>,
    /// Whether the last version ends (after as many days).
    last_end: Option<u32>,
}

#[derive(Debug, Clone)]
struct EntrySpec {
    donation: bool,
    person: usize,
    /// 0 and 1: the email, 2: the email in upper case, 3: no email.
    email: u8,
    name: u8,
    /// 0..=2: from the employment history, else the employer `employer - 3`.
    employer: usize,
    employer_case: u8,
    project: usize,
    day: u32,
    quantity: Result<usize, i64>,
    currency: usize,
    status: usize,
    description: usize,
}

/// An employment: (employer, employer spelling, start offset from 2023-01-01, days until its end).
type JobSpec = (usize, u8, u32, Option<u32>);
type PaymentSpec = (usize, usize, u32, i64, i64);

#[derive(Debug, Clone)]
struct BookSpec {
    programs: Vec<ProgramSpec>,
    /// Per person: (employer, employer spelling, start offset from 2023-01-01, days until end).
    employments: Vec<Vec<JobSpec>>,
    entries: Vec<EntrySpec>,
    /// (payer, project, day offset, gross, fees).
    payments: Vec<PaymentSpec>,
    as_of: u32,
}

fn version_spec() -> impl Strategy<Value = VersionSpec> {
    (0..9usize, 0..MIN_HOURS.len(), 0..MIN_GIFTS.len(), 0..MAX_GIFTS.len(), 0..CAPS.len()).prop_map(
        |(earning, min_hours, min_gift, max_gift, cap)| VersionSpec { earning, min_hours, min_gift, max_gift, cap },
    )
}

fn program_spec(employers: usize) -> impl Strategy<Value = ProgramSpec> {
    (
        (0..employers, any::<bool>(), 0..CURRENCIES.len(), 0..YEAR_STARTS.len()),
        (0..CLAIM_DAYS.len(), 0..FEE_RATES.len(), 0..CAP_GROUPS.len()),
        (0..400u32, prop::collection::vec(1..500u32, 1), prop::collection::vec(version_spec(), 1..=2)),
        prop::option::weighted(0.2, 1..400u32),
    )
        .prop_map(
            |(
                (employer, volunteer, currency, year_start),
                (claim_days, fee_rate, cap_group),
                (start, lengths, versions),
                last_end,
            )| ProgramSpec {
                employer,
                volunteer,
                currency,
                year_start,
                claim_days,
                fee_rate,
                cap_group,
                start: start.saturating_sub(100),
                lengths,
                versions,
                last_end,
            },
        )
}

fn entry_spec(people: usize) -> impl Strategy<Value = EntrySpec> {
    (
        (any::<bool>(), 0..people, 0..4u8, any::<u8>(), 0..(3 + EMPLOYERS.len()), any::<u8>()),
        (0..PROJECTS.len(), 0..731u32),
        prop_oneof![(0..HOURS.len().max(AMOUNTS.len())).prop_map(Ok), (1..=240_000i64).prop_map(Err),],
        (0..CURRENCIES.len(), 0..STATUSES.len(), 0..DESCRIPTIONS.len()),
    )
        .prop_map(
            |(
                (donation, person, email, name, employer, employer_case),
                (project, day),
                quantity,
                (currency, status, description),
            )| {
                EntrySpec {
                    donation,
                    person,
                    email,
                    name,
                    employer,
                    employer_case,
                    project,
                    day,
                    quantity,
                    currency,
                    status,
                    description,
                }
            },
        )
}

fn book_spec() -> impl Strategy<Value = BookSpec> {
    (1..=3usize, 1..=PEOPLE.len()).prop_flat_map(|(employers, people)| {
        (
            prop::collection::vec(program_spec(employers), 1..=5),
            prop::collection::vec(
                prop::collection::vec(
                    (0..EMPLOYERS.len(), any::<u8>(), 0..1100u32, prop::option::of(0..700u32)),
                    0..=2,
                ),
                people,
            ),
            prop::collection::vec(entry_spec(people), 0..=60),
            prop::collection::vec((0..3usize, 0..PROJECTS.len(), 0..731u32, 1..500_000i64, 0..10_000i64), 0..=3),
            0..1100u32,
        )
            .prop_map(|(programs, employments, entries, payments, as_of)| BookSpec {
                programs,
                employments,
                entries,
                payments,
                as_of,
            })
    })
}

/// A generated book: its records, the report date, and for each entry id the person (index into
/// [`PEOPLE`]) it belongs to.
#[derive(Debug, Clone)]
struct Generated {
    records: Vec<Record>,
    as_of: Date,
    person_of: HashMap<String, usize>,
}

fn build(spec: &BookSpec) -> Generated {
    let mut records = Vec::new();
    for (p, program) in spec.programs.iter().enumerate() {
        let employer = EMPLOYERS[program.employer];
        let mut from = if program.start == 0 { day("2023-01-01", 0) } else { day("2024-01-01", program.start) };
        let count = program.versions.len();
        for (v, version) in program.versions.iter().enumerate() {
            let to = if v + 1 < count {
                Some(from + chrono::Days::new(program.lengths[0].into()))
            } else {
                program.last_end.map(|days| from + chrono::Days::new(days.into()))
            };
            let earning = if program.volunteer {
                if version.earning < RATES.len() {
                    Earning::Rate(money::parse_rate(RATES[version.earning]).unwrap())
                } else {
                    let (hours, amount) = BLOCKS[version.earning - RATES.len()];
                    Earning::Blocks {
                        hours: money::parse_hours(hours).unwrap(),
                        amount: money::parse_cents(amount).unwrap(),
                    }
                }
            } else {
                Earning::Match {
                    ratio: money::parse_rate(RATIOS[version.earning % RATIOS.len()]).unwrap(),
                    min_gift: MIN_GIFTS[version.min_gift].map(|m| money::parse_cents(m).unwrap()),
                    max_gift: MAX_GIFTS[version.max_gift].map(|m| money::parse_cents(m).unwrap()),
                }
            };
            records.push(Record::Program(ProgramVersion {
                id: format!("p-{p}-{v}"),
                program: format!("{employer} program {p}"),
                employer: employer.to_string(),
                platform: "Benevity".into(),
                kind: if program.volunteer { ProgramKind::Volunteer } else { ProgramKind::Donation },
                currency: CURRENCIES[program.currency].parse().unwrap(),
                effective_from: from,
                effective_to: to,
                earning,
                min_hours: if program.volunteer {
                    MIN_HOURS[version.min_hours].map(|m| money::parse_hours(m).unwrap())
                } else {
                    None
                },
                annual_cap: CAPS[version.cap].map(|m| money::parse_cents(m).unwrap()),
                cap_group: CAP_GROUPS[program.cap_group].to_string(),
                year_start: YEAR_STARTS[program.year_start].parse().unwrap(),
                claim_days: CLAIM_DAYS[program.claim_days],
                fee_rate: FEE_RATES[program.fee_rate].map(|f| money::parse_rate(f).unwrap()),
            }));
            if let Some(to) = to {
                from = to + chrono::Days::new(1);
            }
        }
    }
    for (person, jobs) in spec.employments.iter().enumerate() {
        let (name, email) = PEOPLE[person];
        for (j, &(employer, case, start, length)) in jobs.iter().enumerate() {
            let start = day("2023-01-01", start);
            records.push(Record::Employment(Employment {
                id: format!("e-{person}-{j}"),
                person: Person { name: name.into(), email: email.into() },
                employer: variant(EMPLOYERS[employer], case),
                start,
                end: length.map(|l| start + chrono::Days::new(l.into())),
            }));
        }
    }
    let mut person_of = HashMap::new();
    for (i, e) in spec.entries.iter().enumerate() {
        let (name, email) = PEOPLE[e.person];
        let person = Person {
            name: variant(name, e.name % 2),
            email: match e.email {
                0 | 1 => email.to_string(),
                2 => email.to_uppercase(),
                _ => String::new(),
            },
        };
        let employer = if e.employer < 3 { String::new() } else { variant(EMPLOYERS[e.employer - 3], e.employer_case) };
        let date = day("2024-01-01", e.day);
        let project = PROJECTS[e.project].to_string();
        let status = STATUSES[e.status];
        // Dates for some of the statuses the entry reached, in the order of a claim's life.
        let mut dates = StatusDates::default();
        for (n, (step, after)) in StatusDates::STATUSES.into_iter().zip([2, 9, 30, 15]).enumerate() {
            if status.reached(step) && (e.description + n) % 3 != 0 {
                dates.set(step, Some(date + chrono::Days::new(after)));
            }
        }
        let id = if e.donation { format!("d-{i}") } else { format!("h-{i}") };
        person_of.insert(id.clone(), e.person);
        if e.donation {
            let amount = match e.quantity {
                Ok(k) => money::parse_cents(AMOUNTS[k % AMOUNTS.len()]).unwrap(),
                Err(cents) => cents,
            };
            let currency: Currency = CURRENCIES[e.currency].parse().unwrap();
            records.push(Record::Donation(Donation {
                id,
                date,
                person,
                employer,
                project,
                amount,
                currency,
                status,
                dates,
            }));
        } else {
            let hours = match e.quantity {
                Ok(k) => money::parse_hours(HOURS[k % HOURS.len()]).unwrap(),
                Err(h) => h,
            };
            let description = DESCRIPTIONS[e.description].to_string();
            records.push(Record::Hours(HoursEntry {
                id,
                date,
                person,
                employer,
                project,
                hours,
                description,
                status,
                dates,
            }));
        }
    }
    for (i, &(payer, project, date, gross, fees)) in spec.payments.iter().enumerate() {
        let fees = fees.min(gross);
        records.push(Record::Payment(Payment {
            id: format!("r-{i}"),
            date: day("2024-01-01", date),
            payer: ["Benevity", "YourCause", "Tailspin Toys"][payer].into(),
            project: PROJECTS[project].into(),
            currency: "USD".parse().unwrap(),
            gross,
            fees,
            net: gross - fees,
            reference: DESCRIPTIONS[i % DESCRIPTIONS.len()].into(),
            // The optional columns of reconciliation, in every combination over the rows.
            employer: if i % 2 == 0 { EMPLOYERS[i % EMPLOYERS.len()].into() } else { String::new() },
            person: (i % 3 != 0).then(|| Person {
                name: format!("Donor {}", i % 4),
                email: if i % 3 == 1 { format!("donor{}@example.org", i % 4) } else { String::new() },
            }),
            funds: if i % 5 == 4 { Funds::Gift } else { Funds::Match },
            disbursement: if i % 2 == 1 { format!("DISB{}", i % 3) } else { String::new() },
            gift_date: (i % 4 == 2).then(|| day("2023-12-01", date)),
            bank_date: (i % 3 == 2).then(|| day("2024-01-03", date)),
            bank_reference: if i % 3 == 2 { format!("BANK{}", i % 3) } else { String::new() },
        }));
        // Every other payment's payout reached the bank.
        if i % 2 == 0 {
            records.push(Record::Deposit(Deposit {
                id: format!("b-{i}"),
                date: day("2024-01-05", date),
                account: if i % 4 == 0 { "Checking".into() } else { String::new() },
                currency: "USD".parse().unwrap(),
                amount: (gross - fees).max(1),
                reference: format!("REF{i}"),
                description: DESCRIPTIONS[i % DESCRIPTIONS.len()].into(),
            }));
        }
    }
    Generated { records, as_of: day("2024-03-01", spec.as_of), person_of }
}

fn generated() -> impl Strategy<Value = Generated> {
    book_spec().prop_map(|spec| build(&spec))
}

/// Fisher-Yates with a small xorshift generator, so that the book itself shrinks well.
fn shuffle(records: &[Record], seed: u64) -> Vec<Record> {
    let mut out = records.to_vec();
    let mut state = seed | 1;
    for i in (1..out.len()).rev() {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        out.swap(i, (state % (i as u64 + 1)) as usize);
    }
    out
}

fn run(records: &[Record], as_of: Date) -> (Book, Evaluation) {
    let book = Book::from_records(records);
    let evaluation = evaluate(&book, as_of);
    (book, evaluation)
}

/// A cap pool: (employer key, cap group or program key, whether it is a cap group).
type Pool = (String, String, bool);
/// A person (index into [`PEOPLE`]), a cap pool and a program year.
type PoolYear = (usize, Pool, i32);

/// The cap pool of a version as the contract defines it: the employer's cap group, else the
/// program itself.
fn pool_of(version: &ProgramVersion) -> Pool {
    let employer = name_key(&version.employer);
    if version.cap_group.trim().is_empty() {
        (employer, name_key(&version.program), false)
    } else {
        (employer, name_key(&version.cap_group), true)
    }
}

/// Each award as (entry id, program version id, base, expected, fee, reasons), sorted.
type Line = (String, Option<String>, Cents, Cents, Cents, Vec<Reason>);

fn lines(book: &Book, evaluation: &Evaluation) -> Vec<Line> {
    let mut out: Vec<Line> = evaluation
        .awards
        .iter()
        .map(|a| {
            (
                book.entry_id(a.entry).to_string(),
                a.program.map(|p| book.programs[p as usize].id.clone()),
                a.base,
                a.expected,
                a.fee,
                a.reasons(),
            )
        })
        .collect();
    out.sort_by(|x, y| (&x.0, &x.1).cmp(&(&y.0, &y.1)));
    out
}

// ---------------------------------------------------------------------------------------------
// (a), (b), (c): the engine
// ---------------------------------------------------------------------------------------------

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    /// (a) For each person, cap pool and program year, the awards add up to at most the annual cap,
    /// wherever every version in the pool has the same cap.
    #[test]
    fn no_cap_is_ever_exceeded(g in generated()) {
        let (book, evaluation) = run(&g.records, g.as_of);
        let mut caps: HashMap<Pool, Vec<Option<Cents>>> = HashMap::new();
        for version in &book.programs {
            caps.entry(pool_of(version)).or_default().push(version.annual_cap);
        }
        let mut used: BTreeMap<PoolYear, Cents> = BTreeMap::new();
        for award in &evaluation.awards {
            let Some(v) = award.program else { continue };
            let person = g.person_of[book.entry_id(award.entry)];
            *used.entry((person, pool_of(&book.programs[v as usize]), award.year)).or_default() += award.expected;
        }
        for ((person, pool, year), total) in used {
            let pool_caps = &caps[&pool];
            if let Some(cap) = pool_caps[0] {
                if pool_caps.iter().all(|c| *c == Some(cap)) {
                    prop_assert!(
                        total <= cap,
                        "{} earned {} from pool {:?} in program year {}, over the cap {}",
                        PEOPLE[person].0, money::format_cents(total), pool, year, money::format_cents(cap)
                    );
                }
            }
        }
    }

    /// (b) Shuffling the rows changes nothing: the same awards, the same validity range.
    #[test]
    fn results_do_not_depend_on_row_order(g in generated(), seed in any::<u64>()) {
        let shuffled = shuffle(&g.records, seed);
        let (book, evaluation) = run(&g.records, g.as_of);
        let (book2, evaluation2) = run(&shuffled, g.as_of);
        prop_assert_eq!(lines(&book, &evaluation), lines(&book2, &evaluation2));
        prop_assert_eq!(
            (evaluation.valid_from, evaluation.valid_to),
            (evaluation2.valid_from, evaluation2.valid_to)
        );
        // Reversed as well: a shuffle may leave the order of a few rows alone.
        let mut reversed = g.records.clone();
        reversed.reverse();
        let (book3, evaluation3) = run(&reversed, g.as_of);
        prop_assert_eq!(lines(&book, &evaluation), lines(&book3, &evaluation3));
    }

    /// (c) Nothing is negative, a fee never exceeds what is expected, and nothing earns more than
    /// its rate or match amount.
    #[test]
    fn amounts_are_never_negative_and_fees_never_exceed_expected(g in generated()) {
        let (book, evaluation) = run(&g.records, g.as_of);
        prop_assert!(!evaluation.awards.is_empty() || book.entries.is_empty());
        for award in &evaluation.awards {
            let id = book.entry_id(award.entry);
            prop_assert!(award.base >= 0, "{}: base {}", id, award.base);
            prop_assert!(award.expected >= 0, "{}: expected {}", id, award.expected);
            prop_assert!(award.fee >= 0, "{}: fee {}", id, award.fee);
            prop_assert!(award.net() >= 0, "{}: net {}", id, award.net());
            prop_assert!(award.fee <= award.expected, "{}: fee {} > expected {}", id, award.fee, award.expected);
            prop_assert!(award.expected <= award.base, "{}: expected {} > base {}", id, award.expected, award.base);
            if award.has(Reason::Rejected) || award.has(Reason::Expired) || award.program.is_none() {
                prop_assert_eq!(award.expected, 0, "{} earns nothing", id);
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// (d): the book
// ---------------------------------------------------------------------------------------------

fn write_csv(dir: &Path, records: &[Record]) {
    std::fs::create_dir_all(dir).unwrap();
    for kind in RecordKind::ALL {
        let mut writer = csv::Writer::from_path(dir.join(format!("{}.csv", kind.name()))).unwrap();
        writer.write_record(ledger::header(kind)).unwrap();
        for record in records.iter().filter(|r| r.kind() == kind) {
            writer.write_record(ledger::cells(record)).unwrap();
        }
        writer.flush().unwrap();
    }
}

/// Exported files' bytes by file name.
type Export = BTreeMap<String, Vec<u8>>;

/// Imports the folder `from` into a new book at `db`, lets `decide` act on it, and exports that book
/// to `to`; returns every exported file's bytes by name and the row counts.
fn import_then_export(
    from: &Path,
    db: &Path,
    to: &Path,
    decide: impl FnOnce(&mut Store),
) -> (Export, Vec<(RecordKind, u64)>) {
    let mut store = Store::open_or_create(db).unwrap();
    match store.import(&[from.to_path_buf()], &ImportOptions::default(), &mut |_| {}).unwrap() {
        ImportOutcome::Imported(_) => {}
        ImportOutcome::Rejected(errors) => {
            let shown: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
            panic!("the import of {} was refused:\n{}", from.display(), shown.join("\n"));
        }
        ImportOutcome::Cancelled => unreachable!("nothing cancels this import"),
    }
    decide(&mut store);
    matchbook::export::export_dir(&store, to, false).unwrap();
    let files = std::fs::read_dir(to)
        .unwrap()
        .map(|entry| {
            let path = entry.unwrap().path();
            (path.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read(&path).unwrap())
        })
        .collect();
    (files, store.counts().unwrap())
}

/// What a treasurer decides besides the records, which an export must carry too: the first
/// payment line linked to the first few hours entries, and a report mapping whose value looks
/// like a formula.
fn decide(store: &mut Store) {
    let ids = |kind: RecordKind, n: usize| -> Vec<String> {
        let mut out = Vec::new();
        matchbook::export::write_records(store, kind, &mut out, |_| true).unwrap();
        let mut csv = csv::Reader::from_reader(&out[..]);
        csv.records().take(n).map(|r| r.unwrap()[0].to_string()).collect()
    };
    let (entries, payment) = (ids(RecordKind::Hours, 3), ids(RecordKind::Payments, 1).pop());
    if let (Some(payment), false) = (payment, entries.is_empty()) {
        store.link(&payment, &entries, "chosen").unwrap();
    }
    let mapping = ProjectMapping {
        platform: "benevity".into(),
        field: "comment".into(),
        value: "=Project: Lumen".into(),
        project: "Lumen".into(),
    };
    store.set_project_mapping(&mapping).unwrap();
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, ..ProptestConfig::default() })]

    /// (d) A book exported, imported into a fresh book and exported again gives the same bytes:
    /// its records, its links and its report mappings.
    #[test]
    fn export_import_export_is_identical(g in generated()) {
        let tmp = tempfile::tempdir().unwrap();
        write_csv(&tmp.path().join("in"), &g.records);
        let (first, counts) =
            import_then_export(&tmp.path().join("in"), &tmp.path().join("a.sqlite"), &tmp.path().join("out1"), decide);
        for (kind, count) in &counts {
            let generated = g.records.iter().filter(|r| r.kind() == *kind).count() as u64;
            prop_assert_eq!(*count, generated, "{} rows of {}", count, kind);
        }
        prop_assert_eq!(String::from_utf8_lossy(&first["project-mappings.csv"]).lines().count(), 2);
        let (second, _) =
            import_then_export(&tmp.path().join("out1"), &tmp.path().join("b.sqlite"), &tmp.path().join("out2"), |_| {});
        prop_assert_eq!(first.keys().collect::<Vec<_>>(), second.keys().collect::<Vec<_>>());
        for (name, bytes) in &first {
            prop_assert!(
                *bytes == second[name],
                "{} differs:\n--- first export\n{}\n--- second export\n{}",
                name,
                String::from_utf8_lossy(bytes),
                String::from_utf8_lossy(&second[name])
            );
        }
    }
}

/// The generator must keep producing books in which the rules bite; otherwise the properties above
/// would pass vacuously. Samples a fixed set of books and checks that every reason turns up and that
/// some pool is filled exactly to its cap.
#[test]
fn generated_books_exercise_every_rule() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let strategy = generated();
    let mut seen: Vec<Reason> = Vec::new();
    let (mut awards, mut blocks_paid, mut filled_to_cap) = (0, 0, 0);
    for _ in 0..64 {
        let g = strategy.new_tree(&mut runner).unwrap().current();
        let (book, evaluation) = run(&g.records, g.as_of);
        let mut used: HashMap<PoolYear, (Cents, Option<Cents>)> = HashMap::new();
        for award in &evaluation.awards {
            awards += 1;
            for reason in award.reasons() {
                if !seen.contains(&reason) {
                    seen.push(reason);
                }
            }
            let Some(v) = award.program else { continue };
            let version = &book.programs[v as usize];
            if matches!(version.earning, Earning::Blocks { .. }) && award.expected > 0 {
                blocks_paid += 1;
            }
            let person = g.person_of[book.entry_id(award.entry)];
            let slot = used.entry((person, pool_of(version), award.year)).or_insert((0, version.annual_cap));
            slot.0 += award.expected;
        }
        filled_to_cap += used.values().filter(|(total, cap)| Some(*total) == *cap).count();
    }
    for reason in Reason::ALL {
        assert!(seen.contains(&reason), "no award in 64 books has {reason:?}; seen: {seen:?}");
    }
    assert!(blocks_paid > 0, "no block was ever paid");
    assert!(filled_to_cap > 0, "no pool was ever filled to its cap");
    assert!(awards > 64 * 10, "only {awards} awards in 64 books");
}

// ---------------------------------------------------------------------------------------------
// (e): reports from the results cache
// ---------------------------------------------------------------------------------------------

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// (e) `report expected` over any period, whole months or loose days, says what the engine's
    /// awards of the entries dated in that period add up to, per project and currency.
    #[test]
    fn reports_over_any_period_add_up_the_engines_awards(g in generated(), start in 0u32..800, length in 0u32..500) {
        use matchbook::report::{expected_rows, GroupBy, Period};
        let tmp = tempfile::tempdir().unwrap();
        write_csv(&tmp.path().join("in"), &g.records);
        let mut store = Store::open_or_create(&tmp.path().join("book.sqlite")).unwrap();
        let outcome = store.import(&[tmp.path().join("in")], &ImportOptions::default(), &mut |_| {}).unwrap();
        prop_assert!(matches!(outcome, ImportOutcome::Imported(_)));
        let (from, to) = (day("2023-12-01", start), day("2023-12-01", start + length));

        let (book, evaluation) = run(&g.records, g.as_of);
        let mut engine: BTreeMap<(String, String), Cents> = BTreeMap::new();
        for award in &evaluation.awards {
            let entry = &book.entries[award.entry as usize];
            if (from..=to).contains(&entry.date) && award.expected != 0 {
                let project = name_key(&book.names[entry.project as usize]);
                *engine.entry((project, award.currency.as_str().to_string())).or_default() += award.expected;
            }
        }
        let period = Period { from: Some(from), to: Some(to) };
        let rows = expected_rows(&mut store, GroupBy::Project, period, g.as_of).unwrap();
        let report: BTreeMap<(String, String), Cents> = rows
            .iter()
            .filter(|r| r.expected != 0)
            .map(|r| ((name_key(&r.group), r.currency.clone()), r.expected))
            .collect();
        prop_assert_eq!(report, engine, "{} to {}", from, to);
    }
}
