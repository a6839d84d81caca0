/**
 * Bruker minispec relaxometer exports: `.dps` curves and text/CSV exports (minispec.ts), read into an Acquisition by
 * readMinispec.ts; writers for tests in writeMinispec.ts.
 */
export { parseMinispec, unitInTitle } from './minispec';
export type { MinispecColumns } from './minispec';
export { readMinispec, minispecFromText, isMinispec, minispecDate } from './readMinispec';
export type { ReadMinispecOptions } from './readMinispec';
export { minispecReader } from './minispecReader';
export { writeMinispecDps, writeMinispecText } from './writeMinispec';
export type { MinispecCurve, MinispecDpsOptions, MinispecTextOptions } from './writeMinispec';
export { simulateMinispec } from './simulateMinispec';
export type { SimulateMinispecOptions, SimulatedMinispec, MinispecLayout } from './simulateMinispec';
