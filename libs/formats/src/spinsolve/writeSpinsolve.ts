/**
 * Writes Magritek Spinsolve experiment folders (what readSpinsolve.ts reads) for tests and benchmarks: acqu.par plus
 * the data as Prospa binaries (data.1d/data.2d, tags in the byte order real files have), as 1D_T1IRT2 step folders
 * with their time lists, or as the text exports. `simulateSpinsolve` fills one from libs/physics' simulator (and,
 * for the spectroscopic T1, T2 and PGSTE, FIDs of one line whose amplitude follows the simulated curve).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { simulate, type KernelName, type SimAxis, type SimPeak } from '@lapis/physics';
import { simulatePseudo2d } from '../bruker/simulatePseudo2d';
import { writeProspa, type ProspaDataType } from '../prospa/prospa';

export type SpinsolveExperimentName = 'T2Bulk' | 'T2' | 'T1' | 'T1IRT2' | 'DT2' | 'PGSTE';

/** acqu.par text: strings quoted, numbers as they are; CRLF like the instrument's (or LF). */
export function formatSpinsolveParameters(values: Record<string, string | number>, lineEnd = '\r\n'): string {
  return Object.entries(values)
    .map(([k, v]) => `${k} = ${typeof v === 'number' ? String(v) : `"${v}"`}`)
    .join(lineEnd)
    .concat(lineEnd);
}

/** A Prospa file as Spinsolve writes its data.1d/.2d (writeProspa's tag order is the real one, "SORPATAD1.1V"). */
export function spinsolveProspa(
  dataType: ProspaDataType,
  dims: [number, number],
  re: Float64Array,
  im?: Float64Array,
  x?: Float64Array,
): Uint8Array {
  return writeProspa({
    version: 'V1.1',
    dataType,
    dims: [dims[0], dims[1], 1, 1],
    re,
    ...(im ? { im } : {}),
    ...(x ? { x } : {}),
  });
}

export type SpinsolveVariant = 'binary' | 'steps' | 'text' | 'text-comma';

export interface SimulateSpinsolveOptions {
  experiment: SpinsolveExperimentName;
  /** binary (default): data.1d/data.2d; steps: 1D_T1IRT2 folders (T1IRT2); text / text-comma: the text export. */
  variant?: SpinsolveVariant;
  peaks: SimPeak[];
  /** max |signal| / σ (default Infinity: noiseless). */
  snr?: number;
  seed: number;
  /** Receiver phase of echo data, rad: the files hold S·e^{−i·phase} (default 0). */
  phase?: number;
  /** Total amplitude (default 1e4). */
  amplitude?: number;
  /** acqu.par values over the defaults (echoTime µs, nrEchoes, minTau/maxTau ms, tauSteps, gradMax mT/m …). */
  parameters?: Record<string, string | number>;
  /** PGSTE/DT2: write gradients.par (default: PGSTE yes, DT2 no — the reader then computes the steps). */
  gradientsFile?: boolean;
  /** Text exports of 1D curves: write the x column (default true). */
  xColumn?: boolean;
  /** acqu.par line ends (default CRLF). */
  lineEnd?: '\r\n' | '\n';
}

export interface SimulatedSpinsolve {
  /** Files written, relative to the folder. */
  files: string[];
  /** The true axes, SI, in Acquisition order (outer first for 2D). */
  axes: Float64Array[];
  kernels: KernelName[];
  /** What the reader must return for echo data (as stored: float32 for binaries); the row amplitudes for FIDs. */
  data: Float64Array;
  /** True for the spectroscopic experiments, whose reader output is proportional to `data`. */
  fids: boolean;
  peaks: SimPeak[];
  sigma: number;
}

const DEFAULTS: Record<SpinsolveExperimentName, Record<string, string | number>> = {
  T2Bulk: { echoTime: 200, nrEchoes: 2000, nrPnts: 32 },
  T2: { techo: 500, echoesperstep: 16, nrSteps: 32, nrPnts: 1024, dwellTime: 100, bandwidth: 10 },
  T1: { minDelay: 1, maxDelay: 5000, nrSteps: 16, delaySpacing: 'log', nrPnts: 1024, dwellTime: 100, bandwidth: 10 },
  T1IRT2: { echoTime: 200, nrEchoes: 1000, minTau: 1, maxTau: 3000, tauSteps: 16, logspace: 'yes', nrPnts: 32 },
  DT2: {
    echoTime: 250,
    nrEchoes: 1500,
    nrSteps: 16,
    gradMax: 500,
    gradAmpPC: 100,
    gradSpacing: 'yes',
    lDelta: 3,
    bDelta: 50,
    gradRamp: 0.1,
    nrPnts: 32,
  },
  PGSTE: {
    nrSteps: 16,
    gradMax: 500,
    gradAmpPC: 100,
    gradSpacing: 'yes',
    lDelta: 3,
    bDelta: 50,
    gradRamp: 0.1,
    nrPnts: 1024,
    dwellTime: 100,
    bandwidth: 10,
  },
};

const GAMMA_1H = 267.52218744e6;

const num = (p: Record<string, string | number>, k: string) => {
  const v = p[k];
  if (typeof v !== 'number') throw new RangeError(`simulateSpinsolve: parameter ${k} must be a number`);
  return v;
};

/** SI axes from the parameters, written independently of the reader's axes.ts (so tests compare two derivations). */
function axesOf(
  e: SpinsolveExperimentName,
  p: Record<string, string | number>,
): { axes: Float64Array[]; g?: Float64Array } {
  const echoes = (n: number, te: number) => Float64Array.from({ length: n }, (_, k) => te * (k + 1));
  const delays = (min: number, max: number, n: number, log: boolean) =>
    Float64Array.from({ length: n }, (_, i) =>
      n === 1 ? min : log ? min * (max / min) ** (i / (n - 1)) : min + ((max - min) * i) / (n - 1),
    );
  const gradients = (n: number) => {
    const top = num(p, 'gradMax') * (num(p, 'gradAmpPC') / 100) * 1e-3;
    return Float64Array.from({ length: n }, (_, k) => top * Math.sqrt((k + 0.2) / (n - 0.8)));
  };
  const bOf = (g: Float64Array) => {
    const d = (num(p, 'lDelta') + num(p, 'gradRamp')) * 1e-3;
    const D = num(p, 'bDelta') * 1e-3;
    return g.map((v) => (GAMMA_1H * v * d) ** 2 * (D - d / 3));
  };
  switch (e) {
    case 'T2Bulk':
      return { axes: [echoes(num(p, 'nrEchoes'), num(p, 'echoTime') * 1e-6)] };
    case 'T2':
      return { axes: [echoes(num(p, 'nrSteps'), num(p, 'techo') * num(p, 'echoesperstep') * 1e-6)] };
    case 'T1':
      return {
        axes: [
          delays(num(p, 'minDelay') * 1e-3, num(p, 'maxDelay') * 1e-3, num(p, 'nrSteps'), p.delaySpacing === 'log'),
        ],
      };
    case 'T1IRT2':
      return {
        axes: [
          delays(num(p, 'minTau') * 1e-3, num(p, 'maxTau') * 1e-3, num(p, 'tauSteps'), p.logspace === 'yes'),
          echoes(num(p, 'nrEchoes'), num(p, 'echoTime') * 1e-6),
        ],
      };
    case 'DT2': {
      const g = gradients(num(p, 'nrSteps'));
      return { axes: [bOf(g), echoes(num(p, 'nrEchoes'), num(p, 'echoTime') * 1e-6)], g };
    }
    case 'PGSTE': {
      const g = gradients(num(p, 'nrSteps'));
      return { axes: [bOf(g)], g };
    }
  }
}

const KERNELS: Record<SpinsolveExperimentName, KernelName[]> = {
  T2Bulk: ['T2'],
  T2: ['T2'],
  T1: ['T1-IR'],
  T1IRT2: ['T1-IR', 'T2'],
  DT2: ['D', 'T2'],
  PGSTE: ['D'],
};

/** Writes a simulated experiment into `dir` (created); returns what was written and the truth. */
export async function simulateSpinsolve(dir: string, o: SimulateSpinsolveOptions): Promise<SimulatedSpinsolve> {
  const e = o.experiment;
  const variant = o.variant ?? 'binary';
  const params: Record<string, string | number> = {
    experiment: e,
    expName: `260105-093000 ${e} (simulated seed ${o.seed})`,
    nucleus: '1H',
    b1Freq: 43.3,
    specType: 'Simulated',
    specID: 'LAPIS',
    softwareVersion: 'lapis',
    ...DEFAULTS[e],
    ...o.parameters,
  };
  const { axes, g } = axesOf(e, params);
  const kernels = KERNELS[e];
  const simAxis = (d: number): SimAxis => ({ spec: { kernel: kernels[d]! }, x: axes[d]! });
  const simAxes: [SimAxis] | [SimAxis, SimAxis] = axes.length === 2 ? [simAxis(0), simAxis(1)] : [simAxis(0)];
  const sim = simulate({
    axes: simAxes,
    peaks: o.peaks,
    snr: o.snr ?? Infinity,
    seed: o.seed,
    amplitude: o.amplitude ?? 1e4,
  });
  const fids = e === 'T1' || e === 'T2' || e === 'PGSTE';
  const files: string[] = [];
  const put = async (name: string, content: string | Uint8Array) => {
    await mkdir(join(dir, name, '..'), { recursive: true });
    await writeFile(join(dir, name), content);
    files.push(name);
  };
  await mkdir(dir, { recursive: true });
  const lineEnd = o.lineEnd ?? '\r\n';
  await put('acqu.par', formatSpinsolveParameters(params, lineEnd));
  if (g && (o.gradientsFile ?? e === 'PGSTE')) await put('gradients.par', Array.from(g, String).join('\n') + '\n');

  const phase = o.phase ?? 0;
  const c = Math.cos(phase);
  const s = Math.sin(phase);
  const re = sim.data.map((v) => v * c);
  const im = sim.data.map((v) => -v * s);
  const rows = axes.length === 2 ? axes[0]!.length : 1;
  const cols = axes.length === 2 ? axes[1]!.length : axes[0]!.length;
  const f32 = (v: Float64Array) => v.map(Math.fround);
  let data = sim.data;

  if (fids && variant === 'binary') {
    // one line per step whose amplitude is the simulated value, FIDs of nrPnts points
    const points = num(params, 'nrPnts');
    const sw = 1e6 / num(params, 'dwellTime');
    const fidRows = simulatePseudo2d({
      points,
      sw,
      sfo1: num(params, 'b1Freq'),
      lines: [{ ppm: 4.7, amplitudes: sim.data, t2star: 0.02 }],
      noise: 1e-6 * (o.amplitude ?? 1e4),
      seed: o.seed,
    });
    await put('data.2d', spinsolveProspa(501, [points, cols], fidRows.re, fidRows.im));
    return { files, axes, kernels, data: sim.data, fids: true, peaks: sim.peaks, sigma: sim.sigma };
  }
  if (variant === 'text' || variant === 'text-comma') {
    const sep = variant === 'text-comma' ? ',' : ' ';
    if (axes.length === 2) {
      const lines: string[] = [];
      for (let r = 0; r < rows; r++) {
        const parts: string[] = [];
        for (let k = 0; k < cols; k++) parts.push(String(re[r * cols + k]!), String(im[r * cols + k]!));
        lines.push(parts.join(sep));
      }
      await put(`${e}.dat`, lines.join('\n') + '\n');
    } else {
      // 1D curves: x in s (b-values in 10⁹ s/m², as DiffusionPlot.csv), y, imaginary
      const xs = e === 'PGSTE' ? axes[0]!.map((b) => b * 1e-9) : axes[0]!;
      const lines = Array.from(xs, (x, i) =>
        [...(o.xColumn === false ? [] : [String(x)]), String(re[i]!), ...(phase !== 0 ? [String(im[i]!)] : [])].join(
          sep,
        ),
      );
      await put(
        e === 'PGSTE' ? 'pgste.dat' : `${e}.${variant === 'text-comma' ? 'csv' : 'dat'}`,
        lines.join('\n') + '\n',
      );
    }
    return { files, axes, kernels, data, fids: false, peaks: sim.peaks, sigma: sim.sigma };
  }
  data = f32(sim.data);
  if (variant === 'steps') {
    if (e !== 'T1IRT2') throw new RangeError('simulateSpinsolve: step folders are a T1IRT2 layout');
    for (let r = 0; r < rows; r++) {
      const name = join('1D_T1IRT2', String(r).padStart(4, '0'));
      await put(join(name, 'acqu.par'), formatSpinsolveParameters(params, lineEnd));
      await put(
        join(name, 'data.1d'),
        spinsolveProspa(501, [cols, 1], re.subarray(r * cols, (r + 1) * cols), im.subarray(r * cols, (r + 1) * cols)),
      );
    }
    // the vendor's lists: delays in µs (whatever the name says), echo times in s, 6 significant digits
    await put('1D_T1IRT2/timeT1_s.dat', Array.from(axes[0]!, (t) => (t * 1e6).toPrecision(6)).join('\n') + '\n');
    await put('1D_T1IRT2/timeT2_s.dat', Array.from(axes[1]!, (t) => t.toPrecision(6)).join('\n') + '\n');
    return { files, axes, kernels, data, fids: false, peaks: sim.peaks, sigma: sim.sigma };
  }
  if (axes.length === 2) {
    await put('data.2d', spinsolveProspa(501, [cols, rows], re, im));
  } else {
    // T2Bulk: type 504, the echo times in ms as its x axis
    await put(
      'data.1d',
      spinsolveProspa(
        504,
        [cols, 1],
        re,
        im,
        axes[0]!.map((t) => t * 1e3),
      ),
    );
  }
  return { files, axes, kernels, data, fids: false, peaks: sim.peaks, sigma: sim.sigma };
}
