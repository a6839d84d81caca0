/**
 * `lapis-result/1`: the result document of one inversion, written by `lapis invert`, published by the agent and
 * stored by the dashboard. The core fields are fixed by docs/contracts.md and must stay as they are; everything else
 * here is an optional extension, and every object is loose so that fields added later (or by other producers) survive
 * a parse → serialise round trip.
 */
import { z } from 'zod';
import { experimentSchema, finiteNumber, resultAxisNameSchema, resultAxisUnitSchema } from './common';
import { SI_UNITS } from './units';
import { LAPIS_RESULT_FORMAT, resultAxisKeys, resultAxisUnits } from './resultNames';

export * from './resultNames';

const range = z.tuple([finiteNumber, finiteNumber]);

export const resultAxisSchema = z.looseObject({
  name: resultAxisNameSchema,
  unit: resultAxisUnitSchema,
  /** Output grid, SI units (ppm for shift), increasing. */
  values: z.array(finiteNumber).min(1),
  /** [lo, hi] the acquisition can constrain; outside it the map is extrapolation. */
  sensitiveRange: range.optional(),
});
export type ResultAxis = z.infer<typeof resultAxisSchema>;

/**
 * Per-axis numbers keyed by axis name. When both axes share a name (T2–T2 exchange), the second axis is keyed
 * with the suffix `_2` (`{ "T2": 0.01, "T2_2": 0.1 }`); `resultAxisKeys` computes the keys.
 */
const perAxis = <T extends z.ZodType>(value: T) =>
  z.looseObject({
    T1: value.optional(),
    T2: value.optional(),
    D: value.optional(),
    shift: value.optional(),
  });

export const resultPeakSchema = z.looseObject({
  /** Peak location (log-space centroid, i.e. geometric mean) per axis, SI units. */
  position: perAxis(finiteNumber),
  /** Share of the total signal, 0–1. */
  fraction: z
    .number()
    .min(0)
    .max(1 + 1e-9),
  /** Summed amplitude of the peak, data units. */
  amplitude: finiteNumber.optional(),
  /** Log-normal width (standard deviation in decades) per axis. */
  widthDecades: perAxis(z.number().min(0)).optional(),
  /** [lo, hi] of the peak's support per axis, SI units. */
  extent: perAxis(range).optional(),
  /** T1/T2 of the peak position, for T1–T2 maps. */
  t1t2Ratio: finiteNumber.optional(),
  /**
   * The peak's signal in the data over the noise, ‖K·f_peak‖/σ (dimensionless): how strongly the data show this
   * population. Peaks under 5 are not listed (their fraction would be extrapolation through the kernel).
   */
  dataSnr: z.number().min(0).optional(),
  /**
   * Present when this peak is one of two populations the component test found inside one peak of the map (the map
   * merged them; two log-normal components fit the data better than one): `deltaChi2` is that gain in units of σ²
   * (≥ 25). Position and width are the component's; the fraction is the merged peak's, shared between the two in the
   * ratio of the components' amplitudes; extent is the merged peak's.
   */
  split: z.looseObject({ deltaChi2: z.number().min(0) }).optional(),
  /**
   * Present when this peak stands for several peaks of the map that the data show as one population (the merge test:
   * one log-normal component fits within `deltaChi2` σ² of one per map peak — less than the extra components gain by
   * chance half the time): `peaks` is how many map peaks it joins; its region is theirs together, and position,
   * width, extent and fraction are that region's.
   */
  merged: z.looseObject({ deltaChi2: z.number().min(0), peaks: z.number().int().min(2) }).optional(),
  /**
   * Present when this peak joins peaks of the map that the noise draws did not reproduce apart from it (a side lobe
   * found on its own in fewer than half of the parametric-bootstrap draws, joined to the neighbour it touches):
   * `peaks` is how many map peaks it stands for; its region is theirs together, and position, width, extent and
   * fraction are that region's.
   */
  joined: z.looseObject({ peaks: z.number().int().min(2) }).optional(),
  /**
   * How much the peak moves under the noise (parametric bootstrap: the data drawn again around the fit with the
   * estimated σ, inverted the same way, peaks matched inside this peak's extent): the spread, and the mean shift
   * that estimates the regularisation's bias. A pair merged into one peak is one steady peak in every draw: its
   * error is not covered.
   */
  uncertainty: z
    .looseObject({
      /**
       * Combined uncertainty of log10(position) per axis, decades: √(sd² + bias²) of the two fields below; null when
       * found in fewer than 2 draws. What the CLI and the dashboard show as ± (0.01 decade ≈ ± 2.3 %).
       */
      positionUncertaintyDecades: perAxis(z.number().min(0).nullable()),
      /** Standard deviation of log10(position) per axis over the draws, decades; null when found in fewer than 2. */
      positionSdDecades: perAxis(z.number().min(0).nullable()),
      /** Mean shift of log10(position) over the draws, decades (signed): the regularisation's pull seen on the fit. */
      positionBiasDecades: perAxis(z.number().nullable()),
      /** Standard deviation of the fraction; null when found in fewer than 2 draws. */
      fractionSd: z.number().min(0).nullable(),
      /** Share of the draws in which the peak was found, 0–1. */
      detected: z.number().min(0).max(1),
      /** Number of draws. */
      replicates: z.number().int().min(0),
    })
    .optional(),
  /** High-field pseudo-2D: the spectral region (ppm, from ≥ to as TopSpin shows them) the peak's decay came from. */
  region: z.looseObject({ from: finiteNumber, to: finiteNumber }).optional(),
  /** High-field pseudo-2D: the peak's share of its own region's signal, 0–1 (`fraction` is of all regions). */
  regionFraction: z
    .number()
    .min(0)
    .max(1 + 1e-9)
    .optional(),
});
export type ResultPeak = z.infer<typeof resultPeakSchema>;

const statistic = z.number().nullable();

/**
 * Is the fit residual white noise? (A residual with structure means the model or kernel is wrong.) Statistics that
 * are undefined for the data (an axis too short) are null. z-scores are ~ N(0, 1) for white noise.
 */
export const residualWhitenessSchema = z.looseObject({
  /** Verdict: every test within its critical |z|. */
  white: z.boolean(),
  /** Lag-1 autocorrelation of the residual along each data axis. */
  lag1: z.array(statistic).optional(),
  lag1Z: z.array(statistic).optional(),
  /** Wald–Wolfowitz runs test of the residual's sign along the last axis. */
  runsZ: statistic.optional(),
  /** z-score of the residual's mean (an offset the model lacks). */
  meanZ: statistic.optional(),
  /** Which tests rejected whiteness, in words. */
  reasons: z.array(z.string()).optional(),
});
export type ResidualWhiteness = z.infer<typeof residualWhitenessSchema>;

/** Axes of measured data: delay τ (T1), echo time t (T2), b-value (D, s/m²). */
const decayAxisUnits = { tau: SI_UNITS.time, t: SI_UNITS.time, b: SI_UNITS['b-value'] } as const;
const decayAxisNameSchema = z.enum(['tau', 't', 'b']);
const decayAxisUnitSchema = z.enum([SI_UNITS.time, SI_UNITS['b-value']]);

/**
 * One measured decay (or recovery) beside the fit the distribution predicts, for plotting data, fit and residual
 * (= data − fit, derived by the reader). DOWNSAMPLED: at most 256 points — the first points as measured, then
 * log-spaced indices, so the early fast decay survives; `totalPoints` is the length of the full decay.
 * Which slice: a 1D result has its whole decay; a 2D result has two — along axis 0 the column with the most signal
 * (T1–T2: the recovery at the first echo) and along axis 1 the row with the most signal (T1–T2: the echo train at
 * the longest delay); `at` says where the slice was taken. Pseudo-2D: one decay per spectral region.
 */
export const resultDecaySchema = z
  .looseObject({
    /** Human-readable, e.g. "echo decay at τ = 5 s". */
    label: z.string().min(1),
    /** What the sequence varied, SI (s, or s/m² for b), increasing as measured. */
    axis: z.looseObject({
      name: decayAxisNameSchema,
      unit: decayAxisUnitSchema,
      values: z.array(finiteNumber).min(1),
    }),
    /** Measured signal, data units, one per axis value. */
    data: z.array(finiteNumber),
    /** The fitted signal (kernel · distribution) at the same points. */
    fit: z.array(finiteNumber),
    /** Which data axis the decay runs along (0 or 1) in a 2D acquisition. */
    dataAxis: z.number().int().min(0).max(1).optional(),
    /** 2D: the other axis's value (and index in the full data) where the slice was taken. */
    at: z
      .looseObject({
        name: decayAxisNameSchema,
        unit: decayAxisUnitSchema,
        value: finiteNumber,
        index: z.number().int().min(0),
      })
      .optional(),
    /** Points in the full decay before downsampling. */
    totalPoints: z.number().int().min(1).optional(),
  })
  .superRefine((decay, ctx) => {
    const n = decay.axis.values.length;
    if (decayAxisUnits[decay.axis.name] !== decay.axis.unit) {
      ctx.addIssue({
        code: 'custom',
        path: ['axis', 'unit'],
        message: `decay axis ${decay.axis.name} must be in ${decayAxisUnits[decay.axis.name]}`,
      });
    }
    for (const key of ['data', 'fit'] as const) {
      if (decay[key].length !== n) {
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: `${key} has ${decay[key].length} values, the decay axis ${n}`,
        });
      }
    }
  });
export type ResultDecay = z.infer<typeof resultDecaySchema>;

export const resultFitSchema = z.looseObject({
  /** ‖data − fitted‖ / ‖data‖. */
  relativeResidual: z.number().min(0),
  /** Root-mean-square residual, data units. */
  rmsResidual: z.number().min(0).optional(),
  /** Σ residual² / σ² / N (≈ 1 when the fit reaches the noise). */
  chi2: finiteNumber.optional(),
  residualWhiteness: residualWhitenessSchema.optional(),
  /** Measured decays against the fit, downsampled (see resultDecaySchema): which slices depends on the dimension. */
  decays: z.array(resultDecaySchema).optional(),
});
export type ResultFit = z.infer<typeof resultFitSchema>;

export const resultProvenanceSchema = z.looseObject({
  software: z.string().min(1),
  version: z.string().min(1),
  source: z
    .looseObject({
      /** Reader that produced the acquisition, e.g. 'lapis-acquisition/1', 'text-matrix', 'bruker'. */
      format: z.string().min(1),
      /** Path that was read. */
      path: z.string().optional(),
      /** Files the hash covers, in hashing order. */
      files: z.array(z.string()).optional(),
    })
    .optional(),
  /** SHA-256 (hex) over the input files, in the order of `source.files`. */
  rawDataHash: z
    .string()
    .regex(/^[0-9a-f]{64}$/, 'must be a lower-case hex SHA-256')
    .optional(),
  /** ISO 8601 time the document was produced. */
  createdAt: z.string().optional(),
});
export type ResultProvenance = z.infer<typeof resultProvenanceSchema>;

/**
 * A number the vendor's own software computed from the same acquisition, shown beside Lapis' own: TopSpin's T1/T2/D
 * fit of a spectral peak (`pdata/1/ct1t2.txt`), GeoSpec's log-mean T2. `lapis` is Lapis' value of the same quantity
 * (a pseudo-2D region's largest peak, the distribution's log-mean …) and `relativeDifference` is (lapis − value)/value.
 */
export const resultVendorValueSchema = z.looseObject({
  /** The program that computed it, e.g. 'TopSpin', 'GIT GeoSpec'. */
  software: z.string().min(1),
  /** The file it was read from, relative to the acquisition, e.g. 'pdata/1/ct1t2.txt'. */
  file: z.string().optional(),
  /** What it is: 'T1', 'T2', 'D' (a peak's fitted value) or e.g. 'T2 log-mean'. */
  quantity: z.string().min(1),
  /** SI unit of `value` and `lapis`: 's' or 'm2/s'. */
  unit: z.string().min(1),
  value: finiteNumber,
  lapis: finiteNumber.optional(),
  relativeDifference: finiteNumber.optional(),
  /** High-field pseudo-2D: the chemical shift (ppm) the vendor's value belongs to. */
  shift: finiteNumber.optional(),
  /** Index in `peaks` of the Lapis peak compared, when one is. */
  peak: z.number().int().min(0).optional(),
  /** How the two were matched, or why no Lapis value is given. */
  note: z.string().optional(),
});
export type ResultVendorValue = z.infer<typeof resultVendorValueSchema>;

/** Most points of a transported spectrum row (the agent keeps the largest |value| of each bucket). */
export const MAX_SPECTRUM_POINTS = 4096;

/** The processed spectra of a pseudo-2D: a ppm axis and a few rows of the series on it. */
export const resultSpectrumSchema = z.looseObject({
  /** ppm of each point, highest first (as spectra are drawn). */
  ppm: z.array(finiteNumber).min(2).max(MAX_SPECTRUM_POINTS),
  rows: z
    .array(
      z.looseObject({
        /** Which spectrum of the series (0-based) and the value the sequence varied for it (s, or s/m² for D). */
        index: z.number().int().min(0),
        x: finiteNumber,
        /** Real part, the processed intensity in the integrals' units. */
        values: z.array(finiteNumber).max(MAX_SPECTRUM_POINTS),
      }),
    )
    .min(1)
    .max(8),
});
export type ResultSpectrum = z.infer<typeof resultSpectrumSchema>;

export const resultDocSchema = z
  .looseObject({
    format: z.literal(LAPIS_RESULT_FORMAT),
    method: z.string().min(1),
    /** Wall time of the inversion itself, including any automatic choice of the regularisation. */
    elapsedMs: z.number().min(0),
    axes: z.array(resultAxisSchema).min(1).max(2),
    /** 2D: rows follow axes[0]; 1D: a flat array. */
    distribution: z.union([z.array(finiteNumber), z.array(z.array(finiteNumber))]),
    /** Sorted by fraction, largest first; fractions sum to ≤ 1. */
    peaks: z.array(resultPeakSchema),
    fit: resultFitSchema,
    /**
     * Peaks of the map that the noise draws do not reproduce (found in fewer than half of them) and that touch no
     * reproduced peak: shown for inspection, not listed as populations (their fractions are not in `peaks`).
     */
    unconfirmedPeaks: z.array(resultPeakSchema).optional(),
    // ---- extensions (optional) ----
    experiment: experimentSchema.optional(),
    /** Regularisation weight (the solver's convention) and the rule that chose it. */
    alpha: z.number().min(0).optional(),
    alphaRule: z.string().optional(),
    iterations: z.number().int().min(0).optional(),
    /** Noise standard deviation, data units (given or estimated). */
    sigma: z.number().min(0).optional(),
    /** Inversion efficiency of T1-IR data. */
    beta: finiteNumber.optional(),
    /** From the acquisition, when it says: the sample, the instrument and when it was acquired (ISO 8601). */
    sample: z.string().optional(),
    instrument: z.string().optional(),
    acquiredAt: z.string().optional(),
    /** Whether beta was estimated from the data (true) or given with the acquisition (false). */
    betaEstimated: z.boolean().optional(),
    /** Why this method was used (for `auto`, why it was picked). */
    methodReason: z.string().optional(),
    warnings: z.array(z.string()).optional(),
    provenance: resultProvenanceSchema.optional(),
    /** The vendor's own results for this acquisition, each beside Lapis' value of the same quantity. */
    vendorResults: z.array(resultVendorValueSchema).optional(),
    /**
     * High-field pseudo-2D (axes[0] is `shift`): one entry per distribution row — the region's ppm range, its peak,
     * and how its own 1D inversion fitted.
     */
    regions: z
      .array(
        z.looseObject({
          from: finiteNumber,
          to: finiteNumber,
          peak: finiteNumber,
          method: z.string().min(1).optional(),
          relativeResidual: z.number().min(0).optional(),
          alpha: z.number().min(0).optional(),
        }),
      )
      .optional(),
    /**
     * High-field pseudo-2D: the processed spectra the regions were integrated from — the first and last of the series
     * (most and least attenuated), downsampled for transport — for a spectrum over a DOSY-style map.
     */
    spectrum: resultSpectrumSchema.optional(),
  })
  .superRefine((doc, ctx) => {
    doc.axes.forEach((axis, i) => {
      if (resultAxisUnits[axis.name] !== axis.unit) {
        ctx.addIssue({
          code: 'custom',
          path: ['axes', i, 'unit'],
          message: `axis ${axis.name} must be in ${resultAxisUnits[axis.name]}, not ${axis.unit}`,
        });
      }
    });
    const n1 = doc.axes[0]!.values.length;
    const dist = doc.distribution;
    if (doc.axes.length === 1) {
      if (dist.some((v) => Array.isArray(v)) || dist.length !== n1) {
        ctx.addIssue({
          code: 'custom',
          path: ['distribution'],
          message: `a 1D distribution is a flat array of ${n1} values (one per axes[0] value)`,
        });
      }
    } else {
      const n2 = doc.axes[1]!.values.length;
      const ok = dist.length === n1 && dist.every((row) => Array.isArray(row) && row.length === n2);
      if (!ok) {
        ctx.addIssue({
          code: 'custom',
          path: ['distribution'],
          message: `a 2D distribution has ${n1} rows (axes[0]) of ${n2} values (axes[1])`,
        });
      }
    }
    doc.spectrum?.rows.forEach((row, i) => {
      if (row.values.length !== doc.spectrum!.ppm.length) {
        ctx.addIssue({
          code: 'custom',
          path: ['spectrum', 'rows', i, 'values'],
          message: `a spectrum row has one value per ppm point: ${doc.spectrum!.ppm.length}, not ${row.values.length}`,
        });
      }
    });
    if (doc.regions && doc.axes[0]!.name === 'shift' && doc.regions.length !== n1) {
      ctx.addIssue({
        code: 'custom',
        path: ['regions'],
        message: `a pseudo-2D lists one region per shift value: ${n1}, not ${doc.regions.length}`,
      });
    }
    const keys = new Set<string>(resultAxisKeys(doc.axes.map((a) => a.name)));
    let total = 0;
    doc.peaks.forEach((peak, i) => {
      total += peak.fraction;
      const prev = doc.peaks[i - 1];
      if (prev && peak.fraction > prev.fraction + 1e-12) {
        ctx.addIssue({
          code: 'custom',
          path: ['peaks', i, 'fraction'],
          message: 'peaks must be sorted by fraction, largest first',
        });
      }
      for (const key of keys) {
        if (typeof peak.position[key] !== 'number') {
          ctx.addIssue({ code: 'custom', path: ['peaks', i, 'position', key], message: `peak position needs ${key}` });
        }
      }
    });
    if (total > 1 + 1e-6) {
      ctx.addIssue({
        code: 'custom',
        path: ['peaks'],
        message: `peak fractions sum to ${Number(total.toPrecision(6))}, more than 1`,
      });
    }
  });
export type ResultDoc = z.infer<typeof resultDocSchema>;
