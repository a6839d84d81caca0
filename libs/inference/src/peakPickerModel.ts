/**
 * The 1D network peak picker (`task: "pick-1d"`, trained by tools/training/picker/train_picker.py on simulated
 * spectra): a small 1D U-Net that takes a baseline-corrected spectrum in units of its noise σ and returns, per point,
 * the probability of a line centre there and the line's width. Candidates are the local maxima of that probability
 * above 0.5; they are not an answer by themselves — @lapis/spectra's pickPeaks1dFromCandidates fits them back to
 * the spectrum and keeps the classical picker's answer wherever theirs explains the data worse (docs/spectra.md,
 * "Network picker"). Its manifest is checked and its bytes verified (sha256) like the Laplace network's.
 */
import * as ort from 'onnxruntime-node';
import type { ExecutionProviderName } from './providers';
import {
  openSpectrumModel,
  modelManifestPath,
  type SpectrumModelManifest,
  type SpectrumModelOptions,
} from './spectrumModel';

export const PEAK_PICKER_ID = 'lapis-pick1d';

export type PeakPickerManifest = SpectrumModelManifest<'pick-1d'>;

export interface NetworkCandidate {
  /** Centre, points (fractional: a parabola through the probability's maximum and its neighbours). */
  x: number;
  /** Full width at half height the network estimates, points. */
  width: number;
  /** Probability of a line centre at the maximum. */
  probability: number;
}

export interface PeakCandidatesOptions {
  /** Least probability of a candidate (default 0.5). */
  threshold?: number;
  /**
   * Run the network only on the stretches that hold signal (default false): points above 4 σ, or whose 5-point mean
   * is above 2 σ, ± 192 points (the network's reach); the rest of a spectrum, noise, holds no line it would pick.
   * On bench:spectra's 64k-point spectrum the gate was slower than one run over the whole (many stretches, each a
   * run): it pays only on sparse spectra.
   */
  gate?: boolean;
}

export interface PeakPickerModel {
  manifest: PeakPickerManifest;
  provider: ExecutionProviderName;
  /** Candidate lines of a baseline-corrected spectrum (its own units; `sigma` its noise σ, e.g. spectrumNoise). */
  candidates(real: ArrayLike<number>, sigma: number, options?: PeakCandidatesOptions): Promise<NetworkCandidate[]>;
  release(): Promise<void>;
}

/** models/lapis-pick1d.json (or LAPIS_PEAK_PICKER). */
export function defaultPeakPickerPath(env: NodeJS.ProcessEnv = process.env): string {
  return modelManifestPath(PEAK_PICKER_ID, 'LAPIS_PEAK_PICKER', env);
}

/** Stretches [from, to) of a spectrum (in σ units) that hold signal, widened by `reach`, merged. */
function signalStretches(z: Float32Array, reach: number): [number, number][] {
  const n = z.length;
  const out: [number, number][] = [];
  const sum = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) sum[i + 1] = sum[i]! + z[i]!;
  for (let i = 0; i < n; i++) {
    const lo = Math.max(0, i - 2);
    const hi = Math.min(n, i + 3);
    if (!(z[i]! > 4 || (sum[hi]! - sum[lo]!) / (hi - lo) > 2)) continue;
    const from = Math.max(0, i - reach);
    const to = Math.min(n, i + reach + 1);
    const last = out[out.length - 1];
    if (last && from <= last[1]) last[1] = Math.max(last[1], to);
    else out.push([from, to]);
  }
  return out;
}

/** Loads, verifies and opens the peak picker (CPU unless `providers` says otherwise; one thread by default). */
export async function openPeakPicker(
  manifestPath = defaultPeakPickerPath(),
  options: SpectrumModelOptions = {},
): Promise<PeakPickerModel> {
  const { manifest, session, provider } = await openSpectrumModel(manifestPath, 'pick-1d', options);
  /** Probability and width of z[from..to) (σ units), z mirrored at its ends to a multiple of 8 points. */
  const run = async (z: Float32Array, from: number, to: number) => {
    const m = to - from;
    const padded = Math.max(8, Math.ceil(m / 8) * 8);
    const input = new Float32Array(padded);
    for (let i = 0; i < padded; i++) {
      let j = from + i;
      if (j >= to) j = Math.max(from, 2 * to - 2 - j);
      input[i] = z[j]!;
    }
    const out = await session.run({ [manifest.input.name]: new ort.Tensor('float32', input, [1, 1, padded]) });
    const data = out[manifest.output.name]!.data as Float32Array;
    return { logit: data.subarray(0, m), logWidth: data.subarray(padded, padded + m) };
  };
  const candidates = async (
    real: ArrayLike<number>,
    sigma: number,
    opts: PeakCandidatesOptions = {},
  ): Promise<NetworkCandidate[]> => {
    if (!(sigma > 0)) throw new RangeError(`peak picker: the noise σ must be > 0, got ${sigma}`);
    const threshold = opts.threshold ?? 0.5;
    const n = real.length;
    const z = Float32Array.from({ length: n }, (_, i) => real[i]! / sigma);
    const stretches = opts.gate ? signalStretches(z, 192) : [[0, n] as [number, number]];
    const found: NetworkCandidate[] = [];
    for (const [from, to] of stretches) {
      const { logit, logWidth } = await run(z, from, to);
      const m = to - from;
      const p = Float64Array.from(logit, (v) => 1 / (1 + Math.exp(-v)));
      for (let i = 1; i < m - 1; i++) {
        const v = p[i]!;
        if (!(v > threshold) || v < p[i - 1]! || v <= p[i + 1]!) continue;
        const a = p[i - 1]!;
        const c = p[i + 1]!;
        const den = a - 2 * v + c;
        const dx = den < 0 ? Math.max(-0.5, Math.min(0.5, (0.5 * (a - c)) / den)) : 0;
        found.push({ x: from + i + dx, width: Math.exp(logWidth[i]!), probability: v });
      }
    }
    return found;
  };
  return { manifest, provider, candidates, release: () => session.release() };
}
