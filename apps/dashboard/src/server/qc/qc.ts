/**
 * Quality control: the series of a reference (its matching results, oldest first, reprocessed versions left out so
 * each acquisition counts once), the limits from its baseline and the Westgard rules each later result breaks.
 */
import { and, asc, eq, ilike, inArray, isNull } from 'drizzle-orm';
import type { Db } from '../db/client';
import { escapeLike } from '../db/like';
import { acquisitions, peaks, qcReferences, type QcReferenceRow } from '../db/schema';
import { qcValue, type QcQuantity } from '../../lib/qcQuantity';
import { isRejection, limitsOf, rulesBrokenAt, type Limits, type WestgardRule } from '../../lib/westgard';

/** Most results one chart reads (the newest are kept when there are more). */
export const QC_MAX_POINTS = 500;

export interface QcPoint {
  key: string;
  instrumentId: string;
  sample: string | null;
  producedAt: Date;
  value: number;
  /** Part of the baseline the limits come from. */
  baseline: boolean;
  z: number | null;
  rules: WestgardRule[];
}

export interface QcSeries {
  reference: QcReferenceRow;
  limits: Limits | undefined;
  points: QcPoint[];
  /** The latest point breaks a rejection rule. */
  outOfControl: boolean;
}

export async function qcSeries(db: Db, reference: QcReferenceRow): Promise<QcSeries> {
  const rows = await db
    .select({
      key: acquisitions.key,
      instrumentId: acquisitions.instrumentId,
      sample: acquisitions.sample,
      producedAt: acquisitions.producedAt,
    })
    .from(acquisitions)
    .where(
      and(
        ilike(acquisitions.sample, `${escapeLike(reference.samplePrefix)}%`),
        reference.instrumentId ? eq(acquisitions.instrumentId, reference.instrumentId) : undefined,
        reference.experiment ? eq(acquisitions.experiment, reference.experiment) : undefined,
        isNull(acquisitions.requestId),
      ),
    )
    .orderBy(asc(acquisitions.producedAt))
    .limit(5000);
  const recent = rows.slice(-QC_MAX_POINTS);
  // the baseline is the reference's first results, even when the chart shows only the latest
  const baselineKeys = new Set(rows.slice(0, reference.baselineCount).map((r) => r.key));
  const wanted = [...new Set([...baselineKeys, ...recent.map((r) => r.key)])];
  const peakRows = wanted.length
    ? await db
        .select({ key: peaks.acquisitionKey, fraction: peaks.fraction, t1: peaks.t1, t2: peaks.t2, d: peaks.d })
        .from(peaks)
        .where(inArray(peaks.acquisitionKey, wanted))
    : [];
  const byKey = new Map<string, typeof peakRows>();
  for (const p of peakRows) byKey.set(p.key, [...(byKey.get(p.key) ?? []), p]);
  const quantity = reference.quantity as QcQuantity;
  const valueOf = (key: string) => qcValue(byKey.get(key) ?? [], quantity);
  const baselineValues = rows
    .slice(0, reference.baselineCount)
    .map((r) => valueOf(r.key))
    .filter((v): v is number => v !== undefined);
  const limits = baselineValues.length >= reference.baselineCount ? limitsOf(baselineValues) : undefined;
  const points: QcPoint[] = [];
  for (const r of recent) {
    const value = valueOf(r.key);
    if (value === undefined) continue;
    points.push({
      ...r,
      value,
      baseline: baselineKeys.has(r.key),
      z: limits ? (value - limits.mean) / limits.sd : null,
      rules: [],
    });
  }
  if (limits) {
    const z = points.map((p) => p.z!);
    // rules judge results after the baseline; the baseline itself defines "in control"
    points.forEach((p, i) => {
      if (!p.baseline) p.rules = rulesBrokenAt(z, i);
    });
  }
  const last = points.at(-1);
  return { reference, limits, points, outOfControl: Boolean(last && isRejection(last.rules)) };
}

/** Every reference in use. */
export function activeReferences(db: Db): Promise<QcReferenceRow[]> {
  return db.select().from(qcReferences).where(isNull(qcReferences.retiredAt)).orderBy(asc(qcReferences.id));
}
