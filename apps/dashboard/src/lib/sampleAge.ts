/**
 * A sample's age read from its name or folder: `cheese-gouda-A-day12`, `paste day 1.5`, `gel_age3p25`. A ripening or
 * hydration study is read against the age, not the clock. The user names the word before the number (`day` by
 * default, `age`, `week` …) and its unit; a decimal point may be written `.` or `p` (folder names avoid dots).
 * Plain words, not regular expressions: a pattern typed into the page never becomes a regex run on the server.
 */

export const AGE_UNITS = { h: 1 / 24, d: 1, wk: 7 } as const;
export type AgeUnit = keyof typeof AGE_UNITS;

/** Word before the number: letters only, 1–16 of them. */
export const AGE_WORD = /^[A-Za-z]{1,16}$/;

/**
 * The age in days from the first text (in order) that carries `word` followed by a number, e.g. `day12`, `day-1p5`,
 * `Day 3.25`; undefined when none does. The word must not be the tail of a longer word (`today3` is not `day3`).
 */
export function sampleAgeDays(texts: readonly (string | null | undefined)[], word = 'day', unit: AgeUnit = 'd') {
  if (!AGE_WORD.test(word))
    throw new RangeError(`sampleAgeDays: the word must be 1–16 letters, got ${JSON.stringify(word)}`);
  const lower = word.toLowerCase();
  for (const text of texts) {
    if (!text) continue;
    const t = text.toLowerCase();
    for (let at = t.indexOf(lower); at >= 0; at = t.indexOf(lower, at + 1)) {
      if (at > 0 && /[a-z]/.test(t[at - 1]!)) continue;
      let k = at + lower.length;
      if (k < t.length && /[-_ ]/.test(t[k]!)) k++;
      const m = /^(\d{1,6})(?:[.p](\d{1,6}))?(?![\d.])/.exec(t.slice(k, k + 16));
      if (!m) continue;
      const value = Number(`${m[1]}.${m[2] ?? '0'}`);
      return value * AGE_UNITS[unit];
    }
  }
  return undefined;
}
