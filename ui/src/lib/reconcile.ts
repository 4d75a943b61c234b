// Words for reconciliation: line states and what an automatic match did.
import type { AutoOutcome } from '../bindings/AutoOutcome';
import type { EntryRef } from '../bindings/EntryRef';
import type { LineState } from '../bindings/LineState';
import { formatCents, plural } from './format';

export const STATE_LABEL: Record<LineState, string> = {
  matched: 'matched',
  to_match: 'to match',
  ambiguous: 'your choice',
  not_logged: 'not logged',
  gift: 'donor gift',
};

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
  return parts.join(', ');
}

/** The sum of the entries' expected amounts, per currency ("125.00 USD"). */
export function entriesTotal(entries: readonly EntryRef[]): string {
  const sums = new Map<string, number>();
  for (const e of entries) sums.set(e.currency, (sums.get(e.currency) ?? 0) + e.expected);
  return [...sums].map(([cur, cents]) => formatCents(cents, cur)).join(' + ');
}
