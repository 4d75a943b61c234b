// Which rows of the entry table are selected, and which one is active (the keyboard's cursor).
// Selected rows are kept by id, so a selection outlives scrolling their page out of the cache;
// the active row and the Shift-click anchor are positions in the table.
import { SvelteSet } from 'svelte/reactivity';

type Row = { id: string };

export class RowSelection {
  readonly ids = new SvelteSet<string>();
  /** Index of the active row. */
  active = $state(0);
  /** The row last checked or unchecked: a Shift-click extends from it. */
  #anchor = -1;
  readonly #rowAt: (i: number) => Row | undefined;

  /** `rowAt` gives the row at an index if it is loaded; rows not loaded are left out of ranges. */
  constructor(rowAt: (i: number) => Row | undefined) {
    this.#rowAt = rowAt;
  }

  get size(): number {
    return this.ids.size;
  }

  has(id: string): boolean {
    return this.ids.has(id);
  }

  /** Row `i` (id `id`) had its check box set to `on`. With `range`, every row from the anchor to it
   * follows. The row becomes the active row and the anchor. */
  check(i: number, id: string, on: boolean, range: boolean): void {
    if (range && this.#anchor >= 0) {
      const [a, b] = this.#anchor < i ? [this.#anchor, i] : [i, this.#anchor];
      for (let k = a; k <= b; k++) {
        const r = this.#rowAt(k);
        if (r) this.#set(r.id, on);
      }
    } else this.#set(id, on);
    this.#anchor = i;
    this.active = i;
  }

  /** Space: flips the active row, which becomes the anchor. */
  toggleActive(): void {
    const r = this.#rowAt(this.active);
    if (!r) return;
    this.#set(r.id, !this.ids.has(r.id));
    this.#anchor = this.active;
  }

  add(rows: Row[]): void {
    for (const r of rows) this.ids.add(r.id);
  }

  remove(rows: Row[]): void {
    for (const r of rows) this.ids.delete(r.id);
  }

  /** Whether `rows` are some rows, all selected. */
  allOf(rows: Row[]): boolean {
    return rows.length > 0 && rows.every((r) => this.ids.has(r.id));
  }

  clear(): void {
    this.ids.clear();
  }

  /** For a new query: nothing selected, the first row active, no anchor. */
  reset(): void {
    this.active = 0;
    this.#anchor = -1;
    this.ids.clear();
  }

  /** Keeps the active row inside a table of `total` rows. */
  clamp(total: number): void {
    if (this.active >= total) this.active = Math.max(0, total - 1);
  }

  #set(id: string, on: boolean): void {
    if (on) this.ids.add(id);
    else this.ids.delete(id);
  }
}
