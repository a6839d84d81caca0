/** What a spectrum view is drawn from, in words, under the 1D and the 2D plot (useFullResolution.ts). */
import type { Resolution } from './useFullResolution';

/** `whole`: what a document sent at full resolution is ("16,384 points"). */
export function resolutionText(r: Resolution, whole: string): string {
  switch (r.state) {
    case 'transported':
      return whole;
    case 'reduced':
      return `reduced for transport (1 value per ${r.step} points) · zoom in for full resolution`;
    case 'loading':
      return 'fetching full resolution from the agent…';
    case 'full':
      return r.step === 1 ? 'full resolution' : `from the agent, 1 value per ${r.step} points`;
    case 'unavailable':
      return `full resolution unavailable: ${r.reason}`;
  }
}
