/**
 * Entry point of the `lapis` command: `lapis COMMAND [options]`. Dispatches to the registered subcommands and maps
 * errors to exit codes: 2 and one line for bad input (UsageError, FormatError), 1 for anything unexpected. Every
 * help text comes from the registry (src/cli/commands.ts).
 */
import './cli/commands';
import { getCommand, listCommands } from './cli/command';
import type { Command, CommandIo } from './cli/command';
import { EXIT_BAD_INPUT, EXIT_FAILURE, EXIT_OK } from './cli/errors';
import { LAPIS_VERSION } from './version';

export function generalHelp(): string {
  const commands = listCommands();
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'lapis — Laplace NMR (T1, T2, D; 1D and 2D inverse Laplace transforms)',
    '',
    'Usage: lapis COMMAND [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Options:',
    '  -h, --help     show this help (lapis COMMAND --help: help of a command)',
    '  -v, --version  print the version',
    '',
    'Example:',
    '  npx lapis invert ./my-t1t2-acquisition --out result.json',
    '',
  ].join('\n');
}

const defaultIo: CommandIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  cwd: process.cwd(),
};

/** Runs `lapis` with `argv` (without node and the script); resolves to the exit code. */
export async function main(argv: string[], io: CommandIo = defaultIo): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || first === '-h' || first === '--help' || first === 'help') {
    const target = first === 'help' && rest[0] ? getCommand(rest[0]) : undefined;
    io.stdout(target ? target.help : generalHelp());
    return EXIT_OK;
  }
  if (first === '-v' || first === '--version') {
    io.stdout(`lapis ${LAPIS_VERSION}\n`);
    return EXIT_OK;
  }
  const command = getCommand(first);
  if (!command) {
    const known = listCommands()
      .map((c) => c.name)
      .join(', ');
    io.stderr(`lapis: unknown command '${first}' (commands: ${known}; see lapis --help)\n`);
    return EXIT_BAD_INPUT;
  }
  // Help comes from the registry: the command is neither loaded nor run (`lapis stack --help` starts nothing).
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(command.help);
    return EXIT_OK;
  }
  let loaded: Command;
  try {
    loaded = await command.load();
  } catch (error) {
    io.stderr(`lapis: cannot load the ${first} command: ${String((error as Error).message ?? error).split('\n')[0]}\n`);
    return EXIT_FAILURE;
  }
  return loaded.run(rest, io);
}
