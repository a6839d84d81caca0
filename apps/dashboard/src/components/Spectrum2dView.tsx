/**
 * A 2D spectrum (HSQC, HMBC, COSY …) as it is printed: contours of the processed spectrum (lib/spectrumContours.ts;
 * positive blue, negative red — an edited HSQC's CH₂), F2 across with high ppm on the left, F1 down with high ppm at
 * the bottom and its scale on the right, the picked peaks marked. Without a drawable matrix, the peaks alone.
 * Server side, plain SVG (no zoom yet: the peak table beside it gives the numbers).
 */
import { formatSigned, niceTicks } from '../lib/spectrumAxis';
import { spectrumContours } from '../lib/spectrumContours';
import { nucleusLabel } from '../lib/spectrumDocument';
import type { Spectrum2dView as Spectrum2d, SpectrumAxisView, SpectrumPeakView } from '../lib/spectrumDocument';

const W = 760;
const H = 560;
const M = { left: 14, right: 62, top: 12, bottom: 46 };
const POSITIVE = '#1e3a8a';
const NEGATIVE = '#be123c';

export function Spectrum2dView({
  f1,
  f2,
  spectrum,
  noise,
  peaks,
}: {
  f1: SpectrumAxisView;
  f2: SpectrumAxisView;
  /** The matrix, when the document carries one that fills rows × columns. */
  spectrum: Spectrum2d | null;
  noise: number;
  peaks: SpectrumPeakView[];
}) {
  const w = W - M.left - M.right;
  const h = H - M.top - M.bottom;
  const [xHi, xLo] = [Math.max(f2.first, f2.last), Math.min(f2.first, f2.last)];
  const [yLo, yHi] = [Math.min(f1.first, f1.last), Math.max(f1.first, f1.last)];
  const x = (ppm: number) => M.left + ((xHi - ppm) / (xHi - xLo)) * w;
  const y = (ppm: number) => M.top + ((ppm - yLo) / (yHi - yLo)) * h;
  const xt = niceTicks(xLo, xHi, 8);
  const yt = niceTicks(yLo, yHi, 8);
  const rings = spectrum ? spectrumContours(spectrum, noise) : [];
  const path = (sign: 1 | -1) =>
    rings
      .filter((r) => r.sign === sign)
      .map((r) => `M${r.points.map(([a, b]) => `${x(a).toFixed(1)},${y(b).toFixed(1)}`).join('L')}Z`)
      .join('');
  const marks = peaks.filter(
    (p): p is SpectrumPeakView & { shift1: number; shift2: number } => p.shift1 !== null && p.shift2 !== null,
  );
  const levels = new Set(rings.map((r) => r.level)).size;
  return (
    <figure className="max-w-[52rem] rounded-lg border border-slate-200 bg-white p-3" data-testid="spectrum-2d">
      <figcaption className="mb-2 flex flex-wrap items-baseline justify-between gap-2 text-sm">
        <span className="font-medium text-slate-700">
          {[nucleusLabel(f1.nucleus), nucleusLabel(f2.nucleus)].filter(Boolean).join('–')} 2D spectrum
          <span className="ml-2 font-normal text-slate-500">
            {spectrum
              ? `${spectrum.rows} × ${spectrum.columns} values · ${levels} contour levels, ×1.6 apart${spectrum.magnitude ? ' (magnitude)' : ' · positive blue, negative red'}`
              : 'no matrix to contour in this document: its peaks are shown where they are'}
          </span>
        </span>
        <span className="text-xs text-slate-500">{marks.length} peaks marked</span>
      </figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} width="100%" role="img" aria-label={`2D spectrum, ${marks.length} peaks`}>
        <rect x={M.left} y={M.top} width={w} height={h} fill="#fff" stroke="#cbd5e1" />
        <g data-contours="positive">
          <path d={path(1)} fill="none" stroke={POSITIVE} strokeWidth={0.8} />
        </g>
        <g data-contours="negative">
          <path d={path(-1)} fill="none" stroke={NEGATIVE} strokeWidth={0.8} />
        </g>
        {marks.map((p, i) => (
          <g key={i} stroke="#c2410c" strokeWidth={1.2}>
            <line x1={x(p.shift2) - 5} x2={x(p.shift2) + 5} y1={y(p.shift1)} y2={y(p.shift1)} />
            <line x1={x(p.shift2)} x2={x(p.shift2)} y1={y(p.shift1) - 5} y2={y(p.shift1) + 5} />
            <title>
              {formatSigned(p.shift2, 3)} ppm / {formatSigned(p.shift1, 2)} ppm
            </title>
          </g>
        ))}
        {xt.values.map((t) => (
          <g key={`x${t}`} fill="#334155" stroke="#334155">
            <line x1={x(t)} x2={x(t)} y1={M.top + h} y2={M.top + h + 5} />
            <text x={x(t)} y={M.top + h + 17} fontSize={11} textAnchor="middle" stroke="none">
              {formatSigned(t, xt.decimals)}
            </text>
          </g>
        ))}
        {yt.values.map((t) => (
          <g key={`y${t}`} fill="#334155" stroke="#334155">
            <line x1={M.left + w} x2={M.left + w + 5} y1={y(t)} y2={y(t)} />
            <text x={M.left + w + 8} y={y(t) + 4} fontSize={11} stroke="none">
              {formatSigned(t, yt.decimals)}
            </text>
          </g>
        ))}
        <text x={M.left + w / 2} y={H - 8} fontSize={12} textAnchor="middle" fill="#334155">
          F2 {nucleusLabel(f2.nucleus) ?? ''} δ (ppm)
        </text>
        <text
          x={W - 12}
          y={M.top + h / 2}
          fontSize={12}
          textAnchor="middle"
          fill="#334155"
          transform={`rotate(90 ${W - 12} ${M.top + h / 2})`}
        >
          F1 {nucleusLabel(f1.nucleus) ?? ''} δ (ppm)
        </text>
      </svg>
    </figure>
  );
}
