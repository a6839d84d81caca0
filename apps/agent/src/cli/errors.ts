/**
 * Errors the command line turns into exit code 2 and one line on stderr: the user gave something we cannot use.
 * (libs/formats' FormatError is the other such error; anything else is a bug and exits 1.)
 */
export class UsageError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UsageError';
  }
}

/** Exit codes of the lapis command. */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_BAD_INPUT = 2;
