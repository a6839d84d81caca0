/**
 * Adds the display-only denoised spectrum to a 1D `lapis-spectrum/1` document (`denoised`, docs/contracts.md): the
 * network (models/lapis-denoise1d, loaded once per process: spectrumModels.ts) or the wavelet baseline (libs/spectra
 * waveletDenoise), which also stands in when the network cannot be loaded. Peaks, integrals and noise stay those of
 * the spectrum itself.
 */
import type { SpectrumDocument } from '@lapis/contracts';
import { waveletDenoise } from '@lapis/spectra';
import { denoiserModel } from './spectrumModels';

export type DenoiseMethod = 'wavelet' | 'network';

export async function addDenoised(doc: SpectrumDocument, method: DenoiseMethod): Promise<void> {
  if (doc.dimensions !== 1) {
    doc.warnings.push('denoising is for 1D spectra: the 2D spectrum is sent as measured');
    return;
  }
  const real = doc.spectrum.real;
  const step = doc.spectrum.step;
  if (method === 'network' && doc.noise > 0) {
    try {
      const model = await denoiserModel();
      const out = await model.denoise(real, doc.noise);
      doc.denoised = { method, model: model.manifest.id, real: Array.from(out), step };
      return;
    } catch (error) {
      doc.warnings.push(`the denoising network could not run (${(error as Error).message}): wavelet denoising instead`);
    }
  } else if (method === 'network') {
    doc.warnings.push('no noise σ measured, which the denoising network needs: wavelet denoising instead');
  }
  doc.denoised = { method: 'wavelet', real: Array.from(waveletDenoise(real).real), step };
}
