/**
 * Stand-alone entry of `lapis agent` (tests spawn it; `lapis agent` goes through src/main.ts the same way).
 * Run with: node --import tsx apps/agent/src/agent/bin.ts [agent arguments]
 */
import { agentCommand } from './command';

process.exitCode = await agentCommand.run(process.argv.slice(2), {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  cwd: process.cwd(),
});
