/**
 * What the spectrum networks (the denoiser, the peak picker) share: where their model is (defaultModel.ts
 * `modelManifestPath`) and opening it: the manifest checked for its task, the ONNX bytes verified against its sha256, a session created
 * (CPU unless told otherwise).
 */
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type * as ort from 'onnxruntime-node';
import { ModelIntegrityError, sha256Hex } from './manifest';
export { modelManifestPath } from './defaultModel';
import { createSession, type ExecutionProviderName } from './providers';

export interface SpectrumModelManifest<Task extends string> {
  format: 'lapis-model/1';
  id: string;
  file: string;
  sha256: string;
  task: Task;
  input: { name: string };
  output: { name: string };
  training?: Record<string, unknown>;
}

export interface SpectrumModelOptions {
  providers?: readonly ExecutionProviderName[];
  threads?: number;
}

function parseManifest<Task extends string>(value: unknown, path: string, task: Task): SpectrumModelManifest<Task> {
  const m = value as Partial<SpectrumModelManifest<Task>> | null;
  const fail = (what: string) => new TypeError(`model manifest ${path}: ${what}`);
  if (!m || typeof m !== 'object' || m.format !== 'lapis-model/1') throw fail('not a lapis-model/1 manifest');
  if (m.task !== task) throw fail(`task must be "${task}", got ${JSON.stringify(m.task)}`);
  if (typeof m.file !== 'string' || /[\\/]/.test(m.file)) throw fail('file must be a bare file name');
  if (typeof m.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(m.sha256)) throw fail('sha256 must be 64 hex digits');
  if (typeof m.input?.name !== 'string' || typeof m.output?.name !== 'string') throw fail('input/output names missing');
  return m as SpectrumModelManifest<Task>;
}

/** The manifest, its verified model in a session, and the provider the session runs on. */
export async function openSpectrumModel<Task extends string>(
  manifestPath: string,
  task: Task,
  options: SpectrumModelOptions = {},
): Promise<{ manifest: SpectrumModelManifest<Task>; session: ort.InferenceSession; provider: ExecutionProviderName }> {
  const manifest = parseManifest(JSON.parse(await readFile(manifestPath, 'utf8')), manifestPath, task);
  const modelPath = join(dirname(manifestPath), manifest.file);
  const bytes = new Uint8Array(await readFile(modelPath));
  const actual = sha256Hex(bytes);
  if (actual !== manifest.sha256)
    throw new ModelIntegrityError(`${modelPath} has sha256 ${actual}, its manifest says ${manifest.sha256}`);
  const { session, provider } = await createSession(bytes, {
    providers: options.providers ?? ['cpu'],
    ...(options.threads ? { threads: options.threads } : {}),
  });
  return { manifest, session, provider };
}
