/**
 * `npm run bench:spectra` — peak picking and processing of 1D spectra (issue 23).
 *
 * 1. Simulated spectra with known lines (cases.ts; seeds from --seed, --cases of them): Lapis' classical picker
 *    (libs/spectra pickPeaks1d) and ml-gsd 14 (Cheminfo, MIT: gsd with realTopDetection, then optimizePeaks with
 *    pseudo-Voigt lines) on the same input — the spectrum less its Whittaker baseline, the noise σ estimated from it
 *    (spectrumNoise) and the same threshold, 5 σ, for both. Recall by line S/N and for overlapped lines, precision
 *    over all picked peaks, position error in line widths.
 * 2. Real spectra (bruker-data-test, when installed): TopSpin's listed peaks found within 0.005 ppm, both pickers on
 *    Lapis' processed spectrum; Lapis' processing and picking time on each, warm.
 * 3. Time: processing + picking of a 64k-point spectrum (a simulated TopSpin FID of 32k complex points), warm median
 *    of 10 after 3, and each picker alone.
 *    With models/lapis-pick1d.json present, the network picker too ("lapis-net": the network's candidates fitted
 *    back and compared with the classical answer region by region, pickPeaks1dFromCandidates; "net-only": the
 *    network's candidates as they come, no fit) in 1 and 2, and its inference time in 3.
 * 4. Denoising for display (denoise.ts): RMS error and S/N gains and integral bias of the wavelet baseline and the
 *    network against noise-free truth.
 * Pinned to one core by the npm script (tools/bench/pin.mjs). Writes bench-results/spectra.json.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { gsd, optimizePeaks } from 'ml-gsd';
import { processBrukerSpectrum, readBrukerSpectrum, simulatePseudo2d } from '@lapis/formats';
import {
  pickPeaks1d,
  pickPeaks1dFromCandidates,
  processSpectrum1d,
  spectrumNoise,
  whittakerBaseline,
  type Spectrum1d,
} from '@lapis/spectra';
import { unzipTo } from '../../../libs/formats/src/testing/unzip';
import { defaultDenoiserPath, defaultPeakPickerPath, openPeakPicker } from '@lapis/inference';
import { simulateSpectrum } from './cases';
import { benchDenoise } from './denoise';
import { BINS, resolvableLines, scorePeaks, type Score } from './score';

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const CASES = option('cases', 40);
const SEED = option('seed', 20261207);
const MIN_SNR = 5;

/** ml-gsd on a spectrum (x ascending), peaks as point indices of the spectrum. */
function mlGsd(s: Spectrum1d): { x: number }[] {
  const n = s.real.length;
  // ml-gsd wants x rising: point index reversed
  const x = Float64Array.from({ length: n }, (_, i) => i);
  const y = Float64Array.from(s.real);
  const found = gsd({ x, y }, { noiseLevel: MIN_SNR * s.noise, realTopDetection: true, smoothY: false });
  const optimized = optimizePeaks({ x, y }, found, { shape: { kind: 'pseudoVoigt' } });
  return optimized.map((p) => ({ x: p.x }));
}

const pickerPath = defaultPeakPickerPath();
const netModel = existsSync(pickerPath) ? await openPeakPicker(pickerPath) : undefined;

async function lapisNet(s: Spectrum1d): Promise<{ x: number }[]> {
  const step = s.ppm[1]! - s.ppm[0]!;
  const candidates = await netModel!.candidates(s.real, s.noise);
  return pickPeaks1dFromCandidates(s, candidates, { minSnr: MIN_SNR }).peaks.map((p) => ({
    x: (p.shift - s.ppm[0]!) / step,
  }));
}

async function netOnly(s: Spectrum1d): Promise<{ x: number }[]> {
  return netModel!.candidates(s.real, s.noise);
}

function lapis(s: Spectrum1d): { x: number }[] {
  const step = s.ppm[1]! - s.ppm[0]!;
  return pickPeaks1d(s, { minSnr: MIN_SNR }).peaks.map((p) => ({ x: (p.shift - s.ppm[0]!) / step }));
}

/** The spectrum as both pickers get it: its Whittaker baseline removed, σ estimated. */
function prepared(s: Spectrum1d): Spectrum1d {
  const z = whittakerBaseline(s.real);
  const real = Float64Array.from(s.real, (v, i) => v - z[i]!);
  return { ...s, real, noise: spectrumNoise(real) };
}

function median(v: number[]): number {
  const s = [...v].sort((a, b) => a - b);
  return s.length ? s[s.length >> 1]! : NaN;
}

function quantile(v: number[], q: number): number {
  const s = [...v].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(q * s.length))]! : NaN;
}

const report: Record<string, unknown> = {
  date: new Date().toISOString(),
  cpu: cpus()[0]?.model,
  node: process.version,
  cases: CASES,
  seed: SEED,
};

// 1. simulated
const scores: Record<string, Score> = {};
const resolvable: Record<string, Score> = {};
let mergedLines = 0;
const pickers: Record<string, (s: Spectrum1d) => { x: number }[] | Promise<{ x: number }[]>> = {
  lapis,
  'ml-gsd': mlGsd,
  ...(netModel ? { 'lapis-net': lapisNet, 'net-only': netOnly } : {}),
};
for (let c = 0; c < CASES; c++) {
  const { spectrum, truth } = simulateSpectrum(SEED + c);
  const input = prepared(spectrum);
  const lines = resolvableLines(truth);
  mergedLines += truth.length - lines.length;
  for (const [name, pick] of Object.entries(pickers)) {
    const picked = await pick(input);
    scores[name] = scorePeaks(truth, picked, scores[name]);
    resolvable[name] = scorePeaks(lines, picked, resolvable[name]);
  }
}
console.log(
  `simulated: ${CASES} spectra, 16384 points, lines 0.8–3 Hz, S/N 5–1000, overlaps to half a width; threshold ${MIN_SNR} σ`,
);
report.simulated = printScores('every line, coincident ones too', scores);
report.simulatedResolvable = printScores(
  `lines ≥ half a width apart (the issue's overlaps; ${mergedLines} lines closer than that scored with their neighbour)`,
  resolvable,
);
console.log('(recall per bin: found/lines, fraction, position error median/95th percentile in line widths)');

/** One table of recall per bin and precision per picker; returns the figures for the JSON report. */
function printScores(title: string, table: Record<string, Score>): Record<string, unknown> {
  console.log(`${title}:`);
  console.log(`${'picker'.padEnd(10)} ${BINS.map((b) => b.padStart(34)).join('')} ${'precision'.padStart(10)}`);
  const simulated: Record<string, unknown> = {};
  for (const [name, s] of Object.entries(table)) {
    const cells = BINS.map((b) => {
      const t = s.bins[b]!;
      return `${t.found}/${t.lines} ${(t.found / t.lines).toFixed(3)} (Δ ${median(t.errors).toFixed(3)}/${quantile(t.errors, 0.95).toFixed(2)} w)`.padStart(
        34,
      );
    });
    const precision = s.matched / s.picked;
    console.log(`${name.padEnd(10)} ${cells.join('')} ${precision.toFixed(3).padStart(10)}`);
    simulated[name] = {
      precision,
      picked: s.picked,
      bins: Object.fromEntries(
        BINS.map((b) => [
          b,
          {
            recall: s.bins[b]!.found / s.bins[b]!.lines,
            lines: s.bins[b]!.lines,
            medianError: median(s.bins[b]!.errors),
            p95Error: quantile(s.bins[b]!.errors, 0.95),
          },
        ]),
      ),
    };
  }
  return simulated;
}

// 2. real spectra
const real: Record<string, unknown> = {};
let pkg: string | undefined;
try {
  pkg = dirname(dirname(createRequire(import.meta.url).resolve('bruker-data-test')));
} catch {
  console.log('real spectra: bruker-data-test not installed, skipped');
}
if (pkg) {
  const root = await mkdtemp(join(tmpdir(), 'lapis-bench-spectra-'));
  try {
    console.log('\nreal spectra (bruker-data-test): TopSpin peaks found within 0.005 ppm, threshold 5 σ');
    for (const [zip, folder] of [
      ['aspirin-1h', '1'],
      ['naphtoicAcid-1h', '1'],
      ['strychnine-1h', 'strychnine/10'],
    ] as const) {
      await unzipTo(join(pkg, 'data', 'zipped', `${zip}.zip`), join(root, zip));
      const read = await readBrukerSpectrum(join(root, zip, folder));
      const s = processBrukerSpectrum(read);
      const step = s.ppm[1]! - s.ppm[0]!;
      const row: Record<string, unknown> = { topspin: read.vendorPeaks!.length };
      let line = `  ${zip.padEnd(16)} TopSpin ${String(read.vendorPeaks!.length).padStart(4)}:`;
      for (const [name, pick] of Object.entries(pickers)) {
        const shifts = (await pick(s)).map((p) => s.ppm[0]! + p.x * step);
        const found = read.vendorPeaks!.filter((v) => shifts.some((x) => Math.abs(x - v.shift) <= 0.005)).length;
        row[name] = { found, picked: shifts.length };
        line += `  ${name} ${found} (${((100 * found) / read.vendorPeaks!.length).toFixed(1)} %) of ${shifts.length} picked`;
      }
      // what a user's spectrum costs (the simulated one below is sparser): warm medians of 3 after one
      const timed = (f: () => unknown) => {
        const v: number[] = [];
        for (let r = 0; r < 4; r++) {
          const t = performance.now();
          f();
          if (r > 0) v.push(performance.now() - t);
        }
        return median(v);
      };
      const processMs = timed(() => processBrukerSpectrum(read));
      const pickMs = timed(() => pickPeaks1d(s, { minSnr: MIN_SNR }));
      row.timeMs = { process: processMs, pick: pickMs, points: s.real.length };
      line += `  (${s.real.length} points: process ${processMs.toFixed(0)} ms, pick ${pickMs.toFixed(0)} ms warm)`;
      real[zip] = row;
      console.log(line);
    }
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}
report.real = real;

// 3. time
const fid = simulatePseudo2d({
  points: 32768,
  sw: 8000,
  sfo1: 400.13,
  lines: simulateSpectrum(SEED).truth.map((l) => ({
    ppm: 4 + (l.ppm - 5) * 0.8,
    amplitudes: [l.height * 300],
    t2star: 1 / (Math.PI * 1.5),
  })),
  groupDelay: 68,
  noise: 10,
  seed: SEED,
});
const spectral = { sw: 8000, sfo1: 400.13, sf: 400.13, groupDelay: 68 };
const times: Record<string, number[]> = { 'process + pick (lapis)': [], 'pick (lapis)': [], 'pick (ml-gsd)': [] };
if (netModel) {
  times['network (gated, default)'] = [];
  times['network, whole spectrum'] = [];
  times['pick (lapis-net)'] = [];
}
for (let r = 0; r < 13; r++) {
  let t = performance.now();
  const s = processSpectrum1d(fid, spectral, { size: 65536 });
  lapis(s);
  const whole = performance.now() - t;
  t = performance.now();
  lapis(s);
  const pick = performance.now() - t;
  t = performance.now();
  mlGsd(s);
  const other = performance.now() - t;
  if (r >= 3) {
    times['process + pick (lapis)']!.push(whole);
    times['pick (lapis)']!.push(pick);
    times['pick (ml-gsd)']!.push(other);
  }
}
// the network's own loop, the variants in turn: after ml-gsd's allocations, the garbage they leave is collected
// during whatever runs next, which would charge it to the network
if (netModel) {
  const s = processSpectrum1d(fid, spectral, { size: 65536 });
  const variants: [string, () => Promise<unknown>][] = [
    ['network (gated, default)', () => netModel.candidates(s.real, s.noise, { gate: true })],
    ['network, whole spectrum', () => netModel.candidates(s.real, s.noise, { gate: false })],
    ['pick (lapis-net)', () => lapisNet(s)],
  ];
  for (let r = 0; r < 13; r++)
    for (const [name, f] of r % 2 ? [...variants].reverse() : variants) {
      const t = performance.now();
      await f();
      if (r >= 3) times[name]!.push(performance.now() - t);
    }
}
console.log('\ntime, 65536-point spectrum (32k complex points), warm, median of 10 [min–max]:');
const time: Record<string, number> = {};
for (const [k, v] of Object.entries(times)) {
  time[k] = median(v);
  console.log(
    `  ${k.padEnd(28)} ${median(v).toFixed(1).padStart(7)} ms [${Math.min(...v).toFixed(1)}–${Math.max(...v).toFixed(1)}]`,
  );
}
report.timeMs = time;
await netModel?.release();

// 4. denoising for display
report.denoise = await benchDenoise(SEED, option('denoise-cases', 12), defaultDenoiserPath());
mkdirSync('bench-results', { recursive: true });
writeFileSync('bench-results/spectra.json', JSON.stringify(report, null, 2) + '\n');
console.log('\nwrote bench-results/spectra.json');
