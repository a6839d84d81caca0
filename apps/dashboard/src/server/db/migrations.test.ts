/**
 * Upgrading a database that already holds results: each migration that fills new columns from stored documents must
 * do so, on the same PGlite the dashboard keeps between versions.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, describe, expect, it } from 'vitest';
import { cheeseDoc } from '../../test/fixtures';
import { findMigrations, openDb } from './client';

const dir = mkdtempSync(join(tmpdir(), 'lapis-migrations-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The migration folder as it was up to (and including) migration `last`. */
function migrationsUpTo(last: number): string {
  const out = join(dir, `upto-${last}`);
  cpSync(findMigrations(), out, { recursive: true });
  const journalPath = join(out, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: { idx: number }[] };
  journal.entries = journal.entries.filter((e) => e.idx <= last);
  writeFileSync(journalPath, JSON.stringify(journal));
  return out;
}

describe('dashboard migrations on a database with results', () => {
  it('0004 gives the peaks stored before it their widths from the documents', async () => {
    const pg = await PGlite.create();
    const old = await openDb({ pglite: pg, migrationsFolder: migrationsUpTo(3) });
    await old.db.execute(sql`insert into instruments (id) values ('minispec-1')`);
    await old.db.execute(sql`
      insert into acquisitions (key, instrument_id, path, method, produced_at, provenance, document)
      values ('k1', 'minispec-1', '/d/cheese', 'upen', now(), '{}'::jsonb, ${JSON.stringify(cheeseDoc)}::json)`);
    for (const [rank, p] of cheeseDoc.peaks.entries()) {
      await old.db.execute(
        sql`insert into peaks (acquisition_key, rank, fraction, t1, t2) values ('k1', ${rank}, ${p.fraction}, ${p.position.T1!}, ${p.position.T2!})`,
      );
    }
    const now = await openDb({ pglite: pg });
    const res = await now.db.execute(
      sql`select rank, t1_width_decades, t2_width_decades, d_width_decades from peaks order by rank`,
    );
    const rows = (res as unknown as { rows: Record<string, number | null>[] }).rows;
    expect(rows).toHaveLength(cheeseDoc.peaks.length);
    rows.forEach((r, k) => {
      expect(r.t1_width_decades).toBeCloseTo(cheeseDoc.peaks[k]!.widthDecades!.T1!, 12);
      expect(r.t2_width_decades).toBeCloseTo(cheeseDoc.peaks[k]!.widthDecades!.T2!, 12);
      expect(r.d_width_decades).toBeNull();
    });
    await pg.close();
  }, 60_000);
});
