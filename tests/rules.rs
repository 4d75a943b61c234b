//! Unit tests of each rule of docs/ledger-format.md, through the public API only
//! (`Book::from_records` and `evaluate`). Every test works its expected numbers out in a comment.

use matchbook::model::*;
use matchbook::money::{self, Cents, Currency};
use matchbook::rules::{evaluate, Award, Book, Evaluation, Reason};

// ---------------------------------------------------------------------------------------------
// Builders
// ---------------------------------------------------------------------------------------------

fn d(s: &str) -> Date {
    s.parse().unwrap()
}

fn c(s: &str) -> Cents {
    money::parse_cents(s).unwrap()
}

fn h(s: &str) -> money::Hours {
    money::parse_hours(s).unwrap()
}

fn dec(s: &str) -> rust_decimal::Decimal {
    money::parse_rate(s).unwrap()
}

fn cur(s: &str) -> Currency {
    s.parse().unwrap()
}

/// A program version with nothing but the given earning; tests set the other fields.
fn version(id: &str, program: &str, employer: &str, kind: ProgramKind, earning: Earning) -> ProgramVersion {
    ProgramVersion {
        id: id.into(),
        program: program.into(),
        employer: employer.into(),
        platform: "Benevity".into(),
        kind,
        currency: cur("USD"),
        effective_from: d("2020-01-01"),
        effective_to: None,
        earning,
        min_hours: None,
        annual_cap: None,
        cap_group: String::new(),
        year_start: YearStart::default(),
        claim_days: None,
        fee_rate: None,
    }
}

fn rate(id: &str, program: &str, employer: &str, per_hour: &str) -> ProgramVersion {
    version(id, program, employer, ProgramKind::Volunteer, Earning::Rate(dec(per_hour)))
}

fn blocks(id: &str, program: &str, employer: &str, hours: &str, amount: &str) -> ProgramVersion {
    version(id, program, employer, ProgramKind::Volunteer, Earning::Blocks { hours: h(hours), amount: c(amount) })
}

fn matching(id: &str, program: &str, employer: &str, ratio: &str) -> ProgramVersion {
    version(
        id,
        program,
        employer,
        ProgramKind::Donation,
        Earning::Match { ratio: dec(ratio), min_gift: None, max_gift: None },
    )
}

fn person(name: &str, email: &str) -> Person {
    Person { name: name.into(), email: email.into() }
}

fn job(name: &str, email: &str, employer: &str, start: &str, end: Option<&str>) -> Record {
    Record::Employment(Employment {
        id: format!("e-{name}-{employer}-{start}"),
        person: person(name, email),
        employer: employer.into(),
        start: d(start),
        end: end.map(d),
    })
}

/// Hours by `Ada` (ada@example.org) for Lumen, employer from the history, `logged`.
fn hrs(id: &str, date: &str, hours: &str) -> HoursEntry {
    HoursEntry {
        id: id.into(),
        date: d(date),
        person: person("Ada", "ada@example.org"),
        employer: String::new(),
        project: "Lumen".into(),
        hours: h(hours),
        description: String::new(),
        status: Status::Logged,
        dates: StatusDates::default(),
    }
}

/// A USD gift by `Ada` (ada@example.org) to Lumen, employer from the history, `logged`.
fn gift(id: &str, date: &str, amount: &str) -> Donation {
    Donation {
        id: id.into(),
        date: d(date),
        person: person("Ada", "ada@example.org"),
        employer: String::new(),
        project: "Lumen".into(),
        amount: c(amount),
        currency: cur("USD"),
        status: Status::Logged,
        dates: StatusDates::default(),
    }
}

fn ada_at(employer: &str) -> Record {
    job("Ada", "ada@example.org", employer, "2020-01-01", None)
}

struct Run {
    book: Book,
    ev: Evaluation,
}

impl Run {
    fn new(records: Vec<Record>, as_of: &str) -> Run {
        let book = Book::from_records(&records);
        let ev = evaluate(&book, d(as_of));
        Run { book, ev }
    }

    fn index(&self, id: &str) -> u32 {
        (0..self.book.entries.len() as u32)
            .position(|e| self.book.entry_id(e) == id)
            .unwrap_or_else(|| panic!("no entry {id}")) as u32
    }

    /// Every award of the entry with this id.
    fn all(&self, id: &str) -> &[Award] {
        self.ev.awards_of(self.index(id))
    }

    /// The one award of the entry with this id.
    fn one(&self, id: &str) -> &Award {
        let awards = self.all(id);
        assert_eq!(awards.len(), 1, "{id}: {awards:#?}");
        &awards[0]
    }

    /// The award of the entry under the program version with this id.
    fn under(&self, id: &str, version: &str) -> &Award {
        self.all(id)
            .iter()
            .find(|a| a.program.is_some_and(|p| self.book.programs[p as usize].id == version))
            .unwrap_or_else(|| panic!("{id} has no award under {version}: {:#?}", self.all(id)))
    }

    fn expected(&self, id: &str) -> Cents {
        self.one(id).expected
    }

    fn version_of(&self, id: &str) -> &str {
        let p = self.one(id).program.unwrap_or_else(|| panic!("{id} has no program"));
        &self.book.programs[p as usize].id
    }
}

// ---------------------------------------------------------------------------------------------
// 2. Rate, versions and rounding
// ---------------------------------------------------------------------------------------------

#[test]
fn a_rate_change_mid_year_uses_the_version_in_force_on_each_date() {
    // Microsoft pays 25.00/h until 2025-06-30 and 30.00/h from 2025-07-01.
    //   2025-06-30, 2 h: version v25, 2 × 25.00 = 50.00
    //   2025-07-01, 2 h: version v30, 2 × 30.00 = 60.00
    //   2024-12-31, 1 h: v25 too (it runs from 2024-01-01), 25.00
    //   2023-12-31, 1 h: before any version, so no program
    let mut v25 = rate("v25", "Volunteer Rewards", "Microsoft", "25.00");
    v25.effective_from = d("2024-01-01");
    v25.effective_to = Some(d("2025-06-30"));
    let mut v30 = rate("v30", "Volunteer Rewards", "Microsoft", "30.00");
    v30.effective_from = d("2025-07-01");
    let run = Run::new(
        vec![
            Record::Program(v30),
            Record::Program(v25),
            ada_at("Microsoft"),
            Record::Hours(hrs("h1", "2025-06-30", "2")),
            Record::Hours(hrs("h2", "2025-07-01", "2")),
            Record::Hours(hrs("h3", "2024-12-31", "1")),
            Record::Hours(hrs("h4", "2023-12-31", "1")),
        ],
        "2025-12-31",
    );
    assert_eq!(run.version_of("h1"), "v25");
    assert_eq!(run.expected("h1"), 5000);
    assert_eq!(run.version_of("h2"), "v30");
    assert_eq!(run.expected("h2"), 6000);
    assert_eq!(run.version_of("h3"), "v25");
    assert_eq!(run.expected("h3"), 2500);
    assert_eq!(run.one("h4").program, None);
    assert!(run.one("h4").has(Reason::NoProgram));
    assert_eq!(run.expected("h4"), 0);
}

#[test]
fn rate_amounts_round_half_away_from_zero_per_entry() {
    // 1.3333 h × 25.00   = 33.3325 -> 33.33
    // 0.5 h    × 0.25    = 0.125   -> 0.13 (half away from zero, not to even)
    // 2.5 h    × 20.25   = 50.625  -> 50.63
    // 0.0001 h × 25.00   = 0.0025  -> 0.00
    // 0.0002 h × 25.00   = 0.005   -> 0.01
    // Per entry: three entries of 1.3333 h earn 3 × 33.33 = 99.99, not 3.9999 × 25 = 100.00 (99.9975).
    let records = |per_hour: &str, hours: &[&str]| {
        let mut r = vec![Record::Program(rate("v", "P", "Acme", per_hour)), ada_at("Acme")];
        for (i, x) in hours.iter().enumerate() {
            r.push(Record::Hours(hrs(&format!("h{i}"), "2025-03-01", x)));
        }
        r
    };
    let run = Run::new(records("25.00", &["1.3333", "0.0001", "0.0002"]), "2025-03-02");
    assert_eq!(run.expected("h0"), 3333);
    assert_eq!(run.expected("h1"), 0);
    assert_eq!(run.expected("h2"), 1);
    let run = Run::new(records("0.25", &["0.5"]), "2025-03-02");
    assert_eq!(run.expected("h0"), 13);
    let run = Run::new(records("20.25", &["2.5"]), "2025-03-02");
    assert_eq!(run.expected("h0"), 5063);
    let run = Run::new(records("25", &["1.3333", "1.3333", "1.3333"]), "2025-03-02");
    let total: Cents = (0..3).map(|i| run.expected(&format!("h{i}"))).sum();
    assert_eq!(total, 9999);
}

#[test]
fn match_amounts_round_half_away_from_zero() {
    // 75.25 × 0.5 = 37.625 -> 37.63;  0.01 × 0.5 = 0.005 -> 0.01;  100.00 × 2 = 200.00
    let mut half = matching("half", "Half", "Acme", "0.5");
    half.effective_to = Some(d("2024-12-31"));
    let mut double = matching("double", "Half", "Acme", "2");
    double.effective_from = d("2025-01-01");
    let run = Run::new(
        vec![
            Record::Program(half),
            Record::Program(double),
            ada_at("Acme"),
            Record::Donation(gift("d1", "2024-05-01", "75.25")),
            Record::Donation(gift("d2", "2024-05-02", "0.01")),
            Record::Donation(gift("d3", "2025-05-01", "100.00")),
        ],
        "2025-06-01",
    );
    assert_eq!(run.expected("d1"), 3763);
    assert_eq!(run.one("d1").gift_counted, 7525);
    assert_eq!(run.expected("d2"), 1);
    assert_eq!(run.expected("d3"), 20000);
    assert_eq!(run.version_of("d3"), "double");
}

// ---------------------------------------------------------------------------------------------
// 3. Blocks
// ---------------------------------------------------------------------------------------------

#[test]
fn blocks_are_earned_as_the_running_total_reaches_each_multiple() {
    // 10-hour blocks of 250.00, the contract's worked example:
    //   6 h  -> running 6,  multiples reached 0, earns 0 blocks = 0.00
    //   5 h  -> running 11, multiples reached 1, earns 1 block  = 250.00
    //   9 h  -> running 20, multiples reached 2, earns 1 block  = 250.00
    //   24 h -> running 44, multiples reached 4, earns 2 blocks = 500.00
    // The 4 hours left over do not carry into 2026: 6 h on 2026-01-05 earns 0 (4 + 6 would be a block).
    // Another project has its own running total: 9 h for Quarry earns 0 although Ada passed 10 h.
    let mut quarry = hrs("q1", "2025-01-02", "9");
    quarry.project = "Quarry".into();
    let run = Run::new(
        vec![
            Record::Program(blocks("v", "Dollars for Doers", "Northwind", "10", "250.00")),
            ada_at("Northwind"),
            // Rows out of date order on purpose: blocks follow date order, not row order.
            Record::Hours(hrs("h4", "2025-04-01", "24")),
            Record::Hours(hrs("h2", "2025-02-01", "5")),
            Record::Hours(hrs("h1", "2025-01-01", "6")),
            Record::Hours(hrs("h3", "2025-03-01", "9")),
            Record::Hours(hrs("h5", "2026-01-05", "6")),
            Record::Hours(quarry),
        ],
        "2026-01-31",
    );
    let earned: Vec<Cents> = ["h1", "h2", "h3", "h4", "h5"].iter().map(|id| run.expected(id)).collect();
    assert_eq!(earned, [0, 25000, 25000, 50000, 0]);
    let running: Vec<i64> = ["h1", "h2", "h3", "h4"].iter().map(|id| run.one(id).running_hours).collect();
    assert_eq!(running, [h("6"), h("11"), h("20"), h("44")]);
    assert_eq!(run.one("h5").year, 2026);
    assert_eq!(run.one("h5").running_hours, h("6"));
    assert_eq!(run.expected("q1"), 0);
}

#[test]
fn fractional_block_hours_count_exactly() {
    // 2.5-hour blocks of 40.00: 1.25 + 1.25 = 2.5 exactly reaches one block on the second entry;
    // 2.4999 more (running 4.9999) reaches none; 0.0001 more (running 5.0000) reaches the second.
    let run = Run::new(
        vec![
            Record::Program(blocks("v", "B", "Acme", "2.5", "40.00")),
            ada_at("Acme"),
            Record::Hours(hrs("h1", "2025-01-01", "1.25")),
            Record::Hours(hrs("h2", "2025-01-02", "1.25")),
            Record::Hours(hrs("h3", "2025-01-03", "2.4999")),
            Record::Hours(hrs("h4", "2025-01-04", "0.0001")),
        ],
        "2025-02-01",
    );
    let earned: Vec<Cents> = ["h1", "h2", "h3", "h4"].iter().map(|id| run.expected(id)).collect();
    assert_eq!(earned, [0, 4000, 0, 4000]);
}

// ---------------------------------------------------------------------------------------------
// 4. Threshold
// ---------------------------------------------------------------------------------------------

#[test]
fn a_threshold_once_reached_counts_the_hours_before_it() {
    // Northwind: 10-hour blocks of 250.00, min_hours 20. Emma gives Quarry (the sample book):
    //   3 (3), 4 (7), 2.5 (9.5), 5 (14.5: first block), 3.5 (18), 2 (20: second block, threshold)
    // The year's total is 20 >= 20, so all count: 0, 0, 0, 250.00, 0, 250.00.
    // Her 2 h for Lumen are a separate total (2 < 20): 0.00, threshold not reached.
    let emma = |id: &str, date: &str, hours: &str, project: &str| {
        let mut e = hrs(id, date, hours);
        e.person = person("Emma Novak", "emma@example.com");
        e.project = project.into();
        Record::Hours(e)
    };
    let mut program = blocks("v", "Dollars for Doers", "Northwind", "10", "250.00");
    program.min_hours = Some(h("20"));
    let run = Run::new(
        vec![
            Record::Program(program),
            job("Emma Novak", "emma@example.com", "Northwind", "2024-02-01", None),
            emma("e1", "2025-01-25", "3", "Quarry"),
            emma("e2", "2025-02-08", "4", "Quarry"),
            emma("e3", "2025-02-22", "2.5", "Quarry"),
            emma("e4", "2025-03-08", "5", "Quarry"),
            emma("e5", "2025-03-29", "3.5", "Quarry"),
            emma("e6", "2025-04-12", "2", "Quarry"),
            emma("l1", "2025-04-12", "2", "Lumen"),
        ],
        "2025-12-31",
    );
    let earned: Vec<Cents> = ["e1", "e2", "e3", "e4", "e5", "e6"].iter().map(|id| run.expected(id)).collect();
    assert_eq!(earned, [0, 0, 0, 25000, 0, 25000]);
    for id in ["e1", "e4", "e6"] {
        assert!(run.one(id).has(Reason::ThresholdReached), "{id}");
        assert!(!run.one(id).has(Reason::ThresholdNotReached), "{id}");
        assert_eq!(run.one(id).year_hours, h("20"));
    }
    assert_eq!(run.expected("l1"), 0);
    assert!(run.one("l1").has(Reason::ThresholdNotReached));
}

#[test]
fn a_year_that_never_reaches_the_threshold_earns_nothing() {
    // Ben gives Tessel 1.5 + 10 + 2 = 13.5 h at Northwind in 2025, then changes jobs.
    // By blocks alone the 10 h entry would reach one block (running 11.5) = 250.00,
    // but 13.5 < 20, so every entry earns 0 with reason "threshold not reached".
    // In 2024 he gave 20 h: that year reaches the threshold, 2 blocks = 500.00.
    let ben = |id: &str, date: &str, hours: &str| {
        let mut e = hrs(id, date, hours);
        e.person = person("Ben", "ben@example.net");
        e.project = "Tessel".into();
        Record::Hours(e)
    };
    let mut program = blocks("v", "Dollars for Doers", "Northwind", "10", "250.00");
    program.min_hours = Some(h("20"));
    let run = Run::new(
        vec![
            Record::Program(program),
            job("Ben", "ben@example.net", "Northwind", "2019-09-01", Some("2025-05-31")),
            ben("b1", "2025-01-11", "1.5"),
            ben("b2", "2025-02-11", "10"),
            ben("b3", "2025-05-11", "2"),
            ben("old", "2024-05-11", "20"),
        ],
        "2025-12-31",
    );
    for id in ["b1", "b2", "b3"] {
        assert_eq!(run.expected(id), 0, "{id}");
        assert!(run.one(id).has(Reason::ThresholdNotReached), "{id}");
        assert_eq!(run.one(id).year_hours, h("13.5"));
    }
    assert_eq!(run.one("b2").base, 25000, "the block is computed, then the threshold removes it");
    assert_eq!(run.expected("old"), 50000);
}

#[test]
fn a_threshold_applies_to_rate_programs_too() {
    // 10.00/h, min_hours 5: 3 h + 2 h = 5 h reaches it, so 30.00 and 20.00.
    // Another person with only 4.9999 h earns 0 (49.999 would round to 50.00).
    let mut program = rate("v", "P", "Acme", "10");
    program.min_hours = Some(h("5"));
    let mut bob = hrs("b1", "2025-01-01", "4.9999");
    bob.person = person("Bob", "bob@example.org");
    let run = Run::new(
        vec![
            Record::Program(program),
            ada_at("Acme"),
            job("Bob", "bob@example.org", "Acme", "2020-01-01", None),
            Record::Hours(hrs("h1", "2025-01-01", "3")),
            Record::Hours(hrs("h2", "2025-06-01", "2")),
            Record::Hours(bob),
        ],
        "2025-12-31",
    );
    assert_eq!(run.expected("h1"), 3000);
    assert_eq!(run.expected("h2"), 2000);
    assert_eq!(run.one("b1").base, 5000);
    assert_eq!(run.expected("b1"), 0);
    assert!(run.one("b1").has(Reason::ThresholdNotReached));
}

// ---------------------------------------------------------------------------------------------
// 5. Caps
// ---------------------------------------------------------------------------------------------

#[test]
fn a_cap_group_is_shared_by_volunteer_and_donation_programs() {
    // Acme's volunteer (25.00/h) and gift (1:1) programs share cap group "giving", 500.00 a year.
    //   2025-01-10  10 h   = 250.00, used 250.00
    //   2025-02-10  gift   = 200.00, used 450.00
    //   2025-03-10  4 h    = 100.00, only 50.00 left: cut to 50.00 (capped), used 500.00
    //   2025-04-10  gift 100.00 -> 0.00 (capped)
    //   2025-05-10  1 h    -> 0.00 (capped)
    // Acme's third program, "Extra" (10.00/h, own cap 1000.00), is not in the group: its award
    // for the same hours is not limited by "giving": 10 h = 100.00, 4 h = 40.00, 1 h = 10.00.
    // Another person starts from an empty pool: Bob's 4 h = 100.00.
    let mut vol = rate("vol", "Volunteer", "Acme", "25");
    vol.annual_cap = Some(c("500"));
    vol.cap_group = "giving".into();
    let mut give = matching("give", "Give", "Acme", "1");
    give.annual_cap = Some(c("500"));
    give.cap_group = "Giving ".into(); // the same group, compared like names
    let mut extra = rate("extra", "Extra", "Acme", "10");
    extra.annual_cap = Some(c("1000"));
    let mut bob = hrs("b1", "2025-03-10", "4");
    bob.person = person("Bob", "bob@example.org");
    let run = Run::new(
        vec![
            Record::Program(vol),
            Record::Program(give),
            Record::Program(extra),
            ada_at("Acme"),
            job("Bob", "bob@example.org", "Acme", "2020-01-01", None),
            Record::Hours(hrs("h1", "2025-01-10", "10")),
            Record::Donation(gift("d1", "2025-02-10", "200")),
            Record::Hours(hrs("h2", "2025-03-10", "4")),
            Record::Donation(gift("d2", "2025-04-10", "100")),
            Record::Hours(hrs("h3", "2025-05-10", "1")),
            Record::Hours(bob),
        ],
        "2025-06-01",
    );
    assert_eq!(run.under("h1", "vol").expected, 25000);
    assert_eq!(run.expected("d1"), 20000);
    let cut = run.under("h2", "vol");
    assert_eq!((cut.base, cut.expected, cut.cap_left), (10000, 5000, Some(5000)));
    assert!(cut.has(Reason::Capped));
    assert_eq!(run.expected("d2"), 0);
    assert!(run.one("d2").has(Reason::Capped));
    assert_eq!(run.under("h3", "vol").expected, 0);
    assert!(run.under("h3", "vol").has(Reason::Capped));
    assert!(!run.under("h1", "vol").has(Reason::Capped));
    // Not in the group.
    assert_eq!(run.under("h1", "extra").expected, 10000);
    assert_eq!(run.under("h2", "extra").expected, 4000);
    assert_eq!(run.under("h3", "extra").expected, 1000);
    assert!(!run.under("h3", "extra").has(Reason::Capped));
    // Another person.
    assert_eq!(run.under("b1", "vol").expected, 10000);
}

#[test]
fn cap_groups_of_different_employers_are_different_pools() {
    // Both employers call their group "giving" with a 100.00 cap; Ada works for both.
    // 2025-01-01 4 h at Acme 25.00/h = 100.00 fills Acme's pool; 4 h at Initech 25.00/h = 100.00
    // fills Initech's. Neither is capped.
    let mut a = rate("a", "Volunteer", "Acme", "25");
    a.annual_cap = Some(c("100"));
    a.cap_group = "giving".into();
    let mut b = rate("b", "Volunteer", "Initech", "25");
    b.annual_cap = Some(c("100"));
    b.cap_group = "giving".into();
    let run = Run::new(
        vec![
            Record::Program(a),
            Record::Program(b),
            ada_at("Acme"),
            ada_at("Initech"),
            Record::Hours(hrs("h1", "2025-01-01", "4")),
        ],
        "2025-02-01",
    );
    assert_eq!(run.under("h1", "a").expected, 10000);
    assert_eq!(run.under("h1", "b").expected, 10000);
    assert!(!run.under("h1", "b").has(Reason::Capped));
}

#[test]
fn the_cap_resets_on_the_program_year_start() {
    // Fabrikam: 20.00/h, cap 300.00, year_start 07-01.
    //   2025-06-20 12 h = 240.00, program year 2024 (2024-07-01..2025-06-30), used 240.00
    //   2025-06-30  4 h =  80.00, only 60.00 left: cut to 60.00 (capped)
    //   2025-07-01  4 h =  80.00, program year 2025: a fresh cap, 80.00
    //   2024-07-01 is in the same program year as 2025-06-20 (2024): 1 h = 20.00, first in
    //   date order, so the 2025-06-20 entry is the one cut: 20 + 240 = 260, then 4 h cut to 40.00.
    let mut program = rate("v", "Community Hours", "Fabrikam", "20");
    program.annual_cap = Some(c("300"));
    program.year_start = "07-01".parse().unwrap();
    let run = Run::new(
        vec![
            Record::Program(program),
            ada_at("Fabrikam"),
            Record::Hours(hrs("h1", "2025-06-20", "12")),
            Record::Hours(hrs("h2", "2025-06-30", "4")),
            Record::Hours(hrs("h3", "2025-07-01", "4")),
            Record::Hours(hrs("h0", "2024-07-01", "1")),
        ],
        "2025-12-31",
    );
    assert_eq!(run.one("h0").year, 2024);
    assert_eq!(run.one("h1").year, 2024);
    assert_eq!(run.one("h2").year, 2024);
    assert_eq!(run.one("h3").year, 2025);
    assert_eq!(run.expected("h0"), 2000);
    assert_eq!(run.expected("h1"), 24000);
    assert_eq!(run.expected("h2"), 4000);
    assert!(run.one("h2").has(Reason::Capped));
    assert_eq!(run.expected("h3"), 8000);
    assert!(!run.one("h3").has(Reason::Capped));
    assert_eq!(run.one("h3").cap_left, Some(30000));
}

// ---------------------------------------------------------------------------------------------
// 6. Deadlines
// ---------------------------------------------------------------------------------------------

fn fabrikam() -> ProgramVersion {
    let mut program = rate("v", "Community Hours", "Fabrikam", "20");
    program.year_start = "07-01".parse().unwrap();
    program.claim_days = Some(120);
    program
}

#[test]
fn logged_entries_expire_after_the_claim_deadline_submitted_ones_do_not() {
    // Fabrikam: 20.00/h, year_start 07-01, claim_days 120.
    //   2025-06-10, 2 h, logged:      year 2024 ends 2025-06-30, deadline 2025-10-28:
    //                                  as of 2025-12-31 expired, earns 0 (base still 40.00)
    //   2025-05-20, 3.5 h, submitted: same deadline, never expires: 70.00
    //   2025-07-15, 4 h, logged:      year 2025, deadline 2026-10-28, not yet due: 80.00
    //   approved and paid entries never expire either.
    let mut submitted = hrs("s", "2025-05-20", "3.5");
    submitted.status = Status::Submitted;
    let mut approved = hrs("a", "2025-05-21", "1");
    approved.status = Status::Approved;
    let mut paid = hrs("p", "2025-05-22", "1");
    paid.status = Status::Paid;
    let records = vec![
        Record::Program(fabrikam()),
        ada_at("Fabrikam"),
        Record::Hours(hrs("old", "2025-06-10", "2")),
        Record::Hours(submitted),
        Record::Hours(hrs("new", "2025-07-15", "4")),
        Record::Hours(approved),
        Record::Hours(paid),
    ];
    let run = Run::new(records.clone(), "2025-12-31");
    let old = run.one("old");
    assert_eq!(old.deadline, Some(d("2025-10-28")));
    assert!(old.has(Reason::Expired));
    assert_eq!((old.base, old.expected, old.fee), (4000, 0, 0));
    assert_eq!(run.one("s").deadline, Some(d("2025-10-28")));
    assert!(!run.one("s").has(Reason::Expired));
    assert_eq!(run.expected("s"), 7000);
    assert_eq!(run.expected("a"), 2000);
    assert_eq!(run.expected("p"), 2000);
    assert_eq!(run.one("new").deadline, Some(d("2026-10-28")));
    assert_eq!(run.expected("new"), 8000);
    // On the deadline itself the entry is not yet expired; the day after it is.
    let on = Run::new(records.clone(), "2025-10-28");
    assert_eq!(on.expected("old"), 4000);
    assert!(!on.one("old").has(Reason::Expired));
    let after = Run::new(records, "2025-10-29");
    assert!(after.one("old").has(Reason::Expired));
}

#[test]
fn expired_entries_use_no_cap_room_and_add_no_hours() {
    // 20.00/h, cap 100.00, claim_days 30, year_start 01-01: 2024 entries have deadline 2025-01-30.
    //   2024-03-01 4 h logged    = 80.00
    //   2024-04-01 4 h submitted = 80.00
    // As of 2025-01-30 (not expired): 80.00, then 20.00 left: cut to 20.00 (capped).
    // As of 2025-01-31 the first has expired: it earns 0 and takes no room, so 80.00 in full.
    let mut program = rate("v", "P", "Acme", "20");
    program.annual_cap = Some(c("100"));
    program.claim_days = Some(30);
    let mut submitted = hrs("h2", "2024-04-01", "4");
    submitted.status = Status::Submitted;
    let records = vec![
        Record::Program(program),
        ada_at("Acme"),
        Record::Hours(hrs("h1", "2024-03-01", "4")),
        Record::Hours(submitted.clone()),
    ];
    let before = Run::new(records.clone(), "2025-01-30");
    assert_eq!(before.one("h1").deadline, Some(d("2025-01-30")));
    assert_eq!(before.expected("h1"), 8000);
    assert_eq!(before.expected("h2"), 2000);
    assert!(before.one("h2").has(Reason::Capped));
    let after = Run::new(records, "2025-01-31");
    assert_eq!(after.expected("h1"), 0);
    assert!(after.one("h1").has(Reason::Expired));
    assert_eq!(after.expected("h2"), 8000);
    assert!(!after.one("h2").has(Reason::Capped));

    // Blocks of 5 h (100.00), claim_days 30: an expired 4 h entry does not help a submitted 1 h
    // entry reach a block: as of 2025-01-31, the 1 h entry's running total is 1 h, 0 blocks.
    let mut program = blocks("v", "B", "Acme", "5", "100");
    program.claim_days = Some(30);
    let mut one = hrs("h2", "2024-04-01", "1");
    one.status = Status::Submitted;
    let records =
        vec![Record::Program(program), ada_at("Acme"), Record::Hours(hrs("h1", "2024-03-01", "4")), Record::Hours(one)];
    let before = Run::new(records.clone(), "2025-01-30");
    assert_eq!(before.expected("h2"), 10000);
    let after = Run::new(records, "2025-01-31");
    assert_eq!(after.expected("h2"), 0);
    assert_eq!(after.one("h2").running_hours, h("1"));
}

#[test]
fn validity_range_of_an_evaluation_stops_at_deadlines_of_logged_entries() {
    // Two logged entries: 2025-06-10 (deadline 2025-10-28) and 2025-07-15 (deadline 2026-10-28),
    // and a submitted one (deadline 2025-10-28, but it cannot expire, so it draws no boundary).
    // The awards change on 2025-10-29 and on 2026-10-29, so:
    //   as of 2025-10-28: valid 0001-01-01 ..= 2025-10-28
    //   as of 2025-10-29: valid 2025-10-29 ..= 2026-10-28
    //   as of 2025-12-31: valid 2025-10-29 ..= 2026-10-28
    //   as of 2026-10-29: valid 2026-10-29 ..= 9999-12-31
    let mut submitted = hrs("s", "2025-05-20", "3.5");
    submitted.status = Status::Submitted;
    let records = vec![
        Record::Program(fabrikam()),
        ada_at("Fabrikam"),
        Record::Hours(hrs("old", "2025-06-10", "2")),
        Record::Hours(hrs("new", "2025-07-15", "4")),
        Record::Hours(submitted),
    ];
    let range = |as_of: &str| {
        let run = Run::new(records.clone(), as_of);
        (run.ev.valid_from, run.ev.valid_to)
    };
    assert_eq!(range("2025-10-28"), (FIRST_DATE, d("2025-10-28")));
    assert_eq!(range("2025-10-29"), (d("2025-10-29"), d("2026-10-28")));
    assert_eq!(range("2025-12-31"), (d("2025-10-29"), d("2026-10-28")));
    assert_eq!(range("2026-10-29"), (d("2026-10-29"), LAST_DATE));
    // And the awards really are the same over each range and differ across its ends.
    let expected = |as_of: &str| {
        let run = Run::new(records.clone(), as_of);
        (run.expected("old"), run.expected("new"), run.expected("s"))
    };
    assert_eq!(expected("2025-10-28"), (4000, 8000, 7000));
    assert_eq!(expected("2025-10-29"), (0, 8000, 7000));
    assert_eq!(expected("2026-10-28"), (0, 8000, 7000));
    assert_eq!(expected("2026-10-29"), (0, 0, 7000));
}

// ---------------------------------------------------------------------------------------------
// 7. Fees
// ---------------------------------------------------------------------------------------------

#[test]
fn fees_are_rounded_per_entry_on_the_expected_amount() {
    // Rate 25.00, fee_rate 0.029:  2.5 h = 62.50; fee 62.50 × 0.029 = 1.8125 -> 1.81; net 60.69.
    // Match 0.5, fee_rate 0.025: 75.25 -> 37.63; fee 37.63 × 0.025 = 0.94075 -> 0.94; net 36.69.
    // fee_rate 0.05 on 2.50 (0.1 h): 0.125 -> 0.13 (half away from zero).
    // The fee is taken from what is expected after the cap: cap 70.00, a 4 h entry (100.00) after
    // the 62.50 one is cut to 7.50, fee 7.50 × 0.029 = 0.2175 -> 0.22.
    // No fee_rate: no fee.
    let mut vol = rate("vol", "Volunteer", "Acme", "25");
    vol.fee_rate = Some(dec("0.029"));
    vol.annual_cap = Some(c("70"));
    let mut give = matching("give", "Give", "Acme", "0.5");
    give.fee_rate = Some(dec("0.025"));
    let mut small = rate("small", "Small", "Initech", "25");
    small.fee_rate = Some(dec("0.05"));
    let direct = rate("direct", "Direct", "Tailspin", "15");
    let at = |id: &str, date: &str, hours: &str, employer: &str| {
        let mut e = hrs(id, date, hours);
        e.employer = employer.into();
        Record::Hours(e)
    };
    let run = Run::new(
        vec![
            Record::Program(vol),
            Record::Program(give),
            Record::Program(small),
            Record::Program(direct),
            ada_at("Acme"),
            at("h1", "2025-01-01", "2.5", "Acme"),
            at("h2", "2025-01-02", "4", "Acme"),
            Record::Donation(gift("d1", "2025-01-03", "75.25")),
            at("s1", "2025-01-01", "0.1", "Initech"),
            at("t1", "2025-01-01", "2", "Tailspin"),
        ],
        "2025-02-01",
    );
    let a = run.one("h1");
    assert_eq!((a.expected, a.fee, a.net()), (6250, 181, 6069));
    let a = run.one("h2");
    assert_eq!((a.base, a.expected, a.fee, a.net()), (10000, 750, 22, 728));
    let a = run.one("d1");
    assert_eq!((a.expected, a.fee, a.net()), (3763, 94, 3669));
    let a = run.one("s1");
    assert_eq!((a.expected, a.fee, a.net()), (250, 13, 237));
    let a = run.one("t1");
    assert_eq!((a.expected, a.fee, a.net()), (3000, 0, 3000));
}

#[test]
fn entries_that_earn_nothing_pay_no_fee() {
    // An expired entry (base 40.00) with fee_rate 0.025 has fee 0.00, not 1.00.
    let mut program = fabrikam();
    program.fee_rate = Some(dec("0.025"));
    let run = Run::new(
        vec![Record::Program(program), ada_at("Fabrikam"), Record::Hours(hrs("old", "2025-06-10", "2"))],
        "2025-12-31",
    );
    let a = run.one("old");
    assert_eq!((a.base, a.expected, a.fee), (4000, 0, 0));
}

// ---------------------------------------------------------------------------------------------
// 8. Employers and programs
// ---------------------------------------------------------------------------------------------

#[test]
fn the_employer_comes_from_the_employment_on_the_entry_date() {
    // Ben: Northwind 2019-09-01..=2025-05-31 (10.00/h), Fabrikam from 2025-06-16 (20.00/h).
    //   2025-05-31 1 h: Northwind, 10.00 (the end day is inclusive)
    //   2025-06-07 1 h: between jobs: no employer, 0.00
    //   2025-06-16 1 h: Fabrikam, 20.00 (the start day is inclusive)
    //   2025-06-07 1 h with employer "Fabrikam" written in: the column wins, 20.00
    let ben = |id: &str, date: &str| {
        let mut e = hrs(id, date, "1");
        e.person = person("Ben", "ben@example.net");
        e
    };
    let mut explicit = ben("x", "2025-06-07");
    explicit.employer = "fabrikam".into();
    let run = Run::new(
        vec![
            Record::Program(rate("nw", "Doers", "Northwind", "10")),
            Record::Program(rate("fb", "Hours", "Fabrikam", "20")),
            job("Ben", "ben@example.net", "Northwind", "2019-09-01", Some("2025-05-31")),
            job("Ben", "ben@example.net", "Fabrikam", "2025-06-16", None),
            Record::Hours(ben("h1", "2025-05-31")),
            Record::Hours(ben("h2", "2025-06-07")),
            Record::Hours(ben("h3", "2025-06-16")),
            Record::Hours(explicit),
        ],
        "2025-12-31",
    );
    assert_eq!((run.version_of("h1"), run.expected("h1")), ("nw", 1000));
    let gap = run.one("h2");
    assert_eq!((gap.program, gap.expected), (None, 0));
    assert!(gap.has(Reason::NoEmployer));
    assert!(!gap.has(Reason::NoProgram));
    assert_eq!(gap.currency, Currency::NONE);
    assert_eq!((run.version_of("h3"), run.expected("h3")), ("fb", 2000));
    assert_eq!((run.version_of("x"), run.expected("x")), ("fb", 2000));
}

#[test]
fn a_person_with_no_employer_at_all_earns_nothing() {
    // Felix has no employment rows: no employer, 0.00; his gift keeps its own currency.
    let mut felix = hrs("f1", "2025-03-01", "3");
    felix.person = person("Felix", "");
    let mut felix_gift = gift("f2", "2025-03-01", "50");
    felix_gift.person = person("Felix", "");
    felix_gift.currency = cur("EUR");
    let run = Run::new(
        vec![Record::Program(rate("v", "P", "Acme", "25")), Record::Hours(felix), Record::Donation(felix_gift)],
        "2025-12-31",
    );
    assert!(run.one("f1").has(Reason::NoEmployer));
    assert_eq!(run.expected("f1"), 0);
    assert!(run.one("f2").has(Reason::NoEmployer));
    assert_eq!(run.one("f2").currency, cur("EUR"));
}

#[test]
fn overlapping_employments_earn_from_every_employer() {
    // Ada works for Acme (25.00/h) and, from 2025-03-01, also for Initech (blocks of 2 h, 50.00).
    //   2025-02-01 4 h: Acme only = 100.00
    //   2025-03-01 4 h: Acme 100.00 and Initech 2 blocks = 100.00
    let run = Run::new(
        vec![
            Record::Program(rate("acme", "Volunteer", "Acme", "25")),
            Record::Program(blocks("initech", "Volunteer", "Initech", "2", "50")),
            ada_at("Acme"),
            job("Ada", "ada@example.org", "Initech", "2025-03-01", None),
            Record::Hours(hrs("h1", "2025-02-01", "4")),
            Record::Hours(hrs("h2", "2025-03-01", "4")),
        ],
        "2025-12-31",
    );
    assert_eq!((run.version_of("h1"), run.expected("h1")), ("acme", 10000));
    assert_eq!(run.all("h2").len(), 2);
    assert_eq!(run.under("h2", "acme").expected, 10000);
    assert_eq!(run.under("h2", "initech").expected, 10000);
}

#[test]
fn an_employer_without_a_program_of_the_right_kind_means_no_program() {
    // Acme has only a donation program, from 2025-01-01:
    //   hours on 2025-02-01: no volunteer program -> no program, 0.00
    //   gift on 2024-12-31: the donation program is not yet in force -> no program, 0.00
    //   gift on 2025-02-01: 1:1, 30.00
    let run = Run::new(
        vec![
            Record::Program({
                let mut v = matching("give", "Give", "Acme", "1");
                v.effective_from = d("2025-01-01");
                v
            }),
            ada_at("Acme"),
            Record::Hours(hrs("h1", "2025-02-01", "4")),
            Record::Donation(gift("d0", "2024-12-31", "30")),
            Record::Donation(gift("d1", "2025-02-01", "30")),
        ],
        "2025-12-31",
    );
    for id in ["h1", "d0"] {
        let a = run.one(id);
        assert!(a.has(Reason::NoProgram), "{id}");
        assert!(!a.has(Reason::NoEmployer), "{id}");
        assert_eq!((a.program, a.expected), (None, 0), "{id}");
    }
    assert_eq!(run.expected("d1"), 3000);
}

// ---------------------------------------------------------------------------------------------
// Status: rejected
// ---------------------------------------------------------------------------------------------

#[test]
fn rejected_entries_earn_nothing_and_take_part_in_nothing() {
    // 20.00/h, cap 100.00:
    //   2025-01-01 4 h rejected  -> 0.00 (would be 80.00), uses no cap room
    //   2025-02-01 4 h logged    -> 80.00, not capped (80 <= 100)
    //   2025-02-02 1 h logged    -> 20.00, exactly reaches the cap: not cut
    //   2025-02-03 1 h logged    -> 0.00, capped
    // Blocks of 5 h (100.00) at Initech: a rejected 4 h entry adds no hours, so a later 1 h entry
    // has a running total of 1 h and earns 0.
    let mut program = rate("v", "P", "Acme", "20");
    program.annual_cap = Some(c("100"));
    let mut rejected = hrs("r", "2025-01-01", "4");
    rejected.status = Status::Rejected;
    rejected.employer = "Acme".into();
    let mut rejected_block = hrs("rb", "2025-01-01", "4");
    rejected_block.status = Status::Rejected;
    rejected_block.employer = "Initech".into();
    let mut one_block = hrs("ob", "2025-01-02", "1");
    one_block.employer = "Initech".into();
    let acme = |id: &str, date: &str, hours: &str| {
        let mut e = hrs(id, date, hours);
        e.employer = "Acme".into();
        Record::Hours(e)
    };
    let run = Run::new(
        vec![
            Record::Program(program),
            Record::Program(blocks("b", "B", "Initech", "5", "100")),
            Record::Hours(rejected),
            acme("h1", "2025-02-01", "4"),
            acme("h2", "2025-02-02", "1"),
            acme("h3", "2025-02-03", "1"),
            Record::Hours(rejected_block),
            Record::Hours(one_block),
        ],
        "2025-12-31",
    );
    let r = run.one("r");
    assert!(r.has(Reason::Rejected));
    assert_eq!((r.base, r.expected, r.fee), (8000, 0, 0));
    assert_eq!(run.expected("h1"), 8000);
    assert!(!run.one("h1").has(Reason::Capped));
    assert_eq!(run.expected("h2"), 2000);
    assert!(!run.one("h2").has(Reason::Capped));
    assert_eq!(run.expected("h3"), 0);
    assert!(run.one("h3").has(Reason::Capped));
    assert!(run.one("rb").has(Reason::Rejected));
    assert_eq!(run.expected("ob"), 0);
    assert_eq!(run.one("ob").running_hours, h("1"));
}

// ---------------------------------------------------------------------------------------------
// Donations: min_gift, max_gift, currency
// ---------------------------------------------------------------------------------------------

#[test]
fn gifts_below_min_gift_earn_nothing_and_only_max_gift_is_matched() {
    // Ratio 1, min 25.00, max 1000.00:
    //   500.00  -> 500.00
    //   1200.00 -> min(1200.00, 1000.00) × 1 = 1000.00 (max gift)
    //   20.00   -> below min_gift: 0.00
    //   25.00   -> exactly min_gift is matched: 25.00
    //   1000.00 -> exactly max_gift: 1000.00, not flagged as cut
    let mut program = matching("give", "Give", "Acme", "1");
    program.earning = Earning::Match { ratio: dec("1"), min_gift: Some(c("25")), max_gift: Some(c("1000")) };
    let run = Run::new(
        vec![
            Record::Program(program),
            ada_at("Acme"),
            Record::Donation(gift("d1", "2025-01-01", "500")),
            Record::Donation(gift("d2", "2025-01-02", "1200")),
            Record::Donation(gift("d3", "2025-01-03", "20")),
            Record::Donation(gift("d4", "2025-01-04", "25")),
            Record::Donation(gift("d5", "2025-01-05", "1000")),
        ],
        "2025-12-31",
    );
    assert_eq!(run.expected("d1"), 50000);
    let big = run.one("d2");
    assert_eq!((big.gift_counted, big.expected), (100000, 100000));
    assert!(big.has(Reason::MaxGift));
    assert_eq!(run.expected("d3"), 0);
    assert!(run.one("d3").has(Reason::BelowMinGift));
    assert_eq!(run.expected("d4"), 2500);
    assert!(!run.one("d4").has(Reason::BelowMinGift));
    assert_eq!(run.expected("d5"), 100000);
    assert!(!run.one("d5").has(Reason::MaxGift));
}

#[test]
fn a_gift_in_another_currency_is_not_matched() {
    // Tailspin's gift program matches GBP 1:1. A USD 40.00 gift: reason currency, 0.00, and the
    // award stays in the gift's currency, where reports count the gift. A GBP 40.00 gift: 40.00 GBP.
    let mut program = matching("give", "Giving", "Tailspin", "1");
    program.currency = cur("GBP");
    let mut pounds = gift("gbp", "2025-01-02", "40");
    pounds.currency = cur("GBP");
    let run = Run::new(
        vec![
            Record::Program(program),
            ada_at("Tailspin"),
            Record::Donation(gift("usd", "2025-01-01", "40")),
            Record::Donation(pounds),
        ],
        "2025-12-31",
    );
    let usd = run.one("usd");
    assert!(usd.has(Reason::Currency));
    assert_eq!((usd.base, usd.expected, usd.currency), (0, 0, cur("USD")));
    let gbp = run.one("gbp");
    assert!(!gbp.has(Reason::Currency));
    assert_eq!((gbp.expected, gbp.currency), (4000, cur("GBP")));
}

// ---------------------------------------------------------------------------------------------
// Fine points: the order of entries on one date
// ---------------------------------------------------------------------------------------------

#[test]
fn on_one_date_donations_come_before_hours_for_the_cap() {
    // Shared cap 100.00; 25.00/h and 1:1. On 2025-03-01 Ada logs 4 h (100.00) and gives 100.00.
    // The donation goes first: it takes 100.00, the hours are capped to 0.00 - whatever the row
    // order or the ids (the hours' id sorts first).
    let mut vol = rate("vol", "Volunteer", "Acme", "25");
    vol.annual_cap = Some(c("100"));
    vol.cap_group = "g".into();
    let mut give = matching("give", "Give", "Acme", "1");
    give.annual_cap = Some(c("100"));
    give.cap_group = "g".into();
    let mut records = vec![
        Record::Program(vol),
        Record::Program(give),
        ada_at("Acme"),
        Record::Hours(hrs("a-hours", "2025-03-01", "4")),
        Record::Donation(gift("z-gift", "2025-03-01", "100")),
    ];
    for _ in 0..2 {
        let run = Run::new(records.clone(), "2025-12-31");
        assert_eq!(run.expected("z-gift"), 10000);
        assert_eq!(run.expected("a-hours"), 0);
        assert!(run.one("a-hours").has(Reason::Capped));
        records.reverse();
    }
}

#[test]
fn on_one_date_larger_entries_come_first_for_the_cap() {
    // Cap 250.00, 1:1. On 2025-03-01 gifts of 200.00 (id "a") and 300.00 (id "b").
    // Larger first: 300.00 is cut to 250.00 (capped), then 200.00 earns 0.00 (capped).
    // By id or row order it would be 200.00 then 50.00.
    // Hours likewise, 10.00/h, cap 50.00: 2 h (id "a") and 3 h (id "b") on one date:
    // 3 h = 30.00 first, then 2 h = 20.00 exactly fills the cap.
    // Equal hours on one date at Initech (cap 50.00): the description decides, "a" before "b".
    let mut give = matching("give", "Give", "Acme", "1");
    give.annual_cap = Some(c("250"));
    let mut vol = rate("vol", "Volunteer", "Acme", "10");
    vol.annual_cap = Some(c("50"));
    let mut x = hrs("h-c", "2025-06-01", "4");
    x.description = "b".into();
    let mut y = hrs("h-d", "2025-06-01", "4");
    y.description = "a".into();
    let mut vol2 = rate("vol2", "Later", "Initech", "10");
    vol2.annual_cap = Some(c("50"));
    x.employer = "Initech".into();
    y.employer = "Initech".into();
    let mut records = vec![
        Record::Program(give),
        Record::Program(vol),
        Record::Program(vol2),
        ada_at("Acme"),
        Record::Donation(gift("a", "2025-03-01", "200")),
        Record::Donation(gift("b", "2025-03-01", "300")),
        Record::Hours(hrs("ha", "2025-04-01", "2")),
        Record::Hours(hrs("hb", "2025-04-01", "3")),
        Record::Hours(x),
        Record::Hours(y),
    ];
    for _ in 0..2 {
        let run = Run::new(records.clone(), "2025-12-31");
        assert_eq!(run.expected("b"), 25000);
        assert!(run.one("b").has(Reason::Capped));
        assert_eq!(run.expected("a"), 0);
        assert!(run.one("a").has(Reason::Capped));
        assert_eq!(run.expected("hb"), 3000);
        assert_eq!(run.expected("ha"), 2000);
        assert!(!run.one("ha").has(Reason::Capped));
        // The Initech pair: description "a" (h-d) takes 40.00, "b" (h-c) is cut to 10.00.
        assert_eq!(run.expected("h-d"), 4000);
        assert_eq!(run.expected("h-c"), 1000);
        records.reverse();
    }
}

#[test]
fn on_one_date_the_project_name_orders_equal_entries() {
    // Cap 50.00, 10.00/h. On 2025-05-01, 4 h for Quarry (id "a") and 4 h for lumen (id "b"):
    // "lumen" sorts before "Quarry" (compared case-insensitively), so Lumen gets 40.00 and
    // Quarry is cut to 10.00.
    let mut vol = rate("vol", "Volunteer", "Acme", "10");
    vol.annual_cap = Some(c("50"));
    let mut q = hrs("a", "2025-05-01", "4");
    q.project = "Quarry".into();
    let mut l = hrs("b", "2025-05-01", "4");
    l.project = "lumen".into();
    let mut records = vec![Record::Program(vol), ada_at("Acme"), Record::Hours(q), Record::Hours(l)];
    for _ in 0..2 {
        let run = Run::new(records.clone(), "2025-12-31");
        assert_eq!(run.expected("b"), 4000);
        assert_eq!(run.expected("a"), 1000);
        assert!(run.one("a").has(Reason::Capped));
        records.reverse();
    }
}

// ---------------------------------------------------------------------------------------------
// Fine points: who is who
// ---------------------------------------------------------------------------------------------

#[test]
fn employments_match_entries_by_email_where_both_have_one_otherwise_by_name() {
    // The employment row: "Ada Lindqvist", ada@example.org, Acme (25.00/h).
    //   no email, name " ada lindqvist "          -> matched by name: Acme, 25.00
    //   email ADA@Example.org, name "A. Lindqvist" -> matched by email (case-insensitive): 25.00
    //   email ada@elsewhere.org, name "Ada Lindqvist" -> both have emails and they differ: no employer
    let row = |id: &str, name: &str, email: &str| {
        let mut e = hrs(id, "2025-03-01", "1");
        e.person = person(name, email);
        Record::Hours(e)
    };
    let run = Run::new(
        vec![
            Record::Program(rate("v", "P", "Acme", "25")),
            job("Ada Lindqvist", "ada@example.org", "Acme", "2020-01-01", None),
            row("by-name", " ada lindqvist ", ""),
            row("by-email", "A. Lindqvist", "ADA@Example.org"),
            row("other", "Ada Lindqvist", "ada@elsewhere.org"),
        ],
        "2025-12-31",
    );
    assert_eq!(run.expected("by-name"), 2500);
    assert_eq!(run.expected("by-email"), 2500);
    assert!(run.one("other").has(Reason::NoEmployer));
}

#[test]
fn rows_without_email_join_the_only_email_of_their_name_for_caps() {
    // Cap 100.00 at 25.00/h, each row 3 h = 75.00.
    // "Ada" has one email in the book, so her email-less row is hers: 75.00, then the second row
    // (a day later, with her email in another case) is cut to 25.00.
    // "Sam" has two emails: sam@a.org and sam@b.org are two people, and his email-less row is a
    // third person (by name alone): each earns 75.00 from an empty pool.
    let mut program = rate("v", "P", "Acme", "25");
    program.annual_cap = Some(c("100"));
    let row = |id: &str, date: &str, name: &str, email: &str| {
        let mut e = hrs(id, date, "3");
        e.person = person(name, email);
        e.employer = "Acme".into();
        Record::Hours(e)
    };
    let run = Run::new(
        vec![
            Record::Program(program),
            row("ada-1", "2025-01-01", "ada", ""),
            row("ada-2", "2025-01-02", "Ada", "Ada@Example.org"),
            row("ada-0", "2024-12-31", "Ada", "ada@example.org"),
            row("sam-a", "2025-01-01", "Sam", "sam@a.org"),
            row("sam-b", "2025-01-02", "Sam", "sam@b.org"),
            row("sam", "2025-01-03", "Sam", ""),
        ],
        "2025-12-31",
    );
    assert_eq!(run.expected("ada-0"), 7500, "2024 is another program year");
    assert_eq!(run.expected("ada-1"), 7500);
    assert_eq!(run.expected("ada-2"), 2500);
    assert!(run.one("ada-2").has(Reason::Capped));
    for id in ["sam-a", "sam-b", "sam"] {
        assert_eq!(run.expected(id), 7500, "{id}");
    }
}

#[test]
fn thresholds_and_blocks_count_one_persons_rows_together() {
    // Blocks of 10 h (250.00): Ada's rows with and without email are one person, so 6 h + 4 h
    // reach one block on the second row (250.00).
    let mut no_email = hrs("h2", "2025-01-02", "4");
    no_email.person = person("ADA", "");
    let run = Run::new(
        vec![
            Record::Program(blocks("v", "B", "Acme", "10", "250")),
            ada_at("Acme"),
            Record::Hours(hrs("h1", "2025-01-01", "6")),
            Record::Hours(no_email),
        ],
        "2025-12-31",
    );
    assert_eq!(run.expected("h1"), 0);
    assert_eq!(run.expected("h2"), 25000);
}

// ---------------------------------------------------------------------------------------------
// The sample book's cap example, end to end
// ---------------------------------------------------------------------------------------------

#[test]
fn the_sample_books_shared_cap_cuts_the_september_gift() {
    // Microsoft: 25.00/h to 2025-06-30, 30.00/h from 2025-07-01, gifts 1:1 (min 25.00, max 1000.00),
    // shared cap 2500.00 (group "giving"). Ada in 2025:
    //   41.25 h before July at 25.00 = 1031.25     used 1031.25
    //   gift 500.00 on 2025-03-03    =  500.00     used 1531.25
    //   13 h from July at 30.00      =  390.00     used 1921.25
    //   gift 1200.00 on 2025-09-15 -> 1000.00, cut to 2500.00 - 1921.25 = 578.75   used 2500.00
    //   14.5 h after                 ->    0.00 (capped)
    let mut v25 = rate("v25", "Microsoft Volunteer Rewards", "Microsoft", "25");
    v25.effective_from = d("2024-01-01");
    v25.effective_to = Some(d("2025-06-30"));
    let mut v30 = rate("v30", "Microsoft Volunteer Rewards", "Microsoft", "30");
    v30.effective_from = d("2025-07-01");
    let mut give = matching("give", "Microsoft Give", "Microsoft", "1");
    give.earning = Earning::Match { ratio: dec("1"), min_gift: Some(c("25")), max_gift: Some(c("1000")) };
    for v in [&mut v25, &mut v30, &mut give] {
        v.annual_cap = Some(c("2500"));
        v.cap_group = "giving".into();
        v.claim_days = Some(90);
        v.fee_rate = Some(dec("0.029"));
    }
    let mut records = vec![Record::Program(v25), Record::Program(v30), Record::Program(give), ada_at("Microsoft")];
    // 41.25 h before July: 16 entries of 2.5 h and one of 1.25 h.
    for i in 0..16 {
        records.push(Record::Hours(hrs(
            &format!("a{i:02}"),
            &format!("2025-{:02}-{:02}", 1 + i / 3, 8 + i % 3),
            "2.5",
        )));
    }
    records.push(Record::Hours(hrs("a16", "2025-06-25", "1.25")));
    records.push(Record::Donation(gift("g1", "2025-03-03", "500")));
    // 13 h from July: 4 × 3.25 h.
    for i in 0..4 {
        records.push(Record::Hours(hrs(&format!("b{i}"), &format!("2025-{:02}-09", 7 + i / 2), "3.25")));
    }
    records.push(Record::Donation(gift("g2", "2025-09-15", "1200")));
    for i in 0..2 {
        records.push(Record::Hours(hrs(&format!("c{i}"), &format!("2025-{:02}-10", 11 + i), "7.25")));
    }
    let run = Run::new(records, "2025-12-31");
    let sum = |prefix: &str| -> Cents {
        (0..run.book.entries.len() as u32)
            .map(|e| run.book.entry_id(e))
            .filter(|id| id.starts_with(prefix))
            .map(|id| run.expected(id))
            .sum()
    };
    assert_eq!(sum("a"), 103125);
    assert_eq!(run.expected("g1"), 50000);
    assert_eq!(sum("b"), 39000);
    let cut = run.one("g2");
    assert_eq!((cut.gift_counted, cut.base, cut.expected), (100000, 100000, 57875));
    assert!(cut.has(Reason::Capped) && cut.has(Reason::MaxGift));
    // fee 578.75 × 0.029 = 16.78375 -> 16.78
    assert_eq!(cut.fee, 1678);
    assert_eq!(sum("c"), 0);
    assert!(run.one("c0").has(Reason::Capped));
    assert_eq!(run.one("c0").deadline, Some(d("2026-03-31")));
}

#[test]
fn an_entry_under_two_programs_of_one_pool_is_capped_the_same_whatever_the_row_order() {
    // Acme has two volunteer programs in cap group "g", each 10.00/h with an annual cap of 100.00.
    // One 8 h entry earns 80.00 under each, 160.00 in all: the pool lets 100.00 through, so one
    // program's award is 80.00 and the other's is cut to 20.00 (capped). Which one is cut must not
    // depend on the order of the program rows (Matchbook takes them by employer and program name:
    // "Alpha" before "Beta").
    // Found by tests/properties.rs (results_do_not_depend_on_row_order): before the fix the award
    // listed first among the book's rows went first, so reversing the rows swapped 80.00 and 20.00.
    let make = |id: &str, name: &str| {
        let mut v = rate(id, name, "Acme", "10");
        v.annual_cap = Some(c("100"));
        v.cap_group = "g".into();
        Record::Program(v)
    };
    let mut records =
        vec![make("alpha", "Alpha"), make("beta", "Beta"), ada_at("Acme"), Record::Hours(hrs("h1", "2025-01-01", "8"))];
    let mut seen = Vec::new();
    for _ in 0..2 {
        let run = Run::new(records.clone(), "2025-12-31");
        let (alpha, beta) = (run.under("h1", "alpha"), run.under("h1", "beta"));
        assert_eq!(alpha.expected + beta.expected, 10000);
        seen.push((alpha.expected, beta.expected, alpha.has(Reason::Capped), beta.has(Reason::Capped)));
        records.reverse();
    }
    assert_eq!(seen[0], seen[1], "the row order changed who was cut");
    assert_eq!(seen[0], (8000, 2000, false, true));
}
