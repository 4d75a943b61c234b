//! A ledger file of any bytes: read as every kind, or recognised, with unknown columns refused or
//! ignored. Every row is read to the end: no panic, no hang, problems are errors.
#![no_main]

use libfuzzer_sys::fuzz_target;
use matchbook::ledger::LedgerReader;
use matchbook::model::RecordKind;

fuzz_target!(|data: &[u8]| {
    let kinds = std::iter::once(None).chain(RecordKind::ALL.into_iter().map(Some));
    for (kind, ignore_unknown) in kinds.flat_map(|k| [(k, false), (k, true)]) {
        let Ok(mut reader) = LedgerReader::from_bytes("fuzz.csv".into(), data.to_vec(), kind, ignore_unknown) else {
            continue;
        };
        let mut rows = 0u64;
        while let Some(row) = reader.next_record() {
            rows += 1;
            if let Ok((line, _)) = row {
                assert!(line >= 2, "a row is after the header");
            }
        }
        assert!(rows <= data.len() as u64 + 1);
    }
});
