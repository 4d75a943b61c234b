//! Money in from every platform, through the real `matchbook` binary: Benevity's disbursement
//! report, its donations report of the same money, and Bright Funds' donor report, each imported
//! with the exact records written out here, and imported again without change.

mod common;

use common::*;

const DISBURSEMENTS: &str = include_str!("data/benevity-disbursement-sample.csv");
const DONATIONS_OF_EXDISB0325: &str = include_str!("data/benevity-donations-EXDISB0325.csv");
const BRIGHT_FUNDS: &str = include_str!("data/brightfunds-sample.csv");

/// The payment rows of the book's export, sorted.
fn payments(book: &Book) -> Vec<String> {
    let mut rows = rows(&book.export(), "payments.csv");
    rows.sort();
    rows
}

/// The disbursement report's records: per row the match and the donor's gift, dated when the
/// disbursement was sent, with the gift's date, the bank date and the bank reference.
const DISBURSED: [&str; 9] = [
    "benevity-EXDISB0325-EXTX000101-gift,2025-03-27,Benevity,Widgets,USD,1200.00,34.80,1165.20,EXTX000101,Microsoft,Ada Example,ada@example.org,gift,EXDISB0325,2025-02-03,2025-03-31,EXBANK778812",
    "benevity-EXDISB0325-EXTX000101-match,2025-03-27,Benevity,Widgets,USD,1200.00,34.80,1165.20,EXTX000101,Microsoft,Ada Example,ada@example.org,match,EXDISB0325,2025-02-03,2025-03-31,EXBANK778812",
    "benevity-EXDISB0325-EXTX000102-match,2025-03-27,Benevity,Widgets,USD,250.00,7.25,242.75,EXTX000102,Microsoft,Ada Example,ada@example.org,match,EXDISB0325,2025-02-11,2025-03-31,EXBANK778812",
    "benevity-EXDISB0325-EXTX000103-gift,2025-03-27,Benevity,Gadgets,USD,50.00,2.90,47.10,EXTX000103,Acme Corp,,,gift,EXDISB0325,2025-02-14,2025-03-31,EXBANK778812",
    "benevity-EXDISB0325-EXTX000103-match,2025-03-27,Benevity,Gadgets,USD,50.00,1.45,48.55,EXTX000103,Acme Corp,,,match,EXDISB0325,2025-02-14,2025-03-31,EXBANK778812",
    "benevity-EXDISB0425-EXTX000201-match,2025-04-28,Benevity,Widgets,USD,375.00,10.88,364.12,EXTX000201,Microsoft,Grace Example,grace@example.org,match,EXDISB0425,2025-03-09,2025-04-30,EXBANK781140",
    "benevity-EXDISB0425-EXTX000202-gift,2025-04-28,Benevity,Widgets,USD,100.00,5.10,94.90,EXTX000202,Contoso,Lin Example,lin@example.org,gift,EXDISB0425,2025-03-20,2025-04-30,EXBANK781140",
    "benevity-EXDISB0425-EXTX000203-match,2025-04-28,Benevity,Gadgets,USD,500.00,14.50,485.50,EXTX000203,Microsoft,Ada Example,ada@example.org,match,EXDISB0425,2025-03-25,2025-04-30,EXBANK781140",
    "",
];

fn disbursed() -> Vec<String> {
    DISBURSED.iter().filter(|r| !r.is_empty()).map(|r| r.to_string()).collect()
}

#[test]
fn the_disbursement_report_becomes_payments_and_importing_it_again_changes_nothing() {
    let book = Book::new();
    let report = book.write("disbursements.csv", DISBURSEMENTS);
    // Nothing maps its lines yet: refused, each line named with the values a mapping could use.
    let err = book.import_fails(&[&report]);
    for line in 2..=7 {
        assert!(err.contains(&format!("disbursements.csv:{line}: column Project Name: no Matchbook project")), "{err}");
    }
    assert!(
        err.contains(
            r#"Project ID "PRJ-1001", Donor Comment "Project: Widgets", Project Name "EXAMPLE SCIENCE FOUNDATION""#
        ),
        "{err}"
    );
    assert!(payments(&book).is_empty());

    map_sample_benevity(&book);
    let out = book.import(&[&report]);
    assert!(
        out.contains("Benevity disbursement report (2 disbursement(s), 6 donation(s), net 3613.32 USD) as payments, 8 row(s): 8 added"),
        "{out}"
    );
    assert_eq!(payments(&book), disbursed());
    let out = book.import(&[&report]);
    assert!(out.contains("8 row(s): 0 added, 0 replaced, 8 unchanged"), "{out}");
}

#[test]
fn the_donations_report_and_the_disbursement_report_of_the_same_money_make_one_set_of_records() {
    // Either order: the same records, the bank's details kept from the report that has them.
    for donations_first in [true, false] {
        let book = Book::new();
        map_sample_benevity(&book);
        let donations = book.write("donations.csv", DONATIONS_OF_EXDISB0325);
        let disbursements = book.write("disbursements.csv", DISBURSEMENTS);
        if donations_first {
            let out = book.import(&[&donations]);
            assert!(out.contains("5 row(s): 5 added, 0 replaced, 0 unchanged"), "{out}");
            let out = book.import(&[&disbursements]);
            // The first disbursement's lines gain their bank date and reference; the second's are new.
            assert!(out.contains("8 row(s): 3 added, 5 replaced, 0 unchanged"), "{out}");
        } else {
            book.import(&[&disbursements]);
            let out = book.import(&[&donations]);
            assert!(out.contains("5 row(s): 0 added, 0 replaced, 5 unchanged"), "{out}");
        }
        assert_eq!(payments(&book), disbursed(), "donations first: {donations_first}");
        let out = book.import(&[&donations, &disbursements]);
        assert!(out.contains("5 row(s): 0 added, 0 replaced, 5 unchanged"), "{out}");
        assert!(out.contains("8 row(s): 0 added, 0 replaced, 8 unchanged"), "{out}");
    }
    // Both in one import, in either order (a folder sorts the disbursement report first): the
    // donations report does not take the bank's details away.
    for order in [[0, 1], [1, 0]] {
        let book = Book::new();
        map_sample_benevity(&book);
        let files =
            [book.write("donations.csv", DONATIONS_OF_EXDISB0325), book.write("disbursements.csv", DISBURSEMENTS)];
        book.import(&[&files[order[0]], &files[order[1]]]);
        assert_eq!(payments(&book), disbursed(), "order {order:?}");
    }
}

#[test]
fn the_bright_funds_report_asks_what_it_does_not_say_then_imports() {
    let book = Book::new();
    let report = book.write("brightfunds.csv", BRIGHT_FUNDS);
    let err = book.import_fails(&[&report]);
    assert!(err.contains("does not say in which currency"), "{err}");
    assert!(err.contains(r#"matchbook platform set "Bright Funds" currency USD"#), "{err}");
    book.ok(&["platform", "set", "bright-funds", "currency", "usd"]);
    let err = book.import_fails(&[&report]);
    for line in 2..=6 {
        assert!(err.contains(&format!("brightfunds.csv:{line}: column ")), "{err}");
    }
    assert!(err.contains(r#"Fund Name "Open Science Fund""#), "{err}");

    book.ok(&["map", "set", "--platform", "bright-funds", "designation", "Project: Widgets", "Widgets"]);
    book.ok(&["map", "set", "--platform", "Bright Funds", "designation", "Project: Gadgets", "Gadgets"]);
    book.ok(&["map", "set", "--platform", "bright funds", "fund-name", "Open Science Fund", "Widgets"]);
    let out = book.import(&[&report]);
    assert!(
        out.contains("Bright Funds donor report (2 disbursement(s), 5 donation(s), net 575.00 USD) as payments, 5 row(s): 5 added"),
        "{out}"
    );
    // Employer money is the match, for whom it was given; the private donor stays unnamed.
    assert_eq!(
        payments(&book),
        [
            "brightfunds-BF-90001,2025-01-31,Bright Funds,Widgets,USD,100.00,0.00,100.00,BF-90001,Northwind Traders,Emma Example,emma@example.org,gift,INV-2025-02-0042,2025-01-14,,",
            "brightfunds-BF-90002,2025-01-31,Bright Funds,Widgets,USD,100.00,0.00,100.00,BF-90002,Northwind Traders,Emma Example,,match,INV-2025-02-0042,2025-01-31,,",
            "brightfunds-BF-90003,2025-01-31,Bright Funds,Widgets,USD,200.00,0.00,200.00,BF-90003,Northwind Traders,Emma Example,,match,INV-2025-02-0042,2025-01-31,,",
            "brightfunds-BF-90004,2025-01-31,Bright Funds,Widgets,USD,25.00,0.00,25.00,BF-90004,Fabrikam,,,gift,INV-2025-02-0042,2025-01-20,,",
            "brightfunds-BF-90005,2025-02-28,Bright Funds,Gadgets,USD,150.00,0.00,150.00,BF-90005,Northwind Traders,Felix Example,,match,INV-2025-03-0057,2025-02-28,,",
        ]
    );
    let out = book.import(&[&report]);
    assert!(out.contains("5 row(s): 0 added, 0 replaced, 5 unchanged"), "{out}");

    // The answers and mappings travel with the book.
    let export = book.export();
    assert_eq!(rows(&export, "platform-settings.csv"), ["bright funds,currency,USD"]);
    assert!(
        rows(&export, "project-mappings.csv").contains(&"bright funds,fund name,Open Science Fund,Widgets".to_string())
    );
}
