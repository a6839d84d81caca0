/**
 * `npm run bench:peaks` — does the peak list say what the data say? On a seeded suite built apart from bench:physics
 * (broader designs, populations 0.05–0.4 decade wide, SNR 30–3000 drawn log-uniformly), each case is inverted with
 * the default method (`auto`) and its peaks listed three ways:
 *
 * - map: the map's own peaks (findPeaks with the data-SNR check, `components: false`);
 * - no merge: as `lapis invert` listed them before the merge test (component test only, `mergeSignificance: 0`);
 * - listed: as `lapis invert` lists them now (merge test, then component test).
 *
 * Single populations: how often the list holds more than one peak of ≥ 5 % (a false population). Pairs 0.4–1.0
 * decade apart (widths 0.05–0.15): resolved, missed ≥ 10 % — in brackets those the data do not tell from the list
 * (the true populations fit better than the listed peaks by < 25σ², bench:physics' data-limited count) — and
 * spurious ≥ 5 %. A pair the merge test joins is checked against its own threshold: data-limited where the two true
 * populations fit the data better than one log-normal component by less than the χ² the second gains by chance in
 * 95 % of cases. Also the listing time per case.
 *
 * Inversion-recovery axes are simulated with an inversion efficiency β drawn from 0.85–1 and inverted without it, so
 * that β is estimated from the data as for a real acquisition (and refitted by the listing's tests).
 *
 * Options: --cases1d N (default 400), --cases2d N (default 120), --seed N (default 20261122), --merge-significance P
 * (the merge test's, default 0.5 as `lapis invert`).
 * Pinned to one core by the npm script (tools/bench/pin.mjs). Writes bench-results/peaks.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import {
  chiSquareQuantile,
  createRng,
  estimatedIrBeta,
  fitComponents,
  inversionCompressed,
  inversionPeaks,
  invert,
  logGrid,
  scorePeaks,
  simulate,
  type InvertInput,
  type KernelName,
  type Peak,
  type Rng,
  type SimPeak,
} from '@lapis/physics';
import { DATA_CAN_TELL, resolvable, truthChi2Gain } from '../physics/cases';

const args = process.argv.slice(2);
const value = (name: string, fallback: number) => {
  const i = args.indexOf(name);
  const v = i >= 0 ? Number(args[i + 1]) : fallback;
  if (!Number.isFinite(v) || v < 0) throw new RangeError(`bench:peaks: ${name} needs a number, got ${args[i + 1]}`);
  return v;
};
const cases1d = value('--cases1d', 400);
const cases2d = value('--cases2d', 120);
const seed = value('--seed', 20261122);
const mergeSignificance = value('--merge-significance', 0.5);

type Axis = { kernel: KernelName; values: Float64Array };

function axis(rng: Rng, kernel: KernelName): Axis {
  if (kernel === 'T2') {
    const m = [500, 1000, 2000, 4000, 8000][rng.int(0, 4)]!;
    const te = 10 ** rng.uniform(-4.3, -3);
    return { kernel, values: Float64Array.from({ length: m }, (_, i) => (i + 1) * te) };
  }
  if (kernel === 'D') {
    const m = rng.int(12, 40);
    const bMax = 10 ** rng.uniform(9.3, 11);
    return { kernel, values: Float64Array.from({ length: m }, (_, i) => bMax * ((i + 1) / m) ** 2) };
  }
  return { kernel, values: logGrid(10 ** rng.uniform(-4.5, -3.5), 10 ** rng.uniform(0.3, 1.2), rng.int(16, 64)) };
}

const KINDS: Record<1 | 2, KernelName[][]> = {
  1: [['T2'], ['T1-IR'], ['T1-SR'], ['D']],
  2: [
    ['T1-IR', 'T2'],
    ['T1-SR', 'T2'],
    ['D', 'T2'],
  ],
};

interface Case {
  /** Inversion efficiency of an inversion-recovery axis (simulated; estimated by the inversion, as for real data). */
  beta: number;
  dims: 1 | 2;
  kind: string;
  type: 'single' | 'pair';
  snr: number;
  axes: Axis[];
  peaks: SimPeak[];
  seed: number;
}

function buildCases(dims: 1 | 2, count: number, rng: Rng): Case[] {
  const out: Case[] = [];
  for (let i = 0; i < count; i++) {
    const kinds = KINDS[dims][i % KINDS[dims].length]!;
    const axes = kinds.map((k) => axis(rng, k));
    const win = axes.map((a) => resolvable(a.kernel, a.values));
    const snr = 10 ** rng.uniform(Math.log10(30), Math.log10(3000));
    const type = i % 3 === 2 ? 'pair' : 'single';
    let peaks: SimPeak[];
    if (type === 'single') {
      peaks = [
        {
          position: win.map(([a, b]) => 10 ** rng.uniform(a, b)),
          width: axes.map(() => rng.uniform(0.05, 0.4)),
          fraction: 1,
        },
      ];
    } else {
      const sep = rng.uniform(0.4, 1.0);
      const theta = rng.uniform(0, Math.PI / 2);
      const delta = dims === 2 ? [sep * Math.sin(theta), sep * Math.cos(theta)] : [sep];
      const first = win.map(([a, b], d) => rng.uniform(a, Math.max(a, b - delta[d]!)));
      const f = rng.uniform(0.35, 0.65);
      peaks = [
        { position: first.map((v) => 10 ** v), width: axes.map(() => rng.uniform(0.05, 0.15)), fraction: f },
        {
          position: first.map((v, d) => 10 ** (v + delta[d]!)),
          width: axes.map(() => rng.uniform(0.05, 0.15)),
          fraction: 1 - f,
        },
      ];
    }
    const beta = rng.uniform(0.85, 1);
    out.push({ beta, dims, kind: kinds.join('–'), type, snr, axes, peaks, seed: rng.int(1, 2 ** 30) });
  }
  return out;
}

interface Tally {
  cases: number;
  /** Single populations listed as more than one peak ≥ 5 %. */
  falsePopulations: number;
  resolved: number;
  missed: number;
  /** Of the missed, those in cases where the truth fits the data better than the listing by < DATA_CAN_TELL σ². */
  missedDataLimited: number;
  spurious: number;
}

const LISTINGS = ['map', 'no merge', 'listed'] as const;
type Listing = (typeof LISTINGS)[number];

const started = new Date();
const rng = createRng(seed);
const suite = [...buildCases(1, cases1d, rng), ...buildCases(2, cases2d, rng)];
const tally = new Map<string, Tally>();
const lost: { dims: number; kind: string; snr: number; gain: number; threshold: number }[] = [];
const listMs: Record<number, number[]> = { 1: [], 2: [] };
let done = 0;
for (const c of suite) {
  const sim = simulate({
    axes: c.axes.map((a) => ({
      spec: a.kernel === 'T1-IR' ? { kernel: a.kernel, beta: c.beta } : { kernel: a.kernel },
      x: a.values,
    })) as unknown as Parameters<typeof simulate>[0]['axes'],
    peaks: c.peaks,
    snr: c.snr,
    seed: c.seed,
  });
  const input = {
    axes: c.axes.map((a) => ({ kernel: a.kernel, values: a.values })),
    data: sim.data,
  } as unknown as InvertInput;
  const inv = invert(input, {});
  const lists: Record<Listing, Peak[]> = {
    map: inversionPeaks(input, inv, { components: false }).peaks,
    'no merge': inversionPeaks(input, inv, { components: { mergeSignificance: 0 } }).peaks,
    listed: [],
  };
  const t0 = performance.now();
  lists.listed = inversionPeaks(input, inv, { components: { mergeSignificance } }).peaks;
  listMs[c.dims]!.push(performance.now() - t0);
  const scores = Object.fromEntries(LISTINGS.map((l) => [l, scorePeaks(c.peaks, lists[l])])) as Record<
    Listing,
    ReturnType<typeof scorePeaks>
  >;
  for (const l of LISTINGS) {
    const key = `${c.dims}D ${c.type} ${l}`;
    const t = tally.get(key) ?? {
      cases: 0,
      falsePopulations: 0,
      resolved: 0,
      missed: 0,
      missedDataLimited: 0,
      spurious: 0,
    };
    t.cases++;
    if (c.type === 'single' && lists[l].filter((p) => p.fraction >= 0.05).length > 1) t.falsePopulations++;
    if (c.type === 'pair') {
      if (scores[l].resolved) t.resolved++;
      t.missed += scores[l].missed.length;
      if (scores[l].missed.length > 0 && lists[l].length > 0) {
        const gain = truthChi2Gain(c.peaks, input, inv, lists[l]);
        if (gain !== undefined && gain < DATA_CAN_TELL) t.missedDataLimited += scores[l].missed.length;
      }
      t.spurious += scores[l].spurious.length;
    }
    tally.set(key, t);
  }
  if (c.type === 'pair' && scores['no merge'].resolved && !scores.listed.resolved) {
    // Joined by the merge test: do the data tell the true pair from one population?
    const cp = inversionCompressed(input, inv)!;
    const grids = inv.axes.map((a) => a.values);
    const total = lists.map.reduce((a, p) => a + p.amplitude, 0);
    const fit = { irBeta: estimatedIrBeta(input, inv) };
    const truth = fitComponents(
      cp,
      grids,
      c.peaks.map((p) => ({ position: p.position, widthDecades: p.width, amplitude: p.fraction * total })),
      fit,
    );
    const one = fitComponents(
      cp,
      grids,
      [
        {
          position: c.peaks[0]!.position.map((x, d) => Math.sqrt(x * c.peaks[1]!.position[d]!)),
          widthDecades: c.peaks[0]!.width.map((w, d) => Math.max(w, c.peaks[1]!.width[d]!) * 2),
          amplitude: total,
        },
      ],
      fit,
    );
    lost.push({
      dims: c.dims,
      kind: c.kind,
      snr: c.snr,
      gain: (one.chi2 - truth.chi2) / cp.sigma ** 2,
      threshold: chiSquareQuantile(0.95, c.dims === 2 ? 6 : 3), // the parameters of the second component
    });
  }
  if (++done % 40 === 0) process.stderr.write(`bench:peaks: ${done}/${suite.length} cases\n`);
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)]! : Number.NaN;
};
const lines: string[] = [];
const say = (s: string) => {
  lines.push(s);
  console.log(s);
};
say(
  `bench:peaks ${started.toISOString()} — seed ${seed}, ${cases1d} 1D + ${cases2d} 2D cases, merge significance ${mergeSignificance}, ${cpus()[0]?.model ?? 'cpu'}, node ${process.version}`,
);
say('');
say(
  '| dims | listing  | single populations listed as ≥ 2 peaks | pairs resolved | missed ≥ 10 % (data-limited) | spurious ≥ 5 % |',
);
say(
  '| ---- | -------- | -------------------------------------: | -------------: | ---------------------------: | -------------: |',
);
for (const dims of [1, 2]) {
  for (const l of LISTINGS) {
    const s = tally.get(`${dims}D single ${l}`);
    const p = tally.get(`${dims}D pair ${l}`);
    if (!s || !p) continue;
    say(
      `| ${dims}D   | ${l.padEnd(8)} | ${`${s.falsePopulations} / ${s.cases}`.padStart(38)} | ${`${p.resolved} / ${p.cases}`.padStart(14)} | ${`${p.missed} (${p.missedDataLimited})`.padStart(28)} | ${String(p.spurious).padStart(14)} |`,
    );
  }
}
say('');
const limited = lost.filter((x) => x.gain < x.threshold).length;
say(
  `Pairs the merge test joined: ${lost.length} (${limited} data-limited: the true pair fits better than one component by less than the 95 % chance gain)` +
    (lost.length
      ? ` — ${lost.map((x) => `${x.dims}D ${x.kind} SNR ${x.snr.toFixed(0)} Δχ² ${x.gain.toFixed(1)}σ² (< ${x.threshold.toFixed(1)})`).join('; ')}`
      : ''),
);
say(
  `Listing time per case (merge and component tests included), median / max ms: 1D ${median(listMs[1]!).toFixed(1)} / ${Math.max(...listMs[1]!).toFixed(1)}, 2D ${median(listMs[2]!).toFixed(1)} / ${Math.max(...listMs[2]!).toFixed(1)}`,
);
mkdirSync('bench-results', { recursive: true });
writeFileSync(
  'bench-results/peaks.json',
  JSON.stringify(
    { started: started.toISOString(), seed, cases1d, cases2d, tally: Object.fromEntries(tally), lost, lines },
    null,
    2,
  ),
);
