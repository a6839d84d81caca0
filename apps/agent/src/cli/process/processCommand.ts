/**
 * `lapis process PATH`: one spectrum acquisition → its lapis-spectrum/1 document (spectra/processSpectrumPath.ts),
 * written with --out (atomically), printed with --json, or shown as a table. Bad input exits 2 with one line.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { escapeControls } from '@lapis/contracts/text';
import { writeFileAtomic } from '@lapis/formats';
import type { DenoiseMethod } from '../../spectra/denoiseDocument';
import { processSpectrumPath, type NusMethod, type PickerMethod } from '../../spectra/processSpectrumPath';
import type { Command, CommandIo } from '../command';
import { checkOutFile, reportError } from '../commandOutput';
import { EXIT_OK, UsageError } from '../errors';
import { formatSpectrum } from './formatSpectrum';
import { PROCESS_HELP, PROCESS_SUMMARY } from './help';

interface ProcessArgs {
  path?: string;
  out?: string;
  json: boolean;
  help: boolean;
  minSnr?: number;
  lineBroadening?: number;
  denoise?: DenoiseMethod;
  picker?: PickerMethod;
  nus?: NusMethod;
}

function positive(text: string | undefined, option: string, max: number): number | undefined {
  if (text === undefined) return undefined;
  const v = Number(text);
  if (!(v >= 0 && v <= max) || text.trim() === '')
    throw new UsageError(`--${option}: '${text}' is not a number in 0–${max}`);
  return v;
}

export function parseProcessArgs(argv: string[]): ProcessArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        out: { type: 'string' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
        'min-snr': { type: 'string' },
        lb: { type: 'string' },
        denoise: { type: 'string' },
        picker: { type: 'string' },
        nus: { type: 'string' },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message, { cause: error });
  }
  const { values, positionals } = parsed;
  if (positionals.length > 1) throw new UsageError(`one PATH expected, got ${positionals.length}`);
  const args: ProcessArgs = { json: values.json, help: values.help };
  if (positionals[0] !== undefined) args.path = positionals[0];
  if (values.out !== undefined) args.out = values.out;
  const minSnr = positive(values['min-snr'], 'min-snr', 1e6);
  if (minSnr !== undefined) args.minSnr = minSnr;
  const lb = positive(values.lb, 'lb', 1000);
  if (lb !== undefined) args.lineBroadening = lb;
  if (values.denoise !== undefined) {
    if (values.denoise !== 'wavelet' && values.denoise !== 'network')
      throw new UsageError(`--denoise: '${values.denoise}' is not wavelet or network`);
    args.denoise = values.denoise;
  }
  if (values.picker !== undefined) {
    if (values.picker !== 'classical' && values.picker !== 'network')
      throw new UsageError(`--picker: '${values.picker}' is not classical or network`);
    args.picker = values.picker;
  }
  if (values.nus !== undefined) {
    if (values.nus !== 'ist' && values.nus !== 'network')
      throw new UsageError(`--nus: '${values.nus}' is not ist or network`);
    args.nus = values.nus;
  }
  return args;
}

export async function runProcess(argv: string[], io: CommandIo): Promise<number> {
  const args = parseProcessArgs(argv);
  if (args.help) {
    io.stdout(PROCESS_HELP);
    return EXIT_OK;
  }
  if (!args.path) throw new UsageError('PATH missing (lapis process --help)');
  const out = args.out !== undefined ? resolve(io.cwd, args.out) : undefined;
  if (out) await checkOutFile(out);
  const doc = await processSpectrumPath(resolve(io.cwd, args.path), {
    ...(args.minSnr !== undefined ? { minSnr: args.minSnr } : {}),
    ...(args.lineBroadening !== undefined ? { lineBroadening: args.lineBroadening } : {}),
    ...(args.denoise ? { denoise: args.denoise } : {}),
    ...(args.picker ? { picker: args.picker } : {}),
    ...(args.nus ? { nus: args.nus } : {}),
  });
  const json = JSON.stringify(doc) + '\n';
  if (out) await writeFileAtomic(out, json);
  if (args.json) io.stdout(json);
  else if (out) io.stdout(`lapis process: wrote ${out} (${doc.peaks.length} peaks, ${Math.round(doc.elapsedMs)} ms)\n`);
  // sample names and warnings come from the files: shown, not acted on by the terminal
  else io.stdout(formatSpectrum(doc, args.path).split('\n').map(escapeControls).join('\n'));
  return EXIT_OK;
}

export const processCommand: Command = {
  name: 'process',
  summary: PROCESS_SUMMARY,
  help: PROCESS_HELP,
  async run(argv, io) {
    try {
      return await runProcess(argv, io);
    } catch (error) {
      return reportError('process', error, io);
    }
  },
};
