/**
 * The one in-memory shape every reader returns and libs/physics inverts.
 * A 1D set has one axis and `data` of that length; a 2D set has data row-major, axes[0] down the rows.
 */
import type { AcquisitionSiUnit, Experiment, KernelName, RelaxationSiUnit } from '@lapis/contracts/vocabulary';

/** The experiments of the one vocabulary (libs/contracts/src/vocabulary.ts). */
export type { Experiment };

export interface AcquisitionAxis {
  kernel: KernelName;
  /** What the sequence varied, SI: delays/echo times in s, b-values in s/m². */
  values: Float64Array;
  unit: AcquisitionSiUnit;
  /** Inversion efficiency for T1-IR when known from the parameters (1 − (1+β)·e^(−τ/T1)). */
  beta?: number;
}

export interface AcquisitionMetadata {
  instrument?: string;
  sample?: string;
  /** ISO 8601. */
  acquiredAt?: string;
  user?: string;
  /** Experiment number / dataset name as the instrument calls it. */
  experimentNumber?: string;
  /** Which reader produced it, e.g. 'lapis-acquisition/1', 'text-matrix', 'bruker', 'prospa'. */
  source: string;
  /** Path it was read from. */
  path?: string;
  [key: string]: unknown;
}

/**
 * A result the vendor's software wrote beside the data (TopSpin's relaxation fit per peak, GeoSpec's log-mean T2),
 * kept so Lapis can show its own value beside it. Values in SI (s, m²/s).
 */
export interface VendorValue {
  /** e.g. 'TopSpin', 'GIT GeoSpec', 'Bruker minispec'. */
  software: string;
  /** File it came from, relative to the acquisition's folder. */
  file: string;
  /** 'T1', 'T2', 'D' for a fitted peak value; or e.g. 'T2 log-mean', 'T1 log-mean'. */
  quantity: string;
  unit: RelaxationSiUnit;
  value: number;
  /** High-field pseudo-2D: the peak's chemical shift in ppm. */
  shift?: number;
}

export interface Acquisition {
  experiment: Experiment;
  axes: [AcquisitionAxis] | [AcquisitionAxis, AcquisitionAxis];
  /** Real signal, row-major: axes[0].values.length × axes[1].values.length. */
  data: Float64Array;
  metadata: AcquisitionMetadata;
  /** Recoverable oddities found while reading. */
  warnings: string[];
  /** Results the vendor's software wrote beside the data, to be shown beside Lapis' own. */
  vendorResults?: VendorValue[];
}

/** Typed error for unreadable input: names the file and the problem, so the CLI can print one clear line. */
export class FormatError extends Error {
  constructor(
    readonly file: string,
    readonly problem: string,
    options?: { cause?: unknown },
  ) {
    super(`${file}: ${problem}`, options);
    this.name = 'FormatError';
  }
}
