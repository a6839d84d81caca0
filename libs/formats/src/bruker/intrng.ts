/**
 * TopSpin integral regions, `pdata/<procno>/intrng`: the regions the user (or `abs`) chose to integrate. Layout, as
 * TopSpin 3.x writes it (bruker-data-test, cyclosporin/inversionRecovery2D) and as public AU programs write it:
 *
 *     A 1.0 #regions in PPM
 *     # low field   high field  bias        slope
 *       4.388130368416292  4.295423388801863  -0.0  -0.0  # for region 1
 *
 * one region per line, low-field (higher ppm) edge first; bias and slope describe the integral's baseline tilt and
 * do not move the edges. Older files start `P 0` and hold the two edges only. A header naming a unit other than ppm
 * is refused rather than guessed.
 */
import { FormatError } from '../acquisition';

export interface IntegralRegion {
  /** High-ppm edge. */
  from: number;
  /** Low-ppm edge (< from). */
  to: number;
}

/** Parses an intrng file; throws FormatError when nothing in it is a region list, warns about lines it skips. */
export function parseIntrng(text: string, file: string, warnings: string[]): IntegralRegion[] {
  const lines = text.split(/\r?\n/);
  const regions: IntegralRegion[] = [];
  let headerSeen = false;
  for (let k = 0; k < lines.length; k++) {
    const raw = lines[k]!;
    const line = raw.replace(/#.*$/, '').trim();
    if (!headerSeen && /^[A-Za-z]/.test(raw.trim())) {
      headerSeen = true;
      const comment = /#(.*)$/.exec(raw)?.[1] ?? '';
      if (/\bhz\b|\bpoints?\b/i.test(comment) && !/ppm/i.test(comment))
        throw new FormatError(file, `regions given in '${comment.trim()}', only ppm is understood`);
      continue;
    }
    if (line === '') continue;
    const fields = line.split(/\s+/).map(Number);
    const [a, b] = fields;
    if (fields.length < 2 || !Number.isFinite(a) || !Number.isFinite(b)) {
      warnings.push(`${file}: line ${k + 1} is not a region ('${raw.trim().slice(0, 40)}'), skipped`);
      continue;
    }
    if (a === b) {
      warnings.push(`${file}: line ${k + 1}: empty region at ${a} ppm, skipped`);
      continue;
    }
    regions.push({ from: Math.max(a!, b!), to: Math.min(a!, b!) });
  }
  if (!headerSeen && regions.length === 0) throw new FormatError(file, 'no integral region found');
  return regions;
}

/** Writes regions in TopSpin's current layout (for synthetic test data). */
export function formatIntrng(regions: readonly IntegralRegion[]): string {
  const rows = regions.map((r, i) => `  ${r.from}  ${r.to}  -0.0  -0.0  # for region ${i + 1}`);
  return ['A 1.0 #regions in PPM', '# low field   high field  bias        slope', ...rows, ''].join('\n');
}
