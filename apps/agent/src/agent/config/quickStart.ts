/**
 * Configuration from command-line flags alone (`lapis agent --watch DIR --instrument ID [--mqtt URL | --broker-port N]`),
 * so that one command runs the agent on a fresh machine. Defaults: embedded broker on 127.0.0.1:1883, state in
 * `~/.lapis-agent/{instrument}`, everything else as in the schema.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { validateAgentConfig } from './loadConfig';
import type { AgentConfig } from './schema';

export interface QuickStartFlags {
  watch: string[];
  instrument: string;
  mqtt?: string;
  brokerPort?: number;
  dataDir?: string;
  polling?: boolean;
  httpPort?: number;
  logLevel?: string;
}

export function quickStartConfig(flags: QuickStartFlags, cwd = process.cwd()): AgentConfig {
  const raw: Record<string, unknown> = {
    instrument: flags.instrument,
    watch: { roots: flags.watch, ...(flags.polling ? { mode: 'polling' } : {}) },
    dataDir: flags.dataDir ?? join(homedir(), '.lapis-agent', String(flags.instrument)),
  };
  if (flags.mqtt !== undefined) raw.mqtt = { url: flags.mqtt };
  if (flags.brokerPort !== undefined) raw.embeddedBroker = { port: flags.brokerPort };
  if (flags.httpPort !== undefined) raw.http = { port: flags.httpPort };
  if (flags.logLevel !== undefined) raw.log = { level: flags.logLevel };
  return validateAgentConfig(raw, 'command line', cwd);
}
