/** Complex time-domain data, one FID per row (a 1D `fid` is one row; a pseudo-2D or 2D `ser` has several). */
export interface ComplexRows {
  rows: number;
  /** Complex points per row (TD/2). */
  points: number;
  /** Row-major real parts, rows × points. */
  re: Float64Array;
  im: Float64Array;
}
