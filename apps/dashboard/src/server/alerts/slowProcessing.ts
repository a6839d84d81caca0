/**
 * "Processing slower than usual": per instrument, the time from an acquisition's `started` event to its `finished`
 * event, the median of the latest 3 against the median of up to 50 before them. Slower means at least 3× the usual
 * and at least 5 s more (so a 0.2 s analysis taking 0.7 s is not an alert).
 */
import { sql } from 'drizzle-orm';
import type { Db } from '../db/client';

export interface Timed {
  key: string;
  kind: 'started' | 'finished';
  at: Date;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** The latest and usual processing times (s) of one instrument's events, or undefined with too little history. */
export function processingTimes(events: readonly Timed[]): { recent: number; usual: number } | undefined {
  const started = new Map<string, number>();
  for (const e of events) if (e.kind === 'started') started.set(e.key, Math.max(started.get(e.key) ?? 0, +e.at));
  const durations = events
    .filter((e) => e.kind === 'finished' && started.has(e.key) && +e.at >= started.get(e.key)!)
    .sort((a, b) => +b.at - +a.at)
    .map((e) => (+e.at - started.get(e.key)!) / 1000);
  if (durations.length < 13) return undefined;
  return { recent: median(durations.slice(0, 3)), usual: median(durations.slice(3, 53)) };
}

export const isSlow = (t: { recent: number; usual: number }) => t.recent >= 3 * t.usual && t.recent - t.usual >= 5;

/** Instruments whose processing is slower than usual now, with the two times. */
export async function slowInstruments(db: Db): Promise<Map<string, { recent: number; usual: number }>> {
  // the latest 120 start/finish events of each instrument, from the (instrument_id, at) index
  const rows = (await db.execute(sql`
    select i.id as instrument_id, e.kind, e.key, e.at
    from instruments i
    cross join lateral (
      select kind, key, at from events
      where instrument_id = i.id and kind in ('started', 'finished') and key is not null
      order by at desc limit 120
    ) e`)) as unknown as { rows: { instrument_id: string; kind: 'started' | 'finished'; key: string; at: string }[] };
  const byInstrument = new Map<string, Timed[]>();
  for (const r of rows.rows) {
    const list = byInstrument.get(r.instrument_id) ?? [];
    list.push({ key: r.key, kind: r.kind, at: new Date(r.at) });
    byInstrument.set(r.instrument_id, list);
  }
  const slow = new Map<string, { recent: number; usual: number }>();
  for (const [id, events] of byInstrument) {
    const t = processingTimes(events);
    if (t && isSlow(t)) slow.set(id, t);
  }
  return slow;
}
