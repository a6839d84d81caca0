#!/usr/bin/env node
// Runs a TypeScript benchmark with tsx pinned to one CPU core (taskset, where the system has it), because the
// speed targets are stated per core and the machines are shared.
import { spawnSync } from 'node:child_process';
const [script, ...rest] = process.argv.slice(2);
const tsx = ['node_modules/.bin/tsx', script, ...rest];
const hasTaskset = spawnSync('taskset', ['--version']).status === 0;
const cmd = hasTaskset ? ['taskset', '-c', process.env.LAPIS_BENCH_CPU ?? '0', ...tsx] : tsx;
if (!hasTaskset) console.error('bench: taskset not found; running unpinned');
const run = spawnSync(cmd[0], cmd.slice(1), { stdio: 'inherit' });
process.exit(run.status ?? 1);
