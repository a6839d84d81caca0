/**
 * Reprocessing on request (the MQTT `command` topic, or Agent.reprocess): which of the requested paths may be queued
 * again — acquisition folders inside a watch root — and the request's validation. The queued ones go through the
 * same analysis as any new acquisition, bypassing only the key skip.
 */
import { existsSync, realpathSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { formatIssues } from '@lapis/contracts/issues';
import { reprocessRequestSchema } from '@lapis/contracts';
import type { ReprocessRequest } from '@lapis/contracts';
import { NETWORK_EXPERIMENTS, type Rule } from './config/schema';
import { ACQUISITION_MARKERS } from './inputs/watcher/completion';
import { inside } from './paths';

/** `path` as a folder to reprocess with its watch root, or why it cannot be. */
export function reprocessTarget(
  path: string,
  roots: readonly string[],
): { dir: string; root: string } | { reason: string } {
  const full = resolve(path);
  let real: string;
  try {
    real = realpathSync(full);
  } catch {
    return { reason: 'no such directory' };
  }
  const root = roots.find((r) => inside(realpathSync(r), real));
  if (!root) return { reason: 'not inside a watch root' };
  if (!ACQUISITION_MARKERS.some((m) => existsSync(join(full, m)))) return { reason: 'not an acquisition directory' };
  return { dir: full, root };
}

/** A reprocess request checked against the contract, or the reply saying what is wrong with it. */
export function parseReprocessRequest(body: unknown): { request: ReprocessRequest } | { error: string } {
  const req = reprocessRequestSchema.safeParse(body);
  if (req.success) return { request: req.data };
  return {
    error: `bad reprocess request: ${formatIssues(req.error.issues, { root: '' })}`,
  };
}

/** What a reprocess request asks beyond "again": its id, who asked, and a method instead of the rules. */
export interface RequestedRun {
  id: string;
  by?: string;
  method?: NonNullable<ReprocessRequest['method']>;
}

/**
 * The agent's rules with the requested method in place of theirs: a classical method for every experiment; `dl`
 * for the 2D maps the networks know (with the model of a configured `dl` rule, if any), the rules for the rest.
 */
export function rulesWithMethod(rules: readonly Rule[], method: RequestedRun['method']): Rule[] {
  if (!method) return [...rules];
  if (method === 'dl') {
    const model = rules.find((r) => r.method === 'dl')?.model;
    return [
      { experiments: [...NETWORK_EXPERIMENTS], pipeline: 'network', method: 'dl', ...(model ? { model } : {}) },
      ...rules,
    ];
  }
  return rules.map(({ model: _model, ...r }) => ({ ...r, pipeline: 'classical' as const, method }));
}

/**
 * The new-version run a request asks for, if any: only a request that asks for something of its own (a method, or
 * naming who asked) makes new versions; a bare one (`lapis agent reprocess`) processes again under the usual keys.
 */
export function requestedRunOf(request: ReprocessRequest): RequestedRun | undefined {
  const { requestId, method, requestedBy } = request;
  if (!method && !requestedBy) return undefined;
  return { id: requestId, ...(requestedBy ? { by: requestedBy } : {}), ...(method ? { method } : {}) };
}
