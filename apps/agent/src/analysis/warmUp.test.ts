import { describe, expect, it } from 'vitest';
import { invert } from '@lapis/physics';
import type { InvertOptions } from '@lapis/physics';
import { warmUpAnalysis } from './warmUp';

describe('warmUpAnalysis', () => {
  it('runs the whole analysis on a 2D UPEN case, a 2D Tikhonov case and a 1D case, then a ¹H spectrum', async () => {
    const methods: string[] = [];
    const counting: typeof invert = (input, options?: InvertOptions) => {
      const r = invert(input, options);
      methods.push(`${input.axes.length}D ${r.method}`);
      return r;
    };
    const r = await warmUpAnalysis({ invert: counting });
    expect(r.done).toBe(4);
    expect(methods).toEqual(['2D upen', '2D tikhonov', '1D upen']);
    expect(r.ms).toBeGreaterThan(0);
  });

  it('never throws: a failing analysis ends the warm-up early', async () => {
    const r = await warmUpAnalysis({
      invert: () => {
        throw new Error('broken');
      },
    });
    expect(r.done).toBe(0);
  });
});
