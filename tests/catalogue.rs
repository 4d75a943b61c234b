//! The catalogue of known employer programs (data/program-catalogue.csv): it parses, every entry is
//! a program version the import accepts, every entry cites a source with its date, the docs cite
//! every entry, and `matchbook programs catalogue` prints it.

mod common;

use common::*;
use matchbook::catalogue::{self, CatalogueEntry};
use matchbook::model::{Earning, ProgramKind, RecordKind};
use matchbook::store::Store;

fn entries() -> Vec<CatalogueEntry> {
    catalogue::catalogue().unwrap_or_else(|e| panic!("the shipped catalogue does not parse: {e}"))
}

#[test]
fn the_catalogue_parses_and_has_a_handful_of_programs() {
    let entries = entries();
    assert!(entries.len() >= 5, "{} entries", entries.len());
    for e in &entries {
        assert_eq!(e.check, catalogue::CHECK_WITH_EMPLOYER);
        // The figures a test can read back, as the import read them.
        match (&e.version.kind, &e.version.earning) {
            (ProgramKind::Volunteer, Earning::Rate(_) | Earning::Blocks { .. }) => {}
            (ProgramKind::Donation, Earning::Match { .. }) => {}
            other => panic!("{}: {other:?}", e.entry),
        }
    }
    let microsoft = entries.iter().find(|e| e.entry == "microsoft-hours").expect("microsoft-hours");
    assert_eq!(microsoft.version.earning, Earning::Rate("25.00".parse().unwrap()));
}

#[test]
fn every_entry_has_a_source_address_and_the_date_it_describes() {
    for e in entries() {
        assert!(e.source_url.starts_with("https://") || e.source_url.starts_with("http://"), "{}", e.entry);
        assert!(!e.source_title.is_empty() && !e.notes.is_empty(), "{}", e.entry);
        let year: i32 = e.source_date[..4].parse().unwrap_or_else(|_| panic!("{}: {}", e.entry, e.source_date));
        assert!((2000..=2100).contains(&year), "{}: {}", e.entry, e.source_date);
        assert!([4, 7, 10].contains(&e.source_date.len()), "{}: {}", e.entry, e.source_date);
        // The version starts no earlier than what its source vouches for.
        assert!(e.field("effective_from").starts_with(&e.source_date[..4]), "{}", e.entry);
    }
}

#[test]
fn every_entry_passes_the_checks_of_a_form_and_the_whole_catalogue_imports_into_a_book() {
    let mut store = Store::open_in_memory("catalogue").unwrap();
    // One at a time, as the Programs form saves an entry it was filled from...
    for e in entries() {
        store
            .write_fields(RecordKind::Programs, std::slice::from_ref(&e.fields), "form")
            .unwrap_or_else(|err| panic!("{}: {err}", e.entry));
    }
    // ...and all at once as a programs.csv import, with its checks across rows.
    let book = Book::new();
    let csv = book.write("catalogue.csv", {
        let mut text = matchbook::ledger::header(RecordKind::Programs).join(",") + "\n";
        for e in entries() {
            let cells: Vec<String> = matchbook::ledger::header(RecordKind::Programs)
                .iter()
                .map(|c| {
                    let v = e.field(c);
                    if v.contains([',', '"']) {
                        format!("\"{}\"", v.replace('"', "\"\""))
                    } else {
                        v.to_string()
                    }
                })
                .collect();
            text += &(cells.join(",") + "\n");
        }
        text
    });
    let out = book.import(&[&csv]);
    assert!(out.contains(&format!("{} added", entries().len())), "{out}");
}

#[test]
fn the_docs_cite_every_entry() {
    let docs = std::fs::read_to_string(repo("docs/program-catalogue.md")).expect("docs/program-catalogue.md");
    for e in entries() {
        assert!(docs.contains(&format!("`{}`", e.entry)), "docs/program-catalogue.md does not list {}", e.entry);
        assert!(
            docs.contains(&e.source_url),
            "docs/program-catalogue.md does not cite {} for {}",
            e.source_url,
            e.entry
        );
    }
}

#[test]
fn programs_catalogue_prints_the_catalogue_without_a_book() {
    // No book is made or needed.
    let book = Book::unmade();
    let table = book.ok(&["programs", "catalogue"]);
    assert!(!book.db.exists(), "programs catalogue made a book");
    let entries = entries();
    for e in &entries {
        let line = table.lines().find(|l| l.starts_with(&format!("{} ", e.entry))).unwrap_or_else(|| panic!("{table}"));
        assert!(line.contains(&e.source_url) && line.contains(&e.source_date), "{line}");
    }
    let microsoft = table.lines().find(|l| l.starts_with("microsoft-hours ")).unwrap();
    assert!(microsoft.contains("25.00 per hour"), "{microsoft}");
    let google = table.lines().find(|l| l.starts_with("google-gifts ")).unwrap();
    assert!(google.contains("1:1 match, from 50.00, capped at 6000.00 a year"), "{google}");
    assert!(table.contains(catalogue::CHECK_WITH_EMPLOYER), "{table}");

    // csv: the catalogue's own columns, every row, as the shipped file has them.
    let csv = book.ok(&["programs", "catalogue", "--format", "csv"]);
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    let shipped_header = catalogue::CATALOGUE_CSV.lines().next().unwrap();
    assert_eq!(header.join(","), shipped_header);
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), entries.len());
    let shipped: Vec<csv::StringRecord> =
        csv::Reader::from_reader(catalogue::CATALOGUE_CSV.as_bytes()).records().map(Result::unwrap).collect();
    assert_eq!(rows, shipped);

    // json: one object per entry.
    let json: serde_json::Value =
        serde_json::from_str(&book.ok(&["programs", "catalogue", "--format", "json"])).unwrap();
    assert_eq!(json.as_array().map(Vec::len), Some(entries.len()));
}
