/**
 * tRPC over HTTP with limits: at most `maxBatchSize` calls per batched request (400 above), responses over
 * `maxResponseBytes` refused (413), live-feed streams capped per client (429) and in all (503), GET only, no
 * caching. Errors are shaped by the router's errorFormatter (server/api/trpc.ts): nothing internal leaves.
 */
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import type { AnyTRPCRouter } from '@trpc/server';
import type { Context } from '../api/trpc';
import type { LiveLimiter } from './liveLimiter';

export interface TrpcHttpOptions {
  router: AnyTRPCRouter;
  /** The context of one request: who is signed in comes from its headers (the session cookie). */
  createContext: (req: Request) => Promise<Context>;
  live: LiveLimiter;
  /** Calls per batched request (default 10). */
  maxBatchSize?: number;
  /** Largest response body sent (default 4 MiB). */
  maxResponseBytes?: number;
  endpoint?: string;
}

export const DEFAULT_MAX_BATCH_SIZE = 10;
export const DEFAULT_MAX_RESPONSE_BYTES = 4 * 1024 * 1024;

const JSON_RPC_CODE = {
  BAD_REQUEST: -32600,
  FORBIDDEN: -32003,
  TOO_MANY_REQUESTS: -32029,
  SERVICE_UNAVAILABLE: -32603,
  PAYLOAD_TOO_LARGE: -32013,
};

/** An error in the shape tRPC clients read (superjson envelope), for the refusals made here. */
function errorResponse(status: number, code: keyof typeof JSON_RPC_CODE, message: string, headers = {}): Response {
  const body = { error: { json: { message, code: JSON_RPC_CODE[code], data: { code, httpStatus: status } } } };
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers },
  });
}

/**
 * The client a request comes from: the last X-Forwarded-For entry — the peer address that Next records, or the
 * address a reverse proxy in front appended. A client talking to Next directly can name itself there, so the
 * per-client cap is a courtesy limit; the total cap is the hard one.
 */
export function clientOf(req: Request): string {
  const xff = req.headers.get('x-forwarded-for');
  const last = xff?.split(',').at(-1)?.trim();
  return last ? last.slice(0, 64) : 'unknown';
}

export function createTrpcHandler(opts: TrpcHttpOptions): (req: Request) => Promise<Response> {
  const endpoint = opts.endpoint ?? '/api/trpc';
  const maxBatchSize = opts.maxBatchSize ?? DEFAULT_MAX_BATCH_SIZE;
  const maxResponseBytes = opts.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const procedures = opts.router._def.procedures as Record<string, { _def: { type: string } } | undefined>;

  const call = (req: Request) =>
    fetchRequestHandler({
      endpoint,
      req,
      router: opts.router,
      createContext: ({ req: r }) => opts.createContext(r),
      maxBatchSize,
      responseMeta: () => ({ headers: { 'cache-control': 'no-store' } }),
    });

  return async (req) => {
    let path: string;
    try {
      path = decodeURIComponent(new URL(req.url).pathname.slice(endpoint.length + 1));
    } catch {
      return errorResponse(400, 'BAD_REQUEST', 'malformed procedure path');
    }
    if (req.method === 'POST' && !sameOrigin(req)) {
      // Mutations change things: only this dashboard's own pages may send them (the cookie is SameSite=Lax too).
      return errorResponse(403, 'FORBIDDEN', 'cross-origin request refused');
    }
    if (procedures[path]?._def.type === 'subscription') {
      const admission = opts.live.acquire(clientOf(req));
      if (!admission.ok) {
        return admission.reason === 'client'
          ? errorResponse(
              429,
              'TOO_MANY_REQUESTS',
              `at most ${opts.live.maxPerClient} live connections per client; close another tab`,
              { 'retry-after': '30' },
            )
          : errorResponse(503, 'SERVICE_UNAVAILABLE', 'the live feed is full; try again later', {
              'retry-after': '30',
            });
      }
      return holdWhileOpen(req, await call(req), admission.release);
    }
    const res = await call(req);
    // Queries are answered whole (httpBatchLink); read the body to measure it rather than trust a header.
    const body = await res.arrayBuffer();
    if (body.byteLength > maxResponseBytes) {
      console.warn(`[trpc] ${path}: ${body.byteLength} B response refused (limit ${maxResponseBytes} B)`);
      return errorResponse(
        413,
        'PAYLOAD_TOO_LARGE',
        `response of ${body.byteLength} bytes is over the ${maxResponseBytes}-byte limit: ask for fewer rows or fewer calls per batch`,
      );
    }
    return new Response(body, { status: res.status, statusText: res.statusText, headers: res.headers });
  };
}

/** Whether a request's Origin (browsers send it on every POST) is the host it was sent to. */
export function sameOrigin(req: Request): boolean {
  const origin = req.headers.get('origin');
  const host = req.headers.get('host');
  if (!origin || !host) return false;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

/** Frees the stream's slot when it ends: the client goes away (abort), the stream closes, errors or is cancelled. */
function holdWhileOpen(req: Request, res: Response, release: () => void): Response {
  if (!res.body || !res.headers.get('content-type')?.startsWith('text/event-stream')) {
    release(); // refused before streaming (bad input): a plain JSON error
    return res;
  }
  req.signal.addEventListener('abort', release, { once: true });
  const reader = res.body.getReader();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await reader.read();
        if (done) {
          release();
          controller.close();
        } else controller.enqueue(value);
      } catch (err) {
        release();
        controller.error(err);
      }
    },
    cancel(reason) {
      release();
      return reader.cancel(reason);
    },
  });
  return new Response(body, { status: res.status, statusText: res.statusText, headers: res.headers });
}
