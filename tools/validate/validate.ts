/**
 * Runs the corpus: for each dataset that is present, each case through `lapis invert`, its rows against the
 * reference. Missing sets are skipped with one line saying where to get them; a set Lapis refuses (exit 2) is
 * "not readable yet"; only a crash of Lapis makes the run fail.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { arch, cpus, tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import type { Case, Context, Dataset, SpectrumCase } from './corpus';
import { CORPUS, isPresent, missingLine } from './corpus';
import type { LapisRun } from './lapis';
import { runLapisInvert, runLapisProcess } from './lapis';
import type { Section, Summary } from './table';
import { formatSection, summarise } from './table';

export interface Report {
  date: string;
  machine: { arch: string; cpu: string; cores: number };
  node: string;
  sections: Section[];
  summary: Summary;
}

export interface Options {
  root: string;
  /** Run only the dataset of this name. */
  only?: string;
  datasets?: Dataset[];
  /** Called with each section's printed lines as soon as it is done. */
  onSection?: (lines: string[], section: Section) => void;
}

export async function runValidation(opts: Options): Promise<Report> {
  const all = opts.datasets ?? CORPUS;
  const datasets = opts.only === undefined ? all : all.filter((d) => d.name === opts.only);
  if (datasets.length === 0)
    throw new Error(`no dataset named ${opts.only}; the corpus: ${all.map((d) => d.name).join(', ')}`);
  const tmp = await mkdtemp(join(tmpdir(), 'lapis-validate-'));
  const ctx: Context = { root: opts.root, tmp };
  const show = (p: string) => {
    if (p === tmp || p.startsWith(tmp + sep)) return '$TMP' + p.slice(tmp.length);
    const r = relative(opts.root, p);
    return r && !r.startsWith('..') ? r : p;
  };
  const sections: Section[] = [];
  const emit = (s: Section) => {
    sections.push(s);
    opts.onSection?.(formatSection(s), s);
  };
  try {
    for (const d of datasets) {
      const origin = `${d.url} (${d.version}; ${d.licence})`;
      const whole = { dataset: d.name, case: '', description: d.description, origin };
      if (!(await isPresent(d, opts.root))) {
        emit({ ...whole, status: 'skipped', message: missingLine(d), rows: [] });
        continue;
      }
      let cases;
      try {
        cases = await d.cases(ctx);
      } catch (e) {
        emit({ ...whole, status: 'skipped', message: `could not prepare the set: ${(e as Error).message}`, rows: [] });
        continue;
      }
      for (const c of cases) {
        const head = { ...whole, case: c.label };
        if ('skip' in c) emit({ ...head, status: 'skipped', message: c.skip, rows: [] });
        else emit(await runCase(ctx, c, head, show));
      }
    }
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
  return {
    date: new Date().toISOString(),
    machine: { arch: arch(), cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length },
    node: process.version,
    sections,
    summary: summarise(sections),
  };
}

async function runCase(
  ctx: Context,
  c: Case | SpectrumCase,
  head: Pick<Section, 'dataset' | 'case' | 'description' | 'origin'>,
  show: (p: string) => string,
): Promise<Section> {
  const out = join(ctx.tmp, `result-${head.dataset}-${Math.random().toString(36).slice(2)}.json`);
  if (c.command === 'process') return runSpectrumCase(c, head, out, ctx, show);
  let run: LapisRun | undefined;
  const tried: string[] = [];
  // alternatives in turn (e.g. the experiment folder, then its data file) while Lapis refuses the input
  for (const args of c.args) {
    run = await runLapisInvert(ctx.root, args, out, show);
    tried.push(run.command);
    if (run.kind !== 'unreadable') break;
  }
  const base = { ...head, input: show(c.input), command: tried.join(' || ') };
  if (run!.kind === 'unreadable') return { ...base, status: 'unreadable', message: run!.line, rows: [] };
  if (run!.kind === 'crashed') return { ...base, status: 'crashed', message: run!.message, rows: [] };
  const doc = run!.doc;
  const vendor = doc.vendorResults?.length ? `, ${doc.vendorResults.length} vendorResults` : '';
  const took = doc.elapsedMs === undefined ? '' : `, ${Math.round(doc.elapsedMs)} ms`;
  return {
    ...base,
    status: 'compared',
    referenceSource: c.referenceSource,
    lapisSummary: `${doc.method}, ${doc.peaks.length} peak${doc.peaks.length === 1 ? '' : 's'}${took}${vendor}`,
    rows: c.compare(doc),
  };
}

async function runSpectrumCase(
  c: SpectrumCase,
  head: Pick<Section, 'dataset' | 'case' | 'description' | 'origin'>,
  out: string,
  ctx: Context,
  show: (p: string) => string,
): Promise<Section> {
  const run = await runLapisProcess(ctx.root, c.args[0]!, out, show);
  const base = { ...head, input: show(c.input), command: run.command };
  if (run.kind === 'unreadable') return { ...base, status: 'unreadable', message: run.line, rows: [] };
  if (run.kind === 'crashed') return { ...base, status: 'crashed', message: run.message, rows: [] };
  const took = run.doc.elapsedMs === undefined ? '' : `, ${Math.round(run.doc.elapsedMs)} ms`;
  return {
    ...base,
    status: 'compared',
    referenceSource: c.referenceSource,
    lapisSummary: `lapis process, ${run.doc.peaks.length} peaks${took}`,
    rows: c.compare(run.doc),
  };
}
