/**
 * `lapis agent` — run the agent beside a spectrometer — and `lapis agent reprocess PATH…` — ask a running agent to
 * process acquisitions again, with a progress bar. Configuration errors exit 2 with the list of problems, before
 * any socket is opened.
 */
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import mqtt from 'mqtt';
import { eventMessageSchema, mqttTopic, reprocessReplySchema } from '@lapis/contracts';
import type { Command, CommandIo } from '../commandContract';
import { Agent } from './agent';
import { AgentConfigError, loadAgentConfig, mqttPassword } from './config/loadConfig';
import { quickStartConfig } from './config/quickStart';
import type { AgentConfig } from './config/schema';
import { AGENT_HELP, AGENT_SUMMARY } from './help';
import { createLogger } from './logger';

export { AGENT_HELP, AGENT_SUMMARY };

const options = {
  config: { type: 'string' },
  watch: { type: 'string', multiple: true },
  instrument: { type: 'string' },
  mqtt: { type: 'string' },
  'broker-port': { type: 'string' },
  'data-dir': { type: 'string' },
  polling: { type: 'boolean' },
  'http-port': { type: 'string' },
  'log-level': { type: 'string' },
  check: { type: 'boolean' },
  timeout: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof options; allowPositionals: true }>>['values'];

class UsageProblem extends Error {}

function intFlag(values: Values, name: 'broker-port' | 'http-port' | 'timeout'): number | undefined {
  const v = values[name];
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new UsageProblem(`--${name} must be a whole number, got ${v}`);
  return n;
}

/** Builds the configuration from a file or from flags; throws AgentConfigError / UsageProblem. */
export function configFromArgs(values: Values, cwd: string, forReprocess = false): AgentConfig {
  if (values.config !== undefined) {
    const extra = (['watch', 'instrument', 'mqtt', 'broker-port', 'data-dir', 'polling'] as const).filter(
      (k) => values[k] !== undefined,
    );
    if (extra.length) throw new UsageProblem(`--config and --${extra[0]} do not mix: put it in the file`);
    return loadAgentConfig(resolve(cwd, values.config));
  }
  if (!values.instrument) throw new UsageProblem('give --config FILE, or --watch DIR and --instrument ID');
  if (values.mqtt !== undefined && values['broker-port'] !== undefined) {
    throw new UsageProblem('--mqtt and --broker-port do not mix (--broker-port is for the embedded broker)');
  }
  const brokerPort = intFlag(values, 'broker-port');
  const httpPort = intFlag(values, 'http-port');
  return quickStartConfig(
    {
      // reprocess only needs the instrument and the broker: the running agent checks the paths against its roots.
      watch: (values.watch ?? (forReprocess ? [cwd] : [])).map((w) => resolve(cwd, w)),
      instrument: values.instrument,
      ...(values.mqtt !== undefined ? { mqtt: values.mqtt } : {}),
      ...(brokerPort !== undefined ? { brokerPort } : {}),
      ...(values['data-dir'] !== undefined ? { dataDir: resolve(cwd, values['data-dir']) } : {}),
      ...(values.polling ? { polling: true } : {}),
      ...(httpPort !== undefined ? { httpPort } : {}),
      ...(values['log-level'] !== undefined ? { logLevel: values['log-level'] } : {}),
    },
    cwd,
  );
}

async function runAgent(config: AgentConfig, io: CommandIo): Promise<number> {
  const logger = createLogger(config.log.level);
  let agent: Agent;
  try {
    agent = await Agent.start(config, { logger });
  } catch (e) {
    io.stderr(`lapis agent: cannot start: ${(e as Error).message}\n`);
    return 1;
  }
  io.stderr(
    `lapis agent: ${config.instrument} watching ${config.watch.roots.join(', ')} → ${agent.brokerUrl}` +
      (agent.healthPort ? ` (health: http://${config.http.host}:${agent.healthPort}/healthz)` : '') +
      '\n',
  );
  await new Promise<void>((done) => {
    const stop = (signal: string) => {
      logger.info({ signal }, 'stopping');
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      void agent.stop().finally(done);
    };
    const onInt = () => stop('SIGINT');
    const onTerm = () => stop('SIGTERM');
    process.on('SIGINT', onInt);
    process.on('SIGTERM', onTerm);
  });
  return 0;
}

function bar(done: number, total: number, failed: number): string {
  const width = 30;
  const filled = total ? Math.round((done / total) * width) : width;
  return `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}${failed ? ` (${failed} failed)` : ''}`;
}

async function runReprocess(
  config: AgentConfig,
  paths: string[],
  timeoutS: number,
  io: CommandIo,
  tty: boolean,
): Promise<number> {
  const url =
    config.mqtt.url ??
    `mqtt://${config.embeddedBroker.host === '0.0.0.0' ? '127.0.0.1' : config.embeddedBroker.host}:${config.embeddedBroker.port}`;
  const password = mqttPassword(config);
  const client = mqtt.connect(url, {
    protocolVersion: 4,
    reconnectPeriod: 0,
    connectTimeout: 10_000,
    ...(config.mqtt.username !== undefined ? { username: config.mqtt.username } : {}),
    ...(password !== undefined ? { password } : {}),
  });
  try {
    await new Promise<void>((ok, fail) => {
      client.once('connect', () => ok());
      client.once('error', fail);
    });
  } catch (e) {
    io.stderr(`lapis agent reprocess: cannot reach the broker at ${url}: ${(e as Error).message}\n`);
    client.end(true);
    return 1;
  }
  const requestId = randomUUID();
  const replyTopic = `${mqttTopic(config.instrument, 'cmd/reprocess/reply')}`;
  const pending = new Set<string>();
  let failed = 0;
  let done = 0;
  let total = 0;
  const finished = new Promise<void>((resolveDone, rejectDone) => {
    const timer = setTimeout(
      () => rejectDone(new Error(`timed out after ${timeoutS} s with ${pending.size} path(s) not done`)),
      timeoutS * 1000,
    );
    let replied = false;
    const replyTimer = setTimeout(() => {
      if (!replied)
        rejectDone(
          new Error(
            `no agent answered on ${mqttTopic(config.instrument, 'cmd/reprocess')} within 15 s: is it running?`,
          ),
        );
    }, 15_000);
    client.on('message', (topic, payload) => {
      let body: unknown;
      try {
        body = JSON.parse(payload.toString());
      } catch {
        return;
      }
      if (topic === replyTopic) {
        const r = reprocessReplySchema.safeParse(body);
        if (!r.success || r.data.requestId !== requestId) return;
        replied = true;
        clearTimeout(replyTimer);
        for (const rej of r.data.rejected) io.stderr(`lapis agent reprocess: ${rej.path}: ${rej.reason}\n`);
        for (const p of r.data.accepted) pending.add(resolve(p));
        total = pending.size;
        failed += r.data.rejected.length;
        if (tty) io.stderr(bar(0, total, 0));
        if (total === 0) {
          clearTimeout(timer);
          resolveDone();
        }
        return;
      }
      const ev = eventMessageSchema.safeParse(body);
      if (!ev.success || !replied || !pending.has(ev.data.path)) return;
      if (ev.data.kind !== 'finished' && ev.data.kind !== 'failed') return;
      pending.delete(ev.data.path);
      done++;
      if (ev.data.kind === 'failed') {
        failed++;
        io.stderr(`${tty ? '\n' : ''}lapis agent reprocess: ${ev.data.path}: failed: ${ev.data.reason}\n`);
      }
      if (tty) io.stderr(bar(done, total, failed));
      else io.stderr(`lapis agent reprocess: ${done}/${total} ${ev.data.kind} ${ev.data.path}\n`);
      if (pending.size === 0) {
        clearTimeout(timer);
        resolveDone();
      }
    });
  });
  await client.subscribeAsync([replyTopic, mqttTopic(config.instrument, 'event')], { qos: 1 });
  await client.publishAsync(
    mqttTopic(config.instrument, 'cmd/reprocess'),
    JSON.stringify({ requestId, paths: paths.map((p) => resolve(p)), replyTo: replyTopic }),
    { qos: 1 },
  );
  try {
    await finished;
    if (tty) io.stderr('\n');
    io.stderr(`lapis agent reprocess: ${done} done, ${failed} failed or refused\n`);
    return failed ? 1 : 0;
  } catch (e) {
    io.stderr(`${tty ? '\n' : ''}lapis agent reprocess: ${(e as Error).message}\n`);
    return 1;
  } finally {
    await client.endAsync();
  }
}

export function createAgentCommand(): Command {
  return {
    name: 'agent',
    summary: AGENT_SUMMARY,
    help: AGENT_HELP,
    async run(argv, io) {
      let parsed;
      try {
        parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
      } catch (e) {
        io.stderr(`lapis agent: ${(e as Error).message}\n`);
        return 2;
      }
      const { values, positionals } = parsed;
      if (values.help) {
        io.stdout(AGENT_HELP);
        return 0;
      }
      const sub = positionals[0];
      if (sub !== undefined && sub !== 'reprocess') {
        io.stderr(`lapis agent: unknown subcommand '${sub}' (only 'reprocess')\n`);
        return 2;
      }
      let config: AgentConfig;
      try {
        config = configFromArgs(values, io.cwd, sub === 'reprocess');
      } catch (e) {
        if (e instanceof AgentConfigError || e instanceof UsageProblem) {
          io.stderr(`lapis agent: ${e.message}\n`);
          return 2;
        }
        throw e;
      }
      if (values.check) {
        io.stdout(
          `lapis agent: configuration OK (${config.instrument}, ${config.watch.roots.length} root(s), ${config.mqtt.url ?? 'embedded broker'})\n`,
        );
        return 0;
      }
      if (sub === 'reprocess') {
        const paths = positionals.slice(1);
        if (paths.length === 0) {
          io.stderr('lapis agent reprocess: give at least one acquisition path\n');
          return 2;
        }
        return runReprocess(
          config,
          paths.map((p) => resolve(io.cwd, p)),
          intFlag(values, 'timeout') ?? 600,
          io,
          Boolean(process.stderr.isTTY),
        );
      }
      return runAgent(config, io);
    },
  };
}

export const agentCommand = createAgentCommand();
