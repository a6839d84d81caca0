/**
 * Writers of the minispec layouts the reader reads (minispec/minispec.ts), for tests with known truth: the headerless
 * tab-separated `.dps` (index, time in ms, signal; CRLF) and text/CSV exports with header entries, column titles
 * carrying the unit, a choice of separator and decimal comma, and footer entries (fit results). Values are written
 * with the shortest decimal that reads back to the same double.
 */
import { parseUnit } from '@lapis/contracts/units';

export interface MinispecCurve {
  /** Delays or echo times, s. */
  x: ArrayLike<number>;
  y: ArrayLike<number>;
}

export interface MinispecDpsOptions {
  /** Unit the times are written in (default 'ms', as the minispec writes). */
  unit?: string;
  /** Write the 0-based point index column (default true). */
  index?: boolean;
}

export interface MinispecTextOptions {
  /** 'key: value' entries before the rows. */
  header?: [string, string][];
  /** Entries after the rows (e.g. ['T2 [ms]', '85.2']). */
  footer?: [string, string][];
  /** Marker before header and footer lines ('' or '# '). */
  marker?: string;
  /** Column titles of the time and signal columns; the time title should carry the unit (default 'Time [ms]'). */
  titles?: [string, string] | null;
  /** Unit the times are written in (default 'ms'). */
  unit?: string;
  delimiter?: '\t' | ';' | ',' | ' ';
  /** Decimal comma (only with tab or ';'). */
  decimalComma?: boolean;
  /** Write a point index column first (default false). */
  index?: boolean;
  lineEnd?: '\r\n' | '\n';
}

function scale(unit: string): (seconds: number) => number {
  const u = parseUnit(unit);
  if (!u || u.quantity !== 'time') throw new RangeError(`writeMinispec: ${unit} is not a time unit`);
  return (s) => s / u.factor;
}

export function writeMinispecDps(curve: MinispecCurve, options: MinispecDpsOptions = {}): string {
  const toUnit = scale(options.unit ?? 'ms');
  const lines: string[] = [];
  for (let i = 0; i < curve.x.length; i++) {
    const fields = [String(toUnit(curve.x[i]!)), String(curve.y[i]!)];
    lines.push(((options.index ?? true) ? [String(i), ...fields] : fields).join('\t'));
  }
  return lines.join('\r\n') + '\r\n';
}

export function writeMinispecText(curve: MinispecCurve, options: MinispecTextOptions = {}): string {
  const unit = options.unit ?? 'ms';
  const toUnit = scale(unit);
  const sep = options.delimiter ?? '\t';
  const marker = options.marker ?? '';
  const num = (v: number) => (options.decimalComma ? String(v).replace('.', ',') : String(v));
  const lines: string[] = [];
  for (const [k, v] of options.header ?? []) lines.push(`${marker}${k}: ${v}`);
  const titles = options.titles === null ? undefined : (options.titles ?? [`Time [${unit}]`, 'Amplitude']);
  if (titles) lines.push([...(options.index ? ['No.'] : []), ...titles].join(sep === ' ' ? '  ' : sep));
  for (let i = 0; i < curve.x.length; i++) {
    const fields = [num(toUnit(curve.x[i]!)), num(curve.y[i]!)];
    lines.push([...(options.index ? [String(i + 1)] : []), ...fields].join(sep));
  }
  for (const [k, v] of options.footer ?? []) lines.push(`${marker}${k}: ${v}`);
  const end = options.lineEnd ?? '\r\n';
  return lines.join(end) + end;
}
