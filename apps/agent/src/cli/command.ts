/**
 * Subcommands of `lapis` as small plugins. The registry holds light entries (name, one-line summary, full help, a
 * `load` that imports the implementation on demand), so `lapis --help`, `lapis NAME --help` and each command start
 * without loading the others' dependencies. The registry is where help comes from: main.ts prints an entry's help
 * and never hands `--help` to the command. Adding a command is one `registerCommand` call in src/cli/commands.ts.
 */

import type { Command } from '../commandContract';

export type { Command, CommandIo } from '../commandContract';

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
