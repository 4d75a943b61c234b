// The entry table's page cache against a backend whose answers the test hands out one by one.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { EntryPage } from '../bindings/EntryPage';
import type { EntryQuery } from '../bindings/EntryQuery';
import type { EntryRow } from '../bindings/EntryRow';
import { PageCache } from './paging.svelte';

const SIZE = 10;

const query = (over: Partial<EntryQuery> = {}): EntryQuery => ({
  kind: 'hours',
  contributor: null,
  project: null,
  employer: null,
  status: null,
  from: null,
  to: null,
  sort: 'date',
  descending: true,
  offset: 0,
  limit: SIZE,
  ...over,
});

// The cache never looks into a row: an id is enough to tell them apart.
const row = (id: string) => ({ id }) as EntryRow;

type Request = { query: EntryQuery; answer: (total: number, tag?: string) => void; fail: (e: unknown) => void };

/** A backend that answers only when told to, with rows named `<tag>-<index>`. */
function backend() {
  const requests: Request[] = [];
  const fetch = (q: EntryQuery) =>
    new Promise<EntryPage>((resolve, reject) => {
      requests.push({
        query: q,
        answer: (total, tag = 'r') => {
          const n = Math.max(0, Math.min(q.limit, total - q.offset));
          resolve({ total, offset: q.offset, rows: Array.from({ length: n }, (_, k) => row(`${tag}-${q.offset + k}`)) });
        },
        fail: reject,
      });
    });
  return { requests, fetch, offsets: () => requests.map((r) => r.query.offset) };
}

/** Lets answered requests, and the look for missing pages that follows each, run. */
const settle = () => new Promise((r) => setTimeout(r, 0));

function setup(over: { maxPages?: number } = {}) {
  const b = backend();
  const view = { start: 0, end: 15, first: 0 };
  const errors: unknown[] = [];
  const pages = new PageCache({
    fetch: b.fetch,
    visible: () => view,
    onError: (e) => errors.push(e),
    pageSize: SIZE,
    maxPages: over.maxPages,
  });
  return { ...b, view, errors, pages };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('PageCache', () => {
  it('asks for the first page only until it knows the total, then for the visible pages', async () => {
    const { pages, requests, offsets } = setup();
    expect(pages.reload(query())).toBe(true);
    expect(offsets()).toEqual([0]);
    expect(pages.loaded).toBe(false);

    requests[0].answer(500);
    await settle();
    expect(pages.loaded).toBe(true);
    expect(pages.total).toBe(500);
    expect(pages.row(3)?.id).toBe('r-3');
    // Rows 0-14 span pages 0 and 1.
    expect(offsets()).toEqual([0, 10]);
    expect(requests[1].query).toEqual(query({ offset: 10, limit: SIZE }));
  });

  it('serves cached pages without asking again', async () => {
    const { pages, requests, offsets } = setup();
    pages.reload(query());
    requests[0].answer(500);
    await settle();
    requests[1].answer(500);
    await settle();
    expect(pages.row(14)?.id).toBe('r-14');
    pages.ensure();
    pages.ensure();
    expect(offsets()).toEqual([0, 10]);
  });

  it('keeps at most two requests out, and fetches the rest as answers come', async () => {
    const { pages, requests, view, offsets } = setup();
    pages.reload(query());
    requests[0].answer(500);
    await settle();
    requests[1].answer(500);
    await settle();
    Object.assign(view, { start: 200, end: 245, first: 210 });
    pages.ensure();
    expect(offsets()).toEqual([0, 10, 200, 210]);
    pages.ensure();
    expect(offsets()).toHaveLength(4);
    requests[2].answer(500);
    await settle();
    expect(offsets()).toEqual([0, 10, 200, 210, 220]);
  });

  it('drops the pages farthest from the visible rows beyond its limit', async () => {
    const { pages, requests, view } = setup({ maxPages: 2 });
    pages.reload(query());
    requests[0].answer(500);
    await settle();
    requests[1].answer(500);
    await settle();
    Object.assign(view, { start: 100, end: 105, first: 100 });
    pages.ensure();
    requests[2].answer(500);
    await settle();
    expect(pages.row(100)?.id).toBe('r-100');
    expect(pages.row(10)?.id).toBe('r-10');
    expect(pages.row(0)).toBeUndefined();
  });

  it('keeps showing the old rows after a change to the book until fresh ones arrive', async () => {
    const { pages, requests, offsets } = setup();
    pages.reload(query());
    requests[0].answer(500);
    await settle();
    requests[1].answer(500);
    await settle();
    const version = pages.version;

    expect(pages.reload(query())).toBe(false);
    expect(pages.version).toBeGreaterThan(version);
    expect(offsets()).toEqual([0, 10, 0, 10]);
    expect(pages.loaded).toBe(true);
    expect(pages.total).toBe(500);
    expect(pages.row(12)?.id).toBe('r-12');

    requests[3].answer(499, 'fresh');
    await settle();
    expect(pages.row(12)?.id).toBe('fresh-12');
    expect(pages.row(2)?.id).toBe('r-2');
    expect(pages.total).toBe(499);
  });

  it('forgets an old page once its fresh copy arrived, even after dropping that copy', async () => {
    const { pages, requests, view } = setup({ maxPages: 2 });
    pages.reload(query());
    requests[0].answer(500);
    await settle();
    requests[1].answer(500);
    await settle();
    pages.reload(query());
    requests[2].answer(500, 'fresh');
    requests[3].answer(500, 'fresh');
    await settle();
    Object.assign(view, { start: 100, end: 115, first: 100 });
    pages.ensure();
    requests[4].answer(500, 'far');
    requests[5].answer(500, 'far');
    await settle();
    expect(pages.row(112)?.id).toBe('far-112');
    expect(pages.row(12)).toBeUndefined();
  });

  it('starts over for a new query', async () => {
    const { pages, requests } = setup();
    pages.reload(query());
    requests[0].answer(500);
    await settle();

    expect(pages.reload(query({ contributor: 'Ada Lindqvist' }))).toBe(true);
    expect(pages.loaded).toBe(false);
    expect(pages.total).toBe(0);
    expect(pages.row(3)).toBeUndefined();
    const last = requests.at(-1)!;
    expect(last.query).toEqual(query({ contributor: 'Ada Lindqvist', offset: 0 }));
  });

  it('drops answers to a query that has been replaced, whatever order they come in', async () => {
    const { pages, requests, errors } = setup();
    pages.reload(query());
    const old = requests[0];
    pages.reload(query({ project: 'Lumen' }));
    const current = requests[1];
    const older = requests.length;

    current.answer(7, 'lumen');
    await settle();
    old.answer(500, 'old');
    await settle();
    expect(pages.total).toBe(7);
    expect(pages.row(0)?.id).toBe('lumen-0');

    // A failure of a replaced request is no failure of the table either.
    pages.reload(query({ project: 'Quarry' }));
    const replaced = requests[older];
    pages.reload(query({ project: 'Tessel' }));
    replaced.fail(new Error('gone'));
    await settle();
    expect(errors).toEqual([]);
    expect(pages.failed).toBe(false);
  });

  it('stops asking after a failure until the next reload', async () => {
    const { pages, requests, errors, offsets } = setup();
    pages.reload(query());
    requests[0].fail({ message: 'disk full', problems: [] });
    await settle();
    expect(errors).toEqual([{ message: 'disk full', problems: [] }]);
    expect(pages.failed).toBe(true);
    pages.ensure();
    expect(offsets()).toEqual([0]);

    pages.reload(query());
    expect(pages.failed).toBe(false);
    expect(offsets()).toEqual([0, 0]);
  });

  it('looks for missing pages at most once per throttle interval while scrolling', async () => {
    vi.useFakeTimers();
    const { pages, requests, view, offsets } = setup();
    pages.reload(query());
    requests[0].answer(500);
    await vi.advanceTimersByTimeAsync(0);
    requests[1].answer(500);
    await vi.advanceTimersByTimeAsync(0);

    Object.assign(view, { start: 300, end: 315, first: 300 });
    pages.ensureSoon();
    pages.ensureSoon();
    expect(offsets()).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(50);
    expect(offsets()).toEqual([0, 10, 300, 310]);
  });

  it('asks again for the first page of an empty table', async () => {
    const { pages, requests, offsets } = setup();
    pages.reload(query());
    requests[0].answer(0);
    await settle();
    expect(pages.loaded).toBe(true);
    expect(pages.total).toBe(0);
    pages.reload(query());
    expect(offsets()).toEqual([0, 0]);
  });
});
