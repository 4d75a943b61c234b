// The quick-entry form remembers the last contributor and project (and e-mail, employer, currency)
// per kind in localStorage, so logging a series of entries needs only the date and the quantity.
import type { EntryRecordKind, Fields } from './api';

export type KeyValueStore = Pick<Storage, 'getItem' | 'setItem'>;

export const REMEMBERED = ['contributor', 'email', 'employer', 'project', 'currency'] as const;

function key(kind: string): string {
  return `matchbook.quickEntry.${kind}`;
}

function defaultStore(): KeyValueStore | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

export function loadLast(kind: string, store: KeyValueStore | null = defaultStore()): Fields {
  if (!store) return {};
  try {
    const raw = store.getItem(key(kind));
    if (!raw) return {};
    const parsed: unknown = JSON.parse(raw);
    if (!parsed || typeof parsed !== 'object') return {};
    const out: Fields = {};
    for (const k of REMEMBERED) {
      const val = (parsed as Record<string, unknown>)[k];
      if (typeof val === 'string' && val) out[k] = val;
    }
    return out;
  } catch {
    return {};
  }
}

export function saveLast(kind: string, fields: Fields, store: KeyValueStore | null = defaultStore()): void {
  if (!store) return;
  const keep: Fields = {};
  for (const k of REMEMBERED) {
    const val = (fields[k] ?? '').trim();
    if (val) keep[k] = val;
  }
  try {
    store.setItem(key(kind), JSON.stringify(keep));
  } catch {
    // Storage full or unavailable: remembering is a convenience only.
  }
}

/** A fresh quick-entry row: date today, the remembered person and project, status logged. */
export function freshEntry(
  kind: EntryRecordKind,
  today: string,
  store: KeyValueStore | null = defaultStore(),
): Fields {
  const last = loadLast(kind, store);
  const base: Fields =
    kind === 'hours'
      ? { id: '', date: today, contributor: '', email: '', employer: '', project: '', hours: '', description: '', status: 'logged' }
      : { id: '', date: today, contributor: '', email: '', employer: '', project: '', amount: '', currency: 'USD', status: 'logged' };
  // A logged entry has no status dates; the form fills them in when its status moves.
  for (const c of ['submitted_on', 'approved_on', 'paid_on', 'rejected_on']) base[c] = '';
  for (const [k, val] of Object.entries(last)) {
    if (k in base) base[k] = val;
  }
  return base;
}
