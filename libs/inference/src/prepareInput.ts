/**
 * Network input of the 2D refinement models (`task: "refine-2d"` in a manifest) from a classical map. The training
 * pipeline (tools/training/generate.ts) imports this very function, so training and inference cannot drift apart.
 *
 * Channel 0: the map clipped at 0 and divided by its sum — no hand-set scale factor; the total is multiplied back
 * onto the network's unit-sum output. Channel 1: 1 where both axes lie inside the range the acquisition constrains
 * (autoGrid's `sensitive`), else 0. With `snr` given, channel 2: the constant log10(snr)/4 — models whose manifest
 * asks for 3 input channels use it to know how strongly the classical map is smoothed.
 */
export interface PreparedInput {
  /** Float32 [2, n1, n2], row-major. */
  input: Float32Array;
  /** Sum of the clipped map, data units. */
  total: number;
}

export interface InputAxis {
  values: ArrayLike<number>;
  sensitive: [number, number];
}

export function prepareInput(
  distribution: ArrayLike<number>,
  axes: InputAxis[],
  options: { snr?: number; output?: Float32Array } = {},
): PreparedInput {
  if (axes.length !== 2) throw new RangeError(`prepareInput: a 2D map needs two axes, got ${axes.length}`);
  const n1 = axes[0]!.values.length;
  const n2 = axes[1]!.values.length;
  const n = n1 * n2;
  if (distribution.length !== n) {
    throw new RangeError(`prepareInput: map has ${distribution.length} values, axes need ${n1}×${n2}`);
  }
  const channels = options.snr === undefined ? 2 : 3;
  if (options.snr !== undefined && !(options.snr > 0)) {
    throw new RangeError(`prepareInput: snr must be positive, got ${options.snr}`);
  }
  const input = options.output ?? new Float32Array(channels * n);
  if (input.length !== channels * n) throw new RangeError(`prepareInput: output needs ${channels * n} values`);
  let total = 0;
  for (let k = 0; k < n; k++) total += Math.max(0, distribution[k]!);
  const scale = total > 0 ? 1 / total : 0;
  for (let k = 0; k < n; k++) input[k] = Math.max(0, distribution[k]!) * scale;
  const inside = axes.map((a) => Array.from(a.values, (v) => (v >= a.sensitive[0] && v <= a.sensitive[1] ? 1 : 0)));
  for (let i = 0; i < n1; i++) for (let j = 0; j < n2; j++) input[n + i * n2 + j] = inside[0]![i]! * inside[1]![j]!;
  if (options.snr !== undefined) input.fill(Math.log10(options.snr) / 4, 2 * n, 3 * n);
  return { input, total };
}
