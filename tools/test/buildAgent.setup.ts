// vitest globalSetup: the tests that spawn `lapis` run the built JavaScript, as users do, so build it first
// when the sources changed since (apps/agent/scripts/build.mjs, a fraction of a second) — a stale build would
// otherwise make bin/lapis.js fall back to the sources.
import { buildAgent } from '../../apps/agent/scripts/build.mjs';

export async function setup(): Promise<void> {
  await buildAgent({ quiet: true, ifStale: true });
}
