/**
 * `npm run bench:nus` — reconstruction of non-uniformly sampled 2D spectra (issue 24, classical part).
 *
 * 1. Simulated HSQC-like spectra (libs/spectra nus/simulateNus.ts): States, 1024 complex F2 points × 256 complex t1
 *    points, SW 5000 Hz (F2) and 20 000 Hz (F1), 40 peaks with amplitudes over two decades, every fourth one
 *    overlapping its neighbour, noise so that the weakest lines have S/N ≈ 10–20 in the fully sampled spectrum;
 *    sine-weighted Poisson-gap schedules at 10, 25 and 50 % (seeded). Methods: IST with the virtual echo (the
 *    default when the F1 phase is known; also with a slower threshold schedule, ×0.95 per iteration down to 2 σ
 *    instead of ×0.9 to 3 σ), IST without it, and plain zero filling for scale. Against the fully
 *    sampled spectrum (the same plain 2D transform of both): Pearson correlation of the intensities at the 40 peak
 *    positions, RLNE over the whole spectrum, the median relative intensity error of the weakest quarter of the
 *    peaks; RLNE against the noise-free spectrum; reconstruction time per spectrum; iterations per column; the
 *    model residual and the hold-out prediction error relative to noise (a second run with 10 % held out), and
 *    how well the per-peak confidence (nusPeakConfidence: S/N against noise × that column's prediction error) ranks
 *    the peaks' intensity errors (Spearman), beside the plain S/N.
 * 2. The bruker-data-test NUS HSQC and COSY (when installed): reconstruction time and quality; correlation of the
 *    processed reconstruction with TopSpin's 2rr.
 * Pinned to one core by the npm script (tools/bench/pin.mjs). Writes bench-results/nus.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { processBrukerSpectrum2d, readBrukerNus, reconstructBrukerNus, reconstructBrukerNusWith } from '@lapis/formats';
import { openNusNetwork } from '@lapis/inference';
import {
  hsqcLikePeaks,
  istReconstruct,
  nusPeakConfidence,
  pearson,
  peakIntensities,
  plainSpectrum2d,
  poissonGapSchedule,
  rlne,
  sampleRows,
  simulateNus2d,
  type ComplexRows,
  type IstOptions,
} from '@lapis/spectra';
import { correlation2d, readProcessed2d } from '../../../libs/formats/src/bruker/testing/processed2d';
import { unzipTo } from '../../../libs/formats/src/testing/unzip';

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const SEEDS = option('seeds', 3);
const FIRST_SEED = option('seed', 1);
const POINTS = 1024;
const T1 = 256;
const SW1 = 20000;
const SW2 = 5000;
const PEAKS = 40;
const NOISE = 6;
const LEVELS = [0.1, 0.25, 0.5];

const ist = (options: IstOptions) => async (sampled: ComplexRows, schedule: Int32Array, extra: IstOptions = {}) =>
  istReconstruct(sampled, schedule, 'States', T1, { ...options, ...extra });
const VE = { f1Phase: { phase0: 0, phase1: 0 } };
const network = await openNusNetwork().catch((e: Error) => {
  console.log(`the NUS network did not load (${e.message}): IST only`);
  return undefined;
});
const METHODS: { name: string; solve: ReturnType<typeof ist> }[] = [
  ...(network
    ? [
        {
          name: 'network',
          solve: async (sampled: ComplexRows, schedule: Int32Array, extra: IstOptions = {}) =>
            network.reconstruct(sampled, schedule, 'States', T1, { ...VE, ...extra }),
        },
      ]
    : []),
  { name: 'IST + virtual echo', solve: ist(VE) },
  { name: 'IST + VE, slow', solve: ist({ ...VE, factor: 0.95, noiseFloor: 2 }) },
  { name: 'IST', solve: ist({ virtualEcho: false }) },
  { name: 'zero-filled', solve: ist({ noiseFloor: Infinity }) },
];

const median = (v: number[]) => {
  const s = [...v].sort((a, b) => a - b);
  return s.length ? s[s.length >> 1]! : NaN;
};
const ranks = (v: number[]) => {
  const order = v.map((x, i) => [x, i] as const).sort((a, b) => a[0] - b[0]);
  const r = new Array<number>(v.length);
  order.forEach(([, i], k) => (r[i] = k));
  return r;
};

interface Row {
  level: number;
  method: string;
  seed: number;
  correlation: number;
  rlne: number;
  rlneTruth: number;
  weakError: number;
  ms: number;
  iterations: number;
  residualToNoise: number;
  validationToNoise?: number;
  peakConfidenceSpearman?: number;
  snrSpearman?: number;
}

const rows: Row[] = [];
const context: { seed: number; fullRlneTruth: number; weakestSnr: number }[] = [];
for (let seed = FIRST_SEED; seed < FIRST_SEED + SEEDS; seed++) {
  const peaks = hsqcLikePeaks(seed, PEAKS, SW1, SW2);
  const sim = { mode: 'States' as const, points: POINTS, t1Points: T1, sw1: SW1, sw2: SW2, peaks };
  const full = simulateNus2d({ ...sim, noise: NOISE, seed });
  const ref = plainSpectrum2d(full, 'States');
  const truth = plainSpectrum2d(simulateNus2d(sim), 'States');
  const iRef = peakIntensities(ref, peaks, SW1, SW2, 'States');
  let noise2 = 0;
  for (let i = 0; i < ref.data.length; i++) noise2 += (ref.data[i]! - truth.data[i]!) ** 2;
  const sd = Math.sqrt(noise2 / ref.data.length);
  const iTruth = peakIntensities(truth, peaks, SW1, SW2, 'States');
  context.push({ seed, fullRlneTruth: rlne(ref.data, truth.data), weakestSnr: Math.min(...iTruth) / sd });
  const weak = Array.from(iRef.keys())
    .sort((a, b) => iRef[a]! - iRef[b]!)
    .slice(0, PEAKS / 4);
  // a highest-first F2 axis in fractions of the width, as nusPeakConfidence reads a processed spectrum's (bin 0 the
  // carrier, as plainSpectrum2d's columns and peakIntensities' positions)
  const axis = { ppm2: Float64Array.from({ length: POINTS }, (_, i) => (POINTS / 2 - 1 - i) / POINTS), noise: sd };
  for (const level of LEVELS) {
    const schedule = poissonGapSchedule(T1, Math.round(level * T1), seed);
    const sampled = sampleRows(full, schedule, 'States');
    for (const m of METHODS) {
      const { ser, quality } = await m.solve(sampled, schedule);
      const rec = plainSpectrum2d(ser, 'States');
      const iRec = peakIntensities(rec, peaks, SW1, SW2, 'States');
      const relErr = Array.from(iRec, (v, i) => Math.abs(v - iRef[i]!) / Math.abs(iRef[i]!));
      const row: Row = {
        level,
        method: m.name,
        seed,
        correlation: pearson(iRec, iRef),
        rlne: rlne(rec.data, ref.data),
        rlneTruth: rlne(rec.data, truth.data),
        weakError: median(weak.map((i) => relErr[i]!)),
        ms: quality.milliseconds,
        iterations: quality.iterations.mean,
        residualToNoise: quality.residualToNoise,
      };
      if (m.name !== 'zero-filled') {
        const v = (await m.solve(sampled, schedule, { validation: 0.1 })).quality.validation!;
        row.validationToNoise = v.errorToNoise;
        const confidence = nusPeakConfidence(
          axis,
          peaks.map((p, i) => ({ shift2: Math.round((p.nu2 / SW2) * POINTS) / POINTS, height: iRec[i]! })),
          v,
        );
        row.peakConfidenceSpearman = pearson(ranks(confidence.map((c) => 1 / c.effectiveSnr)), ranks(relErr));
        row.snrSpearman = pearson(ranks(Array.from(iRec, (x) => 1 / Math.abs(x))), ranks(relErr));
      }
      rows.push(row);
    }
  }
}

const f = (x: number | undefined, d = 3) => (x === undefined || !Number.isFinite(x) ? '–' : x.toFixed(d));
console.log(
  `NUS reconstruction, simulated HSQC-like States data: ${POINTS} × ${T1} complex points, ${PEAKS} peaks, seeds ${FIRST_SEED}–${FIRST_SEED + SEEDS - 1}`,
);
for (const c of context)
  console.log(
    `  seed ${c.seed}: fully sampled vs noise-free RLNE ${f(c.fullRlneTruth)}, weakest peak S/N ${f(c.weakestSnr, 1)}`,
  );
const summary: Record<string, unknown>[] = [];
for (const level of LEVELS) {
  console.log(
    `\nsampling ${100 * level} % (${Math.round(level * T1)} of ${T1} t1 points), median over seeds [min–max]:`,
  );
  console.log(
    `  ${'method'.padEnd(20)}${'correlation'.padStart(26)}${'RLNE'.padStart(22)}${'RLNE truth'.padStart(12)}${'weak err'.padStart(10)}${'ms'.padStart(8)}${'iter'.padStart(7)}${'res/σ'.padStart(7)}${'val/σ'.padStart(7)}${'conf ρ'.padStart(8)}${'1/I ρ'.padStart(7)}`,
  );
  for (const m of METHODS) {
    const r = rows.filter((x) => x.level === level && x.method === m.name);
    const col = (k: keyof Row) => r.map((x) => x[k] as number).filter((x) => x !== undefined);
    const span = (k: keyof Row, d: number) =>
      `${f(median(col(k)), d)} [${f(Math.min(...col(k)), d)}–${f(Math.max(...col(k)), d)}]`;
    console.log(
      `  ${m.name.padEnd(20)}${span('correlation', 5).padStart(26)}${span('rlne', 3).padStart(22)}${f(median(col('rlneTruth'))).padStart(12)}${f(median(col('weakError'))).padStart(10)}${f(median(col('ms')), 0).padStart(8)}${f(median(col('iterations')), 1).padStart(7)}${f(median(col('residualToNoise')), 2).padStart(7)}${f(median(col('validationToNoise')), 2).padStart(7)}${f(median(col('peakConfidenceSpearman')), 2).padStart(8)}${f(median(col('snrSpearman')), 2).padStart(7)}`,
    );
    summary.push({
      level,
      method: m.name,
      correlation: median(col('correlation')),
      correlationMin: Math.min(...col('correlation')),
      rlne: median(col('rlne')),
      rlneTruth: median(col('rlneTruth')),
      weakPeakError: median(col('weakError')),
      msPerSpectrum: median(col('ms')),
      iterationsPerColumn: median(col('iterations')),
      residualToNoise: median(col('residualToNoise')),
      validationToNoise: median(col('validationToNoise')),
      peakConfidenceSpearman: median(col('peakConfidenceSpearman')),
    });
  }
}
console.log(
  '(correlation of the 40 peak intensities and RLNE against the fully sampled spectrum; weak err: median relative\n' +
    ' intensity error of the weakest 10 peaks; ms: reconstruction per spectrum, one core; iter: per column;\n' +
    ' res/σ: model residual at the sampled points over noise; val/σ: hold-out prediction error over noise;\n' +
    ' conf ρ: Spearman correlation, across peaks, of 1/nusPeakConfidence effectiveSnr with their intensity error;\n' +
    ' 1/I ρ: the same for 1/intensity, i.e. the plain S/N)',
);

const real: Record<string, unknown>[] = [];
let pkg: string | undefined;
try {
  pkg = dirname(dirname(createRequire(import.meta.url).resolve('bruker-data-test')));
} catch {
  console.log('\nreal spectra: bruker-data-test not installed, skipped');
}
if (pkg) {
  const tmp = await mkdtemp(join(tmpdir(), 'lapis-bench-nus-'));
  console.log('\nbruker-data-test NUS spectra (25 %): IST, then the folder’s processing, against TopSpin’s 2rr');
  for (const [name, expno] of [
    ['hsqc-nus', '3'],
    ['cosy-nus', '2'],
  ] as const) {
    await unzipTo(join(pkg, 'data', 'zipped', 'nonUniformSampling', `${name}.zip`), join(tmp, name));
    const dir = join(tmp, name, expno);
    const read = await readBrukerNus(dir);
    const { spectrum, quality } = reconstructBrukerNus(read);
    const topspin = await readProcessed2d(dir);
    const corr = correlation2d(processBrukerSpectrum2d(spectrum, { phase: 'procs' }), topspin);
    const zf = reconstructBrukerNus(read, { noiseFloor: Infinity }).spectrum;
    const corrZf = correlation2d(processBrukerSpectrum2d(zf, { phase: 'procs' }), topspin);
    let networkEntry: { ms: number; residualToNoise: number; correlation2rr: number } | undefined;
    if (network && quality.virtualEcho) {
      const r = await reconstructBrukerNusWith(read, network.reconstruct);
      networkEntry = {
        ms: r.quality.milliseconds,
        residualToNoise: r.quality.residualToNoise,
        correlation2rr: correlation2d(processBrukerSpectrum2d(r.spectrum, { phase: 'procs' }), topspin),
      };
    }
    const entry = {
      name,
      mode: spectrum.spectral.mode,
      size: `${read.spectrum.ser.points} × ${read.t1Points}`,
      sampled: read.schedule.length,
      ms: quality.milliseconds,
      iterations: quality.iterations.mean,
      residualToNoise: quality.residualToNoise,
      virtualEcho: quality.virtualEcho,
      correlation2rr: corr,
      correlation2rrZeroFilled: corrZf,
      ...(networkEntry ? { network: networkEntry } : {}),
    };
    real.push(entry);
    console.log(
      `  ${name.padEnd(10)} ${entry.mode.padEnd(14)} ${entry.size.padEnd(12)} IST ${f(entry.ms, 0)} ms, ${f(entry.iterations, 1)} it/column, res/σ ${f(entry.residualToNoise, 2)}; correlation with 2rr ${f(corr, 4)} (zero-filled ${f(corrZf, 4)})`,
    );
    console.log(
      networkEntry
        ? `  ${''.padEnd(38)}network ${f(networkEntry.ms, 0)} ms, res/σ ${f(networkEntry.residualToNoise, 2)}; correlation with 2rr ${f(networkEntry.correlation2rr, 4)}`
        : `  ${''.padEnd(38)}network: not for this folder (QF: no virtual echo)`,
    );
  }
  await rm(tmp, { recursive: true, force: true });
}

mkdirSync('bench-results', { recursive: true });
writeFileSync(
  'bench-results/nus.json',
  JSON.stringify(
    {
      date: new Date().toISOString(),
      cpu: cpus()[0]?.model,
      node: process.version,
      simulated: {
        points: POINTS,
        t1Points: T1,
        sw1: SW1,
        sw2: SW2,
        peaks: PEAKS,
        noise: NOISE,
        seeds: SEEDS,
        context,
      },
      summary,
      rows,
      real,
    },
    null,
    2,
  ) + '\n',
);
console.log('\nwrote bench-results/nus.json');
