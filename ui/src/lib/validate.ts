// Client-side checks of a program version before it is sent. The backend validates again with the
// import parser; these only catch the obvious so the user gets feedback next to the field at once.
import type { Fields } from './api';
import { COLUMNS } from './columns';
import { isIsoDate, isMonthDay } from './dates';

export const PROGRAM_COLUMNS = COLUMNS.programs;

export const VOLUNTEER_ONLY = ['rate_per_hour', 'block_hours', 'block_amount', 'min_hours'] as const;
export const DONATION_ONLY = ['match_ratio', 'min_gift', 'max_gift'] as const;

const AMOUNT = /^\d+(\.\d{1,2})?$/;
const DECIMAL = /^\d+(\.\d+)?$/;

export function isPositiveDecimal(s: string): boolean {
  return DECIMAL.test(s) && Number(s) > 0;
}

export function isAmount(s: string): boolean {
  return AMOUNT.test(s);
}

const v = (f: Fields, k: string) => (f[k] ?? '').trim();

/** Errors keyed by column; empty when nothing obvious is wrong. */
export function validateProgram(f: Fields): Record<string, string> {
  const e: Record<string, string> = {};
  for (const k of ['program', 'employer', 'kind', 'currency', 'effective_from']) {
    if (!v(f, k)) e[k] = 'Required.';
  }
  const kind = v(f, 'kind');
  if (kind && kind !== 'volunteer' && kind !== 'donation') e.kind = 'Choose volunteer or donation.';
  const cur = v(f, 'currency');
  if (cur && !/^[A-Za-z]{3}$/.test(cur)) e.currency = 'A three-letter ISO 4217 code, e.g. USD.';
  const from = v(f, 'effective_from');
  const to = v(f, 'effective_to');
  if (from && !isIsoDate(from)) e.effective_from = 'A date as YYYY-MM-DD.';
  if (to && !isIsoDate(to)) e.effective_to = 'A date as YYYY-MM-DD.';
  else if (to && from && isIsoDate(from) && to < from) {
    e.effective_to = 'Must be on or after effective_from.';
  }

  for (const k of ['rate_per_hour', 'block_amount', 'min_gift', 'max_gift', 'annual_cap']) {
    const x = v(f, k);
    if (x && !isAmount(x)) e[k] = 'An amount like 25.00 (dot, at most 2 decimals).';
  }
  for (const k of ['block_hours', 'min_hours']) {
    const x = v(f, k);
    if (x && !isPositiveDecimal(x)) e[k] = 'A positive number of hours, like 10 or 2.5.';
  }

  if (kind === 'volunteer') {
    const rate = v(f, 'rate_per_hour');
    const bh = v(f, 'block_hours');
    const ba = v(f, 'block_amount');
    if (rate && (bh || ba)) {
      e.rate_per_hour ??= 'Give either rate_per_hour or block_hours with block_amount, not both.';
    } else if (!rate && !bh && !ba) {
      e.rate_per_hour ??= 'A volunteer program needs rate_per_hour, or block_hours with block_amount.';
    } else if (!rate) {
      if (!bh) e.block_hours ??= 'Required with block_amount.';
      if (!ba) e.block_amount ??= 'Required with block_hours.';
    }
  } else if (kind === 'donation') {
    const r = v(f, 'match_ratio');
    if (!r) e.match_ratio = 'A donation program needs a match ratio, e.g. 1 for 1:1.';
    else if (!isPositiveDecimal(r)) e.match_ratio = 'A positive decimal, e.g. 1, 2 or 0.5.';
    const min = v(f, 'min_gift');
    const max = v(f, 'max_gift');
    if (min && max && isAmount(min) && isAmount(max) && Number(max) < Number(min)) {
      e.max_gift ??= 'Must not be below min_gift.';
    }
  }

  const ys = v(f, 'year_start');
  if (ys && !isMonthDay(ys)) e.year_start = 'Month and day as MM-DD, e.g. 07-01.';
  const cd = v(f, 'claim_days');
  if (cd && !/^\d+$/.test(cd)) e.claim_days = 'A whole number of days.';
  const fr = v(f, 'fee_rate');
  if (fr && (!DECIMAL.test(fr) || Number(fr) >= 1)) e.fee_rate = 'A share below 1, e.g. 0.029 for 2.9 %.';
  return e;
}

/** The fields to send: trimmed, with the other kind's earning fields emptied. */
export function cleanProgram(f: Fields): Fields {
  const out: Fields = {};
  for (const k of PROGRAM_COLUMNS) out[k] = (f[k] ?? '').trim();
  const drop: readonly string[] =
    out.kind === 'volunteer' ? DONATION_ONLY : out.kind === 'donation' ? VOLUNTEER_ONLY : [];
  for (const k of drop) out[k] = '';
  if (out.currency) out.currency = out.currency.toUpperCase();
  return out;
}
