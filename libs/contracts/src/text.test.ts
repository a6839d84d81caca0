import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { escapeControls, hasControls, publicReason } from './text';

describe('escapeControls', () => {
  it('shows terminal escapes, NUL, bidi overrides and lone surrogates instead of letting them act', () => {
    expect(escapeControls('a\x1b]0;title\x07\x1b[2Jb')).toBe('a\\u{1b}]0;title\\u{7}\\u{1b}[2Jb');
    expect(escapeControls('x\u0000y')).toBe('x\\u{0}y');
    expect(escapeControls('cheese \u202Eevil')).toBe('cheese \\u{202e}evil');
    expect(escapeControls('\ud800 lone')).toBe('\\u{d800} lone');
    expect(escapeControls('line\nnext')).toBe('line\\u{a}next');
  });

  it('keeps ordinary text, tabs, accents, µ, ² and astral characters as they are', () => {
    for (const s of ['T1 1.2 ms\tT2 3 µs', 'D 2e-9 m²/s', 'Käse, Tag 21', 'δ 4.7 ppm 🧀']) {
      expect(escapeControls(s)).toBe(s);
      expect(hasControls(s)).toBe(false);
    }
  });

  it('leaves nothing unsafe in any string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        expect(hasControls(escapeControls(s))).toBe(false);
      }),
      { numRuns: 500 },
    );
  });
});

describe('publicReason', () => {
  it('says where, not what: quoted file content becomes …', () => {
    expect(publicReason(`data.txt: line 3: 'secret\x1b[2J' is not a number`)).toBe(
      `data.txt: line 3: '…' is not a number`,
    );
    expect(publicReason('acqus: NUC1 "\\"13C" is not a nucleus')).toBe("acqus: NUC1 '…' is not a nucleus");
  });

  it('cuts long text', () => {
    expect(publicReason('x'.repeat(1000), 50)).toHaveLength(50);
  });
});
