/** Types of build.mjs for the TypeScript that calls it (tests' global setup, bench:cli). */
export function buildAgent(options?: {
  quiet?: boolean;
  ifStale?: boolean;
}): Promise<{ inputs: string[]; ms: number } | undefined>;
