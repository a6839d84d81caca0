import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeBrukerDataset } from '@lapis/formats';
import { fixtureFiles } from '../../../testing/watchFolder';
import { defaultCompletionCheck } from './completion';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'lapis-completion-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('defaultCompletionCheck', () => {
  it('lapis-acquisition/1: incomplete until the data file holds every point, then complete', async () => {
    const f = fixtureFiles({ seed: 1 });
    writeFileSync(join(dir, 'acquisition.json'), f.json);
    expect(await defaultCompletionCheck(dir)).toBe('incomplete'); // no data file yet
    const lines = f.data.trimEnd().split('\n');
    writeFileSync(join(dir, 'data.txt'), '# header\n' + lines.slice(0, 47).join('\n'));
    expect(await defaultCompletionCheck(dir)).toBe('incomplete');
    writeFileSync(join(dir, 'data.txt'), '# header\n' + lines.join('\n'));
    expect(await defaultCompletionCheck(dir)).toBe('complete');
  });

  it('counts NaN and Inf as written values, so a broken file is handed to the reader at once', async () => {
    const f = fixtureFiles({ seed: 2 });
    writeFileSync(join(dir, 'acquisition.json'), f.json);
    const lines = f.data.trimEnd().split('\n');
    lines[3] = lines[3]!.replace(/^\S+/, 'NaN');
    lines[5] = lines[5]!.replace(/^\S+/, '-Infinity');
    writeFileSync(join(dir, 'data.txt'), lines.join('\n'));
    expect(await defaultCompletionCheck(dir)).toBe('complete');
  });

  it('hands malformed sets on as complete (the reader says why) and ignores folders that are no acquisition', async () => {
    writeFileSync(join(dir, 'acquisition.json'), '{ not json');
    expect(await defaultCompletionCheck(dir)).toBe('complete');
    mkdirSync(join(dir, 'other'));
    writeFileSync(join(dir, 'other', 'notes.txt'), 'x');
    expect(await defaultCompletionCheck(join(dir, 'other'))).toBe('not-an-acquisition');
  });

  it('Bruker: in progress while TopSpin writes (no audit record, recent files), complete with the record', async () => {
    const points = 64;
    const re = new Float64Array(4 * points).map((_, i) => (i % 5) + 1);
    const data = { rows: 4, points, re, im: new Float64Array(4 * points) };
    await writeBrukerDataset(join(dir, 'exp', '1'), { acqus: { PULPROG: 't1ir' }, acqu2s: {}, data });
    expect(await defaultCompletionCheck(join(dir, 'exp', '1'))).toBe('incomplete');
    const when = new Date().toISOString().replace('T', ' ').replace('Z', ' +0000');
    writeFileSync(
      join(dir, 'exp', '1', 'audita.txt'),
      [
        '##TITLE= Audit trail, TOPSPIN\t\tVersion 3.2',
        '##JCAMPDX= 5.01',
        '##AUDIT TRAIL=  $$ (NUMBER, WHEN, WHO, WHERE, PROCESS, VERSION, WHAT)',
        `(   1,<${when}>,<nmr>,<av600>,<go>,<TOPSPIN 3.2>,`,
        '      <created by zg\n       data hash MD5: 1K * 4\n       AB CD>)',
        '##END=',
        '',
      ].join('\n'),
    );
    expect(await defaultCompletionCheck(join(dir, 'exp', '1'))).toBe('complete');
  });
});
