/**
 * Writes one spectrum envelope (`lapis-mqtt-spectrum/1`, already checked by ingestMessage) to `spectra`, once per
 * key: the instrument and the row in one statement, so a replay or a QoS 1 repeat costs one round trip and stores
 * nothing.
 */
import { sql } from 'drizzle-orm';
import type { SpectrumEnvelope } from '@lapis/contracts';
import { dimensionsOf, nucleusOf } from '../../lib/spectrumDocument';
import { spectrumThumbnailOf } from '../../lib/spectrumThumbnail';
import type { Db } from '../db/client';

/**
 * The sample name: the document's own `sample` (TopSpin's), else the folder's name — the dataset's, when the folder
 * is a TopSpin experiment number (`/data/aspirin/1` is aspirin).
 */
export function spectrumSampleOf(env: Pick<SpectrumEnvelope, 'path' | 'document'>): string {
  const s = env.document.sample;
  if (typeof s === 'string' && s.length > 0) return s;
  // '/' or '\\': agents on Windows send their own paths
  const parts = env.path.split(/[\\/]+/).filter((p) => p.length > 0);
  const name = parts.at(-1);
  if (name && /^\d+$/.test(name) && parts.length > 1) return parts.at(-2)!;
  return name ?? env.path;
}

/** Inserts the spectrum; false when its key was already stored. */
export async function storeSpectrum(db: Db, env: SpectrumEnvelope, sample: string, now: Date): Promise<boolean> {
  const doc = env.document;
  // JSON null (not SQL NULL) where there is no picture
  const thumbnail = spectrumThumbnailOf(doc);
  const res = await db.execute(sql`
    with ins as (
      insert into instruments (id, site, first_seen_at)
      values (${env.instrument}, ${env.site ?? null}, ${now.toISOString()}::timestamptz)
      on conflict do nothing
    ), sp as (
      insert into spectra (key, instrument_id, path, sample, nucleus, pulse_program, solvent, dimensions, produced_at,
                           received_at, historical, reprocessed, peak_count, noise, provenance, document, thumbnail,
                           request_id, requested_by)
      values (${env.key}, ${env.instrument}, ${env.path}, ${sample}, ${nucleusOf(doc)},
              ${doc.source.pulseProgram ?? null}, ${doc.solvent ?? null}, ${dimensionsOf(doc)}::int,
              ${env.producedAt}::timestamptz, ${now.toISOString()}::timestamptz, ${env.historical},
              ${env.reprocessed ?? false}, ${doc.peaks.length}::int, ${doc.noise}::float8,
              ${JSON.stringify(env.provenance)}::jsonb, ${JSON.stringify(doc)}::json, ${JSON.stringify(thumbnail)}::jsonb,
              ${env.request?.id ?? null}, ${env.request?.by ?? null})
      on conflict do nothing
      returning key
    )
    select count(*)::int as n from sp`);
  const rows = (res as unknown as { rows: { n: number }[] }).rows;
  return Number(rows[0]?.n ?? 0) > 0;
}
