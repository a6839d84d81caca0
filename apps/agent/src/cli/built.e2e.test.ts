/**
 * The installed `lapis` runs JavaScript built from the sources (apps/agent/scripts/build.mjs; vitest's global setup
 * builds it when stale): it loads its own bundles and only the npm packages a command needs, and it gives the same
 * results as the sources run through tsx (LAPIS_FROM_SOURCE=1).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { t1t2Acquisition } from '../testing/fixtures';
import { runLapis } from '../testing/runLapis';
import { writeLapisAcquisition } from '@lapis/formats';
import { builtIsCurrent } from '../../scripts/currentBuild.mjs';

const dir = mkdtempSync(join(tmpdir(), 'lapis-built-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const probe = pathToFileURL(fileURLToPath(new URL('../testing/recordImports.mjs', import.meta.url))).href;
const APP = fileURLToPath(new URL('../../', import.meta.url));

/** Runs lapis with the import recorder; returns the run and the files it loaded (node: builtins left out). */
async function loaded(args: string[], env: NodeJS.ProcessEnv = {}) {
  const log = join(dir, `imports-${Math.random().toString(36).slice(2)}.log`);
  writeFileSync(log, '');
  const run = await runLapis(args, dir, { nodeArgs: ['--import', probe], env: { LAPIS_IMPORTS_LOG: log, ...env } });
  const files = readFileSync(log, 'utf8')
    .split('\n')
    .filter((u) => u.startsWith('file:'))
    .map((u) => fileURLToPath(u));
  return { run, files: [...new Set(files)] };
}

/** A result document without what differs from run to run (timings, the time it was made). */
function strip(file: string) {
  const { elapsedMs: _e, provenance, ...doc } = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  const { createdAt: _c, ...rest } = provenance as Record<string, unknown>;
  return { ...doc, provenance: rest };
}

const packagesIn = (files: string[]) =>
  [...new Set(files.flatMap((f) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(f)?.[1] ?? []))].sort();

describe('the built lapis command', () => {
  it('is current after the global setup (the tests below run what users run)', () => {
    expect(builtIsCurrent()).toBe(true);
  });

  it('lapis --version loads the built entry alone: no sources, no tsx, no npm package', async () => {
    const { run, files } = await loaded(['--version']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^lapis \d+\.\d+\.\d+/);
    expect(files.some((f) => f.startsWith(join(APP, 'dist')))).toBe(true);
    expect(files.filter((f) => f.endsWith('.ts'))).toEqual([]);
    expect(packagesIn(files)).toEqual([]);
  });

  it('lapis invert --method tikhonov of a lapis acquisition loads no npm package (no zod, no ONNX Runtime, no MQTT), no vendor reader, and writes a valid result', async () => {
    const acq = t1t2Acquisition();
    await writeLapisAcquisition(join(dir, 't1t2'), acq);
    const out = join(dir, 'built.json');
    const { run, files } = await loaded(['invert', join(dir, 't1t2'), '--method', 'tikhonov', '--out', out]);
    expect(run.stdout).toMatch(/wrote .*built\.json \(tikhonov, \d+ peaks?/);
    expect(run.code).toBe(0);
    expect(packagesIn(files)).toEqual([]);
    // Nor the vendor readers or @lapis/spectra: esbuild marks each bundled module with a `// libs/…` comment.
    const sources = files.filter((f) => f.endsWith('.mjs')).map((f) => readFileSync(f, 'utf8'));
    expect(sources.some((text) => text.includes('// libs/formats/src/read.ts'))).toBe(true);
    expect(
      sources.filter((text) =>
        /\/\/ libs\/(spectra\/|formats\/src\/(bruker|tecmag|spinsolve|prospa|minispec|geospec)\/read)/.test(text),
      ),
    ).toEqual([]);
    const { resultDocSchema } = await import('@lapis/contracts');
    expect(resultDocSchema.safeParse(JSON.parse(readFileSync(out, 'utf8'))).success).toBe(true);
  });

  it('gives the document the sources give (LAPIS_FROM_SOURCE=1 runs them through tsx)', async () => {
    const built = join(dir, 'parity-built.json');
    const source = join(dir, 'parity-source.json');
    const a = await runLapis(['invert', join(dir, 't1t2'), '--out', built], dir);
    const b = await loaded(['invert', join(dir, 't1t2'), '--out', source], { LAPIS_FROM_SOURCE: '1' });
    expect([a.code, b.run.code]).toEqual([0, 0]);
    expect(b.files.some((f) => f === join(APP, 'src', 'main.ts'))).toBe(true);
    expect(strip(built)).toEqual(strip(source));
  });

  it('gives the same document with V8’s default tiering (LAPIS_ONE_SHOT_TIERING=0)', async () => {
    const tuned = join(dir, 'tiering-one-shot.json');
    const plain = join(dir, 'tiering-default.json');
    const a = await runLapis(['invert', join(dir, 't1t2'), '--out', tuned], dir);
    const b = await runLapis(['invert', join(dir, 't1t2'), '--out', plain], dir, {
      env: { LAPIS_ONE_SHOT_TIERING: '0' },
    });
    expect([a.code, b.code]).toEqual([0, 0]);
    expect(strip(tuned)).toEqual(strip(plain));
  });
});
