/**
 * Reader of `lapis-acquisition/1`, the open dataset layout (docs/contracts.md): a directory holding
 * `acquisition.json` (experiment, axes with kernel, values and unit, name of the data file, optional metadata)
 * and one numeric text file (white space or commas between numbers, one row per line, `#` comment lines).
 *
 * Axis values are converted to SI (s, s/m²) by the shared unit parser (`ms`, `µs`, `s/mm²`, `s/m^2` … —
 * libs/contracts/src/units.ts).
 * The JSON is checked here by hand because libs/formats does not load zod (the schemas of @lapis/contracts); the same
 * rules are the contract's `acquisitionDocSchema`, with the same names (`@lapis/contracts/vocabulary`), and a test
 * in apps/agent keeps the two in step.
 */
import { readFile, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import type { KernelName } from '@lapis/physics';
import type { Acquisition, AcquisitionAxis, AcquisitionMetadata, Experiment } from '../acquisition';
import { FormatError } from '../acquisition';
import { EXPERIMENT_KERNELS, EXPERIMENTS } from '@lapis/contracts/vocabulary';
import { axisUnitToSi, checkAxisValues, checkDataShape, checkKernelName } from '../textMatrix/checkAxis';
import { checkReadableFile, DEFAULT_MAX_BYTES, readNumberTable } from '../textMatrix/readNumberTable';

export const LAPIS_ACQUISITION_FORMAT = 'lapis-acquisition/1';
export const ACQUISITION_JSON = 'acquisition.json';

/** acquisition.json holds axis values only (≤ a few 10⁴ numbers): 64 MiB is generous and keeps JSON.parse bounded. */
export const MAX_ACQUISITION_JSON_BYTES = 64 * 1024 * 1024;

const CORE_FIELDS = new Set(['format', 'experiment', 'axes', 'data']);

export interface ReadLapisOptions {
  /** Refuse data files larger than this (default 512 MiB). */
  maxBytes?: number;
}

/**
 * Reads a `lapis-acquisition/1` directory (or its acquisition.json). Metadata carries `instrument`, `sample`,
 * `acquiredAt` and any further top-level fields of the JSON, plus `source`, `path` and `files` (the files read,
 * JSON first, for hashing).
 */
export async function readLapisAcquisition(path: string, options: ReadLapisOptions = {}): Promise<Acquisition> {
  const dir = await acquisitionDir(path);
  const jsonFile = join(dir, ACQUISITION_JSON);
  await checkReadableFile(
    jsonFile,
    ACQUISITION_JSON,
    Math.min(options.maxBytes ?? DEFAULT_MAX_BYTES, MAX_ACQUISITION_JSON_BYTES),
  );
  const text = await readFile(jsonFile, 'utf8');
  if (text.trim().length === 0) throw new FormatError(jsonFile, 'empty file');
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw new FormatError(jsonFile, `not valid JSON (${(error as Error).message})`, { cause: error });
  }
  const header = checkDocument(jsonFile, doc);
  const dataFile = join(dir, header.data);
  const table = await readNumberTable(dataFile, {
    ...options,
    expectedValues: header.axes.reduce((n, a) => n * a.values.length, 1),
  });
  checkDataShape(
    dataFile,
    table,
    header.axes.map((a) => a.values.length),
  );
  const metadata: AcquisitionMetadata = {
    ...header.extra,
    source: LAPIS_ACQUISITION_FORMAT,
    path: dir,
    files: [jsonFile, dataFile],
  };
  return { experiment: header.experiment, axes: header.axes, data: table.data, metadata, warnings: [] };
}

/** The directory of a lapis acquisition given either the directory or its acquisition.json. */
async function acquisitionDir(path: string): Promise<string> {
  const full = resolve(path);
  try {
    const s = await stat(full);
    if (s.isDirectory()) return full;
    if (s.isFile() && basename(full) === ACQUISITION_JSON) return resolve(full, '..');
  } catch (error) {
    throw new FormatError(full, 'not found', { cause: error });
  }
  throw new FormatError(full, `not a lapis acquisition (expected a directory holding ${ACQUISITION_JSON})`);
}

interface Header {
  experiment: Experiment;
  axes: Acquisition['axes'];
  data: string;
  extra: Record<string, unknown>;
}

function checkDocument(file: string, doc: unknown): Header {
  if (!isRecord(doc)) throw new FormatError(file, 'expected a JSON object');
  if (doc.format !== LAPIS_ACQUISITION_FORMAT) {
    throw new FormatError(file, `format is ${JSON.stringify(doc.format)}, expected "${LAPIS_ACQUISITION_FORMAT}"`);
  }
  const experiment = doc.experiment;
  if (typeof experiment !== 'string' || !(EXPERIMENTS as readonly string[]).includes(experiment)) {
    throw new FormatError(
      file,
      `unknown experiment ${JSON.stringify(experiment)} (expected ${EXPERIMENTS.join(', ')})`,
    );
  }
  const allowed = EXPERIMENT_KERNELS[experiment as Experiment];
  const rawAxes = doc.axes;
  if (!Array.isArray(rawAxes) || rawAxes.length !== allowed.length) {
    const n = Array.isArray(rawAxes) ? rawAxes.length : 'no';
    throw new FormatError(file, `experiment ${experiment} needs ${allowed.length} axes, found ${n}`);
  }
  const axes = rawAxes.map((raw, i) => checkAxis(file, raw, i, allowed[i]!, experiment));
  const data = doc.data;
  if (typeof data !== 'string' || data.length === 0) throw new FormatError(file, '"data" must name the data file');
  if (data.includes('/') || data.includes('\\') || data === '.' || data === '..') {
    throw new FormatError(
      file,
      `"data" must be a file name inside the acquisition directory, not ${JSON.stringify(data)}`,
    );
  }
  const extra: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(doc)) if (!CORE_FIELDS.has(key)) extra[key] = value;
  for (const key of ['instrument', 'sample', 'acquiredAt']) {
    if (key in extra && typeof extra[key] !== 'string') throw new FormatError(file, `"${key}" must be a string`);
  }
  return { experiment: experiment as Experiment, axes: axes as Acquisition['axes'], data, extra };
}

function checkAxis(
  file: string,
  raw: unknown,
  i: number,
  allowed: readonly KernelName[],
  experiment: string,
): AcquisitionAxis {
  const label = `axes[${i}]`;
  if (!isRecord(raw)) throw new FormatError(file, `${label} must be an object`);
  const kernel = checkKernelName(file, String(raw.kernel));
  if (!allowed.includes(kernel)) {
    throw new FormatError(
      file,
      `${label}: kernel ${kernel} does not fit experiment ${experiment} (expected ${allowed.join(' or ')})`,
    );
  }
  if (typeof raw.unit !== 'string') throw new FormatError(file, `${label}: "unit" must be a string (s, ms, s/m2 …)`);
  const unit = axisUnitToSi(file, label, raw.unit, kernel);
  if (!Array.isArray(raw.values) || raw.values.length === 0) {
    throw new FormatError(file, `${label}: "values" must be a non-empty array of numbers`);
  }
  const values = new Float64Array(raw.values.length);
  raw.values.forEach((v: unknown, j: number) => {
    if (typeof v !== 'number')
      throw new FormatError(file, `${label}: value ${j + 1} is not a number (${JSON.stringify(v)})`);
    values[j] = unit.toSi(v);
  });
  checkAxisValues(file, label, values, kernel);
  const axis: AcquisitionAxis = { kernel, values, unit: unit.si };
  if (raw.beta !== undefined) {
    if (typeof raw.beta !== 'number' || !(raw.beta > 0) || raw.beta > 1) {
      throw new FormatError(file, `${label}: beta must be a number in (0, 1], got ${JSON.stringify(raw.beta)}`);
    }
    axis.beta = raw.beta;
  }
  return axis;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
