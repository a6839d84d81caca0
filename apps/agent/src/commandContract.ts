/**
 * What every `lapis` subcommand implements, wherever it lives (cli/ for invert and demo, agent/ for the agent,
 * stack/ for the stack): the command line (cli/command.ts) registers and runs them.
 */

/** Where a command writes; injected so tests can run commands in-process. */
export interface CommandIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Directory relative paths resolve against. */
  cwd: string;
}

export interface Command {
  name: string;
  /** The registry's summary (the same constant), for callers holding only the Command. */
  summary: string;
  /** The registry's help (the same constant); printed when the command is run directly with --help. */
  help: string;
  /** Runs with the arguments after the command name; resolves to the exit code. Reports its own errors. */
  run(argv: string[], io: CommandIo): Promise<number>;
}
