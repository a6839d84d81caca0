/**
 * Runs before every request (Next "proxy", formerly middleware): refuses a Host this server is not called by
 * (421, DNS rebinding — server/http/hosts.ts), refuses page query parameters no filter accepts (400: longer than
 * 200 characters or with control characters, so a hostile URL is not a 500 from deep inside a page), and sets the
 * security headers: a per-request CSP nonce for pages (server/http/securityHeaders.ts).
 */
import { NextResponse } from 'next/server';
import type { NextRequest } from 'next/server';
import { hostAllowList, isHostAllowed } from './server/http/hosts';
import { NON_PAGE_CSP, STATIC_SECURITY_HEADERS, newNonce, pageCsp } from './server/http/securityHeaders';
import { MAX_FILTER_LENGTH } from './server/api/inputs';
import { PATH_HEADER } from './server/auth/pathHeader';

const dev = process.env.NODE_ENV === 'development';
let allowList: ReturnType<typeof hostAllowList> | undefined;

// eslint-disable-next-line no-control-regex -- control characters are what is refused
const CONTROL = /[\u0000-\u001F\u007F-\u009F]/;

function refuse(status: number, text: string): NextResponse {
  const res = new NextResponse(`${status} ${text}\n`, {
    status,
    headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' },
  });
  for (const [k, v] of Object.entries(STATIC_SECURITY_HEADERS)) res.headers.set(k, v);
  res.headers.set('Content-Security-Policy', NON_PAGE_CSP);
  return res;
}

export function proxy(request: NextRequest): NextResponse {
  allowList ??= hostAllowList();
  if (!isHostAllowed(request.headers.get('host'), allowList)) {
    return refuse(421, 'Misdirected Request: this dashboard is not served under that host name (LAPIS_ALLOWED_HOSTS)');
  }
  const path = request.nextUrl.pathname;
  const page = !path.startsWith('/api/') && !path.startsWith('/_next/');
  if (page) {
    for (const [name, value] of request.nextUrl.searchParams) {
      if (value.length > MAX_FILTER_LENGTH || CONTROL.test(value) || name.length > 64) {
        return refuse(
          400,
          `Bad Request: query parameter "${name.slice(0, 64).replace(CONTROL, '')}" is too long or has control characters`,
        );
      }
    }
  }
  let res: NextResponse;
  if (page) {
    // Next reads the nonce from the request's CSP header and puts it on the scripts it renders.
    const csp = pageCsp(newNonce(), dev);
    const headers = new Headers(request.headers);
    headers.set('Content-Security-Policy', csp);
    // Where to come back to after signing in (server/auth/pageGuard.ts); a client cannot set it, it is overwritten.
    headers.set(PATH_HEADER, `${path}${request.nextUrl.search}`);
    res = NextResponse.next({ request: { headers } });
    res.headers.set('Content-Security-Policy', csp);
  } else {
    res = NextResponse.next();
    if (path.startsWith('/api/')) res.headers.set('Content-Security-Policy', NON_PAGE_CSP);
  }
  for (const [k, v] of Object.entries(STATIC_SECURITY_HEADERS)) res.headers.set(k, v);
  return res;
}
