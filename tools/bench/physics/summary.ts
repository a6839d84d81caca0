/** bench:physics' tables: per group and method, β, the uncertainty's coverage, and the speed against the references. */
import { LAPIS_SPEED_METHODS } from './options';
import type { Row } from './row';
import { median, quantile } from './timing';

export function printSummaries(rows: Row[]): void {
  const groups: [string, (r: Row) => boolean][] = [
    ['2D', (r) => r.kind.includes('-')],
    ['1D', (r) => !r.kind.includes('-')],
  ];
  const fmt = (v: number, d = 3) => (Number.isFinite(v) ? v.toFixed(d) : '—');
  for (const [label, inGroup] of groups) {
    console.log(`\n${label} cases`);
    console.log(
      'method   | cases | med worst pos, dec (SNR≥100) | map: same, spurious | med frac err (SNR≥100) | missed ≥10% (data-limited) | spurious ≥5% | 0.5-dec pairs resolved (SNR≥300) | median ms | p90 ms | median cpu ms',
    );
    const names = [...new Set(rows.filter(inGroup).map((r) => r.method))];
    for (const m of names) {
      const rs = rows.filter((r) => inGroup(r) && r.method === m);
      const hi = rs.filter((r) => r.snr >= 100);
      const pairs = rs.filter((r) => r.separation === 0.5 && r.snr >= 300);
      const cells = [
        m.padEnd(8),
        String(rs.length).padStart(5),
        fmt(median(hi.map((r) => r.worstPosition))).padStart(28),
        `${fmt(median(hi.map((r) => r.mapWorstPosition)))}, ${rs.reduce((a, r) => a + r.mapSpurious, 0)}`.padStart(19),
        fmt(median(hi.map((r) => r.worstFraction))).padStart(22),
        `${rs.reduce((a, r) => a + r.missed, 0)} (${rs.reduce((a, r) => a + r.missedDataLimited, 0)})`.padStart(26),
        `${rs.reduce((a, r) => a + r.spurious, 0)}`.padStart(12),
        `${pairs.filter((r) => r.resolved).length}/${pairs.length}`.padStart(33),
        fmt(median(rs.map((r) => r.ms)), 1).padStart(9),
        fmt(
          quantile(
            rs.map((r) => r.ms),
            0.9,
          ),
          1,
        ).padStart(6),
        fmt(median(rs.map((r) => r.cpuMs)), 1).padStart(13),
      ];
      console.log(cells.join(' | '));
    }
    // β is estimated before any solver runs, the same for every method: reported once, from the first method's rows.
    for (const m of names.slice(0, 1)) {
      const errs = rows
        .filter((r) => inGroup(r) && r.method === m && r.betaError !== undefined)
        .map((r) => r.betaError!);
      if (!errs.length) continue;
      const hiErrs = rows
        .filter((r) => inGroup(r) && r.method === m && r.betaError !== undefined && r.snr >= 300)
        .map((r) => r.betaError!);
      console.log(
        `beta (every method): |β̂ − β| over ${errs.length} inversion-recovery cases (β 0.8–1, estimated): median ${fmt(median(errs))}, ` +
          `p90 ${fmt(quantile(errs, 0.9))}, max ${fmt(Math.max(...errs))}, within 0.01 ${errs.filter((e) => e <= 0.01).length}; ` +
          `SNR ≥ 300: median ${fmt(median(hiErrs))}, max ${fmt(Math.max(...hiErrs))}`,
      );
    }
    for (const m of names) {
      const rs = rows.filter((r) => inGroup(r) && r.method === m && r.sdChecked !== undefined);
      if (!rs.length) continue;
      const sum = (xs: Row[], k: 'within1Sd' | 'within2Sd' | 'within2SdOnly' | 'sdChecked') =>
        xs.reduce((a, r) => a + (r[k] ?? 0), 0);
      const ok = rs.filter((r) => r.resolved);
      const pct = (a: number, b: number) => (b ? `${((100 * a) / b).toFixed(0)} %` : '—');
      console.log(
        `uncertainty ${m}: 16 draws in ${fmt(median(rs.map((r) => r.uncertaintyMs ?? NaN)), 1)} ms median; true position within 1 / 2 × the uncertainty ` +
          `(2 × spread alone): ${pct(sum(rs, 'within1Sd'), sum(rs, 'sdChecked'))} / ${pct(sum(rs, 'within2Sd'), sum(rs, 'sdChecked'))} ` +
          `(${pct(sum(rs, 'within2SdOnly'), sum(rs, 'sdChecked'))}) of ${sum(rs, 'sdChecked')} peak axes; cases with every peak resolved: ` +
          `${pct(sum(ok, 'within1Sd'), sum(ok, 'sdChecked'))} / ${pct(sum(ok, 'within2Sd'), sum(ok, 'sdChecked'))} (${pct(sum(ok, 'within2SdOnly'), sum(ok, 'sdChecked'))}) of ${sum(ok, 'sdChecked')}`,
      );
    }
  }
  // Speed ratios against the references, on the cases both ran (wall and CPU time, per case, then the median), for
  // the default (Tikhonov) and for UPEN — like for like, FLINT is a Tikhonov solver and MUPen2D a UPEN one.
  for (const tool of ['flint', 'flint-matched', 'mupen2d']) {
    const refRows = rows.filter((r) => r.method === tool);
    if (refRows.length === 0) continue;
    const against = LAPIS_SPEED_METHODS.filter((m) => rows.some((x) => x.method === m)).map((m) => {
      const lapisOf = (r: Row) => rows.find((x) => x.caseId === r.caseId && x.method === m);
      const ratios = refRows.map((r) => r.ms / (lapisOf(r)?.ms ?? NaN));
      const cpuRatios = refRows.map((r) => r.cpuMs / (lapisOf(r)?.cpuMs ?? NaN));
      return (
        `Lapis ${m}${m === 'auto' ? ' (default)' : ''} is ${fmt(median(ratios), 0)}× faster in wall time ` +
        `(per-case min ${fmt(Math.min(...ratios), 0)}×), ${fmt(median(cpuRatios), 0)}× in CPU time (min ${fmt(Math.min(...cpuRatios), 0)}×)`
      );
    });
    console.log(
      `\n${tool}: ${refRows.length} cases, median ${fmt(median(refRows.map((r) => r.ms)), 0)} ms wall, ` +
        `${fmt(median(refRows.map((r) => r.cpuMs)), 0)} ms cpu; ${against.join('; ')}`,
    );
  }
}
