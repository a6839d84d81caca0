import { describe, expect, it } from 'vitest';
import {
  autoGrid,
  coarsenGrid,
  compress,
  compressedFit,
  compressedOperator,
  createRng,
  dualNewton,
  dualTikhonov,
  influenceTrace,
  traceInverse,
  forward2d,
  kernelMatrix,
  logGrid,
  restrictPairs,
  simulate,
} from '../index';

// The compressed space (numerics/): coarse grid, operator, dual solvers, fit. Named as in core.test.ts, where these began.
describe('linear algebra', () => {
  it('the coarse grid is the fine problem restricted to block-constant maps', () => {
    const rng = createRng(5);
    // Odd grid sizes: the last block of each axis holds one cell.
    const { cp } = smallProblem(rng, false, [15, 21]);
    const coarse = coarsenGrid(cp);
    expect([coarse.n1, coarse.n2]).toEqual([8, 11]);
    expect(coarse.pairs).toBe(cp.pairs);
    const fine = compressedOperator(cp);
    const op = compressedOperator(coarse);
    const g = Float64Array.from({ length: op.n }, () => (rng.next() < 0.4 ? rng.next() : 0));
    // f: each coarse cell's value g/√|B| on each of its |B| fine cells (odd sizes leave a narrower last block)
    const f = new Float64Array(fine.n);
    const n2c = coarse.n2;
    for (let a = 0; a < cp.n1; a++) {
      for (let b = 0; b < cp.n2; b++) {
        const ca = Math.floor(a / 2);
        const cb = Math.floor(b / 2);
        const size = (Math.min(2 * ca + 2, cp.n1) - 2 * ca) * (Math.min(2 * cb + 2, cp.n2) - 2 * cb);
        f[a * cp.n2 + b] = g[ca * n2c + cb]! / Math.sqrt(size);
      }
    }
    const viaFine = Float64Array.from(fine.apply(f));
    const viaCoarse = op.apply(g);
    for (let p = 0; p < op.s; p++)
      expect(Math.abs(viaFine[p]! - viaCoarse[p]!)).toBeLessThan(1e-12 * Math.sqrt(fine.normSquared));
    let fNorm = 0;
    let gNorm = 0;
    for (const v of f) fNorm += v * v;
    for (const v of g) gNorm += v * v;
    expect(fNorm).toBeCloseTo(gNorm, 12);
  });

  it('the compressed operator matches its explicit Gram matrix K̃·diag(w)·K̃ᵀ', () => {
    const rng = createRng(3);
    const { cp } = smallProblem(rng);
    const op = compressedOperator(cp);
    const w = Float64Array.from({ length: op.n }, () => (rng.next() < 0.3 ? 1 : 0));
    const g = op.gram(w);
    let worst = 0;
    for (let q = 0; q < op.s; q++) {
      const e = new Float64Array(op.s);
      e[q] = 1;
      const z = op.applyT(e);
      for (let k = 0; k < op.n; k++) z[k]! *= w[k]!;
      const col = op.apply(z);
      for (let p = 0; p < op.s; p++) worst = Math.max(worst, Math.abs(col[p]! - g[p * op.s + q]!));
    }
    expect(worst).toBeLessThan(1e-9 * op.normSquared);
    // K̃ᵀc at a subset of cells, and K̃f for a sparse f (rows and columns gathered), against the dense routes
    const c = Float64Array.from({ length: op.s }, () => rng.normal());
    const full = Float64Array.from(op.applyT(c));
    const idx = Int32Array.from([0, 5, 17, op.n - 1, 123]);
    const at = op.applyTAt(c, idx, idx.length, new Float64Array(idx.length));
    idx.forEach((k, u) => expect(at[u]).toBeCloseTo(full[k]!, 12));
    const sparse = new Float64Array(op.n);
    for (const k of [3, 40, 41, 200, op.n - 2]) sparse[k] = rng.next();
    const viaApply = op.apply(sparse);
    for (let p = 0; p < op.s; p++) {
      let dense = 0;
      const e = new Float64Array(op.s);
      e[p] = 1;
      const row = op.applyT(e);
      for (let k = 0; k < op.n; k++) dense += row[k]! * sparse[k]!;
      expect(viaApply[p]).toBeCloseTo(dense, 12);
    }
  });

  it('the cell Gram matrix K̃_FᵀK̃_F matches explicit columns, on staircase and scattered pair sets', () => {
    const rng = createRng(5);
    const { cp } = smallProblem(rng);
    // the compressed problem's own (staircase) pairs, and an arbitrary subset of them
    const scattered = restrictPairs(cp, (p) => p % 3 !== 1).cp;
    for (const problem of [cp, scattered]) {
      const op = compressedOperator(problem);
      const cells = Int32Array.from({ length: 37 }, () => Math.floor(rng.next() * op.n));
      const h = new Float64Array(cells.length * cells.length);
      op.cellGram(cells, cells.length, h);
      const column = (k: number) => {
        const e = new Float64Array(op.n);
        e[k] = 1;
        return Float64Array.from(op.apply(e));
      };
      const cols = Array.from(cells, column);
      let worst = 0;
      for (let u = 0; u < cells.length; u++) {
        for (let v = 0; v <= u; v++) {
          let dot = 0;
          for (let p = 0; p < op.s; p++) dot += cols[u]![p]! * cols[v]![p]!;
          worst = Math.max(worst, Math.abs(dot - h[u * cells.length + v]!));
        }
      }
      expect(worst).toBeLessThan(1e-10 * op.normSquared);
    }
  });

  it('the dual Newton step through the active cells gives the same solution as through the pairs', () => {
    // A weak α leaves few active cells (the Woodbury route); a strong one many (the pair-space route). Both must
    // reach the non-negative Tikhonov optimum: its KKT conditions hold at the solution.
    const rng = createRng(9);
    const { cp } = smallProblem(rng, true);
    const op = compressedOperator(cp);
    for (const alpha of [1e-4, 1e-2, 1, 100].map((v) => v * op.normSquared * 1e-3)) {
      const sol = dualNewton(op, cp.m, 0, alpha, { tolerance: 1e-12 * Math.hypot(...cp.m) });
      expect(sol.converged).toBe(true);
      // gradient of ½‖K̃f − m̃‖² + ½α‖f‖²: zero on the support, ≥ 0 off it
      const r = Float64Array.from(op.apply(sol.f), (v, p) => v - cp.m[p]!);
      const g = op.applyT(r);
      const scale = Math.sqrt(op.normSquared) * Math.hypot(...cp.m);
      for (let k = 0; k < op.n; k++) {
        const gk = g[k]! + alpha * sol.f[k]!;
        if (sol.f[k]! > 0) expect(Math.abs(gk)).toBeLessThan(1e-8 * scale);
        else expect(gk).toBeGreaterThan(-1e-8 * scale);
      }
    }
  });

  it('the influence trace through the active cells equals the one through the pairs', () => {
    const rng = createRng(21);
    const { cp } = smallProblem(rng, true);
    const op = compressedOperator(cp);
    let checked = 0;
    for (const alpha of [1e-6, 1e-4, 1e-2].map((v) => v * op.normSquared)) {
      const sol = dualTikhonov(op, cp.m, alpha, { tolerance: 1e-12 * Math.hypot(...cp.m) });
      const q = sol.f.reduce((k, v) => k + (v > 0 ? 1 : 0), 0);
      const viaPairs = op.s - alpha * traceInverse(sol.factor, op.s);
      expect(influenceTrace(op, sol, alpha)).toBeCloseTo(viaPairs, 8);
      if (q < op.s) checked++;
    }
    expect(checked).toBeGreaterThan(0); // the active-cell route was taken at least once
  });

  it('the fit through the truncated SVDs equals the forward model to ~1e-6 of the signal', () => {
    const rng = createRng(13);
    const { cp, k1, k2 } = smallProblem(rng);
    const f = Float64Array.from({ length: cp.n1 * cp.n2 }, () => (rng.next() < 0.2 ? rng.next() : 0));
    const direct = forward2d(k1, k2, f);
    const viaSvd = compressedFit(cp, f);
    let peak = 0;
    let worst = 0;
    for (let i = 0; i < direct.length; i++) {
      peak = Math.max(peak, Math.abs(direct[i]!));
      worst = Math.max(worst, Math.abs(direct[i]! - viaSvd[i]!));
    }
    expect(worst).toBeLessThan(1e-5 * peak);
  });
});

/** 12 IR delays × 300 echoes on an n1 × n2 grid: simulated two-peak data, or pure noise with σ given as 1e-3. */
function smallProblem(rng: ReturnType<typeof createRng>, signal = false, [n1, n2]: [number, number] = [16, 20]) {
  const tau = logGrid(1e-4, 5, 12);
  const echoes = Float64Array.from({ length: 300 }, (_, i) => (i + 1) * 2e-3);
  const k1 = kernelMatrix({ kernel: 'T1-IR' }, tau, logGrid(1e-4, 10, n1));
  const k2 = kernelMatrix({ kernel: 'T2' }, echoes, logGrid(1e-3, 3, n2));
  const data = signal
    ? simulate({
        axes: [
          { spec: { kernel: 'T1-IR' }, x: tau },
          { spec: { kernel: 'T2' }, x: echoes },
        ],
        peaks: [
          { position: [0.05, 0.02], width: [0.1, 0.1], fraction: 0.6 },
          { position: [0.5, 0.2], width: [0.1, 0.1], fraction: 0.4 },
        ],
        snr: 300,
        seed: rng.int(1, 1000),
      }).data
    : Float64Array.from({ length: 12 * 300 }, () => rng.normal());
  return { cp: compress({ k1, k2, data }, { sigma: signal ? undefined : 1e-3 }), k1, k2, data };
}

describe('compression', () => {
  it('estimates the noise from outside the signal subspace', () => {
    const tau = logGrid(1e-4, 5, 24);
    const te = Float64Array.from({ length: 1500 }, (_, i) => (i + 1) * 3e-4);
    for (const snr of [50, 1000]) {
      const sim = simulate({
        axes: [
          { spec: { kernel: 'T1-IR' }, x: tau },
          { spec: { kernel: 'T2' }, x: te },
        ],
        peaks: [{ position: [0.1, 0.03], width: [0.1, 0.1], fraction: 1 }],
        snr,
        seed: 5,
      });
      const k1 = kernelMatrix({ kernel: 'T1-IR' }, tau, autoGrid('T1-IR', tau).values);
      const k2 = kernelMatrix({ kernel: 'T2' }, te, autoGrid('T2', te).values);
      const cp = compress({ k1, k2, data: sim.data });
      expect(cp.sigma / sim.sigma).toBeGreaterThan(0.97);
      expect(cp.sigma / sim.sigma).toBeLessThan(1.03);
      expect(cp.m.length).toBeLessThan((k1.cols * k2.cols) / 4);
    }
  });

  it.each([4101, 4102, 4103])(
    'reusing an earlier compression’s kernel SVD gives the compression made anew (seed %i)',
    (seed) => {
      const { k1, k2, data } = smallProblem(createRng(seed), true);
      const earlier = compress({ k1, k2, data });
      // the first axis extended a decade (as invert's slow-edge retry makes it), the second kept: its SVD and M·U2 reused
      const longer = kernelMatrix({ kernel: 'T1-IR' }, logGrid(1e-4, 5, 12), logGrid(1e-4, 100, 20));
      expect(compress({ k1: longer, k2, data }, { reuse: { compressed: earlier, k1: false, k2: true } })).toEqual(
        compress({ k1: longer, k2, data }),
      );
      // the second extended, the first kept
      const echoes = Float64Array.from({ length: 300 }, (_, i) => (i + 1) * 2e-3);
      const wider = kernelMatrix({ kernel: 'T2' }, echoes, logGrid(1e-3, 30, 24));
      expect(compress({ k1, k2: wider, data }, { reuse: { compressed: earlier, k1: true, k2: false } })).toEqual(
        compress({ k1, k2: wider, data }),
      );
    },
  );
});
