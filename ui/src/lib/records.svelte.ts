// What every record screen shares: the records of a small kind, kept fresh after any change to the
// book, and a form for one record with its messages, saving and deleting.
import { untrack } from 'svelte';
import type { RecordKind } from '../bindings/RecordKind';
import * as api from './api';
import { app } from './app.svelte';
import { COLUMNS, complete } from './columns';

/** Every record of a small kind (programs, employments, payments), reloaded after each change. */
export class RecordList {
  rows = $state<api.Fields[]>([]);
  loaded = $state(false);

  /** Must be made while a component initialises: it reloads for as long as that component lives. */
  constructor(readonly kind: RecordKind) {
    $effect(() => {
      void app.version;
      untrack(() => void this.load());
    });
  }

  async load(): Promise<void> {
    try {
      this.rows = await api.records(this.kind);
      this.loaded = true;
    } catch (e) {
      app.fail(e);
    }
  }
}

/** One record being added or edited: its fields (the contract's columns), the messages that checking
 * or saving them produced (per field, and general), and whether a save is under way. */
export class RecordForm {
  fields = $state<api.Fields>({});
  errors = $state<Record<string, string>>({});
  general = $state<string[]>([]);
  saving = $state(false);

  /** `fresh` gives the fields of a new record. */
  constructor(
    readonly kind: RecordKind,
    private readonly fresh: () => api.Fields,
  ) {
    this.fields = fresh();
  }

  /** Whether the form shows a record the book holds (it has an id). */
  get editing(): boolean {
    return !!this.fields.id;
  }

  /** Shows `fields`, with `general` messages and none per field. */
  show(fields: api.Fields, general: string[] = []): void {
    this.fields = fields;
    this.errors = {};
    this.general = general;
  }

  /** Back to a new, empty record. */
  reset(): void {
    this.show(this.fresh());
  }

  /** Checks the fields with `check` (messages by field; none means fine), then saves `sent` (by
   * default the fields, completed). Returns the saved record's id, or null when the check or the
   * book refused it; the messages then show which field is wrong. */
  async save(check: () => Record<string, string>, sent?: () => api.Fields): Promise<string | null> {
    if (this.saving) return null;
    this.general = [];
    this.errors = check();
    if (Object.keys(this.errors).length > 0) return null;
    this.saving = true;
    try {
      return await api.saveRecord(this.kind, sent ? sent() : complete(this.kind, this.fields));
    } catch (e) {
      const r = api.fieldErrors(e, COLUMNS[this.kind]);
      this.errors = r.byField;
      this.general = r.general;
      return null;
    } finally {
      this.saving = false;
    }
  }

  /** Deletes a record (the toast offers Undo); the form is cleared if it showed that record. */
  async remove(id: string): Promise<void> {
    try {
      await app.deleteWithUndo(this.kind, [id]);
      if (this.fields.id === id) this.reset();
    } catch (e) {
      app.fail(e);
    }
  }
}
