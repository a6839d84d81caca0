'use client';
/**
 * A spectrum's peaks as the agent picked them on the full spectrum: shift (ppm), height above the local baseline,
 * width at half height (Hz), integral of the fitted line and S/N — for a 2D spectrum, shift and width on each axis
 * and the volume. Sorted by shift, high to low, as the spectrum reads; CSV/JSON export.
 */
import type { SpectrumPeakView } from '../lib/spectrumDocument';
import { formatSigned } from '../lib/spectrumAxis';
import { formatScientific as scientific } from '../lib/units';
import { TableExport } from './ExportButtons';

const fixed = (v: number | null, digits: number) => (v === null ? '–' : formatSigned(v, digits));

export function SpectrumPeakList({
  peaks,
  dimensions,
  nuclei,
  name,
}: {
  peaks: SpectrumPeakView[];
  dimensions: number;
  /** Nucleus label per axis (2D: F1, F2). */
  nuclei: (string | null)[];
  name: string;
}) {
  const two = dimensions === 2;
  const sorted = [...peaks].sort((a, b) => ((two ? b.shift2 : b.shift) ?? 0) - ((two ? a.shift2 : a.shift) ?? 0));
  const rows = sorted.map((p, i) => ({
    peak: i + 1,
    ...(two ? { shift_f2_ppm: p.shift2, shift_f1_ppm: p.shift1 } : { shift_ppm: p.shift }),
    height: p.height,
    width_hz: p.widthHz,
    ...(two ? { width_f1_hz: p.widthHz1 } : {}),
    integral: p.integral,
    snr: p.snr,
  }));
  // δ and ppm keep their case (the header row is upper-case: Δ would be another symbol)
  const head = 'px-3 py-2 text-right';
  const shiftHead = `${head} normal-case`;
  const cell = 'whitespace-nowrap px-3 py-1 text-right tabular-nums';
  return (
    <section className="rounded-lg border border-slate-200 bg-white">
      <div className="flex items-center justify-between border-b border-slate-200 px-4 py-2">
        <h2 className="font-semibold text-slate-800">Peaks ({rows.length})</h2>
        <TableExport rows={rows} name={`${name}-peaks`} />
      </div>
      <div className="max-h-[28rem] overflow-y-auto">
        <table className="w-full text-sm" data-testid="spectrum-peak-table">
          <thead className="sticky top-0 bg-slate-50 text-xs uppercase tracking-wide text-slate-500">
            <tr>
              <th className="px-3 py-2 text-left">#</th>
              {two ? (
                <>
                  <th className={shiftHead}>δ F2 {nuclei[1] ?? ''} (ppm)</th>
                  <th className={shiftHead}>δ F1 {nuclei[0] ?? ''} (ppm)</th>
                </>
              ) : (
                <th className={shiftHead}>δ (ppm)</th>
              )}
              <th className={head}>Height</th>
              <th className={head}>{two ? 'Width F2 (Hz)' : 'Width (Hz)'}</th>
              {two ? <th className={head}>Width F1 (Hz)</th> : null}
              <th className={head}>{two ? 'Volume' : 'Integral'}</th>
              <th className={head}>S/N</th>
            </tr>
          </thead>
          <tbody>
            {sorted.map((p, i) => (
              <tr key={i} className="border-t border-slate-100">
                <td className="px-3 py-1 text-slate-500">{i + 1}</td>
                {two ? (
                  <>
                    <td className={cell}>{fixed(p.shift2, 3)}</td>
                    <td className={cell}>{fixed(p.shift1, 2)}</td>
                  </>
                ) : (
                  <td className={`${cell} font-medium text-slate-900`}>{fixed(p.shift, 4)}</td>
                )}
                <td className={cell}>{scientific(p.height)}</td>
                <td className={cell}>{fixed(p.widthHz, 2)}</td>
                {two ? <td className={cell}>{fixed(p.widthHz1, 1)}</td> : null}
                <td className={cell}>{scientific(p.integral)}</td>
                <td className={`${cell} ${p.snr !== null && p.snr < 10 ? 'text-amber-700' : ''}`}>
                  {p.snr === null ? '–' : p.snr >= 100 ? Math.round(p.snr).toLocaleString('en') : p.snr.toFixed(1)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
