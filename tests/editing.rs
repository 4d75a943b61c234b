//! What the desktop app does to a book, through the library on a real SQLite file: writing records
//! from forms, deleting with undo, bulk status changes, browsing hours page by page, the
//! overview, and the program preview.

use matchbook::browse::{EntryIndex, EntryQuery, SortKey};
use matchbook::model::{Date, RecordKind, Status};
use matchbook::overview::{overview, preview_program};
use matchbook::report::{self, GroupBy, Period};
use matchbook::store::{Fields, ImportOptions, ImportOutcome, Store, WriteError};
use std::path::PathBuf;

fn d(s: &str) -> Date {
    s.parse().unwrap()
}

fn fields(pairs: &[(&str, &str)]) -> Fields {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

/// A fresh book holding examples/book.
fn sample_book() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_or_create(&dir.path().join("book.sqlite")).unwrap();
    let book = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples/book");
    match store.import(&[book], &ImportOptions::default(), &mut |_| {}).unwrap() {
        ImportOutcome::Imported(_) => {}
        _ => panic!("the sample book imports"),
    }
    (dir, store)
}

fn export(store: &Store, kind: RecordKind) -> String {
    let mut out = Vec::new();
    matchbook::export::write_records(store, kind, &mut out, |_| true).unwrap();
    String::from_utf8(out).unwrap()
}

fn query(kind: RecordKind) -> EntryQuery {
    EntryQuery::all(kind, 100)
}

#[test]
fn a_form_adds_then_replaces_one_record() {
    let (_dir, mut store) = sample_book();
    let before = store.counts().unwrap();
    let row = fields(&[
        ("date", "2025-12-01"),
        ("contributor", "Ada Lindqvist"),
        ("email", "ada.lindqvist@example.org"),
        ("project", "Lumen"),
        ("hours", "2"),
        ("description", "=not a formula"),
    ]);
    let id = store.write_fields(RecordKind::Hours, std::slice::from_ref(&row), "form").unwrap().remove(0);
    assert!(id.starts_with("h-"), "{id}");
    // A second identical add is a second record: a form's add always adds.
    let second = store.write_fields(RecordKind::Hours, &[row], "form").unwrap().remove(0);
    assert_ne!(id, second);
    let hours = |store: &Store| store.counts().unwrap().into_iter().find(|c| c.0 == RecordKind::Hours).unwrap().1;
    let before_hours = before.iter().find(|c| c.0 == RecordKind::Hours).unwrap().1;
    assert_eq!(hours(&store), before_hours + 2);

    let mut edited = store.records_by_id(RecordKind::Hours, std::slice::from_ref(&id)).unwrap();
    let mut edited = matchbook::store::fields_of(&edited.remove(0));
    assert_eq!(edited["description"], "=not a formula", "the form sees the text as typed");
    edited.insert("hours".into(), "3.5".into());
    store.write_fields(RecordKind::Hours, &[edited], "form").unwrap();
    assert_eq!(hours(&store), before_hours + 2, "an edit replaces");
    let again = store.records_by_id(RecordKind::Hours, std::slice::from_ref(&id)).unwrap();
    assert_eq!(matchbook::store::fields_of(&again[0])["hours"], "3.50");
}

#[test]
fn a_bad_field_is_named_and_nothing_changes() {
    let (_dir, mut store) = sample_book();
    let before = export(&store, RecordKind::Hours);
    let row = fields(&[("date", "2025-13-01"), ("contributor", "Ada"), ("project", "Lumen"), ("hours", "2")]);
    match store.write_fields(RecordKind::Hours, &[row], "form") {
        Err(WriteError::Invalid(problems)) => {
            assert_eq!(problems.len(), 1, "{problems:?}");
            assert_eq!(problems[0].column.as_deref(), Some("date"));
            assert_eq!(problems[0].line, Some(2));
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    let row = fields(&[("date", "2025-01-01"), ("contributor", "Ada"), ("project", "Lumen"), ("hourz", "2")]);
    match store.write_fields(RecordKind::Hours, &[row], "form") {
        Err(WriteError::Invalid(problems)) => assert_eq!(problems[0].column.as_deref(), Some("hourz")),
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert_eq!(export(&store, RecordKind::Hours), before);
}

#[test]
fn an_overlapping_program_version_from_a_form_is_refused() {
    let (_dir, mut store) = sample_book();
    let before = export(&store, RecordKind::Programs);
    let row = fields(&[
        ("program", "Microsoft Volunteer Rewards"),
        ("employer", "Microsoft"),
        ("kind", "volunteer"),
        ("currency", "USD"),
        ("effective_from", "2025-01-01"),
        ("rate_per_hour", "40"),
    ]);
    match store.write_fields(RecordKind::Programs, &[row], "form") {
        Err(WriteError::Invalid(problems)) => {
            assert!(problems[0].message.contains("overlap"), "{problems:?}");
            assert_eq!(problems[0].column.as_deref(), Some("effective_from"));
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert_eq!(export(&store, RecordKind::Programs), before);
}

#[test]
fn delete_then_undo_restores_the_book_exactly() {
    let (_dir, mut store) = sample_book();
    let before = export(&store, RecordKind::Hours);
    let page = EntryIndex::build(&mut store, d("2025-12-31")).unwrap().page(&store, &query(RecordKind::Hours)).unwrap();
    let ids: Vec<String> = page.rows.iter().take(3).map(|r| r.id.clone()).collect();
    let deleted = store.delete(RecordKind::Hours, &ids).unwrap();
    assert_eq!(deleted.len(), 3);
    assert!(!export(&store, RecordKind::Hours).contains(&ids[0]));
    store.write_fields(RecordKind::Hours, &deleted, "undo").unwrap();
    // Undo puts the same records back (with their ids), though at the end of the table.
    let mut lines_before: Vec<&str> = before.lines().collect();
    let after = export(&store, RecordKind::Hours);
    let mut lines_after: Vec<&str> = after.lines().collect();
    lines_before.sort();
    lines_after.sort();
    assert_eq!(lines_before, lines_after);
    // Deleting an unknown id deletes nothing.
    assert!(store.delete(RecordKind::Hours, &[ids[0].clone(), "h-nope-1".into()]).is_err());
    assert_eq!(export(&store, RecordKind::Hours).lines().count(), before.lines().count());
}

#[test]
fn bulk_status_change_marks_entries_and_updates_due_claims() {
    let (_dir, mut store) = sample_book();
    let as_of = d("2026-03-01");
    let mut index = EntryIndex::build(&mut store, as_of).unwrap();
    let logged = index.page(&store, &EntryQuery { status: Some(Status::Logged), ..query(RecordKind::Hours) }).unwrap();
    assert!(logged.total >= 2, "the sample book has logged hours");
    let ids: Vec<String> = logged.rows.iter().map(|r| r.id.clone()).collect();
    let due_before = report::due_items(&mut store, as_of, 60, true).unwrap();
    assert!(due_before.iter().any(|d| ids.contains(&d.id)));
    assert_eq!(store.set_status(RecordKind::Hours, &ids, Status::Submitted, as_of).unwrap(), ids.len());
    assert_eq!(store.set_status(RecordKind::Hours, &ids, Status::Submitted, as_of).unwrap(), 0, "already submitted");
    assert!(!index.is_current(&store, as_of).unwrap());
    let mut index = EntryIndex::build(&mut store, as_of).unwrap();
    let still_logged =
        index.page(&store, &EntryQuery { status: Some(Status::Logged), ..query(RecordKind::Hours) }).unwrap();
    assert_eq!(still_logged.total, 0);
    let due_after = report::due_items(&mut store, as_of, 60, true).unwrap();
    assert!(!due_after.iter().any(|d| ids.contains(&d.id)), "submitted claims are no longer due");
    assert!(store.set_status(RecordKind::Payments, &[], Status::Paid, as_of).is_ok(), "nothing to change");
}

/// The hours entry `id` as the app's page of hours shows it.
fn row_of(store: &mut Store, as_of: Date, id: &str) -> matchbook::browse::EntryRow {
    let mut index = EntryIndex::build(store, as_of).unwrap();
    let page = index.page(store, &EntryQuery::all(RecordKind::Hours, 1000)).unwrap();
    page.rows.into_iter().find(|r| r.id == id).unwrap()
}

#[test]
fn a_bulk_change_dates_the_status_it_sets_and_a_step_back_clears_the_later_dates() {
    let (_dir, mut store) = sample_book();
    let row = fields(&[
        ("date", "2025-12-01"),
        ("contributor", "Ada Lindqvist"),
        ("email", "ada.lindqvist@example.org"),
        ("project", "Lumen"),
        ("hours", "2"),
    ]);
    let id = store.write_fields(RecordKind::Hours, &[row], "form").unwrap().remove(0);
    let ids = [id.clone()];
    let dates = |store: &mut Store| {
        let r = row_of(store, d("2026-03-01"), &id);
        (r.status, [r.submitted_on, r.approved_on, r.paid_on, r.rejected_on])
    };
    assert_eq!(dates(&mut store), (Status::Logged, [""; 4].map(String::from)));
    store.set_status(RecordKind::Hours, &ids, Status::Submitted, d("2026-01-05")).unwrap();
    store.set_status(RecordKind::Hours, &ids, Status::Approved, d("2026-01-20")).unwrap();
    store.set_status(RecordKind::Hours, &ids, Status::Paid, d("2026-02-27")).unwrap();
    let paid = ["2026-01-05", "2026-01-20", "2026-02-27", ""].map(String::from);
    assert_eq!(dates(&mut store), (Status::Paid, paid.clone()));
    // The same status again changes nothing, its date neither.
    assert_eq!(store.set_status(RecordKind::Hours, &ids, Status::Paid, d("2026-03-01")).unwrap(), 0);
    assert_eq!(dates(&mut store), (Status::Paid, paid));
    // Back to approved: it was never paid, but it was approved on the day it was.
    store.set_status(RecordKind::Hours, &ids, Status::Approved, d("2026-03-01")).unwrap();
    assert_eq!(dates(&mut store), (Status::Approved, ["2026-01-05", "2026-01-20", "", ""].map(String::from)));
    store.set_status(RecordKind::Hours, &ids, Status::Rejected, d("2026-03-02")).unwrap();
    assert_eq!(dates(&mut store), (Status::Rejected, ["2026-01-05", "2026-01-20", "", "2026-03-02"].map(String::from)));
    store.set_status(RecordKind::Hours, &ids, Status::Logged, d("2026-03-03")).unwrap();
    assert_eq!(dates(&mut store), (Status::Logged, [""; 4].map(String::from)));
    // A clock behind the entry's own date dates it on that day, never before.
    store.set_status(RecordKind::Hours, &ids, Status::Submitted, d("2025-11-30")).unwrap();
    assert_eq!(dates(&mut store).1[0], "2025-12-01");

    // The form shows the dates and writes them as a file gives them: checked the same way.
    let r = row_of(&mut store, d("2026-03-01"), &id);
    let mut form = fields(&[
        ("id", &r.id),
        ("date", &r.date),
        ("contributor", &r.contributor),
        ("email", &r.email),
        ("project", &r.project),
        ("hours", &r.quantity),
        ("status", "approved"),
        ("submitted_on", &r.submitted_on),
        ("approved_on", "2025-11-15"),
    ]);
    let err = store.write_fields(RecordKind::Hours, std::slice::from_ref(&form), "form").unwrap_err();
    match err {
        WriteError::Invalid(problems) => {
            assert_eq!(problems[0].column.as_deref(), Some("approved_on"), "{problems:?}");
            assert!(problems[0].message.contains("before the entry's own date"), "{problems:?}");
        }
        other => panic!("{other}"),
    }
    form.insert("approved_on".into(), "2025-12-10".into());
    store.write_fields(RecordKind::Hours, &[form], "form").unwrap();
    assert_eq!(dates(&mut store), (Status::Approved, ["2025-12-01", "2025-12-10", "", ""].map(String::from)));
    // Deleting and undoing keeps them.
    let deleted = store.delete(RecordKind::Hours, &ids).unwrap();
    store.write_fields(RecordKind::Hours, &deleted, "undo").unwrap();
    assert_eq!(dates(&mut store).1[1], "2025-12-10");
}

#[test]
fn an_id_less_row_moving_its_record_forward_brings_its_dates_and_keeps_the_books() {
    let (dir, mut store) = sample_book();
    let header = "date,contributor,email,project,hours,description,status,submitted_on,approved_on,paid_on\n";
    let entry = "2025-12-01,Ada Lindqvist,ada.lindqvist@example.org,Lumen,2,Forward";
    let import = |store: &mut Store, name: &str, rows: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, format!("{header}{rows}")).unwrap();
        store.import(&[path], &ImportOptions::default(), &mut |_| {}).unwrap()
    };
    assert!(matches!(
        import(&mut store, "a.csv", &format!("{entry},submitted,2025-12-02,,\n")),
        ImportOutcome::Imported(_)
    ));
    // The contributor's next file: approved, and the day it was, but not when submitted.
    assert!(matches!(
        import(&mut store, "b.csv", &format!("{entry},approved,,2025-12-20,\n")),
        ImportOutcome::Imported(_)
    ));
    let line = export(&store, RecordKind::Hours).lines().find(|l| l.contains("Forward")).unwrap().to_string();
    assert!(line.ends_with(",approved,2025-12-02,2025-12-20,,"), "{line}");
    // A date the book's dates contradict refuses the row, with its line.
    match import(&mut store, "c.csv", &format!("{entry},paid,,,2025-12-10\n")) {
        ImportOutcome::Rejected(errors) => {
            assert_eq!((errors[0].line, errors[0].column.as_deref()), (Some(2), Some("paid_on")), "{errors:?}");
            assert!(errors[0].message.contains("before approved_on 2025-12-20"), "{errors:?}");
        }
        _ => panic!("a paid_on before the book's approved_on is refused"),
    }
}

#[test]
fn browsing_filters_sorts_and_pages() {
    let (_dir, mut store) = sample_book();
    let mut index = EntryIndex::build(&mut store, d("2025-12-31")).unwrap();
    let all = index.page(&store, &query(RecordKind::Hours)).unwrap();
    let hours_rows = export(&store, RecordKind::Hours).lines().count() as u32 - 1;
    assert_eq!(all.total, hours_rows);
    let dates: Vec<&str> = all.rows.iter().map(|r| r.date.as_str()).collect();
    assert!(dates.windows(2).all(|w| w[0] <= w[1]), "sorted by date");

    let ada_query = EntryQuery { contributor: Some("LINDQVIST".into()), ..query(RecordKind::Hours) };
    let ada = index.page(&store, &ada_query).unwrap();
    assert!(ada.total > 0 && ada.total < all.total);
    assert!(ada.rows.iter().all(|r| r.contributor == "Ada Lindqvist"));

    let by_expected = index
        .page(&store, &EntryQuery { sort: SortKey::Expected, descending: true, ..query(RecordKind::Hours) })
        .unwrap();
    let expected: Vec<i64> = by_expected.rows.iter().map(|r| r.expected.iter().map(|a| a.cents).sum()).collect();
    assert!(expected.windows(2).all(|w| w[0] >= w[1]), "{expected:?}");
    assert!(expected[0] > 0);

    let window = EntryQuery { offset: 2, limit: 3, ..query(RecordKind::Hours) };
    let page = index.page(&store, &window).unwrap();
    assert_eq!(page.total, all.total);
    assert_eq!(page.rows, all.rows[2..5].to_vec());

    let spring =
        EntryQuery { from: Some("2025-03-01".into()), to: Some("2025-05-31".into()), ..query(RecordKind::Hours) };
    let page = index.page(&store, &spring).unwrap();
    assert!(page.rows.iter().all(|r| ("2025-03-01".."2025-06-01").contains(&r.date.as_str())));

    let gifts = index.page(&store, &query(RecordKind::Donations)).unwrap();
    assert!(gifts.rows.iter().all(|r| !r.currency.is_empty()));
    assert!(index.page(&store, &query(RecordKind::Payments)).is_err(), "payments are not entries");

    // Exporting the filter writes all its rows (not one page) as a ledger file of the kind.
    let mut out = Vec::new();
    assert_eq!(index.export(&store, &EntryQuery { limit: 1, ..ada_query }, &mut out).unwrap(), ada.total as u64);
    let text = String::from_utf8(out).unwrap();
    assert!(text.starts_with("id,date,contributor"));
    assert_eq!(text.lines().count() as u32, ada.total + 1);
}

#[test]
fn the_overview_agrees_with_report_expected() {
    let (_dir, mut store) = sample_book();
    let as_of = d("2025-12-31");
    let view = overview(&mut store, d("2025-01-01"), d("2025-12-31"), as_of).unwrap();
    let report = report::expected_rows(&mut store, GroupBy::Project, Period::year(2025), as_of).unwrap();
    assert_eq!(view.rows, report);
    // The figures of the README's walk-through.
    let lumen = view.rows.iter().find(|r| r.group == "Lumen" && r.currency == "USD").unwrap();
    assert_eq!((lumen.expected, lumen.fees, lumen.expected_net), (249_138, 7_167, 241_971));
    // Month bars add up to the period's totals, per currency.
    for currency in ["USD", "GBP"] {
        let bars: i64 = view.months.iter().filter(|m| m.currency == currency).map(|m| m.expected_net).sum();
        let rows: i64 = view.rows.iter().filter(|r| r.currency == currency).map(|r| r.expected_net).sum();
        assert_eq!(bars, rows, "{currency}");
        let bars: i64 = view.months.iter().filter(|m| m.currency == currency).map(|m| m.received).sum();
        let rows: i64 = view.rows.iter().filter(|r| r.currency == currency).map(|r| r.received).sum();
        assert_eq!(bars, rows, "{currency}");
    }
    assert!(view.due.iter().all(|d| !d.expired && d.days_left <= 60));
}

#[test]
fn losses_to_caps_and_deadlines_are_counted() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_or_create(&dir.path().join("book.sqlite")).unwrap();
    let program = fields(&[
        ("program", "Volunteer"),
        ("employer", "Acme"),
        ("kind", "volunteer"),
        ("currency", "USD"),
        ("effective_from", "2024-01-01"),
        ("rate_per_hour", "10"),
        ("annual_cap", "100.00"),
        ("claim_days", "30"),
    ]);
    store.write_fields(RecordKind::Programs, &[program], "form").unwrap();
    let hours = |date: &str, hours: &str, status: &str| {
        fields(&[
            ("date", date),
            ("contributor", "Ada"),
            ("employer", "Acme"),
            ("project", "Lumen"),
            ("hours", hours),
            ("status", status),
        ])
    };
    // 2024: 8 h logged and never claimed (deadline 2025-01-30): 80.00 lost to the deadline.
    // 2025: 6 h + 6 h submitted: 60.00 + 40.00 (cap 100.00 cuts 20.00).
    let rows = [
        hours("2024-05-01", "8", "logged"),
        hours("2025-02-01", "6", "submitted"),
        hours("2025-03-01", "6", "submitted"),
    ];
    store.write_fields(RecordKind::Hours, &rows, "form").unwrap();
    let view = overview(&mut store, d("2024-01-01"), d("2025-12-31"), d("2025-06-01")).unwrap();
    let row = &view.rows[0];
    assert_eq!((row.expected, row.lost_to_caps, row.lost_to_deadlines), (10_000, 2_000, 8_000));
    // Over loose days (not whole months) the same sums come from the awards themselves.
    let view = overview(&mut store, d("2024-04-15"), d("2025-03-15"), d("2025-06-01")).unwrap();
    assert_eq!((view.rows[0].lost_to_caps, view.rows[0].lost_to_deadlines), (2_000, 8_000));
}

#[test]
fn the_program_preview_explains_one_entry() {
    let program = fields(&[
        ("program", "Volunteer"),
        ("employer", "Acme"),
        ("kind", "volunteer"),
        ("currency", "USD"),
        ("effective_from", "2024-01-01"),
        ("rate_per_hour", "25"),
        ("fee_rate", "0.05"),
    ]);
    let preview = preview_program(&program, "Ada", "2025-03-01", "2.5", d("2025-03-02")).unwrap();
    assert_eq!(preview.summary, "2.50 hours on 2025-03-01 by Ada earn 62.50 USD (fee 3.13 USD, net 59.37 USD).");
    assert!(preview.explanation.unwrap().steps.iter().any(|s| s.rule == "rate"));
    let mut threshold = program.clone();
    threshold.insert("min_hours".into(), "10".into());
    let preview = preview_program(&threshold, "Ada", "2025-03-01", "2.5", d("2025-03-02")).unwrap();
    assert!(preview.summary.contains("earn 0.00 USD"), "{}", preview.summary);
    let mut bad = program;
    bad.insert("rate_per_hour".into(), "lots".into());
    match preview_program(&bad, "Ada", "2025-03-01", "2.5", d("2025-03-02")) {
        Err(WriteError::Invalid(p)) => assert_eq!(p[0].column.as_deref(), Some("rate_per_hour")),
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_names_forms_offer_are_the_same_from_the_records_and_from_the_results_cache() {
    let (_dir, mut store) = sample_book();
    // An employer named by an entry only (no program, no employment) is offered too.
    store
        .write_fields(
            RecordKind::Hours,
            &[fields(&[
                ("date", "2025-03-01"),
                ("contributor", "Zoe"),
                ("employer", "Umbrella"),
                ("project", "Vault"),
                ("hours", "1"),
            ])],
            "form",
        )
        .unwrap();
    let scanned = store.names_in_use().unwrap();
    store.refresh_results(d("2025-12-31")).unwrap();
    let cached = store.names_in_use().unwrap();
    assert_eq!(cached.projects, scanned.projects);
    assert_eq!(cached.employers, scanned.employers);
    assert!(cached.projects.contains(&"Vault".to_string()));
    assert!(cached.employers.contains(&"Umbrella".to_string()), "{:?}", cached.employers);
}

#[test]
fn exporting_a_filter_writes_the_rows_it_selects_whatever_the_order_they_were_added_in() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_or_create(&dir.path().join("book.sqlite")).unwrap();
    // Added latest first: the index keeps rows by date, the book by the order they were added.
    let rows: Vec<Fields> = [("2025-03-01", "Cleo"), ("2025-02-01", "Bo"), ("2025-01-01", "Ann")]
        .iter()
        .map(|(date, who)| fields(&[("date", date), ("contributor", who), ("project", "Lumen"), ("hours", "1")]))
        .collect();
    store.write_fields(RecordKind::Hours, &rows, "form").unwrap();
    let mut index = EntryIndex::build(&mut store, d("2025-12-31")).unwrap();
    for who in ["Ann", "Bo", "Cleo"] {
        let mut out = Vec::new();
        let only = EntryQuery { contributor: Some(who.into()), ..query(RecordKind::Hours) };
        assert_eq!(index.export(&store, &only, &mut out).unwrap(), 1);
        let text = String::from_utf8(out).unwrap();
        assert!(text.lines().nth(1).unwrap().contains(&format!(",{who},")), "{who}: {text}");
    }
    let dates: Vec<String> =
        index.page(&store, &query(RecordKind::Hours)).unwrap().rows.into_iter().map(|r| r.date).collect();
    assert_eq!(dates, ["2025-01-01", "2025-02-01", "2025-03-01"], "by date");
}

#[test]
fn the_hours_table_finds_each_rows_expected_amount_when_rows_lie_far_apart() {
    // The index finds a row by rid through a table when rids are close together, by search when
    // many deleted rows left them far apart. Both must give each row its own amounts.
    let (dir, mut store) = sample_book();
    let as_of = d("2025-12-31");
    let amounts = |store: &mut Store| {
        let mut index = EntryIndex::build(store, as_of).unwrap();
        let page = index.page(store, &EntryQuery::all(RecordKind::Hours, 1000)).unwrap();
        assert!(page.total < 1000);
        page.rows.into_iter().map(|r| (r.id, r.expected)).collect::<std::collections::BTreeMap<_, _>>()
    };
    let before = amounts(&mut store);
    assert!(before.values().flatten().any(|a| a.cents > 0), "the sample book earns something");

    // 1,500 hours of someone no program pays, then all of them but the last are deleted.
    let filler = dir.path().join("filler.csv");
    let rows: String = (0..1500).map(|i| format!("2025-06-01,Filler Person,{i}h,Lumen,1\n")).collect();
    std::fs::write(&filler, format!("date,contributor,description,project,hours\n{rows}")).unwrap();
    assert!(matches!(
        store.import(&[filler], &ImportOptions::default(), &mut |_| {}).unwrap(),
        ImportOutcome::Imported(_)
    ));
    let mut index = EntryIndex::build(&mut store, as_of).unwrap();
    let mut fillers: Vec<String> = Vec::new();
    loop {
        let query = EntryQuery {
            contributor: Some("Filler".into()),
            offset: fillers.len() as u32,
            ..EntryQuery::all(RecordKind::Hours, 1000)
        };
        let page = index.page(&store, &query).unwrap();
        if page.rows.is_empty() {
            break;
        }
        fillers.extend(page.rows.into_iter().map(|r| r.id));
    }
    assert_eq!(fillers.len(), 1500);
    fillers.sort();
    let kept = fillers.pop().unwrap();
    store.delete(RecordKind::Hours, &fillers).unwrap();

    let mut after = amounts(&mut store);
    assert!(after.remove(&kept).is_some());
    assert_eq!(after, before);
}

#[test]
fn reports_over_loose_days_and_whole_months_add_up_alike_for_every_grouping() {
    // March 1 to May 31 is read from the monthly sums; its two parts, March 1-15 and March 16 to
    // May 31, from the awards of their loose days (and April and May's sums). They must agree.
    let (_dir, mut store) = sample_book();
    let as_of = d("2025-12-31");
    let period = |from: &str, to: &str| Period { from: Some(d(from)), to: Some(d(to)) };
    for by in [GroupBy::Project, GroupBy::Employer, GroupBy::Contributor, GroupBy::Program] {
        let whole = report::expected_rows(&mut store, by, period("2025-03-01", "2025-05-31"), as_of).unwrap();
        let mut parts: std::collections::BTreeMap<(String, String), [i64; 7]> = Default::default();
        for (from, to) in [("2025-03-01", "2025-03-15"), ("2025-03-16", "2025-05-31")] {
            for row in report::expected_rows(&mut store, by, period(from, to), as_of).unwrap() {
                let sums = parts.entry((row.group, row.currency)).or_default();
                let values = [
                    row.hours,
                    row.gifts,
                    row.expected,
                    row.fees,
                    row.received,
                    row.lost_to_caps,
                    row.lost_to_deadlines,
                ];
                for (sum, value) in sums.iter_mut().zip(values) {
                    *sum += value;
                }
            }
        }
        let whole: std::collections::BTreeMap<(String, String), [i64; 7]> = whole
            .into_iter()
            .map(|r| {
                let values = [r.hours, r.gifts, r.expected, r.fees, r.received, r.lost_to_caps, r.lost_to_deadlines];
                ((r.group, r.currency), values)
            })
            .collect();
        assert!(whole.values().any(|v| v[2] > 0), "{by:?}: something is expected");
        assert_eq!(whole, parts, "{by:?}");
    }
}

#[test]
fn versions_of_a_program_spelled_in_another_case_make_one_group_over_any_period() {
    // The second version of Microsoft's volunteer program spells its name in capitals. Reports by
    // program must still show one program, under its first version's name, whether a period is
    // read from the monthly sums (a whole year) or from the awards of loose days.
    let dir = tempfile::tempdir().unwrap();
    let ledger = dir.path().join("ledger");
    std::fs::create_dir(&ledger).unwrap();
    let book = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples/book");
    for file in std::fs::read_dir(&book).unwrap() {
        let file = file.unwrap().path();
        let mut text = std::fs::read_to_string(&file).unwrap();
        if file.file_name().unwrap() == "programs.csv" {
            text = text.replacen(
                "Microsoft Volunteer Rewards,Microsoft,Benevity,volunteer,USD,2025-07-01",
                "MICROSOFT VOLUNTEER REWARDS,Microsoft,Benevity,volunteer,USD,2025-07-01",
                1,
            );
            assert!(text.contains("MICROSOFT VOLUNTEER REWARDS"));
        }
        std::fs::write(ledger.join(file.file_name().unwrap()), text).unwrap();
    }
    let mut store = Store::open_or_create(&dir.path().join("book.sqlite")).unwrap();
    assert!(matches!(
        store.import(&[ledger], &ImportOptions::default(), &mut |_| {}).unwrap(),
        ImportOutcome::Imported(_)
    ));
    let as_of = d("2025-12-31");
    for (from, to) in [("2025-01-01", "2025-12-31"), ("2025-01-02", "2025-12-30")] {
        let period = Period { from: Some(d(from)), to: Some(d(to)) };
        let rows = report::expected_rows(&mut store, GroupBy::Program, period, as_of).unwrap();
        let groups: Vec<&str> = rows
            .iter()
            .filter(|r| r.group.to_lowercase().contains("microsoft volunteer rewards"))
            .map(|r| r.group.as_str())
            .collect();
        assert_eq!(groups, ["Microsoft Volunteer Rewards (Microsoft)"], "{from} to {to}");
    }
}

/// Cancel, as the app's button does it while an import runs: the import stops within a few
/// thousand rows of the flag and leaves the book as it was, names included; a second import of
/// the same files then brings them all.
#[test]
fn a_cancelled_import_changes_nothing() {
    use matchbook::synthetic::{self, Sizes};
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Arc;
    let dir = tempfile::tempdir().unwrap();
    let ledger = dir.path().join("ledger");
    synthetic::write_book(&ledger, Sizes { hours: 40_000, projects: 20, contributors: 300, employers: 5 }).unwrap();
    let mut store = Store::open_or_create(&dir.path().join("book.sqlite")).unwrap();
    let cancel = Arc::new(AtomicBool::new(false));
    let options = ImportOptions { cancel: Some(cancel.clone()), ..ImportOptions::default() };
    // The flag is raised at the first progress report (after 16,384 rows of hours).
    let mut rows_when_cancelled = None;
    let outcome = store
        .import(std::slice::from_ref(&ledger), &options, &mut |p| {
            if p.bytes_done < p.bytes_total && rows_when_cancelled.is_none() {
                rows_when_cancelled = Some(p.rows);
                cancel.store(true, Ordering::Relaxed);
            }
        })
        .unwrap();
    assert!(matches!(outcome, ImportOutcome::Cancelled), "{outcome:?}");
    assert!(rows_when_cancelled.is_some());
    let count = |store: &Store, table: &str| -> i64 {
        sqlite(store).query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0)).unwrap()
    };
    for table in ["hours", "donations", "programs", "employments", "names", "contributors"] {
        assert_eq!(count(&store, table), 0, "{table}");
    }
    let ImportOutcome::Imported(reports) =
        store.import(std::slice::from_ref(&ledger), &ImportOptions::default(), &mut |_| {}).unwrap()
    else {
        panic!("the second import goes through")
    };
    assert_eq!(reports.iter().find(|r| r.rows == 40_000).map(|r| r.added), Some(40_000));
    assert_eq!(count(&store, "hours"), 40_000);
}

/// The identical-row rule counts the book as it was before the file, even when the file's own
/// earlier rows replaced records by id: a row without an id that matches a record's old content
/// is unchanged, one that matches its new content (held by no record before) is new.
#[test]
fn rows_without_ids_are_counted_against_the_book_before_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_or_create(&dir.path().join("book.sqlite")).unwrap();
    let import = |store: &mut Store, name: &str, text: &str| {
        let file = dir.path().join(name);
        std::fs::write(&file, text).unwrap();
        match store.import(&[file], &ImportOptions::default(), &mut |_| {}).unwrap() {
            ImportOutcome::Imported(reports) => {
                let r = &reports[0];
                (r.added, r.replaced, r.unchanged)
            }
            other => panic!("{other:?}"),
        }
    };
    let first = "date,contributor,project,hours\n2025-01-02,Ada,Lumen,1\n2025-01-02,Bob,Lumen,2\n";
    assert_eq!(import(&mut store, "first.csv", first), (2, 0, 0));
    let ada: String = sqlite(&store).query_row("SELECT id FROM hours WHERE hours = 10000", [], |r| r.get(0)).unwrap();
    let second = format!(
        "id,date,contributor,project,hours\n{ada},2025-01-02,Ada,Lumen,3\n,2025-01-02,Ada,Lumen,1\n,2025-01-02,Ada,Lumen,3\n"
    );
    // Ada's 1 h becomes 3 h; the 1 h row matches what the book held; the 3 h row is new.
    assert_eq!(import(&mut store, "second.csv", &second), (1, 1, 1));
    let hours: Vec<i64> = {
        let conn = sqlite(&store);
        let mut stmt = conn.prepare("SELECT hours FROM hours ORDER BY rid").unwrap();
        stmt.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect()
    };
    assert_eq!(hours, [30000, 20000, 30000]);
}

/// The book's SQLite file, opened beside the store to look at its tables.
fn sqlite(store: &Store) -> rusqlite::Connection {
    rusqlite::Connection::open(store.path()).unwrap()
}
