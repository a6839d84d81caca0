/**
 * The security headers of every response. Pages get a Content-Security-Policy with a per-request nonce: Next
 * renders its inline bootstrap scripts (`self.__next_f.push(…)`) with the nonce it finds in the request's CSP
 * header, so scripts need neither 'unsafe-inline' nor 'strict-dynamic'. Styles keep 'unsafe-inline': Observable
 * Plot puts a <style> element into every figure and sets style attributes. Development adds 'unsafe-eval' (React's
 * dev build reconstructs server stacks with eval). No upgrade-insecure-requests: labs serve the dashboard over
 * plain HTTP on their own network.
 */

/** Headers for every response (pages, API, static files). */
export const STATIC_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Permissions-Policy':
    'accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=(), browsing-topics=()',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/** The policy of a page rendered with `nonce`. */
export function pageCsp(nonce: string, dev: boolean): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'${dev ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    // same-origin fetches and the live feed; the dev server's hot reload is a WebSocket to the same host
    `connect-src 'self'${dev ? ' ws: wss:' : ''}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** The policy of anything that is not a page (JSON, scripts, styles): nothing may load from it, nor frame it. */
export const NON_PAGE_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** A fresh nonce: 128 random bits, base64. */
export function newNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes));
}
