// The import profile wizard's form: which column holds which field, and what the values of the
// type column mean. The backend checks the whole profile (its text format is the one definition);
// these helpers only edit the form.
import type { ProfileForm } from '../bindings/ProfileForm';

/** What each field means, as the wizard asks for it. */
export const FIELD_LABEL: Record<string, string> = {
  date: 'Date the money was sent (or booked)',
  amount: 'Amount (gross, or signed for a bank)',
  fees: 'Fees',
  net: 'Net amount',
  credit: 'Money in (credit)',
  debit: 'Money out (debit)',
  balance: 'Running balance',
  currency: 'Currency',
  payer: 'Payer (platform or company)',
  project: 'Project, fund or designation',
  employer: 'Employer',
  contributor: 'Contributor (donor) name',
  email: 'Contributor email',
  type: 'Type (whose money)',
  'gift-date': 'Date of the gift or hours',
  reference: 'Reference (unique per row)',
  disbursement: 'Disbursement or batch',
  'bank-date': 'Date it reached the bank',
  'bank-reference': 'Bank reference',
  description: 'Description',
};

/** The fields a profile of `makes` must have a column for (an amount may be net and fees, a bank's credit and debit). */
export const REQUIRED: Record<string, readonly string[]> = {
  payments: ['date', 'project'],
  deposits: ['date'],
};

/** The column the form names for `field`, or ''. */
export function columnOf(form: ProfileForm, field: string): string {
  return form.columns.find((c) => c.field === field)?.column ?? '';
}

/** The form with `field` read from `column` ('' takes the field out). Description may be given once here. */
export function withColumn(form: ProfileForm, field: string, column: string): ProfileForm {
  const columns = form.columns.filter((c) => c.field !== field);
  if (column) columns.push({ field, column });
  const types = field === 'type' && column !== columnOf(form, 'type') ? [] : form.types;
  return { ...form, columns, types };
}

/** The distinct values of the type column among the rows shown, in their order. */
export function typeValues(form: ProfileForm, header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const column = columnOf(form, 'type');
  const i = column ? header.findIndex((h) => h.trim().toLowerCase() === column.trim().toLowerCase()) : -1;
  if (i < 0) return [];
  const seen = new Set<string>();
  const values: string[] = [];
  for (const row of rows) {
    const v = (row[i] ?? '').trim();
    const key = v.toLowerCase();
    if (v && !seen.has(key)) {
      seen.add(key);
      values.push(v);
    }
  }
  return values;
}

/** What the form says a type value means: match, gift, skip, or '' (not said: such rows are refused). */
export function meaningOf(form: ProfileForm, value: string): string {
  const key = value.trim().toLowerCase();
  return form.types.find((t) => t.value.trim().toLowerCase() === key)?.meaning ?? '';
}

/** The form with `value` of the type column meaning `meaning` ('' takes the line out). */
export function withMeaning(form: ProfileForm, value: string, meaning: string): ProfileForm {
  const key = value.trim().toLowerCase();
  const types = form.types.filter((t) => t.value.trim().toLowerCase() !== key);
  if (meaning) types.push({ meaning, value: value.trim() });
  return { ...form, types };
}
