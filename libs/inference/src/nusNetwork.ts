/**
 * NUS reconstruction by the network (`task: "nus-mask-1d"`, trained by tools/training/nus/train_nus.py on simulated
 * t1 signals): a learned IST. Every F2 column's t1 problem is the one IST solves (libs/spectra nus: the virtual
 * echo, measured points kept), and each of its stages (the trained count, more at sparse sampling: stagesFor) is
 * IST's step — transform, shrink, transform back, measured points put back — with the shrinkage a mask the network
 * computes from each spectrum value's neighbourhood, the noise and the stage's threshold (the soft threshold's own
 * mask is its prior). The transforms and the data consistency run here, in double precision; only the mask network
 * runs in onnxruntime, on all columns of a chunk at once. Phase-sensitive data with a known F1 phase only (the
 * virtual echo the network was trained on): other data throw a RangeError, and callers use IST. Docs: docs/nus.md.
 */
import * as ort from 'onnxruntime-node';
import {
  closeNusDomain,
  fftInPlace,
  NusQualityTally,
  openNusDomain,
  type ComplexRows,
  type F1Mode,
  type IstQuality,
  type NusDomain,
  type NusDomainOptions,
} from '@lapis/spectra';
import type { ExecutionProviderName } from './providers';
import {
  openSpectrumModel,
  modelManifestPath,
  type SpectrumModelManifest,
  type SpectrumModelOptions,
} from './spectrumModel';

export const NUS_NETWORK_ID = 'lapis-nus1d';

export type NusNetworkManifest = SpectrumModelManifest<'nus-mask-1d'>;

export interface NusNetworkOptions extends NusDomainOptions {
  /** F2 columns per onnxruntime call (default 128). */
  chunk?: number;
  /** Stages (default: the model's at 25 % sampling and above, proportionally more below — stagesFor). */
  stages?: number;
}

export interface NusNetwork {
  manifest: NusNetworkManifest;
  provider: ExecutionProviderName;
  /** Stages the network was trained for. */
  stages: number;
  /** As libs/spectra istReconstruct, by the network: the full ser and the same quality figures. */
  reconstruct(
    sampled: ComplexRows,
    schedule: ArrayLike<number>,
    mode: F1Mode,
    t1Points: number,
    options?: NusNetworkOptions,
  ): Promise<{ ser: ComplexRows; quality: IstQuality }>;
  release(): Promise<void>;
}

/** models/lapis-nus1d.json (or LAPIS_NUS_NETWORK). */
export function defaultNusNetworkPath(env: NodeJS.ProcessEnv = process.env): string {
  return modelManifestPath(NUS_NETWORK_ID, 'LAPIS_NUS_NETWORK', env);
}

/** Threshold floor (noise σ of one spectrum value) and the stages spent at it, as the training script's. */
const FLOOR = 3;
const FINAL_STAGES = 2;

/**
 * Stages for a sampling share: the trained count at 25 % and above, trained × 0.25/sampling below (25 at 10 %), at
 * most three times it. The stage enters the network only through its threshold, so more stages are a finer threshold
 * schedule: bench:nus at 10 % gave RLNE 0.30 with 10 stages, 0.20 with 16 and 0.15–0.17 with 24 (IST 0.21) — sparse
 * schedules alias more, and it takes more steps to explain the aliasing away (docs/nus.md).
 */
export function stagesFor(trained: number, sampling: number): number {
  if (!(sampling > 0)) return 3 * trained;
  return Math.min(3 * trained, Math.max(trained, Math.round((trained * 0.25) / sampling)));
}

/** Loads, verifies and opens the NUS network (CPU unless `providers` says otherwise; one thread by default). */
export async function openNusNetwork(
  manifestPath = defaultNusNetworkPath(),
  options: SpectrumModelOptions = {},
): Promise<NusNetwork> {
  const { manifest, session, provider } = await openSpectrumModel(manifestPath, 'nus-mask-1d', options);
  const stages = Number(manifest.training?.['stages']);
  if (!Number.isInteger(stages) || stages < 1 || stages > 64)
    throw new TypeError(`model manifest ${manifestPath}: training.stages must be an integer in 1…64`);
  const mask = async (input: Float32Array, signals: number, L: number): Promise<Float32Array> => {
    const out = await session.run({ [manifest.input.name]: new ort.Tensor('float32', input, [signals, 2, L]) });
    return out[manifest.output.name]!.data as Float32Array;
  };
  const reconstruct: NusNetwork['reconstruct'] = async (sampled, schedule, mode, t1Points, opts = {}) => {
    const t0 = performance.now();
    const d = openNusDomain(sampled, schedule, mode, t1Points, opts);
    if (!d.virtualEcho)
      throw new RangeError(
        'the NUS network reconstructs phase-sensitive data with a known F1 phase (the virtual echo): use IST',
      );
    const chunk = Math.max(1, Math.floor(opts.chunk ?? 128));
    const tally = new NusQualityTally(d);
    const solver = new ChunkSolver(d, opts.stages ?? stagesFor(stages, d.m / d.t1Points), Math.min(chunk, d.P), mask);
    for (let c0 = 0; c0 < d.P; c0 += chunk) {
      const c1 = Math.min(d.P, c0 + chunk);
      if (d.held) {
        await solver.solve(c0, c1, d.held);
        for (let c = c0; c < c1; c++) {
          const [xr, xi] = solver.column(c - c0);
          tally.heldOut(d.problem.heldOutError2(c, 0, d.held, xr, xi), d.problem.heldNorm2);
        }
      }
      await solver.solve(c0, c1);
      const empty = new Float64Array(0);
      for (let c = c0; c < c1; c++) {
        const i = c - c0;
        const [xr, xi] = solver.column(i);
        tally.channel(solver.data2[i]!, solver.dataCount, solver.iterations[i]!, solver.residual2[i]!);
        d.problem.store(c, d.Gr, d.Gi, xr, xi, empty, empty);
        tally.endColumn(c);
      }
    }
    const ser = closeNusDomain(d);
    const quality = tally.quality(performance.now() - t0);
    return { ser, quality };
  };
  return { manifest, provider, stages, reconstruct, release: () => session.release() };
}

/**
 * The columns of one chunk, solved together: their known values, the current signals, and per stage the
 * transforms here and one onnxruntime call for all their spectra (two real spectra per column).
 */
class ChunkSolver {
  readonly xr: Float64Array;
  readonly xi: Float64Array;
  readonly data2: Float64Array;
  readonly residual2: Float64Array;
  readonly iterations: Int32Array;
  dataCount = 0;
  private readonly kr: Float64Array;
  private readonly ki: Float64Array;
  private readonly known: Int32Array;
  private count = 0;
  private readonly top: Float64Array;
  private readonly input: Float32Array;
  /** The spectrum (a column's re or im part) each network input row came from. */
  private readonly batch: Float64Array[];

  constructor(
    private readonly d: NusDomain,
    private readonly stages: number,
    private readonly size: number,
    private readonly mask: (input: Float32Array, signals: number, L: number) => Promise<Float32Array>,
  ) {
    const { L } = d;
    this.xr = new Float64Array(size * L);
    this.xi = new Float64Array(size * L);
    this.known = new Int32Array(d.problem.known.length);
    this.kr = new Float64Array(size * this.known.length);
    this.ki = new Float64Array(size * this.known.length);
    this.data2 = new Float64Array(size);
    this.residual2 = new Float64Array(size);
    this.iterations = new Int32Array(size);
    this.top = new Float64Array(size);
    this.input = new Float32Array(size * 2 * 2 * L);
    this.batch = new Array<Float64Array>(2 * size);
  }

  /** Column i of the last solve: (re, im), L values each. */
  column(i: number): [Float64Array, Float64Array] {
    const L = this.d.L;
    return [this.xr.subarray(i * L, (i + 1) * L), this.xi.subarray(i * L, (i + 1) * L)];
  }

  /** Solves columns [c0, c1), leaving out the sampled points `held` marks. */
  async solve(c0: number, c1: number, held?: Uint8Array): Promise<void> {
    const { d } = this;
    const { L, problem } = d;
    const n = c1 - c0;
    const K = this.known.length;
    const sigma = d.spectrumSigma > 0 ? d.spectrumSigma : 1;
    const floor = FLOOR * sigma;
    const active: number[] = [];
    for (let i = 0; i < n; i++) {
      problem.fill(c0 + i, 0, held);
      if (i === 0) {
        this.known.set(problem.known);
        this.count = problem.count;
        this.dataCount = problem.dataCount;
      }
      this.kr.set(problem.kr, i * K);
      this.ki.set(problem.ki, i * K);
      this.data2[i] = problem.dataNorm2();
      this.residual2[i] = 0;
      const [re, im] = this.column(i);
      this.putKnown(i, re, im, true);
      fftInPlace(re, im);
      let top = 0;
      for (let k = 0; k < L; k++) top = Math.max(top, Math.abs(re[k]!), Math.abs(im[k]!));
      this.top[i] = top / sigma;
      // a column that never rises above the floor is noise: left as measured (IST does the same)
      this.iterations[i] = top > floor ? this.stages : 0;
      this.putKnown(i, re, im, true);
      if (top > floor) active.push(i);
    }
    if (active.length === 0) return;
    const { input, batch } = this;
    const factor = active.map((i) => {
      const top = this.top[i]!;
      return Math.min(0.95, (FLOOR / Math.max(top, FLOOR)) ** (1 / Math.max(this.stages - FINAL_STAGES - 1, 1)));
    });
    const lambda = active.map((i) => this.top[i]!);
    const inv = 1 / sigma;
    for (let stage = 0; stage < this.stages; stage++) {
      // the spectra with a value above the stage's threshold go to the network; the rest are zeroed, as IST would
      let signals = 0;
      for (let a = 0; a < active.length; a++) {
        const [re, im] = this.column(active[a]!);
        fftInPlace(re, im);
        lambda[a] = lambda[a]! * factor[a]!;
        const lam = Math.max(FLOOR, lambda[a]!);
        let topRe = 0;
        let topIm = 0;
        for (let k = 0; k < L; k++) {
          topRe = Math.max(topRe, Math.abs(re[k]!));
          topIm = Math.max(topIm, Math.abs(im[k]!));
        }
        for (const [part, top] of [
          [re, topRe],
          [im, topIm],
        ] as const) {
          if (top * inv > lam) {
            const o = signals * 2 * L;
            for (let k = 0; k < L; k++) input[o + k] = part[k]! * inv;
            input.fill(lam, o + L, o + 2 * L);
            batch[signals++] = part;
          } else part.fill(0);
        }
      }
      const used = signals * 2 * L;
      const g = signals > 0 ? await this.mask(used === input.length ? input : input.slice(0, used), signals, L) : input;
      const scale = 1 / L;
      for (let b = 0; b < signals; b++) {
        const part = batch[b]!;
        const o = b * L;
        for (let k = 0; k < L; k++) part[k] = part[k]! * g[o + k]! * scale;
      }
      const last = stage === this.stages - 1;
      for (let a = 0; a < active.length; a++) {
        const i = active[a]!;
        const [re, im] = this.column(i);
        if (signals === 0) {
          re.fill(0);
          im.fill(0);
        }
        fftInPlace(im, re); // inverse (scaled above)
        if (last) this.residual2[i] = this.misfit(i, re, im);
        this.putKnown(i, re, im, false);
      }
    }
  }

  /** Known values of column i into (re, im); with `clear`, every other value zeroed first. */
  private putKnown(i: number, re: Float64Array, im: Float64Array, clear: boolean): void {
    if (clear) {
      re.fill(0);
      im.fill(0);
    }
    const K = this.known.length;
    for (let j = 0; j < this.count; j++) {
      re[this.known[j]!] = this.kr[i * K + j]!;
      im[this.known[j]!] = this.ki[i * K + j]!;
    }
  }

  /** Squared misfit of the model at the measured points of column i. */
  private misfit(i: number, re: Float64Array, im: Float64Array): number {
    const K = this.known.length;
    let r = 0;
    for (let j = 0; j < this.dataCount; j++) {
      const dr = re[this.known[j]!]! - this.kr[i * K + j]!;
      const di = im[this.known[j]!]! - this.ki[i * K + j]!;
      r += dr * dr + di * di;
    }
    return r;
  }
}
