'use client';
import type { RefObject } from 'react';
import { toCsv } from '../lib/csv';
import { downloadBlob, svgText, svgToPng } from './download';

const btn = 'rounded border border-slate-300 px-2 py-0.5 text-xs text-slate-700 hover:bg-slate-100';

/** CSV and JSON download of a table's rows. */
export function TableExport({ rows, name }: { rows: readonly Record<string, unknown>[]; name: string }) {
  return (
    <span className="flex gap-1">
      <button className={btn} onClick={() => downloadBlob(`${name}.csv`, 'text/csv', toCsv(rows))}>
        CSV
      </button>
      <button
        className={btn}
        onClick={() => downloadBlob(`${name}.json`, 'application/json', JSON.stringify(rows, null, 2))}
      >
        JSON
      </button>
    </span>
  );
}

/** SVG and PNG download of the plot inside `target`. */
export function PlotExport({ target, name }: { target: RefObject<HTMLElement | null>; name: string }) {
  const svg = () => target.current?.querySelector('svg') as SVGSVGElement | null;
  return (
    <span className="flex gap-1">
      <button
        className={btn}
        onClick={() => {
          const s = svg();
          if (s) downloadBlob(`${name}.svg`, 'image/svg+xml', svgText(s));
        }}
      >
        SVG
      </button>
      <button
        className={btn}
        onClick={async () => {
          const s = svg();
          if (s) downloadBlob(`${name}.png`, 'image/png', await svgToPng(s));
        }}
      >
        PNG
      </button>
    </span>
  );
}
