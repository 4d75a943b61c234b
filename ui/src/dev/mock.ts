// A fake backend for `npm run dev` in a plain browser (no Tauri): an in-memory book with many
// generated entries, so the screens can be developed and looked at without the Rust side.
// Only loaded in dev mode when not running inside Tauri; never part of the production build.
import { mockIPC } from '@tauri-apps/api/mocks';
import type { EntryRef } from '../bindings/EntryRef';
import type { LineState } from '../bindings/LineState';
import type { ReceivedLine } from '../bindings/ReceivedLine';
import type { Status } from '../bindings/Status';
import { restatus } from '../lib/statusDates';

type F = Record<string, string>;
type Entry = F & { id: string };

const today = '2025-12-31';
const people = [
  ['Ada Lindqvist', 'ada.lindqvist@example.org', 'Microsoft'],
  ['Ben Okafor', 'ben@example.org', 'Northwind Traders'],
  ['Chloe Martin', 'chloe@example.org', 'Fabrikam'],
  ['Dev Patel', 'dev@example.org', 'Tailspin Toys'],
  ['Emma Novak', 'emma@example.org', 'Northwind Traders'],
  ['Felix Grant', '', ''],
];
const projects = ['Lumen', 'Quarry', 'Tessel'];
let seq = 1;
const nextId = (p: string) => `${p}-new-${seq++}`;

const programs: Entry[] = [
  { id: 'p-mock1-a', program: 'Microsoft Volunteer Rewards', employer: 'Microsoft', platform: 'Benevity', kind: 'volunteer', currency: 'USD', effective_from: '2024-01-01', effective_to: '2025-06-30', rate_per_hour: '25.00', block_hours: '', block_amount: '', min_hours: '', match_ratio: '', min_gift: '', max_gift: '', annual_cap: '2500.00', cap_group: 'giving', year_start: '', claim_days: '90', fee_rate: '0.029' },
  { id: 'p-mock1-b', program: 'Microsoft Volunteer Rewards', employer: 'Microsoft', platform: 'Benevity', kind: 'volunteer', currency: 'USD', effective_from: '2025-07-01', effective_to: '', rate_per_hour: '30.00', block_hours: '', block_amount: '', min_hours: '', match_ratio: '', min_gift: '', max_gift: '', annual_cap: '2500.00', cap_group: 'giving', year_start: '', claim_days: '90', fee_rate: '0.029' },
  { id: 'p-mock1-c', program: 'Microsoft Give', employer: 'Microsoft', platform: 'Benevity', kind: 'donation', currency: 'USD', effective_from: '2024-01-01', effective_to: '', rate_per_hour: '', block_hours: '', block_amount: '', min_hours: '', match_ratio: '1', min_gift: '25.00', max_gift: '1000.00', annual_cap: '2500.00', cap_group: 'giving', year_start: '', claim_days: '90', fee_rate: '0.029' },
  { id: 'p-mock1-d', program: 'Northwind Dollars for Doers', employer: 'Northwind Traders', platform: 'YourCause', kind: 'volunteer', currency: 'USD', effective_from: '2024-01-01', effective_to: '', rate_per_hour: '', block_hours: '10', block_amount: '250.00', min_hours: '20', match_ratio: '', min_gift: '', max_gift: '', annual_cap: '', cap_group: '', year_start: '', claim_days: '60', fee_rate: '0.035' },
  { id: 'p-mock1-e', program: 'Tailspin Volunteer Grant', employer: 'Tailspin Toys', platform: 'Direct', kind: 'volunteer', currency: 'GBP', effective_from: '2024-01-01', effective_to: '', rate_per_hour: '15.00', block_hours: '', block_amount: '', min_hours: '', match_ratio: '', min_gift: '', max_gift: '', annual_cap: '', cap_group: '', year_start: '', claim_days: '', fee_rate: '' },
];
const employments: Entry[] = people
  .filter((p) => p[2])
  .map(([contributor, email, employer], i) => ({ id: `e-mock1-${i}`, contributor, email, employer, start: '2023-01-01', end: '' }));
const payments: Entry[] = [
  { id: 'r-mock1-1', date: '2025-04-15', payer: 'Benevity', project: 'Lumen', currency: 'USD', gross: '1031.25', fees: '29.91', net: '1001.34', reference: 'BEN-2025-04' },
  { id: 'r-mock1-2', date: '2025-10-02', payer: 'Tailspin Toys', project: 'Tessel', currency: 'GBP', gross: '120.00', fees: '', net: '120.00', reference: '' },
];
// Reconciliation: received lines and the entries they pay (a small fixed picture).
type Ref = EntryRef;
const ref = (id: string, date: string, contributor: string, employer: string, project: string, expected: number, status: Status = 'submitted', currency = 'USD'): Ref =>
  ({ id, kind: 'hours', date, contributor, employer, project, currency, expected, status });
type Line = ReceivedLine;
const line = (payment: string, date: string, employer: string, contributor: string, project: string, gross: number, state: LineState, entries: Ref[] = [], options: Ref[][] = [], currency = 'USD'): Line =>
  ({ payment, date, gift_date: date, payer: currency === 'GBP' ? employer : 'Benevity', employer, contributor, email: contributor ? `${contributor.split(' ')[0].toLowerCase()}@example.org` : '', project, currency, gross, net: currency === 'GBP' ? gross : Math.round(gross * 0.971), disbursement: currency === 'GBP' ? '' : 'BNV-2025-07-0042', state, entries, options });
function reconcileLines(): Line[] {
  return [
    line('r-mock1-1', '2025-04-15', 'Microsoft', '', 'Lumen', 103125, 'not_logged'),
    line('r-mock1-3', '2025-06-02', 'Tailspin Toys', 'Dev Patel', 'Quarry', 16500, 'ambiguous', [], [
      [ref('h-mock1-23', '2025-03-03', 'Dev Patel', 'Tailspin Toys', 'Quarry', 6000, 'approved', 'GBP'), ref('h-mock1-48', '2025-04-14', 'Dev Patel', 'Tailspin Toys', 'Quarry', 4500, 'approved', 'GBP'), ref('h-mock1-77', '2025-05-02', 'Dev Patel', 'Tailspin Toys', 'Quarry', 6000, 'approved', 'GBP')],
      [ref('h-mock1-48', '2025-04-14', 'Dev Patel', 'Tailspin Toys', 'Quarry', 4500, 'approved', 'GBP'), ref('h-mock1-77', '2025-05-02', 'Dev Patel', 'Tailspin Toys', 'Quarry', 6000, 'approved', 'GBP'), ref('h-mock1-96', '2025-05-20', 'Dev Patel', 'Tailspin Toys', 'Quarry', 6000, 'submitted', 'GBP')],
    ], 'GBP'),
    line('benevity-0601-match', '2025-06-12', 'Microsoft', 'Ada Lindqvist', 'Lumen', 12500, 'matched', [ref('h-mock1-45', '2025-05-02', 'Ada Lindqvist', 'Microsoft', 'Lumen', 12500, 'paid')]),
    line('benevity-0603-match', '2025-06-19', 'Microsoft', 'Ada Lindqvist', 'Lumen', 12500, 'ambiguous', [], [
      [ref('h-mock1-29', '2025-03-10', 'Ada Lindqvist', 'Microsoft', 'Lumen', 5000), ref('h-mock1-37', '2025-03-31', 'Ada Lindqvist', 'Microsoft', 'Lumen', 7500)],
      [ref('h-mock1-22', '2025-02-17', 'Ada Lindqvist', 'Microsoft', 'Lumen', 7500), ref('h-mock1-56', '2025-05-21', 'Ada Lindqvist', 'Microsoft', 'Lumen', 5000)],
    ]),
    line('benevity-0604-match', '2025-06-19', 'Microsoft', 'Ada Lindqvist', 'Quarry', 3125, 'to_match', [ref('h-mock1-49', '2025-05-12', 'Ada Lindqvist', 'Microsoft', 'Quarry', 3125)]),
    line('benevity-0605-match', '2025-06-23', 'Microsoft', 'Grace Hopper', 'Lumen', 20000, 'not_logged'),
    line('benevity-0606-gift', '2025-06-27', 'Contoso', '', 'Tessel', 104000, 'gift'),
  ];
}
const statuses = ['logged', 'submitted', 'approved', 'paid', 'rejected'];

function gen(n: number, kind: 'hours' | 'donations'): Entry[] {
  const out: Entry[] = [];
  let x = 12345;
  const rnd = () => ((x = (x * 1103515245 + 12345) % 2147483648) / 2147483648);
  for (let i = 0; i < n; i++) {
    const p = people[Math.floor(rnd() * people.length)];
    const day = new Date(Date.UTC(2024, 0, 1) + Math.floor(rnd() * 730) * 86400000).toISOString().slice(0, 10);
    const status = statuses[Math.floor(rnd() * rnd() * 5)] as Status;
    const base = { id: `${kind[0]}-mock1-${i}`, date: day, contributor: p[0], email: p[1], employer: '', project: projects[Math.floor(rnd() * 3)], status, ...restatus({ date: day }, 'logged', status, day) };
    out.push(
      kind === 'hours'
        ? { ...base, hours: String(Math.round(rnd() * 16 + 1) / 2), description: ['docs', 'release triage', 'code review', 'mentoring', '=SUM(A1)'][Math.floor(rnd() * 5)] }
        : { ...base, amount: (Math.round(rnd() * 100000) / 100).toFixed(2), currency: p[3] === 'Tailspin Toys' ? 'GBP' : 'USD' },
    );
  }
  return out;
}

function expected(e: Entry, kind: 'hours' | 'donations'): { cents: number; currency: string }[] {
  const emp = people.find((p) => p[0] === e.contributor)?.[2];
  if (!emp || e.status === 'rejected') return [];
  if (kind === 'hours') {
    const cur = emp === 'Tailspin Toys' ? 'GBP' : 'USD';
    return [{ cents: Math.round(Number(e.hours) * (emp === 'Tailspin Toys' ? 1500 : 2500)), currency: cur }];
  }
  return emp === 'Microsoft' ? [{ cents: Math.round(Math.min(Number(e.amount), 1000) * 100), currency: 'USD' }] : [];
}

export function install() {
  const url = new URL(location.href);
  const n = Number(url.searchParams.get('rows') ?? '100000');
  const empty = url.searchParams.has('empty');
  const book: Record<string, Entry[]> = {
    programs: empty ? [] : programs,
    employments: empty ? [] : employments,
    payments: empty ? [] : payments,
    hours: empty ? [] : gen(n, 'hours'),
    donations: empty ? [] : gen(Math.floor(n / 10), 'donations'),
  };

  const info = () => ({
    path: '/home/treasurer/Documents/matchbook/book.sqlite',
    today,
    counts: Object.entries(book).map(([kind, rows]) => ({ kind, rows: rows.length })),
    contributors: empty ? [] : people.map(([name, email]) => ({ name, email })),
    projects: empty ? [] : projects,
    employers: empty ? [] : ['Fabrikam', 'Microsoft', 'Northwind Traders', 'Tailspin Toys'],
  });

  const fail = (message: string, column: string | null = null) => {
    throw { message, problems: column ? [{ file: 'form', line: null, column, message }] : [] };
  };

  const received = empty ? [] : reconcileLines();
  const links = new Map<string, Ref[]>();
  const mappings: { platform: string; field: string; value: string; project: string }[] = [];
  const notReceived: Ref[] = empty ? [] : Array.from({ length: 240 }, (_, i) =>
    ref(`h-mock1-${1000 + i}`, `2025-0${1 + (i % 8)}-${String(1 + (i % 27)).padStart(2, '0')}`, people[i % 5][0], people[i % 5][2], projects[i % 3], 2500 + 125 * (i % 9), i % 3 ? 'submitted' : 'approved'));
  const reconciliation = (lag: number) => {
    const rows = new Map<string, any>();
    const row = (project: string, currency: string) => {
      const k = `${project}|${currency}`;
      if (!rows.has(k)) rows.set(k, { project, currency, matched: 0, matched_lines: 0, to_match: 0, to_match_lines: 0, ambiguous: 0, ambiguous_lines: 0, not_logged: 0, not_logged_lines: 0, gifts: 0, gift_lines: 0, not_received: 0, not_received_entries: 0, received_net: 0, in_bank: 0, not_in_bank: 0 });
      return rows.get(k);
    };
    const field: Record<string, string> = { matched: 'matched', to_match: 'to_match', ambiguous: 'ambiguous', not_logged: 'not_logged', gift: 'gifts' };
    for (const l of received) {
      const r = row(l.project, l.currency);
      const f = field[l.state];
      r[f] += l.gross;
      r[f === 'gifts' ? 'gift_lines' : `${f}_lines`] += 1;
      r.received_net += l.net;
      r.not_in_bank += l.net;
    }
    for (const e of notReceived) {
      const r = row(e.project, e.currency);
      r.not_received += e.expected;
      r.not_received_entries += 1;
    }
    return { as_of: today, lag_days: lag, rows: [...rows.values()].sort((a, b) => a.project.localeCompare(b.project) || a.currency.localeCompare(b.currency)), received, not_received: notReceived.slice(0, 200), not_received_total: notReceived.length, window_days: 10, payouts: [], deposits: [], bank: [] };
  };

  // Sorted rows of the last query, until the book changes.
  let version = 0;
  let sorted: Entry[] = [];
  let sortedKey = '';

  mockIPC(async (cmd, raw) => {
    const a = (raw ?? {}) as Record<string, any>;
    await new Promise((r) => setTimeout(r, 30));
    switch (cmd) {
      case 'book_info':
        return info();
      case 'overview': {
        const rows = new Map<string, any>();
        const months = new Map<string, any>();
        for (const kind of ['hours', 'donations'] as const) {
          for (const e of book[kind]) {
            if ((a.from && e.date < a.from) || (a.to && e.date > a.to)) continue;
            for (const x of expected(e, kind)) {
              const k = `${e.project}|${x.currency}`;
              const r = rows.get(k) ?? { group: e.project, currency: x.currency, hours: 0, gifts: 0, expected: 0, fees: 0, expected_net: 0, received: 0, outstanding: 0, lost_to_caps: 0, lost_to_deadlines: 0 };
              r.expected += x.cents;
              r.fees += Math.round(x.cents * 0.029);
              r.expected_net = r.expected - r.fees;
              r.outstanding = r.expected_net - r.received;
              rows.set(k, r);
              const mk = `${e.date.slice(0, 7)}|${x.currency}`;
              const m = months.get(mk) ?? { month: e.date.slice(0, 7), currency: x.currency, expected_net: 0, received: 0 };
              m.expected_net += x.cents;
              if (e.status === 'paid') m.received += x.cents;
              months.set(mk, m);
            }
          }
        }
        return {
          from: a.from ?? '2025-01-01', to: a.to ?? '2025-12-31', as_of: today,
          rows: [...rows.values()].sort((x, y) => x.group.localeCompare(y.group)),
          months: [...months.values()].sort((x, y) => x.month.localeCompare(y.month)),
          due: book.hours.slice(0, 6).map((e, i) => ({ id: e.id, kind: 'hours', date: e.date, contributor: e.contributor, project: e.project, employer: 'Microsoft', program: 'Microsoft Volunteer Rewards', deadline: `2026-01-${String(10 + i).padStart(2, '0')}`, days_left: 10 + i - 3 * i, expired: false, currency: 'USD', at_stake: 6250 * (i + 1) })),
          due_count: 9, due_at_stake: [{ cents: 131250, currency: 'USD' }],
          forecast: [
            { month: '2025-10', currency: 'USD', expected: 0, arrived: 48210 },
            { month: '2025-11', currency: 'USD', expected: 0, arrived: 61550 },
            { month: 'late', currency: 'USD', expected: 12130, arrived: 0 },
            { month: '2025-12', currency: 'USD', expected: 30575, arrived: 9120 },
            { month: '2026-01', currency: 'USD', expected: 52940, arrived: 0 },
            { month: '2026-02', currency: 'USD', expected: 8030, arrived: 0 },
          ],
          overdue: [
            { id: book.hours[0].id, kind: 'hours', status: 'approved', contributor: book.hours[0].contributor, project: book.hours[0].project, employer: 'Microsoft', platform: 'Benevity', expected: '2025-09-30', days_late: 63, currency: 'USD', at_stake: 7281, action: 'ask Benevity when it pays this approved claim' },
            { id: book.hours[1].id, kind: 'hours', status: 'submitted', contributor: book.hours[1].contributor, project: book.hours[1].project, employer: 'Fabrikam', platform: 'CyberGrants', expected: '2025-10-19', days_late: 44, currency: 'USD', at_stake: 4849, action: `ask ${book.hours[1].contributor} whether Fabrikam approved the claim on CyberGrants` },
          ],
          overdue_count: 2, overdue_at_stake: [{ cents: 12130, currency: 'USD' }],
        };
      }
      case 'entries': {
        const q = a.query;
        const cacheKey = JSON.stringify({ ...q, offset: 0, limit: 0 }) + ':' + version;
        if (sortedKey !== cacheKey) {
          const rows = book[q.kind].filter((e) =>
            (!q.contributor || e.contributor.toLowerCase().includes(q.contributor.toLowerCase())) &&
            (!q.project || e.project.toLowerCase().includes(q.project.toLowerCase())) &&
            (!q.status || e.status === q.status) && (!q.from || e.date >= q.from) && (!q.to || e.date <= q.to));
          const qty = (e: Entry) => Number(q.kind === 'hours' ? e.hours : e.amount);
          const key = (e: Entry): string | number => q.sort === 'quantity' ? qty(e) : q.sort === 'expected' ? (expected(e, q.kind)[0]?.cents ?? 0) : (e[q.sort] ?? '');
          sorted = rows.sort((x, y) => { const kx = key(x), ky = key(y); const c = kx < ky ? -1 : kx > ky ? 1 : x.id.localeCompare(y.id); return q.descending ? -c : c; });
          sortedKey = cacheKey;
        }
        const rows = sorted;
        return {
          total: rows.length, offset: q.offset,
          rows: rows.slice(q.offset, q.offset + q.limit).map((e) => ({
            id: e.id, date: e.date, contributor: e.contributor, email: e.email, employer: e.employer, project: e.project,
            quantity: q.kind === 'hours' ? e.hours : e.amount, currency: q.kind === 'hours' ? '' : e.currency,
            description: e.description ?? '', status: e.status as Status, expected: expected(e, q.kind),
            submitted_on: e.submitted_on ?? '', approved_on: e.approved_on ?? '', paid_on: e.paid_on ?? '', rejected_on: e.rejected_on ?? '',
          })),
        };
      }
      case 'records':
        return book[a.kind].map((r) => ({ ...r }));
      case 'save_record': {
        version++;
        const f: F = a.fields;
        if (a.kind === 'hours' && Number(f.hours) > 24) fail(`${f.hours} is more than 24 hours`, 'hours');
        if (a.kind === 'employments' && f.contributor === 'Ada Lindqvist' && !f.id) fail('This employment overlaps e-mock1-0 (Microsoft from 2023-01-01) for the same employer');
        const list = book[a.kind];
        if (f.id) {
          const i = list.findIndex((r) => r.id === f.id);
          if (i < 0) fail(`No ${a.kind} record ${f.id}`);
          list[i] = { ...(f as Entry) };
          return f.id;
        }
        const id = nextId(a.kind[0]);
        list.unshift({ ...f, id });
        return id;
      }
      case 'delete_records': {
        version++;
        const ids = new Set<string>(a.ids);
        const gone = book[a.kind].filter((r) => ids.has(r.id));
        book[a.kind] = book[a.kind].filter((r) => !ids.has(r.id));
        return gone;
      }
      case 'restore_records':
        version++;
        book[a.kind].push(...a.rows);
        return null;
      case 'set_status': {
        version++;
        const ids = new Set<string>(a.ids);
        let n = 0;
        for (const r of book[a.kind]) {
          if (!ids.has(r.id) || r.status === a.status) continue;
          Object.assign(r, restatus(r, r.status as Status, a.status, today), { status: a.status });
          n++;
        }
        return n;
      }
      case 'explain': {
        const kind = a.id.startsWith('h') ? 'hours' : 'donations';
        const e = book[kind].find((r) => r.id === a.id)!;
        const x = expected(e, kind)[0];
        return {
          id: e.id, kind: kind === 'hours' ? 'hours' : 'donation', date: e.date, contributor: e.contributor, project: e.project,
          quantity: kind === 'hours' ? e.hours : e.amount, status: e.status, as_of: today,
          arrival: e.status === 'submitted' || e.status === 'approved'
            ? ['62.50 USD net', '  platform Benevity (Matchbook\'s shipped default, to check with the platform)', '  submitted on 2025-10-02 (its submitted_on); reviewed in 28 days: approved about 2025-10-30', '  Benevity (month+1:last): pays a month\'s approved money on day last of the next month -> 2025-11-30', '  expected by 2025-11-30']
            : [`none expected: ${e.status}`],
          results: x ? [{ program: 'Microsoft Volunteer Rewards', version: '2025-07-01 …', employer: 'Microsoft', currency: x.currency, program_year: 2025, deadline: '2026-03-31',
            steps: [{ rule: 'program year', detail: '2025 (2025-01-01 to 2025-12-31)' }, { rule: 'rate', detail: `${e.hours} h × 25.00 = ${(x.cents / 100).toFixed(2)}` }, { rule: 'cap', detail: 'within the annual cap of 2500.00 (giving): 1031.25 used before' }, { rule: 'fee', detail: '2.9 %' }],
            reasons: ['capped'], expected: (x.cents / 100).toFixed(2), fee: (Math.round(x.cents * 0.029) / 100).toFixed(2), expected_net: ((x.cents - Math.round(x.cents * 0.029)) / 100).toFixed(2) }] : [],
        };
      }
      case 'preview_program': {
        const p: F = a.program;
        if (p.kind === 'volunteer' && p.rate_per_hour) {
          const amt = (Number(a.quantity) * Number(p.rate_per_hour)).toFixed(2);
          return { summary: `${a.quantity} hours on ${a.date} by ${a.contributor} earn ${amt} ${p.currency} because the rate is ${p.rate_per_hour} per hour.`, explanation: { program: p.program, version: p.effective_from, employer: p.employer, currency: p.currency, program_year: 2025, deadline: '2026-03-31', steps: [{ rule: 'rate', detail: `${a.quantity} × ${p.rate_per_hour} = ${amt}` }], reasons: [], expected: amt, fee: '0.00', expected_net: amt } };
        }
        fail('rate_per_hour is missing', 'rate_per_hour');
        return null;
      }
      case 'program_catalogue':
        return [
          { entry: 'microsoft-hours', fields: { program: 'Microsoft Employee Giving (volunteer hours)', employer: 'Microsoft', platform: '', kind: 'volunteer', currency: 'USD', effective_from: '2015-01-01', effective_to: '', rate_per_hour: '25.00', block_hours: '', block_amount: '', min_hours: '', match_ratio: '', min_gift: '', max_gift: '', annual_cap: '', cap_group: '', year_start: '', claim_days: '', fee_rate: '' },
            source_title: 'Microsoft employees gave a record $125 million to nonprofits, with 570K hours volunteered (Neowin)', source_url: 'https://neowin.net/amp/microsoft-employees-gave-a-record-125-million-to-nonprofits-with-570k-hours-volunteered', source_date: '2015',
            notes: 'Microsoft donates 25 USD per hour when an employee volunteers for a nonprofit (2015). No cap, deadline or platform is given.', check: 'Check every figure with the employer before use: these are what a public source said on its date, not the employer\'s current terms.' },
          { entry: 'google-gifts', fields: { program: 'Google Matching Gifts', employer: 'Google', platform: '', kind: 'donation', currency: 'USD', effective_from: '2012-01-01', effective_to: '', rate_per_hour: '', block_hours: '', block_amount: '', min_hours: '', match_ratio: '1', min_gift: '50.00', max_gift: '', annual_cap: '6000.00', cap_group: '', year_start: '01-01', claim_days: '', fee_rate: '' },
            source_title: 'Google Matching Gift Program Guidelines (copy provided by Double the Donation)', source_url: 'https://docslib.org/doc/2218116/program-guidelines-philanthropy-is-one-of-our-core-values-at-google', source_date: '2012',
            notes: 'Google matches employee gifts from 50 USD up to 6,000 USD per donor per calendar year.', check: 'Check every figure with the employer before use: these are what a public source said on its date, not the employer\'s current terms.' },
        ];
      case 'import_files': {
        const ch = a.onProgress as { id: number };
        const internals = (window as any).__TAURI_INTERNALS__;
        for (let i = 0; i <= 10; i++) {
          internals.runCallback(ch.id, { index: i, message: { file: 'hours.csv', bytes_done: i * 10000, bytes_total: 100000, rows: i * 420 } });
          await new Promise((r) => setTimeout(r, 120));
        }
        if (a.paths.some((p: string) => p.includes('bad'))) {
          return { written: false, cancelled: false, files: [], errors: [{ file: 'too-many-hours.csv', line: 3, column: 'hours', message: '25 is more than 24 hours' }, { file: 'bad-date.csv', line: 3, column: 'date', message: '2024-02-30 is not a calendar day' }] };
        }
        if (a.paths.some((p: string) => p.includes('benevity'))) {
          return { written: !a.dryRun, reconciled: a.dryRun ? null : { matched_lines: 3, matched_entries: 3, ambiguous_lines: 2, not_logged_lines: 4 }, cancelled: false, files: [
            { file: '2025-07-open-source-collective.csv', kind: 'payments', format: 'Benevity donations report BNV-2025-07-0042 (6 donations, net 1592.61 USD)', rows: 6, added: 6, replaced: 0, unchanged: 0, warnings: [] },
          ], errors: [] };
        }
        return { written: !a.dryRun, reconciled: a.dryRun ? null : { matched_lines: 0, matched_entries: 0, ambiguous_lines: 1, not_logged_lines: 3 }, cancelled: false, files: [
          { file: 'programs.csv', kind: 'programs', format: null, rows: 7, added: 2, replaced: 0, unchanged: 5, warnings: [] },
          { file: 'hours.csv', kind: 'hours', format: null, rows: 4200, added: 4100, replaced: 12, unchanged: 88, warnings: ['column colour ignored'] },
        ], errors: [] };
      }
      case 'cancel_import':
        return null;
      case 'export_entries':
        return ['/home/treasurer/hours-filtered.csv', 42];
      case 'export_book':
        return ['programs.csv', 'employments.csv', 'hours.csv', 'donations.csv', 'payments.csv', 'reconciled.csv', 'project-mappings.csv'].map((f) => `/home/treasurer/export/${f}`);
      case 'reconciliation':
        return reconciliation(a.lagDays ?? 90);
      case 'auto_reconcile': {
        let n = 0;
        for (const l of received) if (l.state === 'to_match') { l.state = 'matched'; n++; for (const e of l.entries) e.status = 'paid'; }
        return { matched_lines: n, matched_entries: n, ambiguous_lines: received.filter((l) => l.state === 'ambiguous').length, not_logged_lines: received.filter((l) => l.state === 'not_logged').length, bank_matched: 0, bank_ambiguous: 0 };
      }
      case 'link_payment': {
        const l = received.find((x) => x.payment === a.payment);
        if (!l) fail(`no payment ${a.payment}`);
        const pool = [...l!.entries, ...l!.options.flat()];
        const chosen = (a.entries as string[]).map((id) => ({ ...pool.find((e) => e.id === id)! }));
        links.set(l!.payment, chosen.map((e) => ({ ...e })));
        for (const e of chosen) e.status = 'paid';
        Object.assign(l!, { state: 'matched', entries: chosen });
        return null;
      }
      case 'unlink_payment': {
        const l = received.find((x) => x.payment === a.payment);
        if (!l || l.state !== 'matched') return 0;
        const before = links.get(l.payment) ?? l.entries.map((e) => ({ ...e, status: 'submitted' }));
        Object.assign(l, { state: l.options.length ? 'ambiguous' : 'to_match', entries: l.options.length ? [] : before });
        return before.length;
      }
      case 'project_mappings':
        return mappings.map((m) => ({ ...m }));
      case 'set_project_mapping': {
        const m = a.mapping;
        const i = mappings.findIndex((x) => x.field === m.field && x.value.toLowerCase() === m.value.toLowerCase());
        if (i >= 0) mappings[i] = { ...m };
        else mappings.push({ ...m });
        return null;
      }
      case 'remove_project_mapping': {
        const i = mappings.findIndex((x) => x.field === a.mapping.field && x.value.toLowerCase() === String(a.mapping.value).toLowerCase());
        if (i >= 0) mappings.splice(i, 1);
        return i >= 0;
      }
      case 'unmapped_lines': {
        if (!a.paths.some((p: string) => p.includes('benevity'))) return [];
        const file = '/home/treasurer/benevity/2025-07-open-source-collective.csv';
        const sponsor = { field: 'project', title: 'Project', value: 'OPEN SOURCE COLLECTIVE EXAMPLE' };
        return [[12, 'Lumen'], [13, 'Lumen'], [14, 'Lumen'], [15, 'Quarry'], [16, 'Lumen'], [17, 'Tessel']]
          .filter(([, p]) => !mappings.some((m) => m.field === 'comment' && m.value.toLowerCase() === `project: ${p}`.toLowerCase()))
          .map(([line, p]) => ({ file, line, platform: 'benevity', clues: [{ field: 'comment', title: 'Comment', value: `Project: ${p}` }, sponsor] }));
      }
      case 'claims': {
        const claim = {
          contributor: 'Ada Lindqvist', email: 'ada.lindqvist@example.org', state: 'to_submit', kind: 'hours',
          project: 'Lumen', employer: 'Microsoft', program: 'Microsoft Volunteer Rewards', platform: 'Benevity',
          deadline: '2026-03-31', days_left: 21, submitted_on: null, review_due: null, first_date: '2025-07-02',
          last_date: '2025-11-20', entries: 3, hours: 145000, gifts: 0, currency: 'USD', expected: 43500, fee: 1262, entry_list: [],
        };
        return [{ contributor: claim.contributor, email: claim.email, claims: [claim] }];
      }
      case 'save_reminder':
        return `/home/treasurer/claims-Ada-Lindqvist.${a.file === 'email' ? 'eml' : 'html'}`;
      case 'reminder_settings':
        return { notify: true, last_notified: null };
      case 'set_reminder_notify':
        return { notify: a.notify, last_notified: null };
      case 'reminder_mailto':
        return 'mailto:ada.lindqvist%40example.org?subject=435.00%20USD%20for%20Lumen&body=Hello';
      case 'export_journal':
        return `/home/treasurer/matchbook.${a.flavour === 'hledger' ? 'journal' : 'beancount'}`;
      case 'about':
        return { version: '0.1.0', book_schema: 12, book: '/home/treasurer/.local/share/matchbook/matchbook.sqlite' };
      case 'book_problem':
        return null;
      case 'backups':
        return [
          { path: '/home/treasurer/.local/share/matchbook/matchbook.sqlite.backups/20251202T101500Z-v41-import.sqlite', made: '2025-12-02 10:15:00 UTC', reason: 'import', bytes: 409600 },
          { path: '/home/treasurer/.local/share/matchbook/matchbook.sqlite.backups/20251130T090000Z-v37-reconcile.sqlite', made: '2025-11-30 09:00:00 UTC', reason: 'reconcile', bytes: 401408 },
        ];
      case 'restore_backup':
        return { path: '/home/treasurer/.local/share/matchbook/matchbook.sqlite.backups/20251202T110000Z-v42-restore.sqlite', made: '2025-12-02 11:00:00 UTC', reason: 'restore', bytes: 409600 };
      case 'choose_import':
        return a.folder ? ['/home/treasurer/ledger'] : ['/home/treasurer/ledger/hours.csv', '/home/treasurer/ledger/programs.csv'];
      case 'confirm_import_path':
        return [a.path];
      case 'platforms':
        return [
          { row: { name: 'Benevity', review_days: '28', payout: 'month+1:last', minimum_payout: '', check_fee: '', notes: "Benevity's Causes help" }, source: 'shipped', rule: "pays a month's approved money on day last of the next month", programs: 3 },
          { row: { name: 'CyberGrants', review_days: '0', payout: 'days:60', minimum_payout: '', check_fee: '', notes: 'no schedule known' }, source: 'unknown', rule: 'pays 60 days after approval', programs: 2 },
          { row: { name: 'Millie', review_days: '0', payout: 'month+1:last', minimum_payout: '45.00 or 365 days', check_fee: '', notes: 'Millie support' }, source: 'shipped', rule: "pays a month's approved money on day last of the next month", programs: 0 },
        ];
      case 'save_platform':
        return null;
      case 'remove_platform':
        return true;
      case 'unanswered_settings':
      case 'platform_settings':
      case 'import_profiles':
        return [];
      default:
        throw { message: `mock: unknown command ${cmd}`, problems: [] };
    }
  });
}
