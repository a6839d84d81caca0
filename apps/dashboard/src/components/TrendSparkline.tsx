/**
 * An instrument's recent results at a glance: the fraction-weighted geometric mean position along one axis of each of
 * its last results (fleet router), on a log scale, with the latest value in readable units.
 */
import type { FleetRow } from '../server/api/routers/fleet';
import { formatAxisValue } from '../lib/units';

export function TrendSparkline({
  trend,
  width = 160,
  height = 36,
}: {
  trend: NonNullable<FleetRow['trend']>;
  width?: number;
  height?: number;
}) {
  const logs = trend.points.map((p) => Math.log10(p.value));
  const lo = Math.min(...logs);
  const hi = Math.max(...logs);
  const span = hi - lo || 1;
  const step = logs.length > 1 ? (width - 4) / (logs.length - 1) : 0;
  const y = (v: number) => (hi === lo ? height / 2 : height - 3 - ((v - lo) / span) * (height - 6));
  const d = logs.map((v, k) => `${k === 0 ? 'M' : 'L'}${(2 + k * step).toFixed(1)},${y(v).toFixed(1)}`).join('');
  const last = trend.points.at(-1)!;
  return (
    <div className="flex items-center gap-2" data-field="trend">
      <svg
        width={width}
        height={height}
        role="img"
        aria-label={`${trend.axis} of the last ${trend.points.length} results`}
      >
        <path d={d} fill="none" stroke="#0369a1" strokeWidth={1.5} />
        <circle cx={2 + (logs.length - 1) * step} cy={y(logs.at(-1)!)} r={2.5} fill="#0369a1" />
      </svg>
      <div className="text-xs leading-tight text-slate-600">
        <div className="font-medium tabular-nums text-slate-800">{formatAxisValue(trend.axis, last.value)}</div>
        <div>
          mean {trend.axis}, last {trend.points.length} {trend.experiment} of this sample
        </div>
      </div>
    </div>
  );
}
