/** GIT Systems GeoSpec text exports (T2, T1, T1–T2, D, D–T2): parser, reader, registry entry and writer. */
export { parseGeoSpec, geoSpecValue, geoSpecSection } from './parseGeoSpec';
export type { GeoSpecFile, GeoSpecSection } from './parseGeoSpec';
export { geoSpecAcquisition, readGeoSpec, GEOSPEC_TEST_TYPES } from './readGeoSpec';
export type { ReadGeoSpecOptions } from './readGeoSpec';
export { geoSpecReader, looksLikeGeoSpec } from './geoSpecReader';
export { writeGeoSpec, simulateGeoSpec } from './writeGeoSpec';
export type { GeoSpecDocument, GeoSpecTestKind, SimulateGeoSpecOptions, SimulatedGeoSpec } from './writeGeoSpec';
