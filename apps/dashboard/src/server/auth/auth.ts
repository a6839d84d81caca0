/**
 * Sign-in with better-auth: local accounts (e-mail and password, hashed with argon2id by @node-rs/argon2; no
 * self sign-up — an admin adds people on /admin, or the first admin comes from the environment) and, when
 * configured, OpenID Connect single sign-on (any issuer with a discovery document). Sessions live in the database
 * (`auth_sessions`) and are read on every request, so a role change or a removed user takes effect at once.
 */
import { hash as argon2Hash, verify as argon2Verify } from '@node-rs/argon2';
import { betterAuth } from 'better-auth';
import { drizzleAdapter } from 'better-auth/adapters/drizzle';
import { genericOAuth } from 'better-auth/plugins/generic-oauth';
import { eq } from 'drizzle-orm';
import type { Env } from '../../env';
import type { Db } from '../db/client';
import { authAccounts, authSessions, authUsers, authVerifications } from '../db/schema';
import { audit } from '../audit/audit';
import { isRole, type SessionUser } from './roles';

/** Used only outside production (next dev, tests) when no secret is set; production refuses to start without one. */
const DEVELOPMENT_SECRET = 'lapis-development-secret-not-for-production-use';

export const OIDC_PROVIDER_ID = 'oidc';

// argon2id with the library's defaults (19 MiB, 2 passes: OWASP's minimum for argon2id).
export const hashPassword = (password: string): Promise<string> => argon2Hash(password);
export const verifyPassword = (hash: string, password: string): Promise<boolean> =>
  argon2Verify(hash, password).catch(() => false);

/** A request's own origin (`http(s)://host`), trusted for sign-in POSTs: the proxy has already refused other hosts. */
function ownOrigin(request?: Request): string[] {
  const host = request?.headers.get('host');
  if (!host) return [];
  return [`http://${host}`, `https://${host}`];
}

export function createAuth(db: Db, env: Env) {
  const oidc = env.LAPIS_OIDC_ISSUER && env.LAPIS_OIDC_CLIENT_ID && env.LAPIS_OIDC_CLIENT_SECRET;
  return betterAuth({
    appName: 'Lapis',
    secret: env.LAPIS_AUTH_SECRET ?? DEVELOPMENT_SECRET,
    // Links and the SSO callback use the address the browser used (the Host header, which src/proxy.ts has checked
    // against LAPIS_ALLOWED_HOSTS), unless the dashboard's public address is configured.
    baseURL: env.LAPIS_PUBLIC_URL ?? { allowedHosts: ['*'], protocol: 'auto' },
    basePath: '/api/auth',
    trustedOrigins: (request) => [...ownOrigin(request), ...(env.LAPIS_PUBLIC_URL ? [env.LAPIS_PUBLIC_URL] : [])],
    database: drizzleAdapter(db, {
      provider: 'pg',
      schema: { user: authUsers, session: authSessions, account: authAccounts, verification: authVerifications },
    }),
    telemetry: { enabled: false },
    emailAndPassword: {
      enabled: true,
      disableSignUp: true,
      minPasswordLength: 10,
      maxPasswordLength: 200,
      password: { hash: hashPassword, verify: ({ hash, password }) => verifyPassword(hash, password) },
    },
    user: {
      additionalFields: {
        role: { type: 'string', required: false, defaultValue: env.LAPIS_OIDC_DEFAULT_ROLE, input: false },
      },
    },
    session: { expiresIn: 7 * 24 * 3600, updateAge: 24 * 3600 },
    account: { accountLinking: { enabled: true, trustedProviders: [OIDC_PROVIDER_ID] } },
    advanced: { cookiePrefix: 'lapis' },
    // Ten sign-in attempts a minute per client address, in production and development alike.
    rateLimit: { enabled: true, window: 60, max: 100, customRules: { '/sign-in/email': { window: 60, max: 10 } } },
    databaseHooks: {
      session: {
        create: {
          after: async (session) => {
            const [user] = await db
              .select({ email: authUsers.email })
              .from(authUsers)
              .where(eq(authUsers.id, session.userId));
            await audit(db, { id: session.userId, email: user?.email ?? '?' }, 'auth.sign-in', undefined, {
              ip: session.ipAddress ?? null,
            });
          },
        },
      },
    },
    plugins: oidc
      ? [
          genericOAuth({
            config: [
              {
                providerId: OIDC_PROVIDER_ID,
                discoveryUrl: `${env.LAPIS_OIDC_ISSUER!.replace(/\/$/, '')}/.well-known/openid-configuration`,
                clientId: env.LAPIS_OIDC_CLIENT_ID!,
                clientSecret: env.LAPIS_OIDC_CLIENT_SECRET!,
                scopes: ['openid', 'email', 'profile'],
                pkce: true,
              },
            ],
          }),
        ]
      : [],
  });
}

export type Auth = ReturnType<typeof createAuth>;

/** The person behind `headers`' session cookie, or undefined (none, expired, or not a known role). */
export async function sessionUserOf(auth: Auth, headers: Headers): Promise<SessionUser | undefined> {
  const s = await auth.api.getSession({ headers });
  if (!s) return undefined;
  const role = (s.user as { role?: unknown }).role;
  if (!isRole(role)) return undefined;
  return { id: s.user.id, email: s.user.email, name: s.user.name, role };
}
