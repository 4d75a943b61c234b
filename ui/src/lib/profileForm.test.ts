import { describe, expect, it } from 'vitest';
import type { ProfileForm } from '../bindings/ProfileForm';
import { columnOf, meaningOf, typeValues, withColumn, withMeaning } from './profileForm';

const form = (): ProfileForm => ({
  name: 'YourCause payouts', makes: 'payments', header: 'Date;Type;Amount', skip: '0', separator: ';', encoding: 'utf-8',
  date_format: '%d.%m.%Y', decimal_mark: ',', thousands: '.', currency: 'EUR', payer: 'YourCause', account: '',
  columns: [], types: [],
});

describe('the profile form', () => {
  it('names one column a field, and none when cleared', () => {
    let f = withColumn(form(), 'date', 'Date');
    f = withColumn(f, 'date', 'Payment Date');
    expect(f.columns).toEqual([{ field: 'date', column: 'Payment Date' }]);
    expect(columnOf(f, 'date')).toBe('Payment Date');
    expect(withColumn(f, 'date', '').columns).toEqual([]);
  });

  it('offers the type values of the rows shown, and forgets their meanings when the type column changes', () => {
    const header = ['Date', 'Type', 'Amount'];
    const rows = [['01.02.2025', 'Matching Gift', '1,00'], ['02.02.2025', 'Donation', '2,00'], ['03.02.2025', 'matching gift', '3,00'], ['04.02.2025', '', '4,00']];
    let f = withColumn(form(), 'type', 'type');
    expect(typeValues(f, header, rows)).toEqual(['Matching Gift', 'Donation']);
    f = withMeaning(f, 'Matching Gift', 'match');
    f = withMeaning(f, 'Donation', 'gift');
    f = withMeaning(f, 'donation', 'skip');
    expect(f.types).toEqual([{ meaning: 'match', value: 'Matching Gift' }, { meaning: 'skip', value: 'donation' }]);
    expect(meaningOf(f, 'MATCHING GIFT')).toBe('match');
    expect(withColumn(f, 'type', 'Amount').types).toEqual([]);
    expect(withColumn(f, 'date', 'Date').types).toHaveLength(2);
  });
});
