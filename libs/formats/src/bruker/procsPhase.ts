/**
 * The user's first-order phase from pdata/1/procs: PHC1 (degrees across the spectral width) is Lapis's φ1 with the
 * same sign, and φ0 is left to the absorption criterion — TopSpin's PHC0 maps to Lapis's φ0 with a dataset-dependent
 * offset (the fractional group delay, a 180° convention), which the automatic φ0 finds anyway. The automatic φ1
 * (ACME) lands 0.2–0.3 rad off on the bruker-data-test ¹H spectra, whose sign penalty counts baseline rolls.
 * Ignored when TopSpin did not phase (PH_mod 0, or 2: magnitude) or PHC1 is 0 or not a phase.
 */
import type { BrukerParameters } from './parameters';

export function userPhase1(procs: BrukerParameters | undefined, warnings: string[]): number | undefined {
  const phc1 = procs?.number('PHC1');
  const phMod = procs?.number('PH_mod');
  if (phc1 === undefined || phc1 === 0 || phMod === 0 || phMod === 2) return undefined;
  if (Number.isFinite(phc1) && Math.abs(phc1) <= 3600) return (phc1 * Math.PI) / 180;
  warnings.push(`procs PHC1 ${phc1} ignored: not a phase`);
  return undefined;
}
