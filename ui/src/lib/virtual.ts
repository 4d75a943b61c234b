// Page math of the virtualised entry table: which rows to render for a scroll position, and which
// pages of rows to fetch. Rows have a fixed height; when all rows would be taller than browsers allow
// for one element, the scroll range is compressed and mapped back onto row indexes.

export const PAGE_SIZE = 100;
export const ROW_HEIGHT = 30;
/** Tallest spacer we create; browsers cap element heights somewhere above 10-30 million px. */
export const MAX_SCROLL_PX = 6_000_000;

export type Layout = {
  /** Height of the scrollable spacer in px. */
  height: number;
  /** First row to render (inclusive), including the buffer. */
  start: number;
  /** Row after the last to render (exclusive). */
  end: number;
  /** Pixel offset, within the spacer, of row `start`. */
  top: number;
  /** First row at least partly visible. */
  first: number;
};

export function layout(
  total: number,
  scrollTop: number,
  viewport: number,
  rowHeight = ROW_HEIGHT,
  buffer = 10,
  maxPx = MAX_SCROLL_PX,
): Layout {
  if (total <= 0) return { height: 0, start: 0, end: 0, top: 0, first: 0 };
  const natural = total * rowHeight;
  const height = Math.min(natural, maxPx);
  const st = Math.max(0, scrollTop);
  let firstExact: number;
  if (natural <= maxPx) {
    firstExact = st / rowHeight;
  } else {
    const maxScroll = Math.max(1, height - viewport);
    const maxFirst = Math.max(0, total - viewport / rowHeight);
    firstExact = Math.min(1, st / maxScroll) * maxFirst;
  }
  firstExact = Math.min(firstExact, Math.max(0, total - 1));
  const first = Math.floor(firstExact);
  const visible = Math.ceil(viewport / rowHeight) + 1;
  const start = Math.max(0, first - buffer);
  const end = Math.min(total, first + visible + buffer);
  const top = st - (firstExact - start) * rowHeight;
  return { height, start, end, top, first };
}

/** The scrollTop that shows row `index` (keeping the current position when it is visible already). */
export function scrollTopFor(
  index: number,
  total: number,
  scrollTop: number,
  viewport: number,
  rowHeight = ROW_HEIGHT,
  maxPx = MAX_SCROLL_PX,
): number {
  const natural = total * rowHeight;
  if (natural <= maxPx) {
    const rowTop = index * rowHeight;
    if (rowTop < scrollTop) return rowTop;
    if (rowTop + rowHeight > scrollTop + viewport) return rowTop + rowHeight - viewport;
    return scrollTop;
  }
  const l = layout(total, scrollTop, viewport, rowHeight, 0, maxPx);
  const rows = Math.floor(viewport / rowHeight);
  if (index >= l.first && index < l.first + rows - 1) return scrollTop;
  const maxScroll = Math.max(1, Math.min(natural, maxPx) - viewport);
  const maxFirst = Math.max(1, total - viewport / rowHeight);
  const wantFirst = index < l.first ? index : index - rows + 2;
  return Math.max(0, Math.min(maxScroll, (wantFirst / maxFirst) * maxScroll));
}

/** Page numbers covering rows [start, end). */
export function pagesFor(start: number, end: number, pageSize = PAGE_SIZE): number[] {
  if (end <= start) return [];
  const out: number[] = [];
  for (let p = Math.floor(start / pageSize); p <= Math.floor((end - 1) / pageSize); p++) out.push(p);
  return out;
}

/** Pages of `needed` that are neither cached nor on their way. */
export function missingPages(
  needed: number[],
  cached: { has(p: number): boolean },
  inFlight: { has(p: number): boolean },
): number[] {
  return needed.filter((p) => !cached.has(p) && !inFlight.has(p));
}

/** Cached pages to drop, farthest from `keepAround` first, so that at most `max` remain. */
export function pagesToEvict(cached: Iterable<number>, keepAround: number, max: number): number[] {
  const all = [...cached];
  if (all.length <= max) return [];
  all.sort((a, b) => Math.abs(b - keepAround) - Math.abs(a - keepAround));
  return all.slice(0, all.length - max);
}
