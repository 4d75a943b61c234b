// The entry table's keys: moves, and what is left to the buttons and check boxes inside it.
import { describe, expect, it } from 'vitest';
import { gridAction, type GridState } from './grid';

// 1000 rows, rows 100-109 on screen, row 102 active, the grid focused.
const g = (over: Partial<GridState> = {}): GridState => ({
  active: 102,
  first: 100,
  rows: 10,
  total: 1000,
  selecting: false,
  onGrid: true,
  mod: false,
  ...over,
});
const to = (key: string, over: Partial<GridState> = {}) => {
  const a = gridAction(key, g(over));
  return a?.kind === 'move' ? a.to : a;
};

describe('gridAction', () => {
  it('moves by a row, a page (a screen less one row) and to the ends', () => {
    expect(to('ArrowDown')).toBe(103);
    expect(to('ArrowUp')).toBe(101);
    expect(to('PageDown')).toBe(111);
    expect(to('PageUp')).toBe(93);
    expect(to('Home')).toBe(0);
    expect(to('End')).toBe(999);
    expect(to('PageDown', { rows: 1, first: 102 })).toBe(103);
  });

  it('stays inside the table', () => {
    expect(to('ArrowUp', { active: 0, first: 0 })).toBe(0);
    expect(to('PageUp', { active: 3, first: 0 })).toBe(0);
    expect(to('ArrowDown', { active: 999, first: 990 })).toBe(999);
    expect(to('PageDown', { active: 995, first: 990 })).toBe(999);
    expect(to('End', { total: 0, active: 0, first: 0 })).toBe(0);
  });

  it('starts from the rows on screen after scrolling away from the active row', () => {
    // Active row above the screen: from the first row on screen.
    expect(to('ArrowDown', { active: 5 })).toBe(101);
    expect(to('ArrowUp', { active: 5 })).toBe(99);
    // Below: from the last row on screen.
    expect(to('ArrowUp', { active: 500 })).toBe(108);
    expect(to('PageDown', { active: 500 })).toBe(118);
    // Home and End do not care where the screen is.
    expect(to('End', { active: 5 })).toBe(999);
  });

  it('leaves Space and Enter to a focused button or check box inside the grid', () => {
    expect(gridAction(' ', g())).toEqual({ kind: 'toggle' });
    expect(gridAction('Enter', g())).toEqual({ kind: 'explain' });
    expect(gridAction(' ', g({ onGrid: false }))).toBeNull();
    expect(gridAction('Enter', g({ onGrid: false }))).toBeNull();
    // Arrows still move from there.
    expect(to('ArrowDown', { onGrid: false })).toBe(103);
  });

  it('edits with F2 and deletes the selection with Delete, wherever the focus is inside', () => {
    expect(gridAction('F2', g({ onGrid: false }))).toEqual({ kind: 'edit' });
    expect(gridAction('Delete', g({ onGrid: false }))).toEqual({ kind: 'delete' });
  });

  it('clears a selection with Escape, and lets Escape through without one', () => {
    expect(gridAction('Escape', g({ selecting: true }))).toEqual({ kind: 'clear' });
    expect(gridAction('Escape', g())).toBeNull();
  });

  it('selects the visible rows with Ctrl+A only', () => {
    expect(gridAction('a', g({ mod: true }))).toEqual({ kind: 'selectVisible' });
    expect(gridAction('A', g({ mod: true }))).toEqual({ kind: 'selectVisible' });
    expect(gridAction('a', g())).toBeNull();
    expect(gridAction('x', g({ mod: true }))).toBeNull();
    expect(gridAction('Tab', g())).toBeNull();
  });
});
