// Money and number formatting. Money is integer cents; every currency has two decimals in Matchbook.

function group(intPart: string): string {
  return intPart.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** 123456, "USD" → "1,234.56 USD"; -5, "EUR" → "-0.05 EUR". Without a currency, only the number. */
export function formatCents(cents: number, currency = ''): string {
  const c = Math.round(cents);
  const neg = c < 0;
  const abs = Math.abs(c);
  const whole = Math.floor(abs / 100);
  const frac = String(abs % 100).padStart(2, '0');
  const text = `${neg ? '-' : ''}${group(String(whole))}.${frac}`;
  return currency ? `${text} ${currency}` : text;
}

/** The currency the backend gives hours that no program turns into money (ISO 4217's "no currency"). */
export const NO_PROGRAM = 'XXX';

/** An entry's expected amounts, one per currency: "62.50 USD + 10.00 EUR"; "no program" for hours
 * no program pays (not "0.00 XXX"). */
export function formatExpected(amounts: { cents: number; currency: string }[]): string {
  if (amounts.length === 0) return formatCents(0);
  if (amounts.every((a) => a.currency === NO_PROGRAM)) return 'no program';
  return amounts
    .filter((a) => a.currency !== NO_PROGRAM)
    .map((a) => formatCents(a.cents, a.currency))
    .join(' + ');
}

/** A decimal string as the backend writes it ("1234.5", "-12.00") grouped for display. */
export function formatDecimal(text: string, currency = ''): string {
  const t = text.trim();
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(t);
  if (!m) return currency && t ? `${t} ${currency}` : t;
  const [, sign, int, frac] = m;
  const out = `${sign}${group(int)}${frac !== undefined ? '.' + frac : ''}`;
  return currency ? `${out} ${currency}` : out;
}

/** Amount text with exactly two decimals: "1234.5" → "1,234.50". */
export function formatAmount(text: string, currency = ''): string {
  const cents = parseCents(text);
  return cents === null ? formatDecimal(text, currency) : formatCents(cents, currency);
}

/** "1234.5" → 123450; anything that is not a plain decimal with at most 2 decimals → null. */
export function parseCents(text: string): number | null {
  const m = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(text.trim());
  if (!m) return null;
  const cents = Number(m[2]) * 100 + Number((m[3] ?? '').padEnd(2, '0'));
  return m[1] ? -cents : cents;
}

/** 123450 → "1234.50": the CSV spelling of an amount. */
export function centsToPlain(cents: number): string {
  return formatCents(cents).replace(/,/g, '');
}

/** Hours as written in the ledger ("2.5000" → "2.5"). */
export function formatHours(text: string): string {
  const t = text.trim();
  if (!/^\d+(\.\d+)?$/.test(t)) return t;
  return t.includes('.') ? t.replace(/0+$/, '').replace(/\.$/, '') : t;
}

export function plural(n: number, one: string, many = one + 's'): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}
