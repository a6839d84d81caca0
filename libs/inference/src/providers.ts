/**
 * Execution providers, tried in a configured order with CPU as the last resort. onnxruntime-node throws when a
 * requested provider is missing (e.g. ['cuda', 'cpu'] without the CUDA libraries) instead of falling back, so each
 * provider is tried on its own (with CPU behind it for the operators it lacks) and the failure kept for the report.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';

export type ExecutionProviderName = 'cuda' | 'webgpu' | 'dml' | 'coreml' | 'cpu';

/** GPU first, CPU last (the issue's order). */
export const DEFAULT_PROVIDERS: readonly ExecutionProviderName[] = ['cuda', 'webgpu', 'dml', 'coreml', 'cpu'];

/** Where each provider can exist at all; others are skipped without a (slow, noisy) attempt. */
const PLATFORMS: Record<ExecutionProviderName, readonly NodeJS.Platform[]> = {
  cuda: ['linux', 'win32'],
  webgpu: ['linux', 'win32', 'darwin'],
  dml: ['win32'],
  coreml: ['darwin'],
  cpu: ['linux', 'win32', 'darwin', 'freebsd', 'openbsd', 'sunos', 'aix'],
};

/**
 * WebGPU on Linux runs on Vulkan. Without a Vulkan loader the attempt fails anyway, and Dawn (outside ONNX Runtime's
 * logging) prints a warning to stderr on the way — so the attempt is skipped when no libvulkan.so.1 is found.
 */
function hasVulkanLoader(env: NodeJS.ProcessEnv = process.env): boolean {
  const dirs = [
    ...(env.LD_LIBRARY_PATH ?? '').split(':').filter(Boolean),
    '/usr/lib/x86_64-linux-gnu',
    '/usr/lib/aarch64-linux-gnu',
    '/usr/lib64',
    '/usr/lib',
    '/usr/local/lib',
  ];
  return dirs.some((d) => existsSync(join(d, 'libvulkan.so.1')));
}

export interface ProviderAttempt {
  provider: ExecutionProviderName;
  ok: boolean;
  /** Why it was not used: the runtime's error (first line) or "not available on <platform>". */
  reason?: string;
}

export interface CreateSessionOptions {
  /** Order to try (default DEFAULT_PROVIDERS, or LAPIS_EXECUTION_PROVIDERS="cuda,cpu" from the environment). */
  providers?: readonly ExecutionProviderName[];
  /** Intra-op threads (default 1: the per-core figures of the benchmark, and the agent shares its machine). */
  threads?: number;
  platform?: NodeJS.Platform;
}

export interface ProviderSession {
  session: ort.InferenceSession;
  provider: ExecutionProviderName;
  attempts: ProviderAttempt[];
}

export function providersFromEnv(value = process.env.LAPIS_EXECUTION_PROVIDERS): ExecutionProviderName[] | undefined {
  if (!value) return undefined;
  const names = value
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  for (const n of names) {
    if (!(n in PLATFORMS)) {
      throw new RangeError(
        `LAPIS_EXECUTION_PROVIDERS: unknown provider '${n}' (expected ${DEFAULT_PROVIDERS.join(', ')})`,
      );
    }
  }
  return names as ExecutionProviderName[];
}

export async function createSession(model: Uint8Array, options: CreateSessionOptions = {}): Promise<ProviderSession> {
  const order = [...(options.providers ?? providersFromEnv() ?? DEFAULT_PROVIDERS)];
  if (order.length === 0) throw new RangeError('createSession: no execution provider to try');
  // CPU is always the last resort, even when the configured order leaves it out.
  if (!order.includes('cpu')) order.push('cpu');
  const threads = options.threads ?? 1;
  if (!Number.isInteger(threads) || threads < 1)
    throw new RangeError(`createSession: threads must be ≥ 1, got ${threads}`);
  const platform = options.platform ?? process.platform;
  const attempts: ProviderAttempt[] = [];
  // A missing provider is expected and reported in `attempts`; without this the runtime also prints it to stderr.
  // (WebGPU's Dawn still warns once when no Vulkan loader is installed — it logs outside ONNX Runtime.)
  ort.env.logLevel = 'fatal';
  for (const provider of order) {
    if (!PLATFORMS[provider].includes(platform)) {
      attempts.push({ provider, ok: false, reason: `not available on ${platform}` });
      continue;
    }
    if (provider === 'webgpu' && platform === 'linux' && options.platform === undefined && !hasVulkanLoader()) {
      attempts.push({ provider, ok: false, reason: 'no Vulkan loader (libvulkan.so.1) found' });
      continue;
    }
    try {
      const session = await ort.InferenceSession.create(model, {
        executionProviders: provider === 'cpu' ? ['cpu'] : [provider, 'cpu'],
        intraOpNumThreads: threads,
        interOpNumThreads: 1,
        graphOptimizationLevel: 'all',
        logSeverityLevel: 3,
      });
      attempts.push({ provider, ok: true });
      return { session, provider, attempts };
    } catch (error) {
      attempts.push({
        provider,
        ok: false,
        reason: String((error as Error).message ?? error)
          .split('\n')[0]!
          .slice(0, 300),
      });
    }
  }
  throw new Error(
    `createSession: no execution provider could run the model (${attempts.map((a) => `${a.provider}: ${a.reason}`).join('; ')})`,
  );
}
