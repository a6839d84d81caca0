/**
 * The embedded broker's credentials: one per instrument (user name = the instrument id, as in docker/mosquitto)
 * and one for the dashboard. Made at random on first use and kept in a JSON file of mode 0600, so a restart (of
 * the broker, an agent or the dashboard) keeps working with the same ones. `lapis stack` keeps the file in its
 * state folder (`.lapis/broker-credentials.json`).
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import { instrumentIdSchema } from '@lapis/contracts';

/** The dashboard's user name (docker/mosquitto uses the same; no instrument may be named so). */
export const DASHBOARD_USER = 'lapis-dashboard';

const FORMAT = 'lapis-broker-credentials/1';

export interface BrokerCredential {
  username: string;
  password: string;
}

export interface BrokerCredentials {
  /** Reads `lapis/v1/#`; publishes nothing. */
  dashboard: BrokerCredential;
  /** Instrument id → its credential: publishes and subscribes under `lapis/v1/<id>/` only. */
  instruments: Record<string, BrokerCredential>;
}

const credentialSchema = z.strictObject({ username: z.string().min(1), password: z.string().min(16) });
const fileSchema = z.strictObject({
  format: z.literal(FORMAT),
  dashboard: credentialSchema,
  instruments: z.record(instrumentIdSchema, credentialSchema),
});

/** 24 random bytes, base64url: URL-safe, so it can sit in `mqtt://user:password@host` as it is. */
function newPassword(): string {
  return randomBytes(24).toString('base64url');
}

export interface LoadedCredentials {
  credentials: BrokerCredentials;
  /** Credentials made by this call (none on a restart with the same instruments). */
  made: string[];
}

/**
 * Reads `file` and adds a credential for each of `instruments` it lacks (and the dashboard's on first use), then
 * writes it back (mode 0600, atomically). A file readable by others is narrowed to 0600. Throws on a file that is
 * not one of these (rather than replace credentials someone may have copied).
 */
export function loadOrCreateBrokerCredentials(file: string, instruments: readonly string[]): LoadedCredentials {
  for (const id of instruments) {
    instrumentIdSchema.parse(id);
    if (id === DASHBOARD_USER)
      throw new Error(`an instrument cannot be named ${DASHBOARD_USER} (the dashboard's user)`);
  }
  let stored: BrokerCredentials | undefined;
  if (existsSync(file)) {
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(file, 'utf8'));
    } catch (e) {
      throw new Error(`${file}: not JSON (${(e as Error).message}); delete it to make new broker credentials`);
    }
    const parsed = fileSchema.safeParse(raw);
    if (!parsed.success) {
      throw new Error(`${file}: not a ${FORMAT} file (${parsed.error.issues[0]?.message}); delete it to make new ones`);
    }
    stored = { dashboard: parsed.data.dashboard, instruments: parsed.data.instruments };
    if (process.platform !== 'win32' && (statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
  }
  const made: string[] = [];
  const credentials: BrokerCredentials = stored ?? {
    dashboard: { username: DASHBOARD_USER, password: newPassword() },
    instruments: {},
  };
  if (!stored) made.push(DASHBOARD_USER);
  for (const id of instruments) {
    if (credentials.instruments[id]) continue;
    credentials.instruments[id] = { username: id, password: newPassword() };
    made.push(id);
  }
  if (made.length) writeCredentials(file, credentials);
  return { credentials, made };
}

function writeCredentials(file: string, c: BrokerCredentials): void {
  const tmp = `${file}.${process.pid}.tmp`;
  rmSync(tmp, { force: true });
  // Created 0600 (the umask can only narrow it), renamed into place: never readable by others, never half written.
  writeFileSync(tmp, JSON.stringify({ format: FORMAT, ...c }, null, 2) + '\n', { mode: 0o600, flag: 'wx' });
  renameSync(tmp, file);
}
