export { waveletDenoise } from './waveletDenoise';
export type { WaveletDenoiseOptions } from './waveletDenoise';
