/**
 * Plausibility of what a producer says, after the schema has checked its shape: times within clock skew of the
 * dashboard's receipt, physical quantities within wide but finite bounds, counters that fit their columns and text
 * short enough to index and show. The bounds are generous on purpose — they stop nonsense (1e308 s, a residual of
 * 1e308, year 9999), not unusual samples — and are documented in docs/dashboard.md ("Ingest").
 */
import { resultAxisKeys } from '@lapis/contracts';
import type { EventMessage, HeartbeatMessage, ResultEnvelope, SpectrumEnvelope, StatusMessage } from '@lapis/contracts';

export const BOUNDS = {
  /** Earliest producer time accepted (no Lapis result predates it; a reset clock says 1970). */
  earliestTime: Date.parse('2000-01-01T00:00:00Z'),
  /** How far a producer's clock may run ahead of the dashboard's. */
  futureSkewMs: 24 * 3600 * 1000,
  /** T1, T2 (axis values, peak positions, extents), seconds: 1 ps … 11.6 days. */
  relaxationS: [1e-12, 1e6],
  /** D, m²/s: far below solids' self-diffusion … far above any gas at room pressure. */
  diffusionM2s: [1e-20, 1e-2],
  /** |chemical shift|, ppm (any nucleus' range fits well inside). */
  shiftPpm: 1e5,
  /** Fractions are 0…1; this much above 1 is rounding. */
  fractionTolerance: 1e-6,
  /** fit.relativeResidual = ‖data − fit‖/‖data‖: above 10 (1000 %) nothing was fitted. */
  relativeResidualMax: 10,
  /** Widths and uncertainties in decades. */
  decadesMax: 100,
  /** T1/T2 of a peak. */
  ratioMax: 1e18,
  /** Peaks in one document (each becomes a row). */
  peaksMax: 1000,
  /** Heartbeat counters are int4 columns. */
  counterMax: 2_147_483_647,
  /** uptimeSeconds: a hundred years. */
  uptimeMaxS: 100 * 365.25 * 86400,
  /** Bytes of UTF-8: path and sample are indexed (a btree entry holds ~2.7 kB); the others are shown. */
  pathBytes: 2000,
  sampleBytes: 1000,
  shortTextBytes: 200,
  reasonBytes: 4000,
  /** Reference frequency of a spectrum axis, MHz: above any magnet (1.2 GHz ¹H) with room to spare. */
  frequencyMHzMax: 1e4,
  /** Points of a processed spectrum axis (2^26: far beyond any zero filling). */
  spectrumPointsMax: 2 ** 26,
  /** Warnings of one document. */
  warningsMax: 100,
} as const;

export type Implausible = { reason: 'implausible-value' | 'implausible-time'; detail: string };

const value = (detail: string): Implausible => ({ reason: 'implausible-value', detail });

/** A producer time: not before 2000, not more than a day after `receivedAt`. */
export function checkTime(name: string, iso: string | undefined, receivedAt: Date): Implausible | undefined {
  if (iso === undefined) return undefined;
  const t = Date.parse(iso);
  if (!Number.isFinite(t) || t < BOUNDS.earliestTime) {
    return { reason: 'implausible-time', detail: `${name} is before 2000-01-01` };
  }
  const ahead = t - receivedAt.getTime();
  if (ahead > BOUNDS.futureSkewMs) {
    const days = ahead / 86_400_000;
    const said = days < 365 ? `${days.toFixed(1)} days` : `${Math.round(days / 365.25)} years`;
    return { reason: 'implausible-time', detail: `${name} is ${said} ahead of the dashboard's clock (limit 1 day)` };
  }
  return undefined;
}

function checkText(name: string, s: string | undefined, maxBytes: number): Implausible | undefined {
  if (s === undefined) return undefined;
  const bytes = Buffer.byteLength(s, 'utf8');
  return bytes > maxBytes ? value(`${name} is ${bytes} bytes, limit ${maxBytes}`) : undefined;
}

/** Bounds of a per-axis quantity by its key (`T2_2` is the second T2 axis of a T2–T2 map). */
function axisBounds(key: string): [number, number] | undefined {
  const name = key.replace(/_2$/, '');
  if (name === 'T1' || name === 'T2') return [...BOUNDS.relaxationS];
  if (name === 'D') return [...BOUNDS.diffusionM2s];
  if (name === 'shift') return [-BOUNDS.shiftPpm, BOUNDS.shiftPpm];
  return undefined;
}

function inAxisBounds(where: string, key: string, v: unknown): Implausible | undefined {
  const b = axisBounds(key);
  if (!b) return undefined;
  if (typeof v !== 'number' || !(v >= b[0] && v <= b[1])) {
    return value(`${where}.${key} is ${typeof v === 'number' ? 'outside' : 'not a number within'} [${b[0]}, ${b[1]}]`);
  }
  return undefined;
}

/** A number, or null/absent where `nullable`, within [lo, hi]. */
function inRange(where: string, v: unknown, lo: number, hi: number, nullable = true): Implausible | undefined {
  if (v === undefined || (nullable && v === null)) return undefined;
  if (typeof v !== 'number' || !(v >= lo && v <= hi)) return value(`${where} is not a number within [${lo}, ${hi}]`);
  return undefined;
}

/** `check` on every axis-keyed entry of a per-axis object; other keys are the producer's extensions, kept as sent. */
function perAxis(
  where: string,
  obj: unknown,
  check: (where: string, key: string, v: unknown) => Implausible | undefined,
): Implausible | undefined {
  if (obj === undefined || obj === null) return undefined;
  for (const [k, v] of Object.entries(obj as Record<string, unknown>)) {
    if (!axisBounds(k)) continue;
    const p = check(where, k, v);
    if (p) return p;
  }
  return undefined;
}

type Peak = ResultEnvelope['document']['peaks'][number];

function checkPeak(where: string, peak: Peak, keys: string[]): Implausible | undefined {
  const position = peak.position as Record<string, unknown>;
  for (const key of keys) {
    const p = inAxisBounds(`${where}.position`, key, position[key]);
    if (p) return p;
  }
  const decades = (w: string, k: string, v: unknown) => inRange(`${w}.${k}`, v, 0, BOUNDS.decadesMax);
  const signed = (w: string, k: string, v: unknown) => inRange(`${w}.${k}`, v, -BOUNDS.decadesMax, BOUNDS.decadesMax);
  const u = peak.uncertainty;
  return (
    perAxis(`${where}.position`, position, inAxisBounds) ??
    perAxis(`${where}.extent`, peak.extent, (w, k, v) =>
      Array.isArray(v) && v.length === 2
        ? (inAxisBounds(w, k, v[0]) ?? inAxisBounds(w, k, v[1]))
        : value(`${w}.${k} is not a [lo, hi] pair`),
    ) ??
    perAxis(`${where}.widthDecades`, peak.widthDecades, (w, k, v) =>
      inRange(`${w}.${k}`, v, 0, BOUNDS.decadesMax, false),
    ) ??
    inRange(`${where}.t1t2Ratio`, peak.t1t2Ratio, 1 / BOUNDS.ratioMax, BOUNDS.ratioMax, false) ??
    (u
      ? (perAxis(`${where}.uncertainty.positionUncertaintyDecades`, u.positionUncertaintyDecades, decades) ??
        perAxis(`${where}.uncertainty.positionSdDecades`, u.positionSdDecades, decades) ??
        perAxis(`${where}.uncertainty.positionBiasDecades`, u.positionBiasDecades, signed) ??
        inRange(`${where}.uncertainty.fractionSd`, u.fractionSd, 0, 1 + BOUNDS.fractionTolerance))
      : undefined)
  );
}

/** A result envelope: its time, its texts, and every number that becomes a column or a plotted value. */
export function checkResult(env: ResultEnvelope, sample: string, receivedAt: Date): Implausible | undefined {
  const doc = env.document;
  const keys = resultAxisKeys(doc.axes.map((a) => a.name));
  const early =
    checkTime('producedAt', env.producedAt, receivedAt) ??
    checkText('path', env.path, BOUNDS.pathBytes) ??
    checkText('sample', sample, BOUNDS.sampleBytes) ??
    checkText('site', env.site, BOUNDS.shortTextBytes) ??
    checkText('document.method', doc.method, BOUNDS.shortTextBytes) ??
    inRange('document.fit.relativeResidual', doc.fit.relativeResidual, 0, BOUNDS.relativeResidualMax, false);
  if (early) return early;
  for (const [i, axis] of doc.axes.entries()) {
    for (const v of axis.values) {
      const p = inAxisBounds(`document.axes[${i}].values`, axis.name, v);
      if (p) return p;
    }
    for (const v of axis.sensitiveRange ?? []) {
      const p = inAxisBounds(`document.axes[${i}].sensitiveRange`, axis.name, v);
      if (p) return p;
    }
  }
  if (doc.peaks.length > BOUNDS.peaksMax)
    return value(`document has ${doc.peaks.length} peaks, limit ${BOUNDS.peaksMax}`);
  for (const [list, peaks] of [
    ['peaks', doc.peaks],
    ['unconfirmedPeaks', doc.unconfirmedPeaks ?? []],
  ] as const) {
    for (const [i, peak] of peaks.entries()) {
      const p = checkPeak(`document.${list}[${i}]`, peak, keys);
      if (p) return p;
    }
  }
  return undefined;
}

/**
 * A spectrum envelope, 1D or 2D: its time and texts, ppm within the shift bounds, axes with an extent, a 1D spectrum's
 * values that fit its axis (value i is point i × step; the schema checks a 2D one's rows × columns), and peak counts
 * of the vendor comparison that add up.
 */
export function checkSpectrum(env: SpectrumEnvelope, sample: string, receivedAt: Date): Implausible | undefined {
  const doc = env.document;
  const short = (name: string, v: string | undefined) => checkText(name, v, BOUNDS.shortTextBytes);
  const p = doc.processing;
  // the texts of the processing, by dimensions (each dimension of a 2D spectrum has its own window and reference)
  const processing =
    doc.dimensions === 1
      ? short('document.processing.reference', doc.processing.reference)
      : (short('document.processing.mode', doc.processing.mode) ??
        (['f1', 'f2'] as const)
          .map((f) => {
            const d = doc.processing[f];
            const at = `document.processing.${f}`;
            return (
              short(`${at}.window`, d.window) ??
              short(`${at}.reference`, d.reference) ??
              short(`${at}.phaseSource`, d.phaseSource)
            );
          })
          .find((x) => x !== undefined));
  const early =
    checkTime('producedAt', env.producedAt, receivedAt) ??
    checkText('path', env.path, BOUNDS.pathBytes) ??
    checkText('sample', sample, BOUNDS.sampleBytes) ??
    short('site', env.site) ??
    short('document.solvent', doc.solvent) ??
    short('document.instrument', doc.instrument) ??
    short('document.acquiredAt', doc.acquiredAt) ??
    short('document.software', doc.software) ??
    short('document.source.pulseProgram', doc.source.pulseProgram) ??
    short('document.source.layout', doc.source.layout) ??
    checkText('document.source.path', doc.source.path, BOUNDS.pathBytes) ??
    short('document.processing.baseline', p.baseline) ??
    short('document.processing.picker.method', p.picker.method) ??
    processing ??
    short('document.vendor.source', doc.vendor?.source);
  if (early) return early;
  if (doc.warnings.length > BOUNDS.warningsMax)
    return value(`document has ${doc.warnings.length} warnings, limit ${BOUNDS.warningsMax}`);
  for (const [i, w] of doc.warnings.entries()) {
    const bad = checkText(`document.warnings[${i}]`, w, BOUNDS.reasonBytes);
    if (bad) return bad;
  }
  const ppm = (where: string, v: number | undefined) =>
    v === undefined ? undefined : inRange(where, v, -BOUNDS.shiftPpm, BOUNDS.shiftPpm, false);
  for (const [i, a] of doc.axes.entries()) {
    const where = `document.axes[${i}]`;
    const bad =
      short(`${where}.nucleus`, a.nucleus) ??
      ppm(`${where}.first`, a.first) ??
      ppm(`${where}.last`, a.last) ??
      inRange(`${where}.size`, a.size, 2, BOUNDS.spectrumPointsMax, false) ??
      inRange(`${where}.frequencyMHz`, a.frequencyMHz, 0, BOUNDS.frequencyMHzMax, false) ??
      (a.first === a.last ? value(`${where} has no extent (first = last)`) : undefined);
    if (bad) return bad;
  }
  if (doc.dimensions === 1) {
    // value i stands for axis point i × step; min–max buckets may end up to two steps past the last point
    const { real, step } = doc.spectrum;
    const size = doc.axes[0]!.size;
    if ((real.length - 1) * step > size - 1 + 2 * step)
      return value(`document.spectrum has ${real.length} values of step ${step} for an axis of ${size} points`);
  }
  if (doc.peaks.length > BOUNDS.peaksMax)
    return value(`document has ${doc.peaks.length} peaks, limit ${BOUNDS.peaksMax}`);
  for (const [i, peak] of doc.peaks.entries()) {
    const where = `document.peaks[${i}]`;
    const bad =
      ppm(`${where}.shift`, peak.shift) ?? ppm(`${where}.shift1`, peak.shift1) ?? ppm(`${where}.shift2`, peak.shift2);
    if (bad) return bad;
  }
  if (doc.vendor && doc.vendor.matched > doc.vendor.peaks)
    return value(`document.vendor matched ${doc.vendor.matched} of ${doc.vendor.peaks} peaks`);
  return undefined;
}

export function checkStatus(s: StatusMessage, receivedAt: Date): Implausible | undefined {
  return (
    checkTime('at', s.at, receivedAt) ??
    checkText('site', s.site, BOUNDS.shortTextBytes) ??
    checkText('version', s.version, BOUNDS.shortTextBytes) ??
    checkText('reason', s.reason, BOUNDS.reasonBytes)
  );
}

export function checkHeartbeat(h: HeartbeatMessage, receivedAt: Date): Implausible | undefined {
  const counter = (name: keyof HeartbeatMessage) => inRange(name, h[name], 0, BOUNDS.counterMax, false);
  return (
    checkTime('at', h.at, receivedAt) ??
    checkTime('lastSuccessAt', h.lastSuccessAt, receivedAt) ??
    inRange('uptimeSeconds', h.uptimeSeconds, 0, BOUNDS.uptimeMaxS, false) ??
    counter('processed') ??
    counter('failed') ??
    counter('queued') ??
    counter('outboxDepth')
  );
}

export function checkEvent(e: EventMessage, receivedAt: Date): Implausible | undefined {
  return (
    checkTime('at', e.at, receivedAt) ??
    checkText('path', e.path, BOUNDS.pathBytes) ??
    checkText('reason', e.reason, BOUNDS.reasonBytes)
  );
}
