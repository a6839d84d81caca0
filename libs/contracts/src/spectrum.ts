/**
 * `lapis-spectrum/1`: one processed spectrum acquisition with its peak list, written by `lapis process`. Described
 * in docs/contracts.md. `dimensions` 1 (¹H, ¹³C, any nucleus) or 2 (HSQC, HMBC, COSY, …): the two are one union
 * on `dimensions`; a 1D document is exactly what it was before 2D existed. Objects are loose: fields added later
 * survive a parse → serialise round trip.
 */
import { z } from 'zod';
import { finiteNumber } from './common';

export const LAPIS_SPECTRUM_FORMAT = 'lapis-spectrum/1';

export const spectrumAxisSchema = z.looseObject({
  name: z.literal('shift'),
  unit: z.literal('ppm'),
  /** Nucleus observed on this axis, e.g. '1H', '13C'. */
  nucleus: z.string().optional(),
  /** ppm of the first and last point: the first is the highest, as spectra are shown. */
  first: finiteNumber,
  last: finiteNumber,
  /** Points of the processed spectrum (after zero filling). */
  size: z.number().int().min(2),
  /** Reference frequency SF, MHz: ppm × SF = Hz from 0 ppm. */
  frequencyMHz: z.number().positive(),
});
export type SpectrumAxis = z.infer<typeof spectrumAxisSchema>;

export const spectrumPeakSchema = z.looseObject({
  /** Chemical shift of the fitted centre, ppm (1D). */
  shift: finiteNumber.optional(),
  /** 2D: indirect (F1) and direct (F2) shifts, ppm. */
  shift1: finiteNumber.optional(),
  shift2: finiteNumber.optional(),
  /** Height above the local baseline, in the spectrum's units (2D: with its sign, an edited HSQC's CH₂ negative). */
  height: finiteNumber,
  /** Full width at half height, Hz (2D: in F2). */
  widthHz: z.number().min(0),
  /** 2D: full width at half height in F1, Hz. */
  widthHz1: z.number().min(0).optional(),
  /** Area of the fitted line: spectrum units × Hz (2D: the volume, spectrum units × Hz²). */
  integral: finiteNumber,
  /** |height| / noise σ. */
  snr: z.number().min(0),
});
export type SpectrumPeak = z.infer<typeof spectrumPeakSchema>;

/** A 2D peak: both shifts and both widths present. */
const spectrumPeak2dSchema = spectrumPeakSchema.extend({
  shift1: finiteNumber,
  shift2: finiteNumber,
  widthHz1: z.number().min(0),
});

/** Fields every `lapis-spectrum/1` document has, whatever its dimensions. */
const common = {
  format: z.literal(LAPIS_SPECTRUM_FORMAT),
  /** Noise σ of the spectrum, its units. */
  noise: z.number().min(0),
  /** Comparison with the vendor's own peak list, when the folder has one (TopSpin pdata/1/peaklist.xml). */
  vendor: z
    .looseObject({
      source: z.string(),
      peaks: z.number().int().min(0),
      /** Vendor peaks with a Lapis peak within `tolerancePpm` (2D: in F2, and `tolerancePpm1` in F1). */
      matched: z.number().int().min(0),
      tolerancePpm: z.number().positive(),
      tolerancePpm1: z.number().positive().optional(),
    })
    .optional(),
  source: z.looseObject({ path: z.string(), layout: z.string(), pulseProgram: z.string().optional() }),
  instrument: z.string().optional(),
  sample: z.string().optional(),
  solvent: z.string().optional(),
  acquiredAt: z.string().optional(),
  software: z.string(),
  elapsedMs: z.number().min(0),
  warnings: z.array(z.string()),
};

const pickerSchema = z.looseObject({ method: z.string(), minSnr: z.number().min(0) });

const spectrumDocument1dSchema = z.looseObject({
  ...common,
  dimensions: z.literal(1),
  axes: z.array(spectrumAxisSchema).length(1),
  /**
   * The processed real spectrum: value i stands for axis point i × `step` (`step` 1: every point). Reduced for
   * transport (`reduction` present), the spectrum is cut into buckets of 2 × `step` points and each bucket gives its
   * smallest and largest value, in the order they occur: lines keep their height and the noise its band.
   */
  spectrum: z.looseObject({
    real: z.array(finiteNumber).min(2),
    step: z.number().int().min(1).default(1),
    reduction: z.looseObject({ method: z.literal('min-max'), from: z.number().int().min(2) }).optional(),
  }),
  peaks: z.array(spectrumPeakSchema),
  /**
   * The spectrum denoised for display (optional; asked for with `lapis process --denoise`, or the agent's
   * `spectra.denoise`): the same points, `step` and `reduction` as `spectrum`. Never used for peaks or integrals.
   * `method` 'wavelet' (libs/spectra waveletDenoise) or 'network' (`model` names the lapis-model/1 id).
   */
  denoised: z
    .looseObject({
      method: z.enum(['wavelet', 'network']),
      model: z.string().optional(),
      real: z.array(finiteNumber).min(2),
      step: z.number().int().min(1).default(1),
      reduction: z.looseObject({ method: z.literal('min-max'), from: z.number().int().min(2) }).optional(),
    })
    .optional(),
  processing: z.looseObject({
    lineBroadeningHz: z.number().min(0),
    groupDelayPoints: z.number().min(0),
    groupDelaySource: z.string(),
    phase0Deg: finiteNumber,
    phase1Deg: finiteNumber,
    /** Where the phases came from: 'automatic', or 'procs PHC1, zero order automatic' (TopSpin's user phased it). */
    phaseSource: z.string().optional(),
    baseline: z.string(),
    reference: z.string(),
    picker: pickerSchema,
  }),
});
export type SpectrumDocument1d = z.infer<typeof spectrumDocument1dSchema>;

/** One dimension's processing in a 2D document: window, phases applied (phase-sensitive spectra), its reference. */
const dimensionProcessingSchema = z.looseObject({
  /** 'QSINE SSB 2', 'SINE SSB 0', 'EM 0.3 Hz', … */
  window: z.string(),
  /** Zero- and first-order phase, degrees (first order across the width, zero at the carrier); absent in magnitude. */
  phase0Deg: finiteNumber.optional(),
  phase1Deg: finiteNumber.optional(),
  /** 'automatic' or 'given' (TopSpin's procs phases, or the caller's). */
  phaseSource: z.string().optional(),
  reference: z.string(),
});

const spectrumDocument2dSchema = z
  .looseObject({
    ...common,
    dimensions: z.literal(2),
    /** [F1 (indirect), F2 (direct)]. */
    axes: z.array(spectrumAxisSchema).length(2),
    /**
     * The processed real spectrum (magnitude for QF data), row-major: `rows` × `columns` values, row r the F1 axis
     * point r × step[0], column c the F2 point c × step[1] (first point the highest ppm in both). Reduced for
     * transport (`reduction` present), each value is the largest-|value| point of its step[0] × step[1] block, sign
     * kept, from a spectrum of `reduction.from` = [rows, columns].
     */
    spectrum: z.looseObject({
      rows: z.number().int().min(2),
      columns: z.number().int().min(2),
      real: z.array(finiteNumber),
      step: z.tuple([z.number().int().min(1), z.number().int().min(1)]).default([1, 1]),
      reduction: z
        .looseObject({
          method: z.literal('max-abs'),
          from: z.tuple([z.number().int().min(2), z.number().int().min(2)]),
        })
        .optional(),
    }),
    peaks: z.array(spectrumPeak2dSchema),
    processing: z.looseObject({
      /** F1 acquisition mode: 'QF', 'QSEQ', 'TPPI', 'States', 'States-TPPI', 'Echo-Antiecho'. */
      mode: z.string(),
      /** True for QF (magnitude), false for the phase-sensitive modes. */
      magnitude: z.boolean(),
      groupDelayPoints: z.number().min(0),
      groupDelaySource: z.string(),
      f2: dimensionProcessingSchema,
      f1: dimensionProcessingSchema.extend({
        /** t1 points measured, and after forward linear prediction with `order` coefficients. */
        linearPrediction: z
          .looseObject({ from: z.number().int().min(1), to: z.number().int().min(1), order: z.number().int() })
          .optional(),
      }),
      baseline: z.string(),
      picker: pickerSchema,
    }),
  })
  .superRefine((doc, ctx) => {
    const { rows, columns, real } = doc.spectrum;
    if (real.length !== rows * columns)
      ctx.addIssue({
        code: 'custom',
        path: ['spectrum', 'real'],
        message: `${real.length} values for ${rows} × ${columns}`,
      });
    const [s1, s2] = doc.spectrum.step;
    const sizes = doc.spectrum.reduction?.from ?? [doc.axes[0]?.size, doc.axes[1]?.size];
    if (Math.ceil((sizes[0] ?? 0) / s1) !== rows || Math.ceil((sizes[1] ?? 0) / s2) !== columns)
      ctx.addIssue({ code: 'custom', path: ['spectrum'], message: 'rows × columns do not match the axes and step' });
  });
export type SpectrumDocument2d = z.infer<typeof spectrumDocument2dSchema>;

export const spectrumDocumentSchema = z.discriminatedUnion('dimensions', [
  spectrumDocument1dSchema,
  spectrumDocument2dSchema,
]);
export type SpectrumDocument = z.infer<typeof spectrumDocumentSchema>;
