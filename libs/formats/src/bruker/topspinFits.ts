/**
 * TopSpin's own relaxation/diffusion fits, written by its T1/T2 module into `pdata/<procno>/`:
 *
 * - `ct1t2.txt`, one block per peak (TopSpin 3.x, bruker-data-test cyclosporin/inversionRecovery2D):
 *
 *       10 points for Peak 1,  Peak Point at 4.338 ppm
 *       Results     Comp. 1
 *       I[0]  =    1.014e+00
 *       P     =   -2.019e+00
 *       T1    =       1.397s
 *       SD    =    2.337e-02
 *       …the fitted points: tau, ppm, integral, intensity…
 *
 * - `dt1t2.txt`, the summary: `Peak 1 at 4.338 ppm` followed by `T1    =       1.397s`.
 *
 * Values carry an SI prefix glued to the number (`857.107m` is 0.857 s); a multi-component fit lists one value per
 * component on the same line. Diffusion fits name the constant `D`, `Diff` or `Diff Con.` (m²/s unless a unit says
 * otherwise). `t1t2.dx` is not read: it holds only the fit on screen when the module closed, and its title's ppm
 * disagrees with ct1t2.txt by 4.8 ppm in the real file.
 */
import type { VendorValue } from '../acquisition';

const PEAK = /\bPeak\s*(?:No\.?\s*)?\d+\b[^\n]*?(?:\bat|\(xy)\s+([-+]?\d*\.?\d+(?:[eE][-+]?\d+)?)\s*ppm/i;
const NUMBER = /([-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?)\s*([^\s\d.+-]\S*)?/g;

const TIME_PREFIX: Record<string, number> = { '': 1, s: 1, m: 1e-3, ms: 1e-3, u: 1e-6, us: 1e-6, µ: 1e-6, µs: 1e-6 };
const DIFFUSION_UNIT: Record<string, number> = {
  '': 1,
  'm2/s': 1,
  'm^2/s': 1,
  'cm2/s': 1e-4,
  'cm^2/s': 1e-4,
  'mm2/s': 1e-6,
  'mm^2/s': 1e-6,
  'um2/s': 1e-12,
  'µm2/s': 1e-12,
};

function quantityOf(name: string): 'T1' | 'T1rho' | 'T2' | 'D' | undefined {
  const n = name.replace(/\s+/g, ' ').trim();
  if (/^T1$/i.test(n)) return 'T1';
  if (/^T1\s*(rho|ρ|r)$/i.test(n)) return 'T1rho';
  if (/^T2$/i.test(n)) return 'T2';
  if (/^(D|Diff\.?|Diffusion|Diff\.? ?Con(st(ant)?)?\.?)$/i.test(n)) return 'D';
  return undefined;
}

/**
 * Fitted values of a ct1t2.txt or dt1t2.txt. `file` is the path relative to the experiment folder, as it goes into
 * each VendorValue. Values that are not a positive number in a known unit are skipped with a warning.
 */
export function parseTopspinFits(text: string, file: string, warnings: string[]): VendorValue[] {
  const out: VendorValue[] = [];
  let shift: number | undefined;
  const lines = text.split(/\r?\n/);
  for (let k = 0; k < lines.length; k++) {
    const line = lines[k]!;
    const head = PEAK.exec(line);
    if (head) {
      const s = Number(head[1]);
      shift = Number.isFinite(s) ? s : undefined;
      continue;
    }
    const eq = line.indexOf('=');
    if (eq < 0) continue;
    const quantity = quantityOf(line.slice(0, eq));
    if (!quantity) continue;
    const values: { value: number; unit: string }[] = [];
    for (const m of line.slice(eq + 1).matchAll(NUMBER)) values.push({ value: Number(m[1]), unit: m[2] ?? '' });
    if (values.length === 0) {
      warnings.push(`${file}: line ${k + 1}: no value for ${quantity}`);
      continue;
    }
    values.forEach(({ value, unit }, c) => {
      const scale = quantity === 'D' ? DIFFUSION_UNIT[unit.toLowerCase()] : TIME_PREFIX[unit];
      // 15 significant digits: 857.107m is 0.857107, not 0.8571070000000001
      const si = scale === undefined ? NaN : Number((value * scale).toPrecision(15));
      if (!(si > 0) || !Number.isFinite(si)) {
        warnings.push(`${file}: line ${k + 1}: ${quantity} '${value}${unit}' is not a positive value, skipped`);
        return;
      }
      const name = values.length > 1 ? `${quantity} component ${c + 1}/${values.length}` : quantity;
      const v: VendorValue = {
        software: 'TopSpin',
        file,
        quantity: name,
        unit: quantity === 'D' ? 'm2/s' : 's',
        value: si,
      };
      if (shift !== undefined) v.shift = shift;
      out.push(v);
    });
  }
  return dedupe(out);
}

/** Drops exact repeats (a value listed twice for the same peak). */
function dedupe(values: VendorValue[]): VendorValue[] {
  const seen = new Set<string>();
  return values.filter((v) => {
    const key = `${v.quantity}|${v.shift}|${v.value}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Writes fitted values in the ct1t2.txt layout TopSpin 3.x uses (for synthetic test data). */
export function formatCt1t2(
  peaks: readonly { shift: number; quantity: 'T1' | 'T2' | 'D'; value: number }[],
  points = 10,
): string {
  const out = ['Dataset :', ' /opt/topspin/data/lapis/nmr/synthetic/1/pdata/1', 'INTENSITY fit :'];
  peaks.forEach((p, i) => {
    const fn =
      p.quantity === 'D' ? ' I=I[0]*exp(-D*SQR(2*PI*gamma*G*LD)*(BD-LD/3)*1e4)' : ` I[t]=I[0]+P*exp(-t/${p.quantity})`;
    if (i === 0) out.push(fn, '');
    const shown =
      p.quantity === 'D'
        ? `${p.value.toExponential(3)}m2/s`
        : p.value < 1
          ? `${(p.value * 1000).toFixed(3)}m`
          : `${p.value.toFixed(3)}s`;
    const name = p.quantity === 'D' ? 'Diff Con.' : p.quantity;
    out.push(
      `${points} points for Peak ${i + 1},  Peak Point at ${p.shift.toFixed(3)} ppm`,
      'Results     Comp. 1    ',
      '',
      'I[0]  =    1.000e+00',
      `${name.padEnd(6)}=  ${shown.padStart(14)}`,
      'SD    =    1.000e-03',
      '',
      '',
    );
  });
  return out.join('\n');
}
