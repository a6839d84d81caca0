import type { BenchCase } from './cases';

/** One line of bench:physics: a method on a case (or a reference tool on one), as bench-results/physics.json holds it. */
export interface Row {
  caseId: string;
  kind: string;
  snr: number;
  peaks: number;
  separation?: number;
  method: string;
  /** Wall time of the inversion, ms. */
  ms: number;
  /** CPU time of the process during the inversion, ms (steadier than wall time on a shared machine). */
  cpuMs: number;
  worstPosition: number;
  worstFraction: number;
  /** The map's own worst position error and spurious peaks, by a common local-maximum finder (findPeaks alone). */
  mapWorstPosition: number;
  mapSpurious: number;
  /** |β̂ − β| for inversion-recovery cases (β simulated in 0.8–1, estimated by the pipeline). */
  betaError?: number;
  missed: number;
  /** Of the missed, those in cases where the truth fits the data better than the listing by < DATA_CAN_TELL σ². */
  missedDataLimited: number;
  spurious: number;
  resolved: boolean;
  alpha?: number;
  rule?: string;
  error?: string;
  /** Per-peak uncertainty (16 bootstrap draws, analysis/peakUncertainty): its time, ms. */
  uncertaintyMs?: number;
  /**
   * Matched true peaks' axes whose position error is within 1 (resp. 2) of the combined uncertainty √(sd² + bias²),
   * and within 2 bootstrap standard deviations alone, of how many.
   */
  within1Sd?: number;
  within2Sd?: number;
  within2SdOnly?: number;
  sdChecked?: number;
}

/** The fields of a Row that name the case and the method. */
export function rowBase(
  c: BenchCase,
  method: string,
): Pick<Row, 'caseId' | 'kind' | 'snr' | 'peaks' | 'separation' | 'method'> {
  return {
    caseId: c.id,
    kind: c.kind,
    snr: c.snr,
    peaks: c.peaks.length,
    ...(c.separation ? { separation: c.separation } : {}),
    method,
  };
}
