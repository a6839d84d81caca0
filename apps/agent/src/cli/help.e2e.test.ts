/**
 * `lapis NAME --help` and `lapis help NAME` for every registered command, through the real bin: exit 0, the
 * registry's help on stdout, a fast exit, and nothing started — a probe loaded before the bin records every
 * socket listen and child process, and there must be none (`lapis stack --help` once started the whole stack).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import './commands';
import { listCommands } from './command';
import { runLapis } from '../testing/runLapis';

const dir = mkdtempSync(join(tmpdir(), 'lapis-help-'));
const probe = join(dir, 'probe.mjs');
writeFileSync(
  probe,
  `import net from 'node:net';
import childProcess from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
const record = (what) => appendFileSync(process.env.LAPIS_PROBE_LOG, what + '\\n');
const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  record('listen ' + JSON.stringify(args[0] ?? null));
  return listen.apply(this, args);
};
for (const name of ['spawn', 'spawnSync', 'fork', 'exec', 'execFile', 'execSync', 'execFileSync']) {
  const original = childProcess[name];
  childProcess[name] = function (...args) {
    record(name + ' ' + String(args[0]));
    return original.apply(this, args);
  };
}
syncBuiltinESMExports();
`,
);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const commands = listCommands();

describe('lapis COMMAND --help', () => {
  it('knows the commands the README names', () => {
    expect(commands.map((c) => c.name)).toEqual(expect.arrayContaining(['agent', 'demo', 'invert', 'stack']));
  });

  for (const entry of commands) {
    for (const args of [
      [entry.name, '--help'],
      [entry.name, '-h'],
      ['help', entry.name],
    ]) {
      it(`lapis ${args.join(' ')} prints the registry's help and starts nothing`, async () => {
        const log = join(dir, `${args.join('_')}.log`);
        const started = performance.now();
        // State and ports point into the temporary folder, so a stack that did start would not touch .lapis/.
        const r = await runLapis([...args, '--state-dir', dir], dir, {
          nodeArgs: ['--import', pathToFileURL(probe).href],
          env: { LAPIS_PROBE_LOG: log, PORT: '0' },
        });
        const seconds = (performance.now() - started) / 1000;
        expect(r.stderr).toBe('');
        expect(r.code).toBe(0);
        expect(r.stdout).toBe(entry.help);
        expect(r.stdout).toContain(`lapis ${entry.name}`);
        expect(existsSync(log) ? readFileSync(log, 'utf8') : '').toBe('');
        expect(seconds).toBeLessThan(15); // tsx start-up on a busy machine; the stack's build alone takes ≥ 7 s
      });
    }
  }

  it('each command carries the registry help and summary (one source)', async () => {
    for (const entry of commands) {
      const command = await entry.load();
      expect(command.help).toBe(entry.help);
      expect(command.summary).toBe(entry.summary);
    }
  });

  it('the probe records a listen and a child process (so its silence above means something)', () => {
    const log = join(dir, 'probe-check.log');
    const script =
      "require('node:child_process').spawnSync(process.execPath, ['-e', '']);" +
      "const s = require('node:net').createServer(); s.listen(0, '127.0.0.1', () => s.close());";
    const r = spawnSync(process.execPath, ['--import', pathToFileURL(probe).href, '-e', script], {
      env: { ...process.env, NODE_OPTIONS: '', LAPIS_PROBE_LOG: log },
    });
    expect(r.status).toBe(0);
    expect(readFileSync(log, 'utf8')).toMatch(/spawnSync[\s\S]*listen 0/);
  });
});
