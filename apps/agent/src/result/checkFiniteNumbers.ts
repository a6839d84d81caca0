/**
 * The part of the `lapis-result/1` check a builder can get wrong with numbers: every number finite (JSON has no NaN
 * or ±Infinity; JSON.stringify would write null). Cheap and schema-free, so `lapis invert` runs it on every
 * document; the full zod check (checkResultDocument) runs where documents leave the agent and in the tests.
 */
export function checkFiniteNumbers<T extends object>(doc: T, who: string): T {
  const bad = firstNonFinite(doc, []);
  if (bad) throw new Error(`${who}: the result does not meet lapis-result/1 (${bad.join('.')}: not a finite number)`);
  return doc;
}

function firstNonFinite(value: unknown, path: (string | number)[]): (string | number)[] | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : path;
  if (value === null || typeof value !== 'object') return undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i];
      if (typeof v === 'number') {
        if (!Number.isFinite(v)) return [...path, i];
      } else if (v !== null && typeof v === 'object') {
        const inner = firstNonFinite(v, [...path, i]);
        if (inner) return inner;
      }
    }
    return undefined;
  }
  for (const [key, v] of Object.entries(value)) {
    const inner = firstNonFinite(v, [...path, key]);
    if (inner) return inner;
  }
  return undefined;
}
