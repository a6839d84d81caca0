/**
 * `lapis stack` — the whole system on one machine, in one process tree: the embedded MQTT broker, the dashboard
 * (PGlite), one agent per simulated instrument and the instrument simulator writing acquisitions into a demo
 * folder. Broker, agents and simulator run in this process (one Node runtime instead of five); the dashboard is a
 * child process (Next.js). Start order: broker → dashboard (ingest subscribed before anything is published) →
 * agents → simulator. Ctrl-C stops them in reverse order; a second Ctrl-C forces.
 *
 * State under `--state-dir` (default `.lapis/` in the repository): `demo/` (acquisitions and the simulator's
 * counters), `agents/<id>/` (outboxes and processed keys), `dashboard-db/` (PGlite), `broker-credentials.json`
 * (mode 0600). A second run continues there.
 *
 * The broker accepts only the stack's own credentials, made on the first run: one per agent (publishes under its
 * own `lapis/v1/<id>/` only) and one for the dashboard (reads `lapis/v1/…`), so another local process cannot forge
 * a status or a result; `--broker-anonymous` opens it (debugging).
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Command, CommandIo } from '../commandContract';
import { Agent } from '../agent/agent';
import { loadOrCreateBrokerCredentials } from '../agent/broker/brokerCredentials';
import type { BrokerCredentials } from '../agent/broker/brokerCredentials';
import { startEmbeddedBroker } from '../agent/broker/embeddedBroker';
import type { EmbeddedBroker } from '../agent/broker/embeddedBroker';
import { validateAgentConfig } from '../agent/config/loadConfig';
import { createLogger } from '../agent/logger';
import { DEMO_INSTRUMENTS, InstrumentSimulator } from '../simulator';
import {
  REPO_ROOT,
  assertPortFree,
  buildDashboard,
  buildStaleReason,
  startDashboard,
  withBuildLock,
  type DashboardMode,
  type DashboardProcess,
} from './dashboardProcess';
import { STACK_HELP, STACK_SUMMARY } from './help';
import { createStackLog } from './logLines';
import { dashboardSignIn, signInLink } from './dashboardSignIn';

export { STACK_HELP, STACK_SUMMARY };

const options = {
  port: { type: 'string' },
  'broker-port': { type: 'string' },
  'broker-anonymous': { type: 'boolean' },
  'state-dir': { type: 'string' },
  'demo-dir': { type: 'string' },
  interval: { type: 'string' },
  'row-interval': { type: 'string' },
  'broken-every': { type: 'string' },
  dashboard: { type: 'string' },
  'log-level': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export interface StackSettings {
  port: number;
  brokerPort: number;
  /** No credentials, no ACL: the broker as it was before issue 18 (debugging only). */
  brokerAnonymous: boolean;
  stateDir: string;
  demoDir: string;
  intervalMs: number;
  rowIntervalMs: number;
  brokenEvery: number;
  dashboard: DashboardMode;
  logLevel: string;
}

class UsageProblem extends Error {}

function number(name: string, text: string | undefined, fallback: number, check: (n: number) => boolean): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || !check(n)) throw new UsageProblem(`--${name}: bad value ${text}`);
  return n;
}

/** The settings from the command line and the environment (PORT); throws UsageProblem. */
export function stackSettings(argv: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): StackSettings {
  let values: ReturnType<typeof parseArgs<{ options: typeof options }>>['values'];
  try {
    ({ values } = parseArgs({ args: argv, options, allowPositionals: false }));
  } catch (e) {
    throw new UsageProblem((e as Error).message);
  }
  const port16 = (n: number) => Number.isInteger(n) && n >= 0 && n <= 65535;
  const stateDir = resolve(cwd, values['state-dir'] ?? join(REPO_ROOT, '.lapis'));
  const dashboard = values.dashboard ?? 'build';
  if (dashboard !== 'build' && dashboard !== 'dev')
    throw new UsageProblem(`--dashboard: build or dev, not ${dashboard}`);
  const port = number('port', values.port ?? env.PORT, 3000, (n) => port16(n) && n > 0);
  return {
    port,
    brokerPort: number('broker-port', values['broker-port'], 1883, port16),
    brokerAnonymous: values['broker-anonymous'] ?? false,
    stateDir,
    demoDir: resolve(cwd, values['demo-dir'] ?? join(stateDir, 'demo')),
    intervalMs: number('interval', values.interval, 4, (n) => n > 0) * 1000,
    rowIntervalMs: number('row-interval', values['row-interval'], 150, (n) => n >= 0),
    brokenEvery: number('broken-every', values['broken-every'], 10, (n) => Number.isInteger(n) && n >= 0),
    dashboard,
    logLevel: values['log-level'] ?? 'info',
  };
}

export async function runStack(s: StackSettings, io: CommandIo, colour = false): Promise<number> {
  const log = createStackLog(io.stdout, colour);
  const say = log.part('stack');
  let broker: EmbeddedBroker | undefined;
  let dashboard: DashboardProcess | undefined;
  const agents: Agent[] = [];
  let simulator: InstrumentSimulator | undefined;
  const abort = new AbortController();
  let stopping: Promise<number> | undefined;
  let exitCode = 0;
  let resolveStopped!: (code: number) => void;
  const stopped = new Promise<number>((r) => (resolveStopped = r));

  const shutdown = (code: number, why: string): Promise<number> => {
    if (stopping) return stopping;
    exitCode = code;
    abort.abort();
    say(`stopping (${why}) …`);
    stopping = (async () => {
      await simulator?.stop().catch((e: Error) => say(`simulator: ${e.message}`));
      await Promise.all(agents.map((a) => a.stop().catch((e: Error) => say(`agent: ${e.message}`))));
      await dashboard?.stop().catch((e: Error) => say(`dashboard: ${e.message}`));
      await broker?.close().catch((e: Error) => say(`broker: ${e.message}`));
      say(`stopped${exitCode === 0 ? '' : ` (exit ${exitCode})`}`);
      resolveStopped(exitCode);
      return exitCode;
    })();
    return stopping;
  };

  let signals = 0;
  const onSignal = (sig: NodeJS.Signals) => {
    signals++;
    if (signals > 1) {
      say(`${sig} again: forcing`);
      if (dashboard?.child.pid) {
        try {
          process.kill(-dashboard.child.pid, 'SIGKILL');
        } catch {
          // gone
        }
      }
      process.exit(130);
    }
    void shutdown(0, sig);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  try {
    mkdirSync(s.stateDir, { recursive: true });
    say(`state in ${s.stateDir}`);
    await assertPortFree(s.port, '127.0.0.1', 'dashboard (--port or PORT)');

    // One credential per agent and one for the dashboard, made on the first run and kept (mode 0600).
    const credentialsFile = join(s.stateDir, 'broker-credentials.json');
    let credentials: BrokerCredentials | undefined;
    if (!s.brokerAnonymous) {
      const loaded = loadOrCreateBrokerCredentials(
        credentialsFile,
        DEMO_INSTRUMENTS.map((i) => i.id),
      );
      credentials = loaded.credentials;
      if (loaded.made.length) say(`broker credentials made for ${loaded.made.join(', ')} in ${credentialsFile}`);
    }
    // The broker's own log: refused connections, publishes and subscriptions (warnings).
    const brokerLogger = createLogger(
      ['fatal', 'error', 'silent'].includes(s.logLevel) ? s.logLevel : 'warn',
      log.pinoStream('broker'),
    );
    broker = await startEmbeddedBroker({
      port: s.brokerPort,
      logger: brokerLogger,
      ...(credentials ? { credentials } : {}),
    }).catch((e: Error) => {
      if (!/port in use/.test(e.message)) throw e;
      throw new Error(`MQTT broker: port ${s.brokerPort} is in use (another broker? pass --broker-port N)`, {
        cause: e,
      });
    });
    log.part('broker')(
      `MQTT (aedes, 3.1.1) on ${broker.url}, ` +
        (credentials
          ? `stack credentials only (${credentialsFile})`
          : 'ANONYMOUS (--broker-anonymous): any local process can publish and subscribe to anything'),
    );
    if (abort.signal.aborted) return await shutdown(exitCode, 'stopped early');

    // The dashboard: a production build when current, made when not; next dev if asked or if the build fails.
    let mode = s.dashboard;
    if (mode === 'build' && buildStaleReason()) {
      const built = await withBuildLock(
        async () => {
          const stale = buildStaleReason(); // another stack may have built it while this one waited
          if (!stale) return true;
          say(`building the dashboard (${stale}; ≈ 45 s once, then only after changes) …`);
          const t0 = Date.now();
          const ok = await buildDashboard(log.part('dashboard build'), abort.signal);
          if (ok) say(`dashboard built in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
          return ok;
        },
        () => say('another lapis stack is building the dashboard: waiting for it'),
        abort.signal,
      );
      if (abort.signal.aborted) return await shutdown(exitCode, 'stopped during the build');
      if (!built) {
        say('the dashboard build failed: falling back to next dev (slower first pages)');
        mode = 'dev';
      }
    }
    // The dashboard takes its credential in MQTT_URL (mqtt.js reads user:password@; base64url needs no escaping).
    // Its log prints that URL: the password is masked there.
    const dashboardCredential = credentials?.dashboard;
    const dashboardLog = log.part('dashboard');
    const dashboardUrl = dashboardCredential
      ? broker.url.replace('://', `://${dashboardCredential.username}:${dashboardCredential.password}@`)
      : broker.url;
    // Even the demo signs people in: the link printed below works once; later visits sign in as the demo admin
    // again only through a new start (docs/dashboard.md, "Sign-in").
    const signIn = dashboardSignIn(join(s.stateDir, 'dashboard-auth-secret'));
    dashboard = startDashboard({
      port: s.port,
      mode,
      env: {
        LAPIS_AUTH_SECRET: signIn.secret,
        LAPIS_DEMO_SIGNIN_TOKEN: signIn.token,
        MQTT_URL: dashboardUrl,
        LAPIS_DASHBOARD_DB_DIR: join(s.stateDir, 'dashboard-db'),
        LAPIS_DASHBOARD_CLIENT_ID: 'lapis-dashboard-stack',
      },
      log: dashboardCredential
        ? (line) => dashboardLog(line.split(dashboardCredential.password).join('***'))
        : dashboardLog,
    });
    const dash = dashboard;
    dash.child.once('exit', (code, sig) => {
      if (!stopping) {
        say(`the dashboard exited (${code ?? sig}) — stopping the stack`);
        void shutdown(1, 'dashboard exited');
      }
    });
    say(`starting the dashboard (${mode === 'build' ? 'next start' : 'next dev'}) …`);
    await Promise.race([dash.ready, new Promise((r) => abort.signal.addEventListener('abort', r, { once: true }))]);
    if (abort.signal.aborted) return await shutdown(exitCode, 'stopped early');

    simulator = InstrumentSimulator.create({
      demoDir: s.demoDir,
      intervalMs: s.intervalMs,
      rowIntervalMs: s.rowIntervalMs,
      brokenEvery: s.brokenEvery,
      log: (line, level) => log.part('simulator')(level === 'warn' ? `WARN  ${line}` : line),
    });
    const roots = simulator.roots();
    for (const instrument of DEMO_INSTRUMENTS) {
      // The file-free equivalent of lapis.agent.sample.yaml: MQTT 3.1.1 (aedes speaks no 5), any free health port,
      // the instrument's own broker credential.
      const credential = credentials?.instruments[instrument.id];
      const config = validateAgentConfig(
        {
          instrument: instrument.id,
          site: 'lapis stack (simulated)',
          watch: { roots: [roots[instrument.id]!] },
          mqtt: {
            url: broker.url,
            protocol: '3.1.1',
            clientId: `lapis-agent-${instrument.id}`,
            ...(credential ? { username: credential.username, password: credential.password } : {}),
          },
          dataDir: join(s.stateDir, 'agents', instrument.id),
          http: { port: 0 },
          log: { level: s.logLevel },
        },
        'lapis stack',
        s.stateDir,
      );
      const logger = createLogger(s.logLevel, log.pinoStream(instrument.id));
      // An acquisition that never completes (a NaN is not counted as a number) fails after 30 s, not 10 min.
      const agent = await Agent.start(config, { logger, incompleteTimeoutMs: 30_000 });
      agents.push(agent);
      log.part(instrument.id)(
        `agent up: ${instrument.description}; watching ${roots[instrument.id]}; health http://127.0.0.1:${agent.healthPort}/healthz`,
      );
      if (abort.signal.aborted) return await shutdown(exitCode, 'stopped early');
    }
    simulator.run();
    say(`simulator writing an acquisition every ${s.intervalMs / 1000} s into ${s.demoDir}`);
    say('');
    say(`Lapis is up: open ${signInLink(dash.url.replace('127.0.0.1', 'localhost'), signIn.token)}`);
    say('  (that link signs one browser in as the demo admin, once; Ctrl-C stops everything)');
    say('');
  } catch (e) {
    const err = e as Error;
    io.stderr(`lapis stack: ${err.message}\n`);
    await shutdown(1, 'start-up failed');
  }
  const code = await stopped;
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  return code;
}

export const stackCommand: Command = {
  name: 'stack',
  summary: STACK_SUMMARY,
  help: STACK_HELP,
  async run(argv: string[], io: CommandIo): Promise<number> {
    if (argv.includes('--help') || argv.includes('-h')) {
      io.stdout(STACK_HELP);
      return 0;
    }
    let settings: StackSettings;
    try {
      settings = stackSettings(argv, io.cwd);
    } catch (e) {
      if (e instanceof UsageProblem) {
        io.stderr(`lapis stack: ${e.message} (see lapis stack --help)\n`);
        return 2;
      }
      throw e;
    }
    const code = await runStack(settings, io, process.stdout.isTTY === true && !process.env.NO_COLOR);
    // Anything left holding the event loop (a stuck socket) must not keep a stopped stack alive.
    setTimeout(() => process.exit(code), 3000).unref();
    return code;
  },
};
