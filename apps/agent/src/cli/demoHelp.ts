/** Summary and help of `lapis demo`; the registry (src/cli/commands.ts) imports them. */
export const DEMO_SUMMARY = 'invert the bundled example acquisitions (a quick offline look)';

export const DEMO_HELP = `lapis demo — invert the bundled example acquisitions (a quick offline look)

Usage: lapis demo [DIR]

Inverts every example acquisition under DIR (default: the repository's examples/ folder) with the default method
and prints its peak table, followed by the populations the example was simulated from.

Example:
  npx lapis demo
`;
