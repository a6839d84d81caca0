import { describe, expect, it } from 'vitest';
import { displayText, hasBidiControl } from './displayText';

describe('displayText', () => {
  it('removes every bidirectional control', () => {
    const controls = [
      ...Array.from({ length: 5 }, (_, i) => 0x202a + i),
      ...Array.from({ length: 4 }, (_, i) => 0x2066 + i),
      0x200e,
      0x200f,
      0x061c,
    ].map((c) => String.fromCodePoint(c));
    expect(controls).toHaveLength(12);
    for (const c of controls) {
      expect(displayText(`cheese${c}-A`)).toBe('cheese-A');
      expect(hasBidiControl(`x${c}`)).toBe(true);
    }
    // The Trojan-Source shape: a right-to-left override makes the rest of the name display reversed
    expect(displayText('gouda\u202E3-yad\u202C')).toBe('gouda3-yad');
    expect(hasBidiControl('plain name')).toBe(false);
  });

  it('keeps ordinary text, right-to-left scripts included', () => {
    for (const s of ['cheese-A', 'gouda day 3 (20 °C)', 'T₂ 40 ms', 'عينة ٣', 'דגימה 3', '試料 3']) {
      expect(displayText(s)).toBe(s);
    }
  });

  it('shows other control characters as U+FFFD, null as the fallback, cuts long text', () => {
    expect(displayText('a\u0000b\nc\u0085d\u007f')).toBe('a\uFFFDb\uFFFDc\uFFFDd\uFFFD');
    expect(displayText(null, '–')).toBe('–');
    expect(displayText(undefined)).toBe('');
    const long = displayText('x'.repeat(1000));
    expect(long).toHaveLength(300);
    expect(long.endsWith('…')).toBe(true);
    expect(displayText('abcdef', '', 4)).toBe('abc…');
  });
});
