/**
 * Layout of one training record of generate.ts (read by train.py). The network input itself is made by
 * @lapis/inference's prepareInput, the same function inference uses.
 */
export const GRID = 64;
export const RANK = 12;
/** floats per training record: input (C channels) + truth + a1 + a2 + dc + sigma, r1, r2 */
export function sampleFloatsFor(channels: number): number {
  return channels * GRID * GRID + GRID * GRID + 2 * RANK * GRID + RANK * RANK + 3;
}
/** floats per record of the default 2-channel input (map, mask) */
export const sampleFloats = sampleFloatsFor(2);
