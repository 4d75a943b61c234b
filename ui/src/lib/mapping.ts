// "Which project?": the lines of a platform report that no remembered mapping places, grouped into
// one question per distinct set of values, and the answers turned into mappings to remember.
import type { ProjectMapping } from '../bindings/ProjectMapping';
import type { UnmappedLine } from '../bindings/UnmappedLine';

/** One value of a report line the project could be told from, e.g. Benevity's (`comment`, `Project: Lumen`). */
export type Choice = { platform: string; field: string; title: string; value: string };

/** One question: lines that carry exactly the same values, asked about once. */
export type Question = {
  choices: Choice[];
  /** The lines it stands for, as `file:line`. */
  lines: { file: string; line: number }[];
  /** The choice offered first: a value no other question shares, the most specific field first. */
  suggested: number;
  /** A project of the book that one of the values names, or ''. */
  project: string;
};

/** A value as the book compares them: trimmed, case-folded, inner spaces collapsed. */
export function valueKey(value: string): string {
  return value.trim().replace(/\s+/g, ' ').toLowerCase();
}

const choiceKey = (c: Choice) => `${c.platform}\u0000${c.field}\u0000${valueKey(c.value)}`;

/** A mapping's field as reports spell it: `project remote id` is Project Remote ID. */
export function fieldTitle(field: string): string {
  return field
    .split(' ')
    .map((w) => (w === 'id' ? 'ID' : w.charAt(0).toUpperCase() + w.slice(1)))
    .join(' ');
}

/** A platform as people write it: `bright funds` is Bright Funds; a profile's name as it is. */
export function platformTitle(platform: string): string {
  return platform === 'benevity' || platform === 'bright funds' ? fieldTitle(platform) : platform;
}

/** The book's project that `value` names as a word ("Project: Lumen" → Lumen), if exactly one does. */
export function projectNamedIn(value: string, projects: readonly string[]): string {
  const v = valueKey(value);
  const exact = projects.find((p) => valueKey(p) === v);
  if (exact) return exact;
  const words = new Set(v.split(/[^\p{L}\p{N}]+/u).filter(Boolean));
  const named = projects.filter((p) => {
    const pw = valueKey(p).split(/[^\p{L}\p{N}]+/u).filter(Boolean);
    return pw.length > 0 && pw.every((w) => words.has(w));
  });
  return named.length === 1 ? named[0] : '';
}

/**
 * Groups unmapped lines into questions (in the order their first line appears). The suggested value
 * of a question is one no other question carries (a value shared by every line, such as the sponsor's
 * name in `Project`, cannot tell the projects apart), else the first; the suggested project is one
 * the book knows that a value names.
 */
export function questions(lines: readonly UnmappedLine[], projects: readonly string[] = []): Question[] {
  const byKey = new Map<string, Question>();
  for (const l of lines) {
    const choices = l.clues.map((c) => ({ platform: l.platform, field: c.field, title: c.title, value: c.value }));
    const key = choices.map(choiceKey).join('\u0001');
    const q = byKey.get(key);
    if (q) q.lines.push({ file: l.file, line: l.line });
    else byKey.set(key, { choices, lines: [{ file: l.file, line: l.line }], suggested: 0, project: '' });
  }
  const all = [...byKey.values()];
  const uses = new Map<string, number>();
  for (const q of all) for (const c of q.choices) uses.set(choiceKey(c), (uses.get(choiceKey(c)) ?? 0) + 1);
  for (const q of all) {
    const unique = q.choices.findIndex((c) => uses.get(choiceKey(c)) === 1);
    q.suggested = unique >= 0 ? unique : 0;
    const first = q.choices[q.suggested];
    q.project = (first && projectNamedIn(first.value, projects)) || q.choices.map((c) => projectNamedIn(c.value, projects)).find(Boolean) || '';
  }
  return all;
}

/** An answer to a question: which choice stands for the project, and the project. */
export type Answer = { choice: number; project: string };

/**
 * The mappings to remember for the answers, one per distinct value, or the problems: a question
 * without a project, or one value given two different projects.
 */
export function mappingsFor(qs: readonly Question[], answers: readonly Answer[]): { mappings: ProjectMapping[]; problems: string[] } {
  const problems: string[] = [];
  const chosen = new Map<string, ProjectMapping>();
  qs.forEach((q, i) => {
    const a = answers[i];
    const c = a ? q.choices[a.choice] : undefined;
    const project = a?.project.trim() ?? '';
    if (!c || !project) {
      problems.push(`Line ${q.lines.map((l) => l.line).join(', ')}: choose a value and a project.`);
      return;
    }
    const key = choiceKey(c);
    const before = chosen.get(key);
    if (before && valueKey(before.project) !== valueKey(project)) {
      problems.push(`${c.title} “${c.value}” cannot mean both ${before.project} and ${project}; choose another value for one of them.`);
      return;
    }
    if (!before) chosen.set(key, { platform: c.platform, field: c.field, value: c.value.trim(), project });
  });
  return { mappings: problems.length ? [] : [...chosen.values()], problems };
}
