import { mkdtemp, readFile, rm, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FormatError } from '../acquisition';
import type { ComplexRows } from '../bruker/binary';
import { writeBrukerDataset } from '../bruker/writeBruker';
import { classifyCompletion, parseAuditTrail } from './classifyCompletion';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'lapis-completion-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const WHEN = new Date('2026-11-21T10:00:00Z');
function audita(when: Date, what: string): string {
  const t = when.toISOString().replace('T', ' ').replace('Z', ' +0000');
  return [
    '##TITLE= Audit trail, TOPSPIN\t\tVersion 3.2',
    '##JCAMPDX= 5.01',
    '##ORIGIN= Bruker BioSpin GmbH',
    '##OWNER= nmr',
    '##AUDIT TRAIL=  $$ (NUMBER, WHEN, WHO, WHERE, PROCESS, VERSION, WHAT)',
    `(   1,<${t}>,<nmr>,<av600>,<go>,<TOPSPIN 3.2>,`,
    `      <${what}>)`,
    '##END=',
    '',
  ].join('\n');
}

/** 4 rows of 100 complex points, the first `filled` holding data, the rest zero as TopSpin pre-allocates them. */
function rows(filled: number): ComplexRows {
  const re = new Float64Array(400);
  const im = new Float64Array(400);
  for (let i = 0; i < filled * 100; i++) re[i] = (i % 7) + 1;
  return { rows: 4, points: 100, re, im };
}

let n = 0;
async function dataset(filled: number, audit?: string, mtime = WHEN): Promise<string> {
  const dir = join(root, String(++n));
  await writeBrukerDataset(dir, {
    acqus: { PULPROG: 't1ir' },
    acqu2s: {},
    data: rows(filled),
    ...(audit !== undefined ? { audita: audit } : {}),
  });
  for (const f of ['acqus', 'acqu2s', 'ser', ...(audit !== undefined ? ['audita.txt'] : [])])
    await utimes(join(dir, f), mtime, mtime);
  return dir;
}

const done = 'created by zg\n\tstarted at 2026-11-21 09:50:00.000 +0000,\n       data hash MD5: 1K * 4\n       AB CD';

describe('classifyCompletion', () => {
  it('complete: an acquisition record and every row written', async () => {
    const r = await classifyCompletion(await dataset(4, audita(WHEN, done)), { now: new Date(WHEN.getTime() + 1000) });
    expect(r.state).toBe('complete');
    expect(r.rowsWithData).toBe(4);
    expect(r.record?.process).toBe('go');
    expect(r.reasons.join('; ')).toMatch(/record counts 4 rows/);
  });

  it('partial: a record but only 2 of 4 pre-allocated rows hold data (halt)', async () => {
    const what = done.replace('1K * 4', '1K * 2');
    const r = await classifyCompletion(await dataset(2, audita(WHEN, what)), { now: WHEN });
    expect(r.state).toBe('partial');
    expect(r.rowsWithData).toBe(2);
    expect(r.expectedRows).toBe(4);
  });

  it('in-progress: no record and written a moment ago — the ser size alone would say complete', async () => {
    const dir = await dataset(2);
    expect((await readFile(join(dir, 'ser'))).byteLength).toBe(4 * 1024);
    const r = await classifyCompletion(dir, { now: new Date(WHEN.getTime() + 5000) });
    expect(r.state).toBe('in-progress');
    expect(r.reasons.join('; ')).toMatch(/quiet period/);
  });

  it('quiet period as the last resort: complete, partial, aborted', async () => {
    const later = { now: new Date(WHEN.getTime() + 3_600_000) };
    expect((await classifyCompletion(await dataset(4), later)).state).toBe('complete');
    expect((await classifyCompletion(await dataset(3), later)).state).toBe('partial');
    expect((await classifyCompletion(await dataset(0), later)).state).toBe('aborted');
    // a shorter quiet period decides sooner
    expect(
      (await classifyCompletion(await dataset(4), { now: new Date(WHEN.getTime() + 60_000), quietPeriodMs: 30_000 }))
        .state,
    ).toBe('complete');
  });

  it('a record older than the data is stale: a new acquisition over an old folder is in progress', async () => {
    const dir = await dataset(1, audita(new Date(WHEN.getTime() - 86_400_000), done));
    const r = await classifyCompletion(dir, { now: new Date(WHEN.getTime() + 1000) });
    expect(r.state).toBe('in-progress');
    expect(r.reasons.join('; ')).toMatch(/stale/);
  });

  it('a record with no row of data is aborted; a folder without acqus is young or an error', async () => {
    expect((await classifyCompletion(await dataset(0, audita(WHEN, done)), { now: WHEN })).state).toBe('aborted');
    const empty = join(root, 'empty');
    await writeBrukerDataset(join(empty, 'x'), { acqus: {}, data: rows(1) });
    await rm(join(empty, 'x', 'acqus'));
    expect((await classifyCompletion(join(empty, 'x'))).state).toBe('in-progress');
    await utimes(join(empty, 'x'), WHEN, WHEN);
    await utimes(join(empty, 'x', 'ser'), WHEN, WHEN);
    await expect(classifyCompletion(join(empty, 'x'), { now: new Date(WHEN.getTime() + 3_600_000) })).rejects.toThrow(
      FormatError,
    );
  });

  it('parses a real TopSpin audit trail', () => {
    const text = [
      '##TITLE= Audit trail, TOPSPIN\t\tVersion 3.2',
      '##AUDIT TRAIL=  $$ (NUMBER, WHEN, WHO, WHERE, PROCESS, VERSION, WHAT)',
      '(   1,<2020-11-18 14:23:57.910 +0100>,<NMR_mess>,<av600>,<go>,<TOPSPIN 3.2>,',
      '      <created by zg',
      '\tstarted at 2020-11-18 13:46:23.609 +0100,',
      '       data hash MD5: 8K * 10',
      '       15 8A A3 48>)',
      '##END=',
      '',
      '$$ hash MD5',
    ].join('\n');
    const [e] = parseAuditTrail(text);
    expect(e).toMatchObject({ number: 1, who: 'NMR_mess', where: 'av600', process: 'go', version: 'TOPSPIN 3.2' });
    expect(e!.when?.toISOString()).toBe('2020-11-18T13:23:57.910Z');
    expect(e!.what).toMatch(/8K \* 10/);
  });
});
