/**
 * `npm run bench:hostile` — what one hostile file costs (issue 18 targets: a 200 MiB file refused or read in ≤ 5 s
 * and ≤ 300 MB RSS; the agent's RSS ≤ 300 MB while such a file sits in its folder).
 *
 * Whole processes, as a user meets them, each against a reference run in the same session:
 *   reference   `node -e` streaming the same file to nowhere (what reading it at all costs)
 *   invert      `lapis invert DIR` on a lapis acquisition whose data file is the hostile one (exit 2 expected)
 *   agent       `lapis agent --watch ROOT` with the hostile acquisition in ROOT: time to its `failed` event on the
 *               broker and the agent's peak RSS (VmHWM) over the watch period
 * Files: 200 MiB of numbers on one line; 200 MiB without a separator; 200 MiB of one number per line.
 * Options: --mib N (default 200), --json FILE (default bench-results/hostile.json).
 */
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import mqtt from 'mqtt';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const LAPIS = join(repo, 'apps/agent/bin/lapis.js');
const { values } = parseArgs({
  options: { mib: { type: 'string', default: '200' }, json: { type: 'string', default: 'bench-results/hostile.json' } },
});
const MIB = Number(values.mib);

const KINDS = {
  'numbers, one line': '1.0 ',
  'no separator': 'x',
  'one number per line': '1.0\n',
} as const;
type Kind = keyof typeof KINDS;

const ACQ_JSON = JSON.stringify({
  format: 'lapis-acquisition/1',
  experiment: 'T2',
  axes: [{ kernel: 'T2', values: Array.from({ length: 64 }, (_, i) => 1e-3 * (i + 1)), unit: 's' }],
  data: 'data.txt',
});

function writeHostile(dir: string, kind: Kind): string {
  mkdirSync(dir, { recursive: true });
  const unit = KINDS[kind];
  const chunk = Buffer.from(unit.repeat(Math.floor((1 << 20) / unit.length)));
  const fd = openSync(join(dir, 'data.txt'), 'w');
  for (let i = 0; i < MIB; i++) writeSync(fd, chunk);
  closeSync(fd);
  writeFileSync(join(dir, 'acquisition.json'), ACQ_JSON);
  return dir;
}

/** Wall time and peak RSS (GNU time's %M, KiB) of a whole process. */
function timed(cmd: string[]): { ms: number; rssMiB: number; code: number; stderr: string } {
  const t0 = performance.now();
  const run = spawnSync('/usr/bin/time', ['-f', 'RSS %M', ...cmd], { stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = performance.now() - t0;
  const stderr = String(run.stderr);
  const rss = /RSS (\d+)/.exec(stderr);
  return { ms, rssMiB: rss ? Number(rss[1]) / 1024 : NaN, code: run.status ?? -1, stderr: stderr.split('\n')[0] ?? '' };
}

function reference(file: string) {
  const script = `const s=require('fs').createReadStream(process.argv[1],{highWaterMark:1<<20});s.on('data',()=>{});`;
  return timed(['node', '-e', script, file]);
}

/** Peak RSS of `pid` so far (VmHWM), MiB. */
function peakRss(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

async function agentRun(root: string, kind: Kind, port: number) {
  const child = spawn(
    'node',
    [
      LAPIS,
      'agent',
      '--watch',
      root,
      '--instrument',
      'bench-hostile',
      '--broker-port',
      String(port),
      '--http-port',
      '0',
      '--data-dir',
      join(root, '..', `state-${port}`),
      '--log-level',
      'warn',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  child.stderr.on('data', (b: Buffer) => (log += b.toString()));
  try {
    let client: mqtt.MqttClient | undefined;
    for (let i = 0; i < 100 && !client; i++) {
      try {
        client = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, { reconnectPeriod: 0, connectTimeout: 500 });
      } catch {
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    if (!client) throw new Error(`agent did not start: ${log}`);
    const failed = new Promise<string>((res) =>
      client.on('message', (_t, p) => {
        const ev = JSON.parse(p.toString()) as { kind: string; reason?: string };
        if (ev.kind === 'failed') res(ev.reason ?? '');
      }),
    );
    await client.subscribeAsync('lapis/v1/bench-hostile/event');
    const t0 = performance.now();
    writeHostile(join(root, 'hostile'), kind);
    const written = performance.now() - t0;
    const reason = await Promise.race([
      failed,
      new Promise<string>((r) => setTimeout(() => r('(no failed event in 60 s)'), 60_000)),
    ]);
    const ms = performance.now() - t0 - written;
    // the file stays in the folder: watch the agent a while longer (rescans, completion checks)
    await new Promise((r) => setTimeout(r, 10_000));
    const rss = peakRss(child.pid!);
    await client.endAsync();
    return { ms, rssMiB: rss, reason };
  } finally {
    child.kill('SIGTERM');
  }
}

async function main() {
  const dir = await mkdtemp(join(tmpdir(), 'lapis-bench-hostile-'));
  const rows: Record<string, unknown>[] = [];
  try {
    let port = 18830;
    for (const kind of Object.keys(KINDS) as Kind[]) {
      const acq = writeHostile(join(dir, kind.replace(/\W+/g, '-')), kind);
      const ref = reference(join(acq, 'data.txt'));
      const inv = timed(['node', LAPIS, 'invert', acq]);
      const root = join(dir, `root-${port}`);
      mkdirSync(root);
      const ag = await agentRun(root, kind, port++);
      rows.push({
        kind,
        referenceMs: Math.round(ref.ms),
        referenceRssMiB: Math.round(ref.rssMiB),
        invertMs: Math.round(inv.ms),
        invertRssMiB: Math.round(inv.rssMiB),
        invertExit: inv.code,
        invertSays: inv.stderr.replace(/^.*?: /, '').slice(0, 120),
        agentFailedAfterMs: Math.round(ag.ms),
        agentPeakRssMiB: Math.round(ag.rssMiB),
        agentSays: ag.reason.slice(0, 120),
      });
      console.log(JSON.stringify(rows.at(-1)));
      await rm(acq, { recursive: true, force: true });
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const machine = {
    cpu: cpus()[0]?.model,
    cores: cpus().length,
    memGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
  };
  console.log(`\n${MIB} MiB hostile data files (${machine.cpu}, ${machine.node}, ${new Date().toISOString()})`);
  console.log('kind                  reference  lapis invert (exit)        agent: failed after, peak RSS');
  for (const r of rows)
    console.log(
      `${String(r.kind).padEnd(22)}${`${r.referenceMs} ms`.padStart(9)}  ${`${r.invertMs} ms ${r.invertRssMiB} MiB (${r.invertExit})`.padEnd(26)} ${r.agentFailedAfterMs} ms, ${r.agentPeakRssMiB} MiB`,
    );
  mkdirSync(dirname(values.json!), { recursive: true });
  writeFileSync(values.json!, JSON.stringify({ machine, mib: MIB, at: new Date().toISOString(), rows }, null, 2));
}

await main();
