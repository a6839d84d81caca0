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

export function ResultThumbnail({
  thumbnail,
  width = 132,
  height = 96,
}: {
  thumbnail: Thumbnail;
  width?: number;
  height?: number;
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
