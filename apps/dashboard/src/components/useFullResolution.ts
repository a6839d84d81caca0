'use client';
/**
 * Full resolution on demand for a spectrum that came reduced for transport: once the view is narrow enough that the
 * transported values are coarser than the screen and has rested 300 ms, the stretch in view and half as much again
 * on each side is asked of the instrument's agent (tRPC `spectrum.region`, which sends `cmd/spectrum`). While the
 * view stays inside that stretch it is drawn from it; elsewhere, or when the agent cannot answer (offline, the
 * spectrum no longer kept), from the transported values, and the viewer says which. 1D: useFullResolution; 2D
 * windows: useFullResolution2d.
 */
import { useEffect, useRef, useState } from 'react';
import type { SpectrumRegion } from '@lapis/contracts';
import { useTRPCClient } from '../trpc/react';
import { axisRange, type PpmRange } from '../lib/spectrumAxis';

export type Region1d = Extract<SpectrumRegion, { dimensions: 1 }>;
export type Region2d = Extract<SpectrumRegion, { dimensions: 2 }>;

export type Resolution =
  | { state: 'transported' }
  | { state: 'reduced'; step: number }
  | { state: 'loading' }
  | { state: 'full'; step: number }
  | { state: 'unavailable'; reason: string };

/** After a refusal, views are drawn from the transported values for this long before the agent is asked again. */
const RETRY_AFTER_MS = 30_000;

type RegionInput = { shift?: [number, number]; shift1?: [number, number]; shift2?: [number, number] };

/** The range asked for a view: the view and half as much again on each side, inside the whole. */
const widened = (view: PpmRange, full: PpmRange): [number, number] => {
  const span = view.hi - view.lo;
  return [Math.max(full.lo, view.lo - span / 2), Math.min(full.hi, view.hi + span / 2)];
};

const inside = (view: PpmRange, r: PpmRange) => r.lo <= view.lo && r.hi >= view.hi;

/**
 * The fetching both dimensions share: asks for `input` (300 ms after the view rests) while `needed` and the region in
 * hand does not `cover` the view; remembers a refusal for RETRY_AFTER_MS.
 */
function useAgentRegion<R extends SpectrumRegion>(o: {
  spectrumKey: string | undefined;
  dimensions: R['dimensions'];
  needed: boolean;
  covers: (region: R) => boolean;
  input: RegionInput;
}): { region: R | null; pending: boolean; refusal: string | null } {
  const client = useTRPCClient();
  const [region, setRegion] = useState<R | null>(null);
  const [pending, setPending] = useState(false);
  const [refusal, setRefusal] = useState<{ reason: string; at: number } | null>(null);
  const sequence = useRef(0);
  const covered = region !== null && o.covers(region);
  const { spectrumKey, needed, dimensions } = o;
  const asked = JSON.stringify(o.input);

  useEffect(() => {
    if (!needed || covered || spectrumKey === undefined) return;
    if (refusal && Date.now() - refusal.at < RETRY_AFTER_MS) return;
    const ask = ++sequence.current;
    const timer = setTimeout(() => {
      setPending(true);
      client.spectrum.region
        .query({ key: spectrumKey, ...(JSON.parse(asked) as RegionInput) })
        .then((answer) => {
          if (ask !== sequence.current) return;
          if ('region' in answer && answer.region?.dimensions === dimensions) {
            setRegion(answer.region as R);
            setRefusal(null);
          } else
            setRefusal({
              reason: 'error' in answer ? String(answer.error) : 'not a region of this spectrum',
              at: Date.now(),
            });
        })
        .catch((err: Error) => ask === sequence.current && setRefusal({ reason: err.message, at: Date.now() }))
        .finally(() => ask === sequence.current && setPending(false));
    }, 300);
    return () => clearTimeout(timer);
  }, [needed, covered, spectrumKey, refusal, client, asked, dimensions]);

  return { region: covered ? region : null, pending, refusal: refusal && needed ? refusal.reason : null };
}

/** What is drawn: `step` points per transported value, `regionStep` per value of the region in hand (if any). */
function resolutionOf(
  step: number,
  regionStep: number | null,
  r: { pending: boolean; refusal: string | null },
): Resolution {
  if (step <= 1) return { state: 'transported' };
  if (regionStep !== null) return { state: 'full', step: regionStep };
  if (r.pending) return { state: 'loading' };
  if (r.refusal !== null) return { state: 'unavailable', reason: r.refusal };
  return { state: 'reduced', step };
}

/** 1D: fetched once the view holds fewer than two transported values per pixel. */
export function useFullResolution(o: {
  spectrumKey: string | undefined;
  /** Points per transported value (1: the document is at full resolution). */
  step: number;
  /** Values transported. */
  values: number;
  full: PpmRange;
  view: PpmRange;
  plotWidth: number;
}): { detail: Region1d | null; resolution: Resolution } {
  const { step, values, full, view, plotWidth } = o;
  const span = view.hi - view.lo;
  const r = useAgentRegion<Region1d>({
    spectrumKey: o.spectrumKey,
    dimensions: 1,
    needed: step > 1 && (values * span) / Math.max(full.hi - full.lo, 1e-12) < 2 * plotWidth,
    covers: (d) => {
      const range = axisRange(d.axis);
      return (
        inside(view, range) &&
        (d.step === 1 || (d.axis.size / d.step) * (span / (range.hi - range.lo)) >= 2 * plotWidth)
      );
    },
    input: { shift: widened(view, full) },
  });
  return { detail: r.region, resolution: resolutionOf(step, r.region ? r.region.step : null, r) };
}

/** 2D: fetched once zoomed in so far that a transported cell spans more than 4 pixels along either axis. */
export function useFullResolution2d(o: {
  spectrumKey: string | undefined;
  /** Points per transported value, [F1, F2]. */
  step: [number, number];
  /** Transported rows (F1) and columns (F2). */
  rows: number;
  columns: number;
  full: { f1: PpmRange; f2: PpmRange };
  view: { f1: PpmRange; f2: PpmRange };
  /** Plot size in pixels (viewBox units): across (F2) and down (F1). */
  plot: { width: number; height: number };
}): { detail: Region2d | null; resolution: Resolution } {
  const { step, rows, columns, full, view, plot } = o;
  const share = (v: PpmRange, f: PpmRange) => (v.hi - v.lo) / Math.max(f.hi - f.lo, 1e-12);
  // zoomed in (the whole is drawn from what came), and a transported cell wider than 4 pixels along an axis
  const zoomed = share(view.f1, full.f1) < 1 || share(view.f2, full.f2) < 1;
  const coarse =
    zoomed &&
    ((step[0] > 1 && rows * share(view.f1, full.f1) < plot.height / 4) ||
      (step[1] > 1 && columns * share(view.f2, full.f2) < plot.width / 4));
  const r = useAgentRegion<Region2d>({
    spectrumKey: o.spectrumKey,
    dimensions: 2,
    needed: coarse,
    covers: (d) => inside(view.f1, axisRange(d.axes[0])) && inside(view.f2, axisRange(d.axes[1])),
    input: { shift1: widened(view.f1, full.f1), shift2: widened(view.f2, full.f2) },
  });
  // points per value: a block of step[0] × step[1]
  const regionStep = r.region ? r.region.step[0] * r.region.step[1] : null;
  return { detail: r.region, resolution: resolutionOf(step[0] * step[1], regionStep, r) };
}
