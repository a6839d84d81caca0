/**
 * A simulated T1(IR)–T2 acquisition for the inference tests: 24 delays 0.1 ms–5 s × 500 echoes every 0.4 ms, β = 1
 * given, seeded noise.
 */
import { logGrid, simulate, type InvertInput, type SimAxis, type SimPeak } from '@lapis/physics';

export function t1t2Case(peaks: SimPeak[], snr = 300, seed = 7): InvertInput {
  const delays = logGrid(1e-4, 5, 24);
  const echoes = Float64Array.from({ length: 500 }, (_, i) => (i + 1) * 4e-4);
  const axes = [
    { kernel: 'T1-IR' as const, values: delays },
    { kernel: 'T2' as const, values: echoes },
  ];
  const sim = simulate({
    axes: axes.map((a) => ({ spec: { kernel: a.kernel }, x: a.values })) as unknown as [SimAxis, SimAxis],
    peaks,
    snr,
    seed,
  });
  return { axes: [{ ...axes[0]!, beta: 1 }, axes[1]!], data: sim.data };
}
