/**
 * scripts/currentBuild.mjs decides at each start whether `lapis` runs its build or its sources: the build is current
 * only when every source it read is older than it, and a source edited or removed since makes it stale.
 */
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { builtIsCurrent } from '../../scripts/currentBuild.mjs';

const root = mkdtempSync(join(tmpdir(), 'lapis-current-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const SOURCES = ['libs/a/src/one.ts', 'apps/b/src/two.ts', 'apps/b/src/deep/three.ts'];

/** A tree of sources written `sourceAge` s ago and a dist built `builtAge` s ago that lists them. */
function tree(name: string, sourceAge: number, builtAge = 10) {
  const base = join(root, name);
  const dist = join(base, 'dist');
  mkdirSync(dist, { recursive: true });
  const now = Date.now() / 1000;
  for (const source of SOURCES) {
    mkdirSync(join(base, source, '..'), { recursive: true });
    writeFileSync(join(base, source), '// a source\n');
    utimesSync(join(base, source), now - sourceAge, now - sourceAge);
  }
  writeFileSync(join(dist, 'inputs.json'), JSON.stringify({ inputs: SOURCES }));
  writeFileSync(join(dist, 'main.mjs'), '');
  utimesSync(join(dist, 'main.mjs'), now - builtAge, now - builtAge);
  return { base: `${base}/`, dist: `${dist}/` };
}

describe('builtIsCurrent', () => {
  it('is true when every source is older than the build', () => {
    const { base, dist } = tree('current', 60);
    expect(builtIsCurrent(dist, base)).toBe(true);
  });

  it('is false when one source was edited after the build', () => {
    const { base, dist } = tree('edited', 60);
    const now = Date.now() / 1000;
    utimesSync(join(base, SOURCES[2]!), now, now);
    expect(builtIsCurrent(dist, base)).toBe(false);
  });

  it('is false when a source the build read is gone, or there is no build', () => {
    const { base, dist } = tree('removed', 60);
    rmSync(join(base, SOURCES[1]!));
    expect(builtIsCurrent(dist, base)).toBe(false);
    const bare = tree('unbuilt', 60);
    rmSync(join(bare.dist, 'main.mjs'));
    expect(builtIsCurrent(bare.dist, bare.base)).toBe(false);
  });
});
