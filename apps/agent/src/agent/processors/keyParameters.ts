/**
 * What an acquisition's key covers besides its raw data and the pipeline version: the processing configuration.
 * Parts added to the configuration later enter only when they differ from their defaults, so the keys of everything
 * processed before they existed stay what they were (no reprocessing on upgrade).
 */
import { computedSpectraSettings, DEFAULT_SPECTRA, type AgentConfig } from '../config/schema';

export function keyParameters(
  config: Pick<AgentConfig, 'rules' | 'spectra'>,
  models: readonly { sha256?: string | undefined; problem?: string | undefined }[] = [],
): Record<string, unknown> {
  const { spectra } = config;
  const spectraDefault =
    spectra.minSnr === DEFAULT_SPECTRA.minSnr &&
    spectra.transportValues === DEFAULT_SPECTRA.transportValues &&
    spectra.denoise === DEFAULT_SPECTRA.denoise &&
    spectra.picker === DEFAULT_SPECTRA.picker &&
    spectra.nus === DEFAULT_SPECTRA.nus &&
    spectra.lineBroadeningHz === undefined;
  return {
    rules: config.rules,
    // With a network, the model's hash is part of the key.
    ...(models.length ? { models: models.map((m) => m.sha256 ?? m.problem) } : {}),
    ...(spectraDefault ? {} : { spectra: laterDefaultsLeftOut(spectra) }),
  };
}

/**
 * `spectra` without the settings added after it that are at their defaults (`nus`), so its keys stay as they were,
 * and without `keepFullMiB`, which changes what is kept, not what is computed.
 */
function laterDefaultsLeftOut(spectra: AgentConfig['spectra']): Partial<AgentConfig['spectra']> {
  const { nus, ...rest } = computedSpectraSettings(spectra);
  return nus === DEFAULT_SPECTRA.nus ? rest : { ...rest, nus };
}
