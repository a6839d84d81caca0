/**
 * A TopSpin ¹H relaxation series with known truth, for tests: an inversion recovery (t1ir, vdlist) or a CPMG decay
 * (cpmg, vclist × TE) of first-order multiplets, acquired with a realistic transmitter offset (O1 ≠ 0, so
 * SFO1 ≠ BF1) and, when asked, the processed folder TopSpin leaves: pdata/1/procs (SF = BF1 + SR, OFFSET), intrng
 * with one region per multiplet and ct1t2.txt holding the true values as TopSpin's T1/T2 module writes them.
 */
import type { KernelName } from '@lapis/contracts/vocabulary';
import type { IntegralRegion } from './intrng';
import { formatIntrng } from './intrng';
import { formatBrukerList } from './lists';
import { multipletLines, simulatePseudo2d, type SyntheticLine } from './simulatePseudo2d';
import { formatCt1t2 } from './topspinFits';
import type { WriteBrukerOptions } from './writeBruker';

export interface TopspinSignal {
  /** Chemical shift of the multiplet's centre, ppm. */
  ppm: number;
  /** Couplings in Hz, `partners` equivalent spins each (default 1); none: a singlet. */
  couplings?: { hz: number; partners?: number }[];
  /** T1 (inversion recovery) or T2 (CPMG), s. */
  value: number;
  /** Total signal of the multiplet at full recovery (or t = 0). */
  amplitude: number;
  /** FID decay time, s (default 0.3 s, a 1 Hz line). */
  t2star?: number;
}

export interface SimulateTopspinSeriesOptions {
  experiment: Extract<KernelName, 'T1-IR' | 'T2'>;
  signals: TopspinSignal[];
  /** T1-IR: the vdlist delays, s. T2: the vclist loop counts (echoes). */
  delays: ArrayLike<number>;
  /** BF1, MHz (default 400.13). */
  bf1?: number;
  /** Transmitter offset in ppm from BF1 (default 4.7, the water line: O1 = 4.7·BF1 Hz). */
  o1Ppm?: number;
  /** Spectral width, ppm (default 12); complex points per row (default 16384). */
  swPpm?: number;
  points?: number;
  /** Digital-filter group delay in points (default 67.98, as DSPFVS 20 firmware writes). */
  groupDelay?: number;
  noise?: number;
  seed?: number;
  /**
   * pdata/1 as TopSpin leaves it after processing (false: raw data only). `sr` is the referencing offset SR in Hz
   * (default 0: SF = BF1); `intrng` one region per multiplet (true, default) or the regions given; `ct1t2` the true
   * values as TopSpin's fit (default true).
   */
  pdata?: false | { sr?: number; intrng?: boolean | IntegralRegion[]; ct1t2?: boolean; lb?: number };
}

export interface SimulatedTopspinSeries {
  /** Everything `writeBrukerDataset` needs. */
  dataset: WriteBrukerOptions;
  /** Per signal: its true shift and value, its lines' shifts and the ppm range its lines span. */
  truth: { ppm: number; value: number; lines: number[]; from: number; to: number }[];
  /** The reference frequency the shifts are true for (BF1 + SR), MHz. */
  sf: number;
  /** The varied axis, s (delays, or echo counts × TE). */
  times: Float64Array;
}

/** CPMG echo time of the cpmg library: 2·D20 + P2. */
const D20 = 0.0005;
const P2 = 20;

export function simulateTopspinSeries(o: SimulateTopspinSeriesOptions): SimulatedTopspinSeries {
  const bf1 = o.bf1 ?? 400.13;
  const o1 = (o.o1Ppm ?? 4.7) * bf1;
  const sfo1 = bf1 + o1 * 1e-6;
  const sw = (o.swPpm ?? 12) * bf1;
  const sr = o.pdata ? (o.pdata.sr ?? 0) : 0;
  const sf = bf1 + sr * 1e-6;
  const te = 2 * D20 + P2 * 1e-6;
  const times = Float64Array.from(o.delays, (d) => (o.experiment === 'T2' ? d * te : d));
  const lines: SyntheticLine[] = [];
  const truth = o.signals.map((s) => {
    const amplitudes = Array.from(times, (t) =>
      o.experiment === 'T2' ? s.amplitude * Math.exp(-t / s.value) : s.amplitude * (1 - 2 * Math.exp(-t / s.value)),
    );
    const own = multipletLines(s.ppm, s.couplings ?? [], sf, amplitudes, s.t2star ?? 0.3);
    lines.push(...own);
    const at = own.map((l) => l.ppm);
    return { ppm: s.ppm, value: s.value, lines: at, from: Math.max(...at), to: Math.min(...at) };
  });
  const groupDelay = o.groupDelay ?? 67.98;
  const data = simulatePseudo2d({
    points: o.points ?? 16384,
    sw,
    sfo1,
    sf,
    lines,
    groupDelay,
    noise: o.noise ?? 0,
    seed: o.seed ?? 1,
  });
  const acqus: Record<string, number | string | number[]> = {
    PULPROG: o.experiment === 'T2' ? 'cpmg' : 't1ir',
    NUC1: '1H',
    BF1: bf1,
    SFO1: sfo1,
    O1: o1,
    SW_h: sw,
    SW: sw / sfo1,
    GRPDLY: groupDelay,
    DSPFVS: 20,
    DECIM: 16,
  };
  if (o.experiment === 'T2') {
    acqus.D = Array.from({ length: 32 }, (_, i) => (i === 20 ? D20 : 0));
    acqus.P = Array.from({ length: 32 }, (_, i) => (i === 2 ? P2 : 0));
  }
  const dataset: WriteBrukerOptions = {
    acqus,
    acqu2s: {},
    data,
    nc: -2,
    lists:
      o.experiment === 'T2'
        ? { vclist: formatBrukerList(o.delays, 'count') }
        : { vdlist: formatBrukerList(o.delays, 'delay', 'm') },
  };
  if (o.pdata) {
    const size = o.points ?? 16384;
    dataset.procs = {
      SF: sf,
      SR: sr,
      SI: size,
      SW_p: sw,
      OFFSET: ((sfo1 - sf) * 1e6 + sw / 2) / sf,
      LB: o.pdata.lb ?? 0.3,
      PHC0: 0,
      PHC1: 0,
    };
    const files: Record<string, string> = { 'pdata/1/title': 'Lapis synthetic relaxation series\n' };
    const intrng = o.pdata.intrng ?? true;
    if (intrng !== false) {
      // one region per multiplet: its lines ± 12 line widths (a 1 Hz line holds 95 % of its area within ± 12 Hz)
      const regions = intrng === true ? truth.map((t) => ({ from: t.from + 12 / sf, to: t.to - 12 / sf })) : intrng;
      files['pdata/1/intrng'] = formatIntrng(regions);
    }
    if (o.pdata.ct1t2 ?? true) {
      const quantity = o.experiment === 'T2' ? 'T2' : 'T1';
      files['pdata/1/ct1t2.txt'] = formatCt1t2(truth.map((t) => ({ shift: t.ppm, quantity, value: t.value })));
    }
    dataset.files = files;
  }
  return { dataset, truth, sf, times };
}
