/**
 * The spectrum denoiser (`task: "denoise-1d"`, trained by tools/training/denoise/train_denoiser.py on simulated
 * spectra): a 1D U-Net that takes a processed spectrum in units of its noise σ and returns it denoised, for display
 * only (docs/spectra.md). Its manifest is checked and its bytes verified (sha256) as every model's (spectrumModel.ts).
 */
import * as ort from 'onnxruntime-node';
import type { ExecutionProviderName } from './providers';
import {
  openSpectrumModel,
  modelManifestPath,
  type SpectrumModelManifest,
  type SpectrumModelOptions,
} from './spectrumModel';

export const DENOISER_ID = 'lapis-denoise1d';

export type DenoiserManifest = SpectrumModelManifest<'denoise-1d'>;

export interface Denoiser {
  manifest: DenoiserManifest;
  provider: ExecutionProviderName;
  /** The spectrum denoised, in its own units; `sigma` is its noise σ (e.g. spectrumNoise). */
  denoise(real: ArrayLike<number>, sigma: number): Promise<Float64Array>;
  release(): Promise<void>;
}

/** models/lapis-denoise1d.json (or LAPIS_DENOISER). */
export function defaultDenoiserPath(env: NodeJS.ProcessEnv = process.env): string {
  return modelManifestPath(DENOISER_ID, 'LAPIS_DENOISER', env);
}

/** Loads, verifies and opens the denoiser (CPU unless `providers` says otherwise; one thread by default). */
export async function openDenoiser(
  manifestPath = defaultDenoiserPath(),
  options: SpectrumModelOptions = {},
): Promise<Denoiser> {
  const { manifest, session, provider } = await openSpectrumModel(manifestPath, 'denoise-1d', options);
  const denoise = async (real: ArrayLike<number>, sigma: number): Promise<Float64Array> => {
    if (!(sigma > 0)) throw new RangeError(`denoise: the noise σ must be > 0, got ${sigma}`);
    const n = real.length;
    // the network halves the length three times: pad to a multiple of 8 by mirroring the end
    const padded = Math.ceil(n / 8) * 8;
    const input = new Float32Array(padded);
    for (let i = 0; i < padded; i++) input[i] = real[i < n ? i : 2 * n - 2 - i]! / sigma;
    const out = await session.run({ [manifest.input.name]: new ort.Tensor('float32', input, [1, 1, padded]) });
    const data = out[manifest.output.name]!.data as Float32Array;
    return Float64Array.from(data.subarray(0, n), (v) => v * sigma);
  };
  return { manifest, provider, denoise, release: () => session.release() };
}
