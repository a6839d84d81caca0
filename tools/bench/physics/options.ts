/** bench:physics' command-line options (see run.ts), read once when the module loads. */
import type { Method } from '@lapis/physics';

const args = process.argv.slice(2);
export const flag = (name: string) => args.includes(name);
const value = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
export const quick = flag('--quick');
/** Timed runs of each Lapis inversion per case; the median is reported (--repeats 1: single shot). */
export const repeats = Math.max(1, Math.round(Number(value('--repeats') ?? 3)));
export const seed = Number(value('--seed') ?? 20261121);
// A method name (`auto` is the default of `lapis invert` and the agent), or `tikhonov-gcv` for Tikhonov with the GCV
// rule instead of the discrepancy principle.
export const methods = (value('--methods') ?? 'auto,tikhonov,tikhonov-gcv,upen,sparse,nnls').split(',');
export const invertOptions = (name: string): { method: Method; alpha?: 'gcv' } =>
  name === 'tikhonov-gcv' ? { method: 'tikhonov', alpha: 'gcv' } : { method: name as Method };
export const refCases = Number(value('--ref-cases') ?? 6);
/** Fresh processes per first-call figure of the full-analysis section (its median). */
export const freshProcesses = Math.max(1, Math.round(Number(value('--fresh') ?? 3)));
/**
 * The Lapis methods the references' times are compared with: the default (`auto`: Tikhonov below SNR 200, UPEN above),
 * Tikhonov (like FLINT) and UPEN (like MUPen2D).
 */
export const LAPIS_SPEED_METHODS = ['auto', 'tikhonov', 'upen'] as const;
