import { describe, expect, it } from 'vitest';
import { csvCell, toCsv } from './csv';

describe('toCsv', () => {
  it('quotes CSV cells that need it', () => {
    expect(toCsv([{ a: 'x,y', b: 1, c: new Date('2026-01-01T00:00:00Z') }])).toBe(
      'a,b,c\n"x,y",1,2026-01-01T00:00:00.000Z\n',
    );
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
  });

  it('neutralises text cells a spreadsheet would run as a formula (OWASP CSV injection)', () => {
    expect(csvCell('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`);
    expect(csvCell('=1+2')).toBe("'=1+2");
    expect(csvCell('+SUM(A1:A9)')).toBe("'+SUM(A1:A9)");
    expect(csvCell("-2+3+cmd|' /C calc'!A0")).toBe("'-2+3+cmd|' /C calc'!A0");
    expect(csvCell('@SUM(1)')).toBe("'@SUM(1)");
    expect(csvCell('\t=1')).toBe("'\t=1");
    expect(csvCell('\r=1')).toBe(`"'\r=1"`);
    // the same characters inside a cell are harmless
    expect(csvCell('cheese=A')).toBe('cheese=A');
    expect(csvCell('a-b')).toBe('a-b');
  });

  it('keeps numbers numeric, negative ones included', () => {
    expect(csvCell(-1.5)).toBe('-1.5');
    expect(csvCell(-2e-9)).toBe('-2e-9');
    expect(csvCell('-12.5')).toBe('-12.5'); // a number that arrived as text (e.g. a bigint column)
    expect(csvCell('+3')).toBe('+3');
    expect(csvCell(0)).toBe('0');
    expect(csvCell(true)).toBe('true');
    expect(toCsv([{ value: -0.25, sample: '-cheese' }])).toBe("value,sample\n-0.25,'-cheese\n");
  });

  it('neutralises column names and objects too', () => {
    expect(toCsv([{ '=x': 1 }])).toBe("'=x\n1\n");
    expect(csvCell({ a: 1 })).toBe('"{""a"":1}"');
    expect(csvCell(null)).toBe('');
    expect(csvCell(new Date(Number.NaN))).toBe('');
  });
});
