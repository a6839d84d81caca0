/**
 * Runs the analysis on small simulated acquisitions so that V8 has compiled its hot loops before the first real one
 * arrives: a worker thread's first analysis otherwise runs interpreted and pays several times its warm cost
 * (docs/BENCHMARKS.md, "bench:cli"), and so does its first spectrum. The agent's workers call it when they start;
 * its results are thrown away.
 */
import type { Acquisition } from '@lapis/formats';
import { loadAnalysisDeps, type AnalysisDeps } from './deps';

/**
 * Milliseconds spent and the analyses that completed; never throws (a failed warm-up only leaves the first analysis
 * slower). `injected`: stand-ins for libs/physics (tests).
 */
export async function warmUpAnalysis(injected: Partial<AnalysisDeps> = {}): Promise<{ ms: number; done: number }> {
  const started = performance.now();
  let done = 0;
  try {
    const deps = await loadAnalysisDeps(injected);
    const physics = await import('@lapis/physics');
    const { analyseAcquisition } = await import('./analyseAcquisition');
    const delays = physics.logGrid(1e-4, 5, 24);
    const echoes = Float64Array.from({ length: 512 }, (_, i) => (i + 1) * 4e-4);
    const peaks = [
      { position: [0.02, 0.01], width: [0.1, 0.1], fraction: 0.5 },
      { position: [0.3, 0.08], width: [0.1, 0.1], fraction: 0.5 },
    ];
    // SNR 300 takes UPEN (auto), SNR 60 Tikhonov; then a 1D decay.
    const cases: Acquisition[] = [300, 60].map((snr, k) => ({
      experiment: 'T1-T2',
      axes: [
        { kernel: 'T1-IR', values: delays, unit: 's' },
        { kernel: 'T2', values: echoes, unit: 's' },
      ],
      data: physics.simulate({
        axes: [
          { spec: { kernel: 'T1-IR', beta: 0.95 }, x: delays },
          { spec: { kernel: 'T2' }, x: echoes },
        ],
        peaks,
        snr,
        seed: 11 + k,
      }).data,
      metadata: { source: 'simulated' },
      warnings: [],
    }));
    cases.push({
      experiment: 'T2',
      axes: [{ kernel: 'T2', values: echoes, unit: 's' }],
      data: physics.simulate({
        axes: [{ spec: { kernel: 'T2' }, x: echoes }],
        peaks: [{ position: [0.02], width: [0.1], fraction: 1 }],
        snr: 300,
        seed: 13,
      }).data,
      metadata: { source: 'simulated' },
      warnings: [],
    });
    const provenance = { software: 'lapis', version: 'warm-up', source: { format: 'simulated' } };
    for (const acq of cases) {
      await analyseAcquisition(acq, { method: 'auto' }, provenance as never, deps);
      done++;
    }
    await warmUpSpectrum();
    done++;
  } catch {
    // the real acquisitions will say what is wrong
  }
  return { ms: performance.now() - started, done };
}

/** An ordinary ¹H spectrum (a 16k-point FID with a doublet and singlets): processed and peak-picked, as the agent does. */
async function warmUpSpectrum(): Promise<void> {
  const { simulatePseudo2d } = await import('@lapis/formats');
  const { processSpectrum1d, pickPeaks1d } = await import('@lapis/spectra');
  const spectral = { sw: 6000, sfo1: 400.13, sf: 400.13, groupDelay: 67.98 };
  const lines = [7.26, 3.71, 3.69, 1.25].map((ppm) => ({ ppm, amplitudes: [1000], t2star: 0.3 }));
  const fid = simulatePseudo2d({ points: 16384, ...spectral, lines, noise: 5, seed: 17 });
  pickPeaks1d(processSpectrum1d(fid, spectral));
}
