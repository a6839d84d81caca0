/**
 * A 2D spectrum (HSQC, HMBC, COSY …) as it is printed: contours of the processed spectrum (lib/spectrumContours.ts;
 * positive blue, negative red — an edited HSQC's CH₂), the picked peaks marked, zoomable (Spectrum2dPlot.tsx). The
 * contours are traced here, on the server, in ppm; the browser only maps them to the visible ranges. Without a
 * drawable matrix, the peaks alone.
 */
import { axisRange } from '../lib/spectrumAxis';
import { spectrumContours, spectrumLevels } from '../lib/spectrumContours';
import { nucleusLabel } from '../lib/spectrumDocument';
import type { Spectrum2dView as Spectrum2d, SpectrumAxisView, SpectrumPeakView } from '../lib/spectrumDocument';
import { Spectrum2dPlot } from './Spectrum2dPlot';

/** ppm between neighbouring points of an axis, times `step` (the transported matrix's pooling). */
const pointPpm = (a: SpectrumAxisView, step: number) => (step * Math.abs(a.last - a.first)) / Math.max(1, a.size - 1);

export function Spectrum2dView({
  f1,
  f2,
  spectrum,
  noise,
  peaks,
  spectrumKey,
}: {
  f1: SpectrumAxisView;
  f2: SpectrumAxisView;
  /** The matrix, when the document carries one that fills rows × columns. */
  spectrum: Spectrum2d | null;
  noise: number;
  peaks: SpectrumPeakView[];
  /** The stored spectrum's key: zoomed in, the view is fetched at full resolution from its agent. */
  spectrumKey?: string;
}) {
  const levels = spectrum ? spectrumLevels(spectrum, noise) : [];
  const rings = spectrum ? spectrumContours(spectrum, noise, levels) : [];
  const marks = peaks.flatMap((p) =>
    p.shift1 !== null && p.shift2 !== null ? [{ shift1: p.shift1, shift2: p.shift2 }] : [],
  );
  const levelCount = new Set(rings.map((r) => r.level)).size;
  return (
    <figure className="max-w-[52rem] rounded-lg border border-slate-200 bg-white p-3" data-testid="spectrum-2d">
      <figcaption className="mb-2 flex flex-wrap items-baseline justify-between gap-2 text-sm">
        <span className="font-medium text-slate-700">
          {[nucleusLabel(f1.nucleus), nucleusLabel(f2.nucleus)].filter(Boolean).join('–')} 2D spectrum
          <span className="ml-2 font-normal text-slate-500">
            {spectrum
              ? `${spectrum.rows} × ${spectrum.columns} values · ${levelCount} contour levels, ×1.6 apart${spectrum.magnitude ? ' (magnitude)' : ' · positive blue, negative red'}`
              : 'no matrix to contour in this document: its peaks are shown where they are'}
          </span>
        </span>
        <span className="text-xs text-slate-500">{marks.length} peaks marked</span>
      </figcaption>
      <Spectrum2dPlot
        f2={axisRange(f2)}
        f1={axisRange(f1)}
        minSpan={{
          f2: 4 * pointPpm(f2, spectrum && spectrumKey === undefined ? spectrum.step[1] : 1),
          f1: 4 * pointPpm(f1, spectrum && spectrumKey === undefined ? spectrum.step[0] : 1),
        }}
        rings={rings}
        marks={marks}
        f2Label={`F2 ${nucleusLabel(f2.nucleus) ?? ''} δ (ppm)`}
        f1Label={`F1 ${nucleusLabel(f1.nucleus) ?? ''} δ (ppm)`}
        {...(spectrum && spectrumKey
          ? {
              fullResolution: {
                spectrumKey,
                levels,
                noise,
                magnitude: spectrum.magnitude,
                rows: spectrum.rows,
                columns: spectrum.columns,
                step: spectrum.step,
              },
            }
          : {})}
      />
    </figure>
  );
}
