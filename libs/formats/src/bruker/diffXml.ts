/**
 * TopSpin's diffusion settings file `diff.xml`. Its schema is not published; this reader takes the elements
 * whose names say what they hold, case-insensitively — little delta (`littleDelta`, `delta`, `d`) and big delta
 * (`bigDelta`, `Delta`, `DELTA`) in ms unless a `unit` attribute says s, and gradient values (`gradient`, `grad`,
 * `g` elements, or a whitespace list in `gradients`) in G/cm. Anything it cannot place is reported as a warning and
 * the pulse-program parameters are used instead. Treat it as best effort until checked against a real file.
 */
import type { BrukerLists } from './buildAxis';

export function parseDiffXml(text: string, file: string, warnings: string[]): BrukerLists['diffXml'] | undefined {
  const out: NonNullable<BrukerLists['diffXml']> = {};
  const element = (names: string[]): { value: string; unit?: string } | undefined => {
    for (const name of names) {
      const re = new RegExp(`<${name}(\\s[^>]*)?>([^<]*)</${name}>`);
      const m = re.exec(text);
      if (m) {
        const unit = /unit\s*=\s*"([^"]*)"/.exec(m[1] ?? '')?.[1];
        return unit === undefined ? { value: m[2]!.trim() } : { value: m[2]!.trim(), unit };
      }
    }
    return undefined;
  };
  const time = (e: { value: string; unit?: string } | undefined): number | undefined => {
    if (!e) return undefined;
    const v = Number(e.value);
    if (!Number.isFinite(v) || v <= 0) return undefined;
    return e.unit === 's' ? v : v * 1e-3;
  };
  const delta = time(element(['littleDelta', 'LittleDelta', 'littledelta', 'delta']));
  const bigDelta = time(element(['bigDelta', 'BigDelta', 'bigdelta', 'Delta', 'DELTA']));
  if (delta !== undefined) out.delta = delta;
  if (bigDelta !== undefined) out.bigDelta = bigDelta;
  const list = element(['gradients', 'Gradients', 'gradientList']);
  let grads: number[] = [];
  if (list)
    grads = list.value
      .split(/[\s,;]+/)
      .filter((t) => t !== '')
      .map(Number);
  else
    for (const m of text.matchAll(/<(?:gradient|grad|g)(?:\s[^>]*)?>([^<]*)<\/(?:gradient|grad|g)>/g))
      grads.push(Number(m[1]));
  if (grads.length > 0 && grads.every((g) => Number.isFinite(g)))
    out.gradients = Float64Array.from(grads, (g) => g * 0.01);
  if (out.delta === undefined && out.bigDelta === undefined && out.gradients === undefined) {
    warnings.push(`${file}: no diffusion settings recognised; pulse-program parameters used`);
    return undefined;
  }
  return out;
}
