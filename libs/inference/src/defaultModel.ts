/**
 * Where the released models live: models/<id>.json at the repository root, or an environment variable naming another
 * manifest (LAPIS_MODEL for the Laplace network). The folder is looked for upward from this module, which runs from
 * libs/inference/src or, bundled, from apps/agent/dist: a fixed relative path would hold for only one of them.
 * Node built-ins only, so that asking where a model is loads no runtime.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const DEFAULT_MODEL_ID = 'lapis-refine2d';

/** models/<id>.json above this module, or `env[variable]` when set. */
export function modelManifestPath(id: string, variable: string, env: NodeJS.ProcessEnv = process.env): string {
  const given = env[variable];
  if (given) return given;
  const here = dirname(fileURLToPath(import.meta.url));
  for (let dir = here, up = 0; up < 6; up++, dir = dirname(dir)) {
    const candidate = join(dir, 'models', `${id}.json`);
    if (existsSync(candidate)) return candidate;
  }
  // not found: the path the repository layout implies, so the error names where the model was expected
  return join(here, '..', '..', '..', 'models', `${id}.json`);
}

export function defaultModelPath(env: NodeJS.ProcessEnv = process.env): string {
  return modelManifestPath(DEFAULT_MODEL_ID, 'LAPIS_MODEL', env);
}
