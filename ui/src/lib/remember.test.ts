import { describe, expect, it } from 'vitest';
import { freshEntry, loadLast, saveLast, type KeyValueStore } from './remember';

function memory(): KeyValueStore & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v) };
}

describe('quick entry memory', () => {
  it('starts empty with today', () => {
    const s = memory();
    const f = freshEntry('hours', '2025-03-04', s);
    expect(f).toMatchObject({ date: '2025-03-04', contributor: '', project: '', hours: '', status: 'logged' });
  });
  it('remembers the last contributor and project per kind', () => {
    const s = memory();
    saveLast('hours', { date: '2025-03-01', contributor: 'Ada Lindqvist', email: 'ada@example.org', project: 'Lumen', hours: '2.5', description: 'docs' }, s);
    const f = freshEntry('hours', '2025-03-04', s);
    expect(f.contributor).toBe('Ada Lindqvist');
    expect(f.email).toBe('ada@example.org');
    expect(f.project).toBe('Lumen');
    expect(f.hours).toBe('');
    expect(f.description).toBe('');
    expect(f.date).toBe('2025-03-04');
    expect(freshEntry('donations', '2025-03-04', s).contributor).toBe('');
  });
  it('remembers the donation currency', () => {
    const s = memory();
    saveLast('donations', { contributor: 'Dev Patel', project: 'Tessel', amount: '50', currency: 'GBP' }, s);
    expect(freshEntry('donations', '2025-01-01', s)).toMatchObject({ contributor: 'Dev Patel', project: 'Tessel', currency: 'GBP', amount: '' });
  });
  it('forgets a field cleared later', () => {
    const s = memory();
    saveLast('hours', { contributor: 'Ada', project: 'Lumen', employer: 'Microsoft' }, s);
    saveLast('hours', { contributor: 'Ada', project: 'Quarry', employer: '' }, s);
    expect(loadLast('hours', s)).toEqual({ contributor: 'Ada', project: 'Quarry' });
  });
  it('survives garbage and missing storage', () => {
    const s = memory();
    s.setItem('matchbook.quickEntry.hours', '{not json');
    expect(loadLast('hours', s)).toEqual({});
    expect(loadLast('hours', null)).toEqual({});
    expect(() => saveLast('hours', { contributor: 'x' }, null)).not.toThrow();
  });
  it('uses localStorage by default', () => {
    localStorage.clear();
    saveLast('hours', { contributor: 'Emma Novak', project: 'Quarry' });
    expect(freshEntry('hours', '2025-01-25').contributor).toBe('Emma Novak');
  });
});
