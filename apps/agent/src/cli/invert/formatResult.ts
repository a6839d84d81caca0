/**
 * The human-readable summary `lapis invert` prints when no --out is given: the peak table with units chosen for
 * reading (ms / µs / s for times, scientific m²/s for D), the method and why, α, the fit and the time taken.
 */
import { resultAxisKeys } from '@lapis/contracts';
import type { ResultDoc } from '@lapis/contracts';

/** 3 significant digits without exponent noise: 112, 19.5, 1.23. */
function sig3(v: number): string {
  if (v === 0) return '0';
  const digits = Math.max(0, 2 - Math.floor(Math.log10(Math.abs(v))));
  return v.toFixed(Math.min(digits, 20));
}

/** A time in the unit that keeps it between 1 and 1000 (s, ms, µs). */
export function formatTime(seconds: number): string {
  const a = Math.abs(seconds);
  if (a >= 1 || a === 0) return `${sig3(seconds)} s`;
  if (a >= 1e-3) return `${sig3(seconds * 1e3)} ms`;
  return `${sig3(seconds * 1e6)} µs`;
}

/** A value of a result axis, with its unit. */
export function formatAxisValue(name: string, value: number): string {
  if (name.startsWith('D')) return `${value.toExponential(2)} m²/s`;
  if (name.startsWith('shift')) return `${value.toFixed(2)} ppm`;
  return formatTime(value);
}

/** A relative spread: '2.3 %', '0.4 %', '<0.1 %'. */
function formatPercent(ratio: number): string {
  const pct = ratio * 100;
  if (pct < 0.1) return '<0.1 %';
  return `${pct < 10 ? pct.toFixed(1) : pct.toFixed(0)} %`;
}

function formatNumber(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  return a >= 1e-3 && a < 1e4 ? sig3(v) : v.toExponential(2);
}

interface RegionLine {
  from: number;
  to: number;
  method?: string;
  relativeResidual?: number;
}

/** The per-region fit of a pseudo-2D document (`regions`), highest ppm first as spectra are read; [] otherwise. */
function pseudo2dRegions(doc: ResultDoc): RegionLine[] {
  const regions = (doc as { regions?: unknown }).regions;
  if (!Array.isArray(regions)) return [];
  return (regions as RegionLine[]).filter((r) => typeof r.from === 'number' && typeof r.to === 'number').reverse();
}

/**
 * The summary as lines of text (ends with a newline). `label` names what was inverted; `computedWith`, when given,
 * which numeric code ran (shown after the time).
 */
export function formatResult(doc: ResultDoc, label: string, computedWith?: string): string {
  const out: string[] = [];
  const shape = doc.axes.map((a) => a.name).join('–');
  const grid =
    doc.axes.length === 1 ? `${doc.axes[0]!.values.length}-point` : doc.axes.map((a) => a.values.length).join('×');
  const what = [doc.experiment, doc.provenance?.source?.format].filter(Boolean).join(', ');
  out.push(`${label}${what ? ` (${what})` : ''}: ${shape} distribution on a ${grid} grid`);
  out.push('');
  // position cells in axis order (the schema's parse lists known keys in its own order)
  const keys = resultAxisKeys(doc.axes.map((a) => a.name));
  const order = (key: string) => (keys.includes(key) ? keys.indexOf(key) : keys.length);
  if (doc.peaks.length === 0) {
    out.push('  no peaks found');
  } else {
    const rows = doc.peaks.map((peak, i) => {
      const u = peak.uncertainty;
      const cells = Object.entries(peak.position)
        .filter((e): e is [string, number] => typeof e[1] === 'number')
        .sort(([a], [b]) => order(a) - order(b))
        // a chemical shift reads as itself ("3.35 ppm"); relaxation and diffusion axes carry their name
        .map(([key, v]) => {
          const value =
            key === 'shift' ? formatAxisValue(key, v) : `${key.replace(/_2$/, '′')} ${formatAxisValue(key, v)}`;
          const sd = u?.positionUncertaintyDecades?.[key];
          // the position's combined uncertainty (spread and bias) as a relative range: 0.01 decade ≈ ±2.3 %
          return typeof sd === 'number' ? `${value} ±${formatPercent(10 ** sd - 1)}` : value;
        });
      if (typeof peak.t1t2Ratio === 'number') cells.push(`T1/T2 ${sig3(peak.t1t2Ratio)}`);
      const fsd = u?.fractionSd;
      cells.push(
        `fraction ${peak.fraction.toFixed(2)}${typeof fsd === 'number' ? ` ±${fsd < 5e-4 ? '<0.001' : fsd.toFixed(fsd < 0.01 ? 3 : 2)}` : ''}`,
      );
      if (u && u.detected < 0.9)
        cells.push(`(found in ${Math.round(u.detected * 100)} % of ${u.replicates} noise draws)`);
      if (peak.atEdge === true) cells.push('(at the grid edge)');
      // listed peaks show ≥ 5σ in the data; a borderline one says so (its fraction rests on little signal)
      if (typeof peak.dataSnr === 'number' && peak.dataSnr < 20)
        cells.push(`(weak in the data: ${peak.dataSnr.toFixed(1)}σ)`);
      if (typeof peak.split?.deltaChi2 === 'number')
        cells.push(`(one of two populations merged in the map; Δχ² ${peak.split.deltaChi2.toFixed(0)}σ²)`);
      if (typeof peak.merged?.peaks === 'number')
        cells.push(
          `(${peak.merged.peaks} peaks of the map, one population in the data; Δχ² ${peak.merged.deltaChi2.toFixed(1)}σ²)`,
        );
      if (typeof peak.joined?.peaks === 'number')
        cells.push(`(${peak.joined.peaks} peaks of the map, one in the noise draws)`);
      return { n: `${i + 1}`, cells };
    });
    // Align columns: pad each cell to the widest in its column.
    const widths: number[] = [];
    for (const r of rows) r.cells.forEach((c, j) => (widths[j] = Math.max(widths[j] ?? 0, c.length)));
    for (const r of rows)
      out.push(
        `  ${r.n.padStart(2)}  ${r.cells
          .map((c, j) => c.padEnd(widths[j]!))
          .join('   ')
          .trimEnd()}`,
      );
  }
  const unconfirmed = doc.unconfirmedPeaks ?? [];
  if (unconfirmed.length > 0) {
    out.push('');
    out.push('not listed: peaks of the map the noise draws do not reproduce');
    for (const p of unconfirmed) {
      const at = Object.entries(p.position)
        .filter((e): e is [string, number] => typeof e[1] === 'number')
        .sort(([a], [b]) => order(a) - order(b))
        .map(([key, v]) => (key === 'shift' ? formatAxisValue(key, v) : `${key} ${formatAxisValue(key, v)}`));
      const found = p.uncertainty
        ? ` — found in ${Math.round(p.uncertainty.detected * 100)} % of ${p.uncertainty.replicates} draws`
        : '';
      out.push(`   ·  ${at.join('   ')}   fraction ${p.fraction.toFixed(2)}${found}`);
    }
  }
  const vendor = doc.vendorResults ?? [];
  if (vendor.length > 0) {
    out.push('');
    out.push("vendor    the instrument software's own results beside Lapis'");
    for (const v of vendor) {
      const show = (x: number) => (v.unit === 'm2/s' ? `${x.toExponential(3)} m²/s` : formatTime(x));
      const where = v.shift === undefined ? '' : `${v.shift.toFixed(3)} ppm  `;
      const lapis =
        typeof v.lapis === 'number'
          ? `Lapis ${show(v.lapis)} (${v.relativeDifference! >= 0 ? '+' : ''}${(100 * v.relativeDifference!).toFixed(1)} %)`
          : `Lapis — (${v.note ?? 'no value'})`;
      out.push(`  ${where}${v.quantity}: ${v.software} ${show(v.value)}, ${lapis}`);
    }
  }
  const regions = pseudo2dRegions(doc);
  if (regions.length > 0) {
    out.push('');
    out.push('regions (ppm)      method   residual');
    for (const r of regions) {
      const span = `${r.from.toFixed(2)}–${r.to.toFixed(2)}`;
      const residual = r.relativeResidual !== undefined ? `${(r.relativeResidual * 100).toPrecision(3)} %` : '';
      out.push(`  ${span.padEnd(17)}${(r.method ?? '').padEnd(9)}${residual}`);
    }
  }
  out.push('');
  out.push(`method    ${doc.method}${doc.methodReason ? ` — ${doc.methodReason}` : ''}`);
  if (doc.alpha !== undefined) {
    const extra = [doc.alphaRule, doc.iterations !== undefined ? `${doc.iterations} iterations` : undefined].filter(
      Boolean,
    );
    out.push(`alpha     ${formatNumber(doc.alpha)}${extra.length ? ` (${extra.join(', ')})` : ''}`);
  }
  const fit = doc.fit;
  const fitParts = [`${(fit.relativeResidual * 100).toPrecision(3)} % of the data`];
  if (fit.rmsResidual !== undefined) fitParts.push(`rms ${formatNumber(fit.rmsResidual)}`);
  if (doc.sigma !== undefined) fitParts.push(`σ ${formatNumber(doc.sigma)}`);
  if (fit.chi2 !== undefined) fitParts.push(`χ² ${fit.chi2.toFixed(2)}`);
  if (fit.residualWhiteness) fitParts.push(fit.residualWhiteness.white ? 'white' : 'NOT white');
  out.push(`residual  ${fitParts.join(', ')}`);
  if (doc.beta !== undefined) {
    const how =
      doc.betaEstimated === true ? ', estimated from the data' : doc.betaEstimated === false ? ', as given' : '';
    out.push(`beta      ${doc.beta.toFixed(3)} (inversion efficiency${how})`);
  }
  const ms = doc.elapsedMs < 10 ? doc.elapsedMs.toFixed(1) : Math.round(doc.elapsedMs);
  out.push(`time      ${ms} ms${computedWith ? ` (${computedWith})` : ''}`);
  const warnings = doc.warnings ?? [];
  if (warnings.length > 0) {
    out.push('');
    out.push('warnings');
    for (const w of warnings) out.push(`  - ${w}`);
  }
  return out.join('\n') + '\n';
}
