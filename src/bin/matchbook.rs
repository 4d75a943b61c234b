//! `matchbook`: the command line over the Matchbook library. Parsing arguments and printing are
//! all it does; every decision is the library's.

use clap::{Parser, Subcommand};
use matchbook::model::{Date, RecordKind};
use matchbook::profile::{self, Makes, Profile};
use matchbook::reconcile;
use matchbook::report::{self, Cell, Format, GroupBy, Period, Table};
use matchbook::store::{self, ImportOptions, ImportOutcome, ProjectMapping, Store, StoreError};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "matchbook",
    about = "Employer matching programs, turned into money open-source projects can count on"
)]
struct Cli {
    /// The book to use [default: matchbook.sqlite in the platform's data directory]
    #[arg(long, global = true, env = "MATCHBOOK_DB", value_name = "FILE")]
    db: Option<PathBuf>,
    /// Make the book given by --db if there is none (the default book is made without asking)
    #[arg(long, global = true)]
    create: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Make a new, empty book at FILE
    Init {
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
    /// Import ledger CSV files, platform reports (Benevity, Bright Funds), bank statements (OFX,
    /// QFX), files of a saved import profile, or folders of them, all or nothing; then reconcile
    Import(ImportArgs),
    /// Export the whole book: one CSV per kind (with ids) and the reconciliation links and report
    /// mappings into DIR, or one hledger or beancount journal FILE
    Export(ExportArgs),
    /// Move hours or donation entries to a status (submitted when claimed on the employer's
    /// platform, approved, rejected...), dated today or --on DATE, as the app's bulk change does
    Status(StatusArgs),
    /// Match received payment lines with the entries they pay (automatically where only one set
    /// of entries fits), or link and unlink by hand
    Reconcile(ReconcileArgs),
    /// Write a synthetic book of ledger files (deterministic), for load tests and measurements
    Generate(GenerateArgs),
    /// Which project a value of a platform report stands for, remembered for every report
    Map {
        #[command(subcommand)]
        map: MapCommand,
    },
    /// What a platform's reports do not say, told once (the currency of Bright Funds reports, and
    /// whether Bright Funds pays by check or eft)
    Platform {
        #[command(subcommand)]
        platform: PlatformCommand,
    },
    /// How to read a CSV layout Matchbook has no reader for (another platform's report, a bank's
    /// export), saved in the book and used for every file with its header
    Profile {
        #[command(subcommand)]
        profile: ProfileCommand,
    },
    /// Check ledger files as an import would, without a book: every problem with its file, line
    /// and column; exits with 1 if there is any
    Check(CheckArgs),
    /// Reports over the book, or over ledger files read into memory (--ledger)
    Report {
        /// Report on these ledger files or folders instead of a book: read into memory as an
        /// import reads them (all or nothing), then reported on; no book is opened
        #[arg(long, global = true, value_name = "PATH")]
        ledger: Vec<PathBuf>,
        #[command(subcommand)]
        report: ReportCommand,
    },
    /// Explain one entry's expected amount, rule by rule
    Explain(ExplainArgs),
    /// Keep a checked copy of the book (among its backups, or in FILE)
    Backup {
        #[arg(value_name = "FILE")]
        file: Option<PathBuf>,
    },
    /// The book's backups, newest first: kept before every import, bulk change, reconciliation
    /// run and schema migration
    Backups {
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
    /// Put the book back as a backup holds it (the book as it was is kept as a backup too)
    Restore {
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
    /// Known employer programs to start a program version from: figures from cited public sources,
    /// each with its source's date, to check with the employer before use
    Programs {
        #[command(subcommand)]
        programs: ProgramsCommand,
    },
}

#[derive(Subcommand)]
enum ProgramsCommand {
    /// The catalogue of known programs (no book needed): table shows what each earns and its
    /// source; csv and json give every column, as data/program-catalogue.csv has them
    Catalogue {
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
}

#[derive(clap::Args)]
struct ImportArgs {
    /// Read every file as this kind instead of recognising it from its header
    #[arg(long, value_parser = parse_kind)]
    kind: Option<RecordKind>,
    /// Warn about unknown columns instead of refusing the file
    #[arg(long)]
    ignore_unknown: bool,
    /// Read every file with the book's import profile of this name
    #[arg(long, value_name = "NAME", conflicts_with = "kind")]
    profile: Option<String>,
    /// Check and count, but write nothing
    #[arg(long)]
    dry_run: bool,
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
}

#[derive(clap::Args)]
struct CheckArgs {
    /// text, or github: GitHub Actions annotations, which show each problem on its line of a
    /// pull request's file
    #[arg(long, value_enum, default_value = "text")]
    format: CheckFormat,
    /// Read every file as this kind instead of recognising it from its header
    #[arg(long, value_parser = parse_kind)]
    kind: Option<RecordKind>,
    /// Warn about unknown columns instead of refusing the file
    #[arg(long)]
    ignore_unknown: bool,
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum CheckFormat {
    Text,
    Github,
}

#[derive(clap::Args)]
struct StatusArgs {
    /// logged, submitted, approved, paid or rejected
    #[arg(value_parser = parse_status)]
    status: matchbook::model::Status,
    /// The entries' ids (hours and donations may be mixed)
    #[arg(required = true, value_name = "ID")]
    ids: Vec<String>,
    /// The day the status was reached [default: today]
    #[arg(long, value_parser = parse_date)]
    on: Option<Date>,
}

#[derive(clap::Args)]
struct ExportArgs {
    #[arg(long, value_enum, default_value = "csv")]
    format: ExportFormat,
    /// A folder for csv, a file for a journal
    #[arg(value_name = "DIR|FILE")]
    path: PathBuf,
    /// Report date, for claim deadlines in a journal [default: today]
    #[arg(long, value_parser = parse_date)]
    as_of: Option<Date>,
    /// Replace what is there: Matchbook's files in a folder that holds others, or a journal file
    #[arg(long)]
    force: bool,
}

#[derive(clap::Args)]
struct ReconcileArgs {
    #[arg(long, value_parser = parse_date)]
    as_of: Option<Date>,
    /// A deposit fits a payout dated this many days from it, or fewer
    #[arg(long, default_value_t = matchbook::bank::DEFAULT_WINDOW_DAYS)]
    window: u32,
    /// Link this payment line to the entries given after it (the treasurer's choice)
    #[arg(long, value_name = "PAYMENT", requires = "entries", conflicts_with_all = ["unlink", "deposit", "not_matching", "unmatch"])]
    link: Option<String>,
    /// Undo the links of this payment line; its entries get their earlier status back
    #[arg(long, value_name = "PAYMENT", conflicts_with_all = ["deposit", "not_matching", "unmatch"])]
    unlink: Option<String>,
    #[arg(value_name = "ENTRY")]
    entries: Vec<String>,
    /// Match this bank deposit to the payout given by --payout (the treasurer's choice)
    #[arg(long, value_name = "DEPOSIT", requires = "payout", conflicts_with_all = ["not_matching", "unmatch"])]
    deposit: Option<String>,
    /// A payout: a disbursement id, or the id of a payment line that names none
    #[arg(long, value_name = "PAYOUT", requires = "deposit")]
    payout: Option<String>,
    /// Mark this deposit as money no payout explains (a grant, a sponsorship); it stays so
    #[arg(long, value_name = "DEPOSIT", conflicts_with = "unmatch")]
    not_matching: Option<String>,
    /// Why, for --not-matching
    #[arg(long, requires = "not_matching", default_value = "")]
    note: String,
    /// Undo the match or mark of this deposit
    #[arg(long, value_name = "DEPOSIT")]
    unmatch: Option<String>,
}

#[derive(clap::Args)]
struct GenerateArgs {
    #[arg(long, default_value_t = matchbook::synthetic::Sizes::BENCH.hours)]
    hours: usize,
    #[arg(value_name = "DIR")]
    dir: PathBuf,
}

#[derive(clap::Args)]
struct ExplainArgs {
    id: String,
    /// Report date [default: today]
    #[arg(long, value_parser = parse_date)]
    as_of: Option<Date>,
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
}

impl Command {
    /// The command's name, as another process that finds the book busy is told.
    fn name(&self) -> &'static str {
        match self {
            Command::Init { .. } => "init",
            Command::Import(_) => "import",
            Command::Export(_) => "export",
            Command::Status(_) => "status",
            Command::Reconcile(_) => "reconcile",
            Command::Generate(_) => "generate",
            Command::Check(_) => "check",
            Command::Map { .. } => "map",
            Command::Platform { .. } => "platform",
            Command::Profile { .. } => "profile",
            Command::Report { .. } => "report",
            Command::Explain(_) => "explain",
            Command::Backup { .. } => "backup",
            Command::Backups { .. } => "backups",
            Command::Restore { .. } => "restore",
            Command::Programs { .. } => "programs",
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum ExportFormat {
    Csv,
    Hledger,
    Beancount,
}

#[derive(Subcommand)]
enum MapCommand {
    /// Map a value of a report column to a project: for Benevity project-remote-id, project-id,
    /// comment or project; for Bright Funds designation or fund-name; for a profile its column
    Set {
        /// benevity, bright-funds or an import profile's name
        #[arg(long, default_value = "benevity")]
        platform: String,
        #[arg(value_name = "FIELD")]
        field: String,
        value: String,
        project: String,
    },
    /// Forget a mapping
    Remove {
        #[arg(long, default_value = "benevity")]
        platform: String,
        #[arg(value_name = "FIELD")]
        field: String,
        value: String,
    },
    /// Every mapping
    List {
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
}

#[derive(Subcommand)]
enum PlatformCommand {
    /// Tell the book a platform's setting: bright-funds currency USD, bright-funds delivery check
    Set { platform: String, setting: String, value: String },
    /// Forget a setting
    Remove { platform: String, setting: String },
    /// Every setting
    List {
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
}

#[derive(Subcommand)]
enum ProfileCommand {
    /// A first draft of a profile for FILE: its encoding, separator, the lines before its header,
    /// and its columns with their first values (to fill in, then `profile test` and `profile import`)
    Draft {
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// The profile's name
        #[arg(long)]
        name: String,
        /// What the file's rows are: payments (a platform's report) or deposits (a bank statement)
        #[arg(long, value_parser = ["payments", "deposits"])]
        makes: String,
    },
    /// Read FILE with the profile PROFILE_FILE, changing nothing: what it would import, or every
    /// error
    Test {
        #[arg(value_name = "PROFILE_FILE")]
        profile: PathBuf,
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
    /// Keep the profile written in PROFILE_FILE in the book (replacing one of its name)
    Import {
        #[arg(value_name = "PROFILE_FILE")]
        profile: PathBuf,
    },
    /// Write a saved profile's text to PROFILE_FILE, to edit it or give it to another book
    Export {
        name: String,
        #[arg(value_name = "PROFILE_FILE")]
        file: PathBuf,
        /// Replace the file if there is one
        #[arg(long)]
        force: bool,
    },
    /// Print a saved profile's text
    Show { name: String },
    /// Forget a saved profile, and the project mappings of its files
    Remove { name: String },
    /// Every saved profile
    List {
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
}

#[derive(Subcommand)]
enum ReportCommand {
    /// Expected donations, fees, received and outstanding, per group and currency
    Expected(ExpectedArgs),
    /// Logged entries whose claim deadline has passed or is near
    Due(DueArgs),
    /// Received lines matched to entries, lines nobody logged, and claims not received
    Reconcile(ReconcileReportArgs),
    /// Per contributor, what is still logged and worth money (platform, program, deadline, hours
    /// or gifts, what the employer pays), and what was submitted but is not approved after the
    /// platform's review time
    Claims(ClaimsArgs),
    /// Money of submitted and approved claims expected per month ahead, per project (or
    /// platform) and currency, from their status dates and their platforms' payout schedules; with
    /// --overdue, the claims past their expected arrival and the grace, and what to do
    Forecast(ForecastArgs),
}

#[derive(clap::Args)]
struct ForecastArgs {
    /// Rows first by month, by project or by platform
    #[arg(long, value_enum, default_value = "month")]
    by: matchbook::forecast::ForecastBy,
    /// How many months ahead, from the report date's
    #[arg(long, default_value_t = matchbook::forecast::DEFAULT_MONTHS)]
    months: u32,
    /// List the overdue claims instead: expected arrival plus the grace passed, nothing received
    #[arg(long)]
    overdue: bool,
    /// Days after the expected arrival before a claim is overdue
    #[arg(long, default_value_t = matchbook::forecast::DEFAULT_GRACE_DAYS)]
    grace: u32,
    /// Report date [default: today]
    #[arg(long, value_parser = parse_date)]
    as_of: Option<Date>,
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
}

#[derive(clap::Args)]
struct ExpectedArgs {
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
}

#[derive(clap::Args)]
struct DueArgs {
    #[arg(long, value_parser = parse_date)]
    as_of: Option<Date>,
    /// How many days ahead to look
    #[arg(long, default_value_t = 30)]
    within: u32,
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
}

#[derive(clap::Args)]
struct ClaimsArgs {
    #[arg(long, value_parser = parse_date)]
    as_of: Option<Date>,
    /// Only this contributor's claims (a name or an email)
    #[arg(long)]
    contributor: Option<String>,
    /// Only claims to submit whose deadline falls within this many days (claims awaiting
    /// approval are listed whatever their date)
    #[arg(long)]
    within: Option<u32>,
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
}

#[derive(clap::Args)]
struct ReconcileReportArgs {
    #[arg(long, value_parser = parse_date)]
    as_of: Option<Date>,
    /// Claims dated at least this many days before the report date count as not received
    #[arg(long, default_value_t = reconcile::DEFAULT_LAG_DAYS)]
    lag: u32,
    /// A deposit fits a payout dated this many days from it, or fewer
    #[arg(long, default_value_t = matchbook::bank::DEFAULT_WINDOW_DAYS)]
    window: u32,
    #[arg(long, value_enum, default_value = "summary")]
    list: reconcile::List,
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
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
    use clap::{CommandFactory, FromArgMatches};
    // The version says which books it reads too.
    let version = format!("{} (book schema {})", env!("CARGO_PKG_VERSION"), store::SCHEMA_VERSION);
    let version: &'static str = version.leak();
    let matches = Cli::command().version(version).get_matches();
    let cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    match run(cli) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("matchbook: {message}");
            ExitCode::FAILURE
        }
    }
}

/// What a command returns: whether it succeeded, or an error to print.
type Outcome = Result<ExitCode, Box<dyn std::error::Error>>;

fn run(cli: Cli) -> Outcome {
    let mut out = std::io::stdout().lock();
    if let Command::Generate(args) = &cli.command {
        return generate(args, &mut out);
    }
    if let Command::Init { file } = &cli.command {
        return init(file, &mut out);
    }
    if let Command::Check(args) = cli.command {
        return check(args, &mut out);
    }
    if let Command::Programs { programs } = &cli.command {
        return programs_command(programs, &mut out);
    }
    // Reports on ledger files open no book.
    let cli = match cli {
        Cli { command: Command::Report { ledger, report }, .. } if !ledger.is_empty() => {
            return report_on_ledger(&ledger, report, &mut out);
        }
        cli => cli,
    };
    // Only the default book is made without asking: a mistyped --db is an error naming the path.
    let path = cli.db.clone().unwrap_or_else(store::default_path);
    if let Command::Backups { format } = cli.command {
        return list_backups(&path, format, &mut out);
    }
    let opened = match cli.db.is_some() && !cli.create {
        true => Store::open(&path),
        false => Store::open_or_create(&path),
    };
    let mut store = match (opened, &cli.command) {
        (Ok(store), _) => store,
        // A book too damaged to open can still be put back from a backup.
        (Err(StoreError::Damaged(why)), Command::Restore { file }) => {
            return restore_damaged(&path, file, &why, &mut out)
        }
        (Err(e), _) => return Err(e.into()),
    };
    store.set_holder(format!("the matchbook command ({})", cli.command.name()));
    let done = match cli.command {
        Command::Init { .. } => unreachable!("handled before a book is opened"),
        Command::Import(args) => import(&mut store, args, &mut out),
        Command::Export(args) => export(&mut store, args, &mut out),
        Command::Status(args) => set_status(&mut store, args, &mut out),
        Command::Reconcile(args) => reconcile_links(&mut store, args, &mut out),
        Command::Generate(_) => unreachable!("handled before the book is opened"),
        Command::Map { map } => map_projects(&mut store, map, &mut out),
        Command::Platform { platform } => platform_settings(&mut store, platform, &mut out),
        Command::Profile { profile } => import_profiles(&mut store, profile, &mut out),
        Command::Check(_) => unreachable!("handled before a book is opened"),
        Command::Report { report, .. } => run_report(&mut store, report, &mut out),
        Command::Explain(args) => explain(&mut store, args, &mut out),
        Command::Backup { file } => backup(&store, file, &mut out),
        Command::Backups { .. } => unreachable!("handled before the book is opened"),
        Command::Restore { file } => restore(&mut store, &file, &mut out),
        Command::Programs { .. } => unreachable!("handled before a book is opened"),
    };
    // SQLite's own messages do not say which book.
    done.map_err(|e| match e.downcast_ref::<StoreError>() {
        Some(store_error) if store_error.is_from_sqlite() => match e.downcast::<StoreError>() {
            Ok(store_error) => store_error.in_book(store.path()).into(),
            Err(e) => e,
        },
        _ => e,
    })
}

fn programs_command(programs: &ProgramsCommand, out: &mut impl Write) -> Outcome {
    let ProgramsCommand::Catalogue { format } = programs;
    let entries = matchbook::catalogue::catalogue()?;
    match format {
        Format::Table => {
            print_rows(out, &matchbook::catalogue::summary_table(&entries), *format)?;
            writeln!(out, "\n{}", matchbook::catalogue::CHECK_WITH_EMPLOYER)?;
            writeln!(out, "Each entry's notes say what its source leaves unsaid: --format csv shows them.")?;
        }
        Format::Csv | Format::Json => print_rows(out, &matchbook::catalogue::full_table(&entries), *format)?,
    }
    Ok(ExitCode::SUCCESS)
}

fn backup(store: &Store, file: Option<PathBuf>, out: &mut impl Write) -> Outcome {
    match file {
        Some(file) => {
            store.backup_to(&file)?;
            writeln!(out, "{}: a checked copy of {}", file.display(), store.path())?;
        }
        None => {
            let kept = store.backup("by-hand")?;
            writeln!(out, "{}: a checked copy of {} ({} bytes)", kept.path, store.path(), kept.bytes)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn list_backups(book: &std::path::Path, format: Format, out: &mut impl Write) -> Outcome {
    let rows = store::backups_of(book)
        .into_iter()
        .map(|b| vec![Cell::Text(b.made), Cell::Text(b.reason), Cell::Text(b.bytes.to_string()), Cell::Text(b.path)])
        .collect();
    let columns = ["made", "before", "bytes", "file"].map(String::from).to_vec();
    print_rows(out, &Table { columns, rows }, format)?;
    Ok(ExitCode::SUCCESS)
}

fn restore(store: &mut Store, file: &std::path::Path, out: &mut impl Write) -> Outcome {
    let before = store.restore(file)?;
    writeln!(out, "{}: restored from {}", store.path(), file.display())?;
    writeln!(out, "the book as it was is kept as {} (matchbook restore undoes this)", before.path)?;
    Ok(ExitCode::SUCCESS)
}

fn restore_damaged(book: &std::path::Path, file: &std::path::Path, why: &str, out: &mut impl Write) -> Outcome {
    let aside = store::restore_damaged(book, file)?;
    writeln!(out, "{}: restored from {}", book.display(), file.display())?;
    writeln!(out, "it could not be opened ({why}); the damaged file is kept as {}", aside.display())?;
    Ok(ExitCode::SUCCESS)
}

fn init(file: &std::path::Path, out: &mut impl Write) -> Outcome {
    if file.exists() {
        return Err(format!("{} already exists; a new book needs a new file", file.display()).into());
    }
    Store::open_or_create(file)?;
    writeln!(out, "{}: a new, empty book", file.display())?;
    Ok(ExitCode::SUCCESS)
}

fn generate(GenerateArgs { hours, dir }: &GenerateArgs, out: &mut impl Write) -> Outcome {
    let sizes = matchbook::synthetic::Sizes { hours: *hours, ..matchbook::synthetic::Sizes::BENCH };
    matchbook::synthetic::write_book(dir, sizes).map_err(|e| format!("{}: {e}", dir.display()))?;
    writeln!(out, "{}: a synthetic book of {hours} hour entries", dir.display())?;
    Ok(ExitCode::SUCCESS)
}

fn import(store: &mut Store, args: ImportArgs, out: &mut impl Write) -> Outcome {
    let ImportArgs { kind, ignore_unknown, profile, dry_run, paths } = args;
    let options = ImportOptions { kind, profile, ignore_unknown, dry_run, cancel: None };
    let show_progress = std::io::stdout().is_terminal();
    let mut progress = |p: store::Progress| {
        if show_progress && p.bytes_total > 0 {
            eprint!("\r{}: {:>3}% ({} rows)", p.file, p.bytes_done * 100 / p.bytes_total, p.rows);
            if p.bytes_done == p.bytes_total {
                eprint!("\r\x1b[K");
            }
        }
    };
    let outcome = store.import(&paths, &options, &mut progress)?;
    // The import stands whatever follows: a reconciliation that cannot run is a warning.
    let reconciled = reconcile::after_import(store, &options, &outcome, today()).unwrap_or_else(|e| {
        eprintln!("warning: the import is in the book, but the reconciliation that follows it could not run: {e}");
        eprintln!("warning: run it again with: matchbook reconcile");
        None
    });
    let reports = match outcome {
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
        ImportOutcome::Imported(reports) => reports,
    };
    for r in &reports {
        for w in &r.warnings {
            eprintln!("warning: {w}");
        }
        let what = r.format.clone().map_or(r.kind.to_string(), |f| format!("{f} as {}", r.kind));
        writeln!(
            out,
            "{}: {what}, {} row(s): {} added, {} replaced, {} unchanged",
            r.file, r.rows, r.added, r.replaced, r.unchanged
        )?;
    }
    if dry_run {
        writeln!(out, "dry run: nothing was written")?;
    }
    let money_came = reports
        .iter()
        .any(|r| [RecordKind::Payments, RecordKind::Deposits].map(store::FileKind::Records).contains(&r.kind));
    if let Some(outcome) = reconciled.filter(|o| o.matched_lines + o.bank_matched > 0 || money_came) {
        print_reconciled(out, &outcome)?;
    }
    Ok(ExitCode::SUCCESS)
}

fn set_status(store: &mut Store, StatusArgs { status, ids, on }: StatusArgs, out: &mut impl Write) -> Outcome {
    let mut by_kind: Vec<(RecordKind, Vec<String>)> = Vec::new();
    for id in ids {
        let (kind, _) = store.find_entry(&id)?;
        let kind = kind.record_kind();
        match by_kind.iter_mut().find(|(k, _)| *k == kind) {
            Some((_, list)) => list.push(id),
            None => by_kind.push((kind, vec![id])),
        }
    }
    let on = on.unwrap_or_else(today);
    for (kind, ids) in by_kind {
        let changed = store.set_status(kind, &ids, status, on).map_err(|e| e.to_string())?;
        writeln!(out, "{kind}: {changed} of {} entr(ies) now {}", ids.len(), status.name())?;
    }
    Ok(ExitCode::SUCCESS)
}

fn parse_status(text: &str) -> Result<matchbook::model::Status, String> {
    text.parse()
}

fn export(store: &mut Store, ExportArgs { format, path, as_of, force }: ExportArgs, out: &mut impl Write) -> Outcome {
    let flavour = match format {
        ExportFormat::Csv => {
            for (file, rows) in matchbook::export::export_dir(store, &path, force)? {
                writeln!(out, "{}: {rows} row(s)", file.display())?;
            }
            return Ok(ExitCode::SUCCESS);
        }
        ExportFormat::Hledger => matchbook::journal::Flavour::Hledger,
        ExportFormat::Beancount => matchbook::journal::Flavour::Beancount,
    };
    matchbook::export::export_journal(store, flavour, as_of.unwrap_or_else(today), &path, force)?;
    writeln!(out, "{}: {} journal", path.display(), flavour.name())?;
    Ok(ExitCode::SUCCESS)
}

fn reconcile_links(store: &mut Store, args: ReconcileArgs, out: &mut impl Write) -> Outcome {
    let ReconcileArgs { as_of, window, link, unlink, entries, deposit, payout, not_matching, note, unmatch } = args;
    if let (Some(deposit), Some(payout)) = (deposit, payout) {
        store.match_deposit(&deposit, &payout, "chosen")?;
        writeln!(out, "{deposit}: brought payout {payout}")?;
    } else if let Some(deposit) = not_matching {
        store.mark_not_matching(&deposit, &note)?;
        writeln!(out, "{deposit}: marked as not matching money")?;
    } else if let Some(deposit) = unmatch {
        if !store.unmatch_deposit(&deposit)? {
            return Err(format!("deposit {deposit} is neither matched nor marked").into());
        }
        writeln!(out, "{deposit}: no longer matched or marked")?;
    } else if let Some(payment) = link {
        store.link(&payment, &entries, "chosen")?;
        writeln!(out, "{payment}: linked to {}; marked paid", entries.join(", "))?;
    } else if let Some(payment) = unlink {
        let n = store.unlink(&payment)?;
        writeln!(out, "{payment}: {n} link(s) removed; their entries have their earlier status back")?;
    } else {
        let outcome = reconcile::auto_reconcile(store, as_of.unwrap_or_else(today), window)?;
        print_reconciled(out, &outcome)?;
    }
    Ok(ExitCode::SUCCESS)
}

fn map_projects(store: &mut Store, map: MapCommand, out: &mut impl Write) -> Outcome {
    match map {
        MapCommand::Set { platform, field, value, project } => {
            let mapping = ProjectMapping { platform, field, value, project };
            store.set_project_mapping(&mapping)?;
            writeln!(
                out,
                "{} {} {:?} means the project {}",
                mapping.platform, mapping.field, mapping.value, mapping.project
            )?;
        }
        MapCommand::Remove { platform, field, value } => {
            if !store.remove_project_mapping(&platform, &field, &value)? {
                return Err(format!("no mapping of {field} {value:?}").into());
            }
        }
        MapCommand::List { format } => {
            let rows = store
                .project_mappings()?
                .into_iter()
                .map(|m| vec![Cell::Text(m.platform), Cell::Text(m.field), Cell::Text(m.value), Cell::Text(m.project)])
                .collect();
            let columns = ["platform", "field", "value", "project"].map(String::from).to_vec();
            print_rows(out, &Table { columns, rows }, format)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn platform_settings(store: &mut Store, command: PlatformCommand, out: &mut impl Write) -> Outcome {
    match command {
        PlatformCommand::Set { platform, setting, value } => {
            let kept = store.set_platform_setting(&platform, &setting, &value)?;
            writeln!(out, "{} {}: {}", kept.platform, kept.setting, kept.value)?;
        }
        PlatformCommand::Remove { platform, setting } => {
            if !store.remove_platform_setting(&platform, &setting)? {
                return Err(format!("no setting {setting} of {platform}").into());
            }
        }
        PlatformCommand::List { format } => {
            let rows = store
                .platform_settings()?
                .into_iter()
                .map(|s| vec![Cell::Text(s.platform), Cell::Text(s.setting), Cell::Text(s.value)])
                .collect();
            let columns = ["platform", "setting", "value"].map(String::from).to_vec();
            print_rows(out, &Table { columns, rows }, format)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn import_profiles(store: &mut Store, command: ProfileCommand, out: &mut impl Write) -> Outcome {
    let read_profile = |path: &std::path::Path| -> Result<Profile, Box<dyn std::error::Error>> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        Profile::parse(&path.display().to_string(), &text).map_err(|errors| errors_text(&errors).into())
    };
    match command {
        ProfileCommand::Draft { file, name, makes } => {
            let bytes = std::fs::read(&file).map_err(|e| format!("{}: {e}", file.display()))?;
            let makes = if makes == "payments" { Makes::Payments } else { Makes::Deposits };
            write!(out, "{}", Profile::draft_text(&name, makes, &profile::sniff(&bytes)))?;
        }
        ProfileCommand::Test { profile: profile_file, file } => {
            let profile = read_profile(&profile_file)?;
            let bytes = std::fs::read(&file).map_err(|e| format!("{}: {e}", file.display()))?;
            let read =
                profile::read(&profile, &file.display().to_string(), &bytes).map_err(|errors| errors_text(&errors))?;
            writeln!(out, "{}", read.description)?;
            if let Some(report) = &read.payments {
                let project_of = store.project_resolver_for(&profile.key())?;
                for line in &report.lines {
                    let project = project_of(line).unwrap_or_else(|| match line.clues.is_empty() {
                        true => "no project: the row names none, and would be refused".into(),
                        false => format!("no project yet: map {}", matchbook::platforms::clue_list(&line.clues)),
                    });
                    for p in &line.payments {
                        writeln!(
                            out,
                            "line {}: payment {} {} {} {} from {} for {project}",
                            line.line,
                            p.id,
                            matchbook::model::iso(p.date),
                            matchbook::money::format_cents(p.gross),
                            p.currency,
                            p.payer
                        )?;
                    }
                }
            }
            for (line, d) in &read.deposits {
                writeln!(
                    out,
                    "line {line}: deposit {} {} {} {} {}",
                    d.id,
                    matchbook::model::iso(d.date),
                    matchbook::money::format_cents(d.amount),
                    d.currency,
                    d.description
                )?;
            }
            for (line, why) in &read.skipped {
                writeln!(out, "line {line}: left out: {why}")?;
            }
            for warning in &read.warnings {
                writeln!(out, "warning: {warning}")?;
            }
        }
        ProfileCommand::Export { name, file, force } => {
            let Some(profile) = store.import_profile(&name)? else {
                return Err(format!("the book has no import profile {name:?}").into());
            };
            if file.exists() && !force {
                return Err(format!("{} already exists; give --force to replace it", file.display()).into());
            }
            std::fs::write(&file, profile.to_text()).map_err(|e| format!("{}: {e}", file.display()))?;
            writeln!(out, "{}: the profile {:?}", file.display(), profile.name)?;
        }
        ProfileCommand::Import { profile } => {
            let profile = read_profile(&profile)?;
            let replaced = store.save_import_profile(&profile)?;
            writeln!(out, "{}: {}", profile.name, if replaced { "replaced" } else { "saved" })?;
        }
        ProfileCommand::Show { name } => match store.import_profile(&name)? {
            Some(profile) => write!(out, "{}", profile.to_text())?,
            None => return Err(format!("the book has no import profile {name:?}").into()),
        },
        ProfileCommand::Remove { name } => match store.remove_import_profile(&name)? {
            Some(mappings) => writeln!(out, "{name}: removed, with {mappings} project mapping(s) of its files")?,
            None => return Err(format!("the book has no import profile {name:?}").into()),
        },
        ProfileCommand::List { format } => {
            let rows = store
                .import_profiles()?
                .into_iter()
                .map(|p| {
                    vec![
                        Cell::Text(p.name.clone()),
                        Cell::Text(p.makes.name().into()),
                        Cell::Text(p.header.clone().unwrap_or_default()),
                    ]
                })
                .collect();
            let columns = ["name", "makes", "header"].map(String::from).to_vec();
            print_rows(out, &Table { columns, rows }, format)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Every error of a file, one a line, as an import prints them.
fn errors_text(errors: &[matchbook::ledger::LedgerError]) -> String {
    let mut text: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
    text.push(format!("{} problem(s)", errors.len()));
    text.join("\nerror: ")
}

/// Checks ledger files as an import into an empty book would, and prints every problem: as text
/// (`FILE:LINE: column COLUMN: PROBLEM`), or as GitHub Actions annotations.
fn check(CheckArgs { format, kind, ignore_unknown, paths }: CheckArgs, out: &mut impl Write) -> Outcome {
    let options = ImportOptions { kind, ignore_unknown, ..ImportOptions::default() };
    let checked = matchbook::ledger_folder::check(&paths, &options)?;
    let github = format == CheckFormat::Github;
    for problem in &checked.problems {
        match github {
            true => writeln!(out, "{}", matchbook::ledger_folder::github_error(problem))?,
            false => writeln!(out, "{problem}")?,
        }
    }
    if !checked.problems.is_empty() {
        let n = checked.problems.len();
        let files: std::collections::BTreeSet<&str> = checked.problems.iter().map(|p| p.file.as_str()).collect();
        write!(out, "{n} problem(s) in {} file(s)", files.len())?;
        if n >= store::MAX_IMPORT_ERRORS {
            write!(out, "; stopped looking after {}: check again once they are fixed", store::MAX_IMPORT_ERRORS)?;
        }
        writeln!(out)?;
        return Ok(ExitCode::FAILURE);
    }
    for file in &checked.files {
        for warning in &file.warnings {
            match github {
                true => writeln!(out, "{}", matchbook::ledger_folder::github_warning(&file.file, warning))?,
                false => writeln!(out, "warning: {warning}")?,
            }
        }
        let what = file.format.clone().map_or(file.kind.to_string(), |f| format!("{f} as {}", file.kind));
        writeln!(out, "{}: {what}, {} row(s)", file.file, file.rows)?;
    }
    let rows: u64 = checked.files.iter().map(|f| f.rows).sum();
    writeln!(out, "ok: {} file(s), {rows} row(s), no problems", checked.files.len())?;
    Ok(ExitCode::SUCCESS)
}

/// Reads ledger files into a book in memory, as `import` would into a book, and runs the report
/// on it.
fn report_on_ledger(paths: &[PathBuf], report: ReportCommand, out: &mut impl Write) -> Outcome {
    let opened = matchbook::ledger_folder::open(paths, &ImportOptions::default(), today())?;
    let mut store = match opened {
        matchbook::ledger_folder::Opened::Book { store, files } => {
            for warning in files.iter().flat_map(|f| &f.warnings) {
                eprintln!("warning: {warning}");
            }
            store
        }
        matchbook::ledger_folder::Opened::Refused(problems) => {
            for e in &problems {
                eprintln!("error: {e}");
            }
            eprintln!("the ledger was refused as an import would refuse it: {} problem(s)", problems.len());
            return Ok(ExitCode::FAILURE);
        }
    };
    run_report(&mut store, report, out)
}

fn run_report(store: &mut Store, report: ReportCommand, out: &mut impl Write) -> Outcome {
    match report {
        ReportCommand::Expected(args) => report_expected(store, args, out),
        ReportCommand::Due(args) => report_due(store, args, out),
        ReportCommand::Reconcile(args) => report_reconcile(store, args, out),
        ReportCommand::Claims(args) => report_claims(store, args, out),
        ReportCommand::Forecast(args) => report_forecast(store, args, out),
    }
}

fn report_forecast(store: &mut Store, args: ForecastArgs, out: &mut impl Write) -> Outcome {
    let ForecastArgs { by, months, overdue, grace, as_of, format } = args;
    let as_of = as_of.unwrap_or_else(today);
    if overdue {
        let overdue = matchbook::forecast::overdue(store, as_of, grace, usize::MAX)?;
        print_rows(out, &matchbook::forecast::overdue_table(&overdue.items), format)?;
    } else {
        print_rows(out, &matchbook::forecast::forecast(store, by, months, as_of)?, format)?;
    }
    Ok(ExitCode::SUCCESS)
}

fn report_expected(store: &mut Store, args: ExpectedArgs, out: &mut impl Write) -> Outcome {
    let ExpectedArgs { by, year, from, to, as_of, format } = args;
    let period = match year {
        Some(year) => Period::year(year),
        None => Period { from, to },
    };
    let table = report::expected(store, by, period, as_of.unwrap_or_else(today))?;
    print_rows(out, &table, format)?;
    Ok(ExitCode::SUCCESS)
}

fn report_due(store: &mut Store, DueArgs { as_of, within, format }: DueArgs, out: &mut impl Write) -> Outcome {
    let due = report::due(store, as_of.unwrap_or_else(today), within)?;
    print_rows(out, &due, format)?;
    Ok(ExitCode::SUCCESS)
}

fn report_claims(store: &mut Store, args: ClaimsArgs, out: &mut impl Write) -> Outcome {
    let ClaimsArgs { as_of, contributor, within, format } = args;
    let options = matchbook::claims::Options { contributor, within, entries: false };
    let review_days = matchbook::claims::book_review_days(store)?;
    let claims = matchbook::claims::claims(store, as_of.unwrap_or_else(today), &options, &review_days)?;
    print_rows(out, &claims, format)?;
    Ok(ExitCode::SUCCESS)
}

fn report_reconcile(store: &mut Store, args: ReconcileReportArgs, out: &mut impl Write) -> Outcome {
    let ReconcileReportArgs { as_of, lag, window, list, format } = args;
    let reconciliation = reconcile::reconciliation(store, as_of.unwrap_or_else(today), lag, window, None)?;
    print_rows(out, &reconciliation.table(list), format)?;
    Ok(ExitCode::SUCCESS)
}

fn explain(store: &mut Store, ExplainArgs { id, as_of, format }: ExplainArgs, out: &mut impl Write) -> Outcome {
    let explanation = report::explain(store, &id, as_of.unwrap_or_else(today))?;
    match format {
        Format::Json => writeln!(out, "{}", serde_json::to_string_pretty(&explanation)?)?,
        Format::Table | Format::Csv => out.write_all(explanation.render_text().as_bytes())?,
    }
    Ok(ExitCode::SUCCESS)
}

/// Prints a report through a buffer: standard output flushes at every line, a system call each
/// for a report of hundreds of thousands.
fn print_rows(out: &mut impl Write, rows: &impl report::Rows, format: Format) -> std::io::Result<()> {
    let mut buffered = std::io::BufWriter::new(out);
    report::write_rows(rows, format, &mut buffered)?;
    buffered.flush()
}

fn print_reconciled(out: &mut impl Write, outcome: &reconcile::AutoOutcome) -> std::io::Result<()> {
    writeln!(
        out,
        "reconciled: {} payment line(s) matched to {} entr{} and marked paid; {} need your choice, {} match no logged entry",
        outcome.matched_lines,
        outcome.matched_entries,
        if outcome.matched_entries == 1 { "y" } else { "ies" },
        outcome.ambiguous_lines,
        outcome.not_logged_lines
    )?;
    if outcome.ambiguous_lines + outcome.not_logged_lines > 0 {
        writeln!(out, "see: matchbook report reconcile --list received")?;
    }
    if outcome.bank_matched + outcome.bank_ambiguous > 0 {
        writeln!(
            out,
            "bank: {} payout(s) matched to their deposit; {} need your choice (matchbook report reconcile --list payouts)",
            outcome.bank_matched, outcome.bank_ambiguous
        )?;
    }
    Ok(())
}
