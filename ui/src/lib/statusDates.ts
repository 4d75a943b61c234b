// The days an entry reached its statuses (`submitted_on`, `approved_on`, `paid_on`, `rejected_on`),
// as the Hours and Donations screens show them and the quick-entry form changes them with the
// status. Which columns each status has comes from the Rust definitions (ui/src/bindings/ledger.ts);
// the book checks every date again when the form is saved (docs/ledger-format.md, "Status dates").
import type { Status } from '../bindings/Status';
import { STATUS_DATES } from '../bindings/ledger';

export { STATUS_DATES };

/** Every status date column, in file order. */
export const DATE_COLUMNS = ['submitted_on', 'approved_on', 'paid_on', 'rejected_on'] as const;

/** "submitted_on" → "submitted on". */
export function dateLabel(column: string): string {
  return column.replace('_', ' ');
}

/** The column that dates `status` itself ('' for logged, which has none). */
export function ownColumn(status: Status): string {
  const columns = STATUS_DATES[status];
  return columns[columns.length - 1] ?? '';
}

/** The status dates after a form's status moves from `from` to `to`, as the book dates a status
 * change: the dates of statuses `to` reached are kept, the others cleared; a status newly reached
 * is dated `today` (never before the entry's `date` or an earlier status's date); moving back to a
 * status already reached keeps its date. Returns only the date columns. */
export function restatus(
  fields: Record<string, string>,
  from: Status,
  to: Status,
  today: string,
): Record<string, string> {
  const out: Record<string, string> = {};
  const before = STATUS_DATES[from];
  for (const c of DATE_COLUMNS) {
    out[c] = STATUS_DATES[to].includes(c) && before.includes(c) ? (fields[c] ?? '') : '';
  }
  const own = ownColumn(to);
  if (own && !before.includes(own)) {
    const floor = [fields.date ?? '', ...STATUS_DATES[to].map((c) => out[c])].filter(Boolean);
    out[own] = [today, ...floor].reduce((a, b) => (b > a ? b : a));
  }
  return out;
}

/** The date columns a record at `status` may not have, emptied (what a form sends). */
export function withoutUnreached(fields: Record<string, string>, status: Status): Record<string, string> {
  const out = { ...fields };
  for (const c of DATE_COLUMNS) if (!STATUS_DATES[status].includes(c)) out[c] = '';
  return out;
}

/** "submitted 2026-01-05 · approved 2026-01-20", the dates known of a row (for its tooltip). */
export function datesText(row: Record<string, unknown>): string {
  return DATE_COLUMNS.filter((c) => typeof row[c] === 'string' && row[c])
    .map((c) => `${c.replace('_on', '')} ${row[c] as string}`)
    .join(' · ');
}
