/** analysePath on its own: settings per experiment, and its typed errors (no CLI involved). */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FormatError, writeLapisAcquisition } from '@lapis/formats';
import { t2Acquisition } from '../testing/fixtures';
import { shimInvert } from '../testing/shimInvert';
import { analysePath, AnalysisInputError, CannotInvertError } from '.';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'lapis-analysis-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('analysePath', () => {
  it('asks for the settings of the experiment read, and names the reader it detected', async () => {
    const dir = join(root, 't2');
    await writeLapisAcquisition(dir, t2Acquisition());
    const asked: string[] = [];
    const seen: string[] = [];
    const r = await analysePath(dir, {
      settingsFor(experiment) {
        asked.push(experiment);
        return { method: 'tikhonov', grid: 32, uncertainty: 0 };
      },
      onReader: (d) => seen.push(d.name),
      deps: { invert: shimInvert },
    });
    expect(asked).toEqual(['T2']);
    expect(seen).toEqual(['lapis-acquisition/1']);
    expect(r.reader).toBe('lapis-acquisition/1');
    expect(r.method).toBe('tikhonov');
    expect(r.document.axes[0]!.values).toHaveLength(32);
    expect(r.document.provenance?.source?.files).toEqual([join(dir, 'acquisition.json'), join(dir, 'data.txt')]);
  });

  it('throws its own errors: options that do not fit, numbers physics refuses, files no reader knows', async () => {
    const dir = join(root, 'zero');
    const acq = t2Acquisition();
    await writeLapisAcquisition(dir, { ...acq, data: new Float64Array(acq.data.length) });
    await expect(analysePath(dir, { method: 'auto', region: [1, 2] })).rejects.toThrow(AnalysisInputError);
    const refused = await analysePath(dir, { method: 'tikhonov' }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(CannotInvertError);
    expect(refused).toBeInstanceOf(RangeError); // physics' message, unchanged
    expect((refused as CannotInvertError).path).toBe(dir);
    await expect(analysePath(root, { method: 'auto' })).rejects.toThrow(FormatError);
  });
});
