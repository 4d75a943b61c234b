//! The UI's TypeScript types are generated from the Rust types it receives and sends (ts-rs), into
//! `ui/src/bindings/`, with the ledger's columns per kind and the statuses as constants (forms
//! name their fields by these columns). The test below fails when the checked-in files differ from what the Rust
//! types generate; `MATCHBOOK_UPDATE_BINDINGS=1 cargo test -p matchbook-app --features typescript`
//! rewrites them.

#[cfg(all(test, feature = "typescript"))]
mod tests {
    use std::collections::BTreeMap;
    use std::path::{Path, PathBuf};
    use ts_rs::TS;

    /// Exports every type the commands take or return (and, through them, the types they use).
    fn export_all(dir: &Path) {
        use crate::commands::*;
        use matchbook::{browse, overview, report};
        AppError::export_all_to(dir).unwrap();
        BookInfo::export_all_to(dir).unwrap();
        About::export_all_to(dir).unwrap();
        ImportProgress::export_all_to(dir).unwrap();
        ImportResult::export_all_to(dir).unwrap();
        overview::Overview::export_all_to(dir).unwrap();
        overview::ProgramPreview::export_all_to(dir).unwrap();
        matchbook::catalogue::CatalogueEntry::export_all_to(dir).unwrap();
        browse::EntryQuery::export_all_to(dir).unwrap();
        browse::EntryPage::export_all_to(dir).unwrap();
        report::EntryExplanation::export_all_to(dir).unwrap();
        matchbook::model::Status::export_all_to(dir).unwrap();
        matchbook::reconcile::Reconciliation::export_all_to(dir).unwrap();
        matchbook::reconcile::AutoOutcome::export_all_to(dir).unwrap();
        matchbook::store::ProjectMapping::export_all_to(dir).unwrap();
        matchbook::store::UnmappedLine::export_all_to(dir).unwrap();
        matchbook::store::Backup::export_all_to(dir).unwrap();
        matchbook::journal::Flavour::export_all_to(dir).unwrap();
        matchbook::store::SettingQuestion::export_all_to(dir).unwrap();
        matchbook::store::PlatformSetting::export_all_to(dir).unwrap();
        matchbook::forecast::PlatformView::export_all_to(dir).unwrap();
        matchbook::store::ProfileTest::export_all_to(dir).unwrap();
        ProfileStart::export_all_to(dir).unwrap();
        ReminderFile::export_all_to(dir).unwrap();
        matchbook::claims::ContributorClaims::export_all_to(dir).unwrap();
        matchbook::claims::Sender::export_all_to(dir).unwrap();
        crate::reminders::ReminderSettings::export_all_to(dir).unwrap();
        std::fs::write(dir.join("ledger.ts"), ledger_constants()).unwrap();
    }

    /// The contract's columns of each kind, in file order, and the statuses, as TypeScript.
    fn ledger_constants() -> String {
        use matchbook::model::{RecordKind, Status, StatusDates};
        let quoted =
            |names: &mut dyn Iterator<Item = &str>| names.map(|n| format!("\"{n}\"")).collect::<Vec<_>>().join(", ");
        let mut out = String::from(
            "// Generated from the ledger contract (src/ledger.rs, src/model.rs) by src-tauri/src/bindings.rs. Do not edit.\n\
             import type { RecordKind } from \"./RecordKind\";\n\
             import type { Status } from \"./Status\";\n\n\
             /** Each kind's columns, in the order a file of that kind is written. */\n\
             export const LEDGER_COLUMNS: Record<RecordKind, readonly string[]> = {\n",
        );
        for kind in RecordKind::ALL {
            out += &format!("  {}: [{}],\n", kind.name(), quoted(&mut matchbook::ledger::header(kind).into_iter()));
        }
        out += "};\n\n/** Where an entry stands in its claim's life, in order. */\nexport const STATUSES = [";
        out += &quoted(&mut Status::ALL.iter().map(|s| s.name()));
        out += "] as const;\n\n/** The status date columns of an entry at each status: those of the statuses it reached. */\n\
                export const STATUS_DATES: Record<Status, readonly string[]> = {\n";
        for status in Status::ALL {
            let reached = StatusDates::STATUSES.into_iter().filter(|s| status.reached(*s));
            out += &format!("  {}: [{}],\n", status.name(), quoted(&mut reached.filter_map(|s| s.date_column())));
        }
        out += "};\n";
        out
    }

    fn files(dir: &Path) -> BTreeMap<String, String> {
        let mut files = BTreeMap::new();
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.extension().is_some_and(|e| e == "ts") {
                let name = path.file_name().unwrap().to_string_lossy().into_owned();
                files.insert(name, std::fs::read_to_string(&path).unwrap());
            }
        }
        files
    }

    #[test]
    fn typescript_bindings_are_current() {
        let checked_in = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../ui/src/bindings");
        let generated = tempfile::tempdir().unwrap();
        export_all(generated.path());
        let (want, have) = (files(generated.path()), files(&checked_in));
        if want == have {
            return;
        }
        if std::env::var_os("MATCHBOOK_UPDATE_BINDINGS").is_some() {
            let _ = std::fs::remove_dir_all(&checked_in);
            std::fs::create_dir_all(&checked_in).unwrap();
            for (name, text) in &want {
                std::fs::write(checked_in.join(name), text).unwrap();
            }
            return;
        }
        let differ: Vec<&String> = want
            .keys()
            .chain(have.keys())
            .filter(|name| want.get(*name) != have.get(*name))
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        panic!(
            "ui/src/bindings is out of date ({differ:?}); run \
             MATCHBOOK_UPDATE_BINDINGS=1 cargo test -p matchbook-app --features typescript bindings"
        );
    }
}
