/** A user's text as a literal inside a LIKE pattern: `%`, `_` and the escape character `\` lose their meaning. */
export const escapeLike = (s: string): string => s.replace(/[\\%_]/g, (c) => `\\${c}`);
