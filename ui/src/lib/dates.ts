// ISO date helpers. Dates are "YYYY-MM-DD" strings throughout; no time zones involved.

const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

export function daysInMonth(y: number, m: number): number {
  return [31, isLeap(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1] ?? 0;
}

/** A real calendar day written as YYYY-MM-DD. */
export function isIsoDate(s: string): boolean {
  const m = ISO.exec(s);
  if (!m) return false;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  return mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo);
}

/** "MM-DD" as in `year_start` (29 February is allowed). */
export function isMonthDay(s: string): boolean {
  const m = /^(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const mo = Number(m[1]);
  const d = Number(m[2]);
  return mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(2024, mo);
}

export function yearOf(iso: string): number {
  return Number(iso.slice(0, 4));
}

/** The calendar year `offset` years from the one containing `today`. */
export function yearRange(today: string, offset = 0): { from: string; to: string } {
  const y = yearOf(today) + offset;
  const yy = String(y).padStart(4, '0');
  return { from: `${yy}-01-01`, to: `${yy}-12-31` };
}

/** Today in local time as YYYY-MM-DD (fallback when the backend has not answered yet). */
export function localToday(now = new Date()): string {
  const y = now.getFullYear();
  const m = String(now.getMonth() + 1).padStart(2, '0');
  const d = String(now.getDate()).padStart(2, '0');
  return `${y}-${m}-${d}`;
}

export function addDays(iso: string, days: number): string {
  const [y, m, d] = iso.split('-').map(Number);
  const t = new Date(Date.UTC(y, m - 1, d) + days * 86_400_000);
  return t.toISOString().slice(0, 10);
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "2025-03" → "Mar"; with `withYear`, "Mar 2025". */
export function monthLabel(ym: string, withYear = false): string {
  const [y, m] = ym.split('-');
  const name = MONTHS[Number(m) - 1] ?? ym;
  return withYear ? `${name} ${y}` : name;
}

/** Every "YYYY-MM" from the month of `from` to the month of `to`, inclusive (at most 120). */
export function monthsBetween(from: string, to: string): string[] {
  let y = yearOf(from);
  let m = Number(from.slice(5, 7));
  const ey = yearOf(to);
  const em = Number(to.slice(5, 7));
  const out: string[] = [];
  while ((y < ey || (y === ey && m <= em)) && out.length < 120) {
    out.push(`${y}-${String(m).padStart(2, '0')}`);
    m += 1;
    if (m > 12) {
      m = 1;
      y += 1;
    }
  }
  return out;
}

/** "in 3 days", "today", "expired 4 days ago". */
export function daysLeftText(days: number, expired: boolean): string {
  if (expired || days < 0) {
    const n = Math.abs(days);
    return n === 0 ? 'expired' : `expired ${n} day${n === 1 ? '' : 's'} ago`;
  }
  if (days === 0) return 'due today';
  return `${days} day${days === 1 ? '' : 's'} left`;
}
