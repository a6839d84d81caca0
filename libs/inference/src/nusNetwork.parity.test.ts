/**
 * The TypeScript loop of the NUS network (nusNetwork.ts: transforms, thresholds, skipped spectra, data consistency)
 * against the training script's (tools/training/nus/train_nus.py `unrolled`), on the fixture that script writes with
 * the model it exports: four simulated t1 columns at 25 %, their known virtual-echo values and the network's answer.
 * Each column is fed through the ordinary entry point as a one-point-per-row States ser (its F2 transform of
 * length 2 leaves the values as they are; σ given as 1, as simulated), so nothing of the real path is bypassed.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { openNusNetwork } from './index';

interface ParityCase {
  known: number[];
  sigma: number;
  zRe: number[];
  zIm: number[];
  xRe: number[];
  xIm: number[];
}

const fixture = JSON.parse(
  readFileSync(fileURLToPath(new URL('./testing/fixtures/nus-parity.json', import.meta.url)), 'utf8'),
) as { model: string; stages: number; cases: ParityCase[] };

/** The States pair at t1 point t from a virtual echo z (L points): [Re a, Im a, Re b, Im b]. */
function statesOf(t: number, re: number[], im: number[]): [number, number, number, number] {
  const L = re.length;
  if (t === 0) return [re[0]!, 0, im[0]!, 0];
  const [zr, zi, wr, wi] = [re[t]!, im[t]!, re[L - t]!, im[L - t]!];
  // a = (z + conj(z(−t)))/2, b = (z − conj(z(−t)))/(2i)
  return [(zr + wr) / 2, (zi - wi) / 2, (zi + wi) / 2, -(zr - wr) / 2];
}

describe('the NUS network’s loop against the training script’s (fixture)', () => {
  it('reconstructs the fixture’s columns as PyTorch did, to float32 precision', async () => {
    const net = await openNusNetwork();
    try {
      expect(net.stages).toBe(fixture.stages);
      expect(net.manifest.id).toBe(fixture.model);
      for (const [n, c] of fixture.cases.entries()) {
        const half = c.zRe.length / 2;
        const known = new Set(c.known);
        const schedule = Array.from({ length: half }, (_, t) => t).filter((t) => known.has(t));
        const re = new Float64Array(2 * schedule.length);
        const im = new Float64Array(2 * schedule.length);
        schedule.forEach((t, j) => {
          const [ar, ai, br, bi] = statesOf(t, c.zRe, c.zIm);
          [re[2 * j], im[2 * j], re[2 * j + 1], im[2 * j + 1]] = [ar, br, ai, bi];
        });
        const { ser, quality } = await net.reconstruct(
          { rows: re.length, points: 1, re, im },
          schedule,
          'States',
          half,
          { noise: 1, f1Phase: { phase0: 0, phase1: 0 } },
        );
        expect(quality.virtualEcho).toBe(true);
        let worst = 0;
        let scale = 0;
        for (let t = 1; t < half; t++) {
          if (known.has(t)) continue;
          const want = statesOf(t, c.xRe, c.xIm);
          const got = [ser.re[2 * t]!, ser.re[2 * t + 1]!, ser.im[2 * t]!, ser.im[2 * t + 1]!];
          for (let q = 0; q < 4; q++) {
            worst = Math.max(worst, Math.abs(got[q]! - want[q]!));
            scale = Math.max(scale, Math.abs(want[q]!));
          }
        }
        expect(scale, `case ${n}`).toBeGreaterThan(0);
        expect(worst / scale, `case ${n}`).toBeLessThan(1e-4);
      }
    } finally {
      await net.release();
    }
  });
});
