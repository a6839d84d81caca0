/**
 * Reads and validates the agent's YAML configuration. Everything is checked before the agent starts — schema,
 * then the files it names (watch roots, TLS files) — and every problem is reported at once, one per line, with its
 * path in the file. Nothing here touches the network.
 */
import { readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { issueLines } from '@lapis/contracts/issues';
import { agentConfigSchema } from './schema';
import type { AgentConfig } from './schema';

/** A configuration that cannot run; `problems` lists each as `path: message`. */
export class AgentConfigError extends Error {
  constructor(
    readonly source: string,
    readonly problems: string[],
    options?: { cause?: unknown },
  ) {
    super(`${source}: invalid agent configuration\n${problems.map((p) => `  - ${p}`).join('\n')}`, options);
    this.name = 'AgentConfigError';
  }
}

function resolveFrom(base: string, p: string): string {
  return isAbsolute(p) ? p : resolve(base, p);
}

/**
 * Validates an already-parsed object. Relative paths are resolved against `baseDir` (the config file's folder).
 * `source` names the origin in errors (a file path, or `command line`).
 */
export function validateAgentConfig(raw: unknown, source: string, baseDir: string): AgentConfig {
  const parsed = agentConfigSchema.safeParse(raw);
  if (!parsed.success) throw new AgentConfigError(source, issueLines(parsed.error.issues));
  const config = parsed.data;
  const problems: string[] = [];

  config.watch.roots = config.watch.roots.map((r) => resolveFrom(baseDir, r));
  config.watch.roots.forEach((root, i) => {
    try {
      if (!statSync(root).isDirectory()) problems.push(`watch.roots.${i}: ${root} is not a directory`);
    } catch {
      problems.push(`watch.roots.${i}: ${root} does not exist`);
    }
  });
  config.dataDir = resolveFrom(baseDir, config.dataDir);
  for (const root of config.watch.roots) {
    // The agent must never write where the instrument writes (and its own files would be watched).
    const rel = config.dataDir.startsWith(root + '/') || config.dataDir === root;
    if (rel) problems.push(`dataDir: ${config.dataDir} lies inside watch root ${root}; keep agent state elsewhere`);
  }
  if (config.mqtt.reconnectMaxMs < config.mqtt.reconnectMinMs) {
    problems.push('mqtt.reconnectMaxMs: must be ≥ mqtt.reconnectMinMs');
  }
  const readable = (key: string, p: string | undefined): string | undefined => {
    if (p === undefined) return undefined;
    const full = resolveFrom(baseDir, p);
    try {
      readFileSync(full);
    } catch (e) {
      problems.push(`${key}: cannot read ${full} (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
    }
    return full;
  };
  if (config.mqtt.tls) {
    config.mqtt.tls.ca = readable('mqtt.tls.ca', config.mqtt.tls.ca);
    config.mqtt.tls.cert = readable('mqtt.tls.cert', config.mqtt.tls.cert);
    config.mqtt.tls.key = readable('mqtt.tls.key', config.mqtt.tls.key);
    if (Boolean(config.mqtt.tls.cert) !== Boolean(config.mqtt.tls.key)) {
      problems.push('mqtt.tls: cert and key go together');
    }
  }
  config.mqtt.passwordFile = readable('mqtt.passwordFile', config.mqtt.passwordFile);
  config.rules.forEach((rule, i) => {
    if (rule.model !== undefined) rule.model = readable(`rules.${i}.model`, rule.model);
  });
  if (problems.length) throw new AgentConfigError(source, problems);
  return config;
}

/** Loads `path` (YAML or JSON), validates it and resolves its relative paths against the file's folder. */
export function loadAgentConfig(path: string): AgentConfig {
  const full = resolve(path);
  let text: string;
  try {
    text = readFileSync(full, 'utf8');
  } catch (e) {
    throw new AgentConfigError(full, [`cannot read the file (${(e as NodeJS.ErrnoException).code ?? String(e)})`], {
      cause: e,
    });
  }
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (e) {
    throw new AgentConfigError(full, [`not valid YAML: ${(e as Error).message.split('\n')[0]}`], { cause: e });
  }
  return validateAgentConfig(raw ?? {}, full, dirname(full));
}

/** The broker password: mqtt.password, or the first line of mqtt.passwordFile (an editor's trailing newline is not part of it). */
export function mqttPassword(config: AgentConfig): string | undefined {
  return (
    config.mqtt.password ??
    (config.mqtt.passwordFile ? readFileSync(config.mqtt.passwordFile, 'utf8').split(/\r?\n/)[0] : undefined)
  );
}
