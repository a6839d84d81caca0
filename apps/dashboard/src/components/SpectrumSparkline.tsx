/**
 * A spectrum at fleet-page size (lib/spectrumThumbnail.ts): the trace of its min–max buckets, high ppm on the left,
 * or a 2D spectrum's peaks as dots, with the ppm range in words beneath when asked. Server side, plain SVG.
 */
import { formatSigned } from '../lib/spectrumAxis';
import type { SpectrumThumbnail } from '../lib/spectrumThumbnail';

export function SpectrumSparkline({
  thumbnail,
  width = 132,
  height = 40,
  caption = false,
}: {
  thumbnail: SpectrumThumbnail;
  width?: number;
  height?: number;
  caption?: boolean;
}) {
  // whole ppm where that says it (10), one decimal where not (−0.5)
  const ppm = (v: number) => formatSigned(v, Number.isInteger(Math.round(v * 10) / 10) ? 0 : 1);
  const range = (a: { from: number; to: number }) => `${ppm(a.from)} – ${ppm(a.to)} ppm`;
  if (thumbnail.kind === 'peaks2d') {
    return (
      <figure className="shrink-0" data-thumbnail="spectrum-2d">
        <svg
          width={width}
          height={height}
          role="img"
          aria-label={`2D peaks, ${thumbnail.points.length}`}
          className="rounded border border-slate-200 bg-white"
        >
          {thumbnail.points.map(([x, y], i) => (
            <circle key={i} cx={2 + (x / 100) * (width - 4)} cy={2 + (y / 100) * (height - 4)} r={1.8} fill="#1e3a8a" />
          ))}
        </svg>
        {caption ? (
          <figcaption className="mt-0.5 text-[10px] leading-tight text-slate-500">
            {range(thumbnail.axes[1])} × {range(thumbnail.axes[0])}
          </figcaption>
        ) : null}
      </figure>
    );
  }
  const { values } = thumbnail;
  const pairs = values.length / 2;
  const y = (v: number) => height - 2 - (v / 100) * (height - 5);
  // each bucket a vertical stroke from its min to its max, joined in order: the lines keep their height
  const d = values
    .map((v, k) => {
      const x = (2 + ((Math.floor(k / 2) + 0.5) / pairs) * (width - 4)).toFixed(1);
      return `${k === 0 ? 'M' : 'L'}${x},${y(v).toFixed(1)}`;
    })
    .join('');
  return (
    <figure className="shrink-0" data-thumbnail="spectrum">
      <svg
        width={width}
        height={height}
        role="img"
        aria-label={`spectrum ${range(thumbnail.axis)}`}
        className="rounded border border-slate-200 bg-white"
      >
        <path d={d} fill="none" stroke="#1e3a8a" strokeWidth={1} strokeLinejoin="round" />
      </svg>
      {caption ? (
        <figcaption className="mt-0.5 text-[10px] leading-tight text-slate-500">{range(thumbnail.axis)}</figcaption>
      ) : null}
    </figure>
  );
}
