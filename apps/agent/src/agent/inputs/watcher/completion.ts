/**
 * Is an acquisition directory finished? The watcher asks only after the directory has been quiet for `settleMs`;
 * this check then looks inside, because an instrument can pause mid-write for longer than any quiet period.
 *
 * - `lapis-acquisition/1`: the data file exists and holds at least as many numbers as the axes promise.
 * - Bruker (`acqus`): `classifyCompletion` of libs/formats (TopSpin's audit record, rows written, quiet period).
 * `complete` does not mean valid: a malformed set is complete and fails in the reader, with its reason.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { classifyCompletion } from '@lapis/formats';

export type Completion = 'complete' | 'incomplete' | 'not-an-acquisition';

/** Marker files that make a directory an acquisition, by layout. */
export const ACQUISITION_MARKERS = ['acquisition.json', 'acqus'] as const;

export type CompletionCheck = (dir: string) => Promise<Completion>;

const NON_FINITE = /^[+-]?(nan|inf|infinity)$/i;

/**
 * Values written so far. NaN and Inf count as written values (the reader then rejects the file at once) rather
 * than as missing ones, which would leave the acquisition waiting for the incomplete-timeout.
 */
function countNumbers(text: string): number {
  let n = 0;
  for (const line of text.split('\n')) {
    const t = line.trim();
    if (t === '' || t.startsWith('#')) continue;
    for (const tok of t.split(/[\s,;]+/)) if (tok !== '' && (Number.isFinite(Number(tok)) || NON_FINITE.test(tok))) n++;
  }
  return n;
}

async function lapisCompletion(dir: string): Promise<Completion> {
  let doc: { data?: unknown; axes?: unknown };
  try {
    doc = JSON.parse(await readFile(join(dir, 'acquisition.json'), 'utf8')) as typeof doc;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 'not-an-acquisition';
    return 'complete'; // quiet and still not JSON: malformed, and the reader will say why
  }
  if (typeof doc.data !== 'string' || !Array.isArray(doc.axes)) return 'complete';
  let text: string;
  try {
    text = await readFile(join(dir, doc.data), 'utf8');
  } catch {
    return 'incomplete';
  }
  const expected = (doc.axes as { values?: unknown }[]).reduce(
    (p, a) => p * (Array.isArray(a?.values) ? a.values.length : 1),
    1,
  );
  return countNumbers(text) < expected ? 'incomplete' : 'complete';
}

/**
 * TopSpin folders: libs/formats `classifyCompletion` (audit record, rows holding data, quiet period). `partial` and
 * `aborted` are finished too — nothing more will come — so they are handed on and the reader reports what it can.
 */
async function brukerCompletion(dir: string): Promise<Completion> {
  const report = await classifyCompletion(dir);
  return report.state === 'in-progress' ? 'incomplete' : 'complete';
}

export const defaultCompletionCheck: CompletionCheck = async (dir) => {
  if (existsSync(join(dir, 'acquisition.json'))) return lapisCompletion(dir);
  if (existsSync(join(dir, 'acqus'))) return brukerCompletion(dir);
  return 'not-an-acquisition';
};
