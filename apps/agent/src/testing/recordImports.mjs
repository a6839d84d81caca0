// Test probe, loaded with `node --import`: appends every module URL the process resolves to $LAPIS_IMPORTS_LOG,
// one per line, so a test can tell which code a command loaded (its own built files, npm packages, the sources).
import { appendFileSync } from 'node:fs';
import { register } from 'node:module';
import { isMainThread } from 'node:worker_threads';

// Imported twice: by --import on the main thread (which registers this file as the hooks module), and as that module.
if (isMainThread) register(import.meta.url);

export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  if (process.env.LAPIS_IMPORTS_LOG) appendFileSync(process.env.LAPIS_IMPORTS_LOG, `${resolved.url}\n`);
  return resolved;
}
