import { describe, expect, it } from 'vitest';
import {
  centsToPlain,
  formatAmount,
  formatCents,
  formatDecimal,
  formatExpected,
  formatHours,
  parseCents,
  plural,
} from './format';

describe('formatCents', () => {
  it('groups thousands and shows the currency', () => {
    expect(formatCents(123456, 'USD')).toBe('1,234.56 USD');
    expect(formatCents(100000000, 'EUR')).toBe('1,000,000.00 EUR');
  });
  it('handles zero', () => {
    expect(formatCents(0, 'USD')).toBe('0.00 USD');
    expect(formatCents(0)).toBe('0.00');
  });
  it('handles negatives, including less than one unit', () => {
    expect(formatCents(-123456, 'USD')).toBe('-1,234.56 USD');
    expect(formatCents(-5, 'GBP')).toBe('-0.05 GBP');
  });
  it('pads cents', () => {
    expect(formatCents(1205, 'USD')).toBe('12.05 USD');
    expect(formatCents(7)).toBe('0.07');
  });
});

describe('decimal strings', () => {
  it('parses amounts to cents', () => {
    expect(parseCents('1234.5')).toBe(123450);
    expect(parseCents('80')).toBe(8000);
    expect(parseCents('-0.05')).toBe(-5);
    expect(parseCents('1.234')).toBeNull();
    expect(parseCents('$5')).toBeNull();
  });
  it('formats amount strings with two decimals', () => {
    expect(formatAmount('1234.5', 'USD')).toBe('1,234.50 USD');
    expect(formatAmount('62.50')).toBe('62.50');
  });
  it('groups other decimals as they are', () => {
    expect(formatDecimal('1234567.125')).toBe('1,234,567.125');
    expect(formatDecimal('n/a', 'USD')).toBe('n/a USD');
  });
  it('writes CSV amounts without grouping', () => {
    expect(centsToPlain(123450)).toBe('1234.50');
    expect(centsToPlain(-5)).toBe('-0.05');
  });
  it('trims hours', () => {
    expect(formatHours('2.5000')).toBe('2.5');
    expect(formatHours('8.0')).toBe('8');
    expect(formatHours('12')).toBe('12');
  });
  it('pluralises', () => {
    expect(plural(1, 'row')).toBe('1 row');
    expect(plural(1200, 'row')).toBe('1,200 rows');
    expect(plural(2, 'entry', 'entries')).toBe('2 entries');
  });
});

describe('formatExpected', () => {
  it('joins an entry\'s amounts in each currency', () => {
    expect(formatExpected([{ cents: 6250, currency: 'USD' }])).toBe('62.50 USD');
    expect(formatExpected([{ cents: 6250, currency: 'USD' }, { cents: 1000, currency: 'EUR' }])).toBe('62.50 USD + 10.00 EUR');
    expect(formatExpected([])).toBe('0.00');
  });
  it('says "no program" for hours no program pays, not "0.00 XXX"', () => {
    expect(formatExpected([{ cents: 0, currency: 'XXX' }])).toBe('no program');
    expect(formatExpected([{ cents: 0, currency: 'XXX' }, { cents: 500, currency: 'USD' }])).toBe('5.00 USD');
  });
});
