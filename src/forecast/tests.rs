//! Hand-computed arrival dates for each shipped platform rule.

use super::*;

fn d(s: &str) -> Date {
    s.parse().unwrap()
}

fn shipped_named(name: &str) -> Platform {
    let schedules = Schedules::new([]);
    let p = schedules.get(name);
    assert_eq!(p.source, ScheduleSource::Shipped, "{name} is shipped");
    p
}

/// The expected arrival of one claim alone on its platform.
fn arrival(platform: &Platform, claim: Claim) -> Option<Date> {
    let approval = approval(&claim, platform.review_days)?;
    Some(schedule(platform, &[(approval.day(), 10_000)])[0].0)
}

fn approved(on: &str) -> Claim {
    Claim { status: Status::Approved, date: d("2025-12-01"), submitted_on: None, approved_on: Some(d(on)) }
}

fn submitted(on: &str) -> Claim {
    Claim { status: Status::Submitted, date: d("2025-12-01"), submitted_on: Some(d(on)), approved_on: None }
}

#[test]
fn benevity_pays_a_months_approved_money_at_the_end_of_the_next_month() {
    let b = shipped_named("benevity");
    assert_eq!((b.review_days, b.payout.to_string()), (28, "month+1:last".to_string()));
    assert_eq!(arrival(&b, approved("2026-01-01")), Some(d("2026-02-28")));
    // Approved on the last day of a month: still that month's money.
    assert_eq!(arrival(&b, approved("2026-01-31")), Some(d("2026-02-28")));
    assert_eq!(arrival(&b, approved("2024-01-31")), Some(d("2024-02-29")));
    assert_eq!(arrival(&b, approved("2026-02-01")), Some(d("2026-03-31")));
    assert_eq!(arrival(&b, approved("2026-12-15")), Some(d("2027-01-31")));
    // Submitted: 28 days of review, then the rule. Jan 3 + 28 = Jan 31 (January's money);
    // Jan 4 + 28 = Feb 1 (February's).
    assert_eq!(arrival(&b, submitted("2026-01-03")), Some(d("2026-02-28")));
    assert_eq!(arrival(&b, submitted("2026-01-04")), Some(d("2026-03-31")));
    assert_eq!(arrival(&b, submitted("2026-01-10")), Some(d("2026-03-31")));
}

#[test]
fn bright_funds_sends_a_match_mid_month_two_months_after_approval() {
    let b = shipped_named("Bright Funds");
    // Its help page's example: submitted Jan 15, approved Jan 30, sent mid-March.
    assert_eq!(arrival(&b, submitted("2026-01-15")), Some(d("2026-03-15")));
    assert_eq!(arrival(&b, approved("2026-01-30")), Some(d("2026-03-15")));
    assert_eq!(arrival(&b, approved("2026-01-31")), Some(d("2026-03-15")));
    assert_eq!(arrival(&b, approved("2026-11-30")), Some(d("2027-01-15")));
    // Jan 20 + 15 = Feb 4: February's, so mid-April.
    assert_eq!(arrival(&b, submitted("2026-01-20")), Some(d("2026-04-15")));
}

#[test]
fn paypal_giving_fund_pays_on_the_25th_what_came_by_the_15th() {
    let p = shipped_named("paypal giving fund");
    assert_eq!(p.payout.to_string(), "monthly:25 cutoff:15");
    assert_eq!(arrival(&p, approved("2026-03-01")), Some(d("2026-03-25")));
    assert_eq!(arrival(&p, approved("2026-03-15")), Some(d("2026-03-25")));
    assert_eq!(arrival(&p, approved("2026-03-16")), Some(d("2026-04-25")));
    assert_eq!(arrival(&p, approved("2026-03-31")), Some(d("2026-04-25")));
    assert_eq!(arrival(&p, approved("2026-12-20")), Some(d("2027-01-25")));
    // No review: submitted is approved the same day.
    assert_eq!(arrival(&p, submitted("2026-02-14")), Some(d("2026-02-25")));
}

#[test]
fn network_for_good_pays_on_the_15th_for_the_month_before() {
    let n = shipped_named("Network  for Good");
    assert_eq!(arrival(&n, approved("2026-01-01")), Some(d("2026-02-15")));
    assert_eq!(arrival(&n, approved("2026-01-31")), Some(d("2026-02-15")));
    assert_eq!(arrival(&n, approved("2026-02-15")), Some(d("2026-03-15")));
    assert_eq!(arrival(&n, approved("2026-12-31")), Some(d("2027-01-15")));
}

#[test]
fn millie_holds_a_balance_below_45_until_it_reaches_it_or_for_365_days() {
    let m = shipped_named("Millie");
    assert_eq!(m.minimum, Some(MinimumPayout { amount: 4500, days: Some(365) }));
    // Enough on its own: the end of the next month.
    assert_eq!(schedule(&m, &[(d("2026-01-10"), 5000)]), vec![(d("2026-02-28"), Hold::None)]);
    assert_eq!(schedule(&m, &[(d("2026-01-31"), 4500)]), vec![(d("2026-02-28"), Hold::None)]);
    // Not reached, nothing after: held 365 days from approval.
    assert_eq!(schedule(&m, &[(d("2026-01-10"), 3000)]), vec![(d("2027-01-10"), Hold::UntilDays)]);
    // 30.00 held at the end of February; 20.00 more, approved in March, makes 50.00 at the end of April.
    assert_eq!(
        schedule(&m, &[(d("2026-03-05"), 2000), (d("2026-01-10"), 3000)]),
        vec![(d("2026-04-30"), Hold::None), (d("2026-04-30"), Hold::UntilMinimum)]
    );
    // 10.00 waits past its 365 days before 40.00 comes (paid 2027-01-10); the 40.00 then waits its
    // own 365 days: 2027-03-01 + 365 = 2028-02-29 (a leap year).
    assert_eq!(
        schedule(&m, &[(d("2026-01-10"), 1000), (d("2027-03-01"), 4000)]),
        vec![(d("2027-01-10"), Hold::UntilDays), (d("2028-02-29"), Hold::UntilDays)]
    );
    // Two claims of one payout day that reach it together are paid that day.
    assert_eq!(
        schedule(&m, &[(d("2026-01-05"), 2500), (d("2026-01-20"), 2500)]),
        vec![(d("2026-02-28"), Hold::None), (d("2026-02-28"), Hold::None)]
    );
}

#[test]
fn a_minimum_without_days_leaves_what_never_reaches_it_on_its_day() {
    let mut p = Platform::unknown("Small");
    p.minimum = Some(MinimumPayout { amount: 10_000, days: None });
    assert_eq!(schedule(&p, &[(d("2026-01-01"), 500)]), vec![(d("2026-03-02"), Hold::BelowMinimum)]);
}

#[test]
fn an_unknown_platform_pays_about_60_days_after_submission() {
    let schedules = Schedules::new([]);
    let u = schedules.get("YourCause");
    assert_eq!(u.source, ScheduleSource::Unknown);
    assert_eq!((u.review_days, u.payout), (0, PayoutRule::Days(60)));
    // Jan 1 + 60 days = Mar 2.
    assert_eq!(arrival(&u, submitted("2026-01-01")), Some(d("2026-03-02")));
    assert_eq!(arrival(&u, approved("2025-12-31")), Some(d("2026-03-01")));
}

#[test]
fn the_books_row_replaces_the_shipped_default() {
    let row = PlatformRow {
        name: "BENEVITY".into(),
        review_days: "42".into(),
        payout: "days:10".into(),
        minimum_payout: "".into(),
        check_fee: "5".into(),
        notes: "our contract".into(),
    };
    let schedules = Schedules::new([Platform::from_row(&row, ScheduleSource::Book).unwrap()]);
    let b = schedules.get("Benevity");
    assert_eq!((b.source, b.review_days, b.check_fee), (ScheduleSource::Book, 42, Some(500)));
    assert_eq!(arrival(&b, submitted("2026-01-01")), Some(d("2026-02-22")));
}

#[test]
fn only_submitted_and_approved_claims_are_expected() {
    let claim = |status| Claim { status, date: d("2026-01-05"), submitted_on: None, approved_on: None };
    for status in [Status::Logged, Status::Paid, Status::Rejected] {
        assert_eq!(approval(&claim(status), 28), None, "{status:?}");
    }
    // Without status dates the entry's date stands for them.
    assert_eq!(approval(&claim(Status::Approved), 28), Some(Approval::ApprovedUndated(d("2026-01-05"))));
    assert_eq!(
        approval(&claim(Status::Submitted), 28),
        Some(Approval::SubmittedUndated { submitted: d("2026-01-05"), approved: d("2026-02-02") })
    );
}

#[test]
fn overdue_once_the_grace_has_passed() {
    let expected = d("2026-03-31");
    assert!(!is_overdue(expected, d("2026-03-31"), 30));
    assert!(!is_overdue(expected, d("2026-04-30"), 30), "the grace's last day");
    assert!(is_overdue(expected, d("2026-05-01"), 30));
    assert!(is_overdue(expected, d("2026-04-01"), 0));
}

#[test]
fn rules_read_and_write_back() {
    for text in ["days:60", "month+1:last", "month+2:15", "month+0:31", "monthly:25", "monthly:25 cutoff:15"] {
        let rule: PayoutRule = text.parse().unwrap();
        assert_eq!(rule.to_string(), text);
    }
    assert_eq!("Month+1:LAST".parse::<PayoutRule>().unwrap().to_string(), "month+1:last");
    for bad in ["", "days", "days:-1", "weekly:1", "month+1:32", "month+1:0", "monthly:25 cutoff:", "days:5 x"] {
        assert!(bad.parse::<PayoutRule>().is_err(), "{bad:?}");
    }
    assert_eq!("45 or 365 days".parse::<MinimumPayout>().unwrap().to_string(), "45.00 or 365 days");
    assert!("45 or never".parse::<MinimumPayout>().is_err());
    // A day past the month's length is its last day; with month+0, a day already past is next month's.
    let rule: PayoutRule = "month+0:31".parse().unwrap();
    assert_eq!(rule.pays_on(d("2026-02-10")), d("2026-02-28"));
    let rule: PayoutRule = "month+0:10".parse().unwrap();
    assert_eq!(rule.pays_on(d("2026-02-11")), d("2026-03-10"));
}

#[test]
fn shipped_rows_are_valid_and_name_their_source() {
    for p in shipped() {
        assert!(!p.notes.is_empty(), "{}", p.name);
        assert_eq!(Platform::from_row(&p.row(), ScheduleSource::Shipped).unwrap(), p);
    }
}
