/**
 * Shapes shared by the result-analysis functions (peaks, derived numbers, residual checks, benchmark scoring).
 * Positions are SI (s or m²/s); distances and widths are in decades (log10 units), as docs/physics.md reads a result.
 */

/** One population of a 1D or 2D distribution, as found by `findPeaks`. */
export interface Peak {
  /** Log-space centroid per axis (the weighted geometric mean over the peak's region), SI units. Not snapped to nodes. */
  position: number[];
  /** Share of the total (non-negative) integral of the distribution, 0–1. Fractions of all peaks sum to ≤ 1. */
  fraction: number;
  /** Integral over the region (sum of the cell amplitudes), in data units. */
  amplitude: number;
  /** Height of the peak: the largest cell value in the region, data units. */
  height: number;
  /** Flat (row-major) index of the largest cell. */
  maxIndex: number;
  /** Per axis, [lo, hi]: the smallest and largest grid value the region covers, SI units. */
  extent: [number, number][];
  /** Per axis, the weighted standard deviation of log10 of the axis value over the region, decades. */
  widthDecades: number[];
  /** Flat (row-major) indices of the region's cells, ascending. */
  region: Int32Array;
  /**
   * True when the region reaches the edge of the grid with a value ≥ 10 % of its height there: the population
   * probably continues beyond the grid, so its position and fraction are not constrained by the map.
   */
  atEdge: boolean;
  /**
   * The population's signal in the data over the noise, ‖K·f_P‖/σ (set when findPeaks is given `dataSnr`): how
   * strongly the data show it. A few σ or less: its fraction is extrapolation, not measurement.
   */
  dataSnr?: number;
  /**
   * Set when this peak is one of two populations that the component test (libs/physics `componentTest`) found inside
   * one peak of the map: `deltaChi2` is how much better two log-normal components fit the data than one, in units of
   * σ². Such a peak shares its parent's region and extent; its position and width are the component's, and its
   * fraction is the parent's, shared between the two in the ratio of the components' fitted amplitudes.
   */
  split?: { deltaChi2: number };
  /**
   * Set when this peak stands for several peaks of the map that the data show as one population (the merge test of
   * `inversionPeaks`): one log-normal component fits the data within `deltaChi2` (units of σ²) of one component per
   * map peak — less than the χ² that the extra components gain by chance half the time (the χ² median; mergeSignificance). `peaks` is how many map
   * peaks it joins; its region is the union of theirs, and its position, width and fraction are that region's.
   */
  merged?: { deltaChi2: number; peaks: number };
  /**
   * Set when this peak joins map peaks that the noise draws did not reproduce apart (confirmPeaks): a side lobe found
   * on its own in fewer than half the draws, joined to the neighbour it touches. `peaks` is how many map peaks it
   * stands for; its region is their union.
   */
  joined?: { peaks: number };
}

/** The minimum a peak must carry for the scoring and ratio helpers. */
export interface PeakLike {
  position: number[];
  fraction: number;
}
