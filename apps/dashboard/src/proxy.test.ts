// The proxy in front of every request, called the way Next calls it (a NextRequest in, a NextResponse out).
import { NextRequest } from 'next/server';
import { describe, expect, it } from 'vitest';
import { proxy } from './proxy';

const get = (path: string, host = 'localhost:3000') =>
  proxy(new NextRequest(`http://${host}${path}`, { headers: { host } }));

describe('proxy: host allow-list, page query limits, security headers', () => {
  it('refuses a Host it is not called by with 421, headers set, nothing rendered', async () => {
    const res = get('/', 'rebind.evil.example');
    expect(res.status).toBe(421);
    expect(res.headers.get('x-middleware-next')).toBeNull(); // the request goes no further
    expect(await res.text()).toMatch(/^421 Misdirected Request/);
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(get('/api/trpc/fleet.list', 'evil.example:3000').status).toBe(421);
    expect(get('/_next/static/chunks/x.js', 'evil.example').status).toBe(421);
  });

  it('gives pages a CSP with a fresh nonce, handed to Next on the request, and the other headers', () => {
    const a = get('/trends?groupBy=sample');
    const b = get('/');
    expect(a.headers.get('x-middleware-next')).toBe('1');
    const csp = a.headers.get('content-security-policy')!;
    const nonce = /'nonce-([A-Za-z0-9+/=]{24})'/.exec(csp)?.[1];
    expect(nonce).toBeDefined();
    expect(b.headers.get('content-security-policy')).not.toContain(nonce);
    // Next reads the request's CSP header to put the nonce on its scripts
    expect(a.headers.get('x-middleware-request-content-security-policy')).toBe(csp);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toContain("'unsafe-inline' 'nonce"); // scripts: nonce, not unsafe-inline
    expect(csp).toMatch(/script-src 'self' 'nonce-[^']+'(;| 'unsafe-eval';)/);
    expect(a.headers.get('x-content-type-options')).toBe('nosniff');
    expect(a.headers.get('x-frame-options')).toBe('DENY');
    expect(a.headers.get('referrer-policy')).toBe('no-referrer');
    expect(a.headers.get('permissions-policy')).toContain('camera=()');
    expect(a.headers.get('cross-origin-opener-policy')).toBe('same-origin');
  });

  it('keeps production strict: no unsafe-eval outside development', () => {
    // vitest runs with NODE_ENV=test: the production policy
    expect(get('/').headers.get('content-security-policy')).not.toContain('unsafe-eval');
  });

  it('gives the API a policy that loads nothing, static files the fixed headers', () => {
    const api = get('/api/trpc/fleet.list');
    expect(api.headers.get('content-security-policy')).toBe(
      "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
    );
    expect(api.headers.get('x-content-type-options')).toBe('nosniff');
    const js = get('/_next/static/chunks/main.js');
    expect(js.headers.get('x-middleware-next')).toBe('1');
    expect(js.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('answers 400 for page query parameters no filter accepts', async () => {
    const long = get(`/instruments/minispec-1?sample=${'x'.repeat(201)}`);
    expect(long.status).toBe(400);
    expect(await long.text()).toMatch(/query parameter "sample" is too long/);
    expect(get(`/trends?sample=a%00b`).status).toBe(400);
    expect(get(`/trends?sample=${'x'.repeat(200)}`).status).toBe(200);
    // the API's input parameter is long JSON by nature: tRPC validates it
    expect(get(`/api/trpc/fleet.list?input=${'x'.repeat(500)}`).status).toBe(200);
  });
});
