/**
 * A private PostgreSQL cluster for tests and benchmarks: initdb into a temp dir, started with pg_ctl on a free
 * localhost port and a socket in that dir, trust auth, fsync off unless asked (throwaway data). PostgreSQL refuses to run as
 * root, so as root the binaries run as the `postgres` user (created by the Debian package) via runuser.
 */
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../../../tools/test/freePort';

export interface TestPostgres {
  url: string;
  stop(): Promise<void>;
}

/** The directory of initdb/pg_ctl, or undefined when PostgreSQL is not installed. */
export function findPostgresBin(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const versions = readdirSync(root)
      .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
      .sort((a, b) => Number(b) - Number(a));
    if (versions[0]) return join(root, versions[0], 'bin');
  }
  try {
    const dir = execFileSync('pg_config', ['--bindir'], { encoding: 'utf8' }).trim();
    if (existsSync(join(dir, 'initdb'))) return dir;
  } catch {
    // no pg_config on PATH
  }
  return undefined;
}

/** Why PostgreSQL tests cannot run here, or undefined when they can. */
export function postgresUnavailable(): string | undefined {
  if (!findPostgresBin()) return 'PostgreSQL binaries (initdb, pg_ctl) not found: apt-get install postgresql';
  if (process.getuid?.() === 0) {
    try {
      execFileSync('id', ['-u', 'postgres'], { stdio: 'ignore' });
    } catch {
      return 'running as root and there is no `postgres` user to run the server as';
    }
  }
  return undefined;
}

export interface StartPostgresOptions {
  /** Keep PostgreSQL's crash-safety settings (fsync, synchronous commit) — for benchmarks. Default false. */
  durable?: boolean;
}

export async function startTestPostgres(options: StartPostgresOptions = {}): Promise<TestPostgres> {
  const bin = findPostgresBin();
  if (!bin) throw new Error(postgresUnavailable());
  const dir = mkdtempSync(join(tmpdir(), 'lapis-pg-'));
  const asRoot = process.getuid?.() === 0;
  const run = (cmd: string, args: string[]) => {
    const full = join(bin, cmd);
    try {
      if (asRoot) execFileSync('runuser', ['-u', 'postgres', '--', full, ...args], { stdio: 'pipe', cwd: dir });
      else execFileSync(full, args, { stdio: 'pipe', cwd: dir });
    } catch (err) {
      const e = err as { stderr?: Buffer };
      throw new Error(`${cmd} failed: ${e.stderr?.toString() ?? ''}`, { cause: err });
    }
  };
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dir, uid, gid);
  }
  const data = join(dir, 'data');
  run('initdb', ['-D', data, '-U', 'lapis', '--auth=trust', '-E', 'UTF8', '--no-instructions']);
  const port = await freePort();
  const fast = options.durable ? '' : ' -c fsync=off -c synchronous_commit=off -c full_page_writes=off';
  const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1${fast}`;
  run('pg_ctl', ['-D', data, '-o', opts, '-l', join(dir, 'log'), '-w', 'start']);
  run('createdb', ['-h', '127.0.0.1', '-p', String(port), '-U', 'lapis', 'lapis']);
  return {
    url: `postgres://lapis@127.0.0.1:${port}/lapis`,
    stop: async () => {
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
