import { describe, expect, it } from 'vitest';
import { FormatError } from '../acquisition';
import { jcampValue, parseJcamp } from './jcamp';
import { BrukerParameters } from './parameters';
import { buildJcamp, setJcampValue, writeJcamp } from './writeJcamp';

const ACQUS = [
  '##TITLE= Parameter file, TOPSPIN\t\tVersion 3.2',
  '##JCAMPDX= 5.0',
  '##NPOINTS= 11\t$$ modification sequence number',
  '##OWNER= NMR_mess',
  '$$ 2020-11-18 14:23:57.503 +0100  NMR_mess@av600',
  '##$D= (0..63)',
  '0 15 0 0 0 0 0 5 0 0.06 0 0.03 0 0 0 0 0.0001 0 0 0 0 0 0 0 0 0 0 0 0 0',
  '0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0',
  '0 0 0 0',
  '##$GPNAM= (0..3)',
  '<sine.100> <SMSQ10.100> <> <a b>',
  '##$PULPROG= <t1ir>',
  '##$TD= 8192',
  '##$GRPDLY= 67.9852447509766',
  '##END=',
  '',
].join('\n');

describe('parseJcamp / writeJcamp', () => {
  it('decodes numbers, strings, number arrays over several lines and string arrays', () => {
    const p = new BrukerParameters('acqus', parseJcamp(ACQUS));
    expect(p.number('TD')).toBe(8192);
    expect(p.string('PULPROG')).toBe('t1ir');
    expect(p.number('GRPDLY')).toBeCloseTo(67.9852447509766, 12);
    const d = p.value('D') as number[];
    expect(d).toHaveLength(64);
    expect(d[1]).toBe(15);
    expect(d[16]).toBe(0.0001);
    expect(p.value('GPNAM')).toEqual(['sine.100', 'SMSQ10.100', '', 'a b']);
    expect(p.number('NPOINTS')).toBe(11); // trailing $$ comment dropped
    expect(p.string('OWNER')).toBe('NMR_mess');
    expect(p.numberElement('D', 20)).toBe(0);
    expect(() => p.requireNumber('SW_h')).toThrow(/missing parameter SW_h/);
  });

  it('writes a parsed file back byte for byte, LF and CRLF', () => {
    expect(writeJcamp(parseJcamp(ACQUS))).toBe(ACQUS);
    const crlf = ACQUS.replace(/\n/g, '\r\n');
    expect(writeJcamp(parseJcamp(crlf))).toBe(crlf);
    const noFinal = ACQUS.slice(0, -1);
    expect(writeJcamp(parseJcamp(noFinal))).toBe(noFinal);
    const mixed = ACQUS.replace('##$TD= 8192\n', '##$TD= 8192\r\n').replace('##END=', '##END=\r');
    expect(writeJcamp(parseJcamp(mixed))).toBe(mixed);
    const j = parseJcamp(crlf);
    expect(new BrukerParameters('x', j).value('D')).toHaveLength(64);
    setJcampValue(j, 'ADDED', [1, 2]);
    expect(writeJcamp(j)).toContain('##$ADDED= (0..1)\r\n1 2\r\n##END=');
  });

  it('changes one value and keeps the rest', () => {
    const j = parseJcamp(ACQUS);
    setJcampValue(j, 'TD', 4096);
    setJcampValue(j, 'NEWKEY', [1, 2, 3]);
    const text = writeJcamp(j);
    expect(text).toContain('##$TD= 4096\n');
    expect(text).toContain('##$NEWKEY= (0..2)\n1 2 3\n##END=');
    const back = new BrukerParameters('x', parseJcamp(text));
    expect(back.value('NEWKEY')).toEqual([1, 2, 3]);
    expect(back.string('PULPROG')).toBe('t1ir');
  });

  it('builds files that read back to the same values', () => {
    const values = {
      TD: 1024,
      SW_h: 6009.6,
      PULPROG: 't1ir',
      D: Array.from({ length: 32 }, (_, i) => i / 10),
      GPNAM: ['sine.100', 'x'],
    };
    const p = new BrukerParameters('acqus', parseJcamp(writeJcamp(buildJcamp('t', values))));
    for (const [k, v] of Object.entries(values)) expect(p.value(k)).toEqual(v);
  });

  it('rejects binary garbage and text without records with a FormatError naming the file', () => {
    const garbage = new Uint8Array(512);
    for (let i = 0; i < garbage.length; i++) garbage[i] = (i * 131 + 7) % 256;
    expect(() => parseJcamp(garbage, { file: '/x/acqus' })).toThrow(FormatError);
    expect(() => parseJcamp(garbage, { file: '/x/acqus' })).toThrow(/\/x\/acqus: binary content/);
    expect(() => parseJcamp('hello\nworld\n', { file: 'acqus' })).toThrow(/no JCAMP-DX records/);
    expect(() => parseJcamp('##TD 5\n', { file: 'acqus' })).toThrow(/without '='/);
  });

  it('decodes single values', () => {
    expect(jcampValue(' -1.5e-3')).toBe(-0.0015);
    expect(jcampValue(' <>')).toBe('');
    expect(jcampValue(' (0..1)\n1 x')).toEqual([1, Number.NaN]);
    expect(jcampValue(' hello world')).toBe('hello world');
  });
});
