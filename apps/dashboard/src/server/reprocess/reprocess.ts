/**
 * Reprocessing from the dashboard: the acquisitions a manager picked (by key, or by a filter on one instrument)
 * become one `cmd/reprocess` request per instrument, naming the folders, the method and who asked. The agents
 * answer on `cmd/reprocess/reply` (stored by the ingest) and publish each new result as a version of its own.
 */
import { randomUUID } from 'node:crypto';
import { and, desc, eq, gte, ilike, inArray, lte } from 'drizzle-orm';
import { mqttTopic, type ReprocessRequest } from '@lapis/contracts';
import type { Db } from '../db/client';
import { escapeLike } from '../db/like';
import { acquisitions, reprocessRequests } from '../db/schema';
import { audit } from '../audit/audit';
import type { SessionUser } from '../auth/roles';

/** Most folders one request may name (the agent's queue takes them one by one). */
export const MAX_REPROCESS_PATHS = 2000;

export type Selection =
  | { keys: string[] }
  /** As the instrument page filters: `sample` a case-insensitive part of the sample name. */
  | { filter: { instrument: string; sample?: string; experiment?: string; from?: Date; to?: Date } };

/** The distinct (instrument, folder) pairs a selection names, at most MAX_REPROCESS_PATHS + 1. */
export async function reprocessTargets(db: Db, sel: Selection): Promise<Map<string, string[]>> {
  const where =
    'keys' in sel
      ? inArray(acquisitions.key, sel.keys)
      : and(
          eq(acquisitions.instrumentId, sel.filter.instrument),
          sel.filter.sample ? ilike(acquisitions.sample, `%${escapeLike(sel.filter.sample)}%`) : undefined,
          sel.filter.experiment ? eq(acquisitions.experiment, sel.filter.experiment) : undefined,
          sel.filter.from ? gte(acquisitions.producedAt, sel.filter.from) : undefined,
          sel.filter.to ? lte(acquisitions.producedAt, sel.filter.to) : undefined,
        );
  const rows = await db
    .selectDistinct({ instrumentId: acquisitions.instrumentId, path: acquisitions.path })
    .from(acquisitions)
    .where(where)
    .limit(MAX_REPROCESS_PATHS + 1);
  const byInstrument = new Map<string, string[]>();
  for (const r of rows) byInstrument.set(r.instrumentId, [...(byInstrument.get(r.instrumentId) ?? []), r.path]);
  return byInstrument;
}

export interface SentRequest {
  requestId: string;
  instruments: number;
  paths: number;
}

/** Sends the request to each instrument's agent, records it, and audits it. */
export async function sendReprocess(
  db: Db,
  publish: (topic: string, payload: string) => Promise<void>,
  user: SessionUser,
  targets: Map<string, string[]>,
  method: ReprocessRequest['method'],
): Promise<SentRequest> {
  const requestId = randomUUID();
  const at = new Date();
  let paths = 0;
  for (const [instrument, list] of targets) {
    const request: ReprocessRequest = {
      requestId,
      paths: list,
      requestedBy: user.email,
      ...(method ? { method } : {}),
    };
    await db.insert(reprocessRequests).values({
      id: requestId,
      instrumentId: instrument,
      at,
      byEmail: user.email,
      method: method ?? null,
      paths: list,
    });
    await publish(mqttTopic(instrument, 'cmd/reprocess'), JSON.stringify(request));
    paths += list.length;
  }
  await audit(db, user, 'reprocess.request', requestId, {
    method: method ?? 'rules',
    instruments: [...targets.keys()],
    paths,
  });
  return { requestId, instruments: targets.size, paths };
}

/** The latest requests, newest first, with the agents' replies where they came. */
export function recentRequests(db: Db, limit: number) {
  return db.select().from(reprocessRequests).orderBy(desc(reprocessRequests.at)).limit(limit);
}
