/**
 * What the analysis throws besides libs/formats' FormatError (a file that cannot be read) and plain bugs. Both are the
 * user's to fix, not failures of Lapis: `lapis invert` turns them into exit 2 and one line, the agent into a failed
 * event with the message. Messages name the options as `lapis invert` spells them (`--range2`, `--region`), since
 * that is where they are set.
 */

/** The options do not fit this acquisition (a --region for a layout without chemical shift, no region there, …). */
export class AnalysisInputError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AnalysisInputError';
  }
}

/**
 * libs/physics refused to invert the acquisition's numbers (its RangeError: no signal, a range the grid cannot span,
 * data no distribution explains). The message is physics' own; `path` is the acquisition.
 */
export class CannotInvertError extends RangeError {
  constructor(
    readonly path: string,
    cause: RangeError,
  ) {
    super(cause.message, { cause });
    this.name = 'CannotInvertError';
  }
}
