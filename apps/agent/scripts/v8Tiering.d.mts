/** Types of v8Tiering.mjs for the TypeScript that calls it. */
export const ONE_SHOT_V8_FLAGS: string;
export function tuneForOneShot(env?: NodeJS.ProcessEnv): boolean;
