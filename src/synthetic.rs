//! A synthetic but realistic book of any size, for benchmarks and load tests: employers with
//! rate, block and donation programs (caps, cap groups, thresholds, rate changes, program years
//! starting mid-year), contributors with employment histories, a year of hours and some gifts.
//! Deterministic: the same sizes give the same files.

use std::io::{self, Write};
use std::path::Path;

#[derive(Debug, Clone, Copy)]
pub struct Sizes {
    pub hours: usize,
    pub projects: usize,
    pub contributors: usize,
    pub employers: usize,
}

impl Sizes {
    /// The benchmark's book: 1,000,000 hour entries, 200 projects, 5,000 contributors, 50 employers.
    pub const BENCH: Sizes = Sizes { hours: 1_000_000, projects: 200, contributors: 5_000, employers: 50 };
}

/// xorshift64*: small, fast and good enough to scatter test data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// Writes programs.csv, employments.csv, hours.csv and donations.csv into `dir`.
pub fn write_book(dir: &Path, sizes: Sizes) -> io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let file = |name: &str| -> io::Result<io::BufWriter<std::fs::File>> {
        Ok(io::BufWriter::with_capacity(1 << 20, std::fs::File::create(dir.join(name))?))
    };

    let mut programs = file("programs.csv")?;
    writeln!(
        programs,
        "program,employer,platform,kind,currency,effective_from,effective_to,rate_per_hour,block_hours,block_amount,min_hours,match_ratio,min_gift,max_gift,annual_cap,cap_group,year_start,claim_days,fee_rate"
    )?;
    let platforms = ["Benevity", "YourCause", "CyberGrants", "Direct"];
    for e in 0..sizes.employers {
        let employer = format!("Employer {e:02}");
        let platform = platforms[e % platforms.len()];
        let currency = if e % 10 == 9 { "EUR" } else { "USD" };
        let year_start = if e % 5 == 4 { "07-01" } else { "01-01" };
        let cap = 500 + 250 * (e % 8);
        if e % 3 == 2 {
            writeln!(
                programs,
                "Volunteer Grants,{employer},{platform},volunteer,{currency},2020-01-01,,,10,250.00,20,,,,{cap}.00,giving,{year_start},120,0.035"
            )?;
        } else {
            let rate = 10 + 5 * (e % 4);
            writeln!(
                programs,
                "Volunteer Rewards,{employer},{platform},volunteer,{currency},2020-01-01,2025-06-30,{rate}.00,,,,,,,{cap}.00,giving,{year_start},90,0.029"
            )?;
            writeln!(
                programs,
                "Volunteer Rewards,{employer},{platform},volunteer,{currency},2025-07-01,,{}.00,,,,,,,{cap}.00,giving,{year_start},90,0.029",
                rate + 5
            )?;
        }
        writeln!(
            programs,
            "Gift Match,{employer},{platform},donation,{currency},2020-01-01,,,,,,1,25.00,1000.00,{cap}.00,giving,{year_start},90,0.029"
        )?;
    }
    programs.flush()?;

    let mut employments = file("employments.csv")?;
    writeln!(employments, "contributor,email,employer,start,end")?;
    for c in 0..sizes.contributors {
        let employer = rng.below(sizes.employers as u64 + 1);
        // Every twentieth contributor has no employer; every tenth changed jobs mid-year.
        if employer == sizes.employers as u64 || c % 20 == 19 {
            continue;
        }
        if c % 10 == 3 {
            let next = (employer + 1) % sizes.employers as u64;
            writeln!(employments, "Person {c},p{c}@example.org,Employer {employer:02},2019-03-01,2025-05-31")?;
            writeln!(employments, "Person {c},p{c}@example.org,Employer {next:02},2025-06-01,")?;
        } else {
            writeln!(employments, "Person {c},p{c}@example.org,Employer {employer:02},2019-03-01,")?;
        }
    }
    employments.flush()?;

    let statuses = ["logged", "logged", "logged", "submitted", "approved", "paid", "paid", "rejected"];
    let descriptions = ["code review", "triage", "docs", "release", "mentoring", "bug fixes", "CI", "design"];
    let mut hours = file("hours.csv")?;
    writeln!(hours, "date,contributor,email,employer,project,hours,description,status")?;
    let start = chrono::NaiveDate::from_ymd_opt(2025, 1, 1).expect("valid date");
    for _ in 0..sizes.hours {
        let c = rng.below(sizes.contributors as u64);
        // Each contributor mostly works on a few projects.
        let project = (c * 7 + rng.below(3) * 13) % sizes.projects as u64;
        let date = start + chrono::Days::new(rng.below(365));
        let quarter_hours = 1 + rng.below(32);
        let status = statuses[rng.below(statuses.len() as u64) as usize];
        let description = descriptions[rng.below(descriptions.len() as u64) as usize];
        writeln!(
            hours,
            "{date},Person {c},p{c}@example.org,,Project {project:03},{}.{:02},{description},{status}",
            quarter_hours / 4,
            (quarter_hours % 4) * 25
        )?;
    }
    hours.flush()?;

    let mut donations = file("donations.csv")?;
    writeln!(donations, "date,contributor,email,employer,project,amount,currency,status")?;
    for _ in 0..sizes.hours / 50 {
        let c = rng.below(sizes.contributors as u64);
        let project = (c * 7) % sizes.projects as u64;
        let date = start + chrono::Days::new(rng.below(365));
        let amount = 10 + rng.below(1500);
        let status = statuses[rng.below(statuses.len() as u64) as usize];
        writeln!(donations, "{date},Person {c},p{c}@example.org,,Project {project:03},{amount}.00,USD,{status}")?;
    }
    donations.flush()
}
