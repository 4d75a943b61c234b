// The contract's columns for each record kind (docs/ledger-format.md); form field names are these.
import type { RecordKind } from '../bindings/RecordKind';

export const COLUMNS: Record<RecordKind, readonly string[]> = {
  programs: [
    'id', 'program', 'employer', 'platform', 'kind', 'currency', 'effective_from', 'effective_to',
    'rate_per_hour', 'block_hours', 'block_amount', 'min_hours', 'match_ratio', 'min_gift', 'max_gift',
    'annual_cap', 'cap_group', 'year_start', 'claim_days', 'fee_rate',
  ],
  employments: ['id', 'contributor', 'email', 'employer', 'start', 'end'],
  hours: ['id', 'date', 'contributor', 'email', 'employer', 'project', 'hours', 'description', 'status'],
  donations: ['id', 'date', 'contributor', 'email', 'employer', 'project', 'amount', 'currency', 'status'],
  payments: ['id', 'date', 'payer', 'project', 'currency', 'gross', 'fees', 'net', 'reference'],
};

export const STATUSES = ['logged', 'submitted', 'approved', 'paid', 'rejected'] as const;

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
