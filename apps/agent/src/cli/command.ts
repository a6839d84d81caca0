/**
 * Subcommands of `lapis` as small plugins. The registry holds light entries (name, one-line summary, full help, a
 * `load` that imports the implementation on demand), so `lapis --help`, `lapis NAME --help` and each command start
 * without loading the others' dependencies. The registry is where help comes from: main.ts prints an entry's help
 * and never hands `--help` to the command. Adding a command is one `registerCommand` call in src/cli/commands.ts.
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

export interface CommandEntry {
  name: string;
  /** One line for `lapis --help`. */
  summary: string;
  /** Full help for `lapis NAME --help` / `lapis help NAME`, given without loading the implementation. */
  help: string;
  /** Imports the implementation (dynamic import, so unused commands cost nothing). */
  load(): Promise<Command>;
}

const registry = new Map<string, CommandEntry>();

export function registerCommand(entry: CommandEntry): void {
  if (registry.has(entry.name)) throw new Error(`lapis: command ${entry.name} registered twice`);
  registry.set(entry.name, entry);
}

export function getCommand(name: string): CommandEntry | undefined {
  return registry.get(name);
}

export function listCommands(): CommandEntry[] {
  return [...registry.values()].sort((a, b) => a.name.localeCompare(b.name));
}
