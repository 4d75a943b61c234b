//! An import profile of any text, and a file of any bytes read with the two sample profiles (and
//! with the fuzzed one, when it parses): refused with reasons, or read into records that hold what
//! records must. A profile that parses is written back to text that parses to it again.
#![no_main]

use libfuzzer_sys::fuzz_target;
use matchbook::profile::{self, Encoding, Profile};
use std::collections::HashSet;

const YOURCAUSE: &str = include_str!("../../tests/data/profiles/yourcause.profile");
const BANK: &str = include_str!("../../tests/data/profiles/bank.profile");

fuzz_target!(|data: &[u8]| {
    // The profile's text up to a line `%%`, the file after it; without one, the input is both.
    let (text, file) = match data.windows(4).position(|w| w == b"\n%%\n") {
        Some(at) => (&data[..at], &data[at + 4..]),
        None => (data, data),
    };
    if let Ok(parsed) = Profile::parse("fuzz.profile", &String::from_utf8_lossy(text)) {
        assert_eq!(Profile::parse("again", &parsed.to_text()).as_ref(), Ok(&parsed), "{}", parsed.to_text());
        assert_eq!(parsed.check("again"), Ok(()));
        check(&parsed, file);
    }
    for sample in [YOURCAUSE, BANK] {
        let mut sample = Profile::parse("sample", sample).expect("the sample profiles parse");
        check(&sample, file);
        sample.skip = 0;
        for encoding in [Encoding::Utf8, Encoding::Utf16, Encoding::Windows1252] {
            sample.encoding = encoding;
            check(&sample, file);
        }
    }
    let sniffed = profile::sniff(file);
    assert!(sniffed.rows.len() <= 20);
});

/// Reads `bytes` with `profile`; what it reads must be records the book can take.
fn check(profile: &Profile, bytes: &[u8]) {
    let Ok(read) = profile::read(profile, "fuzz.csv", bytes) else { return };
    let mut ids = HashSet::new();
    if let Some(report) = &read.payments {
        for payment in report.lines.iter().flat_map(|l| &l.payments) {
            assert_eq!(payment.gross - payment.fees, payment.net);
            assert!(payment.gross > 0 && payment.fees >= 0 && payment.net >= 0, "{payment:?}");
            assert!(!payment.id.contains(char::is_whitespace), "{payment:?}");
            assert!(ids.insert(payment.id.clone()), "two payments with one id: {payment:?}");
        }
    }
    for (_, deposit) in &read.deposits {
        assert!(deposit.amount > 0, "{deposit:?}");
        assert!(!deposit.id.contains(char::is_whitespace), "{deposit:?}");
        assert!(ids.insert(deposit.id.clone()), "two deposits with one id: {deposit:?}");
    }
}
