'use client';
/** An instrument's recent spectra, newest first, each opening the spectrum viewer; with export. */
import Link from 'next/link';
import { displayText } from '../lib/displayText';
import { nucleusLabel } from '../lib/spectrumDocument';
import { formatUtc } from '../lib/time';
import { TableExport } from './ExportButtons';

export interface SpectrumListRow {
  key: string;
  path: string;
  sample: string | null;
  nucleus: string | null;
  pulseProgram: string | null;
  solvent: string | null;
  dimensions: number;
  producedAt: Date;
  peakCount: number;
  historical: boolean;
  reprocessed: boolean;
}

export function SpectrumList({ rows, name }: { rows: SpectrumListRow[]; name: string }) {
  return (
    <section className="rounded-lg border border-slate-200 bg-white" data-testid="spectrum-list">
      <div className="flex items-center justify-between border-b border-slate-200 px-4 py-2">
        <h2 className="font-semibold text-slate-800">Spectra ({rows.length})</h2>
        <TableExport rows={rows as unknown as Record<string, unknown>[]} name={`${name}-spectra`} />
      </div>
      <table className="w-full text-sm">
        <thead className="bg-slate-50 text-left text-xs uppercase tracking-wide text-slate-500">
          <tr>
            <th className="px-4 py-2">Produced</th>
            <th className="px-4 py-2">Sample</th>
            <th className="px-4 py-2">Nucleus</th>
            <th className="px-4 py-2">Pulse program</th>
            <th className="px-4 py-2">Solvent</th>
            <th className="px-4 py-2 text-right">Peaks</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key} className="border-t border-slate-100" data-spectrum={r.key}>
              <td className="px-4 py-1.5">
                <Link className="text-sky-700 hover:underline" href={`/spectra/${r.key}`}>
                  {formatUtc(r.producedAt)}
                </Link>
                {r.historical ? <span className="ml-2 text-xs text-slate-400">replayed</span> : null}
                {r.reprocessed ? <span className="ml-2 text-xs text-slate-400">reprocessed</span> : null}
              </td>
              <td className="px-4 py-1.5">{displayText(r.sample, '–')}</td>
              <td className="px-4 py-1.5">
                {nucleusLabel(r.nucleus) ?? '–'}
                {r.dimensions === 2 ? <span className="ml-1 text-xs text-slate-500">2D</span> : null}
              </td>
              <td className="px-4 py-1.5 font-mono text-xs">{displayText(r.pulseProgram, '–')}</td>
              <td className="px-4 py-1.5">{displayText(r.solvent, '–')}</td>
              <td className="px-4 py-1.5 text-right tabular-nums">{r.peakCount}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
