/**
 * TopSpin's peak list, pdata/<procno>/peaklist.xml (TopSpin 3 and later): one `<Peak1D F1="ppm" intensity="…"/>` per
 * picked line of a 1D spectrum, `<Peak2D F1="ppm" F2="ppm" …/>` in 2D. The vendor's own answer for a picked
 * spectrum; Lapis compares its peaks with it. Attributes are read by name, in any order; an entry without a
 * finite shift is skipped with a warning.
 */
export interface VendorPeak {
  /** ppm (1D: F1; 2D: F2, the direct dimension). */
  shift: number;
  /** 2D only: the indirect dimension's ppm (F1). */
  shift1?: number;
  /** As TopSpin wrote it (its own scale). */
  intensity?: number;
  /** TopSpin's annotation, e.g. the solvent. */
  annotation?: string;
}

function attributes(tag: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of tag.matchAll(/([A-Za-z_][\w.-]*)\s*=\s*"([^"]*)"/g)) out.set(m[1]!, m[2]!);
  return out;
}

export function parsePeakList(text: string, file: string, warnings: string[]): VendorPeak[] {
  const peaks: VendorPeak[] = [];
  let skipped = 0;
  for (const m of text.matchAll(/<Peak([12])D\b([^>]*)\/?>/g)) {
    const a = attributes(m[2]!);
    const twoD = m[1] === '2';
    const f1 = Number(a.get('F1'));
    const f2 = Number(a.get('F2'));
    const shift = twoD ? f2 : f1;
    if (!Number.isFinite(shift) || (twoD && !Number.isFinite(f1))) {
      skipped++;
      continue;
    }
    const peak: VendorPeak = { shift };
    if (twoD) peak.shift1 = f1;
    const intensity = Number(a.get('intensity'));
    if (a.has('intensity') && Number.isFinite(intensity)) peak.intensity = intensity;
    const annotation = a.get('annotation');
    if (annotation) peak.annotation = annotation;
    peaks.push(peak);
  }
  if (skipped > 0) warnings.push(`${file}: ${skipped} peak entries without a numeric shift skipped`);
  return peaks;
}
