import { describe, expect, it } from 'vitest';
import { agentConfigSchema } from '../config/schema';
import { keyParameters } from './keyParameters';

const base = { instrument: 'x', watch: { roots: ['/tmp'] }, dataDir: '/tmp/lapis-key' };

describe('the configuration part of an acquisition key', () => {
  it('stays what it was before spectra settings existed when they are left at their defaults', () => {
    const config = agentConfigSchema.parse(base);
    expect(keyParameters(config)).toEqual({ rules: config.rules });
    expect(keyParameters(config, [{ sha256: 'abc' }])).toEqual({ rules: config.rules, models: ['abc'] });
  });

  it('changes when a spectra setting changes', () => {
    const config = agentConfigSchema.parse({ ...base, spectra: { minSnr: 8 } });
    expect(keyParameters(config)).toEqual({
      rules: config.rules,
      spectra: { minSnr: 8, transportValues: 8192, denoise: 'network', picker: 'classical' },
    });
    const lb = agentConfigSchema.parse({ ...base, spectra: { lineBroadeningHz: 1 } });
    expect(keyParameters(lb)).not.toEqual(keyParameters(agentConfigSchema.parse(base)));
    // the NUS method, added later, enters only when it is not the default: the key above is the one it was before
    const nus = agentConfigSchema.parse({ ...base, spectra: { nus: 'network' } });
    expect(keyParameters(nus)).toEqual({
      rules: config.rules,
      spectra: { minSnr: 5, transportValues: 8192, denoise: 'network', picker: 'classical', nus: 'network' },
    });
  });
});
