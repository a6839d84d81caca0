import { describe, expect, it } from 'vitest';
import { ruleSchema } from './config/schema';
import { rulesWithMethod } from './reprocess';

const rules = [
  ruleSchema.parse({ experiments: ['T1-T2'], method: 'dl', model: 'models/t1t2.json' }),
  ruleSchema.parse({ experiments: '*', method: 'upen', grid: 96 }),
];

describe('rulesWithMethod', () => {
  it('keeps the rules when no method is asked for', () => {
    expect(rulesWithMethod(rules, undefined)).toEqual(rules);
  });

  it('puts a classical method in every rule, keeping the grid and dropping the model', () => {
    const out = rulesWithMethod(rules, 'tikhonov');
    expect(out.map((r) => [r.experiments, r.pipeline, r.method, r.model, r.grid])).toEqual([
      [['T1-T2'], 'classical', 'tikhonov', undefined, undefined],
      ['*', 'classical', 'tikhonov', undefined, 96],
    ]);
    for (const r of out) expect(ruleSchema.safeParse({ ...r, pipeline: undefined }).success).toBe(true);
  });

  it('sends the 2D maps the networks know to dl (with the configured model) and the rest to the rules', () => {
    const out = rulesWithMethod([rules[1]!], 'dl');
    expect(out[0]).toMatchObject({ experiments: ['T1-T2', 'D-T2'], pipeline: 'network', method: 'dl' });
    expect(out[0]!.model).toBeUndefined();
    expect(out[1]).toEqual(rules[1]);
    expect(rulesWithMethod(rules, 'dl')[0]!.model).toBe('models/t1t2.json');
  });
});
