import { describe, expect, it } from 'vitest';
import { cleanProgram, validateProgram } from './validate';

const volunteer = {
  program: 'Microsoft Volunteer Rewards',
  employer: 'Microsoft',
  kind: 'volunteer',
  currency: 'USD',
  effective_from: '2025-07-01',
  rate_per_hour: '30.00',
};
const donation = {
  program: 'Microsoft Give',
  employer: 'Microsoft',
  kind: 'donation',
  currency: 'USD',
  effective_from: '2024-01-01',
  match_ratio: '1',
  min_gift: '25.00',
  max_gift: '1000.00',
};

describe('validateProgram', () => {
  it('accepts the sample programs', () => {
    expect(validateProgram(volunteer)).toEqual({});
    expect(validateProgram(donation)).toEqual({});
    expect(validateProgram({ ...volunteer, rate_per_hour: '', block_hours: '10', block_amount: '250.00', min_hours: '20' })).toEqual({});
  });
  it('requires the required columns', () => {
    const e = validateProgram({});
    for (const k of ['program', 'employer', 'kind', 'currency', 'effective_from']) expect(e[k]).toBeTruthy();
  });
  it('wants a rate or blocks for volunteer programs, not both', () => {
    expect(validateProgram({ ...volunteer, rate_per_hour: '' }).rate_per_hour).toMatch(/needs/);
    expect(validateProgram({ ...volunteer, block_hours: '10', block_amount: '250' }).rate_per_hour).toMatch(/not both/);
    expect(validateProgram({ ...volunteer, rate_per_hour: '', block_hours: '10' }).block_amount).toBeTruthy();
  });
  it('wants a positive decimal match ratio for donation programs', () => {
    expect(validateProgram({ ...donation, match_ratio: '' }).match_ratio).toBeTruthy();
    expect(validateProgram({ ...donation, match_ratio: '0' }).match_ratio).toBeTruthy();
    expect(validateProgram({ ...donation, match_ratio: '-1' }).match_ratio).toBeTruthy();
    expect(validateProgram({ ...donation, match_ratio: '1:1' }).match_ratio).toBeTruthy();
    expect(validateProgram({ ...donation, match_ratio: '0.5' })).toEqual({});
  });
  it('checks dates and their order', () => {
    expect(validateProgram({ ...volunteer, effective_from: '2025-02-30' }).effective_from).toBeTruthy();
    expect(validateProgram({ ...volunteer, effective_to: '2025-06-30' }).effective_to).toMatch(/on or after/);
    expect(validateProgram({ ...volunteer, effective_to: '2025-07-01' })).toEqual({});
    expect(validateProgram({ ...volunteer, effective_to: '31/12/2025' }).effective_to).toBeTruthy();
  });
  it('checks amounts and other columns', () => {
    expect(validateProgram({ ...volunteer, rate_per_hour: '$25' }).rate_per_hour).toBeTruthy();
    expect(validateProgram({ ...volunteer, annual_cap: '2,500.00' }).annual_cap).toBeTruthy();
    expect(validateProgram({ ...volunteer, year_start: '7-1' }).year_start).toBeTruthy();
    expect(validateProgram({ ...volunteer, claim_days: '90.5' }).claim_days).toBeTruthy();
    expect(validateProgram({ ...volunteer, fee_rate: '2.9' }).fee_rate).toBeTruthy();
    expect(validateProgram({ ...volunteer, currency: 'DOLLARS' }).currency).toBeTruthy();
    expect(validateProgram({ ...donation, min_gift: '100', max_gift: '50' }).max_gift).toBeTruthy();
  });
});

describe('cleanProgram', () => {
  it('sends every column, empties the other kind, upper-cases the currency', () => {
    const c = cleanProgram({ ...volunteer, currency: 'usd', match_ratio: '1', rate_per_hour: ' 30.00 ' });
    expect(c.match_ratio).toBe('');
    expect(c.rate_per_hour).toBe('30.00');
    expect(c.currency).toBe('USD');
    expect(c.id).toBe('');
    expect(Object.keys(c)).toHaveLength(20);
  });
});
