//! A Benevity donations report of any bytes: refused with a reason, or read whole and turned into
//! payment records that add up.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(report) = matchbook::platforms::benevity::read("fuzz.csv", data).map(|r| r.into_platform_report()) else { return };
    let project = |_: &matchbook::platforms::ReportLine| Some("Fuzz".to_string());
    if let Ok(payments) = report.payments(&project) {
        for (_, payment) in payments {
            assert_eq!(payment.gross - payment.fees, payment.net);
        }
    }
});
