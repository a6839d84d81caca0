// tRPC over HTTP: queries (batched, GET), the live subscription (server-sent events) and the managers' and admins'
// mutations (POST, same origin only), with the limits of server/http/trpcHandler.ts; every call checks the role.
import { readEnv } from '../../../../env';
import { appRouter } from '../../../../server/api/root';
import { LiveLimiter } from '../../../../server/http/liveLimiter';
import { createTrpcHandler } from '../../../../server/http/trpcHandler';
import { createContext } from '../../../../server/state';

export const dynamic = 'force-dynamic';

// One handler per process (Next may load this module more than once; the live-feed counts must be shared).
const KEY = Symbol.for('lapis.dashboard.trpcHandler');
type WithHandler = typeof globalThis & { [KEY]?: (req: Request) => Promise<Response> };

function handler(req: Request): Promise<Response> {
  const g = globalThis as WithHandler;
  if (!g[KEY]) {
    const env = readEnv();
    g[KEY] = createTrpcHandler({
      router: appRouter,
      createContext: (req) => createContext(req.headers),
      live: new LiveLimiter(env.LAPIS_LIVE_PER_CLIENT, env.LAPIS_LIVE_MAX),
    });
  }
  return g[KEY](req);
}

export { handler as GET, handler as POST };
