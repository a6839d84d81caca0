/**
 * Where the released model lives: models/ at the repository root (the package exports its sources, so the path is
 * found from this file), or LAPIS_MODEL (a manifest path) to run another one.
 */
import { fileURLToPath } from 'node:url';

export const DEFAULT_MODEL_ID = 'lapis-refine2d';

export function defaultModelPath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.LAPIS_MODEL) return env.LAPIS_MODEL;
  return fileURLToPath(new URL(`../../../models/${DEFAULT_MODEL_ID}.json`, import.meta.url));
}
