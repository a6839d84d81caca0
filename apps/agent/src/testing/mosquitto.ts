/**
 * Starts a real mosquitto 2 for integration tests: 127.0.0.1, a free port, its own config file in a temp dir,
 * anonymous access, no persistence. `stop` ends it; `restart` starts it again on the same port (broker outage tests).
 * With `secure`, a second listener speaks TLS (a CA and a server certificate for IP 127.0.0.1, made with openssl)
 * and requires a user name and password (mosquitto_passwd), while the first stays anonymous for test consumers.
 */
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../../../tools/test/freePort';

export { freePort };

export interface Mosquitto {
  port: number;
  url: string;
  /** With `secure`: the TLS listener, its CA file and the one user's credentials. */
  secure?: { port: number; url: string; ca: string; username: string; password: string };
  stop(): Promise<void>;
  restart(): Promise<void>;
  /** Stops and removes the temp dir. */
  close(): Promise<void>;
}

export const MOSQUITTO = ['/usr/sbin/mosquitto', '/usr/bin/mosquitto'].find(
  (p) => spawnSync(p, ['-h']).error === undefined,
);

async function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const c = createConnection({ port, host: '127.0.0.1' });
      c.once('connect', () => {
        c.destroy();
        resolve(true);
      });
      c.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > end) throw new Error(`mosquitto did not open port ${port} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function run(cmd: string, args: string[], cwd: string): void {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr || r.error?.message}`);
}

/** A throw-away CA and a server certificate for 127.0.0.1, valid one day. */
function makeCertificates(dir: string): { ca: string; cert: string; key: string } {
  const openssl = '/usr/bin/openssl';
  const subj = (cn: string) => ['-subj', `/CN=${cn}`];
  const key = ['-newkey', 'rsa:2048', '-nodes'];
  run(
    openssl,
    ['req', '-x509', ...key, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '1', ...subj('lapis-test-ca')],
    dir,
  );
  run(openssl, ['req', ...key, '-keyout', 'server.key', '-out', 'server.csr', ...subj('127.0.0.1')], dir);
  writeFileSync(join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1\n');
  const sign = ['-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '1', '-extfile', 'san.ext'];
  run(openssl, ['x509', '-req', '-in', 'server.csr', ...sign, '-out', 'server.pem'], dir);
  return { ca: join(dir, 'ca.pem'), cert: join(dir, 'server.pem'), key: join(dir, 'server.key') };
}

export interface MosquittoOptions {
  /** Add a TLS listener with password authentication (see above). */
  secure?: boolean;
  /**
   * Keep sessions across `stop`/`restart` (persistence on, saved on a clean stop): a subscriber with a persistent
   * session then receives what was published while it was reconnecting, so outage tests do not race.
   */
  persistent?: boolean;
}

export async function startMosquitto(port?: number, options: MosquittoOptions = {}): Promise<Mosquitto> {
  if (!MOSQUITTO) throw new Error('mosquitto is not installed (apt-get install mosquitto; listed in .ci/apt-packages)');
  const dir = mkdtempSync(join(tmpdir(), 'lapis-mosquitto-'));
  const p = port ?? (await freePort());
  const conf = join(dir, 'mosquitto.conf');
  const lines = [
    // Stay the user that started the test: the temp dir (certificates, password file) is private to it.
    'user root',
    'per_listener_settings true',
    ...(options.persistent ? ['persistence true', `persistence_location ${dir}/`] : ['persistence false']),
    'log_dest stderr',
    'log_type error',
    'log_type warning',
    `listener ${p} 127.0.0.1`,
    'allow_anonymous true',
  ];
  let secure: Mosquitto['secure'];
  if (options.secure) {
    const tlsPort = await freePort();
    const certs = makeCertificates(dir);
    const username = 'agent';
    const password = 'correct horse battery staple';
    run('/usr/bin/mosquitto_passwd', ['-b', '-c', join(dir, 'passwd'), username, password], dir);
    lines.push(
      `listener ${tlsPort} 127.0.0.1`,
      `cafile ${certs.ca}`,
      `certfile ${certs.cert}`,
      `keyfile ${certs.key}`,
      'allow_anonymous false',
      `password_file ${join(dir, 'passwd')}`,
    );
    secure = { port: tlsPort, url: `mqtts://127.0.0.1:${tlsPort}`, ca: certs.ca, username, password };
  }
  writeFileSync(conf, lines.join('\n') + '\n');
  let child: ChildProcess | undefined;
  let stderr = '';
  const start = async () => {
    child = spawn(MOSQUITTO!, ['-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<never>((_, reject) =>
      child!.once('exit', (code) => reject(new Error(`mosquitto exited (${code}): ${stderr.trim()}`))),
    );
    exited.catch(() => {});
    await Promise.race([waitForPort(p, 5000), exited]);
  };
  const stop = async () => {
    const c = child;
    child = undefined;
    if (!c || c.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      c.once('exit', () => resolve());
      // SIGTERM: mosquitto saves its persistence file on the way out (persistent mode needs that).
      c.kill(options.persistent ? 'SIGTERM' : 'SIGKILL');
    });
  };
  await start();
  return {
    port: p,
    url: `mqtt://127.0.0.1:${p}`,
    ...(secure ? { secure } : {}),
    stop,
    restart: start,
    close: async () => {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
