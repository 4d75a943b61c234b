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

    for (const id of ['people', 'programs', 'payments', 'import', 'donations', 'hours']) {
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
});
