/**
 * The networks the rules use, identified by their sha256, so that the idempotency key changes when a model file
 * changes (a new model is a new processing). Loading also verifies each model against its manifest, so a missing or
 * altered model is reported once at start-up rather than as a fallback warning in every result.
 */
import type { Rule } from '../config/schema';

export interface ModelFingerprint {
  /** Index of the rule in the configuration. */
  rule: number;
  /** Manifest path the rule resolves to. */
  manifest: string;
  /** sha256 of the model file when it loaded, else undefined. */
  sha256?: string;
  /** Why it could not be loaded. */
  problem?: string;
}

export async function modelFingerprints(rules: readonly Rule[]): Promise<ModelFingerprint[]> {
  const dl = rules.map((rule, i) => ({ rule, i })).filter(({ rule }) => rule.method === 'dl');
  if (!dl.length) return [];
  // ONNX Runtime is a native module: loaded only when a rule asks for the network.
  const { defaultModelPath, loadModel } = await import('@lapis/inference');
  return Promise.all(
    dl.map(async ({ rule, i }) => {
      const manifest = rule.model ?? defaultModelPath();
      try {
        const loaded = await loadModel(manifest);
        return { rule: i, manifest, sha256: loaded.manifest.sha256 };
      } catch (error) {
        return { rule: i, manifest, problem: (error as Error).message.split('\n')[0]! };
      }
    }),
  );
}
