'use client';
/** An instrument's recent acquisitions, newest first, with export. */
import Link from 'next/link';
import { formatUtc } from '../lib/time';
import { displayText } from '../lib/displayText';
import { formatAxisValue, formatPercent } from '../lib/units';
import { TableExport } from './ExportButtons';

export interface AcquisitionListRow {
  key: string;
  path: string;
  sample: string | null;
  experiment: string | null;
  method: string;
  producedAt: Date;
  relativeResidual: number | null;
  peakCount: number;
  historical: boolean;
  topFraction: number | null;
  topT2: number | null;
}

/** `selectForm`: the id of a form (the managers' reprocess form) each row's checkbox belongs to; none: no checkboxes. */
export function AcquisitionList({
  rows,
  name,
  selectForm,
}: {
  rows: AcquisitionListRow[];
  name: string;
  selectForm?: string;
}) {
  return (
    <section className="rounded-lg border border-slate-200 bg-white">
      <div className="flex items-center justify-between border-b border-slate-200 px-4 py-2">
        <h2 className="font-semibold text-slate-800">Acquisitions ({rows.length})</h2>
        <TableExport rows={rows as unknown as Record<string, unknown>[]} name={`${name}-acquisitions`} />
      </div>
      <table className="w-full text-sm" data-testid="acquisition-table">
        <thead className="bg-slate-50 text-left text-xs uppercase tracking-wide text-slate-500">
          <tr>
            {selectForm ? <th className="w-8 px-2 py-2" aria-label="select" /> : null}
            <th className="px-4 py-2">Produced</th>
            <th className="px-4 py-2">Sample</th>
            <th className="px-4 py-2">Experiment</th>
            <th className="px-4 py-2">Method</th>
            <th className="px-4 py-2 text-right">Peaks</th>
            <th className="px-4 py-2 text-right">Largest peak</th>
            <th className="px-4 py-2 text-right">Residual</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key} className="border-t border-slate-100">
              {selectForm ? (
                <td className="px-2 py-2">
                  <input
                    type="checkbox"
                    name="key"
                    value={r.key}
                    form={selectForm}
                    aria-label={`select ${r.sample ?? r.key.slice(0, 8)}`}
                  />
                </td>
              ) : null}
              <td className="px-4 py-1.5">
                <Link className="text-sky-700 hover:underline" href={`/acquisitions/${r.key}`}>
                  {formatUtc(r.producedAt)}
                </Link>
                {r.historical ? <span className="ml-2 text-xs text-slate-400">replayed</span> : null}
              </td>
              <td className="px-4 py-1.5">{displayText(r.sample, '–')}</td>
              <td className="px-4 py-1.5">{r.experiment ?? '–'}</td>
              <td className="px-4 py-1.5">{displayText(r.method)}</td>
              <td className="px-4 py-1.5 text-right tabular-nums">{r.peakCount}</td>
              <td className="px-4 py-1.5 text-right tabular-nums">
                {formatPercent(r.topFraction)} {r.topT2 != null ? `at T2 ${formatAxisValue('T2', r.topT2)}` : ''}
              </td>
              <td className="px-4 py-1.5 text-right tabular-nums">{r.relativeResidual?.toExponential(2) ?? '–'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
