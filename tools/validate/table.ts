/**
 * The validation report: one section per dataset case (a table of reference against Lapis), the summary line, and
 * the number formats they use. Pure functions, no I/O, so the layout is unit-tested on its own.
 */

/** PASS/FAIL against the target; '—' where there is no reference to compare with. */
export type Verdict = 'PASS' | 'FAIL' | '—';

/** One comparison inside a row, with the numbers (SI units) for the JSON report. */
export interface Check {
  quantity: string;
  unit: string;
  reference?: number;
  lapis?: number;
  /** lapis − reference in `differenceUnit` (% of the reference, decades, ppm, or percentage points). */
  difference?: number;
  differenceUnit: '%' | 'decades' | 'ppm' | 'points' | 'count';
  target: string;
  pass?: boolean;
}

export interface Row {
  quantity: string;
  reference: string;
  lapis: string;
  difference: string;
  target: string;
  verdict: Verdict;
  /** Why a value is what it is (matching, an edge, no reference), printed under the table. */
  note?: string;
  checks: Check[];
}

export type SectionStatus = 'compared' | 'skipped' | 'unreadable' | 'crashed';

export interface Section {
  dataset: string;
  /** The case within the dataset, e.g. 'with pdata/'; empty when the dataset has one. */
  case: string;
  description: string;
  /** Where the data come from: URL, version or commit, licence. */
  origin?: string;
  status: SectionStatus;
  /** Skipped: where to get it. Unreadable: the CLI's one-line error. Crashed: what went wrong. */
  message?: string;
  input?: string;
  command?: string;
  /** Where the reference numbers come from (file, program, paper). */
  referenceSource?: string;
  /** One line from the document: method, peaks, time. */
  lapisSummary?: string;
  rows: Row[];
}

export interface Summary {
  compared: number;
  within: number;
  outside: number;
  skipped: number;
  crashed: number;
}

export function summarise(sections: Section[]): Summary {
  const s: Summary = { compared: 0, within: 0, outside: 0, skipped: 0, crashed: 0 };
  for (const sec of sections) {
    if (sec.status === 'skipped' || sec.status === 'unreadable') s.skipped++;
    if (sec.status === 'crashed') s.crashed++;
    for (const r of sec.rows) {
      if (r.verdict === 'PASS') s.within++;
      if (r.verdict === 'FAIL') s.outside++;
    }
  }
  s.compared = s.within + s.outside;
  return s;
}

export function summaryLine(s: Summary): string {
  const line = `${s.compared} compared, ${s.within} within target, ${s.outside} outside, ${s.skipped} skipped`;
  return s.crashed > 0 ? `${line}, ${s.crashed} crashed` : line;
}

/** A row's verdict from its checks: PASS when every check with a target passes, '—' when none has one. */
export function verdictOf(checks: Check[]): Verdict {
  const judged = checks.filter((c) => c.pass !== undefined);
  if (judged.length === 0) return '—';
  return judged.every((c) => c.pass) ? 'PASS' : 'FAIL';
}

const HEAD = ['quantity', 'reference', 'Lapis', 'difference', 'target', ''] as const;

/** Plain-text table of one section, with its header lines and notes; two-space indent. */
export function formatSection(sec: Section): string[] {
  const title = sec.case ? `${sec.dataset} — ${sec.case}` : sec.dataset;
  const out = [`== ${title}: ${sec.description}`];
  if (sec.origin) out.push(`   source:    ${sec.origin}`);
  if (sec.status === 'skipped') return [...out, `   skipped: ${sec.message ?? ''}`];
  if (sec.input) out.push(`   input:     ${sec.input}`);
  if (sec.command) out.push(`   command:   ${sec.command}`);
  if (sec.status === 'unreadable') return [...out, `   not readable yet: ${sec.message ?? ''}`];
  if (sec.status === 'crashed') return [...out, `   LAPIS CRASHED: ${sec.message ?? ''}`];
  if (sec.referenceSource) out.push(`   reference: ${sec.referenceSource}`);
  if (sec.lapisSummary) out.push(`   lapis:     ${sec.lapisSummary}`);
  if (sec.rows.length === 0) return [...out, '   (no rows)'];
  const cells = sec.rows.map((r) => [r.quantity, r.reference, r.lapis, r.difference, r.target, r.verdict]);
  const widths = HEAD.map((h, i) => Math.max(h.length, ...cells.map((c) => [...c[i]!].length)));
  const line = (c: readonly string[]) =>
    '   ' +
    c
      .map((v, i) => v + ' '.repeat(widths[i]! - [...v].length))
      .join('  ')
      .trimEnd();
  out.push(line(HEAD), '   ' + widths.map((w) => '-'.repeat(w)).join('  '));
  for (const c of cells) out.push(line(c));
  const notes = sec.rows.filter((r) => r.note);
  for (const r of notes) out.push(`   * ${r.quantity}: ${r.note}`);
  return out;
}

export function formatReport(sections: Section[]): string {
  const parts = sections.map((s) => formatSection(s).join('\n'));
  return [...parts, '', summaryLine(summarise(sections))].join('\n\n').replace(/\n\n\n\n/, '\n\n');
}

// ---- number formats ----

/** 3 significant digits, trailing zeros kept (1.40, 112, 0.857). */
export function sig3(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  const digits = Math.max(0, 2 - Math.floor(Math.log10(a)));
  return v.toFixed(Math.min(digits, 6));
}

/** A time in seconds in readable units: 1.40 s, 112 ms, 757 µs. */
export function formatTime(s: number): string {
  const a = Math.abs(s);
  if (a >= 1) return `${sig3(s)} s`;
  if (a >= 1e-3) return `${sig3(s * 1e3)} ms`;
  return `${sig3(s * 1e6)} µs`;
}

/** A diffusion coefficient in m²/s: 2.30e-9 m²/s. */
export function formatDiffusion(d: number): string {
  return `${d.toExponential(2)} m²/s`;
}

/** A value of axis `name` (T1, T2, D, shift) in SI units. */
export function formatAxisValue(name: string, v: number): string {
  if (name === 'D') return formatDiffusion(v);
  if (name === 'shift') return `${v.toFixed(3)} ppm`;
  return formatTime(v);
}

/** '+1.2', '-0.4'; a value that rounds to zero has no sign ('0.000'). */
export function signed(v: number, digits: number): string {
  const s = v.toFixed(digits);
  if (Number(s) === 0) return (0).toFixed(digits);
  return s.startsWith('-') ? s : `+${s}`;
}

/** (lapis − reference)/reference in %, e.g. '+0.9 %'. */
export function formatPercent(p: number): string {
  return `${signed(p, Math.abs(p) < 10 ? 1 : 0)} %`;
}
