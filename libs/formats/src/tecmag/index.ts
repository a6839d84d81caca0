/**
 * Tecmag (TNMR) data: .tnt binary files (tnt.ts, pseq.ts) and TNMR's text export (tntText.ts), read into an
 * Acquisition by readTecmag.ts / interpretTecmag.ts; writers for tests in writeTnt.ts.
 */
export { parseTnt, isTntMagic, TNT_MAGIC } from './tnt';
export type { TntFile, TntTmag, ParseTntOptions } from './tnt';
export { parsePseq } from './pseq';
export type { Pseq, PseqTable } from './pseq';
export { parseTntText, TNT_TEXT_MARK } from './tntText';
export type { TntText } from './tntText';
export { parseTnmrTime } from './tnmrValues';
export { interpretTecmag } from './interpretTecmag';
export type { TecmagOptions, TecmagRaw } from './interpretTecmag';
export { readTecmag, tecmagFromBytes } from './readTecmag';
export { tecmagKind } from './tecmagKind';
export type { ReadTecmagOptions } from './readTecmag';
export { tecmagReader } from './tecmagReader';
export { writeTnt, writeTntText, echoWindows } from './writeTnt';
export { simulateTecmag } from './simulateTecmag';
export type { SimulateTecmagOptions, SimulatedTecmag, TecmagVariant } from './simulateTecmag';
export type { TntSpec, TntSequence, TntCell, TntParameter, EchoWindowOptions } from './writeTnt';
