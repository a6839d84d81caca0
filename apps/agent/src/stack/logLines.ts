/**
 * Readable, prefixed log lines for `lapis stack`: every part of the stack writes through one `StackLog`, each line
 * led by its part's name (`[broker]`, `[dashboard]`, `[relaxometer-01]`, …), coloured when the output is a terminal.
 * The agents' pino JSON lines are turned into `HH:MM:SS level message key=value…`.
 */
import { Writable } from 'node:stream';

const COLOURS = [36, 33, 35, 32, 34, 96, 93, 95];
const LEVELS: Record<number, string> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
/** pino fields that say nothing to a person watching the stack. */
const QUIET_KEYS = new Set(['level', 'time', 'pid', 'hostname', 'name', 'msg', 'v']);

export interface StackLog {
  /** A writer of lines for the part `name`. */
  part(name: string): (line: string) => void;
  /** A Writable for pino (JSON lines) of part `name`. */
  pinoStream(name: string): Writable;
}

function clock(d = new Date()): string {
  return d.toISOString().slice(11, 19);
}

function short(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 160 ? `${text.slice(0, 157)}…` : text;
}

/** One pino JSON line as text; a line that is not JSON comes back as it is. */
export function formatPinoLine(line: string): string {
  let rec: Record<string, unknown>;
  try {
    rec = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  if (rec === null || typeof rec !== 'object') return line;
  const time = typeof rec.time === 'number' ? clock(new Date(rec.time)) : clock();
  const level = LEVELS[Number(rec.level)] ?? String(rec.level ?? '');
  const rest = Object.entries(rec)
    .filter(([k, v]) => !QUIET_KEYS.has(k) && v !== undefined)
    .map(([k, v]) => `${k}=${short(v)}`)
    .join(' ');
  return `${time} ${level.padEnd(5)} ${String(rec.msg ?? '')}${rest ? `  ${rest}` : ''}`;
}

export function createStackLog(write: (text: string) => void, colour: boolean): StackLog {
  const names: string[] = [];
  const width = () => Math.max(10, ...names.map((n) => n.length));
  const prefix = (name: string) => {
    if (!names.includes(name)) names.push(name);
    const label = `[${name}]`.padEnd(width() + 2);
    const c = COLOURS[names.indexOf(name) % COLOURS.length]!;
    return colour ? `\u001b[${c}m${label}\u001b[0m` : label;
  };
  const part = (name: string) => (line: string) => {
    for (const l of line.split('\n')) if (l.trim() !== '') write(`${prefix(name)} ${l}\n`);
  };
  return {
    part,
    pinoStream(name) {
      const out = part(name);
      let pending = '';
      return new Writable({
        write(chunk: Buffer | string, _enc, done) {
          pending += String(chunk);
          const lines = pending.split('\n');
          pending = lines.pop() ?? '';
          for (const l of lines) if (l.trim()) out(formatPinoLine(l));
          done();
        },
        final(done) {
          if (pending.trim()) out(formatPinoLine(pending));
          done();
        },
      });
    },
  };
}

/** Splits a child's output stream into lines for `out` (a trailing partial line waits for the next chunk). */
export function pipeLines(stream: NodeJS.ReadableStream, out: (line: string) => void): void {
  let pending = '';
  stream.on('data', (chunk: Buffer | string) => {
    pending += String(chunk);
    const lines = pending.split(/\r?\n/);
    pending = lines.pop() ?? '';
    for (const l of lines) out(l);
  });
  stream.on('end', () => {
    if (pending) out(pending);
  });
}
