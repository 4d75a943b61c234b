// Selecting rows of the entry table: check boxes, Shift-click ranges, Space, select visible.
import { describe, expect, it } from 'vitest';
import { RowSelection } from './selection.svelte';

/** A table of 20 rows of which rows 8-11 are not loaded. */
const rowAt = (i: number) => (i >= 0 && i < 20 && (i < 8 || i > 11) ? { id: `r${i}` } : undefined);
const selected = (s: RowSelection) => [...s.ids].sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)));

describe('RowSelection', () => {
  it('checks and unchecks one row, which becomes the active row', () => {
    const s = new RowSelection(rowAt);
    s.check(3, 'r3', true, false);
    expect(selected(s)).toEqual(['r3']);
    expect(s.active).toBe(3);
    s.check(3, 'r3', false, false);
    expect(s.size).toBe(0);
  });

  it('Shift-click carries every loaded row from the last one clicked', () => {
    const s = new RowSelection(rowAt);
    s.check(2, 'r2', true, false);
    s.check(5, 'r5', true, true);
    expect(selected(s)).toEqual(['r2', 'r3', 'r4', 'r5']);
    // Upwards too, and rows not loaded are skipped.
    s.check(13, 'r13', true, true);
    expect(selected(s)).toEqual(['r2', 'r3', 'r4', 'r5', 'r6', 'r7', 'r12', 'r13']);
    // Unchecking with Shift clears the range from the new anchor.
    s.check(4, 'r4', false, true);
    expect(selected(s)).toEqual(['r2', 'r3']);
    expect(s.active).toBe(4);
  });

  it('Shift-click without an earlier click checks only that row', () => {
    const s = new RowSelection(rowAt);
    s.check(5, 'r5', true, true);
    expect(selected(s)).toEqual(['r5']);
  });

  it('Space flips the active row and anchors a later Shift-click', () => {
    const s = new RowSelection(rowAt);
    s.active = 1;
    s.toggleActive();
    expect(selected(s)).toEqual(['r1']);
    s.check(3, 'r3', true, true);
    expect(selected(s)).toEqual(['r1', 'r2', 'r3']);
    s.active = 3;
    s.toggleActive();
    expect(selected(s)).toEqual(['r1', 'r2']);
    // A row not loaded yet cannot be flipped.
    s.active = 9;
    s.toggleActive();
    expect(selected(s)).toEqual(['r1', 'r2']);
  });

  it('selects and unselects the visible rows, and tells whether they all are', () => {
    const s = new RowSelection(rowAt);
    const visible = [{ id: 'r0' }, { id: 'r1' }, { id: 'r2' }];
    expect(s.allOf(visible)).toBe(false);
    s.add(visible);
    expect(s.allOf(visible)).toBe(true);
    expect(s.allOf([])).toBe(false);
    s.remove(visible.slice(1));
    expect(selected(s)).toEqual(['r0']);
  });

  it('starts over for a new query: nothing selected, first row active, no anchor', () => {
    const s = new RowSelection(rowAt);
    s.check(4, 'r4', true, false);
    s.reset();
    expect(s.size).toBe(0);
    expect(s.active).toBe(0);
    s.check(6, 'r6', true, true);
    expect(selected(s)).toEqual(['r6']);
  });

  it('keeps the active row inside a shrinking table', () => {
    const s = new RowSelection(rowAt);
    s.active = 15;
    s.clamp(20);
    expect(s.active).toBe(15);
    s.clamp(10);
    expect(s.active).toBe(9);
    s.clamp(0);
    expect(s.active).toBe(0);
  });
});
