//! `report forecast`, its overdue list, `explain`'s arrival and `platforms.csv`, through the real
//! binary on a small book whose dates are worked out by hand.

mod common;
use common::{id_of, Book};

const PROGRAMS: &str = "program,employer,platform,kind,currency,effective_from,rate_per_hour
Volunteer Rewards,Acme,Benevity,volunteer,USD,2025-01-01,10.00
Volunteer Rewards,Milco,Millie,volunteer,USD,2025-01-01,10.00
Volunteer Rewards,Othco,YourCause,volunteer,USD,2025-01-01,10.00
";

// Ada's approved hour: Benevity, approved on the last day of January: paid 2025-02-28.
// Ada's submitted 2 hours: 2025-01-20 + 28 days' review = 2025-02-17: paid 2025-03-31.
// Ben's 3 hours on Millie: 30.00 is under its 45.00 minimum: held 365 days, to 2026-01-12.
// Cy's hour on YourCause (no schedule known), no submitted_on: 2025-01-10 + 60 = 2025-03-11.
const HOURS: &str = "date,contributor,employer,project,hours,description,status,submitted_on,approved_on
2025-01-10,Ada,Acme,Lumen,1,approved,approved,2025-01-15,2025-01-31
2025-01-10,Ada,Acme,Lumen,2,submitted,submitted,2025-01-20,
2025-01-10,Ben,Milco,Lumen,3,held,approved,2025-01-12,2025-01-12
2025-01-10,Cy,Othco,Tessel,1,undated,submitted,,
2025-01-10,Cy,Othco,Tessel,1,logged,logged,,
";

fn book() -> Book {
    let book = Book::new();
    let programs = book.write("programs.csv", PROGRAMS);
    let hours = book.write("hours.csv", HOURS);
    book.import(&[&programs, &hours]);
    book
}

fn forecast(book: &Book, args: &[&str]) -> String {
    let mut all = vec!["report", "forecast", "--format", "csv"];
    all.extend_from_slice(args);
    book.ok(&all)
}

#[test]
fn forecast_lists_the_money_expected_per_month_project_and_currency() {
    let book = book();
    assert_eq!(
        forecast(&book, &["--as-of", "2025-02-01", "--months", "3"]),
        "month,project,currency,claims,expected_net
2025-02,Lumen,USD,1,10.00
2025-03,Lumen,USD,1,20.00
2025-03,Tessel,USD,1,10.00
later,Lumen,USD,1,30.00
"
    );
    assert_eq!(
        forecast(&book, &["--as-of", "2025-03-01", "--months", "12", "--by", "platform"]),
        "platform,month,currency,claims,expected_net
Benevity,late,USD,1,10.00
Benevity,2025-03,USD,1,20.00
Millie,2026-01,USD,1,30.00
YourCause,2025-03,USD,1,10.00
"
    );
    assert_eq!(
        forecast(&book, &["--as-of", "2025-02-01", "--by", "project"]),
        "project,month,currency,claims,expected_net
Lumen,2025-02,USD,1,10.00
Lumen,2025-03,USD,1,20.00
Lumen,later,USD,1,30.00
Tessel,2025-03,USD,1,10.00
"
    );
}

#[test]
fn a_claim_is_overdue_once_the_grace_after_its_expected_arrival_has_passed() {
    let book = book();
    let export = book.export();
    let approved = id_of(&export, "hours.csv", ",approved,approved,");
    // Expected 2025-02-28; 30 days' grace: not yet on 2025-03-30, overdue on 2025-03-31.
    let on = |day: &str| forecast(&book, &["--overdue", "--as-of", day]);
    assert_eq!(on("2025-03-30").lines().count(), 1, "only the header");
    let overdue = on("2025-03-31");
    let lines: Vec<&str> = overdue.lines().collect();
    assert_eq!(lines[0], "id,kind,status,contributor,project,platform,expected,days_late,currency,at_stake,action");
    assert_eq!(
        lines[1..],
        [format!(
            "{approved},hours,approved,Ada,Lumen,Benevity,2025-02-28,31,USD,10.00,ask Benevity when it pays this approved claim"
        )]
    );
    // A submitted claim past its date: ask the contributor.
    let later = forecast(&book, &["--overdue", "--as-of", "2025-05-01", "--grace", "0"]);
    assert!(
        later.contains(
            ",Ada,Lumen,Benevity,2025-03-31,31,USD,20.00,ask Ada whether Acme approved the claim on Benevity"
        ),
        "{later}"
    );
    assert!(later.contains(",Cy,Tessel,YourCause,2025-03-11,51,USD,10.00,"), "{later}");
    assert!(!later.contains("Millie"), "held until 2026: {later}");
}

#[test]
fn explain_shows_how_the_arrival_was_worked_out() {
    let book = book();
    let export = book.export();
    let submitted = id_of(&export, "hours.csv", ",submitted,submitted,");
    let text = book.ok(&["explain", &submitted, "--as-of", "2025-02-01"]);
    assert!(text.contains("arrival       20.00 USD net"), "{text}");
    assert!(
        text.contains("submitted on 2025-01-20 (its submitted_on); reviewed in 28 days: approved about 2025-02-17"),
        "{text}"
    );
    assert!(text.contains("Matchbook's shipped default"), "{text}");
    assert!(text.contains("expected by 2025-03-31"), "{text}");
    let undated = id_of(&export, "hours.csv", ",undated,");
    let text = book.ok(&["explain", &undated, "--as-of", "2025-02-01"]);
    assert!(text.contains("no submitted_on: from the entry's date 2025-01-10"), "{text}");
    assert!(text.contains("no schedule known for it: about 60 days"), "{text}");
    let logged = id_of(&export, "hours.csv", ",logged,logged,");
    let text = book.ok(&["explain", &logged, "--as-of", "2025-02-01"]);
    assert!(text.contains("none expected: the claim is logged"), "{text}");
    let held = id_of(&export, "hours.csv", ",held,");
    let text = book.ok(&["explain", &held, "--as-of", "2025-02-01"]);
    assert!(text.contains("minimum payout 45.00 or 365 days: not reached"), "{text}");
    assert!(text.contains("expected by 2026-01-12"), "{text}");
}

#[test]
fn platforms_csv_changes_a_schedule_and_travels_with_the_export() {
    let book = book();
    let platforms = book.write(
        "platforms.csv",
        "name,review_days,payout,minimum_payout,check_fee,notes\nyourcause,0,days:30,,2.50,our contract\n",
    );
    book.import(&[&platforms]);
    // 2025-01-10 + 30 days.
    assert!(forecast(&book, &["--as-of", "2025-02-01"]).contains("2025-02,Tessel,USD,1,10.00"));
    let export = book.export();
    assert_eq!(
        String::from_utf8_lossy(&export["platforms.csv"]),
        "name,review_days,payout,minimum_payout,check_fee,notes\nyourcause,0,days:30,,2.50,our contract\n"
    );
    // Imported again: unchanged; into a new book: the same schedule.
    assert!(book.import(&[&platforms]).contains("unchanged"));
    let other = Book::new();
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes) in &export {
        std::fs::write(dir.path().join(name), bytes).unwrap();
    }
    other.import(&[dir.path()]);
    assert_eq!(other.export()["platforms.csv"], export["platforms.csv"]);
}

#[test]
fn a_bad_platforms_row_is_refused_with_its_line_and_column() {
    let book = book();
    let bad = book.write(
        "platforms.csv",
        "name,review_days,payout,minimum_payout,check_fee,notes\nBenevity,28,month+1:last,,,\nMillie,0,weekly,,,\n",
    );
    let err = book.import_fails(&[&bad]);
    assert!(err.contains("platforms.csv:3") && err.contains("payout"), "{err}");
    assert!(err.contains("\"weekly\" is not a payout rule"), "{err}");
    let bad =
        book.write("p2.csv", "name,review_days,payout,minimum_payout,check_fee,notes\nMillie,0,days:5,45 or ever,,\n");
    let err = book.import_fails(&[&bad]);
    assert!(err.contains("minimum_payout"), "{err}");
}
