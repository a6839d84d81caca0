export { toResultDocument } from './toResultDocument';
export type { ToResultOptions } from './toResultDocument';
export { toPseudo2dResultDocument } from './toPseudo2dResultDocument';
export type { RegionInversion, ToPseudo2dResultOptions } from './toPseudo2dResultDocument';
export { hashFiles } from './hashFiles';
export { downsampleIndices, measuredDecays } from './measuredDecays';
export type { Measured, MeasuredAxis, MeasuredDecaysOptions } from './measuredDecays';
export { compareVendorResults } from './compareVendor';
