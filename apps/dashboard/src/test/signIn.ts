/**
 * Signing in for end-to-end tests, the way a person does (better-auth's e-mail sign-in): the admin comes from the
 * server's LAPIS_ADMIN_EMAIL / LAPIS_ADMIN_PASSWORD (`authEnv`), the session cookie is what the server set.
 */
import type { Browser, BrowserContext } from 'playwright-core';

export const TEST_ADMIN = { email: 'e2e-admin@example.org', password: 'e2e admin password 1' };

/** Environment for a test server: a secret and the first admin. */
export const authEnv = {
  LAPIS_AUTH_SECRET: 'e2e-test-secret-0123456789abcdef0123456789',
  LAPIS_ADMIN_EMAIL: TEST_ADMIN.email,
  LAPIS_ADMIN_PASSWORD: TEST_ADMIN.password,
};

/** The `cookie` header of a fresh session at `url` (for fetch). */
export async function sessionCookie(url: string, who = TEST_ADMIN): Promise<string> {
  const res = await fetch(`${url}/api/auth/sign-in/email`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: url },
    body: JSON.stringify(who),
  });
  if (!res.ok) throw new Error(`sign-in at ${url} failed: ${res.status} ${await res.text()}`);
  return res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
}

/** A browser context signed in at `url` (its pages carry the session cookie). */
export async function signedInContext(
  browser: Browser,
  url: string,
  options: Parameters<Browser['newContext']>[0] = {},
  who = TEST_ADMIN,
): Promise<BrowserContext> {
  const context = await browser.newContext(options);
  const res = await context.request.post(`${url}/api/auth/sign-in/email`, {
    data: who,
    headers: { origin: url },
  });
  if (!res.ok()) throw new Error(`sign-in at ${url} failed: ${res.status()} ${await res.text()}`);
  return context;
}
