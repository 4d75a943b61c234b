import { afterEach, describe, expect, it } from 'vitest';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import * as api from './api';

type Call = { cmd: string; args: Record<string, unknown> };

function record(reply: (cmd: string, args: Record<string, unknown>) => unknown): Call[] {
  const calls: Call[] = [];
  mockIPC((cmd, args) => {
    const a = (args ?? {}) as Record<string, unknown>;
    calls.push({ cmd, args: a });
    return reply(cmd, a);
  });
  return calls;
}

afterEach(() => clearMocks());

const query = {
  kind: 'hours' as const,
  contributor: 'Ada Lindqvist',
  project: null,
  employer: null,
  status: null,
  from: '2025-01-01',
  to: null,
  sort: 'date' as const,
  descending: true,
  offset: 300,
  limit: 100,
};

describe('api wiring', () => {
  it('calls book_info without arguments', async () => {
    const calls = record(() => ({ path: '/b', today: '2025-12-31', counts: [], contributors: [], projects: [], employers: [] }));
    const b = await api.bookInfo();
    expect(b.path).toBe('/b');
    expect(calls[0].cmd).toBe('book_info');
  });

  it('passes the period to overview, null for the default', async () => {
    const calls = record(() => ({ from: '2025-01-01', to: '2025-12-31', as_of: '2025-12-31', rows: [], months: [], due: [] }));
    await api.overview('2025-01-01', '2025-12-31');
    await api.overview(null, null);
    expect(calls[0]).toEqual({ cmd: 'overview', args: { from: '2025-01-01', to: '2025-12-31' } });
    expect(calls[1].args).toEqual({ from: null, to: null });
  });

  it('sends the query to entries and caps the page size', async () => {
    const calls = record(() => ({ total: 0, offset: 300, rows: [] }));
    await api.entries(query);
    await api.entries({ ...query, limit: 5000 });
    expect(calls[0]).toEqual({ cmd: 'entries', args: { query } });
    expect((calls[1].args.query as { limit: number }).limit).toBe(api.MAX_PAGE);
  });

  it('wires the record commands with camelCase keys', async () => {
    const calls = record((cmd) => {
      if (cmd === 'records') return [{ id: 'r-1', payer: 'Benevity' }];
      if (cmd === 'save_record') return 'h-abcde-1';
      if (cmd === 'delete_records') return [{ id: 'h-abcde-1', hours: '2' }];
      if (cmd === 'set_status') return 2;
      return null;
    });
    expect(await api.records('payments')).toEqual([{ id: 'r-1', payer: 'Benevity' }]);
    expect(await api.saveRecord('hours', { id: '', hours: '2' })).toBe('h-abcde-1');
    const deleted = await api.deleteRecords('hours', ['h-abcde-1']);
    await api.restoreRecords('hours', deleted);
    expect(await api.setStatus('hours', ['a', 'b'], 'submitted')).toBe(2);
    await api.explain('h-abcde-1');
    await api.previewProgram({ kind: 'volunteer' }, 'Ada', '2025-03-01', '2.5');
    await api.cancelImport();
    await api.exportBook();
    await api.exportEntries(query);
    await api.chooseImport(true);
    await api.confirmImportPath('/typed/ledger');
    expect(calls.map((c) => c.cmd)).toEqual([
      'records', 'save_record', 'delete_records', 'restore_records', 'set_status', 'explain',
      'preview_program', 'cancel_import', 'export_book', 'export_entries', 'choose_import', 'confirm_import_path',
    ]);
    expect(calls[0].args).toEqual({ kind: 'payments' });
    expect(calls[1].args).toEqual({ kind: 'hours', fields: { id: '', hours: '2' } });
    expect(calls[2].args).toEqual({ kind: 'hours', ids: ['h-abcde-1'] });
    expect(calls[3].args).toEqual({ kind: 'hours', rows: [{ id: 'h-abcde-1', hours: '2' }] });
    expect(calls[4].args).toEqual({ kind: 'hours', ids: ['a', 'b'], status: 'submitted' });
    expect(calls[5].args).toEqual({ id: 'h-abcde-1' });
    expect(calls[6].args).toEqual({ program: { kind: 'volunteer' }, contributor: 'Ada', date: '2025-03-01', quantity: '2.5' });
    // The backend asks where to write, in its own dialogs: the window names no path.
    expect(calls[8].args).toEqual({});
    expect(calls[9].args).toEqual({ query: expect.objectContaining({ contributor: 'Ada Lindqvist', offset: 0 }) });
    expect(calls[10].args).toEqual({ folder: true });
    expect(calls[11].args).toEqual({ path: '/typed/ledger' });
  });

  it('wires the reconciliation, mapping and journal commands', async () => {
    const calls = record((cmd) => {
      if (cmd === 'unlink_payment') return 2;
      if (cmd === 'remove_project_mapping') return true;
      if (cmd === 'project_mappings' || cmd === 'unmapped_lines') return [];
      return null;
    });
    await api.reconciliation(30);
    await api.reconciliation();
    await api.autoReconcile();
    await api.linkPayment('r-1', ['h-1', 'h-2']);
    expect(await api.unlinkPayment('r-1')).toBe(2);
    await api.projectMappings();
    const mapping = { platform: 'benevity', field: 'comment', value: 'Project: Lumen', project: 'Lumen' };
    await api.setProjectMapping(mapping);
    expect(await api.removeProjectMapping(mapping)).toBe(true);
    await api.unmappedLines(['/a/report.csv']);
    await api.exportJournal('beancount');
    expect(calls).toEqual([
      { cmd: 'reconciliation', args: { lagDays: 30 } },
      { cmd: 'reconciliation', args: { lagDays: null } },
      { cmd: 'auto_reconcile', args: {} },
      { cmd: 'link_payment', args: { payment: 'r-1', entries: ['h-1', 'h-2'] } },
      { cmd: 'unlink_payment', args: { payment: 'r-1' } },
      { cmd: 'project_mappings', args: {} },
      { cmd: 'set_project_mapping', args: { mapping } },
      { cmd: 'remove_project_mapping', args: { mapping } },
      { cmd: 'unmapped_lines', args: { paths: ['/a/report.csv'] } },
      { cmd: 'export_journal', args: { flavour: 'beancount' } },
    ]);
  });

  it('streams import progress through a channel', async () => {
    const calls = record((cmd, args) => {
      const ch = args.onProgress as { id: number };
      const internals = (window as unknown as { __TAURI_INTERNALS__: { runCallback: (id: number, d: unknown) => void } }).__TAURI_INTERNALS__;
      internals.runCallback(ch.id, { index: 0, message: { file: 'hours.csv', bytes_done: 10, bytes_total: 100, rows: 1 } });
      internals.runCallback(ch.id, { index: 1, message: { file: 'hours.csv', bytes_done: 100, bytes_total: 100, rows: 9 } });
      return { written: false, cancelled: false, files: [], errors: [] };
    });
    const seen: number[] = [];
    const r = await api.importFiles(['/a/hours.csv'], true, (p) => seen.push(p.bytes_done));
    expect(r.written).toBe(false);
    expect(seen).toEqual([10, 100]);
    expect(calls[0].args).toMatchObject({ paths: ['/a/hours.csv'], dryRun: true });
  });

  it('rejects with the AppError and maps problems to fields', async () => {
    record(() => {
      throw { message: 'invalid hours record', problems: [
        { file: 'hours', line: null, column: 'hours', message: '25 is more than 24 hours' },
        { file: 'hours', line: null, column: null, message: 'overlaps h-1' },
      ] };
    });
    let caught: unknown;
    try {
      await api.saveRecord('hours', { hours: '25' });
    } catch (e) {
      caught = e;
    }
    const err = api.toAppError(caught);
    expect(err.message).toBe('invalid hours record');
    const f = api.fieldErrors(caught, ['date', 'hours']);
    expect(f.byField).toEqual({ hours: '25 is more than 24 hours' });
    expect(f.general).toEqual(['overlaps h-1']);
  });

  it('turns anything thrown into an AppError', () => {
    expect(api.toAppError('boom')).toEqual({ message: 'boom', problems: [] });
    expect(api.toAppError(new Error('bad'))).toEqual({ message: 'bad', problems: [] });
    expect(api.fieldErrors({ message: 'Employment overlaps', problems: [] }, ['start']).general).toEqual(['Employment overlaps']);
  });
});
