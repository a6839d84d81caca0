/**
 * Runs `lapis invert` (and `lapis process`) the way a user does — the command from apps/agent/package.json's "bin", in a child process —
 * and reads back the lapis-result/1 document it wrote. Exit 2 is Lapis refusing the input with one line (a reader not
 * written yet, say); any other failure is a crash.
 */
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The parts of a lapis-result/1 document this tool reads (docs/contracts.md); everything else is ignored. */
export interface ResultPeak {
  position: Record<string, number | undefined>;
  fraction: number;
  extent?: Record<string, [number, number] | undefined>;
  region?: { from: number; to: number };
  atEdge?: boolean;
  uncertainty?: { positionSdDecades?: Record<string, number | null | undefined> };
}
export interface VendorResult {
  software: string;
  quantity: string;
  unit: string;
  value: number;
  lapis?: number;
  relativeDifference?: number;
  shift?: number;
  peak?: number;
  note?: string;
}
export interface ResultDoc {
  format: string;
  method: string;
  elapsedMs?: number;
  axes: { name: string; unit: string; values: number[] }[];
  distribution: number[] | number[][];
  peaks: ResultPeak[];
  vendorResults?: VendorResult[];
  warnings?: string[];
}

/** The parts of a lapis-spectrum/1 document (`lapis process`) this tool reads. */
export interface SpectrumDoc {
  format: string;
  elapsedMs?: number;
  peaks: { shift?: number; snr: number }[];
}

export type LapisRun =
  | { kind: 'ok'; doc: ResultDoc; command: string }
  | { kind: 'unreadable'; line: string; command: string }
  | { kind: 'crashed'; message: string; command: string };

/** Path of the `lapis` bin script, from apps/agent/package.json. */
export async function lapisBin(root: string): Promise<string> {
  const pkg = JSON.parse(await readFile(join(root, 'apps/agent/package.json'), 'utf8')) as {
    bin?: Record<string, string>;
  };
  const bin = pkg.bin?.lapis;
  if (!bin) throw new Error('apps/agent/package.json has no "bin": { "lapis": … }');
  return join(root, 'apps/agent', bin);
}

/** `lapis invert ARGS --out OUT`; `show` turns absolute paths into the ones printed in the report. */
export async function runLapisInvert(
  root: string,
  args: string[],
  out: string,
  show: (path: string) => string = (p) => p,
  timeoutMs = 600_000,
): Promise<LapisRun> {
  const run = await runLapis(root, 'invert', args, out, show, timeoutMs);
  if (run.kind !== 'ok') return run;
  const doc = run.doc as ResultDoc;
  if (doc.format !== 'lapis-result/1' || !Array.isArray(doc.axes) || !Array.isArray(doc.peaks)) {
    return { kind: 'crashed', message: `exit 0 but ${out} is not a lapis-result/1 document`, command: run.command };
  }
  return { kind: 'ok', doc, command: run.command };
}

/** `lapis process ARGS --out OUT`: the same, for a spectrum and its lapis-spectrum/1 document. */
export async function runLapisProcess(
  root: string,
  args: string[],
  out: string,
  show: (path: string) => string = (p) => p,
): Promise<{ kind: 'ok'; doc: SpectrumDoc; command: string } | Exclude<LapisRun, { kind: 'ok' }>> {
  const run = await runLapis(root, 'process', args, out, show, 600_000);
  if (run.kind !== 'ok') return run;
  const doc = run.doc as SpectrumDoc;
  if (doc.format !== 'lapis-spectrum/1' || !Array.isArray(doc.peaks)) {
    return { kind: 'crashed', message: `exit 0 but ${out} is not a lapis-spectrum/1 document`, command: run.command };
  }
  return { kind: 'ok', doc, command: run.command };
}

/** The bin with a command, in a child process; the document it wrote, parsed but not yet checked. */
async function runLapis(
  root: string,
  name: 'invert' | 'process',
  args: string[],
  out: string,
  show: (path: string) => string,
  timeoutMs: number,
): Promise<{ kind: 'ok'; doc: unknown; command: string } | Exclude<LapisRun, { kind: 'ok' }>> {
  const bin = await lapisBin(root);
  const argv = [bin, name, ...args, '--out', out];
  const command = ['lapis', name, ...args.map(show), '--out', show(out)].join(' ');
  const { code, signal, stderr } = await new Promise<{
    code: number | null;
    signal: NodeJS.Signals | null;
    stderr: string;
  }>((resolve, reject) => {
    const child = spawn(process.execPath, argv, { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (d: string) => {
      if (err.length < 100_000) err += d;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (c, s) => {
      clearTimeout(timer);
      resolve({ code: c, signal: s, stderr: err });
    });
  });
  const lines = stderr.split('\n').filter((l) => l.trim() !== '');
  if (code === 2) return { kind: 'unreadable', line: lines[0] ?? '(no message)', command };
  if (code !== 0) {
    const why = signal ? `killed by ${signal}` : `exit ${code}`;
    return { kind: 'crashed', message: `${why}: ${lines.slice(-3).join(' | ') || '(no message)'}`, command };
  }
  let doc: unknown;
  try {
    doc = JSON.parse(await readFile(out, 'utf8'));
  } catch (e) {
    return { kind: 'crashed', message: `exit 0 but no readable document: ${(e as Error).message}`, command };
  }
  return { kind: 'ok', doc, command };
}
