/**
 * What the commands that write a document share: checking `--out` before any work, and turning an error into the
 * command's exit code and one stderr line (`lapis NAME: …`). Kept apart from errors.ts, which start-up loads: this
 * one imports libs/formats.
 */
import { stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { escapeControls } from '@lapis/contracts/text';
import { FormatError } from '@lapis/formats/acquisition';
import type { CommandIo } from '../commandContract';
import { EXIT_BAD_INPUT, EXIT_FAILURE, UsageError } from './errors';

/** Checks that --out can be written before any work is done. */
export async function checkOutFile(out: string): Promise<void> {
  const dir = dirname(out);
  try {
    if (!(await stat(dir)).isDirectory()) throw new UsageError(`--out: ${dir} is not a directory`);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`--out: directory ${dir} does not exist`, { cause: error });
  }
  const existing = await stat(out).catch(() => undefined);
  if (existing?.isDirectory()) throw new UsageError(`--out: ${out} is a directory`);
}

/** Turns an error into the command's exit code and stderr line: bad input 2, anything else 1. */
export function reportError(command: string, error: unknown, io: CommandIo): number {
  if (error instanceof UsageError || error instanceof FormatError) {
    io.stderr(`lapis ${command}: ${oneLine(error.message)}\n`);
    return EXIT_BAD_INPUT;
  }
  const message = error instanceof Error ? error.message : String(error);
  io.stderr(`lapis ${command}: unexpected failure: ${oneLine(message)}\n`);
  if (process.env.LAPIS_DEBUG && error instanceof Error && error.stack) io.stderr(error.stack + '\n');
  return EXIT_FAILURE;
}

/** One line for the terminal: newlines folded, and a file's escape sequences shown, not acted on. */
function oneLine(text: string): string {
  return escapeControls(text.replace(/\s*\n\s*/g, ' ').trim());
}
