/**
 * Command-line options of `lapis invert`, parsed and checked before any file is read: every mistake is a
 * UsageError with one line saying which option and why.
 */
import { parseArgs } from 'node:util';
import type { Method } from '@lapis/physics';
import { parseUnit, UNIT_SPELLINGS, type UnitQuantity } from '@lapis/contracts/units';
import { UsageError } from '../errors';

/** The physics methods plus 'dl': the network refinement of @lapis/inference, with its classical safety net. */
export type CliMethod = Method | 'dl';
export const METHODS: readonly CliMethod[] = ['auto', 'tikhonov', 'upen', 'sparse', 'nnls', 'dl'];

export interface InvertArgs {
  path: string;
  method: CliMethod;
  grid?: number;
  ranges: ([number, number] | undefined)[];
  /** What each range's bounds were written in when they carried a unit ('time' or 'diffusion'); checked against
   * the output axis once the acquisition is read. */
  rangeQuantities: (UnitQuantity | undefined)[];
  sigma?: number;
  out?: string;
  json: boolean;
  help: boolean;
  axis1?: string;
  axis2?: string;
  kernel1?: string;
  kernel2?: string;
  /** Units of the --axis1/--axis2 values (or a Prospa file's x axis), as written: any spelling of the unit parser. */
  unit1?: string;
  unit2?: string;
  /** High-field pseudo-2D: invert only the regions whose peak lies in [lo, hi] ppm. */
  region?: [number, number];
  /** `--method dl`: a model manifest instead of the released model. */
  model?: string;
  /** Bootstrap draws for each peak's uncertainty (0: none; default: the analysis' own, 16). */
  uncertainty?: number;
}

/** Grid points per dimension libs/physics inverts (1D and 2D alike). */
export const MAX_GRID = 512;
/** Bootstrap draws: 200 pin a spread to ±5 %; sparse and NNLS re-run whole on each (seconds per draw in 2D). */
export const MAX_DRAWS = 200;

/** '1e-3', '1ms', '100 µs', '2e-9 m2/s' → SI, with the quantity its unit named (undefined for a bare number). */
function parseBound(text: string, option: string): { value: number; quantity?: UnitQuantity } {
  const m = /^\s*([+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)\s*(.*?)\s*$/.exec(text);
  if (!m)
    throw new UsageError(`--${option}: '${text}' is not a number (expected e.g. 1e-3:10, 1ms:10s or 1e-12:1e-8m2/s)`);
  let value = Number(m[1]);
  let quantity: UnitQuantity | undefined;
  if (m[2] !== '') {
    const unit = parseUnit(m[2]!);
    if (!unit || unit.quantity === 'b-value')
      throw new UsageError(
        `--${option}: unknown unit '${m[2]}' in '${text}' (times: ${UNIT_SPELLINGS.time}; D: ${UNIT_SPELLINGS.diffusion})`,
      );
    value = unit.toSi(value);
    quantity = unit.quantity;
  }
  if (!(value > 0) || !Number.isFinite(value))
    throw new UsageError(`--${option}: bounds must be positive, got '${text}'`);
  return quantity === undefined ? { value } : { value, quantity };
}

function parseRange(text: string | undefined, option: string): { range?: [number, number]; quantity?: UnitQuantity } {
  if (text === undefined) return {};
  const parts = text.split(':');
  if (parts.length !== 2) throw new UsageError(`--${option}: expected LO:HI, got '${text}'`);
  const lo = parseBound(parts[0]!, option);
  const hi = parseBound(parts[1]!, option);
  if (lo.quantity && hi.quantity && lo.quantity !== hi.quantity)
    throw new UsageError(`--${option}: LO is a ${lo.quantity} and HI a ${hi.quantity}, got '${text}'`);
  if (!(lo.value < hi.value)) throw new UsageError(`--${option}: LO must be below HI, got '${text}'`);
  const quantity = lo.quantity ?? hi.quantity;
  return quantity === undefined ? { range: [lo.value, hi.value] } : { range: [lo.value, hi.value], quantity };
}

/** '3.2:3.5' (either order, negative allowed) → [lo, hi] ppm. */
function parseRegion(text: string | undefined): [number, number] | undefined {
  if (text === undefined) return undefined;
  const num = String.raw`[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?`;
  const m = new RegExp(`^\\s*(${num})\\s*(?:ppm)?\\s*:\\s*(${num})\\s*(?:ppm)?\\s*$`).exec(text);
  if (!m) throw new UsageError(`--region: expected LO:HI in ppm (e.g. 3.2:3.5), got '${text}'`);
  const a = Number(m[1]);
  const b = Number(m[2]);
  if (a === b) throw new UsageError(`--region: LO and HI must differ, got '${text}'`);
  return [Math.min(a, b), Math.max(a, b)];
}

/** An axis unit option: any time or b-value spelling the shared parser knows, kept as written. */
function checkUnit(text: string | undefined, option: string): string | undefined {
  if (text === undefined) return undefined;
  const unit = parseUnit(text);
  if (!unit || unit.quantity === 'diffusion') {
    throw new UsageError(
      `--${option}: unknown unit '${text}' (times: ${UNIT_SPELLINGS.time}; b-values: ${UNIT_SPELLINGS['b-value']})`,
    );
  }
  return text;
}

/** A UsageError when a range's unit does not fit the output axis of `kernel` (a D range given in ms, …). */
export function checkRangeQuantity(args: InvertArgs, dim: number, kernel: string): void {
  const given = args.rangeQuantities[dim];
  const wanted: UnitQuantity = kernel === 'D' ? 'diffusion' : 'time';
  if (given !== undefined && given !== wanted)
    throw new UsageError(
      `--range${dim + 1}: given as a ${given}, but axis ${dim + 1} is ${kernel === 'D' ? 'D (m²/s)' : `${kernel} (a time)`}`,
    );
}

export function parseInvertArgs(argv: string[]): InvertArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        method: { type: 'string' },
        grid: { type: 'string' },
        range1: { type: 'string' },
        range2: { type: 'string' },
        sigma: { type: 'string' },
        out: { type: 'string', short: 'o' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        axis1: { type: 'string' },
        axis2: { type: 'string' },
        kernel1: { type: 'string' },
        kernel2: { type: 'string' },
        unit1: { type: 'string' },
        unit2: { type: 'string' },
        region: { type: 'string' },
        model: { type: 'string' },
        uncertainty: { type: 'string' },
      },
    });
  } catch (error) {
    // node's messages are one sentence, sometimes followed by a hint line; keep the first line.
    const first = String((error as Error).message).split('\n')[0]!;
    throw new UsageError(`${first} (see lapis invert --help)`, { cause: error });
  }
  const v = parsed.values;
  const help = v.help === true;
  if (help) return { path: '', method: 'auto', ranges: [], rangeQuantities: [], json: false, help };
  if (parsed.positionals.length !== 1) {
    throw new UsageError(
      parsed.positionals.length === 0
        ? 'lapis invert needs a PATH (see lapis invert --help)'
        : `lapis invert takes one PATH, got ${parsed.positionals.length}: ${parsed.positionals.join(' ')}`,
    );
  }
  const method = (v.method ?? 'auto') as CliMethod;
  if (!METHODS.includes(method))
    throw new UsageError(`--method: unknown method '${v.method}' (expected ${METHODS.join(', ')})`);
  let grid: number | undefined;
  if (v.grid !== undefined) {
    grid = Number(v.grid);
    if (!/^\d+$/.test(v.grid) || grid < 8 || grid > MAX_GRID) {
      throw new UsageError(`--grid: expected a whole number from 8 to ${MAX_GRID}, got '${v.grid}'`);
    }
  }
  let sigma: number | undefined;
  if (v.sigma !== undefined) {
    sigma = Number(v.sigma);
    if (
      !/^\s*[+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?\s*$/.test(v.sigma) ||
      !(sigma > 0) ||
      !Number.isFinite(sigma)
    )
      throw new UsageError(`--sigma: expected a positive number (noise σ in data units), got '${v.sigma}'`);
  }
  let uncertainty: number | undefined;
  if (v.uncertainty !== undefined) {
    uncertainty = Number(v.uncertainty);
    if (!/^\d+$/.test(v.uncertainty) || uncertainty > MAX_DRAWS)
      throw new UsageError(
        `--uncertainty: expected a whole number of draws from 0 to ${MAX_DRAWS}, got '${v.uncertainty}'`,
      );
  }
  if (v.model !== undefined && method !== 'dl') throw new UsageError('--model is for --method dl');
  if (v.axis2 !== undefined && v.axis1 === undefined) throw new UsageError('--axis2 needs --axis1');
  // --kernel1/--unit1 without --axis1 name the kernel and x unit of a layout that records neither (Prospa, minispec,
  // Tecmag: FormatReader.takesAxisOptions); runInvert refuses them for layouts that name their own kernels.
  if (v.kernel2 !== undefined && v.axis1 === undefined) {
    throw new UsageError('--kernel2 is for text matrices and needs --axis1 and --axis2');
  }
  if (v.axis1 !== undefined && v.kernel1 === undefined)
    throw new UsageError('--axis1 needs --kernel1 (T1-IR, T1-SR, T2 or D)');
  if (v.axis2 !== undefined && v.kernel2 === undefined) throw new UsageError('--axis2 needs --kernel2');
  if (v.kernel2 !== undefined && v.axis2 === undefined) throw new UsageError('--kernel2 needs --axis2');
  const range1 = parseRange(v.range1, 'range1');
  const range2 = parseRange(v.range2, 'range2');
  return {
    path: parsed.positionals[0]!,
    method,
    grid,
    ranges: [range1.range, range2.range],
    rangeQuantities: [range1.quantity, range2.quantity],
    sigma,
    out: v.out,
    json: v.json === true,
    help,
    axis1: v.axis1,
    axis2: v.axis2,
    kernel1: v.kernel1,
    kernel2: v.kernel2,
    unit1: checkUnit(v.unit1, 'unit1'),
    unit2: checkUnit(v.unit2, 'unit2'),
    region: parseRegion(v.region),
    ...(v.model !== undefined ? { model: v.model } : {}),
    ...(uncertainty !== undefined ? { uncertainty } : {}),
  };
}
