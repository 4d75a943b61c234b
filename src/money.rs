//! Money, quantities and the one rounding rule.
//!
//! Money is an integer count of cents ([`Cents`]); every currency is kept with two decimals, as the
//! ledger contract prints them. Rates, ratios, fee rates and hours are exact decimals
//! ([`rust_decimal::Decimal`]). A float never touches an amount.
//!
//! Rounding happens in exactly one place, [`round_to_cents`]: half away from zero, to the cent.

use rust_decimal::Decimal;
use std::fmt;
use std::str::FromStr;

/// An amount of money in cents (hundredths of the currency unit).
pub type Cents = i64;

/// Hours in ten-thousandths of an hour, so that sums and comparisons are exact integers.
pub type Hours = i64;

/// Ten-thousandths per hour.
pub const HOURS_SCALE: i64 = 10_000;

/// The largest amount any single cell may hold: 1,000,000,000.00. Anything above is a typo.
pub const MAX_AMOUNT: Cents = 100_000_000_000;

/// The one rounding rule of Matchbook: half away from zero, to the cent.
pub fn round_to_cents(value: Decimal) -> Cents {
    round_scaled_to_cents(value.mantissa(), value.scale())
}

/// [`round_to_cents`] of `mantissa × 10^-scale`, in integers.
fn round_scaled_to_cents(mantissa: i128, scale: u32) -> Cents {
    let saturated = if mantissa < 0 { i64::MIN } else { i64::MAX };
    let cents = match scale.checked_sub(2) {
        None => 10i128.checked_pow(2 - scale).and_then(|p| mantissa.checked_mul(p)),
        Some(0) => Some(mantissa),
        Some(extra) => 10i128.checked_pow(extra).map(|divisor| {
            let (quotient, remainder) = (mantissa / divisor, mantissa % divisor);
            // Half away from zero: a remainder of at least half the divisor rounds outwards.
            if remainder.unsigned_abs() * 2 >= divisor.unsigned_abs() {
                quotient + mantissa.signum()
            } else {
                quotient
            }
        }),
    };
    cents.and_then(|c| i64::try_from(c).ok()).unwrap_or(saturated)
}

/// `cents × rate`, rounded by [`round_to_cents`].
pub fn scale_cents(cents: Cents, rate: Decimal) -> Cents {
    times_rate(cents, 2, rate)
}

/// `hours × rate`, rounded by [`round_to_cents`].
pub fn hours_times_rate(hours: Hours, rate: Decimal) -> Cents {
    times_rate(hours, 4, rate)
}

/// [`round_to_cents`] of `units × 10^-scale × rate`. The product is made in integers when a
/// [`Decimal`] would hold it exactly (at most 28 decimals and 96 bits), so the result is the same:
/// a recompute makes one per award, and the decimal product is a large part of the engine.
fn times_rate(units: i64, scale: u32, rate: Decimal) -> Cents {
    let exact_scale = scale + rate.scale();
    match i128::from(units).checked_mul(rate.mantissa()) {
        Some(product) if exact_scale <= 28 && product.unsigned_abs() < 1 << 96 => {
            round_scaled_to_cents(product, exact_scale)
        }
        _ => round_to_cents(Decimal::new(units, scale) * rate),
    }
}

pub fn cents_to_decimal(cents: Cents) -> Decimal {
    Decimal::new(cents, 2)
}

pub fn hours_to_decimal(hours: Hours) -> Decimal {
    Decimal::new(hours, 4)
}

/// Why a number cell was refused; the caller adds file, line and column.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NumberError {
    #[error("{0:?} is not a number (write plain decimals with a dot, like 1234.50)")]
    NotANumber(String),
    #[error("{0:?} has more than {1} decimals")]
    TooPrecise(String, u32),
    #[error("{0:?} is negative")]
    Negative(String),
    #[error("{0:?} is absurdly large (the most a cell may hold is {1})")]
    TooLarge(String, String),
}

/// Parses a plain decimal: digits, an optional dot and fraction, an optional leading minus.
/// No exponents, currency symbols or thousands separators, as the contract says.
pub fn parse_decimal(text: &str) -> Result<Decimal, NumberError> {
    let t = text.trim();
    let digits = t.strip_prefix('-').unwrap_or(t);
    let plain = !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && digits.bytes().filter(|&b| b == b'.').count() <= 1
        && digits.bytes().any(|b| b.is_ascii_digit())
        && digits.len() <= 40;
    if !plain {
        return Err(NumberError::NotANumber(text.to_string()));
    }
    Decimal::from_str(t).map_err(|_| NumberError::NotANumber(text.to_string()))
}

fn parse_scaled(text: &str, decimals: u32) -> Result<i64, NumberError> {
    let value = parse_decimal(text)?.normalize();
    if value.is_sign_negative() && !value.is_zero() {
        return Err(NumberError::Negative(text.to_string()));
    }
    // Counted on the text: a decimal keeps 28 digits and would round "1.000…0001" to 1 unseen.
    let fraction = text.trim().split_once('.').map_or("", |(_, f)| f.trim_end_matches('0'));
    if value.scale() > decimals || fraction.len() > decimals as usize {
        return Err(NumberError::TooPrecise(text.to_string(), decimals));
    }
    let too_large = || NumberError::TooLarge(text.to_string(), format_cents(MAX_AMOUNT));
    let scaled = value.checked_mul(Decimal::from(10i64.pow(decimals))).ok_or_else(too_large)?;
    i64::try_from(scaled.trunc()).map_err(|_| too_large())
}

/// Parses a non-negative amount of money with at most two decimals.
pub fn parse_cents(text: &str) -> Result<Cents, NumberError> {
    let cents = parse_scaled(text, 2)?;
    if cents > MAX_AMOUNT {
        return Err(NumberError::TooLarge(text.to_string(), format_cents(MAX_AMOUNT)));
    }
    Ok(cents)
}

/// Parses non-negative hours with at most four decimals.
pub fn parse_hours(text: &str) -> Result<Hours, NumberError> {
    let hours = parse_scaled(text, 4)?;
    if hours > 1_000_000 * HOURS_SCALE {
        return Err(NumberError::TooLarge(text.to_string(), "1000000".into()));
    }
    Ok(hours)
}

/// Parses a non-negative rate or ratio (any precision a decimal holds).
pub fn parse_rate(text: &str) -> Result<Decimal, NumberError> {
    let value = parse_decimal(text)?;
    if value.is_sign_negative() && !value.is_zero() {
        return Err(NumberError::Negative(text.to_string()));
    }
    if value > Decimal::from(MAX_AMOUNT) {
        return Err(NumberError::TooLarge(text.to_string(), format_cents(MAX_AMOUNT)));
    }
    Ok(value.normalize())
}

/// Cents as the contract writes amounts: exactly two decimals, no separators.
pub fn format_cents(cents: Cents) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

/// Hours with at least two decimals and as many more as needed (1.50, 1.3333).
pub fn format_hours(hours: Hours) -> String {
    let sign = if hours < 0 { "-" } else { "" };
    let abs = hours.unsigned_abs();
    let whole = abs / HOURS_SCALE as u64;
    let frac = abs % HOURS_SCALE as u64;
    let mut frac_text = format!("{frac:04}");
    while frac_text.len() > 2 && frac_text.ends_with('0') {
        frac_text.pop();
    }
    format!("{sign}{whole}.{frac_text}")
}

/// A rate or ratio as written back to CSV: the shortest exact decimal.
pub fn format_rate(rate: Decimal) -> String {
    rate.normalize().to_string()
}

/// An ISO 4217 currency code that Matchbook knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Currency([u8; 3]);

/// Active ISO 4217 codes, plus `XXX` ("no currency"), which reports use for hours without a program.
const ISO_4217: &[&str] = &[
    "AED", "AFN", "ALL", "AMD", "ANG", "AOA", "ARS", "AUD", "AWG", "AZN", "BAM", "BBD", "BDT", "BGN", "BHD", "BIF",
    "BMD", "BND", "BOB", "BRL", "BSD", "BTN", "BWP", "BYN", "BZD", "CAD", "CDF", "CHF", "CLP", "CNY", "COP", "CRC",
    "CUP", "CVE", "CZK", "DJF", "DKK", "DOP", "DZD", "EGP", "ERN", "ETB", "EUR", "FJD", "FKP", "GBP", "GEL", "GHS",
    "GIP", "GMD", "GNF", "GTQ", "GYD", "HKD", "HNL", "HTG", "HUF", "IDR", "ILS", "INR", "IQD", "IRR", "ISK", "JMD",
    "JOD", "JPY", "KES", "KGS", "KHR", "KMF", "KPW", "KRW", "KWD", "KYD", "KZT", "LAK", "LBP", "LKR", "LRD", "LSL",
    "LYD", "MAD", "MDL", "MGA", "MKD", "MMK", "MNT", "MOP", "MRU", "MUR", "MVR", "MWK", "MXN", "MYR", "MZN", "NAD",
    "NGN", "NIO", "NOK", "NPR", "NZD", "OMR", "PAB", "PEN", "PGK", "PHP", "PKR", "PLN", "PYG", "QAR", "RON", "RSD",
    "RUB", "RWF", "SAR", "SBD", "SCR", "SDG", "SEK", "SGD", "SHP", "SLE", "SOS", "SRD", "SSP", "STN", "SVC", "SYP",
    "SZL", "THB", "TJS", "TMT", "TND", "TOP", "TRY", "TTD", "TWD", "TZS", "UAH", "UGX", "USD", "UYU", "UZS", "VES",
    "VND", "VUV", "WST", "XAF", "XCD", "XCG", "XOF", "XPF", "XXX", "YER", "ZAR", "ZMW", "ZWG",
];

impl Currency {
    /// The code reports use for hours that no program turns into money.
    pub const NONE: Currency = Currency(*b"XXX");

    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).expect("currency codes are ASCII")
    }
}

impl FromStr for Currency {
    type Err = String;
    fn from_str(text: &str) -> Result<Self, String> {
        if let &[a, b, c] = text.trim().as_bytes() {
            let code = [a, b, c].map(|l| l.to_ascii_uppercase());
            // By halves of the sorted list: books read a currency for every award they load.
            if ISO_4217.binary_search_by(|known| known.as_bytes().cmp(&code[..])).is_ok() {
                return Ok(Currency(code));
            }
        }
        Err(format!("{text:?} is not an ISO 4217 currency code (like USD, EUR, GBP)"))
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for Currency {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::RoundingStrategy;

    /// The rounding as rust_decimal does it, which the integer one must equal.
    fn rounded_by_decimal(value: Decimal) -> Cents {
        let rounded = value.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
        i64::try_from(rounded * Decimal::ONE_HUNDRED).unwrap()
    }

    #[test]
    fn small_products_round_as_decimals_do() {
        // Small numbers, where halves are common.
        for units in -3000..=3000 {
            for rate in ["0", "1", "0.5", "0.25", "0.125", "2.5", "0.0001", "0.035", "7.77"] {
                let rate = Decimal::from_str(rate).unwrap();
                for scale in [2, 4] {
                    let product = Decimal::new(units, scale) * rate;
                    assert_eq!(times_rate(units, scale, rate), rounded_by_decimal(product), "{units} {scale} {rate}");
                }
            }
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]
        #[test]
        fn integer_rounding_and_products_equal_decimal_ones(
            units in -(MAX_AMOUNT * 100)..=MAX_AMOUNT * 100,
            scale in proptest::sample::select(vec![2u32, 4]),
            rate_mantissa in 0i64..=i64::MAX,
            rate_digits in 0u32..=18,
            rate_scale in 0u32..=26,
        ) {
            // Rates of every width and scale, so that products land either side of 28 decimals and 96 bits.
            let rate = Decimal::new(rate_mantissa % 10i64.pow(rate_digits).max(1), rate_scale);
            let value = Decimal::new(units, scale);
            proptest::prop_assert_eq!(round_to_cents(value), rounded_by_decimal(value));
            let product = value.checked_mul(rate);
            if let Some(product) = product.filter(|p| p.abs() < Decimal::from(i64::MAX / 100)) {
                proptest::prop_assert_eq!(times_rate(units, scale, rate), rounded_by_decimal(product));
            }
        }
    }

    #[test]
    fn rounds_half_away_from_zero() {
        assert_eq!(round_to_cents(Decimal::from_str("0.125").unwrap()), 13);
        assert_eq!(round_to_cents(Decimal::from_str("0.124999").unwrap()), 12);
        assert_eq!(round_to_cents(Decimal::from_str("-0.125").unwrap()), -13);
        assert_eq!(round_to_cents(Decimal::from_str("2.675").unwrap()), 268);
        assert_eq!(hours_times_rate(parse_hours("1.3333").unwrap(), Decimal::from(25)), 3333);
        assert_eq!(hours_times_rate(parse_hours("0.5").unwrap(), Decimal::from_str("0.25").unwrap()), 13);
    }

    #[test]
    fn parses_plain_decimals_only() {
        assert_eq!(parse_cents("1234.5"), Ok(123450));
        assert_eq!(parse_cents(" 10.500 "), Ok(1050));
        assert_eq!(parse_cents("0"), Ok(0));
        assert!(matches!(parse_cents("1,000.00"), Err(NumberError::NotANumber(_))));
        assert!(matches!(parse_cents("$5"), Err(NumberError::NotANumber(_))));
        assert!(matches!(parse_cents("1e5"), Err(NumberError::NotANumber(_))));
        assert!(matches!(parse_cents("."), Err(NumberError::NotANumber(_))));
        assert!(matches!(parse_cents("1.005"), Err(NumberError::TooPrecise(_, 2))));
        assert!(matches!(parse_cents("-3"), Err(NumberError::Negative(_))));
        assert!(matches!(parse_cents("1000000000000000.00"), Err(NumberError::TooLarge(..))));
        assert_eq!(parse_hours("1.25"), Ok(12500));
        assert!(matches!(parse_hours("1.23456"), Err(NumberError::TooPrecise(_, 4))));
    }

    #[test]
    fn amounts_past_what_a_decimal_holds_are_refused_not_rounded() {
        // 28 nines times 100 overflows a decimal: refused, no panic.
        assert!(matches!(parse_cents("9999999999999999999999999999"), Err(NumberError::TooLarge(..))));
        assert!(matches!(parse_hours("9999999999999999999999999999"), Err(NumberError::TooLarge(..))));
        // 31 digits round to 1 in a decimal; the text says more than two decimals.
        assert!(matches!(parse_cents("1.000000000000000000000000000001"), Err(NumberError::TooPrecise(_, 2))));
        assert_eq!(parse_cents("1.50000000000000000000000000000").unwrap(), 150);
    }

    #[test]
    fn formats_amounts_and_hours() {
        assert_eq!(format_cents(123450), "1234.50");
        assert_eq!(format_cents(-5), "-0.05");
        assert_eq!(format_hours(12500), "1.25");
        assert_eq!(format_hours(10000), "1.00");
        assert_eq!(format_hours(13333), "1.3333");
        assert_eq!(format_rate(Decimal::from_str("0.0290").unwrap()), "0.029");
    }

    #[test]
    fn currencies_are_iso_codes() {
        assert_eq!("usd".parse::<Currency>().unwrap().as_str(), "USD");
        assert!("DOLLARS".parse::<Currency>().is_err());
        assert!("ABC".parse::<Currency>().is_err());
        for bad in ["US$", "", "US", "usdd", "1SD", "ÉUR"] {
            assert!(bad.parse::<Currency>().is_err(), "{bad}");
        }
        assert_eq!(" eUr ".parse::<Currency>().unwrap().as_str(), "EUR");
        // The list is searched by halves: it must be sorted.
        assert!(ISO_4217.windows(2).all(|w| w[0] < w[1]), "ISO_4217 is sorted");
        assert!(ISO_4217.iter().all(|c| c.len() == 3));
        for &code in ISO_4217 {
            assert_eq!(code.parse::<Currency>().unwrap().as_str(), code);
        }
    }
}
