/**
 * The commands `lapis` knows, and the one place their summary and help come from. Add one here: a name, a one-line
 * summary, its help (from a light module: importing it must not load the command) and a lazy import of its Command.
 * `lapis --help`, `lapis NAME --help` and `lapis help NAME` print these without loading or starting anything.
 */
import { AGENT_HELP, AGENT_SUMMARY } from '../agent/help';
import { STACK_HELP, STACK_SUMMARY } from '../stack/help';
import { registerCommand } from './command';
import { DEMO_HELP, DEMO_SUMMARY } from './demoHelp';
import { INVERT_HELP, INVERT_SUMMARY } from './invert/help';
import { PROCESS_HELP, PROCESS_SUMMARY } from './process/help';

registerCommand({
  name: 'invert',
  summary: INVERT_SUMMARY,
  help: INVERT_HELP,
  load: async () => (await import('./invert/invertCommand')).invertCommand,
});

registerCommand({
  name: 'process',
  summary: PROCESS_SUMMARY,
  help: PROCESS_HELP,
  load: async () => (await import('./process/processCommand')).processCommand,
});

registerCommand({
  name: 'agent',
  summary: AGENT_SUMMARY,
  help: AGENT_HELP,
  load: async () => (await import('../agent/command')).agentCommand,
});

registerCommand({
  name: 'demo',
  summary: DEMO_SUMMARY,
  help: DEMO_HELP,
  load: async () => (await import('./demo')).demoCommand,
});

registerCommand({
  name: 'stack',
  summary: STACK_SUMMARY,
  help: STACK_HELP,
  load: async () => (await import('../stack/stackCommand')).stackCommand,
});
