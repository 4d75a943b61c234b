import { describe, expect, it } from 'vitest';
import type { EntryRef } from '../bindings/EntryRef';
import { entriesTotal, outcomeText, STATE_LABEL } from './reconcile';

describe('outcomeText', () => {
  it('says what matched and what is left', () => {
    expect(outcomeText({ matched_lines: 3, matched_entries: 4, ambiguous_lines: 2, not_logged_lines: 4 })).toBe(
      '3 payment lines matched (4 entries paid), 2 need your choice, 4 match no logged entry',
    );
    expect(outcomeText({ matched_lines: 1, matched_entries: 1, ambiguous_lines: 1, not_logged_lines: 1 })).toBe(
      '1 payment line matched (1 entry paid), 1 needs your choice, 1 matches no logged entry',
    );
    expect(outcomeText({ matched_lines: 0, matched_entries: 0, ambiguous_lines: 0, not_logged_lines: 0 })).toBe('No new payment line matched');
  });
});

describe('entriesTotal', () => {
  const e = (expected: number, currency: string): EntryRef => ({ id: 'h', kind: 'hours', date: '2025-01-01', contributor: 'A', employer: 'M', project: 'P', currency, expected, status: 'paid' });
  it('adds per currency', () => {
    expect(entriesTotal([e(5000, 'USD'), e(7500, 'USD'), e(1000, 'GBP')])).toBe('125.00 USD + 10.00 GBP');
    expect(entriesTotal([])).toBe('');
  });
  it('labels every state', () => {
    expect(Object.keys(STATE_LABEL).sort()).toEqual(['ambiguous', 'gift', 'matched', 'not_logged', 'to_match']);
  });
});
