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
   * Run the network only on the stretches that hold signal (default true): points above 4 σ, or whose 5-point mean
   * is above 2 σ, ± 192 points (more than the network's reach), laid end to end in one run; the rest of a spectrum,
   * noise, holds no line it would pick. false: one run over the whole spectrum.
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
  /** Probability and width of z (σ units), z mirrored at its end to a multiple of 8 points. */
  const run = async (z: Float32Array) => {
    const m = z.length;
    const padded = Math.max(8, Math.ceil(m / 8) * 8);
    const input = new Float32Array(padded);
    input.set(z);
    for (let i = m; i < padded; i++) input[i] = z[Math.max(0, 2 * m - 2 - i)]!;
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
    // p > threshold ⇔ logit > ln(p/(1 − p)): the probability is needed only at the maxima
    const threshold = opts.threshold ?? 0.5;
    const minLogit = Math.log(threshold / (1 - threshold));
    const n = real.length;
    const z = new Float32Array(n);
    for (let i = 0; i < n; i++) z[i] = real[i]! / sigma;
    const stretches = (opts.gate ?? true) ? signalStretches(z, 192) : [[0, n] as [number, number]];
    if (stretches.length === 0) return [];
    // the stretches end to end, one run: each carries its own 192 points of noise on either side, so what lies
    // beside it in the run is beyond the reach of its lines; each starts where it does in the spectrum modulo 8,
    // so that the U-Net's three halvings pool the same points as over the whole spectrum (a few zeros between)
    const starts: number[] = [];
    let total = 0;
    for (const [from, to] of stretches) {
      total += (((from - total) % 8) + 8) % 8;
      starts.push(total);
      total += to - from;
    }
    const joined = new Float32Array(total);
    stretches.forEach(([from, to], k) => joined.set(z.subarray(from, to), starts[k]));
    const { logit, logWidth } = await run(joined);
    const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));
    const found: NetworkCandidate[] = [];
    stretches.forEach(([from, to], k) => {
      const at = starts[k]!;
      for (let i = at + 1; i < at + to - from - 1; i++) {
        const v = logit[i]!;
        if (!(v > minLogit) || v < logit[i - 1]! || v <= logit[i + 1]!) continue;
        const a = sigmoid(logit[i - 1]!);
        const b = sigmoid(v);
        const c = sigmoid(logit[i + 1]!);
        const den = a - 2 * b + c;
        const dx = den < 0 ? Math.max(-0.5, Math.min(0.5, (0.5 * (a - c)) / den)) : 0;
        found.push({ x: from + (i - at) + dx, width: Math.exp(logWidth[i]!), probability: b });
      }
    });
    return found;
  };
  return { manifest, provider, candidates, release: () => session.release() };
}
