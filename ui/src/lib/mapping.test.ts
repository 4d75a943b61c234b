import { describe, expect, it } from 'vitest';
import type { UnmappedLine } from '../bindings/UnmappedLine';
import { fieldTitle, mappingsFor, platformTitle, projectNamedIn, questions, valueKey } from './mapping';

const sponsor: [string, string] = ['project', 'OPEN SOURCE COLLECTIVE EXAMPLE'];
const titles: Record<string, string> = { comment: 'Comment', project: 'Project', 'project remote id': 'Project Remote ID' };
const line = (n: number, ...values: [string, string][]): UnmappedLine => ({
  file: '/r/report.csv',
  line: n,
  platform: 'benevity',
  clues: values.map(([field, value]) => ({ field, title: titles[field] ?? field, value })),
});
const report = [
  line(12, ['comment', 'Project: Lumen'], sponsor),
  line(13, ['comment', 'Project: Lumen'], sponsor),
  line(15, ['comment', 'Project: Quarry'], sponsor),
  line(16, ['comment', ' project:  LUMEN '], ['project', 'open source collective example']),
  line(17, ['comment', 'Project: Tessel'], sponsor),
];
const projects = ['Lumen', 'Quarry', 'Tessel'];

describe('questions', () => {
  it('asks once per distinct set of values, in order of the first line', () => {
    const qs = questions(report, projects);
    expect(qs.map((q) => q.choices[0].value)).toEqual(['Project: Lumen', 'Project: Quarry', 'Project: Tessel']);
    expect(qs[0].lines.map((l) => l.line)).toEqual([12, 13, 16]);
    expect(qs[1].lines).toEqual([{ file: '/r/report.csv', line: 15 }]);
  });

  it('suggests a value that tells the lines apart, and the project it names', () => {
    const qs = questions(report, projects);
    expect(qs.map((q) => q.suggested)).toEqual([0, 0, 0]);
    expect(qs.map((q) => q.project)).toEqual(['Lumen', 'Quarry', 'Tessel']);
    // The comment is shared, the remote id is not: the remote id is suggested.
    const two = questions([line(3, ['comment', 'Open source'], ['project', 'X']), line(4, ['project remote id', 'R-9'], ['comment', 'open source'])]);
    expect(two[0].suggested).toBe(1);
    expect(two[1].suggested).toBe(0);
    expect(two[1].project).toBe('');
  });

  it('handles no lines and lines without values', () => {
    expect(questions([])).toEqual([]);
    expect(questions([line(5)])[0]).toMatchObject({ choices: [], suggested: 0, project: '' });
  });
});

describe('projectNamedIn', () => {
  it('finds a project named as whole words, only when one fits', () => {
    expect(projectNamedIn('Project: Lumen', projects)).toBe('Lumen');
    expect(projectNamedIn('quarry', projects)).toBe('Quarry');
    expect(projectNamedIn('Lumenesque', projects)).toBe('');
    expect(projectNamedIn('Lumen and Quarry', projects)).toBe('');
    expect(projectNamedIn('Open Source Collective', ['Open Source', 'Collective'])).toBe('');
    expect(projectNamedIn('Open Source Collective', ['Open Source', 'Tessel'])).toBe('Open Source');
  });
});

describe('mappingsFor', () => {
  const qs = questions(report, projects);

  it('remembers the chosen value of each question', () => {
    const { mappings, problems } = mappingsFor(qs, qs.map((q) => ({ choice: 0, project: ` ${q.project} ` })));
    expect(problems).toEqual([]);
    expect(mappings).toEqual([
      { platform: 'benevity', field: 'comment', value: 'Project: Lumen', project: 'Lumen' },
      { platform: 'benevity', field: 'comment', value: 'Project: Quarry', project: 'Quarry' },
      { platform: 'benevity', field: 'comment', value: 'Project: Tessel', project: 'Tessel' },
    ]);
  });

  it('saves a shared value once when every question gives it the same project', () => {
    const { mappings } = mappingsFor(qs, qs.map(() => ({ choice: 1, project: 'Lumen' })));
    expect(mappings).toEqual([{ platform: 'benevity', field: 'project', value: 'OPEN SOURCE COLLECTIVE EXAMPLE', project: 'Lumen' }]);
  });

  it('refuses a question without a project and one value meaning two projects', () => {
    const missing = mappingsFor(qs, [{ choice: 0, project: 'Lumen' }, { choice: 0, project: ' ' }, { choice: 0, project: 'Tessel' }]);
    expect(missing.mappings).toEqual([]);
    expect(missing.problems).toEqual(['Line 15: choose a value and a project.']);
    const clash = mappingsFor(qs, [{ choice: 1, project: 'Lumen' }, { choice: 1, project: 'Quarry' }, { choice: 0, project: 'Tessel' }]);
    expect(clash.problems).toHaveLength(1);
    expect(clash.problems[0]).toContain('Project “OPEN SOURCE COLLECTIVE EXAMPLE” cannot mean both Lumen and Quarry');
  });
});

describe('names', () => {
  it('spells fields as the report does and compares values loosely', () => {
    expect(['project remote id', 'comment', 'project', 'fund name'].map(fieldTitle)).toEqual(['Project Remote ID', 'Comment', 'Project', 'Fund Name']);
    expect(['benevity', 'bright funds', 'my bank'].map(platformTitle)).toEqual(['Benevity', 'Bright Funds', 'my bank']);
    expect(valueKey('  Project:\tLUMEN ')).toBe('project: lumen');
  });
});
