import { describe, expect, it } from 'vitest';
import { formatDiffXml, parseDiffXml } from './diffXml';

/** Laid out as the public readers of real files expect it (see diffXml.ts): δ, Δ in ms, rows of four. */
const TOPSPIN_LIKE = `<?xml version="1.0" encoding="UTF-8"?>
<!-- <delta>999</delta> a comment is not a value -->
<DiffusionSettings version="1">
  <exDiffCoff>1.0E-9</exDiffCoff>
  <DELTA>100.0</DELTA>
  <delta>2.5</delta>
  <xValues>
    <List>1 2.0 0 1.2E7
2 10.0 0 3.0E8
3 30.0 0 2.7E9</List>
  </xValues>
  <yValues><List>1 2 3</List></yValues>
</DiffusionSettings>`;

describe('parseDiffXml', () => {
  it('reads delta and DELTA (ms, case tells them apart), exDiffCoff, and g (G/cm) and b (s/m²) from rows of four', () => {
    const w: string[] = [];
    const s = parseDiffXml(TOPSPIN_LIKE, 'diff.xml', w)!;
    expect(w).toEqual([]);
    expect(s.delta).toBeCloseTo(0.0025, 15);
    expect(s.bigDelta).toBeCloseTo(0.1, 15);
    expect(s.expectedD).toBe(1e-9);
    expect(Array.from(s.gradients!)).toEqual([0.02, 0.1, 0.3]);
    expect(Array.from(s.bValues!)).toEqual([1.2e7, 3e8, 2.7e9]);
  });

  it('reads the <X g=…> variant, units given as attribute or suffix, and the old fallback names', () => {
    const x = parseDiffXml(
      '<r><delta unit="s">0.002</delta><DELTA>50 ms</DELTA><X g="5"/><X g="25" other="1"/></r>',
      'f',
      [],
    )!;
    expect(x.delta).toBeCloseTo(0.002, 15);
    expect(x.bigDelta).toBeCloseTo(0.05, 15);
    expect(Array.from(x.gradients!)).toEqual([0.05, 0.25]);
    expect(x.bValues).toBeUndefined();
    const old = parseDiffXml(
      '<r><littleDelta>1</littleDelta><bigDelta>20</bigDelta><gradients>1, 2</gradients></r>',
      'f',
      [],
    );
    expect(old).toMatchObject({ delta: 0.001, bigDelta: 0.02 });
    expect(Array.from(old!.gradients!)).toEqual([0.01, 0.02]);
  });

  it('round-trips the writer in both layouts; all-zero b means no b-values', () => {
    for (const layout of ['list', 'x-elements'] as const) {
      const g = [0.01, 0.123456789, 0.5];
      const b = [1e6, 2.5e8, 4.75e9];
      const s = parseDiffXml(
        formatDiffXml({ delta: 0.0031, bigDelta: 0.075, gradients: g, bValues: b, layout }),
        'f',
        [],
      )!;
      expect(s.delta).toBeCloseTo(0.0031, 15);
      expect(s.bigDelta).toBeCloseTo(0.075, 15);
      g.forEach((v, i) => expect(s.gradients![i]).toBeCloseTo(v, 14));
      expect(Array.from(s.bValues!)).toEqual(b);
      const noB = parseDiffXml(formatDiffXml({ delta: 0.002, bigDelta: 0.1, gradients: g, layout }), 'f', [])!;
      expect(noB.bValues).toBeUndefined();
    }
  });

  it('warns, never throws, about what it cannot use', () => {
    const cases: [string, RegExp][] = [
      ['<r><xValues><List>1 2 3</List></xValues><delta>2</delta></r>', /3 numbers, not rows of four/],
      ['<r><delta>-2</delta><DELTA>x</DELTA></r>', /not a positive time/],
      ['<r><delta unit="G">2</delta></r>', /not a time/],
      ['<r><xValues><List>1 2 0 -5</List></xValues></r>', /negative or non-finite b-values/],
      ['<r><nothing/></r>', /no diffusion settings recognised/],
      ['\u0000\u0001binary', /binary content/],
    ];
    for (const [text, re] of cases) {
      const w: string[] = [];
      parseDiffXml(text, 'diff.xml', w);
      expect(w.join('\n'), text).toMatch(re);
    }
    expect(parseDiffXml('<r><nothing/></r>', 'diff.xml', [])).toBeUndefined();
  });
});
