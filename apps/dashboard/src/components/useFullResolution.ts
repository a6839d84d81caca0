'use client';
/**
 * Full resolution on demand for a 1D spectrum that came reduced for transport: once the view is narrow enough that
 * the transported values are coarser than the screen (fewer than two per pixel) and has rested 300 ms, the stretch
 * in view and half as much again on each side is asked of the instrument's agent (tRPC `spectrum.region`, which
 * sends `cmd/spectrum`). While the view stays inside that stretch it is drawn from it; elsewhere, or when the agent
 * cannot answer (offline, the spectrum no longer kept), from the transported values, and the viewer says which.
 */
import { useEffect, useRef, useState } from 'react';
import { useTRPCClient } from '../trpc/react';
import type { PpmRange } from '../lib/spectrumAxis';

/** A stretch at (or near) full resolution: ppm of its first and last point, its points, value i = point i × step. */
export interface Detail {
  lo: number;
  hi: number;
  first: number;
  last: number;
  size: number;
  step: number;
  real: number[];
}

export type Resolution =
  | { state: 'transported' }
  | { state: 'reduced'; step: number }
  | { state: 'loading' }
  | { state: 'full'; step: number }
  | { state: 'unavailable'; reason: string };

/** After a refusal, views are drawn from the transported values for this long before the agent is asked again. */
const RETRY_AFTER_MS = 30_000;

export function useFullResolution(o: {
  spectrumKey: string | undefined;
  /** Points per transported value (1: the document is at full resolution). */
  step: number;
  /** Values transported. */
  values: number;
  full: PpmRange;
  view: PpmRange;
  plotWidth: number;
}): { detail: Detail | null; resolution: Resolution } {
  const client = useTRPCClient();
  const [detail, setDetail] = useState<Detail | null>(null);
  const [pending, setPending] = useState(false);
  const [refusal, setRefusal] = useState<{ reason: string; at: number } | null>(null);
  const sequence = useRef(0);
  const { spectrumKey, step, values, full, view, plotWidth } = o;
  const span = view.hi - view.lo;
  const shownValues = (values * span) / Math.max(full.hi - full.lo, 1e-12);
  const needed = spectrumKey !== undefined && step > 1 && shownValues < 2 * plotWidth;
  const covered =
    detail !== null &&
    detail.lo <= view.lo &&
    detail.hi >= view.hi &&
    (detail.step === 1 || (detail.size / detail.step) * (span / (detail.hi - detail.lo)) >= 2 * plotWidth);

  useEffect(() => {
    if (!needed || covered || spectrumKey === undefined) return;
    if (refusal && Date.now() - refusal.at < RETRY_AFTER_MS) return;
    const ask = ++sequence.current;
    const timer = setTimeout(() => {
      const lo = Math.max(full.lo, view.lo - span / 2);
      const hi = Math.min(full.hi, view.hi + span / 2);
      setPending(true);
      client.spectrum.region
        .query({ key: spectrumKey, shift: [lo, hi] })
        .then((answer) => {
          if (ask !== sequence.current) return;
          if ('region' in answer && answer.region?.dimensions === 1) {
            const { axis, step: s, real } = answer.region;
            const a = Math.min(axis.first, axis.last);
            const b = Math.max(axis.first, axis.last);
            setDetail({ lo: a, hi: b, first: axis.first, last: axis.last, size: axis.size, step: s, real });
            setRefusal(null);
          } else setRefusal({ reason: 'error' in answer ? String(answer.error) : 'not a 1D region', at: Date.now() });
        })
        .catch((err: Error) => ask === sequence.current && setRefusal({ reason: err.message, at: Date.now() }))
        .finally(() => ask === sequence.current && setPending(false));
    }, 300);
    return () => clearTimeout(timer);
  }, [needed, covered, spectrumKey, refusal, client, full.lo, full.hi, view.lo, view.hi, span]);

  const resolution: Resolution =
    step <= 1
      ? { state: 'transported' }
      : covered
        ? { state: 'full', step: detail!.step }
        : pending
          ? { state: 'loading' }
          : refusal && needed
            ? { state: 'unavailable', reason: refusal.reason }
            : { state: 'reduced', step };
  return { detail: covered ? detail : null, resolution };
}
