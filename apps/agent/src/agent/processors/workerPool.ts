/**
 * The pipeline in worker threads: inversion is CPU-bound and synchronous, so in the main thread it would stall
 * MQTT acknowledgements, heartbeats and /healthz for as long as it runs, and `concurrency` could never use a
 * second core. Each worker runs `processAcquisition`; a worker that dies is replaced and its job fails with why.
 */
import { Worker } from 'node:worker_threads';
import type { Rule } from '../config/schema';
import type { Logger } from '../logger';
import type { Analysis, PipelineSteps, SpectraSettings } from './pipelineSteps';

interface Job {
  id: number;
  path: string;
  rules: readonly Rule[];
  spectra: SpectraSettings | undefined;
  resolve: (a: Analysis) => void;
  reject: (e: Error) => void;
}

interface Slot {
  worker: Worker;
  job: Job | undefined;
  /** Resolves when the worker has warmed up (or has died). */
  ready: Promise<void>;
}

export type WorkerReply = { id: number; ok: true; analysis: Analysis } | { id: number; ok: false; error: string };
/** Sent once by a worker when its warm-up (warmUpAnalysis) is over. */
export type WorkerReady = { ready: true };

// Built (apps/agent/dist, flat): the worker's own bundle beside this one. From the sources: tsx's loader first.
const BUILT = !import.meta.url.endsWith('.ts');
const BOOT = BUILT ? new URL('./processWorker.mjs', import.meta.url) : new URL('./worker/boot.mjs', import.meta.url);
const ENTRY = new URL('./worker/processWorker.ts', import.meta.url).href;

export class WorkerPoolSteps implements PipelineSteps {
  private readonly slots: Slot[] = [];
  private readonly waiting: Job[] = [];
  private nextId = 1;
  private closed = false;

  constructor(
    readonly size: number,
    private readonly logger: Logger,
  ) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`WorkerPoolSteps: size must be ≥ 1, got ${size}`);
    for (let i = 0; i < size; i++) this.slots.push(this.spawn());
  }

  private spawn(): Slot {
    let warm = () => {};
    const ready = new Promise<void>((resolve) => (warm = resolve));
    const slot: Slot = { worker: new Worker(BOOT, { workerData: { entry: ENTRY } }), job: undefined, ready };
    slot.worker.on('message', (reply: WorkerReply | WorkerReady) => {
      if ('ready' in reply) return warm();
      const job = slot.job;
      if (!job || job.id !== reply.id) return;
      slot.job = undefined;
      if (reply.ok) job.resolve(reply.analysis);
      else job.reject(new Error(reply.error));
      this.next();
    });
    const died = (why: string) => {
      warm();
      const at = this.slots.indexOf(slot);
      if (at < 0) return;
      const job = slot.job;
      slot.job = undefined;
      if (this.closed) return;
      this.logger.error({ why }, 'processing worker died: replacing it');
      this.slots[at] = this.spawn();
      job?.reject(new Error(`processing worker died: ${why}`));
      this.next();
    };
    slot.worker.on('error', (e) => died(e.message));
    slot.worker.on('exit', (code) => died(`exit code ${code}`));
    return slot;
  }

  /** Resolves when every worker has warmed up: what the agent then measures or times is its work, not the warm-up. */
  async ready(): Promise<void> {
    await Promise.all(this.slots.map((s) => s.ready));
  }

  process(path: string, rules: readonly Rule[], spectra?: SpectraSettings): Promise<Analysis> {
    if (this.closed) return Promise.reject(new Error('worker pool is closed'));
    return new Promise<Analysis>((resolve, reject) => {
      this.waiting.push({ id: this.nextId++, path, rules, spectra, resolve, reject });
      this.next();
    });
  }

  private next(): void {
    for (const slot of this.slots) {
      if (slot.job || this.waiting.length === 0) continue;
      const job = this.waiting.shift()!;
      slot.job = job;
      slot.worker.postMessage({ id: job.id, path: job.path, rules: job.rules, spectra: job.spectra });
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const j of this.waiting.splice(0)) j.reject(new Error('worker pool is closed'));
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}
