/** Types of currentBuild.mjs for the TypeScript that calls it. */
export const DIST_URL: URL;
export function builtIsCurrent(dist?: string, root?: string): boolean;
