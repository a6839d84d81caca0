/**
 * bench:physics' full-analysis section: not the solver alone but everything `lapis invert` and the agent do with a
 * read acquisition — β, inversion, peak listing with its tests, the 16-draw bootstrap, residual checks and the
 * `lapis-result/1` document (analyseAcquisition) — on bench:cli's held-out acquisitions. Warm: the median of
 * `runs` analyses after three untimed ones in this process. First call: the first analysis in a fresh process
 * (firstAnalysis.ts, with `lapis invert`'s V8 tiering), median of `fresh` processes. Each also on the TypeScript
 * paths (the WebAssembly kernels off, LAPIS_WASM=0 in the fresh processes), and the first call with V8's default
 * tiering (LAPIS_ONE_SHOT_TIERING=0), in turn with the default run, as the same run's references.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { detectAndRead } from '@lapis/formats';
import { analyseAcquisition } from '../../../apps/agent/src/analysis/analyseAcquisition';
import { loadAnalysisDeps } from '../../../apps/agent/src/analysis/deps';
import { withoutWasmKernels } from '@lapis/physics';
import { writeCases } from '../cli/cases';
import { median, quantile } from './timing';

const ROOT = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');
const FIRST = fileURLToPath(new URL('./firstAnalysis.ts', import.meta.url));

export interface FullAnalysisRow {
  id: string;
  label: string;
  method: string;
  used: string;
  warmMs: number;
  warmP90Ms: number;
  firstMs: number;
  firstReadMs: number;
  /** The same on the TypeScript paths (the WebAssembly kernels off): the reference of the same run. */
  typescriptWarmMs: number;
  typescriptFirstMs: number;
  /** The first call with V8's default tiering (apps/agent/scripts/v8Tiering.mjs off). */
  defaultTieringFirstMs: number;
}

/** The first analysis in a fresh process (firstAnalysis.ts), with extra environment. */
function firstAnalysis(dir: string, method: string, env: NodeJS.ProcessEnv): { readMs: number; analysisMs: number } {
  const r = spawnSync(TSX, [FIRST, dir, method], { encoding: 'utf8', cwd: ROOT, env: { ...process.env, ...env } });
  if (r.status !== 0) throw new Error(`firstAnalysis ${dir} ${method}: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as { readMs: number; analysisMs: number };
}

export async function benchFullAnalysis(
  options: { seed?: number; runs?: number; fresh?: number; methods?: string[]; cases?: string[] } = {},
): Promise<FullAnalysisRow[]> {
  const runs = options.runs ?? 15;
  const fresh = options.fresh ?? 3;
  const methods = options.methods ?? ['auto', 'dl'];
  const work = await mkdtemp(join(tmpdir(), 'lapis-full-analysis-'));
  const rows: FullAnalysisRow[] = [];
  try {
    const cases = await writeCases(work, options.seed ?? 20261206, options.cases);
    const deps = await loadAnalysisDeps();
    for (const c of cases) {
      const acq = await detectAndRead(c.dir);
      for (const method of methods.filter((m) => m !== 'dl' || c.kernels.length === 2)) {
        // fresh processes in turn: the default, without the kernels, with V8's default tiering
        const firsts: { readMs: number; analysisMs: number }[] = [];
        const typescriptFirsts: number[] = [];
        const defaultTieringFirsts: number[] = [];
        for (let i = 0; i < fresh; i++) {
          firsts.push(firstAnalysis(c.dir, method, {}));
          typescriptFirsts.push(firstAnalysis(c.dir, method, { LAPIS_WASM: '0' }).analysisMs);
          defaultTieringFirsts.push(firstAnalysis(c.dir, method, { LAPIS_ONE_SHOT_TIERING: '0' }).analysisMs);
        }
        // warm: with and without the kernels in turn, so that a drift of the machine reaches both alike
        let used = '';
        const analyse = async () => {
          const t = performance.now();
          const r = await analyseAcquisition(acq, { method: method as 'auto' }, { software: 'bench' } as never, deps);
          used = r.method;
          return performance.now() - t;
        };
        const times: number[] = [];
        const typescriptTimes: number[] = [];
        for (let i = 0; i < runs + 3; i++) {
          const a = await analyse();
          const b = await withoutWasmKernels(analyse);
          if (i < 3) continue;
          times.push(a);
          typescriptTimes.push(b);
        }
        const row: FullAnalysisRow = {
          id: c.id,
          label: c.label,
          method,
          used,
          warmMs: median(times),
          warmP90Ms: quantile(times, 0.9),
          firstMs: median(firsts.map((f) => f.analysisMs)),
          firstReadMs: median(firsts.map((f) => f.readMs)),
          typescriptWarmMs: median(typescriptTimes),
          typescriptFirstMs: median(typescriptFirsts),
          defaultTieringFirstMs: median(defaultTieringFirsts),
        };
        rows.push(row);
        console.log(
          `${c.label.padEnd(30)} ${method.padEnd(5)} (${used.padEnd(8)}) warm ${row.warmMs.toFixed(1).padStart(6)} ms ` +
            `(p90 ${row.warmP90Ms.toFixed(1)}), first call ${row.firstMs.toFixed(0).padStart(4)} ms ` +
            `(read ${row.firstReadMs.toFixed(0)} ms); without kernels warm ${row.typescriptWarmMs.toFixed(1)} ms, ` +
            `first call ${row.typescriptFirstMs.toFixed(0)} ms; first call with V8's default tiering ` +
            `${row.defaultTieringFirstMs.toFixed(0)} ms`,
        );
      }
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  return rows;
}
