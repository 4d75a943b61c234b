// Shared application state: the open book, the global error banner, the toast, and a version
// number that every screen watches to refetch after any change to the book.
import type { BookInfo } from '../bindings/BookInfo';
import type { RecordKind } from '../bindings/RecordKind';
import * as api from './api';
import type { EntryRecordKind } from './api';
import { localToday } from './dates';

export type Screen = 'overview' | 'hours' | 'donations' | 'people' | 'programs' | 'payments' | 'reconcile' | 'reminders' | 'import';
export type ToastAction = { label: string; run: () => Promise<void> | void };
export type Toast = { id: number; message: string; action: ToastAction | null };

class AppState {
  book = $state<BookInfo | null>(null);
  /** The screen shown; also kept in the URL hash so a reload stays put. */
  screen = $state<Screen>('overview');
  error = $state<string | null>(null);
  toast = $state<Toast | null>(null);
  /** Bumped after every change to the book; screens refetch when it changes. */
  version = $state(0);
  /** Fields for the quick-entry form of hours or donations to start from, handed over by another
   * screen; the form takes them (and clears this) when it shows. */
  draft = $state<{ kind: EntryRecordKind; fields: api.Fields } | null>(null);
  private toastTimer: ReturnType<typeof setTimeout> | null = null;
  private toastSeq = 0;

  get today(): string {
    return this.book?.today ?? localToday();
  }

  async refreshBook(): Promise<void> {
    try {
      this.book = await api.bookInfo();
    } catch (e) {
      this.fail(e);
    }
  }

  /** Opens the hours or donations screen with its quick-entry form filled in from `fields`. */
  startEntry(kind: EntryRecordKind, fields: api.Fields): void {
    this.draft = { kind, fields };
    this.screen = kind;
  }

  /** Call after any change to the book. */
  changed(): void {
    this.version += 1;
    void this.refreshBook();
  }

  fail(e: unknown): void {
    const err = api.toAppError(e);
    const extra = err.problems.map((p) =>
      [p.file, p.line != null ? `line ${p.line}` : '', p.column ?? '', p.message].filter(Boolean).join(', '),
    );
    this.error = [err.message, ...extra].join('\n');
  }

  /** Shows a toast: 10 s when it offers an action (Undo), 4 s for a plain confirmation. */
  showToast(message: string, action: ToastAction | null = null, ms = action ? 10_000 : 4_000): void {
    if (this.toastTimer) clearTimeout(this.toastTimer);
    this.toast = { id: ++this.toastSeq, message, action };
    this.toastTimer = setTimeout(() => {
      this.toast = null;
    }, ms);
  }

  dismissToast(): void {
    if (this.toastTimer) clearTimeout(this.toastTimer);
    this.toast = null;
  }

  /** Deletes records and offers Undo in the toast. Resolves to the number deleted. */
  async deleteWithUndo(kind: RecordKind, ids: string[]): Promise<number> {
    if (ids.length === 0) return 0;
    const rows = await api.deleteRecords(kind, ids);
    this.changed();
    this.showToast(`Deleted ${rows.length}`, {
      label: 'Undo',
      run: async () => {
        try {
          await api.restoreRecords(kind, rows);
          this.changed();
          this.showToast(`Restored ${rows.length}`);
        } catch (e) {
          this.fail(e);
        }
      },
    });
    return rows.length;
  }
}

export const app = new AppState();

/** Runs `fn` after `ms` of quiet; calling again restarts the wait. */
export function debounce<A extends unknown[]>(fn: (...args: A) => void, ms: number) {
  let t: ReturnType<typeof setTimeout> | null = null;
  const call = (...args: A) => {
    if (t) clearTimeout(t);
    t = setTimeout(() => {
      t = null;
      fn(...args);
    }, ms);
  };
  call.cancel = () => {
    if (t) clearTimeout(t);
    t = null;
  };
  return call;
}
