// One typed function per backend command. Argument keys are camelCase on the JS side;
// Tauri converts them to the Rust parameter names.
import { invoke, Channel } from '@tauri-apps/api/core';
import type { About } from '../bindings/About';
import type { AppError } from '../bindings/AppError';
import type { Backup } from '../bindings/Backup';
import type { AutoOutcome } from '../bindings/AutoOutcome';
import type { BookInfo } from '../bindings/BookInfo';
import type { CatalogueEntry } from '../bindings/CatalogueEntry';
import type { ContributorClaims } from '../bindings/ContributorClaims';
import type { ReminderFile } from '../bindings/ReminderFile';
import type { ReminderSettings } from '../bindings/ReminderSettings';
import type { Sender } from '../bindings/Sender';
import type { EntryExplanation } from '../bindings/EntryExplanation';
import type { EntryPage } from '../bindings/EntryPage';
import type { EntryQuery } from '../bindings/EntryQuery';
import type { Flavour } from '../bindings/Flavour';
import type { ImportProgress } from '../bindings/ImportProgress';
import type { ImportResult } from '../bindings/ImportResult';
import type { Overview } from '../bindings/Overview';
import type { PlatformSetting } from '../bindings/PlatformSetting';
import type { PlatformRow } from '../bindings/PlatformRow';
import type { PlatformView } from '../bindings/PlatformView';
import type { ProfileForm } from '../bindings/ProfileForm';
import type { ProfileStart } from '../bindings/ProfileStart';
import type { ProfileTest } from '../bindings/ProfileTest';
import type { SettingQuestion } from '../bindings/SettingQuestion';
import type { ProgramPreview } from '../bindings/ProgramPreview';
import type { ProjectMapping } from '../bindings/ProjectMapping';
import type { Reconciliation } from '../bindings/Reconciliation';
import type { RecordKind } from '../bindings/RecordKind';
import type { Status } from '../bindings/Status';
import type { UnmappedLine } from '../bindings/UnmappedLine';

/**
 * The record kinds that hold entries (hours and donations), as commands name their tables. An
 * entry's own kind, as reports print it, is the generated `EntryKind`.
 */
export type EntryRecordKind = Extract<RecordKind, 'hours' | 'donations'>;

/** One ledger row keyed by contract column; values exactly as they appear in the CSV. */
export type Fields = Record<string, string>;

/** Most rows one `entries` call may ask for. */
export const MAX_PAGE = 200;

export function bookInfo(): Promise<BookInfo> {
  return invoke<BookInfo>('book_info');
}

/** `null` for both = the backend's default period (the current calendar year). */
export function overview(from: string | null, to: string | null): Promise<Overview> {
  return invoke<Overview>('overview', { from, to });
}

export function entries(query: EntryQuery): Promise<EntryPage> {
  const limit = Math.max(0, Math.min(query.limit, MAX_PAGE));
  return invoke<EntryPage>('entries', { query: { ...query, limit } });
}

export function records(kind: RecordKind): Promise<Fields[]> {
  return invoke<Fields[]>('records', { kind });
}

/** Adds (no or empty `id`) or replaces (with `id`) one record; resolves to its id. */
export function saveRecord(kind: RecordKind, fields: Fields): Promise<string> {
  return invoke<string>('save_record', { kind, fields });
}

/** Resolves to the deleted rows, to be handed back to `restoreRecords` for Undo. */
export function deleteRecords(kind: RecordKind, ids: string[]): Promise<Fields[]> {
  return invoke<Fields[]>('delete_records', { kind, ids });
}

export function restoreRecords(kind: RecordKind, rows: Fields[]): Promise<void> {
  return invoke<void>('restore_records', { kind, rows });
}

export function setStatus(kind: EntryRecordKind, ids: string[], status: Status): Promise<number> {
  return invoke<number>('set_status', { kind, ids, status });
}

export function explain(id: string): Promise<EntryExplanation> {
  return invoke<EntryExplanation>('explain', { id });
}

export function previewProgram(
  program: Fields,
  contributor: string,
  date: string,
  quantity: string,
): Promise<ProgramPreview> {
  return invoke<ProgramPreview>('preview_program', { program, contributor, date, quantity });
}

/** The catalogue of known employer programs: figures from cited sources, to check with the employer. */
export function programCatalogue(): Promise<CatalogueEntry[]> {
  return invoke<CatalogueEntry[]>('program_catalogue');
}

/**
 * Opens a native dialog for CSV files (or, with `folder`, one folder of them) to import. Resolves
 * to what the user chose (nothing when they cancelled): the only paths the import reads.
 */
export function chooseImport(folder: boolean): Promise<string[]> {
  return invoke<string[]>('choose_import', { folder });
}

/** Opens the native dialog at a typed path for the user to confirm; resolves to what they chose. */
export function confirmImportPath(path: string): Promise<string[]> {
  return invoke<string[]>('confirm_import_path', { path });
}

export function importFiles(
  paths: string[],
  dryRun: boolean,
  onProgress: (p: ImportProgress) => void,
): Promise<ImportResult> {
  const channel = new Channel<ImportProgress>();
  channel.onmessage = onProgress;
  return invoke<ImportResult>('import_files', { paths, dryRun, onProgress: channel });
}

export function cancelImport(): Promise<void> {
  return invoke<void>('cancel_import');
}

/** Asks for a folder (natively) and writes the book there; resolves to the files written, or null if cancelled. */
export function exportBook(): Promise<string[] | null> {
  return invoke<string[] | null>('export_book');
}

/**
 * Asks where to save (natively) and exports every row matching the query's filter and sort
 * (offset and limit are ignored); resolves to the file and its rows, or null if cancelled.
 */
export function exportEntries(query: EntryQuery): Promise<[string, number] | null> {
  return invoke<[string, number] | null>('export_entries', { query: { ...query, offset: 0, limit: 2147483647 } });
}

/** Received payment lines, what they pay, and claims older than `lagDays` (default 90) not received. */
export function reconciliation(lagDays: number | null = null): Promise<Reconciliation> {
  return invoke<Reconciliation>('reconciliation', { lagDays });
}

/** Links every payment line that exactly one set of entries fits. */
export function autoReconcile(): Promise<AutoOutcome> {
  return invoke<AutoOutcome>('auto_reconcile');
}

/** The treasurer's choice: `payment` pays `entries`, which become paid. */
export function linkPayment(payment: string, entries: string[]): Promise<void> {
  return invoke<void>('link_payment', { payment, entries });
}

/** Undoes a payment's links; resolves to the number of entries that got their earlier status back. */
export function unlinkPayment(payment: string): Promise<number> {
  return invoke<number>('unlink_payment', { payment });
}

export function projectMappings(): Promise<ProjectMapping[]> {
  return invoke<ProjectMapping[]>('project_mappings');
}

export function setProjectMapping(mapping: ProjectMapping): Promise<void> {
  return invoke<void>('set_project_mapping', { mapping });
}

/** Resolves to whether there was such a mapping. */
export function removeProjectMapping(mapping: ProjectMapping): Promise<boolean> {
  return invoke<boolean>('remove_project_mapping', { mapping });
}

/** The lines of platform reports among `paths` that no mapping places yet. */
export function unmappedLines(paths: string[]): Promise<UnmappedLine[]> {
  return invoke<UnmappedLine[]>('unmapped_lines', { paths });
}

/** Every payout schedule the book may use: its own, the shipped defaults, and unknown platforms its programs name. */
export function platforms(): Promise<PlatformView[]> {
  return invoke<PlatformView[]>('platforms');
}

/** Gives or changes a platform's payout schedule (a row of platforms.csv). */
export function savePlatform(row: PlatformRow): Promise<void> {
  return invoke<void>('save_platform', { row });
}

/** Forgets the book's schedule of a platform: its shipped default (or about 60 days) applies again. */
export function removePlatform(name: string): Promise<boolean> {
  return invoke<boolean>('remove_platform', { name });
}

/** What the platform reports among `paths` need told that the book does not know yet. */
export function unansweredSettings(paths: string[]): Promise<SettingQuestion[]> {
  return invoke<SettingQuestion[]>('unanswered_settings', { paths });
}

export function setPlatformSetting(platform: string, setting: string, value: string): Promise<PlatformSetting> {
  return invoke<PlatformSetting>('set_platform_setting', { platform, setting, value });
}

export function platformSettings(): Promise<PlatformSetting[]> {
  return invoke<PlatformSetting[]>('platform_settings');
}

/** A draft import profile for a chosen file (`makes`: payments or deposits), with its first rows. */
export function profileStart(path: string, name: string, makes: string): Promise<ProfileStart> {
  return invoke<ProfileStart>('profile_start', { path, name, makes });
}

/** Reads the chosen file with the profile, writing nothing: the records it would make, or every error. */
export function testProfile(form: ProfileForm, path: string): Promise<ProfileTest> {
  return invoke<ProfileTest>('test_profile', { form, path });
}

/** Keeps the profile in the book; resolves to whether it replaced one of its name. */
export function saveProfile(form: ProfileForm): Promise<boolean> {
  return invoke<boolean>('save_profile', { form });
}

export function importProfiles(): Promise<ProfileForm[]> {
  return invoke<ProfileForm[]>('import_profiles');
}

/** Forgets a profile; resolves to how many project mappings of its files went with it. */
export function removeProfile(name: string): Promise<number> {
  return invoke<number>('remove_profile', { name });
}

/** The treasurer's choice: `deposit` brought `payout`. */
export function matchDeposit(deposit: string, payout: string): Promise<void> {
  return invoke<void>('match_deposit', { deposit, payout });
}

/** Marks a deposit as money no payout explains (a grant), with a note. */
export function markNotMatching(deposit: string, note: string): Promise<void> {
  return invoke<void>('mark_not_matching', { deposit, note });
}

/** Forgets a deposit's match or mark. */
export function unmatchDeposit(deposit: string): Promise<boolean> {
  return invoke<boolean>('unmatch_deposit', { deposit });
}

/** Asks where to save (natively) and writes the book as a journal; resolves to the file, or null if cancelled. */
export function exportJournal(flavour: Flavour): Promise<string | null> {
  return invoke<string | null>('export_journal', { flavour });
}

/** The claims to remind contributors of, by contributor, soonest deadline first (`report claims`). */
export function claims(within: number | null = null): Promise<ContributorClaims[]> {
  return invoke<ContributorClaims[]>('claims', { within });
}

/** Asks where to save (natively) a contributor's reminder email (.eml) or statement (HTML); resolves to the file, or null if cancelled. */
export function saveReminder(contributor: string, email: string, sender: Sender, file: ReminderFile): Promise<string | null> {
  return invoke<string | null>('save_reminder', { contributor, email, sender, file });
}

/** Whether the app notifies at start of claims falling due within 30 days (once a day at most). */
export function reminderSettings(): Promise<ReminderSettings> {
  return invoke<ReminderSettings>('reminder_settings');
}

/** Turns the notification at start on or off. */
export function setReminderNotify(notify: boolean): Promise<ReminderSettings> {
  return invoke<ReminderSettings>('set_reminder_notify', { notify });
}

/** A contributor's reminder email as a mailto: link. */
export function reminderMailto(contributor: string, email: string, sender: Sender): Promise<string> {
  return invoke<string>('reminder_mailto', { contributor, email, sender });
}

/** The app's version and the book schema it reads. */
export function about(): Promise<About> {
  return invoke<About>('about');
}

/** Why the book could not be opened, if it could not (the window then shows that instead). */
export function bookProblem(): Promise<string | null> {
  return invoke<string | null>('book_problem');
}

/** The book's backups, newest first. */
export function backups(): Promise<Backup[]> {
  return invoke<Backup[]>('backups');
}

/** Puts the book back as a backup holds it; resolves to the backup kept of the book as it was (null when it could not be opened). */
export function restoreBackup(path: string): Promise<Backup | null> {
  return invoke<Backup | null>('restore_backup', { path });
}

/** Whatever an invoke rejected with, as an AppError. */
export function toAppError(e: unknown): AppError {
  if (e && typeof e === 'object') {
    const o = e as { message?: unknown; problems?: unknown };
    if (typeof o.message === 'string') {
      return {
        message: o.message,
        problems: Array.isArray(o.problems) ? (o.problems as AppError['problems']) : [],
      };
    }
  }
  if (typeof e === 'string') return { message: e, problems: [] };
  return { message: String(e), problems: [] };
}

/**
 * Splits an error into messages for the named form fields and the rest.
 * A problem whose column is one of `columns` goes next to that field; everything else is general.
 */
export function fieldErrors(
  e: unknown,
  columns: readonly string[],
): { byField: Record<string, string>; general: string[] } {
  const err = toAppError(e);
  const byField: Record<string, string> = {};
  const general: string[] = [];
  const known = new Set(columns);
  for (const p of err.problems) {
    const col = p.column?.trim().toLowerCase() ?? '';
    if (col && known.has(col)) {
      byField[col] = byField[col] ? `${byField[col]}; ${p.message}` : p.message;
    } else {
      general.push(p.column ? `${p.column}: ${p.message}` : p.message);
    }
  }
  if (err.problems.length === 0 || (general.length === 0 && Object.keys(byField).length === 0)) {
    general.push(err.message);
  }
  return { byField, general };
}
