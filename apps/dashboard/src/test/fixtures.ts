/** Real result documents and envelopes for tests (the cheese document was written by `lapis invert`). */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resultEnvelopeSchema } from '@lapis/contracts';
import type { ResultDoc, ResultEnvelope } from '@lapis/contracts';

export const cheeseDoc: ResultDoc = JSON.parse(
  readFileSync(new URL('./fixtures/cheese-t1t2.result.json', import.meta.url), 'utf8'),
);

/** A TopSpin DOSY pseudo-2D (gelatin gel, 400 MHz, simulated) as `lapis invert` writes it: regions and spectrum. */
export const gelDosyDoc: ResultDoc = JSON.parse(
  readFileSync(new URL('./fixtures/gel-dosy.result.json', import.meta.url), 'utf8'),
);

export const sha = (s: string) => createHash('sha256').update(s).digest('hex');

export interface EnvelopeOptions {
  instrument?: string;
  seed?: string;
  producedAt?: string;
  sample?: string;
  /** Scale the peak fractions (keeps their order); for trends. */
  fractionScale?: number;
  /** Peaks instead of the cheese document's (positions in SI units); for populations followed over time. */
  peaks?: { position: Record<string, number>; fraction: number; widthDecades?: Record<string, number> }[];
  /** The acquisition folder (default `/data/<instrument>/<sample>/<seed>`). */
  path?: string;
  /** Another document than the cheese one (e.g. gelDosyDoc). */
  document?: ResultDoc;
}

/** A valid `lapis-mqtt-result/1` envelope around the cheese document; `seed` makes the key unique. */
export function envelope(o: EnvelopeOptions = {}): ResultEnvelope {
  const instrument = o.instrument ?? 'minispec-1';
  const seed = o.seed ?? 'a';
  const doc = structuredClone(o.document ?? cheeseDoc) as ResultDoc & { sample?: string };
  if (o.sample) doc.sample = o.sample;
  if (o.fractionScale) for (const p of doc.peaks) p.fraction *= o.fractionScale;
  if (o.peaks) doc.peaks = o.peaks.map((p) => ({ ...p })) as ResultDoc['peaks'];
  return resultEnvelopeSchema.parse({
    format: 'lapis-mqtt-result/1',
    key: sha(`${instrument}/${seed}`),
    instrument,
    path: o.path ?? `/data/${instrument}/${o.sample ?? 'cheese'}/${seed}`,
    producedAt: o.producedAt ?? '2026-11-21T10:00:00.000Z',
    historical: false,
    provenance: {
      rawDataHash: sha(`raw/${seed}`),
      softwareVersion: '0.1.0',
      pipelineVersion: 'p1',
      method: 'tikhonov',
      parameters: { grid: 64 },
      reader: 'lapis-acquisition/1',
    },
    document: doc,
  });
}

export const json = (v: unknown) => Buffer.from(JSON.stringify(v));
