/**
 * Network input of the 2D refinement models (`task: "refine-2d"` in a manifest) from a classical map. The training
 * pipeline (tools/training/generate.ts) imports this very function, so training and inference cannot drift apart.
 *
 * The channels are those the model's manifest names (inputChannels; see there for each kind). Without `channels`
 * the 2- and 3-channel layouts of the first models are built: [map, mask], or [map, mask, snr] when `snr` is given.
 * Every map is clipped at 0 and divided by its own sum — no hand-set scale factor; the classical map's total is
 * returned and multiplied back onto the network's unit-sum output.
 */
import type { InputChannel } from './inputChannels';

export interface PreparedInput {
  /** Float32 [C, n1, n2], row-major. */
  input: Float32Array;
  /** Sum of the clipped classical map (channel 0), data units. */
  total: number;
}

export interface InputAxis {
  values: ArrayLike<number>;
  sensitive: [number, number];
}

export interface PrepareInputOptions {
  /** Channels to build (default [map, mask], plus snr when `snr` is given). The first must be `map`. */
  channels?: readonly InputChannel[];
  /** SNR of the data (needed by an `snr` channel). */
  snr?: number;
  /** One map per `map-alpha` channel, in channel order, on the same grid (auxiliaryMaps). */
  auxiliary?: readonly ArrayLike<number>[];
  /** Reuse this buffer (length C·n1·n2). */
  output?: Float32Array;
}

/** Writes `map` clipped at 0 and divided by its sum into `out` at `offset`; returns the clipped sum. */
function unitSum(map: ArrayLike<number>, out: Float32Array, offset: number, n: number): number {
  let total = 0;
  for (let k = 0; k < n; k++) total += Math.max(0, map[k]!);
  const scale = total > 0 ? 1 / total : 0;
  for (let k = 0; k < n; k++) out[offset + k] = Math.max(0, map[k]!) * scale;
  return total;
}

export function prepareInput(
  distribution: ArrayLike<number>,
  axes: InputAxis[],
  options: PrepareInputOptions = {},
): PreparedInput {
  if (axes.length !== 2) throw new RangeError(`prepareInput: a 2D map needs two axes, got ${axes.length}`);
  const n1 = axes[0]!.values.length;
  const n2 = axes[1]!.values.length;
  const n = n1 * n2;
  if (distribution.length !== n) {
    throw new RangeError(`prepareInput: map has ${distribution.length} values, axes need ${n1}×${n2}`);
  }
  const channels: readonly InputChannel[] =
    options.channels ??
    (options.snr === undefined
      ? [{ kind: 'map' }, { kind: 'mask' }]
      : [{ kind: 'map' }, { kind: 'mask' }, { kind: 'snr' }]);
  if (channels[0]?.kind !== 'map') throw new RangeError('prepareInput: channel 0 must be the classical map');
  if (options.snr !== undefined && !(options.snr > 0)) {
    throw new RangeError(`prepareInput: snr must be positive, got ${options.snr}`);
  }
  const auxiliary = options.auxiliary ?? [];
  const needed = channels.filter((c) => c.kind === 'map-alpha').length;
  if (auxiliary.length !== needed) {
    throw new RangeError(
      `prepareInput: ${needed} map-alpha channel(s) need as many auxiliary maps, got ${auxiliary.length}`,
    );
  }
  const input = options.output ?? new Float32Array(channels.length * n);
  if (input.length !== channels.length * n) {
    throw new RangeError(`prepareInput: output needs ${channels.length * n} values, has ${input.length}`);
  }
  let total = 0;
  let aux = 0;
  for (const [c, channel] of channels.entries()) {
    const offset = c * n;
    switch (channel.kind) {
      case 'map': {
        const t = unitSum(distribution, input, offset, n);
        if (c === 0) total = t;
        break;
      }
      case 'mask': {
        const inside = axes.map((a) =>
          Array.from(a.values, (v) => (v >= a.sensitive[0] && v <= a.sensitive[1] ? 1 : 0)),
        );
        for (let i = 0; i < n1; i++)
          for (let j = 0; j < n2; j++) input[offset + i * n2 + j] = inside[0]![i]! * inside[1]![j]!;
        break;
      }
      case 'snr':
        if (options.snr === undefined) throw new RangeError('prepareInput: an snr channel needs options.snr');
        input.fill(Math.log10(options.snr) / 4, offset, offset + n);
        break;
      case 'map-alpha': {
        const map = auxiliary[aux++]!;
        if (map.length !== n) {
          throw new RangeError(`prepareInput: auxiliary map ${aux - 1} has ${map.length} values, axes need ${n}`);
        }
        unitSum(map, input, offset, n);
        break;
      }
    }
  }
  return { input, total };
}
