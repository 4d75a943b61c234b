// Smoke test of the whole UI against the in-memory dev backend: every screen renders, the hours
// table pages in rows, and a save error lands next to its field.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { clearMocks } from '@tauri-apps/api/mocks';
import App from './App.svelte';
import { install } from './dev/mock';

// jsdom has no layout: a ResizeObserver that never fires is enough for bind:clientHeight.
globalThis.ResizeObserver ??= class {
  observe() {}
  unobserve() {}
  disconnect() {}
} as unknown as typeof ResizeObserver;

afterEach(() => {
  cleanup();
  clearMocks();
});

const byTestId = (id: string) => screen.getByTestId(id);

describe('App', () => {
  it('shows the book and switches screens', async () => {
    history.replaceState(null, '', '/?rows=500#overview');
    install();
    render(App);
    await waitFor(() => expect(byTestId('book-path').textContent).toContain('book.sqlite'));
    await waitFor(() => expect(byTestId('overview-table')).toBeTruthy());
    expect(byTestId('overview-Lumen-USD-expected').textContent).toMatch(/USD$/);

    for (const id of ['people', 'programs', 'payments', 'reconcile', 'import', 'donations', 'hours']) {
      await fireEvent.click(byTestId(`nav-${id}`));
      expect(byTestId(`nav-${id}`).getAttribute('aria-current')).toBe('page');
    }
    expect(location.hash).toBe('#hours');
  });

  it('pages hours into the table and shows save errors by the field', async () => {
    history.replaceState(null, '', '/?rows=500#hours');
    install();
    render(App);
    await waitFor(() => expect(byTestId('entries-total').textContent).toContain('500'));
    const form = byTestId('form-hours');
    const field = (name: string) => form.querySelector<HTMLInputElement>(`[data-testid="field-${name}"]`)!;
    await fireEvent.input(field('contributor'), { target: { value: 'Ada Lindqvist' } });
    await fireEvent.input(field('project'), { target: { value: 'Lumen' } });
    await fireEvent.input(field('hours'), { target: { value: '25' } });
    await fireEvent.submit(form);
    await waitFor(() => expect(byTestId('error-hours').textContent).toBe('25 is more than 24 hours'));
    expect(field('hours').value).toBe('25');

    await fireEvent.input(field('hours'), { target: { value: '2' } });
    await fireEvent.submit(form);
    await waitFor(() => expect(byTestId('form-notice').textContent).toMatch(/^Added /));
    expect(field('hours').value).toBe('');
    expect(field('contributor').value).toBe('Ada Lindqvist');
    await waitFor(() => expect(byTestId('entries-total').textContent).toContain('501'));
  });

  it('shows only the earning fields of the program kind and checks them before saving', async () => {
    history.replaceState(null, '', '/?rows=10#programs');
    install();
    render(App);
    const form = await waitFor(() => byTestId('form-programs'));
    const q = (name: string) => form.querySelector<HTMLInputElement | HTMLSelectElement>(`[data-testid="field-${name}"]`);
    expect(q('rate_per_hour')).toBeTruthy();
    expect(q('match_ratio')).toBeNull();
    await fireEvent.change(q('kind')!, { target: { value: 'donation' } });
    expect(q('rate_per_hour')).toBeNull();
    expect(q('match_ratio')).toBeTruthy();
    await fireEvent.submit(form);
    expect(byTestId('error-match_ratio').textContent).toMatch(/match ratio/);
    expect(byTestId('error-program').textContent).toBe('Required.');
  });

  it('works the entry table by keyboard: move, select, bulk status, explain', async () => {
    history.replaceState(null, '', '/?rows=300#hours');
    install();
    render(App);
    const grid = byTestId('entries-table');
    await waitFor(() => expect(grid.querySelectorAll('[data-testid^="row-"]').length).toBeGreaterThan(10));
    const rows = () => [...grid.querySelectorAll<HTMLElement>('[data-testid^="row-"]')];
    grid.focus();
    await fireEvent.keyDown(grid, { key: 'ArrowDown' });
    await fireEvent.keyDown(grid, { key: ' ' });
    await fireEvent.keyDown(grid, { key: 'ArrowDown' });
    await fireEvent.keyDown(grid, { key: ' ' });
    expect(rows()[1].getAttribute('aria-selected')).toBe('true');
    expect(rows()[2].getAttribute('aria-selected')).toBe('true');
    expect(grid.getAttribute('aria-activedescendant')).toBe(rows()[2].id);
    expect(byTestId('bulk-bar').textContent).toContain('2 selected');

    await fireEvent.click(byTestId('bulk-paid'));
    await waitFor(() => expect(byTestId('toast').textContent).toContain('Marked 2 hours entries paid'));
    await waitFor(() => expect(screen.queryByTestId('bulk-bar')).toBeNull());

    await fireEvent.keyDown(grid, { key: 'Enter' });
    const dialog = await waitFor(() => byTestId('explanation'));
    await waitFor(() => expect(dialog.textContent).toMatch(/Expected net|No program applies/));
    await fireEvent.keyDown(dialog, { key: 'Escape' });
    expect(screen.queryByTestId('explanation')).toBeNull();
  });

  it('deletes with undo', async () => {
    history.replaceState(null, '', '/?rows=300#hours');
    install();
    render(App);
    const grid = byTestId('entries-table');
    await waitFor(() => expect(byTestId('entries-total').textContent).toContain('300'));
    const first = grid.querySelector<HTMLInputElement>('[data-testid^="select-h-"]')!;
    await fireEvent.click(first);
    await fireEvent.click(byTestId('bulk-delete'));
    await waitFor(() => expect(byTestId('toast').textContent).toMatch(/Deleted 1 —\s+Undo/));
    await waitFor(() => expect(byTestId('entries-total').textContent).toContain('299'));
    await fireEvent.click(byTestId('toast-undo'));
    await waitFor(() => expect(byTestId('entries-total').textContent).toContain('300'));
  });

  it('reconciles: summary, a choice among options, unlink', async () => {
    history.replaceState(null, '', '/?rows=10#reconcile');
    install();
    render(App);
    await waitFor(() => expect(byTestId('reconcile-summary')).toBeTruthy());
    expect(byTestId('reconcile-Lumen-USD').textContent).toContain('125.00 USD');
    expect(byTestId('state-benevity-0603-match').textContent).toBe('your choice');
    expect(byTestId('reconcile-missing').querySelectorAll('tbody tr').length).toBe(200);
    expect(byTestId('reconcile-missing-count').textContent).toMatch(/^240 claims, .* USD — the oldest 200 listed$/);

    await fireEvent.click(byTestId('choose-benevity-0603-match'));
    const dialog = byTestId('choose-dialog');
    expect(dialog.querySelectorAll('input[type="radio"]').length).toBe(2);
    expect((byTestId('choose-confirm') as HTMLButtonElement).disabled).toBe(true);
    await fireEvent.click(byTestId('option-1'));
    await fireEvent.click(byTestId('choose-confirm'));
    await waitFor(() => expect(byTestId('state-benevity-0603-match').textContent).toBe('matched'));
    expect(byTestId('pays-benevity-0603-match').textContent).toContain('2025-02-17');
    expect(byTestId('toast').textContent).toContain('2 entries marked paid');

    await fireEvent.click(byTestId('reconcile-auto'));
    await waitFor(() => expect(byTestId('state-benevity-0604-match').textContent).toBe('matched'));
    expect(byTestId('toast').textContent).toContain('1 payment line matched');
    await fireEvent.click(byTestId('unlink-benevity-0601-match'));
    await waitFor(() => expect(byTestId('state-benevity-0601-match').textContent).toBe('to match'));
  });

  it('asks which project a report line is for, remembers it, then previews', async () => {
    history.replaceState(null, '', '/?rows=10#import');
    install();
    render(App);
    await waitFor(() => expect(byTestId('mappings-empty')).toBeTruthy());
    await fireEvent.input(byTestId('import-path'), { target: { value: '/home/treasurer/benevity' } });
    await fireEvent.click(byTestId('import-path-add'));
    const panel = await waitFor(() => byTestId('mapping-panel'));
    expect(panel.querySelectorAll('fieldset').length).toBe(3);
    expect(byTestId('mapping-question-0').textContent).toContain('4 lines (12, 13, 14, 16 of 2025-07-open-source-collective.csv)');
    expect((byTestId('mapping-value-0-comment') as HTMLInputElement).checked).toBe(true);
    expect((byTestId('mapping-project-1') as HTMLInputElement).value).toBe('Quarry');
    await fireEvent.input(byTestId('mapping-project-2'), { target: { value: '' } });
    await fireEvent.click(byTestId('mapping-save'));
    expect(byTestId('mapping-errors').textContent).toContain('Line 17');
    await fireEvent.input(byTestId('mapping-project-2'), { target: { value: 'Tessel' } });
    await fireEvent.click(byTestId('mapping-save'));
    await waitFor(() => expect(byTestId('import-files').textContent).toContain('Benevity donations report'), { timeout: 4000 });
    expect(screen.queryByTestId('mapping-panel')).toBeNull();
    expect(byTestId('mappings-list').querySelectorAll('tbody tr').length).toBe(3);
    await fireEvent.click(byTestId('import-run'));
    await waitFor(() => expect(byTestId('import-reconciled').textContent).toContain('3 payment lines matched'), { timeout: 4000 });
    await fireEvent.click(byTestId('mapping-remove-0'));
    await waitFor(() => expect(byTestId('mappings-list').querySelectorAll('tbody tr').length).toBe(2));
  });
});
