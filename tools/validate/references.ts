/**
 * Reference answers, read at run time from the files that ship with each dataset: TopSpin's relaxation fits
 * (pdata/1/ct1t2.txt), MUPen2D's own output for the cement T1–T2 set (output_files/), GeoSpec's
 * [Additional Results]; and one published physical value (water's self-diffusion coefficient). Values in SI.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

// ---- TopSpin t1/t2 module ----

export interface TopSpinFit {
  /** 'Peak Point at … ppm' of the fitted peak. */
  ppm: number;
  quantity: 'T1' | 'T2';
  /** Seconds. */
  value: number;
}

// TopSpin writes times with an SI prefix glued on: '1.397s', '857.107m' (ms), '950.2u' (µs)
const PREFIX: Record<string, number> = { s: 1, m: 1e-3, ms: 1e-3, u: 1e-6, us: 1e-6, µ: 1e-6, µs: 1e-6 };

/** What TopSpin fitted: 'INTENSITY' (the peak point's height per delay) or 'AREA' (the integral), from the header. */
export function ct1t2FitKind(text: string): string | undefined {
  return /^\s*(INTENSITY|AREA|INTEGRAL)\s+fit/im.exec(text)?.[1];
}

/** The first component's T1 or T2 of every peak in a ct1t2.txt ('Peak Point at 4.338 ppm' … 'T1 = 1.397s'). */
export function parseCt1t2(text: string): TopSpinFit[] {
  const fits: TopSpinFit[] = [];
  let ppm: number | undefined;
  for (const line of text.split(/\r?\n/)) {
    const head = /Peak Point at\s+(-?[\d.]+)\s*ppm/.exec(line);
    if (head) {
      ppm = Number(head[1]);
      continue;
    }
    const t = /^\s*(T1|T2)\s*=\s*(-?[\d.]+(?:[eE][-+]?\d+)?)\s*([a-zµ]*)/.exec(line);
    if (t && ppm !== undefined) {
      const scale = PREFIX[t[3] || 's'];
      if (scale !== undefined) fits.push({ ppm, quantity: t[1] as 'T1' | 'T2', value: Number(t[2]) * scale });
      ppm = undefined; // one value per peak: the first component
    }
  }
  return fits;
}

// ---- MUPen2D (UPEN) ----

export interface UpenMainPeak {
  /** Log-space centroid over MUPen2D's own peak window (the 11 × 11 cells around the maximum), seconds. */
  t1: number;
  t2: number;
  /** Share of the map in that window (MUPen2D's PercTot / 100). */
  fraction: number;
  /** The window's bounds, seconds. */
  t1Range: [number, number];
  t2Range: [number, number];
  /** The maximum cell, seconds: what Parameters.txt prints as the peak. */
  maxT1: number;
  maxT2: number;
  /** Parameters.txt's own line, for the report. */
  printed: string;
}

function numbers(text: string): number[] {
  return text
    .split(/[\s,]+/)
    .filter((s) => s !== '')
    .map(Number);
}

function sameAxis(a: number[], b: number[]): boolean {
  return a.length === b.length && a.every((v, i) => Math.abs(v - b[i]!) <= 1e-9 * Math.max(1, Math.abs(v)));
}

/**
 * UPEN's main population of the cement T1–T2 set, from the MUPen2D repository's output_files/. Checks first that
 * those outputs are the cement set's: AllParUsed.txt names the folder 'T1-T2_cement/', and t_1.txt/t_2.txt are that
 * folder's t_Y.dat (48 inversion delays) and t_X.dat (1000 echo times). The peak window is MUpen2D.m's own (the
 * maximum cell ± 5 cells per axis, which gives Parameters.txt's PercTot); the position is the log-space centroid
 * over it, the way Lapis positions its peaks. MUPen2D writes times in ms (FilePar.par: 'Inversion Time limit, ms').
 */
export async function readUpenMainPeak(repo: string, dataFolder = 'T1-T2_cement'): Promise<UpenMainPeak> {
  const out = join(repo, 'output_files');
  const read = (p: string) => readFile(p, 'utf8');
  const used = await read(join(out, 'AllParUsed.txt'));
  const folder = /experiment in folder "([^"]+)"/.exec(used)?.[1];
  if (folder?.replace(/\/$/, '') !== dataFolder)
    throw new Error(`output_files/AllParUsed.txt is for folder "${folder ?? '?'}", not ${dataFolder}`);
  const data = join(repo, 'DATA', dataFolder);
  if (!sameAxis(numbers(await read(join(out, 't_1.txt'))), numbers(await read(join(data, 't_Y.dat')))))
    throw new Error(`output_files/t_1.txt is not DATA/${dataFolder}/t_Y.dat`);
  if (!sameAxis(numbers(await read(join(out, 't_2.txt'))), numbers(await read(join(data, 't_X.dat')))))
    throw new Error(`output_files/t_2.txt is not DATA/${dataFolder}/t_X.dat`);
  const t1 = numbers(await read(join(out, 'T1.txt'))).map((v) => v * 1e-3);
  const t2 = numbers(await read(join(out, 'T2.txt'))).map((v) => v * 1e-3);
  // 2D_Distribution.txt: x(iy, ix), rows follow T1 (iy), columns T2 (ix) — MUpen2D.m prints T2(ix), T1(iy)
  const map = (await read(join(out, '2D_Distribution.txt')))
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '')
    .map(numbers);
  if (map.length !== t1.length || map.some((r) => r.length !== t2.length))
    throw new Error(`output_files/2D_Distribution.txt is not ${t1.length} × ${t2.length}`);
  let iy = 0;
  let ix = 0;
  let total = 0;
  for (let i = 0; i < map.length; i++)
    for (let j = 0; j < t2.length; j++) {
      const v = map[i]![j]!;
      total += v;
      if (v > map[iy]![ix]!) [iy, ix] = [i, j];
    }
  const maxT1 = t1[iy]!;
  const maxT2 = t2[ix]!;
  // MUpen2D.m keeps the window's centre one cell inside the grid, then takes ± 5 cells
  const cy = Math.min(Math.max(iy, 1), t1.length - 2);
  const cx = Math.min(Math.max(ix, 1), t2.length - 2);
  const [y0, y1] = [Math.max(cy - 5, 0), Math.min(cy + 5, t1.length - 1)];
  const [x0, x1] = [Math.max(cx - 5, 0), Math.min(cx + 5, t2.length - 1)];
  let sum = 0;
  let l1 = 0;
  let l2 = 0;
  for (let i = y0; i <= y1; i++)
    for (let j = x0; j <= x1; j++) {
      const v = map[i]![j]!;
      sum += v;
      l1 += v * Math.log10(t1[i]!);
      l2 += v * Math.log10(t2[j]!);
    }
  const params = await read(join(out, 'Parameters.txt'));
  const printed = /MUpen2D - T2=.*PercTot=[\d.]+/.exec(params)?.[0].replace(/\s+/g, ' ') ?? '';
  return {
    t1: 10 ** (l1 / sum),
    t2: 10 ** (l2 / sum),
    fraction: sum / total,
    t1Range: [t1[y0]!, t1[y1]!],
    t2Range: [t2[x0]!, t2[x1]!],
    maxT1,
    maxT2,
    printed,
  };
}

// ---- GIT GeoSpec text export ----

export interface GeoSpecResult {
  quantity: string;
  /** Seconds. */
  value: number;
  line: string;
}

/**
 * The log-mean T1/T2 GeoSpec wrote into the export's [Additional Results] section ('T<sub>2</sub> Log Mean=12.777').
 * GeoSpec gives times in ms (the file's own header: 'Tau - ms', 'T2Max - ms', 'T1Max - ms'; its [Data] times are ms).
 */
export function parseGeoSpecLogMeans(text: string): GeoSpecResult[] {
  const out: GeoSpecResult[] = [];
  let inSection = false;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line.startsWith('[')) {
      inSection = line === '[Additional Results]';
      continue;
    }
    if (!inSection) continue;
    const m = /^T(?:<sub>)?([12])(?:<\/sub>)?\s*Log Mean\s*=\s*([-\d.eE+]+)/i.exec(line);
    if (m) out.push({ quantity: `T${m[1]} log-mean`, value: Number(m[2]) * 1e-3, line });
  }
  return out;
}

// ---- water ----

/**
 * Self-diffusion coefficient of pure water (m²/s) at `celsius` (0–100 °C): the Speedy–Angell fit of
 * M. Holz, S. R. Heil, A. Sacco, Phys. Chem. Chem. Phys. 2 (2000) 4740–4742, D = D0·(T/Ts − 1)^γ with
 * D0 = 1.635e-8 m²/s, Ts = 215.05 K, γ = 2.063; 2.299e-9 m²/s at 25 °C, as measured by R. Mills,
 * J. Phys. Chem. 77 (1973) 685–688.
 */
export function waterSelfDiffusion(celsius: number): number {
  return 1.635e-8 * ((celsius + 273.15) / 215.05 - 1) ** 2.063;
}

// ---- Spinsolve acqu.par ----

/** `key = value` lines of a Spinsolve acqu.par (quotes removed). */
export function parseAcquPar(text: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const kv = /^\s*([^=\s]+)\s*=\s*(.*?)\s*$/.exec(line);
    if (kv) m.set(kv[1]!, kv[2]!.replace(/^"(.*)"$/, '$1'));
  }
  return m;
}
