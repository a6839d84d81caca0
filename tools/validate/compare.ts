/**
 * Rows of the report: a reference answer beside Lapis' value of the same quantity, taken from the result document
 * only — its `vendorResults` where Lapis already made the comparison, else its peaks and distribution.
 */
import type { ResultDoc, ResultPeak, VendorResult } from './lapis';
import type { TopSpinFit, UpenMainPeak } from './references';
import type { Check, Row } from './table';
import { formatAxisValue, formatPercent, formatTime, sig3, signed, verdictOf } from './table';

export const TARGETS = {
  /** TopSpin's per-peak T1/T2 against Lapis' (relative). */
  topspinRelative: 0.05,
  /** Chemical shift of the Lapis peak against TopSpin's peak point (ppm). */
  shiftPpm: 0.02,
  /** UPEN's main-population position against Lapis' (decades). */
  upenDecades: 0.05,
  /** The main population's share of the signal. */
  upenFraction: [0.8, 0.9] as [number, number],
  /** GeoSpec's log-mean against Lapis' (relative). */
  logMeanRelative: 0.05,
  /** A published physical value (relative). */
  physicalRelative: 0.05,
};

const relCheck = (quantity: string, unit: string, ref: number, lapis: number | undefined, limit: number): Check => {
  const difference = lapis === undefined ? undefined : ((lapis - ref) / ref) * 100;
  return {
    quantity,
    unit,
    reference: ref,
    lapis,
    difference,
    differenceUnit: '%',
    target: `≤ ${limit * 100} %`,
    pass: difference === undefined ? false : Math.abs(difference) <= limit * 100 + 1e-9,
  };
};

// ---- pseudo-2D: TopSpin's fit per peak ----

export interface ShiftMatch {
  peak: ResultPeak;
  index: number;
  how: string;
}

/**
 * The Lapis peak at chemical shift `ppm`: the largest peak of the region that contains it (docs/contracts.md:
 * `peaks[].region`), else the nearest peak within the shift target (0.02 ppm).
 */
export function peakAtShift(doc: ResultDoc, ppm: number): ShiftMatch | undefined {
  let best: ShiftMatch | undefined;
  doc.peaks.forEach((p, index) => {
    const r = p.region;
    if (!r || ppm < Math.min(r.from, r.to) - 0.005 || ppm > Math.max(r.from, r.to) + 0.005) return;
    if (!best || p.fraction > best.peak.fraction) best = { peak: p, index, how: 'largest peak of its region' };
  });
  if (best) return best;
  let nearest: ShiftMatch | undefined;
  let d = TARGETS.shiftPpm;
  doc.peaks.forEach((p, index) => {
    const s = p.position.shift;
    if (s !== undefined && Math.abs(s - ppm) <= d) {
      d = Math.abs(s - ppm);
      nearest = { peak: p, index, how: 'nearest peak (no region contains the shift)' };
    }
  });
  return nearest;
}

function nearestShift(doc: ResultDoc, ppm: number): number | undefined {
  let best: number | undefined;
  for (const p of doc.peaks) {
    const s = p.position.shift;
    if (s !== undefined && (best === undefined || Math.abs(s - ppm) < Math.abs(best - ppm))) best = s;
  }
  return best;
}

function vendorEntry(doc: ResultDoc, software: RegExp, quantity: string, shift?: number): VendorResult | undefined {
  return doc.vendorResults?.find(
    (v) =>
      software.test(v.software) &&
      v.quantity === quantity &&
      v.lapis !== undefined &&
      (shift === undefined || (v.shift !== undefined && Math.abs(v.shift - shift) < 0.0015)),
  );
}

/** One row per TopSpin peak: its T1/T2 against the Lapis peak at that shift, and the shift difference. */
export function topSpinRows(doc: ResultDoc, fits: TopSpinFit[]): Row[] {
  return fits.map((fit) => {
    const q = `${fit.quantity} at ${fit.ppm.toFixed(3)} ppm`;
    const target = `≤ ${TARGETS.topspinRelative * 100} %, ≤ ${TARGETS.shiftPpm} ppm`;
    const vendor = vendorEntry(doc, /topspin/i, fit.quantity, fit.ppm);
    const match =
      vendor?.peak !== undefined && doc.peaks[vendor.peak]
        ? { peak: doc.peaks[vendor.peak]!, index: vendor.peak, how: 'the document’s vendorResults' }
        : peakAtShift(doc, fit.ppm);
    const lapis = vendor?.lapis ?? match?.peak.position[fit.quantity];
    const shift = match?.peak.position.shift;
    const checks: Check[] = [relCheck(fit.quantity, 's', fit.value, lapis, TARGETS.topspinRelative)];
    const dShift = shift === undefined ? undefined : shift - fit.ppm;
    checks.push({
      quantity: 'shift',
      unit: 'ppm',
      reference: fit.ppm,
      lapis: shift,
      difference: dShift,
      differenceUnit: 'ppm',
      target: `≤ ${TARGETS.shiftPpm} ppm`,
      pass: dShift !== undefined && Math.abs(dShift) <= TARGETS.shiftPpm + 1e-9,
    });
    const base = { quantity: q, reference: formatTime(fit.value), target, checks, verdict: verdictOf(checks) };
    if (lapis === undefined) {
      const near = nearestShift(doc, fit.ppm);
      const within = `${TARGETS.shiftPpm} ppm`;
      const note = `no Lapis peak within ${within}${near === undefined ? '' : `; nearest at ${near.toFixed(3)} ppm`}`;
      return { ...base, lapis: 'no peak', difference: '—', note };
    }
    const diff = checks[0]!.difference!;
    const row: Row = {
      ...base,
      lapis: `${formatTime(lapis)}${shift === undefined ? '' : ` at ${shift.toFixed(3)} ppm`}`,
      difference: `${formatPercent(diff)}${dShift === undefined ? '' : `, ${signed(dShift, 3)} ppm`}`,
    };
    const notes: string[] = [];
    if (vendor) notes.push('Lapis value from the document’s vendorResults');
    else if (match && match.how !== 'largest peak of its region') notes.push(match.how);
    if (match?.peak.atEdge) notes.push('the Lapis peak touches the grid edge');
    const sd = match?.peak.uncertainty?.positionSdDecades?.[fit.quantity];
    if (!checks[0]!.pass && typeof sd === 'number')
      notes.push(`Lapis' own spread (bootstrap) ±${sig3((10 ** sd - 1) * 100)} %`);
    if (notes.length) row.note = notes.join('; ');
    return row;
  });
}

// ---- 2D map: UPEN's main population ----

const inRange = (v: number | undefined, [lo, hi]: [number, number]) => v !== undefined && v >= lo && v <= hi;

/** Peaks under this share are not counted as populations of their own (bench:physics' spurious-peak convention). */
const POPULATION_MIN_FRACTION = 0.05;

/**
 * UPEN's main T1–T2 population against Lapis: how many Lapis peaks of ≥ 5 % lie inside UPEN's peak window (target:
 * one; smaller ones are named in the note), the largest one's log-centroid (within 0.05 decade) and its share of the
 * signal (80–90 %).
 */
export function upenRows(doc: ResultDoc, ref: UpenMainPeak): Row[] {
  const window_ = doc.peaks.filter((p) => inRange(p.position.T1, ref.t1Range) && inRange(p.position.T2, ref.t2Range));
  const inside = window_.filter((p) => p.fraction >= POPULATION_MIN_FRACTION);
  const main = inside.reduce<ResultPeak | undefined>((a, p) => (!a || p.fraction > a.fraction ? p : a), undefined);
  const window = `T1 ${formatTime(ref.t1Range[0])}–${formatTime(ref.t1Range[1])}, T2 ${formatTime(ref.t2Range[0])}–${formatTime(ref.t2Range[1])}`;
  const countCheck: Check = {
    quantity: 'peaks in the main population',
    unit: '',
    reference: 1,
    lapis: inside.length,
    difference: inside.length - 1,
    differenceUnit: 'count',
    target: '1',
    pass: inside.length === 1,
  };
  const rows: Row[] = [
    {
      quantity: 'peaks in UPEN’s main population',
      reference: '1',
      lapis: String(inside.length),
      difference: inside.length === 1 ? '0' : signed(inside.length - 1, 0),
      target: '1',
      verdict: verdictOf([countCheck]),
      note:
        `Lapis peaks of ≥ 5 % inside UPEN’s peak window (${window})` +
        (window_.length > 1
          ? `; all there: ${window_.map((p) => `${formatTime(p.position.T1!)}/${formatTime(p.position.T2!)} ${(p.fraction * 100).toFixed(0)} %`).join(', ')}; together ${(window_.reduce((s, p) => s + p.fraction, 0) * 100).toFixed(1)} %`
          : ''),
      checks: [countCheck],
    },
  ];
  for (const axis of ['T1', 'T2'] as const) {
    const refV = axis === 'T1' ? ref.t1 : ref.t2;
    const lapis = main?.position[axis];
    const d = lapis === undefined ? undefined : Math.log10(lapis / refV);
    const check: Check = {
      quantity: axis,
      unit: 's',
      reference: refV,
      lapis,
      difference: d,
      differenceUnit: 'decades',
      target: `≤ ${TARGETS.upenDecades} decade`,
      pass: d !== undefined && Math.abs(d) <= TARGETS.upenDecades + 1e-12,
    };
    rows.push({
      quantity: `main peak ${axis}`,
      reference: formatTime(refV),
      lapis: lapis === undefined ? 'no peak' : formatTime(lapis),
      difference: d === undefined ? '—' : `${signed(d, 3)} dec`,
      target: `≤ ${TARGETS.upenDecades} dec`,
      verdict: verdictOf([check]),
      note:
        axis === 'T1'
          ? `UPEN log-centroid over its peak window; its maximum cell is T1 ${formatTime(ref.maxT1)}, T2 ${formatTime(ref.maxT2)} (Parameters.txt: ${ref.printed})`
          : undefined,
      checks: [check],
    });
  }
  const [lo, hi] = TARGETS.upenFraction;
  const f = main?.fraction;
  const fCheck: Check = {
    quantity: 'fraction',
    unit: '',
    reference: ref.fraction,
    lapis: f,
    difference: f === undefined ? undefined : (f - ref.fraction) * 100,
    differenceUnit: 'points',
    target: `${lo * 100}–${hi * 100} %`,
    pass: f !== undefined && f >= lo && f <= hi,
  };
  rows.push({
    quantity: 'main peak fraction',
    reference: `${(ref.fraction * 100).toFixed(1)} %`,
    lapis: f === undefined ? 'no peak' : `${(f * 100).toFixed(1)} %`,
    difference: f === undefined ? '—' : `${signed((f - ref.fraction) * 100, 1)} points`,
    target: `${lo * 100}–${hi * 100} %`,
    verdict: verdictOf([fCheck]),
    checks: [fCheck],
  });
  return rows;
}

// ---- log-mean of a distribution ----

/**
 * exp(mean ln y) of the distribution along axis `name` (T1 or T2), over all of it — the marginal for a 2D map.
 * Undefined for a pseudo-2D (a shift axis) or when the axis is absent.
 */
export function logMean(doc: ResultDoc, name: string): number | undefined {
  const k = doc.axes.findIndex((a) => a.name === name);
  if (k < 0 || doc.axes.some((a) => a.name === 'shift')) return undefined;
  const values = doc.axes[k]!.values;
  const w = new Array<number>(values.length).fill(0);
  if (doc.axes.length === 1) (doc.distribution as number[]).forEach((v, i) => (w[i] = v));
  else
    (doc.distribution as number[][]).forEach((row, i) =>
      row.forEach((v, j) => {
        const at = k === 0 ? i : j;
        w[at] = w[at]! + v;
      }),
    );
  let s = 0;
  let l = 0;
  values.forEach((y, i) => {
    const v = w[i]!;
    if (v > 0) {
      s += v;
      l += v * Math.log(y);
    }
  });
  return s > 0 ? Math.exp(l / s) : undefined;
}

export interface LogMeanReference {
  quantity: string;
  value: number;
}

/** GeoSpec-style log-means against Lapis' (the document's vendorResults, else its distribution). */
export function logMeanRows(doc: ResultDoc, refs: LogMeanReference[], software: RegExp): Row[] {
  return refs.map((ref) => {
    const axis = ref.quantity.split(' ')[0]!;
    const vendor = vendorEntry(doc, software, ref.quantity);
    const lapis = vendor?.lapis ?? logMean(doc, axis);
    const check = relCheck(ref.quantity, 's', ref.value, lapis, TARGETS.logMeanRelative);
    return {
      quantity: ref.quantity,
      reference: formatTime(ref.value),
      lapis: lapis === undefined ? `no ${axis} axis` : formatTime(lapis),
      difference: check.difference === undefined ? '—' : formatPercent(check.difference),
      target: check.target,
      verdict: verdictOf([check]),
      note: vendor
        ? 'Lapis value from the document’s vendorResults'
        : `Lapis value: exp(mean ln ${axis}) over the document’s distribution`,
      checks: [check],
    };
  });
}

// ---- a published physical value ----

/** The largest peak's value on `axis` against a published value, e.g. D of water at the stated temperature. */
export function physicalRow(doc: ResultDoc, axis: string, quantity: string, ref: number, unit: string): Row {
  const main = doc.peaks[0];
  const lapis = main?.position[axis];
  const check = relCheck(quantity, unit, ref, lapis, TARGETS.physicalRelative);
  return {
    quantity,
    reference: formatAxisValue(axis, ref),
    lapis: lapis === undefined ? 'no peak' : formatAxisValue(axis, lapis),
    difference: check.difference === undefined ? '—' : formatPercent(check.difference),
    target: check.target,
    verdict: verdictOf([check]),
    note: 'Lapis value: the largest peak',
    checks: [check],
  };
}

// ---- no reference: Lapis' values only ----

/** Lapis' peaks as rows without a reference (verdict '—'); at most `max`, largest first. */
export function peakRows(doc: ResultDoc, note: string, max = 6): Row[] {
  const names = doc.axes.map((a) => a.name);
  const rows = doc.peaks.slice(0, max).map<Row>((p, i) => ({
    quantity: `peak ${i + 1}`,
    reference: '—',
    lapis:
      names
        .filter((n) => p.position[n] !== undefined)
        .map((n) => `${n === 'shift' ? '' : `${n} `}${formatAxisValue(n, p.position[n]!)}`)
        .join(', ') + `, ${sig3(p.fraction * 100)} %`,
    difference: '—',
    target: '—',
    verdict: '—',
    checks: [],
  }));
  if (rows[0]) rows[0].note = note;
  if (doc.peaks.length > max) {
    const more = `(${doc.peaks.length - max} more peaks)`;
    rows.push({ quantity: more, reference: '—', lapis: '…', difference: '—', target: '—', verdict: '—', checks: [] });
  }
  return rows;
}
