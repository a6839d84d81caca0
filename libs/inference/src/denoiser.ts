/**
 * The spectrum denoiser (`task: "denoise-1d"`, trained by tools/training/denoise/train_denoiser.py on simulated
 * spectra): a 1D U-Net that takes a processed spectrum in units of its noise σ and returns it denoised, for display
 * only (docs/spectra.md). Its manifest is checked and its bytes verified (sha256) like the Laplace network's.
 */
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-node';
import { ModelIntegrityError, sha256Hex } from './manifest';
import { createSession, type ExecutionProviderName } from './providers';

export const DENOISER_ID = 'lapis-denoise1d';

export interface DenoiserManifest {
  format: 'lapis-model/1';
  id: string;
  file: string;
  sha256: string;
  task: 'denoise-1d';
  input: { name: string };
  output: { name: string };
  training?: Record<string, unknown>;
}

export interface Denoiser {
  manifest: DenoiserManifest;
  provider: ExecutionProviderName;
  /** The spectrum denoised, in its own units; `sigma` is its noise σ (e.g. spectrumNoise). */
  denoise(real: ArrayLike<number>, sigma: number): Promise<Float64Array>;
  release(): Promise<void>;
}

/** models/lapis-denoise1d.json, looked for upward from this module (sources or the agent's bundle), or LAPIS_DENOISER. */
export function defaultDenoiserPath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.LAPIS_DENOISER) return env.LAPIS_DENOISER;
  const here = dirname(fileURLToPath(import.meta.url));
  for (let dir = here, up = 0; up < 6; up++, dir = dirname(dir)) {
    const candidate = join(dir, 'models', `${DENOISER_ID}.json`);
    if (existsSync(candidate)) return candidate;
  }
  return join(here, '..', '..', '..', 'models', `${DENOISER_ID}.json`);
}

function parseDenoiserManifest(value: unknown, path: string): DenoiserManifest {
  const m = value as Partial<DenoiserManifest> | null;
  const fail = (what: string) => new TypeError(`model manifest ${path}: ${what}`);
  if (!m || typeof m !== 'object' || m.format !== 'lapis-model/1') throw fail('not a lapis-model/1 manifest');
  if (m.task !== 'denoise-1d') throw fail(`task must be "denoise-1d", got ${JSON.stringify(m.task)}`);
  if (typeof m.file !== 'string' || /[\\/]/.test(m.file)) throw fail('file must be a bare file name');
  if (typeof m.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(m.sha256)) throw fail('sha256 must be 64 hex digits');
  if (typeof m.input?.name !== 'string' || typeof m.output?.name !== 'string') throw fail('input/output names missing');
  return m as DenoiserManifest;
}

/** Loads, verifies and opens the denoiser (CPU unless `providers` says otherwise; one thread by default). */
export async function openDenoiser(
  manifestPath = defaultDenoiserPath(),
  options: { providers?: readonly ExecutionProviderName[]; threads?: number } = {},
): Promise<Denoiser> {
  const manifest = parseDenoiserManifest(JSON.parse(await readFile(manifestPath, 'utf8')), manifestPath);
  const modelPath = join(dirname(manifestPath), manifest.file);
  const bytes = new Uint8Array(await readFile(modelPath));
  const actual = sha256Hex(bytes);
  if (actual !== manifest.sha256)
    throw new ModelIntegrityError(`${modelPath} has sha256 ${actual}, its manifest says ${manifest.sha256}`);
  const { session, provider } = await createSession(bytes, {
    providers: options.providers ?? ['cpu'],
    ...(options.threads ? { threads: options.threads } : {}),
  });
  const denoise = async (real: ArrayLike<number>, sigma: number): Promise<Float64Array> => {
    if (!(sigma > 0)) throw new RangeError(`denoise: the noise σ must be > 0, got ${sigma}`);
    const n = real.length;
    // the network halves the length three times: pad to a multiple of 8 by mirroring the end
    const padded = Math.ceil(n / 8) * 8;
    const input = new Float32Array(padded);
    for (let i = 0; i < padded; i++) input[i] = real[i < n ? i : 2 * n - 2 - i]! / sigma;
    const out = await session.run({ [manifest.input.name]: new ort.Tensor('float32', input, [1, 1, padded]) });
    const data = out[manifest.output.name]!.data as Float32Array;
    return Float64Array.from(data.subarray(0, n), (v) => v * sigma);
  };
  return { manifest, provider, denoise, release: () => session.release() };
}
