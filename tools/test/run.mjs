#!/usr/bin/env node
// Runs the whole test suite with vitest and ends with the line CI reads: `N passed, N failed[, N skipped]`.
// vitest's own summary is not in that form, so the JSON report is read back and counted here.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const outDir = join(process.cwd(), '.test-results');
mkdirSync(outDir, { recursive: true });
const report = join(outDir, 'vitest.json');
if (existsSync(report)) rmSync(report);

const args = [
  'vitest',
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${report}`,
  ...process.argv.slice(2),
];
const run = spawnSync('npx', args, { stdio: 'inherit' });

let passed = 0;
let failed = 0;
let skipped = 0;
if (existsSync(report)) {
  const json = JSON.parse(readFileSync(report, 'utf8'));
  for (const file of json.testResults ?? []) {
    const cases = file.assertionResults ?? [];
    if (cases.length === 0 && file.status === 'failed') failed += 1; // a file that failed to load counts as one failure
    for (const c of cases) {
      if (c.status === 'passed') passed += 1;
      else if (c.status === 'failed') failed += 1;
      else skipped += 1;
    }
  }
} else {
  failed += 1;
  console.error('tools/test/run.mjs: vitest wrote no report');
}
const code = run.status ?? 1;
if (code !== 0 && failed === 0) failed += 1; // vitest failed for a reason outside the tests (e.g. an unhandled error)
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 ? 1 : 0);
