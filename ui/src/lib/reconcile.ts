// Words for reconciliation: line states and what an automatic match did.
import type { AutoOutcome } from '../bindings/AutoOutcome';
import type { DepositState } from '../bindings/DepositState';
import type { PayoutState } from '../bindings/PayoutState';
import type { LineState } from '../bindings/LineState';
import type { ReceivedLine } from '../bindings/ReceivedLine';
import type { ReconcileRow } from '../bindings/ReconcileRow';
import type { EntryRecordKind, Fields } from './api';
import { formatCents, plural } from './format';

export const STATE_LABEL: Record<LineState, string> = {
  matched: 'matched',
  to_match: 'to match',
  ambiguous: 'your choice',
  not_logged: 'not logged',
  gift: 'donor gift',
};

export const PAYOUT_LABEL: Record<PayoutState, string> = {
  in_bank: 'in bank',
  to_match: 'to match',
  ambiguous: 'your choice',
  waiting: 'waiting',
  not_in_bank: 'not in bank',
};

export const DEPOSIT_LABEL: Record<DepositState, string> = {
  matched: 'matched',
  to_match: 'to match',
  ambiguous: 'your choice',
  unexplained: 'unexplained',
  not_matching: 'not matching',
};

/** Whether a received line waits for the treasurer: to link, to choose among sets of entries, or
 * to have its entries recorded. */
export function needsTreasurer(state: LineState): boolean {
  return state === 'to_match' || state === 'ambiguous' || state === 'not_logged';
}

/** "3 payment lines matched (3 entries paid), 2 need your choice, 4 match no logged entry". */
export function outcomeText(o: AutoOutcome): string {
  const parts: string[] = [];
  parts.push(
    o.matched_lines > 0
      ? `${plural(o.matched_lines, 'payment line')} matched (${plural(o.matched_entries, 'entry', 'entries')} paid)`
      : 'No new payment line matched',
  );
  if (o.ambiguous_lines > 0) parts.push(`${o.ambiguous_lines.toLocaleString('en-US')} need${o.ambiguous_lines === 1 ? 's' : ''} your choice`);
  if (o.not_logged_lines > 0) parts.push(`${o.not_logged_lines.toLocaleString('en-US')} match${o.not_logged_lines === 1 ? 'es' : ''} no logged entry`);
  if (o.bank_matched > 0) parts.push(`${plural(o.bank_matched, 'payout')} found in the bank`);
  if (o.bank_ambiguous > 0) parts.push(`${plural(o.bank_ambiguous, 'deposit')} could be more than one payout`);
  return parts.join(', ');
}

/** The claims not received of every row, per currency ("1,241.25 USD + 317.50 GBP"). */
export function notReceivedTotal(rows: readonly ReconcileRow[]): string {
  const sums = new Map<string, number>();
  for (const r of rows) if (r.not_received_entries > 0) sums.set(r.currency, (sums.get(r.currency) ?? 0) + r.not_received);
  return [...sums].map(([cur, cents]) => formatCents(cents, cur)).join(' + ');
}

/** The fields of an hours or donation entry that a received line no logged entry explains tells
 * already: whose, for which project, from which employer, and when: the gift's date when the report
 * gives it, else when the money was sent (a date the contributor corrects). The hours or the gift stay for them to fill in. The status is `submitted`:
 * money arrived, so the claim was made (a `logged` entry past its claim deadline would earn 0 and
 * match nothing). */
export function entryFromLine(kind: EntryRecordKind, line: ReceivedLine): Fields {
  const fields: Fields = {
    date: line.gift_date,
    contributor: line.contributor === line.email ? '' : line.contributor,
    email: line.email,
    employer: line.employer,
    project: line.project,
    status: 'submitted',
  };
  if (kind === 'donations') fields.currency = line.currency;
  return fields;
}
