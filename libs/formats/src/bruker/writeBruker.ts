/**
 * Writer mirroring `readBruker`, for round trips and synthetic test data: acqus, acqu2s, fid or ser, lists, diff.xml,
 * the pulse program copy, audita.txt and any extra files. Plain parameter objects get TD, DTYPA, BYTORDA and NC set
 * from the data and layout; parsed JcampFiles are written exactly as they are (a lossless read → write).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { encodeBrukerBinary, type BrukerDataType, type ComplexRows } from './binary';
import { formatDiffXml, type DiffXmlContent } from './diffXml';
import type { JcampFile, JcampValue } from './jcamp';
import { buildJcamp, setJcampValue, writeJcamp } from './writeJcamp';

export interface WriteBrukerOptions {
  acqus: JcampFile | Record<string, JcampValue>;
  acqu2s?: JcampFile | Record<string, JcampValue>;
  data: ComplexRows;
  /** Default int32. */
  dtype?: BrukerDataType;
  /** Default true. */
  littleEndian?: boolean;
  /** int32 scaling exponent (default 0). */
  nc?: number;
  /** Force 'ser' or 'fid' (default ser when rows > 1). */
  dataFile?: 'ser' | 'fid';
  /** Raw text of vdlist, vclist, difflist (see formatBrukerList). */
  lists?: { vdlist?: string; vclist?: string; difflist?: string };
  /** diff.xml: TopSpin's diffusion settings (see formatDiffXml), or its raw text. */
  diffXml?: DiffXmlContent | string;
  /** pdata/1/procs: processing parameters (SF, OFFSET, PHC1, …), written like acqus. */
  procs?: JcampFile | Record<string, JcampValue>;
  /** pdata/1/proc2s: the F1 processing parameters of a 2D (SI, WDW, MC2, …). */
  proc2s?: JcampFile | Record<string, JcampValue>;
  pulseProgram?: string;
  audita?: string;
  /** More files, path relative to the folder → content. */
  files?: Record<string, string | Uint8Array>;
}

function isJcampFile(x: JcampFile | Record<string, JcampValue>): x is JcampFile {
  return Array.isArray((x as JcampFile).lines) && typeof (x as JcampFile).eol === 'string';
}

export async function writeBrukerDataset(dir: string, o: WriteBrukerOptions): Promise<void> {
  const dtype = o.dtype ?? 'int32';
  const littleEndian = o.littleEndian ?? true;
  const nc = o.nc ?? 0;
  await mkdir(dir, { recursive: true });
  const acqus = isJcampFile(o.acqus)
    ? o.acqus
    : (() => {
        const j = buildJcamp('Parameter file, Lapis synthetic', o.acqus as Record<string, JcampValue>);
        setJcampValue(j, 'TD', o.data.points * 2);
        setJcampValue(j, 'DTYPA', dtype === 'int32' ? 0 : 2);
        setJcampValue(j, 'BYTORDA', littleEndian ? 0 : 1);
        setJcampValue(j, 'NC', nc);
        return j;
      })();
  await writeFile(join(dir, 'acqus'), writeJcamp(acqus), 'latin1');
  if (o.acqu2s) {
    const acqu2s = isJcampFile(o.acqu2s)
      ? o.acqu2s
      : setJcampValue(buildJcamp('Parameter file, Lapis synthetic', o.acqu2s), 'TD', o.data.rows);
    await writeFile(join(dir, 'acqu2s'), writeJcamp(acqu2s), 'latin1');
  }
  const file = o.dataFile ?? (o.data.rows > 1 ? 'ser' : 'fid');
  await writeFile(join(dir, file), encodeBrukerBinary(o.data, { dtype, littleEndian, nc }));
  for (const [name, text] of Object.entries(o.lists ?? {}))
    if (text !== undefined) await writeFile(join(dir, name), text);
  if (o.diffXml !== undefined)
    await writeFile(join(dir, 'diff.xml'), typeof o.diffXml === 'string' ? o.diffXml : formatDiffXml(o.diffXml));
  if (o.procs) {
    const procs = isJcampFile(o.procs) ? o.procs : buildJcamp('Parameter file, Lapis synthetic', o.procs);
    await mkdir(join(dir, 'pdata', '1'), { recursive: true });
    await writeFile(join(dir, 'pdata', '1', 'procs'), writeJcamp(procs), 'latin1');
  }
  if (o.proc2s) {
    const proc2s = isJcampFile(o.proc2s) ? o.proc2s : buildJcamp('Parameter file, Lapis synthetic', o.proc2s);
    await mkdir(join(dir, 'pdata', '1'), { recursive: true });
    await writeFile(join(dir, 'pdata', '1', 'proc2s'), writeJcamp(proc2s), 'latin1');
  }
  if (o.pulseProgram !== undefined) await writeFile(join(dir, 'pulseprogram'), o.pulseProgram);
  if (o.audita !== undefined) await writeFile(join(dir, 'audita.txt'), o.audita);
  for (const [name, content] of Object.entries(o.files ?? {})) {
    const path = join(dir, name);
    await mkdir(join(path, '..'), { recursive: true });
    await writeFile(path, content);
  }
}
