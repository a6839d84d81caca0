/**
 * Writer of `lapis-acquisition/1` (the mirror of readLapisAcquisition): acquisition.json plus one data file,
 * axis values in SI, numbers written in their shortest round-trip form so that a read gives back the same bits.
 * The data file is written first and acquisition.json last, each atomically, so a watcher that waits for
 * acquisition.json never sees a half-written set.
 */
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Acquisition } from '../acquisition';
import { formatNumberTable } from '../textMatrix/checkAxis';
import { writeFileAtomic } from '../textMatrix/writeFileAtomic';
import { ACQUISITION_JSON, LAPIS_ACQUISITION_FORMAT } from './readLapisAcquisition';

export interface WriteLapisOptions {
  /** Name of the data file inside the directory (default 'data.txt'). */
  dataFile?: string;
}

/** Metadata keys that describe where an acquisition was read from, not the acquisition itself. */
const READER_KEYS = new Set(['source', 'path', 'files']);

/** Writes `acq` into `dir` (created if missing); returns the paths written, data file first. */
export async function writeLapisAcquisition(
  dir: string,
  acq: Acquisition,
  options: WriteLapisOptions = {},
): Promise<{ json: string; data: string }> {
  const dataName = options.dataFile ?? 'data.txt';
  if (dataName.includes('/') || dataName.includes('\\') || dataName === ACQUISITION_JSON) {
    throw new RangeError(`writeLapisAcquisition: dataFile must be a plain file name, not ${dataName}`);
  }
  const lengths = acq.axes.map((a) => a.values.length);
  const total = lengths.reduce((a, b) => a * b, 1);
  if (acq.data.length !== total) {
    throw new RangeError(`writeLapisAcquisition: data has ${acq.data.length} values, axes need ${lengths.join('×')}`);
  }
  for (const v of acq.data) if (!Number.isFinite(v)) throw new RangeError('writeLapisAcquisition: data must be finite');

  const doc: Record<string, unknown> = { format: LAPIS_ACQUISITION_FORMAT, experiment: acq.experiment };
  for (const [key, value] of Object.entries(acq.metadata)) {
    if (!READER_KEYS.has(key) && value !== undefined) doc[key] = value;
  }
  doc.axes = acq.axes.map((a) => ({
    kernel: a.kernel,
    values: Array.from(a.values),
    unit: a.unit,
    ...(a.beta !== undefined ? { beta: a.beta } : {}),
  }));
  doc.data = dataName;

  const full = resolve(dir);
  await mkdir(full, { recursive: true });
  const rows = lengths[0]!;
  const cols = lengths.length === 2 ? lengths[1]! : 1;
  const header = `${acq.experiment}: ${lengths.join(' × ')} (rows follow axes[0]${cols > 1 ? ', columns axes[1]' : ''})`;
  const dataPath = join(full, dataName);
  const jsonPath = join(full, ACQUISITION_JSON);
  await writeFileAtomic(dataPath, formatNumberTable(acq.data, rows, cols, header));
  await writeFileAtomic(jsonPath, stringifyCompactArrays(doc));
  return { json: jsonPath, data: dataPath };
}

/** Indented JSON with each array of numbers on one line (axis lists stay readable instead of a value per line). */
function stringifyCompactArrays(doc: unknown): string {
  const text = JSON.stringify(doc, null, 2);
  return (
    text.replace(
      /\[\s*(-?\d[\d.eE+-]*(?:,\s*-?\d[\d.eE+-]*)*)\s*\]/g,
      (_m, list: string) => `[${list.split(/,\s*/).join(', ')}]`,
    ) + '\n'
  );
}
