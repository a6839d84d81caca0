/**
 * docker/ without a Docker engine: compose.yaml parses and agrees with what the code expects (services, ports,
 * the dashboard's environment schema, the agent's configuration schema and its health port, mounts and volumes);
 * the Dockerfiles pin their bases, drop root and check health; and the real mosquitto.conf + acl, with the
 * credentials made by make-credentials.sh, run in Debian's mosquitto 2 on a random port: an instrument publishes
 * under its own topic and not under another's, the dashboard reads all and writes none of it, anonymous and wrong
 * passwords are refused (MQTT 5 and 3.1.1), and persistence writes its database.
 */
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mqtt from 'mqtt';
import type { IClientOptions, MqttClient } from 'mqtt';
import { parse } from 'yaml';
import { agentConfigSchema } from '../../../apps/agent/src/agent/config/schema';
import { MOSQUITTO, freePort } from '../../../apps/agent/src/testing/mosquitto';
import { authProblem, readEnv } from '../../../apps/dashboard/src/env';

const DOCKER = fileURLToPath(new URL('../../../docker/', import.meta.url));
const read = (p: string) => readFileSync(join(DOCKER, p), 'utf8');

interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile: string };
  ports?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  command?: string[];
  secrets?: { source: string; target: string }[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
}
interface Compose {
  services: Record<string, ComposeService>;
  volumes: Record<string, unknown>;
  secrets: Record<string, { file: string }>;
}

/** compose's ${VAR}, ${VAR:-default} and ${VAR:?message} with the given values. */
function interpolate(text: string, vars: Record<string, string>): string {
  return text.replace(/\$\{(\w+)(?::([-?])([^}]*))?\}/g, (_m, name: string, op?: string, arg?: string) => {
    const v = vars[name];
    if (v !== undefined && v !== '') return v;
    if (op === '?') throw new Error(`compose would stop: ${arg}`);
    return op === '-' ? (arg ?? '') : '';
  });
}

const compose = parse(read('compose.yaml')) as Compose;
const target = (svc: ComposeService, source: string) =>
  svc.volumes?.find((v) => v.split(':')[0] === source)?.split(':')[1];

describe('docker/compose.yaml', () => {
  it('has mosquitto 2, PostgreSQL, the dashboard and an agent, with named volumes for all state', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['agent', 'dashboard', 'mosquitto', 'postgres']);
    expect(compose.services.mosquitto!.image).toMatch(/^eclipse-mosquitto:2\.\d+\.\d+$/);
    expect(compose.services.postgres!.image).toMatch(/^postgres:\d+\.\d+-bookworm$/);
    expect(compose.services.mosquitto!.ports).toEqual(['8883:8883']);
    expect(target(compose.services.mosquitto!, 'mosquitto-data')).toBe('/mosquitto/data');
    expect(target(compose.services.postgres!, 'postgres-data')).toBe('/var/lib/postgresql/data');
    expect(target(compose.services.agent!, 'agent-state')).toBe('/var/lib/lapis-agent');
    expect(Object.keys(compose.volumes).sort()).toEqual(['agent-state', 'mosquitto-data', 'postgres-data']);
    expect(compose.services.dashboard!.depends_on?.postgres?.condition).toBe('service_healthy');
    for (const [name, svc] of Object.entries(compose.services)) {
      if (svc.build) expect(existsSync(join(DOCKER, '..', svc.build.dockerfile)), name).toBe(true);
    }
  });

  it("the dashboard's environment passes its own schema and points at the broker's TLS listener and PostgreSQL", () => {
    const env = compose.services.dashboard!.environment!;
    const values = Object.fromEntries(
      Object.entries(env).map(([k, v]) => [
        k,
        interpolate(v, { POSTGRES_PASSWORD: 'pw', DASHBOARD_MQTT_PASSWORD: 'd', LAPIS_AUTH_SECRET: 's'.repeat(64) }),
      ]),
    );
    // sign-in: compose stops without a session secret; the optional SSO and admin variables come through empty
    expect(() => interpolate(env.LAPIS_AUTH_SECRET!, {})).toThrow(/LAPIS_AUTH_SECRET/);
    expect(() => interpolate(env.DATABASE_URL!, {})).not.toThrow(); // optional there, required by postgres
    expect(() => interpolate(env.MQTT_URL!, {})).toThrow(/DASHBOARD_MQTT_PASSWORD/);
    const parsed = readEnv(values);
    expect(authProblem(parsed)).toBeUndefined();
    expect(parsed.LAPIS_OIDC_ISSUER).toBeUndefined();
    expect(parsed.DATABASE_URL).toBe('postgres://lapis:pw@postgres:5432/lapis');
    const broker = new URL(parsed.MQTT_URL);
    expect([broker.protocol, broker.hostname, broker.port, broker.username]).toEqual([
      'mqtts:',
      'mosquitto',
      '8883',
      'lapis-dashboard',
    ]);
    expect(compose.services.dashboard!.ports).toEqual([`${values.PORT}:${values.PORT}`]);
    // the CA for NODE_EXTRA_CA_CERTS is mounted where it says
    expect(target(compose.services.dashboard!, './mosquitto/generated/certs/ca.crt')).toBe(values.NODE_EXTRA_CA_CERTS);
    expect(compose.services.postgres!.environment!.POSTGRES_USER).toBe(new URL(parsed.DATABASE_URL!).username);
  });

  it("the agent's mounted configuration is valid and matches the mounts, the secret, the broker and the health check", () => {
    const agent = compose.services.agent!;
    const configPath = agent.volumes!.find((v) => v.endsWith(':/etc/lapis/agent.yaml:ro'))!.split(':')[0]!;
    const config = agentConfigSchema.parse(parse(readFileSync(join(DOCKER, configPath), 'utf8')));
    expect(agent.command).toEqual(['agent', '--config', '/etc/lapis/agent.yaml']);
    const url = new URL(config.mqtt.url!);
    expect([url.protocol, url.hostname, url.port]).toEqual(['mqtts:', 'mosquitto', '8883']);
    expect(config.mqtt.username).toBe(config.instrument);
    expect(config.mqtt.passwordFile).toBe(`/run/secrets/${agent.secrets![0]!.target}`);
    expect(compose.secrets[agent.secrets![0]!.source]!.file).toBe(
      `./mosquitto/generated/secrets/${config.instrument}.password`,
    );
    expect(target(agent, './mosquitto/generated/certs/ca.crt')).toBe(config.mqtt.tls?.ca);
    expect(agent.volumes!.some((v) => v.endsWith(`:${config.watch.roots[0]}:ro`))).toBe(true);
    expect(config.dataDir).toBe('/var/lib/lapis-agent');
    expect(read('agent.Dockerfile')).toContain(`http://127.0.0.1:${config.http.port}/healthz`);
    expect(read('agent.Dockerfile')).toMatch(/CMD \["agent", "--config", "\/etc\/lapis\/agent.yaml"\]/);
  });

  it('the Dockerfiles pin their base images, run as a non-root user and check health', () => {
    for (const file of ['agent.Dockerfile', 'agent-cuda.Dockerfile', 'dashboard.Dockerfile']) {
      const text = read(file);
      const images = [...text.matchAll(/^ARG \w+_IMAGE=(\S+)$/gm)].map((m) => m[1]!);
      expect(images.length, file).toBeGreaterThan(0);
      for (const image of images) expect(image, file).toMatch(/:(\d+\.\d+\.\d+)[\w.-]*$|@sha256:[0-9a-f]{64}$/);
      const users = [...text.matchAll(/^USER (\S+)$/gm)].map((m) => m[1]);
      expect(users.at(-1), file).toMatch(/^(node|lapis)$/);
      expect(text, file).toMatch(/^HEALTHCHECK /m);
    }
    expect(read('agent-cuda.Dockerfile')).toMatch(/ONNXRUNTIME_NODE_INSTALL=cuda12/);
    expect(read('dashboard.Dockerfile')).toMatch(/standalone/);
  });

  it('the agent images run the built command: dist made in a build stage, copied after the sources', () => {
    for (const file of ['agent.Dockerfile', 'agent-cuda.Dockerfile']) {
      const text = read(file);
      const build = text.indexOf('FROM ${NODE_IMAGE} AS build');
      expect(build, file).toBeGreaterThanOrEqual(0);
      expect(text.slice(build), file).toMatch(/RUN npm ci [^\n]*&& node apps\/agent\/scripts\/build\.mjs/);
      const copied = text.indexOf('COPY --from=build /app/apps/agent/dist apps/agent/dist');
      // after the deps stage copies the sources, so the build is newer than every source (bin/lapis.js's check)
      expect(copied, file).toBeGreaterThan(text.indexOf('COPY . .', text.indexOf('AS deps')));
      expect(read(`${file}.dockerignore`), file).toMatch(/^apps\/agent\/dist$/m);
    }
  });
});

const OPENSSL = existsSync('/usr/bin/openssl');
const PASSWD = existsSync('/usr/bin/mosquitto_passwd');
const missing = !MOSQUITTO
  ? 'mosquitto is not installed'
  : !OPENSSL || !PASSWD
    ? 'openssl or mosquitto_passwd missing'
    : undefined;
if (missing) console.warn(`skipping the mosquitto config test: ${missing}`);

describe.skipIf(missing !== undefined)('docker/mosquitto with a real mosquitto 2', () => {
  let dir: string;
  let port: number;
  let child: ChildProcess;
  let log = '';
  const clients: MqttClient[] = [];
  const secret = (user: string) => readFileSync(join(dir, 'gen', 'secrets', `${user}.password`), 'utf8').trim();

  const connect = async (o: IClientOptions) => {
    const c = await mqtt.connectAsync(`mqtts://localhost:${port}`, {
      ca: readFileSync(join(dir, 'gen', 'certs', 'ca.crt')),
      reconnectPeriod: 0,
      connectTimeout: 5000,
      ...o,
    });
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lapis-mosq-deploy-'));
    const made = spawnSync(
      join(DOCKER, 'mosquitto', 'make-credentials.sh'),
      ['--out', join(dir, 'gen'), '--env-file', join(dir, '.env'), 'relaxometer-01', 'benchtop-01'],
      { encoding: 'utf8' },
    );
    if (made.status !== 0) throw new Error(`make-credentials.sh failed: ${made.stderr}`);
    port = await freePort();
    mkdirSync(join(dir, 'data'));
    // The real file with the container paths and port mapped to this machine; nothing else changed.
    const conf = read('mosquitto/mosquitto.conf')
      .replace('/mosquitto/config/passwd', join(dir, 'gen', 'passwd'))
      .replace('/mosquitto/config/acl', join(DOCKER, 'mosquitto', 'acl'))
      .replaceAll('/mosquitto/certs/', `${join(dir, 'gen', 'certs')}/`)
      .replace('/mosquitto/data/', `${join(dir, 'data')}/`)
      .replace(/^listener 8883$/m, `listener ${port} 127.0.0.1`);
    expect(conf.split('\n').filter((l) => !l.startsWith('#'))).not.toContainEqual(
      expect.stringContaining(' /mosquitto/'),
    );
    // as root mosquitto would drop to the `mosquitto` user, who cannot read this private temp dir
    writeFileSync(join(dir, 'mosquitto.conf'), (process.getuid?.() === 0 ? 'user root\n' : '') + conf);
    child = spawn(MOSQUITTO!, ['-c', join(dir, 'mosquitto.conf')], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (d) => (log += d));
    child.stderr!.on('data', (d) => (log += d));
    // (its log goes to stdout, block-buffered in a pipe: wait for the port instead)
    const end = Date.now() + 5000;
    for (;;) {
      if (child.exitCode !== null || Date.now() > end) throw new Error(`mosquitto did not start: ${log}`);
      const open = await new Promise<boolean>((resolve) => {
        const c = createConnection({ port, host: '127.0.0.1' });
        c.once('connect', () => (c.destroy(), resolve(true)));
        c.once('error', () => resolve(false));
      });
      if (open) break;
      await new Promise((r) => setTimeout(r, 50));
    }
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.endAsync(true).catch(() => undefined)));
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('an instrument publishes under its own id only; the dashboard reads all of it and publishes nothing', async () => {
    const dashboard = await connect({
      username: 'lapis-dashboard',
      password: secret('lapis-dashboard'),
      protocolVersion: 4,
    });
    const got: string[] = [];
    dashboard.on('message', (topic, payload) => got.push(`${topic} ${payload.toString()}`));
    await dashboard.subscribeAsync('lapis/v1/#', { qos: 1 });

    const relax = await connect({ username: 'relaxometer-01', password: secret('relaxometer-01'), protocolVersion: 5 });
    await relax.publishAsync('lapis/v1/relaxometer-01/result', 'mine', { qos: 1 });
    // MQTT 5: the broker says why in the PUBACK
    await expect(relax.publishAsync('lapis/v1/benchtop-01/result', 'forged', { qos: 1 })).rejects.toThrow(
      /not authori/i,
    );
    await expect(
      dashboard.publishAsync('lapis/v1/relaxometer-01/result', 'from the dashboard', { qos: 1 }),
    ).resolves.toBeDefined(); // 3.1.1: acked, dropped

    const bench = await connect({ username: 'benchtop-01', password: secret('benchtop-01'), protocolVersion: 4 });
    await bench.publishAsync('lapis/v1/relaxometer-01/status', 'forged 3.1.1', { qos: 1 }); // 3.1.1: acked, dropped
    await bench.publishAsync('lapis/v1/benchtop-01/status', 'marker', { qos: 1 });
    const end = Date.now() + 5000;
    while (!got.some((g) => g.endsWith('marker')) && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
    expect(got.sort()).toEqual(['lapis/v1/benchtop-01/status marker', 'lapis/v1/relaxometer-01/result mine']);

    // an instrument cannot read another's messages either
    const spy: string[] = [];
    bench.on('message', (t) => spy.push(t));
    const granted = await bench.subscribeAsync('lapis/v1/relaxometer-01/#', { qos: 1 });
    await relax.publishAsync('lapis/v1/relaxometer-01/result', 'second', { qos: 1 });
    await new Promise((r) => setTimeout(r, 300));
    expect(spy).toEqual([]);
    expect(granted.length).toBe(1);
  });

  it('refuses anonymous clients and wrong passwords, over MQTT 5 and 3.1.1', async () => {
    for (const protocolVersion of [4, 5] as const) {
      await expect(connect({ protocolVersion })).rejects.toThrow(/not authori/i);
      await expect(connect({ protocolVersion, username: 'relaxometer-01', password: 'guess' })).rejects.toThrow(
        /not authori|bad user name or password/i,
      );
    }
  });

  it('writes its persistence database on a clean stop', async () => {
    await Promise.all(clients.splice(0).map((c) => c.endAsync(true)));
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
    expect(existsSync(join(dir, 'data', 'mosquitto.db'))).toBe(true);
  });
});
