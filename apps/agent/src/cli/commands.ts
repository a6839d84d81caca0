/** The commands `lapis` knows. Add one here: a name, a one-line summary, and a lazy import of its Command. */
import { registerCommand } from './command';
import { INVERT_HELP, INVERT_SUMMARY } from './invert/help';

registerCommand({
  name: 'invert',
  summary: INVERT_SUMMARY,
  help: INVERT_HELP,
  load: async () => (await import('./invert/invertCommand')).invertCommand,
});

registerCommand({
  name: 'agent',
  summary: 'watch acquisition folders, invert what finishes, publish results over MQTT',
  load: async () => (await import('../agent/command')).agentCommand,
});

registerCommand({
  name: 'demo',
  summary: 'invert the bundled example acquisitions (a quick offline look)',
  load: async () => (await import('./demo')).demoCommand,
});

registerCommand({
  name: 'stack',
  summary: 'run everything locally: broker, dashboard, three agents and an instrument simulator (npm start)',
  load: async () => (await import('../stack/stackCommand')).stackCommand,
});
