export { prepareInput } from './prepareInput';
export type { PreparedInput, InputAxis } from './prepareInput';
export { loadModel, parseManifest, sha256Hex, ModelIntegrityError } from './manifest';
export type { ModelManifest, LoadedModel } from './manifest';
export { createSession, providersFromEnv, DEFAULT_PROVIDERS } from './providers';
export type { ExecutionProviderName, ProviderAttempt, CreateSessionOptions, ProviderSession } from './providers';
export { openModel, closeAllModels } from './modelSession';
export type { ModelSession, OpenModelOptions } from './modelSession';
export { defaultModelPath, DEFAULT_MODEL_ID } from './defaultModel';
export { invertDl } from './invertDl';
export type { InvertDlOptions, DlReport, DlInversion } from './invertDl';
export {
  inputChannels,
  parseInputChannel,
  parseChannelList,
  auxiliaryMaps,
  auxiliaryInversions,
} from './inputChannels';
export type { InputChannel } from './inputChannels';
export type { PrepareInputOptions } from './prepareInput';
export { openDenoiser, defaultDenoiserPath, DENOISER_ID } from './denoiser';
export type { Denoiser, DenoiserManifest } from './denoiser';
export { openPeakPicker, defaultPeakPickerPath, PEAK_PICKER_ID } from './peakPickerModel';
export type { PeakPickerModel, PeakPickerManifest, NetworkCandidate, PeakCandidatesOptions } from './peakPickerModel';
export { openNusNetwork, defaultNusNetworkPath, NUS_NETWORK_ID, stagesFor } from './nusNetwork';
export type { NusNetwork, NusNetworkManifest, NusNetworkOptions } from './nusNetwork';
