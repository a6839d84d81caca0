export { parseProspa, writeProspa } from './prospa';
export type { ProspaData, ProspaDataType, ParseProspaOptions } from './prospa';
export { readProspaAcquisition } from './readProspaAcquisition';
export type { ReadProspaOptions } from './readProspaAcquisition';
export { prospaReader } from './prospaReader';
