/**
 * `method: 'dl'`: the classical Tikhonov map refined by a network, with a safety net.
 *
 * 1. The classical solver runs first (the network's input is its map, and its result is the fallback).
 * 2. The network sharpens the map (unit-sum output × the classical map's total). Its input channels are those its
 *    manifest names (inputChannels): models that ask for `map-alpha` channels get the same problem re-solved at a
 *    smaller α too (timed apart as `auxiliaryMs`: a classical solve, not the network step).
 * 3. Safety net: the network's map is re-simulated through the same kernels and its χ² = ‖data − K1·F·K2ᵀ‖² compared
 *    with the classical fit's. If it is more than `tolerance` (default 10 %) above, the network cannot explain the
 *    data as well as the classical map does, and the classical result is returned with the reason stated.
 * Anything that keeps the network from running (1D data, kernels it was not trained on, a missing or altered model
 * file, no execution provider) also returns the classical result, with a warning — never an unchecked map.
 */
import { forward2d, invert, kernelMatrix, type InvertInput, type InvertOptions, type Inversion } from '@lapis/physics';
import { defaultModelPath } from './defaultModel';
import { openModel, type ModelSession } from './modelSession';
import type { ModelManifest } from './manifest';
import { auxiliaryInversions, inputChannels, type InputChannel } from './inputChannels';
import { prepareInput } from './prepareInput';
import type { ExecutionProviderName, ProviderAttempt } from './providers';

export interface InvertDlOptions extends Omit<InvertOptions, 'method'> {
  /** Model manifest path (default: models/lapis-refine2d.json, or LAPIS_MODEL). */
  model?: string;
  /** Execution providers to try, in order (default cuda, webgpu, dml, coreml, cpu). */
  providers?: readonly ExecutionProviderName[];
  /** Intra-op threads (default 1). */
  threads?: number;
  /** Keep the network's map while χ²_dl ≤ (1 + tolerance)·χ²_classical (default 0.1). */
  tolerance?: number;
  /** Keep the network's map in `dl.rejectedDistribution` when the safety net refuses it (benchmarks; default false). */
  keepRejected?: boolean;
}

export interface DlReport {
  /** Whether the returned map is the network's. */
  accepted: boolean;
  /** Why not, when it was not. */
  reason?: string;
  modelId?: string;
  sha256?: string;
  provider?: ExecutionProviderName;
  attempts?: ProviderAttempt[];
  /** χ² of the network's map and of the classical map (sum of squared residuals, data units²). */
  chi2?: number;
  chi2Classical?: number;
  /** Least-squares amplitude factor applied to the network's map (≈ 1; see invertDl). */
  amplitudeScale?: number;
  /** Network inference time for this map, ms (pre- and post-processing included, re-simulation excluded). */
  inferenceMs?: number;
  /** Time of the extra classical solves the model's `map-alpha` channels need, ms (absent when it needs none). */
  auxiliaryMs?: number;
  /** The refused network map (only with `keepRejected`). */
  rejectedDistribution?: Float64Array;
}

export interface DlInversion extends Omit<Inversion, 'method'> {
  method: 'dl' | Inversion['method'];
  dl: DlReport;
  /**
   * When the network's map was kept: `count` draws of the parametric bootstrap of that map (seeded) — for
   * analysis/peakUncertainty, as `SolverResult.resample` is for the classical methods.
   */
  resampleDl?: (count: number, seed: number) => Promise<Float64Array[]>;
}

function sumSquares(data: Float64Array, fitted: Float64Array): number {
  let s = 0;
  for (let k = 0; k < data.length; k++) s += (data[k]! - fitted[k]!) ** 2;
  return s;
}

function fallback(
  classical: Inversion,
  reason: string,
  report: Omit<DlReport, 'accepted' | 'reason'> = {},
): DlInversion {
  return {
    ...classical,
    methodReason: `dl → ${classical.method} fallback: ${reason}`,
    warnings: [...classical.warnings, `dl: ${reason}; the classical ${classical.method} result is returned`],
    dl: { accepted: false, reason, ...report },
  };
}

/**
 * Where the acquisition lies outside the manifest's `domain` (the training data's SNR and design sizes), one phrase
 * each; [] inside it or when the manifest does not say. SNR as the simulator defines it: max |data| / σ̂.
 */
export function outOfDomain(manifest: ModelManifest, input: InvertInput, classical: Inversion): string[] {
  const out: string[] = [];
  const domain = manifest.domain;
  if (!domain) return out;
  const sigma = classical.solver.sigma;
  if (domain.snr && sigma > 0) {
    let peak = 0;
    for (const v of input.data) peak = Math.max(peak, Math.abs(v));
    const snr = peak / sigma;
    const [lo, hi] = domain.snr;
    if (snr < lo || snr > hi) out.push(`SNR ${snr.toPrecision(3)}, trained ${lo}–${hi}`);
  }
  domain.points?.forEach(([lo, hi], d) => {
    const axis = input.axes[d];
    if (!axis) return;
    const n = axis.values.length;
    const what = d === 0 ? (axis.kernel === 'D' ? 'gradient steps' : 'delays') : 'echoes';
    if (n < lo || n > hi) out.push(`${n} ${what}, trained ${lo}–${hi}`);
  });
  return out;
}

export async function invertDl(input: InvertInput, options: InvertDlOptions = {}): Promise<DlInversion> {
  const t0 = performance.now();
  const tolerance = options.tolerance ?? 0.1;
  if (!(tolerance >= 0)) throw new RangeError(`invertDl: tolerance must be ≥ 0, got ${tolerance}`);
  const { model, providers, threads, tolerance: _t, keepRejected, ...classicalOptions } = options;
  if (input.axes.length !== 2) {
    const classical = invert(input, { ...classicalOptions, method: 'auto' });
    return fallback(classical, 'the released networks are 2D only (1D data are inverted classically)');
  }
  let session: ModelSession;
  try {
    session = await openModel(model ?? defaultModelPath(), {
      ...(providers ? { providers } : {}),
      ...(threads ? { threads } : {}),
    });
  } catch (error) {
    const classical = invert(input, { ...classicalOptions, method: 'tikhonov' });
    return fallback(classical, `the model could not be loaded (${(error as Error).message.split('\n')[0]})`);
  }
  const { manifest } = session;
  const n = manifest.output.grid.points;
  const provenance = {
    modelId: manifest.id,
    sha256: manifest.sha256,
    provider: session.provider,
    attempts: session.attempts,
  };
  const extraWarnings: string[] = [];
  if (classicalOptions.grid !== undefined && classicalOptions.grid !== n) {
    extraWarnings.push(
      `dl: the model works on a ${n}×${n} grid; the requested grid ${classicalOptions.grid} is ignored`,
    );
  }
  // the network works on a fixed n × n grid: no extension past a slow edge
  const classical = invert(input, { ...classicalOptions, grid: n, method: manifest.prior, extendSlowEdge: false });
  classical.warnings.push(...extraWarnings);
  const pair = input.axes.map((a) => a.kernel);
  if (!manifest.kernels.some(([a, b]) => a === pair[0] && b === pair[1])) {
    return fallback(classical, `model ${manifest.id} was not trained on ${pair.join('–')} data`, provenance);
  }

  const outside = outOfDomain(manifest, input, classical);
  if (outside.length) {
    classical.warnings.push(
      `dl: outside what ${manifest.id} was trained on (${outside.join('; ')}): its map is checked against the data as always, but read it with care`,
    );
  }

  let channels: InputChannel[];
  try {
    channels = inputChannels(manifest);
  } catch (error) {
    return fallback(classical, `model ${manifest.id}: ${(error as Error).message}`, provenance);
  }
  // Extra classical maps (same grid, smaller α) for models that ask for them; timed apart from the network step.
  const ta = performance.now();
  let auxiliaryRuns: Inversion[];
  try {
    auxiliaryRuns = auxiliaryInversions(
      input,
      classical,
      channels,
      classicalOptions.ranges ? { ranges: classicalOptions.ranges } : {},
    );
  } catch (error) {
    return fallback(
      classical,
      `the extra classical maps the model needs failed (${(error as Error).message})`,
      provenance,
    );
  }
  const auxiliary = auxiliaryRuns.map((r) => r.distribution);
  const auxiliaryMs = auxiliary.length > 0 ? performance.now() - ta : undefined;
  const t1 = performance.now();
  let clippedTotal = 0;
  for (const v of classical.distribution) clippedTotal += Math.max(0, v);
  const sigma = classical.solver.sigma;
  const needsSnr = channels.some((c) => c.kind === 'snr');
  const snr = sigma > 0 && clippedTotal > 0 ? clippedTotal / sigma : undefined;
  if (needsSnr && snr === undefined) {
    return fallback(classical, 'no noise estimate for the network’s SNR input', provenance);
  }
  const { input: x, total } = prepareInput(classical.distribution, classical.axes, {
    channels,
    auxiliary,
    ...(needsSnr && snr !== undefined ? { snr } : {}),
  });
  if (!(total > 0)) return fallback(classical, 'the classical map is empty', provenance);
  const [out] = await session.run([x]);
  const map = new Float64Array(n * n);
  for (let k = 0; k < map.length; k++) map[k] = out![k]! * total;
  const inferenceMs = performance.now() - t1;

  // Re-simulate through the same kernels (β as the classical inversion used it). The amplitude is then fitted to
  // the data by least squares — one scalar, no hand-set factor: the classical map's total, which the network's
  // unit-sum output is multiplied by, is typically ~1 % off the true amplitude (intensity spread into cells the
  // data barely constrain), and at SNR 1000 that alone would fail the χ² check.
  const kernels = input.axes.map((a, d) =>
    kernelMatrix(
      { kernel: a.kernel, ...(a.kernel === 'T1-IR' && classical.beta ? { beta: classical.beta.value } : {}) },
      a.values,
      classical.axes[d]!.values,
    ),
  );
  const fitted = forward2d(kernels[0]!, kernels[1]!, map);
  let dot = 0;
  let norm = 0;
  for (let k = 0; k < fitted.length; k++) {
    dot += fitted[k]! * input.data[k]!;
    norm += fitted[k]! * fitted[k]!;
  }
  const amplitudeScale = norm > 0 && dot > 0 ? dot / norm : 1;
  for (let k = 0; k < map.length; k++) map[k]! *= amplitudeScale;
  for (let k = 0; k < fitted.length; k++) fitted[k]! *= amplitudeScale;
  // Safety net: the network's map must explain the data about as well as the classical one.
  const chi2 = sumSquares(input.data, fitted);
  const chi2Classical = sumSquares(input.data, classical.solver.fitted);
  const report = {
    ...provenance,
    chi2,
    chi2Classical,
    amplitudeScale,
    inferenceMs,
    ...(auxiliaryMs === undefined ? {} : { auxiliaryMs }),
  };
  if (!(chi2 <= (1 + tolerance) * chi2Classical)) {
    const pct = ((chi2 / chi2Classical - 1) * 100).toFixed(0);
    return fallback(
      classical,
      `the network's map fits the data worse than the classical map (χ² ${pct} % higher, tolerance ${(tolerance * 100).toFixed(0)} %)`,
      keepRejected ? { ...report, rejectedDistribution: map } : report,
    );
  }
  let dataNorm2 = 0;
  for (const v of input.data) dataNorm2 += v * v;
  return {
    ...classical,
    method: 'dl',
    methodReason: `dl: ${manifest.id} refined the ${classical.method} map on ${session.provider}; its re-simulated χ² is ${((chi2 / chi2Classical) * 100).toFixed(0)} % of the classical fit's`,
    distribution: map,
    solver: {
      ...classical.solver,
      distribution: map,
      fitted,
      relativeResidual: Math.sqrt(chi2 / dataNorm2),
      rmsResidual: Math.sqrt(chi2 / input.data.length),
    },
    elapsedMs: performance.now() - t0,
    dl: { accepted: true, ...report },
    resampleDl: async (count: number, seed: number): Promise<Float64Array[]> => {
      // The bootstrap of the network's map: data drawn around the network's own fit, each draw inverted classically
      // the way the input was made (the discrepancy map and every map-alpha channel, same seed: the same noise on
      // their shared compressed components), then through the network in one batch.
      const draws = classical.solver.resample?.(count, seed, map);
      if (!draws?.length) return [];
      const auxDraws = auxiliaryRuns.map((r) => r.solver.resample?.(count, seed, map) ?? []);
      if (auxDraws.some((d) => d.length !== draws.length)) return [];
      const prepared = draws.map((d, r) =>
        prepareInput(d, classical.axes, {
          channels,
          auxiliary: auxDraws.map((a) => a[r]!),
          ...(needsSnr && snr !== undefined ? { snr } : {}),
        }),
      );
      const kept = prepared.filter((p) => p.total > 0);
      const outputs = await session.run(kept.map((p) => p.input));
      return outputs.map((o, r) =>
        Float64Array.from({ length: n * n }, (_, k) => o[k]! * kept[r]!.total * amplitudeScale),
      );
    },
  };
}
