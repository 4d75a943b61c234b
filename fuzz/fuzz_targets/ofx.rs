//! An OFX bank statement of any bytes: refused with a reason that names the file, or read into
//! statements whose transactions have their own FITIDs and amounts Matchbook can hold.
#![no_main]

use libfuzzer_sys::fuzz_target;
use matchbook::money::MAX_AMOUNT;
use std::collections::HashSet;

fuzz_target!(|data: &[u8]| {
    let _ = matchbook::ofx::is_ofx(data);
    let statements = match matchbook::ofx::read("fuzz.ofx", data) {
        Ok(statements) => statements,
        Err(errors) => {
            assert!(!errors.is_empty());
            assert!(errors.iter().all(|e| e.file == "fuzz.ofx" && !e.message.is_empty()), "{errors:?}");
            return;
        }
    };
    assert!(!statements.is_empty());
    for statement in &statements {
        assert!(!statement.account.is_empty());
        let mut fitids = HashSet::new();
        for transaction in &statement.transactions {
            assert!(fitids.insert(&transaction.fitid), "{transaction:?}");
            assert!(!transaction.fitid.is_empty());
            assert!(transaction.amount.abs() <= MAX_AMOUNT, "{transaction:?}");
            assert!(transaction.line > statement.line, "{transaction:?}");
        }
        for balance in statement.ledger_balance.iter().chain(&statement.available_balance) {
            assert!(balance.amount.abs() <= MAX_AMOUNT && balance.line > statement.line, "{balance:?}");
        }
    }
});
