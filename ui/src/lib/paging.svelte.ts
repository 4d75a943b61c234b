// The entry table's rows, fetched a page at a time for the part of the table on screen. A book can
// hold millions of entries: only the pages near the visible rows are kept, at most two requests are
// out at once, and answers to a query that has since been replaced are dropped.
import type { EntryPage } from '../bindings/EntryPage';
import type { EntryQuery } from '../bindings/EntryQuery';
import type { EntryRow } from '../bindings/EntryRow';
import { PAGE_SIZE, missingPages, pagesFor, pagesToEvict, type Layout } from './virtual';

export type PageCacheOptions = {
  /** Asks the backend for one page (the query's offset and limit say which). */
  fetch: (query: EntryQuery) => Promise<EntryPage>;
  /** The rows on screen now (with their buffer), for the table's current total. */
  visible: () => Pick<Layout, 'start' | 'end' | 'first'>;
  /** A request failed: no more are made until the next reload. */
  onError: (e: unknown) => void;
  pageSize?: number;
  /** Most pages kept, the farthest from the visible rows dropped first. */
  maxPages?: number;
  maxInFlight?: number;
  /** Least time between two looks for missing pages while scrolling. */
  throttleMs?: number;
};

export class PageCache {
  #total = $state(0);
  #loaded = $state(false);
  #failed = $state(false);
  #version = $state(0);

  #query: EntryQuery | null = null;
  #key = '';
  #cache = new Map<number, EntryRow[]>();
  /** Pages from before the last change to the book, shown until their fresh copies arrive. */
  #stale = new Map<number, EntryRow[]>();
  #inFlight = new Set<number>();
  /** Bumped by each reload: answers carrying an older one belong to a replaced query or book. */
  #generation = 0;
  #timer: ReturnType<typeof setTimeout> | null = null;

  readonly #fetch: PageCacheOptions['fetch'];
  readonly #visible: PageCacheOptions['visible'];
  readonly #onError: PageCacheOptions['onError'];
  readonly #pageSize: number;
  readonly #maxPages: number;
  readonly #maxInFlight: number;
  readonly #throttleMs: number;

  constructor(o: PageCacheOptions) {
    this.#fetch = o.fetch;
    this.#visible = o.visible;
    this.#onError = o.onError;
    this.#pageSize = o.pageSize ?? PAGE_SIZE;
    this.#maxPages = o.maxPages ?? 40;
    this.#maxInFlight = o.maxInFlight ?? 2;
    this.#throttleMs = o.throttleMs ?? 50;
  }

  /** Rows matching the query, as the last page to arrive said. */
  get total(): number {
    return this.#total;
  }

  /** Whether a page of the current query has arrived (until then the total means nothing). */
  get loaded(): boolean {
    return this.#loaded;
  }

  get failed(): boolean {
    return this.#failed;
  }

  /** Bumped whenever the rows `row` gives may have changed. */
  get version(): number {
    return this.#version;
  }

  /** Row `i` of the query, if its page (or an older copy of it) is here. Not reactive by itself:
   * the pages are plain maps, since proxying thousands of rows would cost more than it saves; read
   * `version` to follow them. */
  row(i: number): EntryRow | undefined {
    const p = Math.floor(i / this.#pageSize);
    return (this.#cache.get(p) ?? this.#stale.get(p))?.[i % this.#pageSize];
  }

  /** Refetches for `query`, to be called when it or the book changes. A different query starts
   * over; the same one again (the book changed) keeps showing the rows it has until their fresh
   * copies arrive, so the table does not blink. Returns whether it started over. */
  reload(query: EntryQuery): boolean {
    const key = JSON.stringify(query);
    const fresh = key !== this.#key;
    this.#query = query;
    this.#key = key;
    this.#generation++;
    this.#failed = false;
    this.#stale = fresh ? new Map() : new Map([...this.#stale, ...this.#cache]);
    for (const old of this.#evictable(this.#stale)) this.#stale.delete(old);
    this.#cache = new Map();
    this.#inFlight = new Set();
    if (fresh) {
      this.#loaded = false;
      this.#total = 0;
    }
    this.#version++;
    this.ensure();
    return fresh;
  }

  /** Asks for the missing pages of the visible rows. */
  ensure(): void {
    if (this.#failed || !this.#query) return;
    const l = this.#visible();
    // An empty table still asks for its first page: after a change it may not be empty any more.
    const need = this.#loaded && this.#total > 0 ? pagesFor(l.start, l.end, this.#pageSize) : [0];
    // Few requests at a time, so a fast scrollbar drag does not queue up pages that are long out
    // of sight; each answer looks again at what the current position needs.
    const free = this.#maxInFlight - this.#inFlight.size;
    if (free <= 0) return;
    for (const p of missingPages(need, this.#cache, this.#inFlight).slice(0, free)) void this.#fetchPage(p);
  }

  /** `ensure` soon: while scrolling, at most once per `throttleMs` (not only once scrolling stops). */
  ensureSoon(): void {
    if (this.#timer) return;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.ensure();
    }, this.#throttleMs);
  }

  async #fetchPage(p: number): Promise<void> {
    const gen = this.#generation;
    const q = { ...this.#query!, offset: p * this.#pageSize, limit: this.#pageSize };
    this.#inFlight.add(p);
    try {
      const page = await this.#fetch(q);
      if (gen !== this.#generation) return;
      this.#cache.set(p, page.rows);
      this.#stale.delete(p);
      for (const old of this.#evictable(this.#cache)) this.#cache.delete(old);
      this.#total = page.total;
      this.#loaded = true;
      this.#version++;
    } catch (e) {
      if (gen === this.#generation) {
        this.#failed = true;
        this.#onError(e);
      }
    } finally {
      if (gen === this.#generation) {
        this.#inFlight.delete(p);
        queueMicrotask(() => this.ensure());
      }
    }
  }

  #evictable(pages: Map<number, EntryRow[]>): number[] {
    return pagesToEvict(pages.keys(), Math.floor(this.#visible().first / this.#pageSize), this.#maxPages);
  }
}
