/**
 * Each instrument's latest spectrum, for the fleet: one round trip, the lateral join and the day's count served by
 * the (instrument, produced_at) index, so the cost grows with the fleet, not with the history. Only the columns and
 * the stored thumbnail travel, never the documents.
 */
import { sql } from 'drizzle-orm';
import type { SpectrumThumbnail } from '../../lib/spectrumThumbnail';
import type { Db } from '../db/client';

export interface LatestSpectrum {
  instrumentId: string;
  key: string;
  sample: string | null;
  nucleus: string | null;
  pulseProgram: string | null;
  solvent: string | null;
  dimensions: number;
  producedAt: Date;
  peakCount: number;
  thumbnail: SpectrumThumbnail | null;
  /** Spectra of the instrument produced since `dayStart`. */
  today: number;
}

const asJson = <T>(v: unknown): T | null => (v == null ? null : ((typeof v === 'string' ? JSON.parse(v) : v) as T));

export async function latestSpectra(db: Db, dayStart: Date): Promise<LatestSpectrum[]> {
  const res = await db.execute(sql`
    select i.id as instrument_id, s.key, s.sample, s.nucleus, s.pulse_program, s.solvent, s.dimensions,
           s.produced_at, s.peak_count, s.thumbnail,
           (select count(*) from spectra t
             where t.instrument_id = i.id and t.produced_at >= ${dayStart.toISOString()}::timestamptz) as today
    from instruments i
    join lateral (
      select key, sample, nucleus, pulse_program, solvent, dimensions, produced_at, peak_count, thumbnail
      from spectra s where s.instrument_id = i.id order by s.produced_at desc limit 1
    ) s on true
    order by i.id`);
  const rows = (res as unknown as { rows: Record<string, unknown>[] }).rows;
  return rows.map((r) => ({
    instrumentId: String(r.instrument_id),
    key: String(r.key),
    sample: (r.sample as string | null) ?? null,
    nucleus: (r.nucleus as string | null) ?? null,
    pulseProgram: (r.pulse_program as string | null) ?? null,
    solvent: (r.solvent as string | null) ?? null,
    dimensions: Number(r.dimensions ?? 1),
    producedAt: r.produced_at instanceof Date ? r.produced_at : new Date(String(r.produced_at)),
    peakCount: Number(r.peak_count ?? 0),
    thumbnail: asJson<SpectrumThumbnail>(r.thumbnail),
    today: Number(r.today ?? 0),
  }));
}
