/**
 * Tecmag data sets with known truth, for tests: relaxation data from libs/physics `simulate` laid out as TNMR
 * stores each experiment the reader knows (tecmag/interpretTecmag.ts) and written with tecmag/writeTnt.ts —
 * 'cpmg' (one row of echo windows), 'ir'/'sr' (a row of one window per delay, delays in a 2D table), 'ir-cpmg'
 * (both), 'train' (one window holding the whole train, echo tops every TE). Every random choice (echo time, window
 * size, zero tail, receiver phase, delay units) comes from the seed.
 */
import { createRng, logGrid, simulate, type KernelName, type SimAxis, type SimPeak } from '@lapis/physics';
import { echoWindows, type TntSequence, type TntSpec } from './writeTnt';

export type TecmagVariant = 'cpmg' | 'ir' | 'sr' | 'ir-cpmg' | 'train';

export interface SimulateTecmagOptions {
  variant: TecmagVariant;
  seed: number;
  /** Populations (default: one, placed at random from the seed). */
  peaks?: SimPeak[];
  /** Default 1000. */
  snr?: number;
}

export interface SimulatedTecmag {
  spec: TntSpec;
  /** The axes the reader should return, SI. */
  axes: { kernel: KernelName; values: Float64Array }[];
  /** The amplitudes written (row-major), which the reader should return to float32 precision. */
  data: Float64Array;
  peaks: SimPeak[];
}

/** A delay as TNMR writes it ('90u', '12.5m', '3s') and its value in seconds. */
function tnmrDelay(seconds: number): [string, number] {
  const [scale, suffix] = seconds < 1e-3 ? [1e6, 'u'] : seconds < 1 ? [1e3, 'm'] : [1, 's'];
  const text = (seconds * scale).toPrecision(6);
  return [`${text}${suffix}`, Number(text) / scale];
}

export function simulateTecmag(options: SimulateTecmagOptions): SimulatedTecmag {
  const { variant, seed } = options;
  const rng = createRng(seed);
  const teUs = rng.int(100, 500);
  const te = teUs / 1e6;
  const t1 = variant !== 'cpmg' && variant !== 'train';
  const trains = variant === 'cpmg' || variant === 'ir-cpmg' || variant === 'train';
  const echoes = variant === 'ir-cpmg' ? rng.int(100, 250) : rng.int(300, 1200);
  const rows = t1 ? rng.int(8, 20) : 1;
  const kernel1: KernelName = variant === 'sr' ? 'T1-SR' : 'T1-IR';
  const delays = t1 ? Array.from(logGrid(1e-4 * rng.uniform(1, 3), rng.uniform(3, 8), rows), tnmrDelay) : [];
  const extraEntries = t1 ? rng.int(0, 3) : 0;
  const extra = Array.from({ length: extraEntries }, (_, i) => tnmrDelay(10 + i)[0]);

  const simAxes: SimAxis[] = [];
  if (t1) simAxes.push({ spec: { kernel: kernel1 }, x: delays.map((d) => d[1]) });
  if (trains)
    simAxes.push({ spec: { kernel: 'T2' }, x: Float64Array.from({ length: echoes }, (_, k) => (k + 1) * te) });
  const peaks = options.peaks ?? [
    {
      position: simAxes.map((a) =>
        a.spec.kernel === 'T2' ? 10 ** rng.uniform(-2, -0.7) : 10 ** rng.uniform(-2, -0.3),
      ),
      width: simAxes.map(() => 0.05),
      fraction: 1,
    },
  ];
  const sim = simulate({
    axes: simAxes as [SimAxis] | [SimAxis, SimAxis],
    peaks,
    snr: options.snr ?? 1000,
    seed: seed + 1,
    amplitude: 1e5,
  });
  const phase = rng.uniform(-Math.PI, Math.PI);
  const windows = trains ? echoes : 1;
  let re: Float64Array;
  let im: Float64Array;
  let points: number;
  let acqPoints: number;
  let dwell: number;
  if (variant === 'train') {
    // one window: `period` points per echo, the echo top at `top`, sampled at dwell = TE/period
    const period = rng.int(2, 6);
    const top = rng.int(0, period - 1);
    points = echoes * period;
    acqPoints = points;
    dwell = te / period;
    re = new Float64Array(points);
    im = new Float64Array(points);
    for (let k = 0; k < echoes; k++)
      for (let p = 0; p < period; p++) {
        const a = sim.data[k]! * Math.exp(-((p - top) ** 2));
        re[k * period + p] = a * Math.cos(phase);
        im[k * period + p] = a * Math.sin(phase);
      }
  } else {
    acqPoints = rng.int(1, 8);
    const zeroTail = acqPoints > 2 ? rng.int(0, Math.min(3, acqPoints - 2)) : 0;
    dwell = rng.int(2, 10) * 1e-6;
    ({ re, im, points } = echoWindows(sim.data, rows, windows, { points: acqPoints, phase, zeroTail }));
  }

  const titles: Record<TecmagVariant, string> = {
    cpmg: 'CPMG_echo',
    ir: 'InvRec_T1',
    sr: 'SatRec_T1',
    'ir-cpmg': 'IR_CPMG',
    train: 'CPMG_train',
  };
  const sequence: TntSequence = {
    title: titles[variant],
    author: 'lapis@test',
    cells: [
      { value: '=Last Delay' },
      { value: '5u' },
      { value: '=p90', tables: { 1: 'ph0' } },
      ...(t1 ? [{ value: '=RecTime', tables: { 2: 'de0:2' } as const }] : []),
      { value: '=tau1' },
      { value: '=p180', tables: { 1: 'ph1' } },
      { value: '=Acq. Time' },
    ],
    tables: [
      { name: 'ph0', entries: ['0', '2', '1', '3'] },
      ...(t1 ? [{ name: 'de0:2', entries: [...delays.map((d) => d[0]), ...extra], separator: '\r\n' }] : []),
      { name: 'ph1', entries: ['1', '1', '3', '3'] },
    ],
    parameters: [
      { name: 'Acq. Time', value: `${Number((acqPoints * dwell * 1e6).toPrecision(12))}u`, min: '0.5u', max: '1024s' },
      { name: 'Last Delay', value: '3s', saved: '1s' },
      { name: 'Nechoes', value: String(windows), saved: '1000', min: '0', max: '65535' },
      { name: 'p90', value: '10u' },
      { name: 'p180', value: '=2*[p90]' },
      ...(trains ? [{ name: 'Echo_Time', value: `${teUs}u`, saved: '999u' }] : []),
    ],
  };
  const spec: TntSpec = {
    points,
    rows,
    re,
    im,
    acqPoints,
    dwell,
    nucleus: 'H1',
    frequencyMHz: 21.375,
    scans: 16,
    lastDelay: 3,
    startTime: 1_764_942_504 + seed,
    date: '2025/12/5 14:48:24',
    nDigitalCenter: 3,
    sequence,
  };
  const axes = simAxes.map((a) => ({ kernel: a.spec.kernel, values: Float64Array.from(a.x) }));
  return { spec, axes, data: sim.data, peaks };
}
