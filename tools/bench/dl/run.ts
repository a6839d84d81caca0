/**
 * `npm run bench:dl` — the refinement network (`invertDl`, safety net on) against the classical default (Tikhonov)
 * and UPEN, on the 2D cases of the seeded bench:physics suite, on a held-out seed of the same design, on a
 * resolution grid of two equal populations 0.3/0.4/0.5 decade apart at SNR 100/300/1000, and on a cheese-like
 * T1–T2 map of three overlapping components. Also scored: the network's own map before the safety net
 * ("dl-raw"), so what the net refuses is visible. CPU inference time per map on one core (one ORT thread, the
 * npm script pins the process) and batched CPU throughput. Writes bench-results/dl.json.
 *
 * Options: --quick (fewer cases), --model PATH (manifest), --compare PATH (a second manifest, scored in the same run
 * as "cmp" / "cmp-raw"), --seed N (main suite), --heldout N
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { invert, peakUncertainty, type SimPeak } from '@lapis/physics';
import { closeAllModels, defaultModelPath, inputChannels, invertDl, openModel, prepareInput } from '@lapis/inference';
import { buildSuite, caseInput, dataLimited, scoreCase, simulateCase, type BenchCase } from '../physics/cases';
import { coverage } from '../physics/coverage';

const args = process.argv.slice(2);
const value = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const quick = args.includes('--quick');
const model = value('--model') ?? defaultModelPath();
const compare = value('--compare');
const seed = Number(value('--seed') ?? 20261121);
const heldout = Number(value('--heldout') ?? 4242);
const KINDS = ['T1IR-T2', 'T1SR-T2', 'D-T2'] as const;

interface Row {
  suite: string;
  caseId: string;
  kind: string;
  snr: number;
  peaks: number;
  separation?: number;
  method: string;
  ms: number;
  inferenceMs?: number;
  auxiliaryMs?: number;
  worstPosition: number;
  worstFraction: number;
  missed: number;
  /** Of the missed, those the data do not tell from the listing (physics/cases.ts dataLimited). */
  missedDataLimited: number;
  spurious: number;
  resolved: boolean;
  accepted?: boolean;
  /** Kept network maps: 16-draw bootstrap time (ms) and true positions within 1× / 2× the combined uncertainty. */
  uncertaintyMs?: number;
  within1?: number;
  within2?: number;
  checked?: number;
}

function cheese(): BenchCase[] {
  // Three overlapping T1–T2 components of a semi-hard cheese (fat, bound and free serum water), 0.3–0.5 decade apart.
  const peaks: SimPeak[] = [
    { position: [0.12, 0.04], width: [0.08, 0.08], fraction: 0.45 },
    { position: [0.05, 0.012], width: [0.08, 0.08], fraction: 0.3 },
    { position: [0.3, 0.09], width: [0.08, 0.08], fraction: 0.25 },
  ];
  const delays = Float64Array.from({ length: 32 }, (_, i) => 1e-4 * (5 / 1e-4) ** (i / 31));
  const echoes = Float64Array.from({ length: 2000 }, (_, i) => (i + 1) * 2e-4);
  return [300, 1000].map((snr, i) => ({
    id: `cheese-T1IR-T2-snr${snr}`,
    kind: 'T1IR-T2',
    snr,
    seed: 101 + i,
    axes: [
      { kernel: 'T1-IR', values: delays },
      { kernel: 'T2', values: echoes },
    ],
    peaks,
  }));
}

function resolutionSuite(): BenchCase[] {
  const cases = buildSuite({
    seed: 31337,
    snrs: [100, 300, 1000],
    separations: [0.3, 0.4, 0.5],
    kinds: [...KINDS],
  }).filter((c) => c.separation !== undefined);
  // two equal populations
  return cases.map((c) => ({ ...c, peaks: c.peaks.map((p) => ({ ...p, fraction: 0.5 })) }));
}

function median(xs: number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : 0.5 * (s[m - 1]! + s[m]!);
}

async function main() {
  const session = await openModel(model, { providers: ['cpu'], threads: 1 });
  const suites: [string, BenchCase[]][] = [
    ['main', buildSuite({ seed, kinds: [...KINDS], ...(quick ? { snrs: [100, 1000], separations: [0.5] } : {}) })],
    [
      'heldout',
      buildSuite({ seed: heldout, kinds: [...KINDS], ...(quick ? { snrs: [300], separations: [0.5] } : {}) }),
    ],
    ['resolution', quick ? resolutionSuite().filter((c) => c.snr === 1000) : resolutionSuite()],
    ['cheese', cheese()],
  ];
  console.log(
    `bench:dl — model ${session.manifest.id} (${session.manifest.bytes} bytes, sha256 ${session.manifest.sha256.slice(0, 12)}…) on ${session.provider}; ` +
      `${suites.map(([n, s]) => `${n} ${s.length}`).join(', ')} cases; ${cpus()[0]?.model ?? 'cpu'}, node ${process.version}, ${new Date().toISOString()}`,
  );
  const rows: Row[] = [];
  for (const [suite, cases] of suites) {
    for (const c of cases) {
      const sim = simulateCase(c);
      const input = caseInput(c, sim.data);
      const base = {
        suite,
        caseId: c.id,
        kind: c.kind,
        snr: c.snr,
        peaks: c.peaks.length,
        ...(c.separation ? { separation: c.separation } : {}),
      };
      for (const method of ['tikhonov', 'upen'] as const) {
        const r = invert(input, { method, grid: 64 });
        const s = scoreCase(c, input, r);
        rows.push({
          ...base,
          method,
          ms: r.elapsedMs,
          worstPosition: s.worstPositionError,
          worstFraction: s.worstFractionError,
          missed: s.missed.length,
          missedDataLimited: dataLimited(s),
          spurious: s.spurious.length,
          resolved: s.resolved,
        });
      }
      for (const [label, path] of [['dl', model], ...(compare ? [['cmp', compare]] : [])] as [string, string][]) {
        const r = await invertDl(input, { model: path, providers: ['cpu'], threads: 1, keepRejected: true });
        const grids = r.axes.map((a) => a.values);
        const s = scoreCase(c, input, r);
        // The network's per-peak uncertainty (its own bootstrap, 16 draws) and how often it covers the truth.
        const unc: Partial<Row> = {};
        if (label === 'dl' && r.dl.accepted && r.resampleDl && !args.includes('--no-uncertainty')) {
          const tu = performance.now();
          const u = peakUncertainty(s.found, grids, await r.resampleDl(16, 1));
          unc.uncertaintyMs = performance.now() - tu;
          const cov = coverage(c.peaks, s, s.found, u);
          Object.assign(unc, { within1: cov.within1Sd, within2: cov.within2Sd, checked: cov.sdChecked });
        }
        rows.push({
          ...base,
          method: label,
          ms: r.elapsedMs,
          inferenceMs: r.dl.inferenceMs!,
          ...(r.dl.auxiliaryMs === undefined ? {} : { auxiliaryMs: r.dl.auxiliaryMs }),
          worstPosition: s.worstPositionError,
          worstFraction: s.worstFractionError,
          missed: s.missed.length,
          missedDataLimited: dataLimited(s),
          spurious: s.spurious.length,
          resolved: s.resolved,
          accepted: r.dl.accepted,
          ...unc,
        });
        const raw = r.dl.accepted ? r.distribution : r.dl.rejectedDistribution;
        // A fallback before the network ran (e.g. the auxiliary maps failed) leaves no raw map to score.
        if (!raw) {
          console.log(`\n${c.id} ${label}: no network map (${r.dl.reason ?? 'no reason given'})`);
          continue;
        }
        const sr = scoreCase(c, input, { ...r, distribution: raw });
        rows.push({
          ...base,
          method: `${label}-raw`,
          ms: r.elapsedMs,
          worstPosition: sr.worstPositionError,
          worstFraction: sr.worstFractionError,
          missed: sr.missed.length,
          missedDataLimited: dataLimited(sr),
          spurious: sr.spurious.length,
          resolved: sr.resolved,
          accepted: r.dl.accepted,
        });
      }
      process.stdout.write('.');
    }
  }
  process.stdout.write('\n');

  // Batched CPU throughput: 32 maps in one run, one thread.
  const channels = inputChannels(session.manifest);
  const flat = new Float64Array(4096).fill(1);
  const x = prepareInput(
    flat,
    [
      { values: Float64Array.from({ length: 64 }, (_, i) => i + 1), sensitive: [1, 64] },
      { values: Float64Array.from({ length: 64 }, (_, i) => i + 1), sensitive: [1, 64] },
    ],
    { channels, snr: 300, auxiliary: channels.filter((c) => c.kind === 'map-alpha').map(() => flat) },
  ).input;
  const batch = Array.from({ length: 32 }, () => x);
  await session.run(batch);
  const tb = performance.now();
  for (let k = 0; k < 3; k++) await session.run(batch);
  const batchedMsPerMap = (performance.now() - tb) / (3 * 32);
  const ts = performance.now();
  for (let k = 0; k < 20; k++) await session.run([x]);
  const singleMs = (performance.now() - ts) / 20;

  const methods = ['tikhonov', 'upen', 'dl', 'dl-raw', ...(compare ? ['cmp', 'cmp-raw'] : [])];
  const withUnc = rows.filter((r) => r.checked !== undefined);
  if (withUnc.length) {
    const sum = (k: 'within1' | 'within2' | 'checked', xs = withUnc) => xs.reduce((a, r) => a + (r[k] ?? 0), 0);
    const pct = (a: number, b: number) => (b ? `${((100 * a) / b).toFixed(0)} %` : '—');
    const ok = withUnc.filter((r) => r.resolved);
    console.log(
      `\nuncertainty of the network's peaks (kept maps, 16 draws): ${median(withUnc.map((r) => r.uncertaintyMs!)).toFixed(0)} ms median; ` +
        `true position within 1 / 2 × the combined uncertainty: ${pct(sum('within1'), sum('checked'))} / ${pct(sum('within2'), sum('checked'))} ` +
        `of ${sum('checked')} peak axes; where every peak was resolved ${pct(sum('within1', ok), sum('checked', ok))} / ${pct(sum('within2', ok), sum('checked', ok))} of ${sum('checked', ok)}`,
    );
  }
  const table = (title: string, filter: (r: Row) => boolean) => {
    console.log(`\n${title}`);
    console.log(
      '| method | median worst-peak position error, decades (SNR ≥ 100) | median fraction error (SNR ≥ 100) | missed ≥ 10 % (data-limited) | spurious ≥ 5 % | two-peak cases resolved | dl accepted | median ms |',
    );
    console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const m of methods) {
      const rs = rows.filter((r) => r.method === m && filter(r));
      const hi = rs.filter((r) => r.snr >= 100);
      const two = rs.filter((r) => r.peaks === 2);
      const acc = rs.filter((r) => r.accepted !== undefined);
      console.log(
        `| ${m} | ${median(hi.map((r) => r.worstPosition)).toFixed(3)} | ${median(hi.map((r) => r.worstFraction)).toFixed(3)} | ${rs.reduce((a, r) => a + r.missed, 0)} (${rs.reduce((a, r) => a + r.missedDataLimited, 0)}) | ${rs.reduce((a, r) => a + r.spurious, 0)} | ${two.filter((r) => r.resolved).length}/${two.length} | ${acc.length ? `${acc.filter((r) => r.accepted).length}/${acc.length}` : '—'} | ${median(rs.map((r) => r.ms)).toFixed(0)} |`,
      );
    }
  };
  table(`main suite (seed ${seed}), 2D`, (r) => r.suite === 'main');
  table(`held-out suite (seed ${heldout}), 2D`, (r) => r.suite === 'heldout');
  console.log('\nresolution of two equal populations (resolved / cases), per separation and SNR');
  const seps = [0.3, 0.4, 0.5];
  const snrs = [100, 300, 1000];
  console.log(`| method | ${seps.flatMap((d) => snrs.map((s) => `${d} dec, SNR ${s}`)).join(' | ')} |`);
  console.log(`| --- | ${seps.flatMap(() => snrs.map(() => '---:')).join(' | ')} |`);
  for (const m of methods) {
    const cells = seps.flatMap((d) =>
      snrs.map((s) => {
        const rs = rows.filter((r) => r.suite === 'resolution' && r.method === m && r.separation === d && r.snr === s);
        return rs.length ? `${rs.filter((r) => r.resolved).length}/${rs.length}` : '—';
      }),
    );
    console.log(`| ${m} | ${cells.join(' | ')} |`);
  }
  console.log('\ncheese-like T1–T2, three overlapping components (missed / spurious / worst position error)');
  for (const m of methods) {
    const rs = rows.filter((r) => r.suite === 'cheese' && r.method === m);
    console.log(
      `  ${m.padEnd(9)} ${rs.map((r) => `SNR ${r.snr}: ${r.missed} / ${r.spurious} / ${r.worstPosition.toFixed(3)}`).join('   ')}`,
    );
  }
  const inf = rows.filter((r) => r.method === 'dl').map((r) => r.inferenceMs!);
  const aux = rows.filter((r) => r.method === 'dl' && r.auxiliaryMs !== undefined).map((r) => r.auxiliaryMs!);
  console.log(
    `\nCPU inference per 2D map (one core, pre/post-processing included): median ${median(inf).toFixed(1)} ms, max ${Math.max(...inf).toFixed(1)} ms; ` +
      `bare network run ${singleMs.toFixed(1)} ms single, ${batchedMsPerMap.toFixed(1)} ms per map in batches of 32; session open + warm-up ${session.openMs.toFixed(0)} ms` +
      (aux.length
        ? `; extra classical solves for the input channels: median ${median(aux).toFixed(0)} ms, max ${Math.max(...aux).toFixed(0)} ms`
        : ''),
  );
  if (compare) {
    const cinf = rows.filter((r) => r.method === 'cmp').map((r) => r.inferenceMs!);
    console.log(`compare model ${compare}: network step median ${median(cinf).toFixed(1)} ms`);
  }
  mkdirSync('bench-results', { recursive: true });
  writeFileSync(
    'bench-results/dl.json',
    JSON.stringify(
      {
        model: session.manifest.id,
        ...(compare ? { compare } : {}),
        sha256: session.manifest.sha256,
        provider: session.provider,
        seed,
        heldout,
        singleMs,
        batchedMsPerMap,
        rows,
      },
      null,
      1,
    ),
  );
  await closeAllModels();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
