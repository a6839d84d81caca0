/**
 * The whole analysis — β, inversion, peaks with their merge and component tests, the 16-draw uncertainty, residual
 * checks, the document — gives the same `lapis-result/1` document with libs/physics' WebAssembly kernels as on its
 * TypeScript paths, to the last digit, on simulated acquisitions of each kind (seeds varied).
 */
import { describe, expect, it } from 'vitest';
import { logGrid, simulate, wasmKernelsState, withoutWasmKernels } from '@lapis/physics';
import type { Acquisition } from '@lapis/formats';
import type { KernelName } from '@lapis/contracts';
import { analyseAcquisition } from './analyseAcquisition';
import { loadAnalysisDeps } from './deps';

const delays = logGrid(1e-4, 5, 32);
const echoes = Float64Array.from({ length: 1500 }, (_, i) => (i + 1) * 3e-4);
const gradients = Float64Array.from({ length: 24 }, (_, i) => 1e7 + i * 2e8);

function acquisition(
  experiment: string,
  axes: { kernel: KernelName; values: Float64Array; unit: string }[],
  peaks: { position: number[]; width: number[]; fraction: number }[],
  snr: number,
  seed: number,
): Acquisition {
  const data = simulate({
    axes: axes.map((a) => ({ spec: { kernel: a.kernel, beta: 0.93 }, x: a.values })) as unknown as Parameters<
      typeof simulate
    >[0]['axes'],
    peaks,
    snr,
    seed,
  }).data;
  return { experiment, axes, data, metadata: { source: 'simulated' }, warnings: [] } as unknown as Acquisition;
}

const twoPeaks = [
  { position: [0.02, 0.01], width: [0.1, 0.1], fraction: 0.55 },
  { position: [0.4, 0.1], width: [0.12, 0.1], fraction: 0.45 },
];
const cases: [string, () => Acquisition][] = [
  ['T1–T2, SNR 300 (UPEN)', () => acquisition('T1-T2', axes2('T1-IR', delays), twoPeaks, 300, 101)],
  ['T1–T2, SNR 80 (Tikhonov)', () => acquisition('T1-T2', axes2('T1-IR', delays), twoPeaks, 80, 102)],
  [
    'D–T2, SNR 300',
    () =>
      acquisition(
        'D-T2',
        axes2('D', gradients, 's/m2'),
        [
          { position: [2e-9, 0.05], width: [0.1, 0.1], fraction: 0.6 },
          { position: [2e-11, 0.01], width: [0.1, 0.1], fraction: 0.4 },
        ],
        300,
        103,
      ),
  ],
  [
    'T1 inversion recovery, 1D',
    () =>
      acquisition(
        'T1',
        [{ kernel: 'T1-IR', values: delays, unit: 's' }],
        [twoPeaks[0]!, twoPeaks[1]!].map(first),
        500,
        104,
      ),
  ],
  [
    'T2 decay, 1D',
    () => acquisition('T2', [{ kernel: 'T2', values: echoes, unit: 's' }], twoPeaks.map(second), 300, 105),
  ],
];

function axes2(kernel: KernelName, values: Float64Array, unit = 's') {
  return [
    { kernel, values, unit },
    { kernel: 'T2' as const, values: echoes, unit: 's' },
  ];
}
function first(p: (typeof twoPeaks)[number]) {
  return { position: [p.position[0]!], width: [p.width[0]!], fraction: p.fraction };
}
function second(p: (typeof twoPeaks)[number]) {
  return { position: [p.position[1]!], width: [p.width[1]!], fraction: p.fraction };
}

describe('the whole analysis with and without the WebAssembly kernels', () => {
  it('has them loaded (built by npm install / npm test)', () => {
    expect(wasmKernelsState()).toBe(process.env.LAPIS_WASM === '0' ? 'off' : 'loaded');
  });

  it.each(cases)('%s: the same document', async (_, make) => {
    const deps = await loadAnalysisDeps();
    const provenance = { software: 'lapis', version: 'test', source: { format: 'simulated' } } as never;
    const analyse = () => analyseAcquisition(make(), { method: 'auto' }, provenance, deps);
    const withKernels = (await analyse()).document as unknown as Record<string, unknown>;
    const without = (await withoutWasmKernels(analyse)).document as unknown as Record<string, unknown>;
    for (const doc of [withKernels, without]) delete doc.elapsedMs;
    expect((withKernels.peaks as unknown[]).length).toBeGreaterThan(0);
    expect(JSON.stringify(withKernels)).toBe(JSON.stringify(without));
  });
});
