// Whether apps/agent/dist holds a build of the sources as they are now: dist/main.mjs newer than every source file
// the build read (dist/inputs.json, written by build.mjs). About 2 ms for ~230 files; bin/lapis.js runs it each start.
import { readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const DIST_URL = new URL('../dist/', import.meta.url);
const ROOT_URL = new URL('../../../', import.meta.url);

export function builtIsCurrent() {
  try {
    const built = statSync(new URL('main.mjs', DIST_URL)).mtimeMs;
    const { inputs } = JSON.parse(readFileSync(new URL('inputs.json', DIST_URL), 'utf8'));
    for (const input of inputs) {
      const source = statSync(fileURLToPath(new URL(input, ROOT_URL)), { throwIfNoEntry: false });
      if (!source || source.mtimeMs > built) return false;
    }
    return true;
  } catch {
    return false;
  }
}
