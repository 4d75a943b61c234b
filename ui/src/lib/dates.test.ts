import { describe, expect, it } from 'vitest';
import { addDays, daysLeftText, isIsoDate, isMonthDay, localToday, monthLabel, monthsBetween, yearRange } from './dates';

describe('dates', () => {
  it('accepts only real ISO days', () => {
    expect(isIsoDate('2025-03-04')).toBe(true);
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2025-02-29')).toBe(false);
    expect(isIsoDate('2024-02-30')).toBe(false);
    expect(isIsoDate('2025-3-4')).toBe(false);
    expect(isIsoDate('04/03/2025')).toBe(false);
    expect(isIsoDate('2000-02-29')).toBe(true);
    expect(isIsoDate('1900-02-29')).toBe(false);
  });
  it('checks MM-DD', () => {
    expect(isMonthDay('07-01')).toBe(true);
    expect(isMonthDay('02-29')).toBe(true);
    expect(isMonthDay('13-01')).toBe(false);
    expect(isMonthDay('7-1')).toBe(false);
  });
  it('gives calendar years', () => {
    expect(yearRange('2025-06-15')).toEqual({ from: '2025-01-01', to: '2025-12-31' });
    expect(yearRange('2025-06-15', -1)).toEqual({ from: '2024-01-01', to: '2024-12-31' });
  });
  it('adds days across months and leap days', () => {
    expect(addDays('2025-06-30', 1)).toBe('2025-07-01');
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2025-01-01', -1)).toBe('2024-12-31');
  });
  it('lists months of a period', () => {
    expect(monthsBetween('2025-11-15', '2026-02-01')).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
    expect(monthsBetween('2025-01-01', '2025-12-31')).toHaveLength(12);
  });
  it('labels months', () => {
    expect(monthLabel('2025-03')).toBe('Mar');
    expect(monthLabel('2025-12', true)).toBe('Dec 2025');
  });
  it('describes days left', () => {
    expect(daysLeftText(3, false)).toBe('3 days left');
    expect(daysLeftText(1, false)).toBe('1 day left');
    expect(daysLeftText(0, false)).toBe('due today');
    expect(daysLeftText(-4, true)).toBe('expired 4 days ago');
  });
  it('formats local today', () => {
    expect(localToday(new Date(2025, 0, 5))).toBe('2025-01-05');
  });
});
