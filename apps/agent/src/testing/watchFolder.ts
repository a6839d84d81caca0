/**
 * Test data: small `lapis-acquisition/1` directories with seeded simulated signals, written the way an instrument
 * would (data file first, acquisition.json last), plus a temporary workspace that cleans up after itself.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { logGrid, simulate } from '@lapis/physics';

export interface Workspace {
  dir: string;
  root: string;
  dataDir: string;
  cleanup(): void;
}

/** A temp dir holding a watch root `data/` and an agent state folder `state/` (outside the root). */
export function workspace(prefix = 'lapis-agent-'): Workspace {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const root = join(dir, 'data');
  const dataDir = join(dir, 'state');
  mkdirSync(root);
  return { dir, root, dataDir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface FixtureOptions {
  /** `T2` (1D, 48 echoes; fast) or `T1-T2` (2D). Default `T2`. */
  experiment?: 'T2' | 'T1-T2';
  seed?: number;
  /** 2D size (rows × columns), default 16 × 48. */
  shape?: [number, number];
}

/** The data file and acquisition.json text of one simulated acquisition. */
export function fixtureFiles(options: FixtureOptions = {}): { json: string; data: string } {
  const seed = options.seed ?? 1;
  // Position varies with the seed so that different fixtures have different raw data (different keys).
  const t2 = 0.02 * (1 + (seed % 97) / 50);
  if ((options.experiment ?? 'T2') === 'T2') {
    const x = logGrid(1e-3, 2, 48);
    const sim = simulate({
      axes: [{ spec: { kernel: 'T2' }, x }],
      peaks: [{ position: [t2], width: [0.15], fraction: 1 }],
      snr: 300,
      seed,
    });
    return {
      json: JSON.stringify({
        format: 'lapis-acquisition/1',
        experiment: 'T2',
        axes: [{ kernel: 'T2', values: Array.from(x), unit: 's' }],
        data: 'data.txt',
      }),
      data: Array.from(sim.data, (v) => v.toPrecision(8)).join('\n') + '\n',
    };
  }
  const [m1, m2] = options.shape ?? [16, 48];
  const x1 = logGrid(1e-3, 3, m1);
  const x2 = logGrid(2e-4, 1, m2);
  const sim = simulate({
    axes: [
      { spec: { kernel: 'T1-IR' }, x: x1 },
      { spec: { kernel: 'T2' }, x: x2 },
    ],
    peaks: [{ position: [t2 * 5, t2], width: [0.15, 0.15], fraction: 1 }],
    snr: 300,
    seed,
  });
  const rows: string[] = [];
  for (let i = 0; i < m1; i++)
    rows.push(Array.from(sim.data.subarray(i * m2, (i + 1) * m2), (v) => v.toPrecision(8)).join(' '));
  return {
    json: JSON.stringify({
      format: 'lapis-acquisition/1',
      experiment: 'T1-T2',
      axes: [
        { kernel: 'T1-IR', values: Array.from(x1), unit: 's' },
        { kernel: 'T2', values: Array.from(x2), unit: 's' },
      ],
      data: 'data.txt',
    }),
    data: rows.join('\n') + '\n',
  };
}

/** Writes an acquisition into `dir` (created), data first, acquisition.json last. Returns `dir`. */
export function writeFixture(dir: string, options: FixtureOptions = {}): string {
  const f = fixtureFiles(options);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'data.txt'), f.data);
  writeFileSync(join(dir, 'acquisition.json'), f.json);
  return dir;
}

/** A directory that looks like an acquisition but cannot be read (bad kernel name). */
export function writeMalformed(dir: string): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'data.txt'), '1\n0.5\n0.25\n');
  writeFileSync(
    join(dir, 'acquisition.json'),
    JSON.stringify({
      format: 'lapis-acquisition/1',
      experiment: 'T2',
      axes: [{ kernel: 'T9', values: [1, 2, 3], unit: 's' }],
      data: 'data.txt',
    }),
  );
  return dir;
}
