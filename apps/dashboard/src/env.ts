/**
 * The dashboard's configuration, read once from the environment and validated, so a typo fails at start-up
 * with the variable's name rather than later as an odd connection error.
 */
import { resolve } from 'node:path';
import { z } from 'zod';
import { formatIssues } from '@lapis/contracts/issues';
import { parseAllowedHosts } from './server/http/hosts';

const envSchema = z.object({
  /** PostgreSQL connection string; when absent the embedded PGlite database is used. */
  DATABASE_URL: z.string().url().optional(),
  /** PGlite data directory (default `.lapis/dashboard-db` under the working directory). */
  LAPIS_DASHBOARD_DB_DIR: z.string().min(1).default('.lapis/dashboard-db'),
  /** Folder of the drizzle-kit migrations; found next to the app when unset. */
  LAPIS_DASHBOARD_MIGRATIONS: z.string().min(1).optional(),
  /** Broker the agents publish to. */
  MQTT_URL: z.string().min(1).default('mqtt://127.0.0.1:1883'),
  /** `off` disables the MQTT ingest (a read-only dashboard over an existing database). */
  LAPIS_INGEST: z.enum(['on', 'off']).default('on'),
  /** When the ingest acknowledges a message: `written` (default; nothing lost on a crash) or `received` (faster). */
  LAPIS_INGEST_ACK: z.enum(['written', 'received']).default('written'),
  /** Comma-separated allow-list of instrument ids; when set, messages from any other instrument are refused. */
  LAPIS_INSTRUMENTS: z.string().optional(),
  /** MQTT client id; stable by default so the broker keeps QoS 1 messages for the dashboard while it is down. */
  LAPIS_DASHBOARD_CLIENT_ID: z.string().min(1).default('lapis-dashboard'),
  /**
   * Several dashboard processes: the same MQTT 5 share group in each (and a client id of its own) divides the
   * results between them (server/ingest/ingestService.ts); needs an MQTT 5 broker. Unset: one process takes all.
   */
  LAPIS_INGEST_SHARE_GROUP: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, '1–64 letters, digits, - or _')
    .optional(),
  /**
   * Host names (or addresses) the dashboard answers besides localhost, 127.0.0.1, [::1], the machine's hostname and
   * addresses: comma-separated, `.example.org` for a whole domain, `*` for any (server/http/hosts.ts).
   */
  LAPIS_ALLOWED_HOSTS: z
    .string()
    .optional()
    .superRefine((v, ctx) => {
      try {
        parseAllowedHosts(v);
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: (err as Error).message });
      }
    }),
  /** Where alerts are POSTed (server/alerts/alertService.ts; Slack/Teams incoming webhooks read its `text`). */
  LAPIS_ALERT_WEBHOOK_URL: z.string().url().optional(),
  /** Alerts by e-mail: the SMTP server (`smtp://user:password@host:587`, `smtps://…:465`), recipients, sender. */
  LAPIS_SMTP_URL: z
    .string()
    .url()
    .refine((u) => /^smtps?:/.test(u), 'smtp:// or smtps://')
    .optional(),
  LAPIS_ALERT_EMAIL_TO: z
    .string()
    .refine(
      (v) => v.split(',').every((a) => z.string().email().safeParse(a.trim()).success),
      'comma-separated e-mail addresses',
    )
    .optional(),
  LAPIS_ALERT_EMAIL_FROM: z.string().min(3).max(200).default('Lapis <lapis@localhost>'),
  /**
   * Seconds between two evaluations of the fleet for alerts; 0 turns alerts off. 15 s: an agent whose link goes
   * silent is declared offline by the broker after 1.5 keep-alives (45 s), so the alert follows within 60 s, two of
   * its 30-s heartbeats.
   */
  LAPIS_ALERT_INTERVAL_S: z.coerce.number().int().min(0).max(86_400).default(15),
  /** The dashboard's address as users reach it, for links in alerts. */
  LAPIS_PUBLIC_URL: z.string().url().optional(),
  /**
   * Signs session cookies (32 characters or more, e.g. `openssl rand -hex 32`). Required to serve in production;
   * `lapis stack` makes one and keeps it in its state folder.
   */
  LAPIS_AUTH_SECRET: z.string().min(32, 'at least 32 characters (openssl rand -hex 32)').optional(),
  /** The first admin, created at start when no admin exists (server/auth/bootstrap.ts). */
  LAPIS_ADMIN_EMAIL: z.string().email().optional(),
  LAPIS_ADMIN_PASSWORD: z.string().min(10, 'at least 10 characters').max(200).optional(),
  /** Single sign-on: an OpenID Connect issuer (its /.well-known/openid-configuration is read) and this client. */
  LAPIS_OIDC_ISSUER: z.string().url().optional(),
  LAPIS_OIDC_CLIENT_ID: z.string().min(1).optional(),
  LAPIS_OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  /** The sign-in button's words, e.g. `Sign in with Keycloak`. */
  LAPIS_OIDC_LABEL: z.string().min(1).max(60).default('Sign in with single sign-on'),
  /** Role of someone who signs in by SSO for the first time (an admin changes it on /admin). */
  LAPIS_OIDC_DEFAULT_ROLE: z.enum(['viewer', 'manager', 'admin']).default('viewer'),
  /** A one-time sign-in link's token (`/signin/token?t=…`), as `lapis stack` prints it for the demo. */
  LAPIS_DEMO_SIGNIN_TOKEN: z.string().min(32).optional(),
  /** Live-feed streams (one per open page) one client address may hold, and the server in all. */
  LAPIS_LIVE_PER_CLIENT: z.coerce.number().int().min(1).max(1000).default(4),
  LAPIS_LIVE_MAX: z.coerce.number().int().min(1).max(100_000).default(100),
});

export type Env = z.infer<typeof envSchema> & { dbDir: string; knownInstruments: Set<string> | undefined };

/** Why the dashboard must not serve with `env` in production (undefined: sign-in is configured). */
export function authProblem(env: Env): string | undefined {
  if (!env.LAPIS_AUTH_SECRET) return 'LAPIS_AUTH_SECRET is not set (32+ characters: openssl rand -hex 32)';
  if (Boolean(env.LAPIS_ADMIN_EMAIL) !== Boolean(env.LAPIS_ADMIN_PASSWORD))
    return 'set LAPIS_ADMIN_EMAIL and LAPIS_ADMIN_PASSWORD together';
  const oidc = [env.LAPIS_OIDC_ISSUER, env.LAPIS_OIDC_CLIENT_ID, env.LAPIS_OIDC_CLIENT_SECRET].filter(Boolean).length;
  if (oidc !== 0 && oidc !== 3)
    return 'set LAPIS_OIDC_ISSUER, LAPIS_OIDC_CLIENT_ID and LAPIS_OIDC_CLIENT_SECRET together';
  return undefined;
}

/** Parses `source` (default `process.env`); throws a TypeError naming every bad variable. */
export function readEnv(source: Record<string, string | undefined> = process.env): Env {
  // An empty variable is an unset one (compose passes `${VAR:-}` as an empty string).
  const set = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(set);
  if (!parsed.success) {
    const problems = formatIssues(parsed.error.issues, { root: '' });
    throw new TypeError(`dashboard environment: ${problems}`, { cause: parsed.error });
  }
  const env = parsed.data;
  const list = env.LAPIS_INSTRUMENTS?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return {
    ...env,
    dbDir: resolve(env.LAPIS_DASHBOARD_DB_DIR),
    knownInstruments: list && list.length > 0 ? new Set(list) : undefined,
  };
}
