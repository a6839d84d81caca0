/**
 * minispec exports with known truth, for tests: a relaxation curve from libs/physics `simulate` (CPMG echo train,
 * inversion or saturation recovery) written with minispec/writeMinispec.ts in each layout the reader knows — 'dps'
 * (headerless index/time/signal), 'tab' (header, 'Time [ms]' titles, tabs), 'semicolon' (marked header, 'tau (s)',
 * ';' and decimal comma), 'comma' (index column, 'Time/us', commas, a fitted T2/T1 after the rows). Random choices
 * (echo time, delays, populations) come from the seed.
 */
import { createRng, logGrid, simulate, type KernelName, type SimPeak } from '@lapis/physics';
import { writeMinispecDps, writeMinispecText } from './writeMinispec';

export type MinispecLayout = 'dps' | 'tab' | 'semicolon' | 'comma';

export interface SimulateMinispecOptions {
  layout: MinispecLayout;
  kernel: Exclude<KernelName, 'D'>;
  seed: number;
  peaks?: SimPeak[];
  /** Default 1000. */
  snr?: number;
}

export interface SimulatedMinispec {
  text: string;
  /** Suggested file name (extension of the layout; the experiment named only where the layout has no header). */
  name: string;
  kernel: KernelName;
  /** Axis the reader should return, s. */
  x: Float64Array;
  y: Float64Array;
  peaks: SimPeak[];
  /** The fitted value written after the rows ('comma' layout), s. */
  vendor?: { quantity: string; value: number };
}

const EXPERIMENT = { T2: 'CPMG', 'T1-IR': 'T1 inversion recovery', 'T1-SR': 'T1 saturation recovery' } as const;

export function simulateMinispec(options: SimulateMinispecOptions): SimulatedMinispec {
  const { layout, kernel, seed } = options;
  const rng = createRng(seed);
  let x: Float64Array;
  if (kernel === 'T2') {
    const te = rng.int(1, 20) * 0.05e-3;
    x = Float64Array.from({ length: rng.int(200, 2000) }, (_, k) => (k + 1) * te);
  } else x = logGrid(rng.uniform(0.5, 2) * 1e-3, rng.uniform(3, 8), rng.int(10, 30));
  const peaks = options.peaks ?? [
    { position: [10 ** rng.uniform(kernel === 'T2' ? -2.5 : -2, -0.5)], width: [0.05], fraction: 1 },
  ];
  const sim = simulate({
    axes: [{ spec: { kernel }, x }],
    peaks,
    snr: options.snr ?? 1000,
    seed: seed + 1,
    amplitude: 90,
  });
  const y = sim.data;
  const header: [string, string][] = [
    ['Sample', `test sample ${seed}`],
    ['Date', '21.11.2026 14:05:09'],
    ['Instrument', 'mq20 #1234'],
    ['Experiment', EXPERIMENT[kernel]],
  ];
  const fitted = peaks[0]!.position[0]!;
  const quantity = kernel === 'T2' ? 'T2' : 'T1';
  const out: SimulatedMinispec = { text: '', name: '', kernel, x, y, peaks };
  switch (layout) {
    case 'dps':
      out.text = writeMinispecDps({ x, y });
      out.name = `${{ T2: 'cpmg', 'T1-IR': 'inversion_recovery', 'T1-SR': 'sat_rec' }[kernel]}_${seed}.dps`;
      break;
    case 'tab':
      out.text = writeMinispecText({ x, y }, { header, delimiter: '\t' });
      out.name = `export_${seed}.txt`;
      break;
    case 'semicolon':
      out.text = writeMinispecText(
        { x, y },
        {
          header,
          marker: '# ',
          delimiter: ';',
          decimalComma: true,
          unit: 's',
          titles: ['tau (s)', 'Signal'],
          lineEnd: '\n',
        },
      );
      out.name = `export_${seed}.csv`;
      break;
    case 'comma':
      out.text = writeMinispecText(
        { x, y },
        {
          header: [...header, ['Spectrometer', 'minispec mq20']],
          delimiter: ',',
          unit: 'us',
          titles: ['Time/us', 'Amplitude'],
          index: true,
          footer: [[`${quantity} [ms]`, String(fitted * 1e3)]],
        },
      );
      out.name = `export_${seed}.csv`;
      out.vendor = { quantity, value: fitted };
      break;
  }
  return out;
}
