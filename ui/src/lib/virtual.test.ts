import { describe, expect, it } from 'vitest';
import { layout, missingPages, pagesFor, pagesToEvict, scrollTopFor } from './virtual';

describe('layout', () => {
  it('is empty without rows', () => {
    expect(layout(0, 0, 600)).toEqual({ height: 0, start: 0, end: 0, top: 0, first: 0 });
  });
  it('renders the visible rows and a buffer at the top', () => {
    const l = layout(1000, 0, 300, 30, 10);
    expect(l.height).toBe(30000);
    expect(l.first).toBe(0);
    expect(l.start).toBe(0);
    expect(l.end).toBe(21); // 10 visible + 1 partial + 10 buffer
    expect(l.top).toBe(0);
  });
  it('follows the scroll position', () => {
    const l = layout(100_000, 30 * 5000 + 12, 300, 30, 10);
    expect(l.first).toBe(5000);
    expect(l.start).toBe(4990);
    expect(l.end).toBe(5021);
    expect(l.top).toBe(4990 * 30);
  });
  it('clamps at the end', () => {
    const l = layout(50, 30 * 45, 300, 30, 10);
    expect(l.end).toBe(50);
  });
  it('compresses very tall tables and still reaches the last row', () => {
    const total = 1_000_000;
    const max = 6_000_000;
    const top = layout(total, 0, 600, 30, 5, max);
    expect(top.height).toBe(max);
    expect(top.first).toBe(0);
    const bottom = layout(total, max - 600, 600, 30, 5, max);
    expect(bottom.end).toBe(total);
    expect(bottom.first).toBe(total - 20);
    const mid = layout(total, (max - 600) / 2, 600, 30, 5, max);
    expect(Math.abs(mid.first - (total - 20) / 2)).toBeLessThan(2);
    // The rows are placed so that `first` lands at the top of the viewport.
    expect(mid.top + (mid.first - mid.start) * 30).toBeLessThanOrEqual((max - 600) / 2);
    expect(mid.top + (mid.first - mid.start + 1) * 30).toBeGreaterThan((max - 600) / 2);
  });
});

describe('pages', () => {
  it('lists the pages that cover a row range', () => {
    expect(pagesFor(0, 21)).toEqual([0]);
    expect(pagesFor(90, 121)).toEqual([0, 1]);
    expect(pagesFor(4990, 5021)).toEqual([49, 50]);
    expect(pagesFor(100, 200)).toEqual([1]);
    expect(pagesFor(5, 5)).toEqual([]);
    expect(pagesFor(0, 500, 200)).toEqual([0, 1, 2]);
  });
  it('asks only for pages not cached nor in flight', () => {
    const cached = new Set([49]);
    const inFlight = new Set([51]);
    expect(missingPages([48, 49, 50, 51], cached, inFlight)).toEqual([48, 50]);
  });
  it('scrolling to a position fetches the pages there', () => {
    const l = layout(100_000, 30 * 25_050, 600, 30, 10);
    expect(missingPages(pagesFor(l.start, l.end), new Map(), new Set())).toEqual([250]);
  });
  it('evicts the pages farthest away', () => {
    expect(pagesToEvict([0, 1, 2, 50, 51, 120], 50, 4).sort((a, b) => a - b)).toEqual([0, 120]);
    expect(pagesToEvict([1, 2], 0, 4)).toEqual([]);
  });
});

describe('scrollTopFor', () => {
  it('keeps a visible row where it is', () => {
    expect(scrollTopFor(5, 1000, 0, 300, 30)).toBe(0);
  });
  it('scrolls down just enough', () => {
    expect(scrollTopFor(10, 1000, 0, 300, 30)).toBe(30);
  });
  it('scrolls up to a row above', () => {
    expect(scrollTopFor(3, 1000, 300, 300, 30)).toBe(90);
  });
  it('works in a compressed table', () => {
    const total = 1_000_000;
    const max = 6_000_000;
    const st = scrollTopFor(500_000, total, 0, 600, 30, max);
    const l = layout(total, st, 600, 30, 0, max);
    expect(500_000).toBeGreaterThanOrEqual(l.first);
    expect(500_000).toBeLessThan(l.first + 20);
  });
});
