import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRng } from '@lapis/physics';
import { defaultDenoiserPath, ModelIntegrityError, openDenoiser } from './index';

/** Lorentzian lines at S/N 6–20 on noise correlated between neighbours (σ = `sigma`), as zero filling leaves it. */
function spectrum(n: number, seed: number, sigma: number) {
  const rng = createRng(seed);
  const white = Array.from({ length: n + 2 }, () => rng.normal());
  const re = Float64Array.from({ length: n }, (_, i) => white[i]! + 2 * white[i + 1]! + white[i + 2]!);
  const sd = Math.sqrt(re.reduce((a, v) => a + v * v, 0) / n);
  const lines = Array.from({ length: 8 }, (_, k) => ({
    x: 600 + k * 1900 + 300 * rng.next(),
    h: (6 + 14 * rng.next()) * sigma,
    w: 6 + 20 * rng.next(),
  }));
  const clean = new Float64Array(n);
  for (const l of lines) for (let i = 0; i < n; i++) clean[i]! += l.h / (1 + 4 * ((i - l.x) / l.w) ** 2);
  const noisy = clean.map((v, i) => v + (sigma * re[i]!) / sd);
  return { clean, noisy, lines };
}

const rms = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i]! - b[i]!) ** 2;
  return Math.sqrt(s / a.length);
};

describe('the spectrum denoiser (models/lapis-denoise1d)', () => {
  for (const seed of [3, 4]) {
    it(`lowers the error against the truth ≥ 2.5× at S/N 6–20, in the spectrum's own units (seed ${seed})`, async () => {
      const model = await openDenoiser();
      try {
        const sigma = 250 * seed;
        const { clean, noisy, lines } = spectrum(16382, seed, sigma); // not a multiple of 4: padded and cut back
        const out = await model.denoise(noisy, sigma);
        expect(out).toHaveLength(noisy.length);
        expect(rms(noisy, clean) / rms(out, clean)).toBeGreaterThan(2.5);
        // line areas over ±3 widths: no systematic loss beyond 3 % on average over the lines
        const bias = lines.map((l) => {
          let a = 0;
          let t = 0;
          for (let i = Math.round(l.x - 3 * l.w); i <= Math.round(l.x + 3 * l.w); i++) {
            a += out[i]!;
            t += clean[i]!;
          }
          return (a - t) / t;
        });
        expect(Math.abs(bias.reduce((a, b) => a + b) / bias.length)).toBeLessThan(0.03);
      } finally {
        await model.release();
      }
    });
  }

  it('refuses a model whose bytes do not match its manifest, and a σ that is not positive', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lapis-denoiser-'));
    try {
      const manifest = defaultDenoiserPath();
      const m = JSON.parse(await readFile(manifest, 'utf8')) as { file: string };
      await copyFile(join(manifest, '..', m.file), join(dir, m.file));
      await writeFile(join(dir, 'm.json'), JSON.stringify({ ...m, sha256: '0'.repeat(64) }));
      await expect(openDenoiser(join(dir, 'm.json'))).rejects.toThrow(ModelIntegrityError);
      await writeFile(join(dir, 'task.json'), JSON.stringify({ ...m, task: 'refine-2d' }));
      await expect(openDenoiser(join(dir, 'task.json'))).rejects.toThrow(/denoise-1d/);
      const model = await openDenoiser(manifest);
      await expect(model.denoise([1, 2, 3, 4], 0)).rejects.toThrow(RangeError);
      await model.release();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
