//! Matchbook's core: the ledger's data model, money, the rules engine, the SQLite book, CSV import
//! and export, and reports. It knows nothing of any user interface; the `matchbook` command and
//! the desktop app are thin layers over it.

pub mod bank;
pub mod browse;
pub mod catalogue;
pub mod claims;
pub mod csv_text;
pub mod encodings;
pub mod export;
pub mod forecast;
pub mod journal;
pub mod ledger;
pub mod ledger_folder;
pub mod model;
pub mod money;
pub mod ofx;
pub mod overview;
pub mod people;
pub mod platforms;
pub mod profile;
pub mod reconcile;
pub mod report;
pub mod rules;
pub mod store;
pub mod synthetic;
