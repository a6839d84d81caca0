#!/usr/bin/env node
// The `lapis` command. Runs the built JavaScript in ../dist (apps/agent/scripts/build.mjs: `npm install`, `npm test`
// and `npm run build` make it). From the TypeScript sources through tsx instead when there is no build, when a source
// the build read is newer than it (an edit since), or when LAPIS_FROM_SOURCE=1.
import module from 'node:module';
import { builtIsCurrent, DIST_URL } from '../scripts/currentBuild.mjs';

// Node ≥ 22.1 keeps V8's compiled code of the modules on disk between runs; Node 20 has no such cache (a no-op here).
module.enableCompileCache?.();
// `lapis invert` analyses one acquisition and exits: V8's tiering for that, which looks at the size of the paths it is
// given (scripts/v8Tiering.mjs; loaded only here, node:v8 costs ≈ 5 ms to import).
if (process.argv[2] === 'invert') {
  (await import('../scripts/v8Tiering.mjs')).tuneForOneShot(process.env, process.argv.slice(3));
}

let main;
if (process.env.LAPIS_FROM_SOURCE !== '1' && builtIsCurrent()) {
  ({ main } = await import(new URL('main.mjs', DIST_URL).href));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../src/main.ts'));
}
process.exitCode = await main(process.argv.slice(2));
