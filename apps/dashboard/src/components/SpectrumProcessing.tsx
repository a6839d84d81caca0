/**
 * How a spectrum was made, from its document: nucleus and frequency per axis, line broadening (1D) or each
 * dimension's window (2D), phases, baseline, referencing, the peak picker, how it was reduced for transport, the
 * agreement with the vendor's own peak list ("23 of 23 TopSpin peaks within 0.005 ppm") and the processing's
 * warnings. Fields a document lacks are left out, not shown empty.
 */
import type { ReactNode } from 'react';
import { displayText } from '../lib/displayText';
import { formatSigned } from '../lib/spectrumAxis';
import { axesOf, dimensionsOf, nucleusLabel } from '../lib/spectrumDocument';
import { formatScientific } from '../lib/units';

type Loose = Record<string, unknown>;
const obj = (v: unknown): Loose => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Loose) : {});
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const text = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? displayText(v, '', 300) : null);
const count = (n: number) => n.toLocaleString('en');
const joined = (parts: (string | null | false)[]) => parts.filter(Boolean).join(' · ') || null;

function Item({ k, children }: { k: string; children: ReactNode }) {
  if (children === null || children === undefined || children === '') return null;
  return (
    <>
      <dt className="text-slate-500">{k}</dt>
      <dd className="tabular-nums text-slate-800">{children}</dd>
    </>
  );
}

/** "TopSpin pdata/1/peaklist.xml" → "TopSpin". */
const vendorName = (source: string | null) => source?.split(/\s+/)[0] ?? 'vendor';

/** Zero- and first-order phase, degrees, and where they came from. */
function phases(p: Loose): string | null {
  const ph0 = num(p.phase0Deg);
  const ph1 = num(p.phase1Deg);
  if (ph0 === null || ph1 === null) return null;
  const from = text(p.phaseSource);
  return `phase ${formatSigned(ph0, 1)}° / ${formatSigned(ph1, 1)}°${from ? ` (${from})` : ''}`;
}

/** A 2D dimension's processing: window, phases, reference and (F1) linear prediction. */
function dimension(p: Loose): string | null {
  const lp = obj(p.linearPrediction);
  const from = num(lp.from);
  const to = num(lp.to);
  return joined([
    text(p.window),
    phases(p),
    text(p.reference),
    from !== null && to !== null
      ? `linear prediction ${count(from)} → ${count(to)} points${num(lp.order) !== null ? ` (order ${num(lp.order)})` : ''}`
      : null,
  ]);
}

/** How the spectrum was cut for transport, in words. */
function transported(s: Loose): string | null {
  const r = s.reduction === undefined ? null : obj(s.reduction);
  if (!r || !Array.isArray(s.real)) return null;
  if (Array.isArray(r.from) && num(s.rows) !== null && num(s.columns) !== null) {
    const [a, b] = r.from.map(num);
    return a != null && b != null
      ? `largest |value| per block, ${count(a)} × ${count(b)} points → ${count(num(s.rows)!)} × ${count(num(s.columns)!)} values`
      : null;
  }
  const from = num(r.from);
  return from !== null
    ? `min–max reduced, ${count(from)} points → ${count(s.real.length)} values (peaks from the full spectrum)`
    : null;
}

export function SpectrumProcessing({ doc }: { doc: unknown }) {
  const d = obj(doc);
  const p = obj(d.processing);
  const picker = obj(p.picker);
  const vendor = d.vendor === undefined ? null : obj(d.vendor);
  const source = obj(d.source);
  const warnings = Array.isArray(d.warnings) ? d.warnings.filter((w): w is string => typeof w === 'string') : [];
  const two = dimensionsOf(doc) === 2;
  const axes = axesOf(doc);
  const lb = num(p.lineBroadeningHz);
  const gd = num(p.groupDelayPoints);
  const matched = num(vendor?.matched);
  const listed = num(vendor?.peaks);
  const tolerance = num(vendor?.tolerancePpm);
  const tolerance1 = num(vendor?.tolerancePpm1);
  const agree = matched !== null && listed !== null && matched === listed;
  return (
    <section
      className="rounded-lg border border-slate-200 bg-white px-4 py-3 text-sm"
      data-testid="spectrum-processing"
    >
      <h2 className="mb-2 font-semibold text-slate-800">Processing</h2>
      {vendor && matched !== null && listed !== null ? (
        <p
          className={`mb-2 rounded px-2 py-1 ${agree ? 'bg-emerald-50 text-emerald-800' : 'bg-amber-50 text-amber-800'}`}
          data-testid="vendor-agreement"
          title={text(vendor.source) ?? undefined}
        >
          {matched} of {listed} {vendorName(text(vendor.source))} peaks within {tolerance ?? '?'} ppm
          {tolerance1 !== null ? ` (F2) and ${tolerance1} ppm (F1)` : ''}
        </p>
      ) : null}
      <dl className="grid grid-cols-[9rem_1fr] gap-x-3 gap-y-0.5">
        {axes.map((a, i) => (
          <Item key={i} k={two ? `F${i + 1} axis` : 'Nucleus'}>
            {joined([
              nucleusLabel(a.nucleus),
              a.frequencyMHz !== null && `${a.frequencyMHz.toFixed(2)} MHz`,
              `${count(a.size)} points`,
              `${formatSigned(a.first, 2)} to ${formatSigned(a.last, 2)} ppm`,
            ])}
          </Item>
        ))}
        {two ? (
          <>
            <Item k="Mode">
              {text(p.mode) ? `${text(p.mode)}${p.magnitude === true ? ' (magnitude)' : ' (phase-sensitive)'}` : null}
            </Item>
            <Item k="F2 processing">{dimension(obj(p.f2))}</Item>
            <Item k="F1 processing">{dimension(obj(p.f1))}</Item>
          </>
        ) : (
          <>
            <Item k="Line broadening">{lb !== null ? `${lb.toFixed(2)} Hz` : null}</Item>
            <Item k="Phase">
              {num(p.phase0Deg) !== null && num(p.phase1Deg) !== null
                ? `${formatSigned(num(p.phase0Deg)!, 1)}° (zero order) · ${formatSigned(num(p.phase1Deg)!, 1)}° (first order)`
                : null}
            </Item>
            <Item k="Reference">{text(p.reference)}</Item>
          </>
        )}
        <Item k="Baseline">{text(p.baseline)}</Item>
        <Item k="Group delay">
          {gd !== null
            ? `${gd.toFixed(2)} points${text(p.groupDelaySource) ? ` (${text(p.groupDelaySource)})` : ''}`
            : null}
        </Item>
        <Item k="Peak picking">
          {text(picker.method)
            ? `${text(picker.method)}${num(picker.minSnr) !== null ? `, S/N ≥ ${num(picker.minSnr)}` : ''}`
            : null}
        </Item>
        <Item k="Noise σ">{num(d.noise) !== null ? formatScientific(num(d.noise)) : null}</Item>
        <Item k="Pulse program">{text(source.pulseProgram)}</Item>
        <Item k="Solvent">{text(d.solvent)}</Item>
        <Item k="Acquired">{text(d.acquiredAt)}</Item>
        <Item k="Transported">{transported(obj(d.spectrum))}</Item>
        <Item k="Software">
          {text(d.software)
            ? `${text(d.software)}${num(d.elapsedMs) !== null ? ` · ${Math.round(num(d.elapsedMs)!)} ms` : ''}`
            : null}
        </Item>
      </dl>
      {warnings.length > 0 ? (
        <ul
          className="mt-2 space-y-0.5 rounded border border-amber-300 bg-amber-50 px-3 py-2 text-amber-800"
          data-testid="spectrum-warnings"
        >
          {warnings.slice(0, 20).map((w, i) => (
            <li key={i}>{displayText(w, '', 1000)}</li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
