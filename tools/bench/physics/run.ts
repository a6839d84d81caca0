/**
 * `npm run bench:physics` — accuracy and speed of every Lapis inversion method on the seeded suite (cases.ts), and,
 * when they are installed locally (tools/reference/README.md), of FLINT and MUPen2D on a subset of the same cases in
 * the same run. Prints per-method tables and writes bench-results/physics.json.
 *
 * Options: --quick (fewer cases), --seed N (held-out suite), --no-refs, --ref-cases N (default 6), --repeats N
 *          (timed runs of each Lapis inversion per case, median reported; default 3),
 *          --methods tikhonov,tikhonov-gcv,upen,sparse,nnls (tikhonov-gcv: the GCV rule instead of the discrepancy),
 *          --no-full-analysis, --full-analysis-only (the whole analysis of held-out acquisitions, fullAnalysis.ts),
 *          --fresh N (fresh processes per first-call figure, default 3)
 * Run pinned to one core (the npm script uses taskset when present), as the targets are per core. Beside it:
 * options.ts (the flags), timing.ts (calibration, warm-up, medians), referenceRuns.ts (FLINT, MUPen2D), summary.ts
 * (the tables), row.ts (one result line).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { invert, peakUncertainty, replicateDistributions } from '@lapis/physics';
import { buildSuite, caseInput, dataLimited, scoreCase, simulateCase, type BenchCase } from './cases';
import { coverage } from './coverage';
import { benchFullAnalysis } from './fullAnalysis';
import { flag, freshProcesses, invertOptions, methods, quick, repeats, seed } from './options';
import { runReferences } from './referenceRuns';
import { rowBase, type Row } from './row';
import { printSummaries } from './summary';
import { calibrate, warmUp } from './timing';

/** Bootstrap spread of each found peak, and how often the true position lies within 1 and 2 of its sd. */
function uncertaintyCheck(
  c: BenchCase,
  r: ReturnType<typeof invert>,
  s: ReturnType<typeof scoreCase>,
  replicates: readonly Float64Array[],
  drawMs: number,
) {
  const t0 = performance.now();
  const axes = r.axes.map((a) => a.values);
  const u = peakUncertainty(s.found, axes, replicates);
  const uncertaintyMs = drawMs + performance.now() - t0;
  return { uncertaintyMs, ...coverage(c.peaks, s, s.found, u) };
}

async function main() {
  if (flag('--full-analysis-only')) {
    console.log(
      `bench:physics full analysis — ${cpus()[0]?.model ?? 'cpu'}, node ${process.version}, ${new Date().toISOString()}`,
    );
    await benchFullAnalysis({ fresh: freshProcesses });
    return;
  }
  const suite = buildSuite({ seed, ...(quick ? { snrs: [100, 1000], separations: [0.5] } : {}) });
  const calibrationMs = calibrate();
  console.log(
    `bench:physics — ${suite.length} cases, seed ${seed}, ${cpus()[0]?.model ?? 'cpu'}, node ${process.version}, ${new Date().toISOString()}`,
  );
  console.log(
    `calibration: 128×128 matmul ${calibrationMs.toFixed(2)} ms; Lapis times: median of ${repeats} runs per case`,
  );
  warmUp(methods);
  const rows: Row[] = [];
  // Timing and scoring in two passes over the suite: the scoring's garbage (peak listing, and the 16-draw bootstrap,
  // which takes seconds with NNLS and sparse) fell on whichever method was timed next — the first of every case read
  // slower, all its runs alike (1D auto 23.3 ms against 12.2 ms for UPEN, the same solve).
  const timings = new Map<string, { ms: number; cpuMs: number } | { error: string }>();
  const runnable = (c: BenchCase, method: string) => !(method === 'nnls' && c.axes.length === 2); // NNLS: small 1D
  for (const c of suite) {
    const input = caseInput(c, simulateCase(c).data);
    for (const method of methods.filter((m) => runnable(c, m))) {
      try {
        // The inversion is deterministic: one untimed run, then `repeats` timed ones, of which the median wall and CPU
        // time are kept (garbage-collection pauses of 10–60 ms land on a 20–30 ms inversion at random; the
        // references' runs last seconds and absorb theirs).
        invert(input, invertOptions(method));
        const runs = Array.from({ length: repeats }, () => {
          const u0 = process.cpuUsage();
          const r = invert(input, invertOptions(method));
          const u = process.cpuUsage(u0);
          return { ms: r.elapsedMs, cpuMs: (u.user + u.system) / 1000 };
        }).sort((a, b) => a.ms - b.ms);
        timings.set(`${c.id}/${method}`, runs[runs.length >> 1]!);
      } catch (error) {
        // the message alone: the scoring pass rethrows it, and the row then reads as it did when one pass caught it
        timings.set(`${c.id}/${method}`, { error: error instanceof Error ? error.message : String(error) });
      }
    }
    process.stdout.write('.');
  }
  for (const c of suite) {
    const sim = simulateCase(c);
    for (const method of methods.filter((m) => runnable(c, m))) {
      const base = rowBase(c, method);
      const timing = timings.get(`${c.id}/${method}`)!;
      try {
        if ('error' in timing) throw new Error(timing.error);
        const input = caseInput(c, sim.data);
        const r = invert(input, invertOptions(method));
        // The peak table as lapis invert lists it: the 16 draws of its bootstrap decide what is a population.
        const t0 = performance.now();
        const draws = flag('--no-uncertainty') ? [] : replicateDistributions(input, r, { count: 16, seed: 1 });
        const drawMs = performance.now() - t0;
        const s = scoreCase(c, input, r, draws);
        const unc = draws.length ? uncertaintyCheck(c, r, s, draws, drawMs) : {};
        rows.push({
          ...base,
          ms: timing.ms,
          cpuMs: timing.cpuMs,
          worstPosition: s.worstPositionError,
          worstFraction: s.worstFractionError,
          mapWorstPosition: s.map.worstPositionError,
          mapSpurious: s.map.spurious.length,
          ...(c.beta !== undefined && r.beta ? { betaError: Math.abs(r.beta.value - c.beta) } : {}),
          missed: s.missed.length,
          missedDataLimited: dataLimited(s),
          spurious: s.spurious.length,
          resolved: s.resolved,
          alpha: r.solver.alpha,
          rule: r.solver.alphaRule,
          ...unc,
        });
      } catch (error) {
        rows.push({
          ...base,
          ms: NaN,
          cpuMs: NaN,
          worstPosition: Infinity,
          worstFraction: Infinity,
          mapWorstPosition: Infinity,
          mapSpurious: 0,
          missed: c.peaks.length,
          missedDataLimited: 0,
          spurious: 0,
          resolved: false,
          error: String(error),
        });
      }
    }
    process.stdout.write(':');
  }
  process.stdout.write('\n');

  // Reference tools on a subset of the 2D cases (they take seconds to minutes per map).
  if (!flag('--no-refs')) await runReferences(suite, rows);

  printSummaries(rows);
  // The whole analysis as `lapis invert` and the agent run it, warm and on the first call of a fresh process.
  const full = flag('--no-full-analysis')
    ? []
    : (console.log('\nfull analysis (held-out bench:cli cases)'), await benchFullAnalysis());
  mkdirSync('bench-results', { recursive: true });
  writeFileSync(
    'bench-results/physics.json',
    JSON.stringify(
      { seed, date: new Date().toISOString(), cpu: cpus()[0]?.model, node: process.version, calibrationMs, rows, full },
      null,
      1,
    ),
  );
  console.log('\nrows written to bench-results/physics.json');
}

await main();
