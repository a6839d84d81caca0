/**
 * `lapis invert PATH`: read one acquisition (any layout libs/formats detects), invert it, find its peaks, and
 * write the lapis-result/1 document (--out, atomically) or print a summary. Bad input — options, files, data the
 * inversion refuses — exits 2 with one line on stderr and writes nothing. A TopSpin pseudo-2D goes through
 * invertBrukerPseudo2d: every spectral region inverted, one shift × T1/T2/D document.
 */
import { stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { detectAndRead, FormatError, listReaders, unreadablePath, writeFileAtomic } from '@lapis/formats';
import type { FormatReader, ReadOptions } from '@lapis/formats';
import type { Acquisition } from '@lapis/formats';
import type { AnalysisDeps } from '../../result/analyseAcquisition';
import type { ResultDoc, ResultProvenance } from '@lapis/contracts';
import type { Command, CommandIo } from '../command';
import { escapeControls } from '@lapis/contracts/text';
import { EXIT_BAD_INPUT, EXIT_FAILURE, EXIT_OK, UsageError } from '../errors';
import { LAPIS_SOFTWARE, LAPIS_VERSION } from '../../version';
import { formatResult } from './formatResult';
import { INVERT_HELP, INVERT_SUMMARY } from './help';
import { invertBrukerPseudo2d } from './invertPseudo2d';
import { checkRangeQuantity, parseInvertArgs, type InvertArgs } from './parseInvertArgs';

/** The physics the command uses; injectable so the command can be tested against stand-ins. */
export type InvertDeps = AnalysisDeps;

/*
 * The physics and the result contract are imported only once the input has been read: a typo in a path or an
 * option is answered without loading them (half the start-up time of the command).
 */
async function realDeps(): Promise<InvertDeps> {
  const physics = await import('@lapis/physics');
  return {
    invert: physics.invert,
    inversionPeaks: physics.inversionPeaks,
    residualDiagnostics: physics.residualDiagnostics,
    replicateDistributions: physics.replicateDistributions,
    defaultDraws: physics.defaultDraws,
    confirmInversionPeaks: physics.confirmInversionPeaks,
  };
}

/** Checks that --out can be written before any work is done. */
async function checkOut(out: string): Promise<void> {
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

async function provenanceOf(
  acq: Acquisition,
  hashFiles: (files: string[]) => Promise<string>,
): Promise<ResultProvenance> {
  const files = Array.isArray(acq.metadata.files)
    ? (acq.metadata.files as unknown[]).filter((f): f is string => typeof f === 'string')
    : [];
  return {
    software: LAPIS_SOFTWARE,
    version: LAPIS_VERSION,
    source: {
      format: acq.metadata.source,
      ...(acq.metadata.path ? { path: acq.metadata.path } : {}),
      ...(files.length ? { files } : {}),
    },
    ...(files.length ? { rawDataHash: await hashFiles(files) } : {}),
    createdAt: new Date().toISOString(),
  };
}

/** The first registered reader that recognises `path` (undefined: none; detectAndRead says why). */
async function readerFor(path: string, options: ReadOptions): Promise<FormatReader | undefined> {
  for (const reader of listReaders()) {
    try {
      if (await reader.detect(path, options)) return reader;
    } catch {
      // detect must not throw; if one does, detectAndRead reports it with the reader's context
      return undefined;
    }
  }
  return undefined;
}

/** One acquisition (1D or 2D) → one document (the same analysis the agent runs). */
async function invertOne(
  path: string,
  args: InvertArgs,
  readOptions: ReadOptions,
  injected: Partial<InvertDeps>,
  io: CommandIo,
): Promise<ResultDoc> {
  const acq = await detectAndRead(path, readOptions);
  if (args.ranges[1] && acq.axes.length === 1) throw new UsageError(`--range2 given, but ${args.path} is 1D`);
  acq.axes.forEach((axis, d) => checkRangeQuantity(args, d, axis.kernel));
  const deps: InvertDeps = { ...(await realDeps()), ...injected };
  const { analyseAcquisition, hashFiles } = await import('../../result');
  const provenance = await provenanceOf(acq, hashFiles);
  try {
    const analysis = await analyseAcquisition(
      acq,
      {
        method: args.method,
        ranges: args.ranges,
        ...(args.grid !== undefined ? { grid: args.grid } : {}),
        ...(args.sigma !== undefined ? { sigma: args.sigma } : {}),
        ...(args.model !== undefined ? { model: args.model } : {}),
        ...(args.uncertainty !== undefined ? { uncertainty: args.uncertainty } : {}),
        onProgress: throttledProgress(io),
      },
      provenance,
      deps,
    );
    return analysis.document;
  } catch (error) {
    // RangeError is how libs/physics says "these numbers cannot be inverted" (e.g. a range the grid cannot span).
    if (error instanceof RangeError) throw new UsageError(`${path}: cannot invert: ${error.message}`, { cause: error });
    throw error;
  }
}

export async function runInvert(argv: string[], io: CommandIo, injected: Partial<InvertDeps> = {}): Promise<number> {
  const parsed = parseInvertArgs(argv);
  const args = parsed.model === undefined ? parsed : { ...parsed, model: resolve(io.cwd, parsed.model) };
  if (args.help) {
    io.stdout(INVERT_HELP);
    return EXIT_OK;
  }
  const out = args.out !== undefined ? resolve(io.cwd, args.out) : undefined;
  if (out) await checkOut(out);
  const path = resolve(io.cwd, args.path);
  const readOptions: ReadOptions = {
    axis1: args.axis1 !== undefined ? resolve(io.cwd, args.axis1) : undefined,
    axis2: args.axis2 !== undefined ? resolve(io.cwd, args.axis2) : undefined,
    kernel1: args.kernel1,
    kernel2: args.kernel2,
    unit1: args.unit1,
    unit2: args.unit2,
  };
  // before any reader opens it: a FIFO would block the first open, a link loop would read as missing
  const unreadable = await unreadablePath(path);
  if (unreadable) throw new FormatError(path, unreadable);
  const reader = await readerFor(path, readOptions);
  let doc: ResultDoc;
  if (reader?.name === 'bruker') {
    if (args.method === 'dl')
      throw new UsageError('--method dl is for T1–T2 and D–T2 maps; pseudo-2D regions are inverted classically');
    const deps: InvertDeps = { ...(await realDeps()), ...injected };
    const { toPseudo2dResultDocument, hashFiles } = await import('../../result');
    doc = await invertBrukerPseudo2d(path, args, deps, hashFiles, toPseudo2dResultDocument);
  } else {
    if (args.region) throw new UsageError('--region is for TopSpin pseudo-2D folders (chemical-shift regions)');
    const axisOptionsAlone = args.axis1 === undefined && (args.kernel1 !== undefined || args.unit1 !== undefined);
    if (axisOptionsAlone && reader !== undefined && !reader.takesAxisOptions) {
      const takers = listReaders()
        .filter((r) => r.takesAxisOptions)
        .map((r) => r.name);
      throw new UsageError(
        `--kernel1/--unit1 without --axis1 are for layouts that do not name their own (${takers.join(', ')}); ${reader.name} names its kernels and units (a text matrix needs --axis1)`,
      );
    }
    doc = await invertOne(path, args, readOptions, injected, io);
  }
  const json = JSON.stringify(doc) + '\n';
  if (out) await writeFileAtomic(out, json);
  if (args.json) io.stdout(json);
  else if (out)
    io.stdout(
      `lapis invert: wrote ${out} (${doc.method}, ${doc.peaks.length} peak${doc.peaks.length === 1 ? '' : 's'}, ${Math.round(doc.elapsedMs)} ms)\n`,
    );
  // sample names and warnings come from the file: shown, not acted on by the terminal
  else io.stdout(formatResult(doc, args.path).split('\n').map(escapeControls).join('\n'));
  return EXIT_OK;
}

/** Progress lines on stderr, at most one every 2 s (stdout stays the table or the JSON). */
export function throttledProgress(io: CommandIo, everyMs = 2000): (message: string) => void {
  let last = performance.now();
  return (message) => {
    const now = performance.now();
    if (now - last < everyMs) return;
    last = now;
    io.stderr(`lapis invert: ${message}\n`);
  };
}

/** Turns an error into the command's exit code and stderr line. */
export function reportError(error: unknown, io: CommandIo): number {
  if (error instanceof UsageError || error instanceof FormatError) {
    io.stderr(`lapis invert: ${oneLine(error.message)}\n`);
    return EXIT_BAD_INPUT;
  }
  const message = error instanceof Error ? error.message : String(error);
  io.stderr(`lapis invert: unexpected failure: ${oneLine(message)}\n`);
  if (process.env.LAPIS_DEBUG && error instanceof Error && error.stack) io.stderr(error.stack + '\n');
  return EXIT_FAILURE;
}

/** One line for the terminal: newlines folded, and a file's escape sequences shown, not acted on. */
function oneLine(text: string): string {
  return escapeControls(text.replace(/\s*\n\s*/g, ' ').trim());
}

export function createInvertCommand(deps?: Partial<InvertDeps>): Command {
  return {
    name: 'invert',
    summary: INVERT_SUMMARY,
    help: INVERT_HELP,
    async run(argv, io) {
      try {
        return await runInvert(argv, io, deps);
      } catch (error) {
        return reportError(error, io);
      }
    },
  };
}

export const invertCommand: Command = createInvertCommand();
