/**
 * `lapis invert PATH`: parse the options, hand them to analysePath (the analysis the agent runs too: any layout
 * libs/formats detects, a TopSpin pseudo-2D as one shift × T1/T2/D document), and write the lapis-result/1 document
 * (--out, atomically) or print a summary. Bad input — options, files, data the inversion refuses — exits 2 with one
 * line on stderr and writes nothing.
 */
import { resolve } from 'node:path';
import type { ReadOptions } from '@lapis/formats/read';
import { writeFileAtomic } from '@lapis/formats/writeFileAtomic';
import { analysePath, AnalysisInputError, CannotInvertError } from '../../analysis';
import type { AnalysisDeps, PathAnalysis } from '../../analysis';
import type { Command, CommandIo } from '../command';
import { escapeControls } from '@lapis/contracts/text';
import { checkOutFile, reportError } from '../commandOutput';
import { EXIT_OK, UsageError } from '../errors';
import { formatResult } from './formatResult';
import { INVERT_HELP, INVERT_SUMMARY } from './help';
import { checkRangeQuantity, parseInvertArgs, type InvertArgs } from './parseInvertArgs';

/** The physics the command uses; injectable so the command can be tested against stand-ins. */
export type InvertDeps = AnalysisDeps;

/** The analysis' own errors as the command's: bad input, exit 2. */
function asUsageError(error: unknown): unknown {
  if (error instanceof CannotInvertError)
    return new UsageError(`${error.path}: cannot invert: ${error.message}`, { cause: error });
  if (error instanceof AnalysisInputError) return new UsageError(error.message, { cause: error });
  return error;
}

/** PATH and the options → analysePath, with the checks only the command line makes. */
function analyse(path: string, args: InvertArgs, io: CommandIo, injected: Partial<InvertDeps>): Promise<PathAnalysis> {
  const read: ReadOptions = {
    axis1: args.axis1 !== undefined ? resolve(io.cwd, args.axis1) : undefined,
    axis2: args.axis2 !== undefined ? resolve(io.cwd, args.axis2) : undefined,
    kernel1: args.kernel1,
    kernel2: args.kernel2,
    unit1: args.unit1,
    unit2: args.unit2,
  };
  return analysePath(path, {
    method: args.method,
    ranges: args.ranges,
    ...(args.grid !== undefined ? { grid: args.grid } : {}),
    ...(args.sigma !== undefined ? { sigma: args.sigma } : {}),
    ...(args.model !== undefined ? { model: args.model } : {}),
    ...(args.uncertainty !== undefined ? { uncertainty: args.uncertainty } : {}),
    ...(args.region !== undefined ? { region: args.region } : {}),
    read,
    onProgress: throttledProgress(io),
    deps: injected,
    onReader({ name }) {
      if (name === 'bruker' && args.method === 'dl')
        throw new UsageError('--method dl is for T1–T2 and D–T2 maps; pseudo-2D regions are inverted classically');
    },
    onAxes(kernels) {
      if (args.ranges[1] && kernels.length === 1) throw new UsageError(`--range2 given, but ${args.path} is 1D`);
      kernels.forEach((kernel, d) => checkRangeQuantity(args, d, kernel));
    },
  }).catch((error: unknown) => {
    throw asUsageError(error);
  });
}

export async function runInvert(argv: string[], io: CommandIo, injected: Partial<InvertDeps> = {}): Promise<number> {
  const parsed = parseInvertArgs(argv);
  const args = parsed.model === undefined ? parsed : { ...parsed, model: resolve(io.cwd, parsed.model) };
  if (args.help) {
    io.stdout(INVERT_HELP);
    return EXIT_OK;
  }
  const out = args.out !== undefined ? resolve(io.cwd, args.out) : undefined;
  if (out) await checkOutFile(out);
  const { document: doc } = await analyse(resolve(io.cwd, args.path), args, io, injected);
  const json = JSON.stringify(doc) + '\n';
  if (out) await writeFileAtomic(out, json);
  if (args.json) io.stdout(json);
  else if (out)
    io.stdout(
      `lapis invert: wrote ${out} (${doc.method}, ${doc.peaks.length} peak${doc.peaks.length === 1 ? '' : 's'}, ${Math.round(doc.elapsedMs)} ms)\n`,
    );
  // sample names and warnings come from the file: shown, not acted on by the terminal
  else
    io.stdout(
      formatResult(doc, args.path, await numericPath())
        .split('\n')
        .map(escapeControls)
        .join('\n'),
    );
  return EXIT_OK;
}

/** Which numeric code the analysis ran: libs/physics' WebAssembly kernels or its TypeScript, and why. */
async function numericPath(): Promise<string> {
  const state = (await import('@lapis/physics')).wasmKernelsState();
  if (state === 'loaded') return 'WebAssembly kernels';
  if (state === 'off') return 'TypeScript, LAPIS_WASM=0';
  if (state === 'absent') return 'TypeScript: no kernels built, run npm run build';
  return `TypeScript: the kernels ${state}`;
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

export function createInvertCommand(deps?: Partial<InvertDeps>): Command {
  return {
    name: 'invert',
    summary: INVERT_SUMMARY,
    help: INVERT_HELP,
    async run(argv, io) {
      try {
        return await runInvert(argv, io, deps);
      } catch (error) {
        return reportError('invert', error, io);
      }
    },
  };
}

export const invertCommand: Command = createInvertCommand();
