import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquisitionKey, canonicalJson } from './acquisitionKey';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'lapis-key-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const opts = { pipelineVersion: 'classical/1', parameters: { rules: [{ method: 'auto', grid: 64 }] } };

function acq(name: string, data = '1\n0.5\n') {
  const d = join(dir, name);
  mkdirSync(d, { recursive: true });
  writeFileSync(join(d, 'data.txt'), data);
  writeFileSync(join(d, 'acquisition.json'), '{"format":"lapis-acquisition/1"}');
  return d;
}

describe('acquisitionKey', () => {
  it('hashes relative names, sizes and bytes in name order (independent check with node:crypto)', async () => {
    const d = acq('a');
    const k = await acquisitionKey(d, opts);
    expect(k.files).toEqual(['acquisition.json', 'data.txt']);
    const raw = createHash('sha256')
      .update('acquisition.json\0' + '32\0' + '{"format":"lapis-acquisition/1"}')
      .update('data.txt\0' + '6\0' + '1\n0.5\n')
      .digest('hex');
    expect(k.rawDataHash).toBe(raw);
    expect(k.key).toBe(
      createHash('sha256')
        .update(`lapis-key/1\n${raw}\nclassical/1\n${canonicalJson(opts.parameters)}`)
        .digest('hex'),
    );
    expect(k.bytes).toBe(38);
  });

  it('is the same for the same data anywhere, and changes with data, pipeline version or parameters', async () => {
    const a = await acquisitionKey(acq('a'), opts);
    const b = await acquisitionKey(acq('b'), opts);
    expect(b.key).toBe(a.key);
    expect((await acquisitionKey(acq('c', '1\n0.51\n'), opts)).key).not.toBe(a.key);
    expect((await acquisitionKey(acq('a'), { ...opts, pipelineVersion: 'classical/2' })).key).not.toBe(a.key);
    expect(
      (await acquisitionKey(acq('a'), { ...opts, parameters: { rules: [{ method: 'auto', grid: 32 }] } })).key,
    ).not.toBe(a.key);
    // Property order does not matter
    expect(
      (await acquisitionKey(acq('a'), { ...opts, parameters: { rules: [{ grid: 64, method: 'auto' }] } })).key,
    ).toBe(a.key);
  });

  it('ignores what is written after acquisition (Bruker pdata/, hidden files, backups)', async () => {
    const d = acq('a');
    const before = await acquisitionKey(d, opts);
    mkdirSync(join(d, 'pdata', '1'), { recursive: true });
    writeFileSync(join(d, 'pdata', '1', 'procs'), 'x');
    writeFileSync(join(d, '.DS_Store'), 'x');
    writeFileSync(join(d, 'data.txt~'), 'x');
    expect((await acquisitionKey(d, opts)).key).toBe(before.key);
    mkdirSync(join(d, 'lists'));
    writeFileSync(join(d, 'lists', 'vdlist'), '0.1\n');
    expect((await acquisitionKey(d, opts)).files).toContain('lists/vdlist');
  });

  it('refuses symlinks that leave the watch root, follows those that stay inside', async () => {
    const root = join(dir, 'root');
    const d = acq('root/a');
    const outside = join(dir, 'outside.txt');
    writeFileSync(outside, 'secret');
    writeFileSync(join(root, 'shared.txt'), 'ok');
    symlinkSync(join(root, 'shared.txt'), join(d, 'shared.txt'));
    const k = await acquisitionKey(d, { ...opts, root });
    expect(k.files).toContain('shared.txt');
    symlinkSync(outside, join(d, 'vdlist'));
    await expect(acquisitionKey(d, { ...opts, root })).rejects.toThrow(/symlink leads outside the watch root/);
  });

  it('refuses an empty directory and a bad pipeline version', async () => {
    mkdirSync(join(dir, 'empty'));
    await expect(acquisitionKey(join(dir, 'empty'), opts)).rejects.toThrow(/no files/);
    await expect(acquisitionKey(acq('a'), { ...opts, pipelineVersion: '' })).rejects.toThrow(TypeError);
  });
});
