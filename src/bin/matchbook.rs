//! `matchbook`: the command line over the Matchbook library. Parsing arguments and printing are
//! all it does; every decision is the library's.

use clap::{Parser, Subcommand};
use matchbook::model::{Date, RecordKind};
use matchbook::report::{self, Format, GroupBy, Period};
use matchbook::store::{self, ImportOptions, ImportOutcome, Store};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "matchbook",
    version,
    about = "Employer matching programs, turned into money open-source projects can count on"
)]
struct Cli {
    /// The book to use [default: matchbook.sqlite in the platform's data directory]
    #[arg(long, global = true, env = "MATCHBOOK_DB", value_name = "FILE")]
    db: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Import ledger CSV files (or folders of them), all or nothing
    Import {
        /// Read every file as this kind instead of recognising it from its header
        #[arg(long, value_parser = parse_kind)]
        kind: Option<RecordKind>,
        /// Warn about unknown columns instead of refusing the file
        #[arg(long)]
        ignore_unknown: bool,
        /// Check and count, but write nothing
        #[arg(long)]
        dry_run: bool,
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
    },
    /// Export the whole book as one CSV per kind, with ids
    Export {
        #[arg(value_name = "DIR")]
        dir: PathBuf,
    },
    /// Reports over the book
    Report {
        #[command(subcommand)]
        report: ReportCommand,
    },
    /// Explain one entry's expected amount, rule by rule
    Explain {
        id: String,
        /// Report date [default: today]
        #[arg(long, value_parser = parse_date)]
        as_of: Option<Date>,
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
}

#[derive(Subcommand)]
enum ReportCommand {
    /// Expected donations, fees, received and outstanding, per group and currency
    Expected {
        #[arg(long, value_enum, default_value = "project")]
        by: GroupBy,
        /// Entries dated in this calendar year
        #[arg(long, conflicts_with_all = ["from", "to"])]
        year: Option<i32>,
        #[arg(long, value_parser = parse_date)]
        from: Option<Date>,
        #[arg(long, value_parser = parse_date)]
        to: Option<Date>,
        /// Report date, for claim deadlines [default: today]
        #[arg(long, value_parser = parse_date)]
        as_of: Option<Date>,
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
    /// Logged entries whose claim deadline has passed or is near
    Due {
        #[arg(long, value_parser = parse_date)]
        as_of: Option<Date>,
        /// How many days ahead to look
        #[arg(long, default_value_t = 30)]
        within: u32,
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
}

fn parse_date(text: &str) -> Result<Date, String> {
    matchbook::ledger::parse_date(text)
}

fn parse_kind(text: &str) -> Result<RecordKind, String> {
    text.parse()
}

fn today() -> Date {
    chrono::Local::now().date_naive()
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("matchbook: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode, Box<dyn std::error::Error>> {
    let path = cli.db.unwrap_or_else(store::default_path);
    let mut store = Store::open(&path)?;
    let mut out = std::io::stdout().lock();
    match cli.command {
        Command::Import { kind, ignore_unknown, dry_run, paths } => {
            let options = ImportOptions { kind, ignore_unknown, dry_run, cancel: None };
            let show_progress = std::io::stdout().is_terminal();
            let mut progress = |p: store::Progress| {
                if show_progress && p.bytes_total > 0 {
                    eprint!("\r{}: {:>3}% ({} rows)", p.file, p.bytes_done * 100 / p.bytes_total, p.rows);
                    if p.bytes_done == p.bytes_total {
                        eprint!("\r\x1b[K");
                    }
                }
            };
            match store.import(&paths, &options, &mut progress)? {
                ImportOutcome::Rejected(errors) => {
                    for e in &errors {
                        eprintln!("error: {e}");
                    }
                    eprintln!("import refused: {} problem(s); the book was not changed", errors.len());
                    return Ok(ExitCode::FAILURE);
                }
                ImportOutcome::Cancelled => {
                    eprintln!("import cancelled; the book was not changed");
                    return Ok(ExitCode::FAILURE);
                }
                ImportOutcome::Imported(reports) => {
                    for r in &reports {
                        for w in &r.warnings {
                            eprintln!("warning: {w}");
                        }
                        writeln!(
                            out,
                            "{}: {}, {} row(s): {} added, {} replaced, {} unchanged",
                            r.file, r.kind, r.rows, r.added, r.replaced, r.unchanged
                        )?;
                    }
                    if dry_run {
                        writeln!(out, "dry run: nothing was written")?;
                    }
                }
            }
        }
        Command::Export { dir } => {
            for (file, rows) in report::export_dir(&store, &dir)? {
                writeln!(out, "{}: {rows} row(s)", file.display())?;
            }
        }
        Command::Report { report: ReportCommand::Expected { by, year, from, to, as_of, format } } => {
            let period = match year {
                Some(year) => Period::year(year),
                None => Period { from, to },
            };
            let table = report::expected(&mut store, by, period, as_of.unwrap_or_else(today))?;
            out.write_all(table.render(format).as_bytes())?;
        }
        Command::Report { report: ReportCommand::Due { as_of, within, format } } => {
            let table = report::due(&mut store, as_of.unwrap_or_else(today), within)?;
            out.write_all(table.render(format).as_bytes())?;
        }
        Command::Explain { id, as_of, format } => {
            let explanation = report::explain(&store, &id, as_of.unwrap_or_else(today))?;
            match format {
                Format::Json => writeln!(out, "{}", serde_json::to_string_pretty(&explanation)?)?,
                Format::Table | Format::Csv => out.write_all(explanation.render_text().as_bytes())?,
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
