/**
 * Where the released model lives: models/ at the repository root, or LAPIS_MODEL (a manifest path) to run another
 * one. The folder is looked for upward from this module, which runs from libs/inference/src or, bundled, from
 * apps/agent/dist: a fixed relative path would hold for only one of them.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const DEFAULT_MODEL_ID = 'lapis-refine2d';

export function defaultModelPath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.LAPIS_MODEL) return env.LAPIS_MODEL;
  const file = `${DEFAULT_MODEL_ID}.json`;
  const here = dirname(fileURLToPath(import.meta.url));
  for (let dir = here, up = 0; up < 6; up++, dir = dirname(dir)) {
    const candidate = join(dir, 'models', file);
    if (existsSync(candidate)) return candidate;
  }
  // Not found: the path the repository layout implies, so the error names where the model was expected.
  return join(here, '..', '..', '..', 'models', file);
}
