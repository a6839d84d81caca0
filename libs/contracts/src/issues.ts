/**
 * The one formatter of validation problems (zod's `error.issues`) as `path: message` — one line each, or all in one
 * line where a command's stderr, an MQTT reply or an HTTP error needs one line. zod's `z.prettifyError` writes
 * several lines per problem, which those places cannot carry.
 * No zod here (the issues are taken by shape): `@lapis/contracts/issues`.
 */

/** One problem of a parse, as zod reports it. */
export interface IssueLike {
  readonly path: readonly PropertyKey[];
  readonly message: string;
}

export interface IssueFormatOptions {
  /** What names an issue of the whole value, whose path is empty (default `(top level)`). */
  root?: string;
}

/** `path: message`, the path's keys joined with dots, e.g. `mqtt.port: Too big: expected number to be <=65535`. */
export function issueLine(issue: IssueLike, options: IssueFormatOptions = {}): string {
  const path = issue.path.length ? issue.path.map(String).join('.') : (options.root ?? '(top level)');
  return `${path}: ${issue.message}`;
}

/** One `path: message` line per issue. */
export function issueLines(issues: readonly IssueLike[], options: IssueFormatOptions = {}): string[] {
  return issues.map((i) => issueLine(i, options));
}

/**
 * Every issue in one line, `; ` between them; with `max`, the first `max` and `… N more`.
 */
export function formatIssues(
  issues: readonly IssueLike[],
  options: IssueFormatOptions & { max?: number } = {},
): string {
  const shown = options.max === undefined ? issues : issues.slice(0, options.max);
  const more = issues.length - shown.length;
  return issueLines(shown, options).join('; ') + (more > 0 ? `; … ${more} more` : '');
}
