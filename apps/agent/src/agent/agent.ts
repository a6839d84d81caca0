/**
 * The agent: watcher input → bounded queue → processor (key, read, invert, peaks, document) → outbox → MQTT.
 *
 * Order of safety: an acquisition's outcome and its messages are committed to the outbox in one transaction
 * before anything is sent, and the outbox forgets a message only on PUBACK. A crash before the commit leaves no
 * outcome, so the start-up scan processes the acquisition again (same key); a crash after it leaves the messages,
 * which are replayed. Keys already recorded are skipped, so restarts never redo or republish acknowledged work.
 */
import { join } from 'node:path';
import { mqttTopic } from '@lapis/contracts';
import type { EventMessage, ReprocessReply } from '@lapis/contracts';
import { escapeControls } from '@lapis/contracts/text';
import type { AgentConfig } from './config/schema';
import { mqttPassword } from './config/loadConfig';
import { startEmbeddedBroker, type EmbeddedBroker } from './broker/embeddedBroker';
import { lockDataDir, type DataDirLock } from './dataDirLock';
import { startHealthServer, type HealthServer } from './http/healthServer';
import { AcquisitionWatcher } from './inputs/watcher/acquisitionWatcher';
import type { CompletionCheck } from './inputs/watcher/completion';
import type { Logger } from './logger';
import { newMetrics, type AgentMetrics } from './metrics';
import { SqliteOutbox } from './outbox/sqliteOutbox';
import { OutboxQuota } from './outbox/outboxQuota';
import type { Outbox, OutboxEntry, OutboxMessage } from './outbox/types';
import { MqttOutput } from './outputs/mqtt/mqttOutput';
import { acquisitionKey } from './processors/acquisitionKey';
import { messageOf } from './processors/buildEnvelope';
import { modelFingerprints } from './processors/modelFingerprints';
import { keyParameters } from './processors/keyParameters';
import { classicalSteps } from './processors/pipelineSteps';
import { WorkerPoolSteps } from './processors/workerPool';
import type { PipelineSteps } from './processors/pipelineSteps';
import { PIPELINE_VERSION, SOFTWARE_VERSION } from './version';
import { FullSpectrumStore } from '../spectra/fullSpectrumStore';
import { answerSpectrumRequest } from '../spectra/spectrumCommand';
import { failedEvent, finishedEvent, unhashableFailure } from './failure';
import {
  parseReprocessRequest,
  reprocessTarget,
  requestedRunOf,
  rulesWithMethod,
  type RequestedRun,
} from './reprocess';

export interface AgentDeps {
  logger: Logger;
  /** Default: SqliteOutbox in `config.dataDir/outbox.sqlite`. */
  outbox?: Outbox;
  /** Default: the classical pipeline of libs/formats + libs/physics, in `pipeline.concurrency` worker threads
   * (or in this thread with `pipeline.isolation: inline`). */
  steps?: PipelineSteps;
  completion?: CompletionCheck;
  /** Give up waiting for an incomplete acquisition after this long (default 10 min). */
  incompleteTimeoutMs?: number;
  /** Called on every PUBACK of an outbox entry. */
  onAck?: (entry: OutboxEntry) => void;
}

interface WorkItem {
  dir: string;
  root: string;
  force: boolean;
  /** When the watcher (or a request) handed it on, ms. */
  at: number;
  /** The reprocess request it answers, if any: a new version, keyed apart from every earlier result. */
  request?: RequestedRun;
}

export class Agent {
  readonly metrics: AgentMetrics;
  readonly outbox: Outbox;
  brokerUrl = '';
  healthPort = 0;
  private broker: EmbeddedBroker | undefined;
  private output!: MqttOutput;
  private health: HealthServer | undefined;
  private watcher!: AcquisitionWatcher;
  private readonly queue: WorkItem[] = [];
  private readonly queued = new Set<string>();
  private running = 0;
  private stopping = false;
  private readonly completedAt = new Map<string, number>();
  private idleWaiters: (() => void)[] = [];
  private readonly steps: PipelineSteps;
  private readonly log: Logger;
  private lock: DataDirLock | undefined;
  /** Full-resolution spectra for viewers that zoom in (`cmd/spectrum`). */
  private readonly fullSpectra: FullSpectrumStore;
  private readonly quota: OutboxQuota;
  /** What the key covers besides the raw data: the whole processing configuration. */
  private parameters: unknown;

  private constructor(
    readonly config: AgentConfig,
    private readonly deps: AgentDeps,
  ) {
    this.log = deps.logger;
    this.metrics = newMetrics(config.outbox.quotaBytes);
    this.outbox = deps.outbox ?? new SqliteOutbox(join(config.dataDir, 'outbox.sqlite'));
    this.quota = new OutboxQuota(this.outbox, config.outbox, deps.logger);
    this.fullSpectra = new FullSpectrumStore(join(config.dataDir, 'spectra'), config.spectra.keepFullMiB * 2 ** 20);
    this.steps =
      deps.steps ??
      (config.pipeline.isolation === 'worker'
        ? new WorkerPoolSteps(config.pipeline.concurrency, this.log)
        : classicalSteps);
    this.parameters = keyParameters(config);
    const s = this.outbox.stats();
    this.metrics.outboxDepth = s.depth;
    this.metrics.outboxBytes = s.bytes;
  }

  /** Starts every part; rejects (having closed what it opened) when one cannot start. */
  static async start(config: AgentConfig, deps: AgentDeps): Promise<Agent> {
    const lock = lockDataDir(config.dataDir);
    let agent: Agent;
    try {
      agent = new Agent(config, deps);
    } catch (e) {
      lock.release();
      throw e;
    }
    agent.lock = lock;
    try {
      await agent.startParts();
    } catch (e) {
      await agent.stop().catch(() => {});
      throw e;
    }
    return agent;
  }

  private async startParts(): Promise<void> {
    const c = this.config;
    const models = await modelFingerprints(c.rules);
    for (const m of models) {
      if (m.problem) {
        this.log.error(
          { rule: m.rule, manifest: m.manifest },
          `rules.${m.rule} (method dl): the model cannot be used (${m.problem}); its acquisitions get the classical result, with the reason in each result`,
        );
      } else this.log.info({ rule: m.rule, manifest: m.manifest, sha256: m.sha256 }, 'network model verified');
    }
    // Keys of configurations without a network stay what they were; with one, the model's hash is part of them.
    if (models.length) this.parameters = keyParameters(c, models);
    if (c.mqtt.url) {
      this.brokerUrl = c.mqtt.url;
    } else {
      this.broker = await startEmbeddedBroker({
        host: c.embeddedBroker.host,
        port: c.embeddedBroker.port,
        logger: this.log,
      });
      this.brokerUrl = this.broker.url;
    }
    const password = mqttPassword(c);
    this.output = new MqttOutput({
      url: this.brokerUrl,
      instrument: c.instrument,
      ...(c.site ? { site: c.site } : {}),
      softwareVersion: SOFTWARE_VERSION,
      // aedes speaks 3.1.1 only: no point trying 5 against the embedded broker.
      protocol: this.broker ? '3.1.1' : c.mqtt.protocol,
      ...(c.mqtt.username !== undefined ? { username: c.mqtt.username } : {}),
      ...(password !== undefined ? { password } : {}),
      ...(c.mqtt.tls ? { tls: c.mqtt.tls } : {}),
      ...(c.mqtt.clientId ? { clientId: c.mqtt.clientId } : {}),
      keepaliveSeconds: c.mqtt.keepaliveSeconds,
      heartbeatSeconds: c.mqtt.heartbeatSeconds,
      inflight: c.mqtt.inflight,
      reconnectMinMs: c.mqtt.reconnectMinMs,
      reconnectMaxMs: c.mqtt.reconnectMaxMs,
      outbox: this.outbox,
      metrics: this.metrics,
      logger: this.log,
      commands: {
        'cmd/reprocess': (body) => this.reprocessCommand(body),
        'cmd/spectrum': (body) => answerSpectrumRequest(this.fullSpectra, c.instrument, body),
      },
      onAck: (entry) => this.acked(entry),
    });
    this.output.start();
    if (c.http.enabled) {
      this.health = await startHealthServer({
        host: c.http.host,
        port: c.http.port,
        instrument: c.instrument,
        metrics: this.metrics,
        warnFraction: c.outbox.warnFraction,
      });
      this.healthPort = this.health.port;
    }
    this.watcher = new AcquisitionWatcher({
      ...c.watch,
      logger: this.log,
      ...(this.deps.completion ? { completion: this.deps.completion } : {}),
      ...(this.deps.incompleteTimeoutMs !== undefined ? { incompleteTimeoutMs: this.deps.incompleteTimeoutMs } : {}),
    });
    await this.watcher.start((dir, root) => this.enqueue({ dir, root, force: false, at: Date.now() }));
    const s = this.outbox.stats();
    this.log.info(
      {
        instrument: c.instrument,
        roots: c.watch.roots,
        broker: this.brokerUrl,
        embeddedBroker: Boolean(this.broker),
        health: this.health ? `http://${c.http.host}:${this.healthPort}/healthz` : null,
        outboxDepth: s.depth,
        remembered: s.outcomes,
        pipeline: PIPELINE_VERSION,
      },
      `lapis agent ${c.instrument}: watching ${c.watch.roots.length} root(s), publishing to ${this.brokerUrl}, ${s.depth} message(s) to replay`,
    );
  }

  /** MQTT protocol in use: '5' or '3.1.1'. */
  get mqttProtocol(): '5' | '3.1.1' {
    return this.output.protocolVersion === 5 ? '5' : '3.1.1';
  }

  /** Resolves when nothing is queued, running or waiting for quiet, and the outbox is empty. For tests and benches. */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((r) => this.idleWaiters.push(r));
  }

  private isIdle(): boolean {
    return (
      this.queue.length === 0 && this.running === 0 && this.watcher.waiting === 0 && this.outbox.stats().depth === 0
    );
  }

  private checkIdle(): void {
    if (this.idleWaiters.length && this.isIdle()) for (const w of this.idleWaiters.splice(0)) w();
  }

  /** Publishes a live (non-durable) event. */
  private liveEvent(kind: 'detected' | 'started', path: string, key?: string): void {
    const ev: EventMessage = {
      kind,
      instrument: this.config.instrument,
      at: new Date().toISOString(),
      path,
      ...(key ? { key } : {}),
    };
    this.output.publishLive('event', ev);
  }

  /** Queues an item; false when the queue is full (the watcher then holds it and offers it again later). */
  private enqueue(item: WorkItem): boolean {
    if (this.stopping) return false;
    if (this.queued.has(item.dir) && !item.force) return true;
    if (this.queue.length >= this.config.pipeline.maxQueued) return false;
    this.queue.push(item);
    this.queued.add(item.dir);
    this.metrics.detected++;
    this.metrics.queued = this.queue.length;
    this.liveEvent('detected', item.dir);
    this.pump();
    return true;
  }

  private pump(): void {
    while (!this.stopping && this.running < this.config.pipeline.concurrency && this.queue.length > 0) {
      const item = this.queue.shift()!;
      this.queued.delete(item.dir);
      this.metrics.queued = this.queue.length;
      this.running++;
      this.metrics.running = this.running;
      void this.handle(item)
        .catch((err: unknown) =>
          this.log.error(
            { err: (err as Error).message, dir: item.dir },
            'unexpected error while handling an acquisition',
          ),
        )
        .finally(() => {
          this.running--;
          this.metrics.running = this.running;
          this.watcher.resume();
          this.pump();
          this.checkIdle();
        });
    }
  }

  private message(channel: 'event' | 'result', body: object): OutboxMessage {
    return { topic: mqttTopic(this.config.instrument, channel), payload: JSON.stringify(body), qos: 1, retain: false };
  }

  private async handle(item: WorkItem): Promise<void> {
    const { dir, root } = item;
    const log = this.log.child({ dir });
    let key: string;
    let rawDataHash: string;
    try {
      // A requested run is a version of its own: the request (id and method) is part of the key, so its result is
      // stored beside the earlier ones, never in their place, and a replay of it is still recognised.
      const parameters = item.request ? { ...(this.parameters as object), request: item.request } : this.parameters;
      const k = await acquisitionKey(dir, { pipelineVersion: PIPELINE_VERSION, parameters, root });
      key = k.key;
      rawDataHash = k.rawDataHash;
    } catch (err) {
      if (/changed while being read/.test((err as Error).message)) {
        log.info('files changed while hashing: waiting for the acquisition to settle');
        this.watcher.touch(dir);
        return;
      }
      const failure = await unhashableFailure(dir, err as Error);
      if (!item.force && this.outbox.outcome(failure.key)) return;
      return this.fail(item, failure.key, failure.reason, log);
    }
    if (!item.force && this.outbox.outcome(key)) {
      this.metrics.skipped++;
      log.debug({ key }, 'already processed: skipped');
      return;
    }
    this.completedAt.set(key, item.at);
    this.liveEvent('started', dir, key);
    await this.quota.wait(() => this.stopping);
    let payload: string;
    let channel: 'result' | 'spectrum';
    try {
      const rules = item.request?.method ? rulesWithMethod(this.config.rules, item.request.method) : this.config.rules;
      const analysis = await this.steps.process(dir, rules, this.config.spectra);
      if (analysis.kind === 'spectrum') this.keepFullSpectrum(key, analysis.document, log);
      ({ channel, payload } = messageOf({
        key,
        rawDataHash,
        instrument: this.config.instrument,
        site: this.config.site,
        path: dir,
        reprocessed: item.force,
        request: item.request,
        analysis,
      }));
    } catch (err) {
      return this.fail(item, key, (err as Error).message, log);
    }
    const at = Date.now();
    this.outbox.commit({ key, path: dir, status: 'finished', at }, [
      { topic: mqttTopic(this.config.instrument, channel), payload, qos: 1, retain: false },
      this.message('event', finishedEvent(this.config.instrument, dir, key, at)),
    ]);
    this.metrics.processed++;
    this.metrics.lastSuccessAt = at;
    this.afterCommit();
    log.info({ key, ms: at - item.at }, 'processed');
  }

  /** A spectrum the store cannot take is still published: viewers then get the transported one only. */
  private keepFullSpectrum(key: string, doc: Parameters<FullSpectrumStore['save']>[1], log: Logger): void {
    try {
      this.fullSpectra.save(key, doc);
    } catch (err) {
      log.warn({ err: (err as Error).message }, 'full-resolution spectrum not kept');
    }
  }

  private fail(item: WorkItem, key: string, reason: string, log: Logger): void {
    const at = Date.now();
    const ev = failedEvent(this.config.instrument, item.dir, key, reason, at);
    this.outbox.commit({ key, path: item.dir, status: 'failed', reason: ev.reason!, at }, [this.message('event', ev)]);
    this.metrics.failed++;
    this.completedAt.delete(key);
    this.afterCommit();
    log.warn({ key, reason: escapeControls(reason.slice(0, 2000)) }, 'acquisition failed');
  }

  private afterCommit(): void {
    const s = this.outbox.stats();
    this.metrics.outboxDepth = s.depth;
    this.metrics.outboxBytes = s.bytes;
    this.output.notify();
  }

  private acked(entry: OutboxEntry): void {
    if (entry.topic.endsWith('/result') || entry.topic.endsWith('/spectrum')) {
      const t = this.completedAt.get(entry.key);
      if (t !== undefined) {
        this.metrics.lastLatencyMs = Date.now() - t;
        this.completedAt.delete(entry.key);
      }
    }
    this.deps.onAck?.(entry);
    this.checkIdle();
  }

  /** Queues `paths` for processing again on purpose (bypassing the key skip). Each must be an acquisition inside a root. */
  reprocess(
    paths: readonly string[],
    request?: RequestedRun,
  ): { accepted: string[]; rejected: { path: string; reason: string }[] } {
    const accepted: string[] = [];
    const rejected: { path: string; reason: string }[] = [];
    for (const p of paths) {
      const target = reprocessTarget(p, this.config.watch.roots);
      const item: WorkItem | undefined =
        'reason' in target ? undefined : { dir: target.dir, root: target.root, force: true, at: Date.now() };
      if (item && this.enqueue(request ? { ...item, request } : item)) accepted.push(p);
      else rejected.push({ path: p, reason: 'reason' in target ? target.reason : 'queue full' });
    }
    return { accepted, rejected };
  }

  private reprocessCommand(body: unknown): ReprocessReply | { error: string } {
    const parsed = parseReprocessRequest(body);
    if ('error' in parsed) return parsed;
    const { requestId, paths, method, requestedBy } = parsed.request;
    const run = requestedRunOf(parsed.request);
    const r = this.reprocess(paths, run);
    this.log.info(
      { requestId, method, requestedBy, accepted: r.accepted.length, rejected: r.rejected.length },
      'reprocess requested',
    );
    return { requestId, instrument: this.config.instrument, at: new Date().toISOString(), ...r };
  }

  /** Resolves when the processing steps are warmed up (worker threads: warmUpAnalysis); the agent works before too. */
  async ready(): Promise<void> {
    await this.steps.ready?.();
  }

  /** Stops watching, lets running work finish, publishes `offline`, closes everything. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.watcher?.stop();
    const deadline = Date.now() + 30_000;
    while (this.running > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await this.steps.close?.();
    await this.output?.stop();
    await this.health?.close();
    await this.broker?.close();
    this.outbox.close();
    this.lock?.release();
    for (const w of this.idleWaiters.splice(0)) w();
  }
}
