/**
 * The spectrum networks of libs/inference (the denoiser, the peak picker, the NUS network), each loaded once per process on first use
 * and kept; a failed load is reported by the spectrum that asked and tried again by the next. libs/inference (and
 * onnxruntime) load only when a network is asked for.
 */
import type { Denoiser, NusNetwork, PeakPickerModel } from '@lapis/inference';

function once<T>(open: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () => {
    loading ??= open();
    loading.catch(() => (loading = undefined));
    return loading;
  };
}

export const denoiserModel = once<Denoiser>(() => import('@lapis/inference').then((m) => m.openDenoiser()));
export const peakPickerModel = once<PeakPickerModel>(() => import('@lapis/inference').then((m) => m.openPeakPicker()));
export const nusNetworkModel = once<NusNetwork>(() => import('@lapis/inference').then((m) => m.openNusNetwork()));
