//! Claim reminders: `report claims` and the reminder email of a hand-made case, word for word,
//! and its `.eml` read back by a mail parser.

mod common;

use common::Book;
use matchbook::claims::{self, ClaimState, Options, Sender};
use matchbook::store::{ImportOptions, Store};

const PROGRAMS: &str = "\
program,employer,platform,kind,currency,effective_from,effective_to,rate_per_hour,match_ratio,min_gift,max_gift,annual_cap,cap_group,year_start,claim_days,fee_rate
Microsoft Volunteer Rewards,Microsoft,Benevity,volunteer,USD,2024-01-01,,25.00,,,,10000.00,,01-01,90,0.029
Microsoft Give,Microsoft,Benevity,donation,USD,2024-01-01,,,1,25.00,1000.00,10000.00,,01-01,90,0.029
";

const EMPLOYMENTS: &str = "\
contributor,email,employer,start,end
Ada Lindqvist,ada@example.org,Microsoft,2021-03-01,
Zoë Brandt,zoe@example.net,Microsoft,2022-01-01,
";

// 14.5 hours for Lumen in 2026, still logged: 362.50 USD by 2027-03-31. A gift submitted on
// 2026-09-01 and not approved. Zoë's hours are submitted but recently: not late.
const HOURS: &str = "\
date,contributor,email,employer,project,hours,description,status,submitted_on
2026-03-04,Ada Lindqvist,ada@example.org,,Lumen,4.5,Triage,logged,
2026-06-10,Ada Lindqvist,ada@example.org,,Lumen,6,Release notes,logged,
2026-11-20,Ada Lindqvist,ada@example.org,,Lumen,4,Review,logged,
2027-02-10,Zoë Brandt,zoe@example.net,,Lumen,2,Docs,submitted,2027-02-12
";

const DONATIONS: &str = "\
date,contributor,email,employer,project,amount,currency,status,submitted_on
2026-08-20,Ada Lindqvist,ada@example.org,,Tessel,200.00,USD,submitted,2026-09-01
";

fn book() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let mut paths = Vec::new();
    for (name, text) in [
        ("programs.csv", PROGRAMS),
        ("employments.csv", EMPLOYMENTS),
        ("hours.csv", HOURS),
        ("donations.csv", DONATIONS),
    ] {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        paths.push(path);
    }
    let mut store = Store::open_or_create(&dir.path().join("book.sqlite")).unwrap();
    store.import(&paths, &ImportOptions::default(), &mut |_| {}).unwrap();
    (dir, store)
}

/// The book's review times: Benevity's shipped 28 days.
fn review(store: &Store) -> impl Fn(&str) -> u32 {
    claims::book_review_days(store).unwrap()
}

fn as_of() -> matchbook::model::Date {
    "2027-03-01".parse().unwrap()
}

const EXPECTED_BODY: &str = "\
Hello Ada Lindqvist,

Thank you for what you give to Lumen and Tessel. Your employer matches
it, but only once you claim it on its giving platform, in time. As of
2027-03-01, this is what the book shows:

To submit:
- You gave Lumen 14.5 hours in 2026. Microsoft (Microsoft Volunteer
  Rewards) will pay 362.50 USD for them if you submit them on Benevity
  by 2027-03-31, in 30 days.
    2026-03-04  4.5 hours
    2026-06-10  6 hours
    2026-11-20  4 hours

Submitted, still waiting for approval:
- You submitted a gift of 200.00 USD for Tessel (given in 2026) on
  Benevity on 2026-09-01. It is not approved yet, 181 days later, while
  Benevity usually approves within 28 days; Microsoft (Microsoft Give)
  would pay 200.00 USD for it. Could you look at it on Benevity, and ask
  Microsoft if it was refused?
    2026-08-20  200.00 USD

How to submit:
1. Sign in to your employer's giving platform (named above; your
   employer's intranet links to it).
2. Hours: log each day above as volunteer time for the project, with its
   date and hours. Gifts: add each gift above as a donation made outside
   the platform, with its receipt, and ask for the match.
3. Submit them before the deadline. Your employer approves them, and the
   platform pays the project.
4. Reply to this email once you have, so that the book shows them as
   submitted.

Thank you,
Grace Hopper
";

#[test]
fn the_reminder_of_a_hand_made_case_says_what_to_claim_where_and_by_when() {
    let (_dir, mut store) = book();
    let options = Options { contributor: Some("ADA@example.org".into()), within: None, entries: true };
    let review = review(&store);
    let found = claims::claims(&mut store, as_of(), &options, &review).unwrap();
    let people = found.by_contributor();
    assert_eq!(people.len(), 1, "{people:?}");
    let ada = &people[0];
    assert_eq!(ada.claims.len(), 2);
    // What awaits approval comes first: its approval was due on 2026-10-31, before the deadline.
    let (gift, hours) = (&ada.claims[0], &ada.claims[1]);
    assert_eq!(
        (hours.state, hours.hours, hours.expected, hours.deadline.as_deref()),
        (ClaimState::ToSubmit, 145_000, 36_250, Some("2027-03-31"))
    );
    assert_eq!(
        (gift.state, gift.submitted_on.as_deref(), gift.review_due.as_deref()),
        (ClaimState::AwaitingApproval, Some("2026-09-01"), Some("2026-09-29"))
    );

    let sender = Sender { name: "Grace Hopper".into(), email: "treasurer@lumen.example".into() };
    let email = claims::email(ada, as_of(), &sender);
    assert_eq!(email.to, "ada@example.org");
    assert_eq!(email.subject, "362.50 USD for Lumen if you submit by 2027-03-31");
    assert_eq!(email.body, EXPECTED_BODY);

    // The .eml is a message a mail client reads: headers, and the body back as it was.
    let date = chrono::DateTime::parse_from_rfc3339("2027-03-01T09:30:00+01:00").unwrap();
    let eml = claims::eml(&email, &sender, date);
    assert!(eml.split("\r\n").all(|line| line.len() <= 78), "{eml}");
    assert!(!eml.replace("\r\n", "").contains('\n'), "bare line feeds");
    let message = mail_parser::MessageParser::default().parse(eml.as_bytes()).expect("a message");
    assert_eq!(message.subject(), Some(email.subject.as_str()));
    let to = message.to().and_then(|a| a.first()).expect("a To");
    assert_eq!((to.name(), to.address()), (Some("Ada Lindqvist"), Some("ada@example.org")));
    let from = message.from().and_then(|a| a.first()).expect("a From");
    assert_eq!((from.name(), from.address()), (Some("Grace Hopper"), Some("treasurer@lumen.example")));
    assert_eq!(message.date().map(|d| d.to_rfc3339()), Some("2027-03-01T09:30:00+01:00".into()));
    assert_eq!(message.body_text(0).map(|b| b.replace("\r\n", "\n")), Some(EXPECTED_BODY.to_string()));

    // mailto: the same subject and body, percent-encoded.
    let link = claims::mailto(&email, 4000);
    assert!(link.starts_with("mailto:ada%40example.org?subject=362.50%20USD%20for%20Lumen%20if%20you%20submit%20by%202027-03-31&body=Hello%20Ada%20Lindqvist%2C%0D%0A%0D%0A"), "{link}");

    let html = claims::statement_html(ada, as_of(), &sender);
    assert!(html.starts_with("<!DOCTYPE html>") && html.contains("@media print"), "{html}");
    assert!(
        html.contains("You gave Lumen 14.5 hours in 2026. Microsoft (Microsoft Volunteer Rewards) will pay 362.50 USD")
    );
}

#[test]
fn a_name_that_is_not_ascii_is_encoded_in_the_headers_and_read_back() {
    let (_dir, mut store) = book();
    // Zoë's hours were submitted 17 days before: within the review time, so nothing is late.
    let options = Options { contributor: Some("Zoë Brandt".into()), within: None, entries: true };
    let review = review(&store);
    assert!(claims::claims(&mut store, as_of(), &options, &review).unwrap().claims.is_empty());
    // Once the review time is past, it is late.
    let later: matchbook::model::Date = "2027-04-20".parse().unwrap();
    let found = claims::claims(&mut store, later, &options, &review).unwrap();
    let zoe = &found.by_contributor()[0];
    let email = claims::email(zoe, later, &Sender::default());
    assert_eq!(email.subject, "Your matching claims for Lumen are not approved yet");
    let eml =
        claims::eml(&email, &Sender::default(), chrono::DateTime::parse_from_rfc3339("2027-04-20T08:00:00Z").unwrap());
    let message = mail_parser::MessageParser::default().parse(eml.as_bytes()).expect("a message");
    let to = message.to().and_then(|a| a.first()).expect("a To");
    assert_eq!((to.name(), to.address()), (Some("Zoë Brandt"), Some("zoe@example.net")));
    assert_eq!(message.body_text(0).map(|b| b.replace("\r\n", "\n")), Some(email.body.clone()));
}

#[test]
fn report_claims_lists_the_claims_and_within_keeps_the_near_ones() {
    let book = Book::new();
    let files: Vec<_> = [
        ("programs.csv", PROGRAMS),
        ("employments.csv", EMPLOYMENTS),
        ("hours.csv", HOURS),
        ("donations.csv", DONATIONS),
    ]
    .iter()
    .map(|(name, text)| book.write(name, text))
    .collect();
    let mut args = vec!["import".to_string()];
    args.extend(files.iter().map(|p| p.display().to_string()));
    let imported = book.run(&args);
    assert!(imported.status.success(), "{}", String::from_utf8_lossy(&imported.stderr));
    let report = |extra: &[&str]| {
        let mut args = vec!["report", "claims", "--as-of", "2027-03-01", "--format", "csv"];
        args.extend(extra);
        let out = book.run(&args);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    };
    let all = report(&[]);
    assert_eq!(
        all,
        "contributor,email,state,kind,project,employer,program,platform,deadline,days_left,submitted_on,entries,hours,gifts,currency,expected,net\n\
         Ada Lindqvist,ada@example.org,awaiting approval,donation,Tessel,Microsoft,Microsoft Give,Benevity,2027-03-31,30,2026-09-01,1,0.00,200.00,USD,200.00,194.20\n\
         Ada Lindqvist,ada@example.org,to submit,hours,Lumen,Microsoft,Microsoft Volunteer Rewards,Benevity,2027-03-31,30,,3,14.50,0.00,USD,362.50,351.99\n"
    );
    // Within 29 days no deadline falls; what awaits approval is late whatever the window.
    let near = report(&["--within", "29"]);
    assert_eq!(near.lines().count(), 2, "{near}");
    assert!(near.contains("awaiting approval"));
    assert_eq!(report(&["--within", "30"]), all);
    assert_eq!(report(&["--contributor", "nobody"]).lines().count(), 1);
}
