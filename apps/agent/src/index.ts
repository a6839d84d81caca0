/** @lapis/agent: the `lapis` command and the pieces other apps or tests reuse. */
export { main, generalHelp } from './main';
export { registerCommand, getCommand, listCommands } from './cli/command';
export type { Command, CommandEntry, CommandIo } from './cli/command';
export { UsageError, EXIT_OK, EXIT_FAILURE, EXIT_BAD_INPUT } from './cli/errors';
export { createInvertCommand, invertCommand } from './cli/invert/invertCommand';
export type { InvertDeps } from './cli/invert/invertCommand';
export { toResultDocument, hashFiles } from './result';
export type { ToResultOptions } from './result';
export { LAPIS_VERSION, LAPIS_SOFTWARE } from './version';
