/**
 * A result's picture at fleet-page size (lib/thumbnail.ts): the map as a PNG of its blocks on its log axes
 * (lib/thumbnailPng.ts; viridis, empty blocks white) with optional marks over it, or the distribution as a filled
 * curve, with the axis names and ranges in words beneath. Server side (the PNG is encoded with node:zlib).
 */
import type { Thumbnail } from '../lib/thumbnail';
import { thumbnailPng } from '../lib/thumbnailPng';
import { formatAxisValue } from '../lib/units';

/** A point to mark on a map thumbnail: its position on axes[0] and axes[1] (SI, ppm for shift), a label, a colour. */
export interface ThumbnailMark {
  label: string;
  at: [number, number];
  colour: string;
}

/** Where a value of an axis falls across [0, size]: log-interpolated between the axis' first and last value. */
function place(a: Thumbnail['axes'][number], v: number, size: number): number | undefined {
  const log = a.name !== 'shift' && a.from > 0 && a.to > 0 && v > 0;
  const t = log ? Math.log(v / a.from) / Math.log(a.to / a.from) : (v - a.from) / (a.to - a.from);
  return Number.isFinite(t) && t >= -0.02 && t <= 1.02 ? t * size : undefined;
}

export function ResultThumbnail({
  thumbnail,
  width = 132,
  height = 96,
  marks = [],
}: {
  thumbnail: Thumbnail;
  width?: number;
  height?: number;
  /** Populations to ring and label on a map (the populations page's small multiples). */
  marks?: readonly ThumbnailMark[];
}) {
  const range = (a: Thumbnail['axes'][number]) =>
    `${a.name} ${formatAxisValue(a.name, a.from)} – ${formatAxisValue(a.name, a.to)}`;
  if (thumbnail.kind === 'map') {
    return (
      <figure className="shrink-0" data-thumbnail="map">
        <svg
          width={width}
          height={height}
          role="img"
          aria-label={`map: ${thumbnail.axes.map(range).join(', ')}`}
          className="rounded border border-slate-200 bg-white"
        >
          <image
            href={thumbnailPng(thumbnail)}
            width={width}
            height={height}
            preserveAspectRatio="none"
            style={{ imageRendering: 'pixelated' }}
          />
          {marks.map((m) => {
            const x = place(thumbnail.axes[1], m.at[1], width);
            const y = place(thumbnail.axes[0], m.at[0], height);
            if (x === undefined || y === undefined) return null;
            return (
              <g key={m.label} data-mark={m.label}>
                <circle cx={x} cy={height - y} r={4} fill="none" stroke={m.colour} strokeWidth={1.8} />
                <text
                  x={x + 5}
                  y={height - y - 4}
                  fontSize={9}
                  fill={m.colour}
                  stroke="white"
                  strokeWidth={2}
                  paintOrder="stroke"
                >
                  {m.label}
                </text>
              </g>
            );
          })}
        </svg>
        <figcaption className="mt-0.5 w-[132px] text-[10px] leading-tight text-slate-500">
          {thumbnail.axes[1].name} across, {thumbnail.axes[0].name} up
        </figcaption>
      </figure>
    );
  }
  const { values } = thumbnail;
  const step = values.length > 1 ? width / (values.length - 1) : width;
  const y = (v: number) => height - 2 - (v / 100) * (height - 6);
  const line = values.map((v, k) => `${k === 0 ? 'M' : 'L'}${(k * step).toFixed(1)},${y(v).toFixed(1)}`).join('');
  return (
    <figure className="shrink-0" data-thumbnail="curve">
      <svg
        width={width}
        height={height}
        role="img"
        aria-label={`distribution: ${range(thumbnail.axes[0])}`}
        className="rounded border border-slate-200 bg-white"
      >
        <path d={`${line}L${width},${height}L0,${height}Z`} fill="#21918c" fillOpacity={0.2} />
        <path d={line} fill="none" stroke="#21918c" strokeWidth={1.5} />
      </svg>
      <figcaption className="mt-0.5 w-[132px] text-[10px] leading-tight text-slate-500">
        {thumbnail.axes[0].name} (log axis)
      </figcaption>
    </figure>
  );
}
