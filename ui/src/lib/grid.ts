// What a key does in the entry table (a grid with one active row): the table carries it out.

export type GridState = {
  /** Index of the active row. */
  active: number;
  /** First row at least partly on screen. */
  first: number;
  /** Rows the viewport holds whole. */
  rows: number;
  total: number;
  /** Some rows are selected. */
  selecting: boolean;
  /** The grid itself has focus, not a button or check box inside it. */
  onGrid: boolean;
  /** Ctrl (or Cmd) is held. */
  mod: boolean;
};

export type GridAction =
  | { kind: 'move'; to: number }
  | { kind: 'toggle' }
  | { kind: 'explain' }
  | { kind: 'edit' }
  | { kind: 'delete' }
  | { kind: 'clear' }
  | { kind: 'selectVisible' };

/** The action for `key`, or null when the grid leaves the key alone (it must not be prevented). A
 * move's target is clamped to the table. */
export function gridAction(key: string, g: GridState): GridAction | null {
  const page = Math.max(1, g.rows - 1);
  let from = g.active;
  // After scrolling away with the mouse, keys start from the rows on screen.
  if (key.startsWith('Arrow') || key.startsWith('Page')) {
    if (from < g.first || from >= g.first + g.rows) from = Math.min(g.total - 1, g.first + (from < g.first ? 0 : g.rows - 1));
  }
  const move = (to: number): GridAction => ({ kind: 'move', to: Math.max(0, Math.min(g.total - 1, to)) });
  switch (key) {
    case 'ArrowDown':
      return move(from + 1);
    case 'ArrowUp':
      return move(from - 1);
    case 'PageDown':
      return move(from + page);
    case 'PageUp':
      return move(from - page);
    case 'Home':
      return move(0);
    case 'End':
      return move(g.total - 1);
    // Space and Enter belong to a focused button or check box inside the grid.
    case ' ':
      return g.onGrid ? { kind: 'toggle' } : null;
    case 'Enter':
      return g.onGrid ? { kind: 'explain' } : null;
    case 'F2':
      return { kind: 'edit' };
    case 'Delete':
      return { kind: 'delete' };
    case 'Escape':
      return g.selecting ? { kind: 'clear' } : null;
    case 'a':
    case 'A':
      return g.mod ? { kind: 'selectVisible' } : null;
    default:
      return null;
  }
}
