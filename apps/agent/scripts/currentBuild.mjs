// Whether apps/agent/dist holds a build of the sources as they are now: dist/main.mjs newer than every source file
// the build read (dist/inputs.json, written by build.mjs). bin/lapis.js runs it each start: plain path strings, not a
// URL per file (which cost as much again as the ~330 stat calls, ≈ 10 ms on one core; docs/BENCHMARKS.md).
import { readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const DIST_URL = new URL('../dist/', import.meta.url);
const DIST = fileURLToPath(DIST_URL);
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** `dist` and `root` (the folder inputs.json's paths are relative to) end with a separator; tests give their own. */
export function builtIsCurrent(dist = DIST, root = ROOT) {
  try {
    const built = statSync(`${dist}main.mjs`).mtimeMs;
    const { inputs } = JSON.parse(readFileSync(`${dist}inputs.json`, 'utf8'));
    const absent = { throwIfNoEntry: false };
    for (const input of inputs) {
      const source = statSync(root + input, absent);
      if (!source || source.mtimeMs > built) return false;
    }
    return true;
  } catch {
    return false;
  }
}
