/**
 * The server process's single database, change bus and ingest. Next may load this module more than once (the
 * instrumentation hook and each route bundle), so the state lives on globalThis: one PGlite per data directory
 * is a hard rule, and the live feed must see the ingest's changes.
 */
import { readEnv } from '../env';
import { ChangeBus } from './bus';
import { openDb } from './db/client';
import type { DbHandle } from './db/client';
import { startAlerts, type AlertService } from './alerts/alertService';
import { startIngest } from './ingest/ingestService';
import type { IngestService } from './ingest/ingestService';
import { SpectrumRegions } from './spectra/spectrumRegions';
import type { Context } from './api/trpc';
import { randomBytes } from 'node:crypto';
import { createAuth, sessionUserOf, type Auth } from './auth/auth';
import { ensureBootstrapAdmin, ensureDemoAdmin } from './auth/accounts';

export interface ServerState {
  handle: DbHandle;
  bus: ChangeBus;
  ingest: IngestService | undefined;
  /** Full-resolution spectrum stretches asked of the agents, over the ingest's connection. */
  regions: SpectrumRegions | undefined;
  alerts: AlertService | undefined;
  auth: Auth;
  /** The demo admin's password of this start (never shown; the one-time link uses it), when the demo link is on. */
  demoPassword: string | undefined;
}

const KEY = Symbol.for('lapis.dashboard.state');
type WithState = typeof globalThis & { [KEY]?: Promise<ServerState> };

async function create(): Promise<ServerState> {
  const env = readEnv();
  const handle = await openDb({
    url: env.DATABASE_URL,
    dataDir: env.DATABASE_URL ? undefined : env.dbDir,
    migrationsFolder: env.LAPIS_DASHBOARD_MIGRATIONS,
  });
  console.info(
    `[dashboard] database: ${handle.kind === 'postgres' ? 'PostgreSQL (DATABASE_URL)' : `PGlite at ${env.dbDir}`}`,
  );
  const auth = createAuth(handle.db, env);
  if (env.LAPIS_ADMIN_EMAIL && env.LAPIS_ADMIN_PASSWORD) {
    const r = await ensureBootstrapAdmin(handle.db, env.LAPIS_ADMIN_EMAIL, env.LAPIS_ADMIN_PASSWORD);
    if (r === 'created') console.info(`[dashboard] admin ${env.LAPIS_ADMIN_EMAIL} created (LAPIS_ADMIN_EMAIL)`);
  }
  let demoPassword: string | undefined;
  if (env.LAPIS_DEMO_SIGNIN_TOKEN) {
    demoPassword = randomBytes(24).toString('base64url');
    await ensureDemoAdmin(handle.db, demoPassword);
  }
  const bus = new ChangeBus();
  const ingest =
    env.LAPIS_INGEST === 'on'
      ? startIngest({
          // Its own handle on the database: on PGlite the ingest waits for page queries in flight before each write.
          db: handle.ingestDb,
          readsFirst: () => handle.readsFirst(),
          bus,
          url: env.MQTT_URL,
          clientId: env.LAPIS_DASHBOARD_CLIENT_ID,
          knownInstruments: env.knownInstruments,
          concurrency: handle.kind === 'postgres' ? 8 : 1,
          ack: env.LAPIS_INGEST_ACK,
          ...(env.LAPIS_INGEST_SHARE_GROUP ? { shareGroup: env.LAPIS_INGEST_SHARE_GROUP } : {}),
        })
      : undefined;
  // Incidents are recorded (and a webhook told) by every dashboard process; the database keeps them single.
  const alerts =
    env.LAPIS_ALERT_INTERVAL_S > 0
      ? startAlerts({
          db: handle.db,
          intervalMs: env.LAPIS_ALERT_INTERVAL_S * 1000,
          ...(env.LAPIS_ALERT_WEBHOOK_URL ? { webhookUrl: env.LAPIS_ALERT_WEBHOOK_URL } : {}),
          ...(env.LAPIS_PUBLIC_URL ? { publicUrl: env.LAPIS_PUBLIC_URL } : {}),
          ...(env.LAPIS_SMTP_URL && env.LAPIS_ALERT_EMAIL_TO
            ? {
                email: {
                  smtpUrl: env.LAPIS_SMTP_URL,
                  to: env.LAPIS_ALERT_EMAIL_TO.split(',').map((a) => a.trim()),
                  from: env.LAPIS_ALERT_EMAIL_FROM,
                },
              }
            : {}),
        })
      : undefined;
  const regions = ingest ? new SpectrumRegions(ingest.client) : undefined;
  return { handle, bus, ingest, regions, alerts, auth, demoPassword };
}

export function getServerState(): Promise<ServerState> {
  const g = globalThis as WithState;
  g[KEY] ??= create().catch((err) => {
    delete g[KEY]; // let the next request try again rather than serve a dead promise forever
    throw err;
  });
  return g[KEY];
}

/** A request's context: the database, the bus and the person signed in with `headers`' session cookie (if any). */
export async function createContext(headers: Headers): Promise<Context> {
  const s = await getServerState();
  const user = await sessionUserOf(s.auth, headers);
  return {
    db: s.handle.db,
    bus: s.bus,
    ingest: s.ingest?.counters,
    dbKind: s.handle.kind,
    user,
    ...(s.ingest ? { publish: s.ingest.publish } : {}),
    ...(s.regions ? { regions: s.regions } : {}),
  };
}
