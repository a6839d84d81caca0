/**
 * Adds the display-only denoised spectrum to a 1D `lapis-spectrum/1` document (`denoised`, docs/contracts.md): the
 * wavelet baseline (libs/spectra waveletDenoise) or the network (libs/inference openDenoiser, loaded only when asked).
 * Peaks, integrals and noise stay those of the spectrum itself.
 */
import type { SpectrumDocument } from '@lapis/contracts';
import { waveletDenoise } from '@lapis/spectra';

export type DenoiseMethod = 'wavelet' | 'network';

export async function addDenoised(doc: SpectrumDocument, method: DenoiseMethod): Promise<void> {
  if (doc.dimensions !== 1) {
    doc.warnings.push('denoising is for 1D spectra: the 2D spectrum is sent as measured');
    return;
  }
  const real = doc.spectrum.real;
  if (method === 'wavelet') {
    doc.denoised = { method, real: Array.from(waveletDenoise(real).real), step: doc.spectrum.step };
    return;
  }
  if (!(doc.noise > 0)) {
    doc.warnings.push('no noise σ measured: the network denoiser needs one; nothing denoised');
    return;
  }
  const { openDenoiser } = await import('@lapis/inference');
  const model = await openDenoiser();
  try {
    const out = await model.denoise(real, doc.noise);
    doc.denoised = { method, model: model.manifest.id, real: Array.from(out), step: doc.spectrum.step };
  } finally {
    await model.release();
  }
}
