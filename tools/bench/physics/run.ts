/**
 * `npm run bench:physics` — accuracy and speed of every Lapis inversion method on the seeded suite (cases.ts), and,
 * when they are installed locally (tools/reference/README.md), of FLINT and MUPen2D on a subset of the same cases in
 * the same run. Prints per-method tables and writes bench-results/physics.json.
 *
 * Options: --quick (fewer cases), --seed N (held-out suite), --no-refs, --ref-cases N (default 6), --repeats N
 *          (timed runs of each Lapis inversion per case, median reported; default 3),
 *          --methods tikhonov,tikhonov-gcv,upen,sparse,nnls (tikhonov-gcv: the GCV rule instead of the discrepancy)
 * Run pinned to one core (the npm script uses taskset when present), as the targets are per core.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { invert, peakUncertainty, replicateDistributions, type Method } from '@lapis/physics';
import { buildSuite, caseInput, dataLimited, scoreCase, simulateCase, type BenchCase } from './cases';
import { runReference } from './reference';
import { coverage } from './coverage';

interface Row {
  caseId: string;
  kind: string;
  snr: number;
  peaks: number;
  separation?: number;
  method: string;
  /** Wall time of the inversion, ms. */
  ms: number;
  /** CPU time of the process during the inversion, ms (steadier than wall time on a shared machine). */
  cpuMs: number;
  worstPosition: number;
  worstFraction: number;
  /** The map's own worst position error and spurious peaks, by a common local-maximum finder (findPeaks alone). */
  mapWorstPosition: number;
  mapSpurious: number;
  /** |β̂ − β| for inversion-recovery cases (β simulated in 0.8–1, estimated by the pipeline). */
  betaError?: number;
  missed: number;
  /** Of the missed, those in cases where the truth fits the data better than the listing by < DATA_CAN_TELL σ². */
  missedDataLimited: number;
  spurious: number;
  resolved: boolean;
  alpha?: number;
  rule?: string;
  error?: string;
  /** Per-peak uncertainty (16 bootstrap draws, analysis/peakUncertainty): its time, ms. */
  uncertaintyMs?: number;
  /**
   * Matched true peaks' axes whose position error is within 1 (resp. 2) of the combined uncertainty √(sd² + bias²),
   * and within 2 bootstrap standard deviations alone, of how many.
   */
  within1Sd?: number;
  within2Sd?: number;
  within2SdOnly?: number;
  sdChecked?: number;
}

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(name);
const value = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const quick = flag('--quick');
/** Timed runs of each Lapis inversion per case; the median is reported (--repeats 1: single shot). */
const repeats = Math.max(1, Math.round(Number(value('--repeats') ?? 3)));
const seed = Number(value('--seed') ?? 20261121);
// A method name (`auto` is the default of `lapis invert` and the agent), or `tikhonov-gcv` for Tikhonov with the GCV
// rule instead of the discrepancy principle.
const methods = (value('--methods') ?? 'auto,tikhonov,tikhonov-gcv,upen,sparse,nnls').split(',');
const invertOptions = (name: string): { method: Method; alpha?: 'gcv' } =>
  name === 'tikhonov-gcv' ? { method: 'tikhonov', alpha: 'gcv' } : { method: name as Method };
const refCases = Number(value('--ref-cases') ?? 6);
/**
 * The Lapis methods the references' times are compared with: the default (`auto`: Tikhonov below SNR 200, UPEN above),
 * Tikhonov (like FLINT) and UPEN (like MUPen2D).
 */
const LAPIS_SPEED_METHODS = ['auto', 'tikhonov', 'upen'] as const;

function calibrate(): number {
  // A fixed floating-point workload measured in the same run, so figures from busy or different machines can be
  // compared as ratios: 200 × (128 × 128 · 128 × 128) multiply–adds.
  const n = 128;
  const a = Float64Array.from({ length: n * n }, (_, i) => Math.sin(i));
  const b = Float64Array.from({ length: n * n }, (_, i) => Math.cos(i));
  const c = new Float64Array(n * n);
  const t0 = performance.now();
  for (let r = 0; r < 20; r++) {
    c.fill(0);
    for (let i = 0; i < n; i++)
      for (let k = 0; k < n; k++) {
        const aik = a[i * n + k]!;
        for (let j = 0; j < n; j++) c[i * n + j]! += aik * b[k * n + j]!;
      }
  }
  return (performance.now() - t0) / 20;
}

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

/**
 * Every method once on a few cases of another seed (one per kind, SNR 100, untimed) before the timed suite, so that the
 * first timed cases do not pay for V8 compiling the solvers — the agent inverts in a long-running process. Without it
 * the first T1–T2 cases, which the references are compared on, ran up to 2–3× slower than the same cases later on.
 */
function warmUp(methods: string[]): void {
  const warm = buildSuite({ seed: seed + 1, snrs: [100], separations: [0.75] });
  const kinds = new Set<string>();
  for (const c of warm) {
    if (kinds.has(c.kind)) continue;
    kinds.add(c.kind);
    const input = caseInput(c, simulateCase(c).data);
    for (const method of methods) {
      if (method === 'nnls' && c.axes.length === 2) continue;
      invert(input, invertOptions(method));
    }
  }
}

function median(xs: number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : 0.5 * (s[m - 1]! + s[m]!);
}
function quantile(xs: number[], q: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
}

/**
 * The cases the references run on (they take seconds per map): T1IR–T2 and D–T2 at SNR ≥ 100, one per (kind, SNR) in
 * turn, each group contributing its next design (one peak, then the pairs 0.5, 0.75, 1 decade apart) — so that the
 * subset spans the SNRs, and with them both branches of `auto`, instead of the first few cases of one kind.
 */
function referenceCases(suite: BenchCase[], count: number): BenchCase[] {
  const groups = new Map<string, BenchCase[]>();
  for (const c of suite) {
    if (c.axes.length !== 2 || c.snr < 100 || (c.kind !== 'T1IR-T2' && c.kind !== 'D-T2')) continue;
    const key = `${c.kind}/${c.snr}`;
    groups.set(key, [...(groups.get(key) ?? []), c]);
  }
  const lists = [...groups.values()];
  const picked: BenchCase[] = [];
  for (let round = 0; picked.length < count && lists.some((l) => l.length > round); round++) {
    lists.forEach((list, g) => {
      const c = list[(g + round) % list.length];
      if (c && picked.length < count && !picked.includes(c)) picked.push(c);
    });
  }
  return picked;
}

/** The case as a `lapis-acquisition/1` directory, for the reference drivers. */
/** The case as a lapis-acquisition/1 folder for the reference tools; an IR axis carries the β Lapis estimated. */
async function writeCase(dir: string, c: BenchCase, data: Float64Array, beta?: number): Promise<void> {
  const m2 = c.axes[1]?.values.length ?? 1;
  const lines: string[] = [];
  for (let i = 0; i < c.axes[0]!.values.length; i++)
    lines.push(Array.from(data.subarray(i * m2, (i + 1) * m2), (v) => v.toPrecision(17)).join(' '));
  await writeFile(join(dir, 'data.txt'), lines.join('\n') + '\n');
  const doc = {
    format: 'lapis-acquisition/1',
    experiment: c.kind === 'D-T2' ? 'D-T2' : c.axes.length === 2 ? 'T1-T2' : c.kind === 'T2' ? 'T2' : 'T1',
    sample: c.id,
    axes: c.axes.map((a) => ({
      kernel: a.kernel,
      values: Array.from(a.values),
      unit: a.kernel === 'D' ? 's/m2' : 's',
      ...(a.kernel === 'T1-IR' && beta !== undefined ? { beta } : {}),
    })),
    data: 'data.txt',
  };
  await writeFile(join(dir, 'acquisition.json'), JSON.stringify(doc));
}

async function main() {
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
      const base = {
        caseId: c.id,
        kind: c.kind,
        snr: c.snr,
        peaks: c.peaks.length,
        ...(c.separation ? { separation: c.separation } : {}),
        method,
      };
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
  if (!flag('--no-refs')) {
    const subset = referenceCases(suite, refCases);
    // flint-matched: FLINT on the very problem Lapis solved (Lapis' α) to Lapis' accuracy (tol 1e-9: at its default
    // tol FLINT stops ~10 % away from the optimum) — the like-for-like speed comparison of the two solvers.
    for (const variant of ['flint', 'flint-matched', 'mupen2d'] as const) {
      const tool = variant === 'flint-matched' ? 'flint' : variant;
      for (const c of subset) {
        const dir = await mkdtemp(join(tmpdir(), 'lapis-bench-'));
        try {
          // Simulated again (seeded, identical data) rather than kept: holding every case's data through the suite
          // grew the heap by 54 MB and lengthened the garbage-collection pauses that land on the timed inversions.
          const sim = simulateCase(c);
          // Tikhonov explicitly: flint-matched hands FLINT Lapis' Tikhonov α (the grid ranges are every method's);
          // neither tool estimates β, so both get Lapis' estimate.
          const lapis = invert(caseInput(c, sim.data), { method: 'tikhonov' });
          await writeCase(dir, c, sim.data, lapis.beta?.value);
          const ranges = lapis.axes.map((a) => [a.values[0]!, a.values[a.values.length - 1]!] as [number, number]);
          const ref = await runReference(
            tool,
            dir,
            ranges[0]!,
            ranges[1]!,
            variant === 'flint-matched' ? { alpha: lapis.solver.alpha, tol: 1e-9 } : {},
          );
          const base = {
            caseId: c.id,
            kind: c.kind,
            snr: c.snr,
            peaks: c.peaks.length,
            ...(c.separation ? { separation: c.separation } : {}),
            method: variant,
          };
          if ('unavailable' in ref) {
            console.log(`${variant}: unavailable — ${ref.unavailable}`);
            break;
          }
          // The reference's map analysed as Lapis' own: same peak finder, same data-SNR check (Lapis' σ̂ of the data).
          const s = scoreCase(c, caseInput(c, sim.data), {
            ...lapis,
            axes: [
              { ...lapis.axes[0]!, values: ref.grid1 },
              { ...lapis.axes[1]!, values: ref.grid2 },
            ],
            distribution: ref.distribution.map((v) => Math.max(v, 0)),
          });
          rows.push({
            ...base,
            ms: ref.elapsedMs,
            cpuMs: Number((ref.details as { cpuMs?: number }).cpuMs ?? NaN),
            worstPosition: s.worstPositionError,
            mapWorstPosition: s.map.worstPositionError,
            mapSpurious: s.map.spurious.length,
            worstFraction: s.worstFractionError,
            missed: s.missed.length,
            missedDataLimited: dataLimited(s),
            spurious: s.spurious.length,
            resolved: s.resolved,
            ...(ref.alpha ? { alpha: ref.alpha } : {}),
          });
          console.log(
            `${variant} ${c.id}: ${ref.elapsedMs.toFixed(0)} ms (Lapis ${LAPIS_SPEED_METHODS.map((m) => `${m} ${rows.find((r) => r.caseId === c.id && r.method === m)?.ms.toFixed(0)} ms`).join(', ')})`,
          );
        } catch (error) {
          console.log(`${variant} ${c.id}: failed — ${String(error).split('\n')[0]}`);
        } finally {
          await rm(dir, { recursive: true, force: true });
        }
      }
    }
  }

  // Summaries
  const groups: [string, (r: Row) => boolean][] = [
    ['2D', (r) => r.kind.includes('-')],
    ['1D', (r) => !r.kind.includes('-')],
  ];
  const fmt = (v: number, d = 3) => (Number.isFinite(v) ? v.toFixed(d) : '—');
  for (const [label, inGroup] of groups) {
    console.log(`\n${label} cases`);
    console.log(
      'method   | cases | med worst pos, dec (SNR≥100) | map: same, spurious | med frac err (SNR≥100) | missed ≥10% (data-limited) | spurious ≥5% | 0.5-dec pairs resolved (SNR≥300) | median ms | p90 ms | median cpu ms',
    );
    const names = [...new Set(rows.filter(inGroup).map((r) => r.method))];
    for (const m of names) {
      const rs = rows.filter((r) => inGroup(r) && r.method === m);
      const hi = rs.filter((r) => r.snr >= 100);
      const pairs = rs.filter((r) => r.separation === 0.5 && r.snr >= 300);
      const cells = [
        m.padEnd(8),
        String(rs.length).padStart(5),
        fmt(median(hi.map((r) => r.worstPosition))).padStart(28),
        `${fmt(median(hi.map((r) => r.mapWorstPosition)))}, ${rs.reduce((a, r) => a + r.mapSpurious, 0)}`.padStart(19),
        fmt(median(hi.map((r) => r.worstFraction))).padStart(22),
        `${rs.reduce((a, r) => a + r.missed, 0)} (${rs.reduce((a, r) => a + r.missedDataLimited, 0)})`.padStart(26),
        `${rs.reduce((a, r) => a + r.spurious, 0)}`.padStart(12),
        `${pairs.filter((r) => r.resolved).length}/${pairs.length}`.padStart(33),
        fmt(median(rs.map((r) => r.ms)), 1).padStart(9),
        fmt(
          quantile(
            rs.map((r) => r.ms),
            0.9,
          ),
          1,
        ).padStart(6),
        fmt(median(rs.map((r) => r.cpuMs)), 1).padStart(13),
      ];
      console.log(cells.join(' | '));
    }
    // β is estimated before any solver runs, the same for every method: reported once, from the first method's rows.
    for (const m of names.slice(0, 1)) {
      const errs = rows
        .filter((r) => inGroup(r) && r.method === m && r.betaError !== undefined)
        .map((r) => r.betaError!);
      if (!errs.length) continue;
      const hiErrs = rows
        .filter((r) => inGroup(r) && r.method === m && r.betaError !== undefined && r.snr >= 300)
        .map((r) => r.betaError!);
      console.log(
        `beta (every method): |β̂ − β| over ${errs.length} inversion-recovery cases (β 0.8–1, estimated): median ${fmt(median(errs))}, ` +
          `p90 ${fmt(quantile(errs, 0.9))}, max ${fmt(Math.max(...errs))}, within 0.01 ${errs.filter((e) => e <= 0.01).length}; ` +
          `SNR ≥ 300: median ${fmt(median(hiErrs))}, max ${fmt(Math.max(...hiErrs))}`,
      );
    }
    for (const m of names) {
      const rs = rows.filter((r) => inGroup(r) && r.method === m && r.sdChecked !== undefined);
      if (!rs.length) continue;
      const sum = (xs: Row[], k: 'within1Sd' | 'within2Sd' | 'within2SdOnly' | 'sdChecked') =>
        xs.reduce((a, r) => a + (r[k] ?? 0), 0);
      const ok = rs.filter((r) => r.resolved);
      const pct = (a: number, b: number) => (b ? `${((100 * a) / b).toFixed(0)} %` : '—');
      console.log(
        `uncertainty ${m}: 16 draws in ${fmt(median(rs.map((r) => r.uncertaintyMs ?? NaN)), 1)} ms median; true position within 1 / 2 × the uncertainty ` +
          `(2 × spread alone): ${pct(sum(rs, 'within1Sd'), sum(rs, 'sdChecked'))} / ${pct(sum(rs, 'within2Sd'), sum(rs, 'sdChecked'))} ` +
          `(${pct(sum(rs, 'within2SdOnly'), sum(rs, 'sdChecked'))}) of ${sum(rs, 'sdChecked')} peak axes; cases with every peak resolved: ` +
          `${pct(sum(ok, 'within1Sd'), sum(ok, 'sdChecked'))} / ${pct(sum(ok, 'within2Sd'), sum(ok, 'sdChecked'))} (${pct(sum(ok, 'within2SdOnly'), sum(ok, 'sdChecked'))}) of ${sum(ok, 'sdChecked')}`,
      );
    }
  }
  // Speed ratios against the references, on the cases both ran (wall and CPU time, per case, then the median), for
  // the default (Tikhonov) and for UPEN — like for like, FLINT is a Tikhonov solver and MUPen2D a UPEN one.
  for (const tool of ['flint', 'flint-matched', 'mupen2d']) {
    const refRows = rows.filter((r) => r.method === tool);
    if (refRows.length === 0) continue;
    const against = LAPIS_SPEED_METHODS.filter((m) => rows.some((x) => x.method === m)).map((m) => {
      const lapisOf = (r: Row) => rows.find((x) => x.caseId === r.caseId && x.method === m);
      const ratios = refRows.map((r) => r.ms / (lapisOf(r)?.ms ?? NaN));
      const cpuRatios = refRows.map((r) => r.cpuMs / (lapisOf(r)?.cpuMs ?? NaN));
      return (
        `Lapis ${m}${m === 'auto' ? ' (default)' : ''} is ${fmt(median(ratios), 0)}× faster in wall time ` +
        `(per-case min ${fmt(Math.min(...ratios), 0)}×), ${fmt(median(cpuRatios), 0)}× in CPU time (min ${fmt(Math.min(...cpuRatios), 0)}×)`
      );
    });
    console.log(
      `\n${tool}: ${refRows.length} cases, median ${fmt(median(refRows.map((r) => r.ms)), 0)} ms wall, ` +
        `${fmt(median(refRows.map((r) => r.cpuMs)), 0)} ms cpu; ${against.join('; ')}`,
    );
  }
  mkdirSync('bench-results', { recursive: true });
  writeFileSync(
    'bench-results/physics.json',
    JSON.stringify(
      { seed, date: new Date().toISOString(), cpu: cpus()[0]?.model, node: process.version, calibrationMs, rows },
      null,
      1,
    ),
  );
  console.log('\nrows written to bench-results/physics.json');
}

await main();
