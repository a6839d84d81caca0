// The demo's one-time sign-in link (`lapis stack` prints it, as Jupyter prints its token URL): the token given in
// LAPIS_DEMO_SIGNIN_TOKEN signs the browser in as the demo admin once; a second use, or any other token, is refused.
import { createHash, timingSafeEqual } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { readEnv } from '../../../env';
import { audit } from '../../../server/audit/audit';
import { DEMO_ADMIN_EMAIL } from '../../../server/auth/accounts';
import { auditLog } from '../../../server/db/schema';
import { getServerState } from '../../../server/state';

export const dynamic = 'force-dynamic';

// Consumed in this process (checked before any await, so two simultaneous uses cannot both pass) and in the database.
const CONSUMED = Symbol.for('lapis.dashboard.demoLinkUsed');
type WithConsumed = typeof globalThis & { [CONSUMED]?: boolean };

const digest = (s: string) => createHash('sha256').update(s).digest();

function refused(text: string): Response {
  return new Response(`${text}\n`, { status: 403, headers: { 'content-type': 'text/plain; charset=utf-8' } });
}

export async function GET(req: Request): Promise<Response> {
  const expected = readEnv().LAPIS_DEMO_SIGNIN_TOKEN;
  const given = new URL(req.url).searchParams.get('t') ?? '';
  if (!expected || !timingSafeEqual(digest(given), digest(expected))) return refused('This sign-in link is not valid.');
  const g = globalThis as WithConsumed;
  if (g[CONSUMED]) return refused('This sign-in link has been used already. Restart `npm start` for a new one.');
  g[CONSUMED] = true;
  const state = await getServerState();
  const db = state.handle.db;
  const tokenId = digest(expected).toString('hex').slice(0, 16);
  const used = await db
    .select({ id: auditLog.id })
    .from(auditLog)
    .where(and(eq(auditLog.action, 'auth.demo-link'), eq(auditLog.target, tokenId)))
    .limit(1);
  if (used.length > 0 || !state.demoPassword) {
    return refused('This sign-in link has been used already. Restart `npm start` for a new one.');
  }
  await audit(db, undefined, 'auth.demo-link', tokenId);
  const signedIn = await state.auth.api.signInEmail({
    body: { email: DEMO_ADMIN_EMAIL, password: state.demoPassword },
    headers: req.headers,
    asResponse: true,
  });
  if (!signedIn.ok) return refused('Sign-in failed.');
  const res = new Response(null, { status: 303, headers: { location: '/' } });
  for (const cookie of signedIn.headers.getSetCookie()) res.headers.append('set-cookie', cookie);
  return res;
}
