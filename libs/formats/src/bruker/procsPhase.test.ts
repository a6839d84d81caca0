import { describe, expect, it } from 'vitest';
import { parseJcamp } from './jcamp';
import { buildJcamp, writeJcamp } from './writeJcamp';
import { BrukerParameters } from './parameters';
import { userPhase1 } from './procsPhase';

const procs = (values: Record<string, number>) =>
  new BrukerParameters('procs', parseJcamp(writeJcamp(buildJcamp('t', values)), { file: 'procs' }));

describe('userPhase1', () => {
  it('takes PHC1 (degrees) as φ1 (radians) when TopSpin phased the spectrum, or when PH_mod is absent', () => {
    const warnings: string[] = [];
    expect(userPhase1(procs({ PHC1: -21.44858, PH_mod: 1 }), warnings)).toBeCloseTo((-21.44858 * Math.PI) / 180, 12);
    expect(userPhase1(procs({ PHC1: 9.2 }), warnings)).toBeCloseTo((9.2 * Math.PI) / 180, 12);
    expect(warnings).toEqual([]);
  });

  it('leaves φ1 automatic when TopSpin did not phase (PH_mod 0, 2), PHC1 is 0 or absent, or there is no procs', () => {
    const warnings: string[] = [];
    expect(userPhase1(procs({ PHC1: 12, PH_mod: 0 }), warnings)).toBeUndefined();
    expect(userPhase1(procs({ PHC1: 12, PH_mod: 2 }), warnings)).toBeUndefined();
    expect(userPhase1(procs({ PHC1: 0, PH_mod: 1 }), warnings)).toBeUndefined();
    expect(userPhase1(procs({ PH_mod: 1 }), warnings)).toBeUndefined();
    expect(userPhase1(undefined, warnings)).toBeUndefined();
    expect(warnings).toEqual([]);
  });

  it('says why a PHC1 that is not a phase is ignored', () => {
    const warnings: string[] = [];
    expect(userPhase1(procs({ PHC1: 1e6, PH_mod: 1 }), warnings)).toBeUndefined();
    expect(warnings).toEqual(['procs PHC1 1000000 ignored: not a phase']);
  });
});
