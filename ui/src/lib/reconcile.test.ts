import { describe, expect, it } from 'vitest';
import type { ReceivedLine } from '../bindings/ReceivedLine';
import { entryFromLine, needsTreasurer, notReceivedTotal, outcomeText, STATE_LABEL } from './reconcile';

describe('outcomeText', () => {
  it('says what matched and what is left', () => {
    expect(outcomeText({ matched_lines: 3, matched_entries: 4, ambiguous_lines: 2, not_logged_lines: 4, bank_matched: 0, bank_ambiguous: 0 })).toBe(
      '3 payment lines matched (4 entries paid), 2 need your choice, 4 match no logged entry',
    );
    expect(outcomeText({ matched_lines: 1, matched_entries: 1, ambiguous_lines: 1, not_logged_lines: 1, bank_matched: 0, bank_ambiguous: 0 })).toBe(
      '1 payment line matched (1 entry paid), 1 needs your choice, 1 matches no logged entry',
    );
    expect(outcomeText({ matched_lines: 0, matched_entries: 0, ambiguous_lines: 0, not_logged_lines: 0, bank_matched: 0, bank_ambiguous: 0 })).toBe('No new payment line matched');
    expect(outcomeText({ matched_lines: 0, matched_entries: 0, ambiguous_lines: 0, not_logged_lines: 0, bank_matched: 2, bank_ambiguous: 1 })).toBe(
      'No new payment line matched, 2 payouts found in the bank, 1 deposit could be more than one payout',
    );
  });
});

describe('notReceivedTotal', () => {
  const row = (project: string, currency: string, cents: number, entries: number) => ({
    project, currency, matched: 0, matched_lines: 0, to_match: 0, to_match_lines: 0, ambiguous: 0, ambiguous_lines: 0,
    not_logged: 0, not_logged_lines: 0, gifts: 0, gift_lines: 0, not_received: cents, not_received_entries: entries,
    received_net: 0, in_bank: 0, not_in_bank: 0,
  });
  it('adds the rows per currency, leaving out currencies with nothing missing', () => {
    expect(notReceivedTotal([row('Lumen', 'USD', 124125, 10), row('Quarry', 'GBP', 31750, 6), row('Quarry', 'USD', 37500, 3), row('Tessel', 'EUR', 0, 0)]))
      .toBe('1,616.25 USD + 317.50 GBP');
    expect(notReceivedTotal([])).toBe('');
  });
});

describe('STATE_LABEL', () => {
  it('labels every state', () => {
    expect(Object.keys(STATE_LABEL).sort()).toEqual(['ambiguous', 'gift', 'matched', 'not_logged', 'to_match']);
  });
});

describe('entryFromLine', () => {
  const line = (contributor: string, email: string): ReceivedLine => ({
    payment: 'benevity-BVT-1-TX9-match', date: '2025-07-01', gift_date: '2025-06-23', payer: 'Benevity', employer: 'Microsoft', contributor, email,
    project: 'Lumen', currency: 'EUR', gross: 20000, net: 19420, disbursement: 'BVT-1', state: 'not_logged', entries: [], options: [],
  });
  it('starts hours from whose, which project, which employer and when the gift was made, as claimed', () => {
    expect(entryFromLine('hours', line('Grace Hopper', 'grace@example.org'))).toEqual({
      date: '2025-06-23', contributor: 'Grace Hopper', email: 'grace@example.org', employer: 'Microsoft', project: 'Lumen',
      status: 'submitted',
    });
  });
  it('gives a gift the line\'s currency, and leaves the name empty when the line knows only an email', () => {
    expect(entryFromLine('donations', line('grace@example.org', 'grace@example.org'))).toEqual({
      date: '2025-06-23', contributor: '', email: 'grace@example.org', employer: 'Microsoft', project: 'Lumen', currency: 'EUR',
      status: 'submitted',
    });
  });
});

describe('needsTreasurer', () => {
  it('is every line not settled: to match, a choice, nothing logged', () => {
    const states = Object.keys(STATE_LABEL) as (keyof typeof STATE_LABEL)[];
    expect(states.filter(needsTreasurer).sort()).toEqual(['ambiguous', 'not_logged', 'to_match']);
  });
});
