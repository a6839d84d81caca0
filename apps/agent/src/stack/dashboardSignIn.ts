/**
 * The demo dashboard's sign-in: a session secret kept in the state folder (mode 0600, so sign-ins survive a
 * restart) and a one-time link token made at each start, printed like Jupyter's token URL.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';

export interface DashboardSignIn {
  secret: string;
  token: string;
}

export function dashboardSignIn(secretFile: string): DashboardSignIn {
  let secret = existsSync(secretFile) ? readFileSync(secretFile, 'utf8').trim() : '';
  if (secret.length < 32) {
    secret = randomBytes(32).toString('hex');
    writeFileSync(secretFile, `${secret}\n`, { mode: 0o600 });
    chmodSync(secretFile, 0o600);
  }
  return { secret, token: randomBytes(24).toString('base64url') };
}

/** The link that signs a browser in once as the demo's admin. */
export const signInLink = (base: string, token: string) => `${base}/signin/token?t=${token}`;
