// The contract's columns for each record kind (docs/ledger-format.md); form field names are these.
// Both lists are generated from the Rust definitions (ui/src/bindings/ledger.ts).
import type { RecordKind } from '../bindings/RecordKind';
import { LEDGER_COLUMNS, STATUSES } from '../bindings/ledger';

export const COLUMNS = LEDGER_COLUMNS;
export { STATUSES };

/** A record with every column of its kind present (missing ones empty), values trimmed. */
export function complete(kind: RecordKind, f: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const c of COLUMNS[kind]) out[c] = (f[c] ?? '').trim();
  return out;
}

/** A blank record of a kind. */
export function blank(kind: RecordKind): Record<string, string> {
  return complete(kind, {});
}
