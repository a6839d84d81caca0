'use client';
/**
 * The peaks of one result: position per axis in readable units with its spread under the noise (when the result
 * carries peaks[].uncertainty), share of the signal, T1/T2 ratio; a peak that barely shows in the data (peaks[].dataSnr
 * under 20σ; under 5σ the agent does not list it) is marked, and so is one the data reshaped: one of two populations
 * found inside one peak of the map (peaks[].split), one population the map had broken into several peaks
 * (peaks[].merged), or a peak that joins side lobes the noise draws did not reproduce (peaks[].joined). Peaks of the
 * map the draws do not reproduce at all (unconfirmedPeaks) are listed apart, below the table.
 */
import type { ResultDoc } from '@lapis/contracts';
import { formatAxisValue, formatPercent } from '../lib/units';
import { TableExport } from './ExportButtons';

/**
 * The combined uncertainty of a position (peaks[].uncertainty: spread over the bootstrap's noise draws and the
 * regularisation's estimated bias), shown relative: 0.01 decade is ±2.3 %.
 */
function Spread({ value }: { value: number | null }) {
  if (value == null) return null;
  const pct = (10 ** value - 1) * 100;
  return (
    <span
      className="text-slate-400"
      title={`uncertainty of log10 (noise spread and regularisation bias): ${value.toFixed(4)} decade`}
    >
      {' '}
      ± {pct < 0.1 ? '<0.1' : pct < 10 ? pct.toFixed(1) : pct.toFixed(0)} %
    </span>
  );
}

export function PeakTable({ doc, name }: { doc: ResultDoc; name: string }) {
  const names = doc.axes.map((a, i) => (doc.axes.findIndex((b) => b.name === a.name) < i ? `${a.name}_2` : a.name));
  const hasRatio = doc.peaks.some((p) => p.t1t2Ratio != null) || (names.includes('T1') && names.includes('T2'));
  const rows = doc.peaks.map((p, i) => {
    const pos = p.position as Record<string, number | undefined>;
    const width = (p.widthDecades ?? {}) as Record<string, number | undefined>;
    const u = p.uncertainty;
    const sd = (u?.positionUncertaintyDecades ?? {}) as Record<string, number | null | undefined>;
    const t1 = pos.T1;
    const t2 = pos.T2;
    return {
      peak: i + 1,
      ...Object.fromEntries(names.map((n) => [n, pos[n] ?? null])),
      ...Object.fromEntries(names.map((n) => [`${n}_widthDecades`, width[n] ?? null])),
      ...Object.fromEntries(names.map((n) => [`${n}_uncertaintyDecades`, sd[n] ?? null])),
      fraction: p.fraction,
      fraction_sd: u?.fractionSd ?? null,
      detected: u?.detected ?? null,
      draws: u?.replicates ?? null,
      amplitude: p.amplitude ?? null,
      t1t2Ratio: p.t1t2Ratio ?? (t1 && t2 ? t1 / t2 : null),
      data_snr: p.dataSnr ?? null,
      split_delta_chi2: p.split?.deltaChi2 ?? null,
      merged_peaks: p.merged?.peaks ?? null,
      merged_delta_chi2: p.merged?.deltaChi2 ?? null,
      joined_peaks: p.joined?.peaks ?? null,
    };
  });
  const unconfirmed = doc.unconfirmedPeaks ?? [];
  return (
    <section className="rounded-lg border border-slate-200 bg-white">
      <div className="flex items-center justify-between border-b border-slate-200 px-4 py-2">
        <h2 className="font-semibold text-slate-800">Peaks ({rows.length})</h2>
        <TableExport rows={rows} name={`${name}-peaks`} />
      </div>
      <table className="w-full text-sm" data-testid="peak-table">
        <thead className="bg-slate-50 text-left text-xs uppercase tracking-wide text-slate-500">
          <tr>
            <th className="px-4 py-2">#</th>
            {names.map((n) => (
              <th key={n} className="px-4 py-2 text-right">
                {n.replace('_2', ' (2)')}
              </th>
            ))}
            <th className="px-4 py-2 text-right">Fraction</th>
            {hasRatio ? <th className="px-4 py-2 text-right">T1/T2</th> : null}
            <th className="px-4 py-2 text-right">Width (decades)</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.peak} className="border-t border-slate-100">
              <td className="px-4 py-1.5 font-semibold">{r.peak}</td>
              {names.map((n) => (
                <td key={n} className="px-4 py-1.5 text-right tabular-nums">
                  {formatAxisValue(n.replace('_2', ''), (r as Record<string, number | null>)[n])}
                  <Spread value={(r as Record<string, number | null>)[`${n}_uncertaintyDecades`] ?? null} />
                </td>
              ))}
              <td className="px-4 py-1.5 text-right tabular-nums">
                {formatPercent(r.fraction)}
                {r.fraction_sd != null ? (
                  <span className="text-slate-400" title="standard deviation over the noise draws">
                    {' '}
                    ± {formatPercent(r.fraction_sd)}
                  </span>
                ) : null}
                {r.detected != null && r.detected < 0.9 ? (
                  <span
                    className="ml-1 rounded bg-amber-100 px-1 text-xs text-amber-800"
                    title="share of the noise draws in which this peak was found: the data barely support it"
                  >
                    found in {Math.round(r.detected * 100)} % of {r.draws} draws
                  </span>
                ) : null}
                {r.data_snr != null && r.data_snr < 20 ? (
                  <span
                    className="ml-1 rounded bg-amber-100 px-1 text-xs text-amber-800"
                    title="the peak's signal in the data over the noise, ‖K·f‖/σ: its fraction rests on little signal"
                  >
                    weak in the data: {r.data_snr.toFixed(1)}σ
                  </span>
                ) : null}
                {r.split_delta_chi2 != null ? (
                  <span
                    className="ml-1 rounded bg-sky-100 px-1 text-xs text-sky-800"
                    title="the map shows one peak here; two log-normal populations fit the data better than one by this χ² (units of σ²)"
                  >
                    one of two populations in a map peak (Δχ² {r.split_delta_chi2.toFixed(0)}σ²)
                  </span>
                ) : null}
                {r.merged_peaks != null ? (
                  <span
                    className="ml-1 rounded bg-sky-100 px-1 text-xs text-sky-800"
                    title="the map shows several peaks here; one log-normal population fits the data within this χ² (units of σ²) — less than the extra peaks gain by chance half the time"
                  >
                    {r.merged_peaks} map peaks, one population (Δχ² {(r.merged_delta_chi2 ?? 0).toFixed(1)}σ²)
                  </span>
                ) : null}
                {r.joined_peaks != null ? (
                  <span
                    className="ml-1 rounded bg-sky-100 px-1 text-xs text-sky-800"
                    title="the map shows several peaks here; the noise draws did not reproduce them apart, so they are listed as one population"
                  >
                    {r.joined_peaks} map peaks, one in the noise draws
                  </span>
                ) : null}
              </td>
              {hasRatio ? (
                <td className="px-4 py-1.5 text-right tabular-nums">{r.t1t2Ratio?.toFixed(2) ?? '–'}</td>
              ) : null}
              <td className="px-4 py-1.5 text-right tabular-nums text-slate-500">
                {names
                  .map((n) => (r as Record<string, number | null>)[`${n}_widthDecades`])
                  .map((w) => (w == null ? '–' : w.toFixed(2)))
                  .join(' × ')}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {unconfirmed.length > 0 ? (
        <div className="border-t border-slate-200 px-4 py-2 text-xs text-slate-500" data-testid="unconfirmed-peaks">
          Not listed — peaks of the map the noise draws do not reproduce:{' '}
          {unconfirmed
            .map(
              (p) =>
                `${names
                  .map((n) => formatAxisValue(n.replace('_2', ''), (p.position as Record<string, number>)[n] ?? null))
                  .join(
                    ' / ',
                  )} (${formatPercent(p.fraction)}${p.uncertainty ? `, found in ${Math.round(p.uncertainty.detected * 100)} % of ${p.uncertainty.replicates} draws` : ''})`,
            )
            .join('; ')}
        </div>
      ) : null}
    </section>
  );
}
