//! Reading a file on a second thread, a few batches of rows ahead of the writing.

use super::resolver::{NewName, Refs, Resolver};
use super::source::Source;
use crate::ledger::LedgerError;
use crate::model::Record;
use crate::store::rows::Digests;

/// A row as read: its record and what the reading thread made of it, or why it is refused.
pub(super) type ReadRow = Result<Read, LedgerError>;

/// A record as read, with the ids of the names and contributors it refers to and its digest
/// when the reading thread resolved them.
pub(super) struct Read {
    pub(super) line: u64,
    pub(super) record: Record,
    pub(super) resolved: Option<(Refs, Digests)>,
}

/// Rows of one file, read on another thread.
pub(super) struct Batch {
    pub(super) rows: Vec<ReadRow>,
    /// The names and contributors that these rows brought to the book, to be written first.
    pub(super) new_names: Vec<NewName>,
    /// How far into the file the reader was after these rows.
    pub(super) bytes_read: u64,
}

/// A batch's rows once written, sent back to the reading thread when dropped.
pub(super) struct Spent<'a>(pub(super) Vec<ReadRow>, pub(super) &'a std::sync::mpsc::Sender<Vec<ReadRow>>);

impl Drop for Spent<'_> {
    fn drop(&mut self) {
        // The reader may have finished: then the rows are freed here.
        let _ = self.1.send(std::mem::take(&mut self.0));
    }
}

/// Reads `source` on a thread of `scope`, a batch of rows at a time, a few batches ahead of the
/// caller: parsing and checking (and resolving, given the `resolver`) is nearly as much work as
/// writing, and runs while the rows before are written. The reader also frees the rows the caller
/// sends back when done with them. Dropping the receiver stops the reader.
pub(super) fn read_ahead<'scope>(
    scope: &'scope std::thread::Scope<'scope, '_>,
    mut source: Source,
    mut resolver: Option<&'scope mut Resolver>,
) -> (std::sync::mpsc::Receiver<Batch>, std::sync::mpsc::Sender<Vec<ReadRow>>) {
    const ROWS: usize = 4096;
    let (sender, receiver) = std::sync::mpsc::sync_channel(4);
    let (spent_sender, spent) = std::sync::mpsc::channel::<Vec<ReadRow>>();
    scope.spawn(move || loop {
        while let Ok(rows) = spent.try_recv() {
            drop(rows);
        }
        let rows: Vec<_> = std::iter::from_fn(|| source.next_record())
            .take(ROWS)
            .map(|row| {
                row.map(|(line, record)| {
                    let resolved = resolver.as_deref_mut().map(|resolver| resolver.resolve(&record));
                    Read { line, record, resolved }
                })
            })
            .collect();
        let last = rows.len() < ROWS;
        let new_names = resolver.as_deref_mut().map(|r| std::mem::take(&mut r.new_names)).unwrap_or_default();
        if sender.send(Batch { rows, new_names, bytes_read: source.bytes_read() }).is_err() || last {
            break;
        }
    });
    (receiver, spent_sender)
}
