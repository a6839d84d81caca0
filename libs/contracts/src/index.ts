/**
 * @lapis/contracts — zod schemas and inferred types of every document, message and topic Lapis exchanges.
 * The only source of those types: producers validate before they write, consumers parse before they trust.
 */
export * from './vocabulary';
export * from './common';
export * from './acquisition';
export * from './result';
export * from './mqtt';
export * from './units';
export * from './issues';
export * from './spectrum';
