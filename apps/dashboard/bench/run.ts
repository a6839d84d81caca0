/**
 * `npm run bench:dashboard`: what the dashboard costs at lab scale.
 *   1. ingest rate — result envelopes (the real 64×64 cheese document, ~16 KB) published over a real broker
 *      (aedes, in-process) into PGlite (on disk) and PostgreSQL (a private cluster, durable settings); reference:
 *      the same messages through the same broker into a consumer that only parses and validates them.
 *   2. fleet page server time with 50 instruments × 10,000 acquisitions — the fleet query through the tRPC
 *      caller on both databases, and the whole page (GET /) from a production build (`next start`) on PostgreSQL;
 *      reference: a full `count(*)` scan of the acquisitions.
 *   3. acquisition page — server time (GET) and browser render time (navigation → the map's SVG drawn, chromium).
 *   4. page data while results arrive — PGlite (on disk) offered results at a steady 200/s from mosquitto while
 *      the data of each main page (the procedures it calls, through the tRPC caller) is fetched on a schedule;
 *      p50/p95 with the ingest letting page queries go first (the default) and first come, first served; reference:
 *      the same reads with no ingest (PGlite has one connection).
 * Prints a Markdown table and writes bench-results/dashboard.json. Environment: BENCH_RESULTS (default 1000),
 * BENCH_SKIP_BUILD=1 (reuse .next-bench), BENCH_SKIP_PGLITE_FLEET=1, BENCH_ONLY=pages-under-ingest (case 4 alone,
 * to bench-results/dashboard-pages-under-ingest.json), BENCH_RATE (results/s offered in case 4, default 200),
 * BENCH_SECONDS (its duration, default 20), BENCH_PAGE_EVERY_MS (a page load every …, default 100).
 * Beside it: common.ts (sizes, figures, clock, messages), ingestRate.ts (case 1), fleet.ts (case 2), pageTimes.ts
 * (cases 2–3 in a browser), pagesUnderIngest.ts (case 4), ingestAndPages.ts (cases 1–3 in order).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestPostgres } from '../src/test/postgres';
import { repoRoot, N, figures } from './common';
import { pagesUnderIngest } from './pagesUnderIngest';
import { ingestAndPages } from './ingestAndPages';

async function main() {
  const started = new Date();
  console.log(
    `bench:dashboard — ${started.toISOString()}, ${cpus()[0]?.model ?? '?'} × ${cpus().length}, node ${process.version}, load ${loadavg()[0]!.toFixed(1)}`,
  );
  const dir = mkdtempSync(join(tmpdir(), 'lapis-dash-bench-'));
  let pg: TestPostgres | undefined;
  try {
    const only = process.env.BENCH_ONLY;
    if (only && only !== 'pages-under-ingest') throw new Error(`BENCH_ONLY: unknown case ${only}`);
    if (!only) await ingestAndPages(dir, (p) => (pg = p));
    const rate = Number(process.env.BENCH_RATE ?? 200);
    const seconds = Number(process.env.BENCH_SECONDS ?? 20);
    const everyMs = Number(process.env.BENCH_PAGE_EVERY_MS ?? 100);
    const line = (k: string, x: Awaited<ReturnType<typeof pagesUnderIngest>>['idle']) =>
      `    ${k}: p50 ${x.p50.toFixed(1)} ms, p95 ${x.p95.toFixed(1)} ms, max ${x.max.toFixed(0)} ms (${x.n} page loads; p50/p95 ${Object.entries(
        x.pages,
      )
        .map(([p, v]) => `${p} ${v.p50.toFixed(1)}/${v.p95.toFixed(1)}`)
        .join(', ')})`;
    const runs = [];
    for (const readsFirst of [true, false]) {
      const r = await pagesUnderIngest(dir, rate, seconds, everyMs, readsFirst);
      runs.push(r);
      console.log(
        `  page data (a page every ${everyMs} ms) while PGlite takes ${rate} results/s, ${readsFirst ? 'reads first (the ingest waits for page queries)' : 'reference: first come, first served'}:`,
      );
      console.log(line('no ingest', r.idle));
      console.log(line('ingest', r.busy));
      console.log(
        `    broker ${r.broker}; ${r.accepted} of ${r.total} stored (${r.rejected} rejected), the last ${r.lagMs} ms after the last publish was due: ${r.achievedRate.toFixed(0)} results/s`,
      );
    }
    figures.pagesUnderIngest = runs;
  } finally {
    await pg?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  const out = join(repoRoot, 'bench-results');
  mkdirSync(out, { recursive: true });
  writeFileSync(
    join(out, process.env.BENCH_ONLY ? `dashboard-${process.env.BENCH_ONLY}.json` : 'dashboard.json'),
    JSON.stringify(
      {
        at: started.toISOString(),
        cpu: cpus()[0]?.model,
        cores: cpus().length,
        node: process.version,
        results: N,
        figures,
      },
      null,
      2,
    ),
  );
  console.log(`  wrote bench-results/ (${((Date.now() - started.getTime()) / 1000).toFixed(0)} s)`);
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
