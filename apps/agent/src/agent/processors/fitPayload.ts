/**
 * Keeps a result document small enough for MQTT (MQTT_MAX_PAYLOAD_BYTES): when the serialised envelope is too big,
 * the distribution is averaged over neighbouring cells (2 → 1 along every axis, axis values by geometric mean since
 * grids are log-spaced) until it fits, and the envelope says so in `reduced`. Peaks and fit numbers, computed on
 * the full map, are kept as they are. Numbers are also rounded to 6 significant digits, which no plot can tell apart.
 */
import type { ResultDoc } from '@lapis/contracts';

export interface Reduction {
  reason: string;
  from: number[];
  to: number[];
}

const round = (v: number) => (v === 0 || !Number.isFinite(v) ? v : Number(v.toPrecision(6)));

function halveAxis(values: number[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < values.length; i += 2) {
    const a = values[i]!;
    const b = values[i + 1];
    out.push(b === undefined ? a : a > 0 && b > 0 ? Math.sqrt(a * b) : (a + b) / 2);
  }
  return out;
}

function halve(doc: ResultDoc): ResultDoc {
  const axes = doc.axes.map((a) => ({ ...a, values: halveAxis(a.values) }));
  const dist = doc.distribution;
  let distribution: number[] | number[][];
  if (doc.axes.length === 1) {
    const d = dist as number[];
    const flat: number[] = [];
    distribution = flat;
    for (let i = 0; i < d.length; i += 2) flat.push((d[i] ?? 0) + (d[i + 1] ?? 0));
  } else {
    const d = dist as number[][];
    const rows: number[][] = [];
    for (let i = 0; i < d.length; i += 2) {
      const r0 = d[i]!;
      const r1 = d[i + 1];
      const row: number[] = [];
      for (let j = 0; j < r0.length; j += 2) {
        // Sums, not means: cell amplitudes are integrals (data = K·f sums them), so sums keep the total.
        row.push((r0[j] ?? 0) + (r0[j + 1] ?? 0) + (r1?.[j] ?? 0) + (r1?.[j + 1] ?? 0));
      }
      rows.push(row);
    }
    distribution = rows;
  }
  return { ...doc, axes, distribution } as ResultDoc;
}

function roundDoc(doc: ResultDoc): ResultDoc {
  const axes = doc.axes.map((a) => ({ ...a, values: a.values.map(round) }));
  const distribution =
    doc.axes.length === 1
      ? (doc.distribution as number[]).map(round)
      : (doc.distribution as number[][]).map((row) => row.map(round));
  return { ...doc, axes, distribution } as ResultDoc;
}

/**
 * Returns the document to send and, if it had to be shrunk, what was done. `serialise` builds the whole payload
 * from a document so that the envelope around it is counted too.
 */
export function fitPayload(
  doc: ResultDoc,
  maxBytes: number,
  serialise: (doc: ResultDoc, reduced?: Reduction) => string,
): { document: ResultDoc; payload: string; reduced?: Reduction } {
  let current = roundDoc(doc);
  let payload = serialise(current);
  if (Buffer.byteLength(payload) <= maxBytes) return { document: current, payload };
  const from = doc.axes.map((a) => a.values.length);
  for (let round = 0; round < 8; round++) {
    current = halve(current);
    const reduced: Reduction = {
      reason: `distribution summed over neighbouring cells to keep the payload under ${maxBytes} bytes`,
      from,
      to: current.axes.map((a) => a.values.length),
    };
    payload = serialise(current, reduced);
    if (Buffer.byteLength(payload) <= maxBytes) return { document: current, payload, reduced };
  }
  throw new RangeError(
    `result payload stays above ${maxBytes} bytes even at ${current.axes.map((a) => a.values.length).join('×')} cells`,
  );
}
