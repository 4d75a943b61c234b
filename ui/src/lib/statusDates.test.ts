import { describe, expect, it } from 'vitest';
import { datesText, ownColumn, restatus, withoutUnreached } from './statusDates';

const entry = (dates: Record<string, string>) => ({
  date: '2025-03-04',
  submitted_on: '',
  approved_on: '',
  paid_on: '',
  rejected_on: '',
  ...dates,
});

describe('status dates', () => {
  it('names the column of each status', () => {
    expect(ownColumn('logged')).toBe('');
    expect(ownColumn('approved')).toBe('approved_on');
    expect(ownColumn('rejected')).toBe('rejected_on');
  });

  it('dates the status a form moves to today and keeps those reached before', () => {
    expect(restatus(entry({}), 'logged', 'submitted', '2025-06-01')).toEqual({
      submitted_on: '2025-06-01', approved_on: '', paid_on: '', rejected_on: '',
    });
    const submitted = entry({ submitted_on: '2025-05-01' });
    expect(restatus(submitted, 'submitted', 'paid', '2025-06-01')).toEqual({
      submitted_on: '2025-05-01', approved_on: '', paid_on: '2025-06-01', rejected_on: '',
    });
  });

  it('clears the dates of statuses no longer reached, and keeps the date of one moved back to', () => {
    const paid = entry({ submitted_on: '2025-05-01', approved_on: '2025-05-10', paid_on: '2025-06-01' });
    expect(restatus(paid, 'paid', 'approved', '2025-07-01')).toEqual({
      submitted_on: '2025-05-01', approved_on: '2025-05-10', paid_on: '', rejected_on: '',
    });
    expect(restatus(paid, 'paid', 'rejected', '2025-07-01')).toEqual({
      submitted_on: '2025-05-01', approved_on: '2025-05-10', paid_on: '', rejected_on: '2025-07-01',
    });
    expect(restatus(paid, 'paid', 'logged', '2025-07-01')).toEqual({
      submitted_on: '', approved_on: '', paid_on: '', rejected_on: '',
    });
  });

  it('never dates a status before the entry or an earlier status', () => {
    expect(restatus(entry({}), 'logged', 'submitted', '2025-01-01').submitted_on).toBe('2025-03-04');
    const late = entry({ submitted_on: '2025-08-01' });
    expect(restatus(late, 'submitted', 'approved', '2025-07-01').approved_on).toBe('2025-08-01');
  });

  it('sends no date for a status not reached', () => {
    const f = entry({ submitted_on: '2025-05-01', paid_on: '2025-06-01' });
    expect(withoutUnreached(f, 'submitted')).toEqual(entry({ submitted_on: '2025-05-01' }));
  });

  it('tells the dates known', () => {
    expect(datesText(entry({ submitted_on: '2025-05-01', paid_on: '2025-06-01' }))).toBe(
      'submitted 2025-05-01 · paid 2025-06-01',
    );
    expect(datesText(entry({}))).toBe('');
  });
});
