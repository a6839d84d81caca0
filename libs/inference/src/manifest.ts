/**
 * Model manifests (`lapis-model/1`): what a released ONNX model is, what it expects and how it was made, written
 * by tools/training/train.py beside the .onnx file in models/. The loader refuses a model whose bytes do not hash
 * to the manifest's sha256 — a truncated download or a retrained file under an old manifest must never run.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { parseInputChannel, type InputChannel } from './inputChannels';

export interface ModelManifest {
  format: 'lapis-model/1';
  id: string;
  /** ONNX file name, relative to the manifest's folder. */
  file: string;
  sha256: string;
  bytes: number;
  parameters?: number;
  /** 'refine-2d': sharpens a classical 64 × 64 map (input [N, 2, n, n], output [N, n, n] with unit sum). */
  task: 'refine-2d';
  experiments: string[];
  /** Kernel pairs (first axis, second axis) the model was trained on. */
  kernels: [string, string][];
  /** Classical method whose map is the input. */
  prior: 'tikhonov';
  input: {
    name: string;
    shape: (string | number)[];
    normalisation: string;
    /** Human-readable description per channel. */
    channels?: string[];
    /** What each channel is, for prepareInput (inputChannels); absent in 2- and 3-channel models of the first format. */
    features?: InputChannel[];
  };
  output: {
    name: string;
    shape: (string | number)[];
    normalisation: string;
    grid: { points: number } & Record<string, unknown>;
  };
  training: Record<string, unknown>;
  metrics: Record<string, unknown>;
  /**
   * What the training data covered, for the out-of-domain warning of invertDl (optional): `snr` as the simulator
   * defines it (max |signal| / σ), and per axis the number of points (delays, b-values; echoes).
   */
  domain?: { snr?: [number, number]; points?: [[number, number], [number, number]] };
}

export interface LoadedModel {
  manifest: ModelManifest;
  manifestPath: string;
  modelPath: string;
  /** The verified ONNX bytes. */
  bytes: Uint8Array;
}

export class ModelIntegrityError extends Error {
  override name = 'ModelIntegrityError';
}

function check(cond: unknown, path: string, what: string): asserts cond {
  if (!cond) throw new TypeError(`model manifest ${path}: ${what}`);
}

/** Parses and checks a manifest object (shape only; the hash is checked by loadModel). */
export function parseManifest(value: unknown, path = '<manifest>'): ModelManifest {
  check(value !== null && typeof value === 'object', path, 'not a JSON object');
  const m = value as Record<string, unknown>;
  check(m.format === 'lapis-model/1', path, `format must be "lapis-model/1", got ${JSON.stringify(m.format)}`);
  check(typeof m.id === 'string' && m.id.length > 0, path, 'id missing');
  check(
    typeof m.file === 'string' && !m.file.includes('/') && !m.file.includes('\\'),
    path,
    'file must be a bare file name',
  );
  check(typeof m.sha256 === 'string' && /^[0-9a-f]{64}$/.test(m.sha256), path, 'sha256 must be 64 hex digits');
  check(m.task === 'refine-2d', path, `unknown task ${JSON.stringify(m.task)}`);
  check(Array.isArray(m.kernels) && m.kernels.length > 0, path, 'kernels missing');
  const input = m.input as Record<string, unknown> | undefined;
  const output = m.output as Record<string, unknown> | undefined;
  check(input && typeof input.name === 'string', path, 'input.name missing');
  check(output && typeof output.name === 'string', path, 'output.name missing');
  check(Array.isArray(input.shape), path, 'input.shape missing');
  if (input.features !== undefined) {
    check(Array.isArray(input.features), path, 'input.features must be a list');
    try {
      input.features.forEach((f, i) => parseInputChannel(f, i));
    } catch (error) {
      throw new TypeError(`model manifest ${path}: ${(error as Error).message}`, { cause: error });
    }
    const count = input.shape[1];
    check(
      typeof count !== 'number' || count === input.features.length,
      path,
      `input.features lists ${input.features.length} channels, input.shape says ${String(count)}`,
    );
    check((input.features[0] as { kind?: unknown }).kind === 'map', path, 'input channel 0 must be the classical map');
  }
  const grid = output.grid as Record<string, unknown> | undefined;
  check(grid && Number.isInteger(grid.points) && (grid.points as number) >= 8, path, 'output.grid.points missing');
  if (m.domain !== undefined) {
    const d = m.domain as Record<string, unknown>;
    const range = (r: unknown) =>
      Array.isArray(r) && r.length === 2 && r.every((v) => typeof v === 'number' && v > 0) && r[0] <= r[1];
    check(d !== null && typeof d === 'object', path, 'domain must be an object');
    check(d.snr === undefined || range(d.snr), path, 'domain.snr must be [lo, hi] with 0 < lo ≤ hi');
    check(
      d.points === undefined || (Array.isArray(d.points) && d.points.length === 2 && d.points.every(range)),
      path,
      'domain.points must be [[lo, hi], [lo, hi]] (one range per axis)',
    );
  }
  return m as unknown as ModelManifest;
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Reads a manifest and its ONNX file and verifies the file's sha256 (ModelIntegrityError when it differs). */
export async function loadModel(manifestPath: string): Promise<LoadedModel> {
  let text: string;
  try {
    text = await readFile(manifestPath, 'utf8');
  } catch (error) {
    throw new Error(`loadModel: cannot read the model manifest ${manifestPath}`, { cause: error });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new TypeError(`model manifest ${manifestPath}: not valid JSON`, { cause: error });
  }
  const manifest = parseManifest(json, manifestPath);
  const modelPath = join(dirname(manifestPath), manifest.file);
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(modelPath));
  } catch (error) {
    throw new Error(`loadModel: cannot read ${modelPath}, named by ${manifestPath}`, { cause: error });
  }
  const actual = sha256Hex(bytes);
  if (actual !== manifest.sha256) {
    throw new ModelIntegrityError(
      `loadModel: ${modelPath} has sha256 ${actual}, its manifest says ${manifest.sha256} — refusing to run it`,
    );
  }
  return { manifest, manifestPath, modelPath, bytes };
}
