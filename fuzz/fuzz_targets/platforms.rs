//! Any bytes as every platform's report: recognised or not, read by each reader (Benevity's
//! donations and disbursement reports, Bright Funds' donor report, the last with no settings and
//! with its currency and each way of paying answered). Each refuses with reasons that name the
//! file and a line, or reads payments that a book holds: more than nothing, fees and net adding up
//! to the gross, every record id its own.
#![no_main]

use libfuzzer_sys::fuzz_target;
use matchbook::ledger::LedgerError;
use matchbook::money::MAX_AMOUNT;
use matchbook::platforms::{self, brightfunds, Layout, PlatformReport, ReportLine, Settings};
use std::collections::HashSet;

const FILE: &str = "fuzz.csv";

/// Bright Funds' currency answered, and how it pays (`None`: not answered).
struct BrightFunds(Option<&'static str>);

impl Settings for BrightFunds {
    fn setting(&self, platform: &str, setting: &str) -> Option<String> {
        if platform != platforms::BRIGHT_FUNDS.key {
            return None;
        }
        match setting {
            brightfunds::CURRENCY => Some("USD".into()),
            brightfunds::DELIVERY => self.0.map(str::to_string),
            _ => None,
        }
    }
}

fn check(read: Result<PlatformReport, Vec<LedgerError>>) {
    let report = match read {
        Ok(report) => report,
        Err(errors) => {
            assert!(!errors.is_empty());
            assert!(errors.iter().all(|e| e.file == FILE && e.line.is_some() && !e.message.is_empty()), "{errors:?}");
            return;
        }
    };
    assert!(!report.lines.is_empty());
    let project = |_: &ReportLine| Some("Fuzz".to_string());
    let payments = match report.payments(&project) {
        Ok(payments) => payments,
        // Only two lines that make one record are refused once every line has its project.
        Err(errors) => {
            assert!(errors.iter().all(|e| e.message.contains("cannot be told apart")), "{errors:?}");
            return;
        }
    };
    let mut ids = HashSet::new();
    for (line, p) in &payments {
        assert!(*line >= 1);
        assert!(ids.insert(p.id.as_str()), "{p:?}");
        assert_eq!(p.gross - p.fees, p.net, "{p:?}");
        assert!(p.gross > 0 && p.gross <= MAX_AMOUNT, "{p:?}");
        assert!(p.fees >= 0 && p.net >= 0, "{p:?}");
    }
    let _ = report.net_by_currency();
}

fuzz_target!(|data: &[u8]| {
    let _ = platforms::recognise(data);
    check(platforms::read(Layout::BenevityDonations, FILE, data, &()));
    check(platforms::read(Layout::BenevityDisbursements, FILE, data, &()));
    for settings in [&() as &dyn Settings, &BrightFunds(None), &BrightFunds(Some("check")), &BrightFunds(Some("eft"))] {
        check(platforms::read(Layout::BrightFunds, FILE, data, settings));
    }
});
