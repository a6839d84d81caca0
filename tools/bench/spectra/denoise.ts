/**
 * bench:spectra, denoising for display (issue 23): simulated ¹H spectra made as an instrument makes them — a FID of
 * 16k complex points with multiplets of lines 0.8–3 Hz wide whose heights are 5–20 × the noise of the processed
 * spectrum, processed by processSpectrum1d (zero filling ×2, so neighbouring noise points are correlated) — and the
 * same FID without noise, processed with the same phases, as the truth. Per method: the RMS error against the truth
 * (gain = noisy's / method's), the noise left where there are no lines (S/N gain = lines' heights over that noise,
 * against the noisy spectrum's), and each line's integral over ±3 widths against the truth's (bias: mean signed and
 * mean absolute error). Methods: the wavelet baseline (libs/spectra waveletDenoise) and the network (libs/inference
 * openDenoiser) when its model is in models/. Seeds differ from anything the network was trained on (it was trained
 * in Python on its own simulator).
 */
import { existsSync } from 'node:fs';
import { createRng } from '@lapis/physics';
import { simulatePseudo2d } from '@lapis/formats';
import { processSpectrum1d, spectrumNoise, waveletDenoise } from '@lapis/spectra';

const SW = 6000;
const SF = 400.13;
const POINTS = 16384;

interface Case {
  noisy: Float64Array;
  clean: Float64Array;
  sigma: number;
  /** Each line's window (point range) for the integrals, and its height in the clean spectrum. */
  lines: { from: number; to: number }[];
  /** Points more than 20 widths from any line: where only noise is. */
  empty: Uint8Array;
}

function simulateCase(seed: number): Case {
  const rng = createRng(seed);
  // carrier at 4.75 ppm: the window spans −2.75 … 12.25 ppm
  const spectral = { sw: SW, sfo1: SF + 1900e-6, sf: SF, groupDelay: 0 };
  const noise = 40;
  // 6–12 multiplets, each line `amplitude` × the processed noise high (doublet partners add a little)
  const lines: { ppm: number; amplitude: number; widthHz: number }[] = [];
  const count = 6 + Math.floor(rng.next() * 7);
  for (let m = 0; m < count; m++) {
    const ppm = 0.5 + 9 * rng.next();
    const widthHz = 0.8 + 2.2 * rng.next();
    const snr = 5 + 15 * rng.next();
    const j = (4 + 8 * rng.next()) / SF;
    const parts = rng.next() < 0.5 ? [0] : [-j / 2, j / 2];
    for (const d of parts) lines.push({ ppm: ppm + d, amplitude: snr, widthHz });
  }
  const make = (sigma: number, amplitudes: number[]) =>
    simulatePseudo2d({
      points: POINTS,
      ...spectral,
      lines: lines.map((l, i) => ({ ppm: l.ppm, amplitudes: [amplitudes[i]!], t2star: 1 / (Math.PI * l.widthHz) })),
      noise: sigma,
      seed,
    });
  const fixed = { phase0: 0, phase1: 0, baseline: 'linear' as const, untruncate: false };
  // amplitudes that put each line at `amplitude` × the processed noise σ: unit lines' heights, the noise alone
  const unit = processSpectrum1d(
    make(
      0,
      lines.map(() => 1),
    ),
    spectral,
    fixed,
  );
  const sigma = spectrumNoise(
    processSpectrum1d(
      make(
        noise,
        lines.map(() => 0),
      ),
      spectral,
      fixed,
    ).real,
  );
  const index = (ppm: number) =>
    Math.round(((unit.ppm[0]! - ppm) / (unit.ppm[0]! - unit.ppm[unit.ppm.length - 1]!)) * (unit.real.length - 1));
  const amplitudes = lines.map((l) => (l.amplitude * sigma) / unit.real[index(l.ppm)]!);
  const noisy = processSpectrum1d(make(noise, amplitudes), spectral, fixed);
  const clean = processSpectrum1d(make(0, amplitudes), spectral, fixed);
  const hz = noisy.hzPerPoint;
  const at = (ppm: number) =>
    ((noisy.ppm[0]! - ppm) / (noisy.ppm[0]! - noisy.ppm[noisy.ppm.length - 1]!)) * (noisy.real.length - 1);
  const n = noisy.real.length;
  const empty = new Uint8Array(n).fill(1);
  const windows: { from: number; to: number }[] = [];
  for (const l of lines) {
    const c = at(l.ppm);
    const w = (l.widthHz + 0.3) / hz;
    windows.push({ from: Math.max(0, Math.floor(c - 3 * w)), to: Math.min(n - 1, Math.ceil(c + 3 * w)) });
    for (let i = Math.max(0, Math.floor(c - 20 * w)); i <= Math.min(n - 1, c + 20 * w); i++) empty[i] = 0;
  }
  return { noisy: noisy.real, clean: clean.real, sigma: spectrumNoise(noisy.real), lines: windows, empty };
}

interface Score {
  rmse: number[];
  emptyNoise: number[];
  heights: number[];
  bias: number[];
  ms: number[];
}

function score(c: Case, y: Float64Array, into: Score, ms: number): void {
  let se = 0;
  for (let i = 0; i < y.length; i++) se += (y[i]! - c.clean[i]!) ** 2;
  into.rmse.push(Math.sqrt(se / y.length));
  let s2 = 0;
  let m = 0;
  for (let i = 0; i < y.length; i++) {
    if (!c.empty[i]) continue;
    s2 += y[i]! ** 2;
    m++;
  }
  into.emptyNoise.push(Math.sqrt(s2 / Math.max(1, m)));
  for (const w of c.lines) {
    let a = 0;
    let t = 0;
    let h = -Infinity;
    for (let i = w.from; i <= w.to; i++) {
      a += y[i]!;
      t += c.clean[i]!;
      h = Math.max(h, y[i]!);
    }
    into.bias.push((a - t) / t);
    into.heights.push(h);
  }
  into.ms.push(ms);
}

const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
const median = (v: number[]) => [...v].sort((a, b) => a - b)[v.length >> 1]!;

export async function benchDenoise(seed: number, cases: number, modelPath?: string): Promise<Record<string, unknown>> {
  const methods: Record<string, (c: Case) => Promise<Float64Array>> = {
    noisy: async (c) => c.noisy,
    wavelet: async (c) => waveletDenoise(c.noisy).real,
  };
  let release: (() => Promise<void>) | undefined;
  if (modelPath && existsSync(modelPath)) {
    const { openDenoiser } = await import('@lapis/inference');
    const model = await openDenoiser(modelPath);
    release = model.release;
    methods.network = (c) => model.denoise(c.noisy, c.sigma);
  }
  const scores: Record<string, Score> = {};
  for (const name of Object.keys(methods)) scores[name] = { rmse: [], emptyNoise: [], heights: [], bias: [], ms: [] };
  for (let k = 0; k < cases; k++) {
    const c = simulateCase(seed + k);
    for (const [name, run] of Object.entries(methods)) {
      await run(c); // warm
      const t = performance.now();
      const y = await run(c);
      score(c, y, scores[name]!, performance.now() - t);
    }
  }
  await release?.();
  const base = scores.noisy!;
  const report: Record<string, unknown> = {};
  console.log(
    `\ndenoising for display: ${cases} simulated spectra (32768 points, lines 0.8–3 Hz at S/N 5–20), against the noise-free truth`,
  );
  console.log(
    `${'method'.padEnd(9)}${'RMS error gain'.padStart(16)}${'S/N gain'.padStart(10)}${'integral bias: mean'.padStart(21)}${'|mean|'.padStart(8)}${'ms'.padStart(8)}`,
  );
  for (const [name, s] of Object.entries(scores)) {
    const rmseGain = median(base.rmse.map((r, i) => r / s.rmse[i]!));
    const snrGain =
      median(s.heights.map((h, i) => h / s.emptyNoise[Math.floor(i / (s.heights.length / s.emptyNoise.length))]!)) /
      median(
        base.heights.map(
          (h, i) => h / base.emptyNoise[Math.floor(i / (base.heights.length / base.emptyNoise.length))]!,
        ),
      );
    const bias = mean(s.bias);
    const absBias = mean(s.bias.map(Math.abs));
    const ms = median(s.ms);
    report[name] = { rmseGain, snrGain, bias, absBias, ms };
    console.log(
      `${name.padEnd(9)}${rmseGain.toFixed(2).padStart(15)}×${snrGain.toFixed(2).padStart(9)}×${(100 * bias).toFixed(2).padStart(19)} %${(100 * absBias).toFixed(2).padStart(6)} %${ms.toFixed(1).padStart(8)}`,
    );
  }
  return report;
}
