// Suggestions for the inputs bound to the app's datalists. A book can name thousands of
// contributors; a datalist holding them all costs WebKit tens of MB for every input bound to it.
// So each list holds only the values that match what is typed in the input using it.

/** Most suggestions a datalist holds at once. */
export const MAX_SUGGESTIONS = 50;

/** The first `max` values containing `typed` (case-insensitively), values starting with it first. */
export function suggestions(values: readonly string[], typed: string, max = MAX_SUGGESTIONS): string[] {
  const q = typed.trim().toLowerCase();
  if (!q) return values.slice(0, max);
  const starting: string[] = [];
  const containing: string[] = [];
  for (const v of values) {
    const l = v.toLowerCase();
    if (l.startsWith(q)) {
      if (starting.length < max) starting.push(v);
    } else if (containing.length < max && l.includes(q)) {
      containing.push(v);
    }
    if (starting.length >= max) break;
  }
  return [...starting, ...containing].slice(0, max);
}
