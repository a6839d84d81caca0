/**
 * How an acquisition ends, as events: `finished` beside its result, or `failed` (and the key a failure is remembered
 * under when the files could not even be hashed). Agent.handle commits the event to the outbox with the result.
 */
import { createHash } from 'node:crypto';
import { sep } from 'node:path';
import { eventMessageSchema } from '@lapis/contracts';
import type { EventMessage } from '@lapis/contracts';
import { publicReason } from '@lapis/contracts/text';
import { unreadablePath } from '@lapis/formats';

/** The `finished` event for `dir`, committed with its result. */
export function finishedEvent(instrument: string, dir: string, key: string, at: number): EventMessage {
  return { kind: 'finished', instrument, at: new Date(at).toISOString(), path: dir, key, historical: false };
}

/**
 * The `failed` event for `dir`. It leaves this machine: it says where (paths relative to the acquisition) and not
 * what the file holds.
 */
export function failedEvent(instrument: string, dir: string, key: string, reason: string, at: number): EventMessage {
  const firstLine = reason
    .split('\n')[0]!
    .replaceAll(dir + sep, '')
    .replaceAll(dir, '.');
  return eventMessageSchema.parse({
    kind: 'failed',
    instrument,
    at: new Date(at).toISOString(),
    path: dir,
    key,
    reason: publicReason(firstLine) || 'unknown error',
    historical: false,
  });
}

/**
 * Why the files of `dir` could not be hashed, and the key to remember that under: with no key from the data, the
 * failure is keyed by path and reason, so it is reported once, not at every restart.
 */
export async function unhashableFailure(dir: string, error: Error): Promise<{ key: string; reason: string }> {
  let reason = error.message;
  // a link loop, a FIFO, a name that was not UTF-8 on disk: said for what it is
  const unreadable = await unreadablePath(dir);
  if (unreadable) reason = `${dir}: ${unreadable}`;
  const key = createHash('sha256').update(`unreadable\n${dir}\n${reason}`).digest('hex');
  return { key, reason };
}
