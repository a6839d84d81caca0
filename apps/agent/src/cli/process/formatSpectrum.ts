/**
 * The table `lapis process` prints without --json: what was measured and how it was processed, then the peaks
 * (highest shift first), and the agreement with the vendor's own peak list when there is one.
 */
import type { SpectrumDocument } from '@lapis/contracts';

/** 4 significant digits without exponent between 0.01 and 10⁵ (1234, 12.34), else 1.23e+6. */
function compact(v: number): string {
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e5 || a < 1e-2)) return v.toExponential(2);
  return a >= 1e3 ? v.toFixed(0) : v.toPrecision(4);
}

/** Peaks shown in the table; the document holds all of them. */
const TABLE_ROWS = 60;

export function formatSpectrum(doc: SpectrumDocument, path: string): string {
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
      `LB ${p.lineBroadeningHz} Hz, phase ${p.phase0Deg.toFixed(1)}° / ${p.phase1Deg.toFixed(1)}°, ` +
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
