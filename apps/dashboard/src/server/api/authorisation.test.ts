/**
 * Nothing is reachable without the right role: every procedure of the app router (enumerated, so a new one is
 * covered the day it is added) refuses an anonymous caller and each role below its own, in process and over HTTP
 * with real better-auth sessions; the audit log cannot be changed.
 */
import { TRPCError } from '@trpc/server';
import { sql, type SQL } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { readEnv } from '../../env';
import { testDb } from '../../test/db';
import { testUser } from '../../test/users';
import { createAccount } from '../auth/accounts';
import { createAuth, sessionUserOf } from '../auth/auth';
import { ROLES, roleAtLeast, type Role } from '../auth/roles';
import { ChangeBus } from '../bus';
import type { DbHandle } from '../db/client';
import { createTrpcHandler } from '../http/trpcHandler';
import { LiveLimiter } from '../http/liveLimiter';
import { appRouter, createCaller } from './root';
import type { Context } from './trpc';

type Procedures = Record<string, { _def: { type: string; meta?: { minRole?: Role } } }>;
const procedures = appRouter._def.procedures as unknown as Procedures;
const paths = Object.keys(procedures).sort();

async function call(ctx: Context, path: string): Promise<string> {
  const ac = new AbortController();
  const caller = createCaller(ctx, { signal: ac.signal }) as unknown as Record<
    string,
    Record<string, (i: unknown) => Promise<unknown>>
  >;
  const [router, proc] = path.split('.') as [string, string];
  try {
    const out = await caller[router]![proc]!(undefined);
    if (out && typeof out === 'object' && Symbol.asyncIterator in out) {
      ac.abort();
      await (out as AsyncIterable<unknown>)[Symbol.asyncIterator]().return?.();
    }
    return 'ok';
  } catch (err) {
    if (err instanceof TRPCError) return err.code;
    throw err;
  } finally {
    ac.abort();
  }
}

let h: DbHandle;
const rowsOf = async (q: SQL) => ((await h.db.execute(q)) as unknown as { rows: unknown[] }).rows;
beforeAll(async () => {
  h = await testDb();
});

describe('every procedure checks the role on the server', () => {
  it('has a least role, and there are procedures of each role', () => {
    expect(paths.length).toBeGreaterThan(10);
    for (const p of paths) expect(procedures[p]!._def.meta?.minRole, p).toBeDefined();
    const roles = new Set(paths.map((p) => procedures[p]!._def.meta!.minRole));
    expect([...roles].sort()).toEqual(['admin', 'viewer', ...(roles.has('manager') ? ['manager'] : [])].sort());
  });

  for (const path of paths) {
    it(`${path}: anonymous → UNAUTHORIZED, lower roles → FORBIDDEN, its role passes the check`, async () => {
      const bus = new ChangeBus();
      const minRole = procedures[path]!._def.meta!.minRole!;
      expect(await call({ db: h.db, bus }, path)).toBe('UNAUTHORIZED');
      for (const role of ROLES) {
        const outcome = await call({ db: h.db, bus, user: testUser(role) }, path);
        if (roleAtLeast(role, minRole)) expect(outcome, `${role}`).not.toMatch(/UNAUTHORIZED|FORBIDDEN/);
        else expect(outcome, `${role}`).toBe('FORBIDDEN');
      }
    });
  }
});

describe('over HTTP with real sessions', () => {
  const env = readEnv({ LAPIS_AUTH_SECRET: 'x'.repeat(40) });

  async function signIn(auth: ReturnType<typeof createAuth>, email: string, password: string): Promise<string> {
    const res = await auth.api.signInEmail({
      body: { email, password },
      headers: new Headers({ host: 'localhost' }),
      asResponse: true,
    });
    expect(res.status).toBe(200);
    return res.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
  }

  it('a viewer reads, is refused admin procedures and mutations; anonymous and forged cookies get 401', async () => {
    const auth = createAuth(h.db, env);
    await createAccount(h.db, { email: 'Viewer@Example.org', role: 'viewer', password: 'correct horse battery' });
    await createAccount(h.db, { email: 'admin@example.org', role: 'admin', password: 'another long secret' });
    const handler = createTrpcHandler({
      router: appRouter,
      createContext: async (req) => ({ db: h.db, bus: new ChangeBus(), user: await sessionUserOf(auth, req.headers) }),
      live: new LiveLimiter(10, 10),
    });
    const get = (path: string, cookie?: string) =>
      handler(
        new Request(`http://localhost/api/trpc/${path}`, {
          headers: { host: 'localhost', ...(cookie ? { cookie } : {}) },
        }),
      );

    expect((await get('fleet.list')).status).toBe(401);
    expect((await get('fleet.list', 'lapis.session_token=forged.signature')).status).toBe(401);
    // wrong password: no session
    const bad = await auth.api.signInEmail({
      body: { email: 'viewer@example.org', password: 'not the password' },
      headers: new Headers({ host: 'localhost' }),
      asResponse: true,
    });
    expect(bad.status).toBe(401);

    const viewer = await signIn(auth, 'viewer@example.org', 'correct horse battery');
    expect((await get('fleet.list', viewer)).status).toBe(200);
    expect((await get('admin.users', viewer)).status).toBe(403);
    const admin = await signIn(auth, 'admin@example.org', 'another long secret');
    const users = await get('admin.users', admin);
    expect(users.status).toBe(200);
    expect(await users.text()).toContain('viewer@example.org');

    // a mutation: POST from this origin only
    const post = (cookie: string, origin: string) =>
      handler(
        new Request('http://localhost/api/trpc/admin.setRole', {
          method: 'POST',
          headers: { cookie, origin, host: 'localhost', 'content-type': 'application/json' },
          body: JSON.stringify({ json: { userId: 'nobody', role: 'viewer' } }),
        }),
      );
    expect((await post(viewer, 'http://localhost')).status).toBe(403);
    expect((await post(admin, 'http://evil.example')).status).toBe(403);
    expect((await post(admin, 'http://localhost')).status).toBe(404); // allowed; no such user

    // signed out: the same cookie no longer works
    await auth.api.signOut({ headers: new Headers({ cookie: viewer, host: 'localhost' }) });
    expect((await get('fleet.list', viewer)).status).toBe(401);

    // sign-ins are audited; passwords are stored as argon2id hashes
    const rows = await rowsOf(sql`select action, actor_email from audit_log where action = 'auth.sign-in'`);
    expect((rows as { actor_email: string }[]).map((r) => r.actor_email)).toEqual(
      expect.arrayContaining(['viewer@example.org', 'admin@example.org']),
    );
    const hashes = await rowsOf(sql`select password from auth_accounts where provider_id = 'credential'`);
    for (const r of hashes as { password: string }[]) expect(r.password).toMatch(/^\$argon2id\$/);
  });

  it('the audit log is append-only', async () => {
    await h.db.execute(sql`insert into audit_log (action) values ('test.entry')`);
    const why = (q: Promise<unknown>) =>
      q.then(
        () => 'changed',
        (err: Error) => String((err.cause as Error | undefined)?.message ?? err.message),
      );
    expect(await why(h.db.execute(sql`update audit_log set action = 'changed'`))).toMatch(/append-only/);
    expect(await why(h.db.execute(sql`delete from audit_log`))).toMatch(/append-only/);
    expect(await why(h.db.execute(sql`truncate audit_log`))).toMatch(/append-only/);
    const left = await rowsOf(sql`select count(*)::int as n from audit_log where action = 'test.entry'`);
    expect((left[0] as { n: number }).n).toBe(1);
  });
});
