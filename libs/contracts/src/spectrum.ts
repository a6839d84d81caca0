/**
 * `lapis-spectrum/1`: one processed spectrum acquisition (¹H, ¹³C, any nucleus) with its peak list, written by
 * `lapis process`. Described in docs/contracts.md. 1D now; `axes` is a list and a peak's 2D shifts (`shift1`,
 * `shift2`) are reserved so 2D spectra extend the format without breaking it. Objects are loose: fields added later
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
  /** Fitted height above the local baseline, in the spectrum's units. */
  height: finiteNumber,
  /** Full width at half height, Hz. */
  widthHz: z.number().min(0),
  /** Area of the fitted line: spectrum units × Hz. */
  integral: finiteNumber,
  /** height / noise σ. */
  snr: z.number().min(0),
});
export type SpectrumPeak = z.infer<typeof spectrumPeakSchema>;

export const spectrumDocumentSchema = z.looseObject({
  format: z.literal(LAPIS_SPECTRUM_FORMAT),
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
  /** Noise σ of the spectrum, its units. */
  noise: z.number().min(0),
  peaks: z.array(spectrumPeakSchema),
  processing: z.looseObject({
    lineBroadeningHz: z.number().min(0),
    groupDelayPoints: z.number().min(0),
    groupDelaySource: z.string(),
    phase0Deg: finiteNumber,
    phase1Deg: finiteNumber,
    baseline: z.string(),
    reference: z.string(),
    picker: z.looseObject({ method: z.string(), minSnr: z.number().min(0) }),
  }),
  /** Comparison with the vendor's own peak list, when the folder has one (TopSpin pdata/1/peaklist.xml). */
  vendor: z
    .looseObject({
      source: z.string(),
      peaks: z.number().int().min(0),
      /** Vendor peaks with a Lapis peak within `tolerancePpm`. */
      matched: z.number().int().min(0),
      tolerancePpm: z.number().positive(),
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
});
export type SpectrumDocument = z.infer<typeof spectrumDocumentSchema>;
