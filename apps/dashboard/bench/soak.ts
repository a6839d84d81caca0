/**
 * `npm run soak`: the dashboard under a lab's load for a long time, with the failures that happen in one.
 *
 * N simulated instruments (default 50) each publish a result every `--interval` seconds (with jitter) and a
 * heartbeat every 10 s, over MQTT 5 into a real mosquitto (persistence on) that two production dashboard processes
 * share through one MQTT 5 share group, both writing to one real PostgreSQL. A third of the way in the broker is
 * restarted; two thirds in one dashboard is killed (SIGKILL) and started again. Each simulated instrument keeps a
 * result until the broker acknowledges it (as an agent's outbox does) and sends it again after a failure.
 *
 * Checked at the end: every acknowledged result stored exactly once (the keys compared one by one), memory (RSS of
 * each dashboard's process group) after the first 5 minutes, and the fleet page's server time (GET / as a signed-in
 * admin, every 5 s) in each phase. Prints a table and writes the figures to .lapis/soak-<time>.json.
 *
 *   npm run soak -- --minutes 30 --instruments 50 --interval 10
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import mqtt, { type MqttClient } from 'mqtt';
import pg from 'pg';
import { freePort } from '../../../tools/test/freePort';
import { envelope } from '../src/test/fixtures';
import { startTestPostgres } from '../src/test/postgres';
import { authEnv, sessionCookie } from '../src/test/signIn';
import { appDir, repoRoot, ms } from './common';

const { values: args } = parseArgs({
  options: {
    minutes: { type: 'string', default: '30' },
    instruments: { type: 'string', default: '50' },
    interval: { type: 'string', default: '10' },
  },
});
const MINUTES = Number(args.minutes);
const INSTRUMENTS = Number(args.instruments);
const INTERVAL_S = Number(args.interval);
const DIST = '.next/soak';
const MOSQUITTO = ['/usr/sbin/mosquitto', '/usr/bin/mosquitto'].find((p) => existsSync(p));

const sleep = (t: number) => new Promise((r) => setTimeout(r, t));
const log = (m: string) => console.log(`[soak ${new Date().toISOString().slice(11, 19)}] ${m}`);

// ---- broker: mosquitto with persistence, restartable on the same port ------------------------------------------
function brokerControl(port: number, dir: string) {
  writeFileSync(
    join(dir, 'mosquitto.conf'),
    [
      `listener ${port} 127.0.0.1`,
      'allow_anonymous true',
      'persistence true',
      `persistence_location ${dir}/`,
      'autosave_interval 5',
      'max_queued_messages 0',
      'max_inflight_messages 0',
      // as root mosquitto would drop to its own user, which cannot write the persistence file in this temp dir
      ...(process.getuid?.() === 0 ? ['user root'] : []),
    ].join('\n') + '\n',
  );
  let child: ChildProcess | undefined;
  const start = async () => {
    child = spawn(MOSQUITTO!, ['-c', join(dir, 'mosquitto.conf')], { stdio: 'ignore' });
    await sleep(500);
  };
  const stop = async () => {
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((r) => child!.once('exit', r));
    child.kill('SIGTERM'); // mosquitto saves its sessions and queued messages on the way out
    await exited;
  };
  return { start, stop };
}

// ---- dashboards ---------------------------------------------------------------------------------------------------
interface Dashboard {
  name: string;
  url: string;
  child: ChildProcess;
  output: () => string;
}

async function startDashboard(name: string, port: number, env: Record<string, string>): Promise<Dashboard> {
  const nextBin = join(repoRoot, 'node_modules/next/dist/bin/next');
  const child = spawn(process.execPath, [nextBin, 'start', '-p', String(port), '-H', '127.0.0.1'], {
    cwd: appDir,
    env: { ...process.env, ...env, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1', LAPIS_NEXT_DIST_DIR: DIST },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let out = '';
  const keep = (d: Buffer) => (out = (out + d.toString()).slice(-20_000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${url}/api/health`)).ok) break;
    } catch {
      // starting
    }
    if (i > 600 || child.exitCode !== null) throw new Error(`${name} did not start:\n${out}`);
    await sleep(100);
  }
  return { name, url, child, output: () => out };
}

/** Resident memory of a process group in MiB (the next start process and any workers it forks). */
function rssMiB(pgid: number): number {
  try {
    const outp = execFileSync('ps', ['-o', 'rss=', '-g', String(pgid)], { encoding: 'utf8' });
    return outp
      .split('\n')
      .map(Number)
      .filter((n) => n > 0)
      .reduce((s, n) => s + n / 1024, 0);
  } catch {
    return 0;
  }
}

// ---- instruments --------------------------------------------------------------------------------------------------
interface Instrument {
  id: string;
  client: MqttClient;
  sent: number;
  /** Packet ids the broker acknowledged with "no matching subscribers", and how many publishes that sent again. */
  noSubscriber: Set<number>;
  kept: number;
}

/**
 * Publishes until the broker acknowledges that someone got it, as the agent's outbox does: a failed publish (the
 * broker is away) or an MQTT 5 PUBACK "no matching subscribers" (0x10) is tried again a second later.
 */
async function publishUntilAcked(i: Instrument, topic: string, payload: string, stop: () => boolean): Promise<boolean> {
  for (;;) {
    try {
      const sent = await i.client.publishAsync(topic, payload, { qos: 1 });
      const id = sent?.messageId;
      if (id === undefined || !i.noSubscriber.delete(id)) return true;
      i.kept++;
    } catch {
      // the broker is away
    }
    if (stop()) return false;
    await sleep(1000);
  }
}

function quantile(xs: number[], q: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
}

async function main(): Promise<void> {
  if (!MOSQUITTO) throw new Error('mosquitto is not installed (apt-get install mosquitto)');
  const work = mkdtempSync(join(tmpdir(), 'lapis-soak-'));
  const cleanup: (() => Promise<void> | void)[] = [() => rmSync(work, { recursive: true, force: true })];
  try {
    if (!process.env.SOAK_SKIP_BUILD || !existsSync(join(appDir, DIST))) {
      log('building the dashboard (next build) …');
      const nextBin = join(repoRoot, 'node_modules/next/dist/bin/next');
      execFileSync(process.execPath, [nextBin, 'build'], {
        cwd: appDir,
        env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', LAPIS_NEXT_DIST_DIR: DIST },
        stdio: 'pipe',
      });
    }
    const postgres = await startTestPostgres({ durable: true });
    cleanup.unshift(() => postgres.stop());
    const brokerPort = await freePort();
    const broker = brokerControl(brokerPort, work);
    await broker.start();
    cleanup.unshift(() => broker.stop());
    const brokerUrl = `mqtt://127.0.0.1:${brokerPort}`;
    const env = (n: number) => ({
      DATABASE_URL: postgres.url,
      MQTT_URL: brokerUrl,
      LAPIS_INGEST_SHARE_GROUP: 'soak',
      LAPIS_DASHBOARD_CLIENT_ID: `lapis-dashboard-soak-${n}`,
      ...authEnv,
    });
    const ports = [await freePort(), await freePort()];
    // one after the other: the first applies the migrations
    const dashboards: Dashboard[] = [await startDashboard('dashboard-1', ports[0]!, env(1))];
    dashboards.push(await startDashboard('dashboard-2', ports[1]!, env(2)));
    const kill = (d: Dashboard) => {
      try {
        process.kill(-d.child.pid!, 'SIGKILL');
      } catch {
        // gone
      }
    };
    cleanup.unshift(() => dashboards.forEach(kill));
    const cookie = await sessionCookie(dashboards[0]!.url);
    for (const d of dashboards) await (await fetch(`${d.url}/`, { headers: { cookie } })).text(); // first render
    log(`up: PostgreSQL, mosquitto on ${brokerPort}, dashboards on ${ports.join(' and ')}`);

    // the instruments
    const instruments: Instrument[] = [];
    for (let n = 0; n < INSTRUMENTS; n++) {
      const id = `soak-${String(n + 1).padStart(2, '0')}`;
      const client = await mqtt.connectAsync(brokerUrl, {
        clientId: `lapis-agent-${id}`,
        protocolVersion: 5,
        reconnectPeriod: 1000,
        will: {
          topic: `lapis/v1/${id}/status`,
          payload: Buffer.from(JSON.stringify({ state: 'offline', instrument: id, at: new Date().toISOString() })),
          qos: 1,
          retain: true,
        },
      });
      await client.publishAsync(
        `lapis/v1/${id}/status`,
        JSON.stringify({ state: 'online', instrument: id, at: new Date().toISOString(), version: 'soak' }),
        { qos: 1, retain: true },
      );
      const inst: Instrument = { id, client, sent: 0, noSubscriber: new Set(), kept: 0 };
      client.on('packetreceive', (p) => {
        if (p.cmd === 'puback' && p.reasonCode === 16 && p.messageId !== undefined) inst.noSubscriber.add(p.messageId);
      });
      instruments.push(inst);
    }
    cleanup.unshift(() => Promise.all(instruments.map((i) => i.client.endAsync(true))).then(() => undefined));

    const acked = new Set<string>();
    const sentAt = new Map<string, number>();
    const started = Date.now();
    const endAt = started + MINUTES * 60_000;
    let stopping = false;
    const phase = () => {
      const f = (Date.now() - started) / (MINUTES * 60_000);
      return f < 1 / 3 ? 'before broker restart' : f < 2 / 3 ? 'after broker restart' : 'after dashboard kill';
    };

    // each instrument: a result every INTERVAL_S (jittered), a heartbeat every 10 s
    const loops = instruments.map(async (inst, n) => {
      await sleep((n / INSTRUMENTS) * INTERVAL_S * 1000);
      let lastBeat = 0;
      while (Date.now() < endAt) {
        const at = new Date();
        const env1 = envelope({
          instrument: inst.id,
          seed: `${inst.id}-${inst.sent}`,
          sample: `soak-${n % 5}-day-${Math.floor(inst.sent / 10)}`,
          producedAt: at.toISOString(),
        });
        inst.sent++;
        if (await publishUntilAcked(inst, `lapis/v1/${inst.id}/result`, JSON.stringify(env1), () => stopping)) {
          acked.add(env1.key);
          sentAt.set(env1.key, (Date.now() - started) / 1000);
        }
        if (Date.now() - lastBeat > 10_000) {
          lastBeat = Date.now();
          await publishUntilAcked(
            inst,
            `lapis/v1/${inst.id}/heartbeat`,
            JSON.stringify({
              instrument: inst.id,
              at: new Date().toISOString(),
              uptimeSeconds: Math.round((Date.now() - started) / 1000),
              processed: inst.sent,
              failed: 0,
              queued: 0,
              outboxDepth: 0,
            }),
            () => stopping,
          );
        }
        await sleep(INTERVAL_S * 1000 * (0.8 + 0.4 * Math.random()));
      }
    });

    // observers: the fleet page every 5 s (alternating dashboards), memory every 30 s
    const pages: { t: number; phase: string; ms: number; status: number }[] = [];
    const memory: { t: number; phase: string; rss: number[] }[] = [];
    let turn = 0;
    const observe = (async () => {
      let lastMem = 0;
      while (Date.now() < endAt) {
        const d = dashboards[turn++ % 2]!;
        const t0 = process.hrtime.bigint();
        try {
          const res = await fetch(`${d.url}/`, { headers: { cookie }, signal: AbortSignal.timeout(30_000) });
          await res.text();
          pages.push({ t: (Date.now() - started) / 1000, phase: phase(), ms: ms(t0), status: res.status });
        } catch {
          pages.push({ t: (Date.now() - started) / 1000, phase: phase(), ms: ms(t0), status: 0 });
        }
        if (Date.now() - lastMem > 30_000) {
          lastMem = Date.now();
          memory.push({
            t: (Date.now() - started) / 1000,
            phase: phase(),
            rss: dashboards.map((x) => rssMiB(x.child.pid!)),
          });
        }
        await sleep(5000);
      }
    })();

    // the failures
    const chaos = (async () => {
      await sleep((MINUTES * 60_000) / 3);
      log('restarting the broker');
      await broker.stop();
      await sleep(3000);
      await broker.start();
      log('broker back');
      await sleep((MINUTES * 60_000) / 3 - 3500);
      log('killing dashboard-2 (SIGKILL)');
      kill(dashboards[1]!);
      await sleep(5000);
      dashboards[1] = await startDashboard('dashboard-2', ports[1]!, env(2));
      log('dashboard-2 back');
    })();

    const progress = setInterval(() => log(`${acked.size} results acknowledged by the broker (${phase()})`), 60_000);
    await Promise.all([...loops, observe, chaos]);
    stopping = true;
    clearInterval(progress);

    // every acknowledged result stored, once
    const db = new pg.Client({ connectionString: postgres.url });
    await db.connect();
    const count = async () =>
      Number(
        (await db.query(`select count(*)::int as n from acquisitions where instrument_id like 'soak-%'`)).rows[0].n,
      );
    const drainStart = Date.now();
    while ((await count()) < acked.size && Date.now() - drainStart < 120_000) await sleep(1000);
    const stored = new Set<string>(
      (await db.query(`select key from acquisitions where instrument_id like 'soak-%'`)).rows.map((r) => r.key),
    );
    await db.end();
    const missing = [...acked].filter((k) => !stored.has(k));
    const extra = [...stored].filter((k) => !acked.has(k));
    // what each dashboard's ingest saw (received, stored, refused and why)
    const counters = await Promise.all(
      dashboards.map(async (d) => {
        const r = await fetch(`${d.url}/api/trpc/fleet.ingest`, { headers: { cookie } }).catch(() => undefined);
        const body = r?.ok ? ((await r.json()) as { result: { data: { json: { counters: unknown } } } }) : undefined;
        return { dashboard: d.name, counters: body?.result.data.json.counters };
      }),
    );
    const missingTimes = missing.map((k) => sentAt.get(k)!).sort((a, b) => a - b);

    // memory: growth after the first 5 minutes, per dashboard (dashboard-2 from its restart)
    const growth = [0, 1].map((i) => {
      const after5 = memory.filter((m) => m.t >= 300 && (i === 0 || m.phase !== 'after dashboard kill'));
      const firstAfter = after5[0]?.rss[i];
      const last = after5.at(-1)?.rss[i];
      return firstAfter && last ? (last - firstAfter) / firstAfter : NaN;
    });
    const byPhase = ['before broker restart', 'after broker restart', 'after dashboard kill'].map((p) => {
      const xs = pages.filter((x) => x.phase === p && x.status === 200).map((x) => x.ms);
      return { phase: p, n: xs.length, p50: quantile(xs, 0.5), p95: quantile(xs, 0.95), max: Math.max(...xs) };
    });
    const failedPages = pages.filter((p) => p.status !== 200).length;
    const summary = {
      date: new Date().toISOString(),
      minutes: MINUTES,
      instruments: INSTRUMENTS,
      intervalS: INTERVAL_S,
      acknowledged: acked.size,
      stored: stored.size,
      missing: missing.length,
      extra: extra.length,
      drainSeconds: (Date.now() - drainStart) / 1000,
      rssGrowthAfter5min: growth,
      rssMiB: memory,
      fleetPage: byPhase,
      fleetPageNot200: failedPages,
      ingestCounters: counters,
      resentAfterNoSubscriber: instruments.reduce((n, i) => n + i.kept, 0),
      missingSentAtSeconds: missingTimes.length
        ? { first: missingTimes[0], last: missingTimes.at(-1), count: missingTimes.length }
        : undefined,
    };
    console.log('');
    console.log(
      `results acknowledged by the broker ${acked.size}, stored ${stored.size}: missing ${missing.length}, extra ${extra.length}`,
    );
    console.log(
      `RSS growth after the first 5 min: dashboard-1 ${(growth[0]! * 100).toFixed(1)} %, dashboard-2 ${(growth[1]! * 100).toFixed(1)} % (since its restart: not counted)`,
    );
    for (const b of byPhase)
      console.log(
        `fleet page ${b.phase.padEnd(22)} n=${b.n} p50 ${b.p50.toFixed(0)} ms, p95 ${b.p95.toFixed(0)} ms, max ${b.max.toFixed(0)} ms`,
      );
    console.log(`fleet page answers other than 200: ${failedPages}`);
    for (const c of counters) console.log(`${c.dashboard} ingest: ${JSON.stringify(c.counters)}`);
    console.log(`publishes sent again after "no matching subscribers": ${instruments.reduce((n, i) => n + i.kept, 0)}`);
    if (missingTimes.length)
      console.log(
        `missing results were sent between ${missingTimes[0]!.toFixed(0)} s and ${missingTimes.at(-1)!.toFixed(0)} s`,
      );
    mkdirSync(join(repoRoot, '.lapis'), { recursive: true });
    const file = join(repoRoot, '.lapis', `soak-${summary.date.replace(/[:.]/g, '-')}.json`);
    writeFileSync(file, JSON.stringify(summary, null, 2));
    console.log(`figures in ${file}`);
    if (missing.length || extra.length) {
      for (const d of dashboards) console.error(`--- ${d.name} output (tail)\n${d.output().slice(-3000)}`);
      process.exitCode = 1;
    }
  } finally {
    for (const c of cleanup) await Promise.resolve(c()).catch(() => undefined);
  }
}

await main();
