/** The real `lapis` bin, spawned the way a user runs it, for end-to-end tests of the commands. */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

export const LAPIS_BIN = resolve(import.meta.dirname, '../../bin/lapis.js');

export interface LapisRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface LapisRunOptions {
  /** Added to the environment. */
  env?: NodeJS.ProcessEnv;
  /** Node options before the bin (e.g. `--import` of a probe). */
  nodeArgs?: string[];
}

export function runLapis(args: string[], cwd: string, options: LapisRunOptions = {}): Promise<LapisRun> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), LAPIS_BIN, ...args], {
      cwd,
      env: { ...process.env, NODE_OPTIONS: '', ...options.env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}
