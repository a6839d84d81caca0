/**
 * The table `lapis process` prints without --json: what was measured and how it was processed, then the peaks
 * (highest shift first; 2D: highest F2 shift first, with its F1 shift), and the agreement with the vendor's own peak
 * list when there is one.
 */
import type { SpectrumDocument, SpectrumDocument2d } from '@lapis/contracts';

/** 4 significant digits without exponent between 0.01 and 10⁵ (1234, 12.34), else 1.23e+6. */
function compact(v: number): string {
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e5 || a < 1e-2)) return v.toExponential(2);
  return a >= 1e3 ? v.toFixed(0) : v.toPrecision(4);
}

/** Peaks shown in the table; the document holds all of them. */
const TABLE_ROWS = 60;

export function formatSpectrum(doc: SpectrumDocument, path: string): string {
  if (doc.dimensions === 2) return formatSpectrum2d(doc, path);
  const axis = doc.axes[0]!;
  const p = doc.processing;
  const lines: string[] = [];
  const what = [
    axis.nucleus,
    doc.solvent ? `in ${doc.solvent}` : undefined,
    doc.sample ? `— ${doc.sample}` : undefined,
  ];
  lines.push(`${path}: ${what.filter(Boolean).join(' ')}`.trimEnd());
  lines.push(
    `  ${axis.frequencyMHz.toFixed(2)} MHz, ${axis.first.toFixed(2)} … ${axis.last.toFixed(2)} ppm, ${axis.size} points; ` +
      `LB ${p.lineBroadeningHz} Hz, phase ${p.phase0Deg.toFixed(1)}° / ${p.phase1Deg.toFixed(1)}°` +
      `${p.phaseSource && p.phaseSource !== 'automatic' ? ` (${p.phaseSource})` : ''}, ` +
      `group delay ${p.groupDelayPoints.toFixed(2)} points (${p.groupDelaySource}), ${p.reference}`,
  );
  lines.push(`  noise σ ${compact(doc.noise)}; ${doc.peaks.length} peaks at S/N ≥ ${p.picker.minSnr}`);
  lines.push('');
  lines.push('   shift (ppm)      height   width (Hz)    integral      S/N');
  for (const peak of doc.peaks.slice(0, TABLE_ROWS)) {
    lines.push(
      `  ${(peak.shift ?? NaN).toFixed(4).padStart(12)} ${compact(peak.height).padStart(11)} ${peak.widthHz
        .toFixed(2)
        .padStart(12)} ${compact(peak.integral).padStart(11)} ${peak.snr.toFixed(0).padStart(8)}`,
    );
  }
  if (doc.peaks.length > TABLE_ROWS) lines.push(`  … ${doc.peaks.length - TABLE_ROWS} more (all in --json / --out)`);
  if (doc.vendor) {
    const v = doc.vendor;
    lines.push('');
    lines.push(
      `  ${v.source}: ${v.matched} of ${v.peaks} peaks found within ${v.tolerancePpm} ppm (${((100 * v.matched) / Math.max(v.peaks, 1)).toFixed(1)} %)`,
    );
  }
  for (const w of doc.warnings) lines.push(`  warning: ${w}`);
  lines.push(`  ${Math.round(doc.elapsedMs)} ms`);
  return lines.join('\n') + '\n';
}

const deg = (x: number | undefined) => (x === undefined ? '' : `${x.toFixed(1)}°`);

function formatSpectrum2d(doc: SpectrumDocument2d, path: string): string {
  const [f1, f2] = [doc.axes[0]!, doc.axes[1]!];
  const p = doc.processing;
  const lines: string[] = [];
  const what = [
    `${f1.nucleus ?? '?'} × ${f2.nucleus ?? '?'} 2D`,
    doc.source.pulseProgram ? `(${doc.source.pulseProgram})` : undefined,
    doc.solvent ? `in ${doc.solvent}` : undefined,
    doc.sample ? `— ${doc.sample}` : undefined,
  ];
  lines.push(`${path}: ${what.filter(Boolean).join(' ')}`.trimEnd());
  const axisLine = (name: string, a: typeof f1) =>
    `${name} ${a.frequencyMHz.toFixed(2)} MHz, ${a.first.toFixed(2)} … ${a.last.toFixed(2)} ppm, ${a.size} points`;
  lines.push(`  ${axisLine('F1', f1)}; ${axisLine('F2', f2)}`);
  const phase = (d: { phase0Deg?: number | undefined; phase1Deg?: number | undefined }) =>
    d.phase0Deg === undefined ? '' : `, phase ${deg(d.phase0Deg)} / ${deg(d.phase1Deg)}`;
  const lp = p.f1.linearPrediction ? `, LP ${p.f1.linearPrediction.from} → ${p.f1.linearPrediction.to} points` : '';
  lines.push(
    `  ${p.mode} (${p.magnitude ? 'magnitude' : 'phase-sensitive'}); F2 ${p.f2.window}${phase(p.f2)}; ` +
      `F1 ${p.f1.window}${phase(p.f1)}${lp}; group delay ${p.groupDelayPoints.toFixed(2)} points (${p.groupDelaySource})`,
  );
  const nus = p.nus as { method?: string; sampling?: number; residualToNoise?: number } | undefined;
  if (nus?.sampling !== undefined)
    lines.push(
      `  non-uniformly sampled (${(100 * nus.sampling).toFixed(0)} % of t1), reconstructed by ${nus.method ?? 'IST'}; ` +
        `residual at the sampled points ${nus.residualToNoise?.toFixed(2) ?? '?'} × the noise`,
    );
  lines.push(`  noise σ ${compact(doc.noise)}; ${doc.peaks.length} peaks at S/N ≥ ${p.picker.minSnr}`);
  lines.push('');
  lines.push('    F1 (ppm)    F2 (ppm)      height  F1 width (Hz)  F2 width (Hz)      volume      S/N');
  // the strongest peaks, in F2 order (a COSY has a thousand)
  const shown = [...doc.peaks]
    .sort((a, b) => b.snr - a.snr)
    .slice(0, TABLE_ROWS)
    .sort((a, b) => b.shift2 - a.shift2 || b.shift1 - a.shift1);
  for (const peak of shown) {
    lines.push(
      `  ${peak.shift1.toFixed(3).padStart(10)} ${peak.shift2.toFixed(4).padStart(11)} ${compact(peak.height).padStart(11)}` +
        ` ${peak.widthHz1.toFixed(1).padStart(14)} ${peak.widthHz.toFixed(1).padStart(14)}` +
        ` ${compact(peak.integral).padStart(11)} ${peak.snr.toFixed(0).padStart(8)}`,
    );
  }
  if (doc.peaks.length > TABLE_ROWS)
    lines.push(`  … ${doc.peaks.length - TABLE_ROWS} weaker peaks more (all in --json / --out)`);
  if (doc.vendor) {
    const v = doc.vendor;
    lines.push('');
    lines.push(
      `  ${v.source}: ${v.matched} of ${v.peaks} peaks found within ${v.tolerancePpm.toFixed(3)} ppm (F2)` +
        ` and ${(v.tolerancePpm1 ?? 0).toFixed(3)} ppm (F1)`,
    );
  }
  for (const w of doc.warnings) lines.push(`  warning: ${w}`);
  lines.push(`  ${Math.round(doc.elapsedMs)} ms`);
  return lines.join('\n') + '\n';
}
