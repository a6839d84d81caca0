/**
 * A result's picture at fleet-page size (lib/thumbnail.ts): the map as blocks on its log axes (viridis, empty cells
 * left white), or the distribution as a filled curve, with the axis names and ranges in words beneath.
 */
import type { Thumbnail } from '../lib/thumbnail';
import { formatAxisValue } from '../lib/units';

const VIRIDIS = ['#440154', '#3b528b', '#21918c', '#5ec962', '#fde725'];

/** Viridis at t ∈ (0, 1], linear between five stops. */
function colour(t: number): string {
  const x = Math.min(1, Math.max(0, t)) * (VIRIDIS.length - 1);
  const i = Math.min(VIRIDIS.length - 2, Math.floor(x));
  const f = x - i;
  const [a, b] = [VIRIDIS[i]!, VIRIDIS[i + 1]!].map((h) => [1, 3, 5].map((k) => parseInt(h.slice(k, k + 2), 16)));
  return `rgb(${a!.map((v, k) => Math.round(v + f * (b![k]! - v))).join(',')})`;
}

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
    const { rows, cols, values } = thumbnail;
    const w = width / cols;
    const h = height / rows;
    return (
      <figure className="shrink-0" data-thumbnail="map">
        <svg
          width={width}
          height={height}
          role="img"
          aria-label={`map: ${thumbnail.axes.map(range).join(', ')}`}
          className="rounded border border-slate-200 bg-white"
        >
          {values.map((v, k) =>
            v > 0 ? (
              // first axis up, second across, as on the acquisition page
              <rect
                key={k}
                x={(k % cols) * w}
                y={height - (Math.floor(k / cols) + 1) * h}
                width={w + 0.3}
                height={h + 0.3}
                fill={colour(v / 100)}
              />
            ) : null,
          )}
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
