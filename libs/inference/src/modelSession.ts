/**
 * A loaded, verified, warmed-up model: load once (sessions are cached per manifest, provider order and threads),
 * run once on zeros so the first real map does not pay for graph optimisation, then run maps in batches.
 */
import * as ort from 'onnxruntime-node';
import { loadModel, type ModelManifest } from './manifest';
import { createSession, type ExecutionProviderName, type ProviderAttempt } from './providers';

export interface OpenModelOptions {
  providers?: readonly ExecutionProviderName[];
  /** Intra-op threads (default 1). */
  threads?: number;
  /** Skip the warm-up run (default false). */
  noWarmUp?: boolean;
}

export interface ModelSession {
  manifest: ModelManifest;
  modelPath: string;
  /** The provider the session actually runs on. */
  provider: ExecutionProviderName;
  attempts: ProviderAttempt[];
  /** Wall time of load + session creation + warm-up, ms. */
  openMs: number;
  /** Runs a batch of inputs (each a Float32Array of the manifest's per-map input size); one output per input. */
  run(inputs: Float32Array[]): Promise<Float32Array[]>;
  release(): Promise<void>;
}

const cache = new Map<string, Promise<ModelSession>>();

function mapShape(manifest: ModelManifest): { n: number; channels: number } {
  const n = manifest.output.grid.points;
  const ch = manifest.input.shape[1];
  return { n, channels: typeof ch === 'number' ? ch : 2 };
}

async function open(manifestPath: string, options: OpenModelOptions): Promise<ModelSession> {
  const t0 = performance.now();
  const loaded = await loadModel(manifestPath);
  const { session, provider, attempts } = await createSession(loaded.bytes, {
    ...(options.providers ? { providers: options.providers } : {}),
    ...(options.threads ? { threads: options.threads } : {}),
  });
  const { manifest } = loaded;
  const { n, channels } = mapShape(manifest);
  const per = channels * n * n;
  const run = async (inputs: Float32Array[]): Promise<Float32Array[]> => {
    if (inputs.length === 0) return [];
    const batch = new Float32Array(inputs.length * per);
    inputs.forEach((x, b) => {
      if (x.length !== per)
        throw new RangeError(`model ${manifest.id}: each input needs ${per} values, got ${x.length}`);
      batch.set(x, b * per);
    });
    const feeds = { [manifest.input.name]: new ort.Tensor('float32', batch, [inputs.length, channels, n, n]) };
    const out = await session.run(feeds);
    const tensor = out[manifest.output.name];
    if (!tensor) throw new Error(`model ${manifest.id}: no output named ${manifest.output.name}`);
    const data = tensor.data as Float32Array;
    const size = n * n;
    return inputs.map((_, b) => data.slice(b * size, (b + 1) * size));
  };
  if (!options.noWarmUp) await run([new Float32Array(per)]);
  return {
    manifest,
    modelPath: loaded.modelPath,
    provider,
    attempts,
    openMs: performance.now() - t0,
    run,
    release: () => session.release(),
  };
}

/** The cached session of a model (opened, verified and warmed up on first use). A failed open is not cached. */
export function openModel(manifestPath: string, options: OpenModelOptions = {}): Promise<ModelSession> {
  const key = JSON.stringify([manifestPath, options.providers ?? null, options.threads ?? 1, !!options.noWarmUp]);
  let pending = cache.get(key);
  if (!pending) {
    pending = open(manifestPath, options);
    cache.set(key, pending);
    pending.catch(() => cache.delete(key));
  }
  return pending;
}

/** Drops every cached session (tests; a model file replaced on disk). */
export async function closeAllModels(): Promise<void> {
  const all = [...cache.values()];
  cache.clear();
  await Promise.all(all.map((p) => p.then((s) => s.release()).catch(() => undefined)));
}
