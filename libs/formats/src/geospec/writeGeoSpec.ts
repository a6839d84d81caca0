/**
 * Writes GIT Systems GeoSpec text exports (the layout parseGeoSpec.ts reads) for tests and benchmarks: every test
 * type Lapis reads, with or without [Additional Results], header line and units, any signal columns, CRLF/LF/mixed
 * line ends, X or Y fastest. `simulateGeoSpec` fills one from libs/physics' simulator so tests know the truth.
 */
import { simulate, type SimAxis, type SimPeak } from '@lapis/physics';
import type { Experiment } from '@lapis/contracts/vocabulary';

/** The experiments GeoSpec exports hold (every one but T2–T2). */
export type GeoSpecTestKind = Exclude<Experiment, 'T2-T2'>;

const TEST_TYPE: Record<GeoSpecTestKind, number> = { T2: 3, T1: 7, D: 105, 'T1-T2': 106, 'D-T2': 108 };

export interface GeoSpecDocument {
  kind: GeoSpecTestKind;
  /**
   * SI values: 1D the one axis (echo times s, inversion delays s, b-values s/m²); 2D [outer, echo times] with the
   * outer axis (inversion delays or b-values) written in the Y column, as the data are row-major.
   */
  axes: [Float64Array] | [Float64Array, Float64Array];
  re: Float64Array;
  im?: Float64Array;
  /** Signal columns (default 'real-imaginary'; 'real-imaginary' without `im` writes zeros). */
  signal?: 'real-imaginary' | 'real' | 'magnitude' | 'phased';
  /** Write the [Data] header line (default true). */
  header?: boolean;
  /** Units in the header, "X (ms)" (default false: GeoSpec writes none). */
  headerUnits?: boolean;
  /** Unit b-values are written in (default s/mm², what the reader assumes without a header unit). */
  bUnit?: 's/mm2' | 's/m2';
  /** Write the Y column fastest (default false: X fastest, as GeoSpec does). */
  yFastest?: boolean;
  /** The vendor's own results, SI (s), written to [Additional Results] in ms. */
  additionalResults?: { t2LogMean?: number; t1LogMean?: number; t2At99?: number };
  sample?: string;
  sampleState?: string;
  instrument?: string;
  /** ISO date written as Date= in [Sample] (GeoSpec's exports seen so far carry none). */
  date?: string;
  /** 'crlf' (default), 'lf', or 'mixed': the comment block in LF inside a CRLF file, as real exports are. */
  lineEnds?: 'crlf' | 'lf' | 'mixed';
  /** Half the echo spacing, s, written as Tau (default half the first echo time). */
  tau?: number;
}

const fmt = (v: number) => String(v);

export function writeGeoSpec(doc: GeoSpecDocument): string {
  const twoD = doc.axes.length === 2;
  const outer = doc.axes[0];
  const echoes = twoD ? doc.axes[1]! : doc.kind === 'T2' ? doc.axes[0] : undefined;
  const m1 = outer.length;
  const m2 = twoD ? doc.axes[1]!.length : 1;
  if (doc.re.length !== m1 * m2) throw new RangeError(`writeGeoSpec: ${doc.re.length} values for ${m1}×${m2}`);
  const bScale = (doc.bUnit ?? 's/mm2') === 's/mm2' ? 1e-6 : 1;
  const ms = (s: number) => s * 1e3;
  const eol = doc.lineEnds === 'lf' ? '\n' : '\r\n';
  const commentEol = doc.lineEnds === 'crlf' ? '\r\n' : '\n';
  const out: string[] = [];
  const line = (s = '') => out.push(s + eol);
  const comment = (s: string) => out.push(s + commentEol);

  line('[GITData]');
  comment(';****************************************');
  comment(';*\tWritten by Lapis (libs/formats/src/geospec/writeGeoSpec.ts) in the GeoSpec export layout.');
  comment(';*\tParameter units:');
  comment(';*\t\tTau - ms');
  comment(';*\t\tT2Max - ms');
  comment(';*\t\tT1Max - ms');
  comment(';****************************************;');
  line();
  line(`TestType=${TEST_TYPE[doc.kind]}`);
  line('Software Version=7.5');
  line();
  line('[Parameters]');
  if (echoes) {
    line(`NumOfEchoes=${echoes.length}`);
    line(`Tau=${fmt(ms(doc.tau ?? echoes[0]! / 2))}`);
  }
  if (doc.kind === 'T1' || doc.kind === 'T1-T2') line(`NumTIValues=${outer.length}`);
  line('Gain=40');
  line();
  const ar = doc.additionalResults;
  if (ar) {
    line('[Additional Results]');
    if (ar.t2LogMean !== undefined) line(`T<sub>2</sub> Log Mean=${fmt(ms(ar.t2LogMean))}`);
    if (ar.t2At99 !== undefined) line(`T<sub>2</sub> at 99%=${fmt(ms(ar.t2At99))}`);
    if (ar.t1LogMean !== undefined) line(`T<sub>1</sub> Log Mean=${fmt(ms(ar.t1LogMean))}`);
    line('Total NMR Volume=1.0');
    line();
  }
  line('[Results]');
  line('Signal=1.0');
  line(`Dimensions=${twoD ? `${m2},${m1}` : `${m1},1`}`);
  line();
  if (doc.instrument !== undefined) {
    line('[Scanner]');
    line(`Name=${doc.instrument}`);
    line();
  }
  if (doc.sampleState !== undefined) {
    line('[Sample State]');
    line(`Name=${doc.sampleState}`);
    line();
  }
  if (doc.sample !== undefined || doc.date !== undefined) {
    line('[Sample]');
    if (doc.sample !== undefined) line(`Name=${doc.sample}`);
    if (doc.date !== undefined) line(`Date=${doc.date}`);
    line();
  }

  const signal = doc.signal ?? 'real-imaginary';
  const sigCols =
    signal === 'real-imaginary'
      ? ['Real', 'Imaginary']
      : signal === 'real'
        ? ['Real']
        : signal === 'magnitude'
          ? ['Magnitude']
          : ['Phased Real'];
  const xUnit = doc.kind === 'D' ? (bScale === 1 ? 's/m2' : 's/mm2') : 'ms';
  const yUnit = doc.kind === 'D-T2' ? (bScale === 1 ? 's/m2' : 's/mm2') : 'ms';
  const u = (name: string, unit: string) => (doc.headerUnits ? `${name} (${unit})` : name);
  const cols = twoD || doc.header !== false ? [u('X', xUnit), ...(twoD ? [u('Y', yUnit)] : ['Y']), ...sigCols] : [];
  line('[Data]');
  if (doc.header !== false) line(cols.join('\t'));
  const xOf = (v: number) => (doc.kind === 'D' ? v * bScale : ms(v));
  const yOf = (v: number) => (doc.kind === 'D-T2' ? v * bScale : ms(v));
  const row = (k: number, x: number, y: number | undefined) => {
    const re = doc.re[k]!;
    const im = doc.im?.[k] ?? 0;
    const sig =
      signal === 'real-imaginary' ? [fmt(re), fmt(im)] : signal === 'magnitude' ? [fmt(Math.hypot(re, im))] : [fmt(re)];
    // 1D exports carry a Y column of zeros when they have a header (as GeoSpec's do)
    const yCol = y !== undefined ? [fmt(y)] : doc.header !== false ? ['0.0'] : [];
    line([fmt(x), ...yCol, ...sig].join('\t'));
  };
  if (!twoD) {
    for (let i = 0; i < m1; i++) row(i, xOf(outer[i]!), undefined);
  } else if (!doc.yFastest) {
    for (let i = 0; i < m1; i++) for (let j = 0; j < m2; j++) row(i * m2 + j, ms(echoes![j]!), yOf(outer[i]!));
  } else {
    for (let j = 0; j < m2; j++) for (let i = 0; i < m1; i++) row(i * m2 + j, ms(echoes![j]!), yOf(outer[i]!));
  }
  line();
  return out.join('');
}

export interface SimulateGeoSpecOptions extends Omit<GeoSpecDocument, 're' | 'im' | 'additionalResults'> {
  peaks: SimPeak[];
  /** max |signal| / σ (default Infinity: noiseless). */
  snr?: number;
  seed: number;
  /** Receiver phase, rad: the file holds S·e^{−i·phase} (default 0). */
  phase?: number;
  /** Total amplitude in machine units (default 5e4, like GeoSpec's). */
  amplitude?: number;
  /** Write [Additional Results] with the true log-mean of the relaxation axis (default false). */
  results?: boolean;
}

export interface SimulatedGeoSpec {
  text: string;
  /** The signal as written before the receiver phase: what the reader must return. */
  data: Float64Array;
  /** The populations, fractions normalised (libs/physics simulate). */
  peaks: SimPeak[];
  sigma: number;
  /** True fraction-weighted log-mean of each axis' unknown (T1/T2 s, D m²/s). */
  logMeans: number[];
}

export function simulateGeoSpec(o: SimulateGeoSpecOptions): SimulatedGeoSpec {
  const kernels =
    o.kind === 'T2'
      ? (['T2'] as const)
      : o.kind === 'T1'
        ? (['T1-IR'] as const)
        : o.kind === 'D'
          ? (['D'] as const)
          : o.kind === 'T1-T2'
            ? (['T1-IR', 'T2'] as const)
            : (['D', 'T2'] as const);
  const axis = (d: number): SimAxis => ({ spec: { kernel: kernels[d]! }, x: o.axes[d]! });
  const axes: [SimAxis] | [SimAxis, SimAxis] = o.axes.length === 2 ? [axis(0), axis(1)] : [axis(0)];
  const sim = simulate({ axes, peaks: o.peaks, snr: o.snr ?? Infinity, seed: o.seed, amplitude: o.amplitude ?? 5e4 });
  const phase = o.phase ?? 0;
  const c = Math.cos(phase);
  const s = Math.sin(phase);
  const re = sim.data.map((v) => v * c);
  const im = sim.data.map((v) => -v * s);
  const logMeans = o.axes.map(
    (_, d) => 10 ** sim.peaks.reduce((a, p) => a + p.fraction * Math.log10(p.position[d]!), 0),
  );
  const relaxation = logMeans[o.axes.length - 1]!;
  const additionalResults =
    o.results === true
      ? o.kind === 'T1'
        ? { t1LogMean: relaxation }
        : o.kind === 'T1-T2'
          ? { t1LogMean: logMeans[0]!, t2LogMean: relaxation }
          : o.kind === 'D'
            ? {}
            : { t2LogMean: relaxation }
      : undefined;
  const text = writeGeoSpec({ ...o, re, im, ...(additionalResults ? { additionalResults } : {}) });
  return { text, data: sim.data, peaks: sim.peaks, sigma: sim.sigma, logMeans };
}
