export { toResultDocument } from './toResultDocument';
export type { ToResultOptions } from './toResultDocument';
export { hashFiles } from './hashFiles';
