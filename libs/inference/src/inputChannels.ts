/**
 * Which input channels a refinement model expects, and the classical maps beyond the default one that they need.
 *
 * A manifest names its channels in `input.features` (this list decides what prepareInput builds). Models released
 * before that field existed are described by their channel count alone: 2 = [map, mask], 3 = [map, mask, snr].
 *
 * - `map`: the classical (discrepancy-α Tikhonov) map, clipped at 0, unit sum. Always channel 0: the network's
 *   unit-sum output is multiplied by this map's total.
 * - `mask`: 1 where both axes lie inside the acquisition's sensitive range, else 0.
 * - `snr`: the constant log10(SNR)/4, SNR = the classical map's clipped total / the solver's noise σ.
 * - `map-alpha`: the Tikhonov map re-solved on the same grid at α_disc / `alphaDivisor`, clipped at 0, unit sum of
 *   its own. The discrepancy α smooths close peaks into one; a smaller α keeps the detail (and the noise), and the
 *   network weighs the two.
 */
import { invert, type InvertInput, type InvertOptions, type Inversion } from '@lapis/physics';
import type { ModelManifest } from './manifest';

export type InputChannel =
  { kind: 'map' } | { kind: 'mask' } | { kind: 'snr' } | { kind: 'map-alpha'; alphaDivisor: number };

const KINDS = new Set(['map', 'mask', 'snr', 'map-alpha']);

/** Checks one channel description (TypeError with its position when malformed). */
export function parseInputChannel(value: unknown, index: number): InputChannel {
  const v = value as Record<string, unknown> | null;
  if (v === null || typeof v !== 'object' || typeof v.kind !== 'string' || !KINDS.has(v.kind)) {
    throw new TypeError(`input channel ${index}: unknown ${JSON.stringify(value)} (map, mask, snr or map-alpha)`);
  }
  if (v.kind === 'map-alpha') {
    const d = v.alphaDivisor;
    if (typeof d !== 'number' || !(d > 0) || !Number.isFinite(d)) {
      throw new TypeError(`input channel ${index}: map-alpha needs a positive alphaDivisor, got ${JSON.stringify(d)}`);
    }
    return { kind: 'map-alpha', alphaDivisor: d };
  }
  return { kind: v.kind as 'map' | 'mask' | 'snr' };
}

/** The channels a model expects: `input.features` when present, else implied by the channel count (2 or 3). */
export function inputChannels(manifest: Pick<ModelManifest, 'input'>): InputChannel[] {
  const { features, shape } = manifest.input;
  if (features !== undefined) return features.map((f, i) => parseInputChannel(f, i));
  const count = typeof shape[1] === 'number' ? shape[1] : 2;
  if (count === 2) return [{ kind: 'map' }, { kind: 'mask' }];
  if (count === 3) return [{ kind: 'map' }, { kind: 'mask' }, { kind: 'snr' }];
  throw new TypeError(`a model with ${count} input channels must list them in input.features`);
}

/** Parses a command-line list such as `map,mask,map-alpha/300,snr` (training tools). */
export function parseChannelList(text: string): InputChannel[] {
  return text.split(',').map((part, i) => {
    const [kind, divisor] = part.trim().split('/');
    return parseInputChannel(kind === 'map-alpha' ? { kind, alphaDivisor: Number(divisor) } : { kind }, i);
  });
}

/**
 * The extra classical maps the `map-alpha` channels need, in channel order: the same problem re-solved at a fixed
 * α = α_disc / divisor with the classical run's β (T1-IR), σ, grid size and ranges, so every map lies on the grid
 * of `classical`.
 */
export function auxiliaryMaps(
  input: InvertInput,
  classical: Inversion,
  channels: readonly InputChannel[],
  options: Pick<InvertOptions, 'grid' | 'ranges'> = {},
): Float64Array[] {
  return auxiliaryInversions(input, classical, channels, options).map((r) => r.distribution);
}

/** auxiliaryMaps with the whole inversions (their solvers redraw for the bootstrap of the network's map). */
export function auxiliaryInversions(
  input: InvertInput,
  classical: Inversion,
  channels: readonly InputChannel[],
  options: Pick<InvertOptions, 'grid' | 'ranges'> = {},
): Inversion[] {
  const wanted = channels.filter((c): c is Extract<InputChannel, { kind: 'map-alpha' }> => c.kind === 'map-alpha');
  if (wanted.length === 0) return [];
  const alpha = classical.solver.alpha;
  if (!(alpha > 0)) throw new RangeError(`auxiliaryMaps: the classical solve has no positive α (${alpha})`);
  const beta = classical.beta?.value;
  const fixed: InvertInput = {
    ...input,
    axes: input.axes.map((a) =>
      a.kernel === 'T1-IR' && beta !== undefined ? { ...a, beta } : a,
    ) as InvertInput['axes'],
  };
  return wanted.map((c) => {
    const at = alpha / c.alphaDivisor;
    // A Tikhonov classical solve re-solves its own problem (same kernels, compression and grid) from its solution:
    // the same map as a fresh solve at that α, in a fraction of the time (a fresh one descends from strong smoothing).
    const again = options.ranges === undefined ? classical.solver.atAlpha?.(at) : undefined;
    if (again) {
      return {
        ...classical,
        method: 'tikhonov',
        methodReason: `tikhonov at α = ${at.toPrecision(3)} (the classical α / ${c.alphaDivisor})`,
        distribution: again.distribution,
        solver: again,
        warnings: [...again.warnings],
        elapsedMs: again.elapsedMs,
      };
    }
    return invert(fixed, {
      ...options,
      grid: classical.axes[0]!.values.length,
      extendSlowEdge: false,
      method: 'tikhonov',
      alpha: at,
      ...(classical.solver.sigma > 0 ? { sigma: classical.solver.sigma } : {}),
    });
  });
}
