/**
 * A Magritek Spinsolve relaxation or diffusion experiment folder → Acquisition. acqu.par (parameters.ts) says the
 * experiment and gives the axes (axes.ts); the data come from, in this order:
 * - data.2d / data.1d, Prospa binaries (read with libs/formats/src/prospa): echo trains (T2Bulk; T1IRT2 and DT2 as
 *   nrEchoes × steps, x fastest), or FIDs of a spectroscopic T1, T2 or PGSTE (nrPnts × steps), which are Fourier
 *   transformed per step (libs/spectra/src/processing) and summed over their signal regions into one bulk curve;
 * - 1D_T1IRT2/NNNN/data.1d, one echo train per inversion delay (with timeT1_s.dat and timeT2_s.dat, checked against
 *   acqu.par);
 * - the text exports (textExport.ts): T1IRT2.dat, DT2.dat, T1/T2 .dat/.csv, pgste.dat, DiffusionPlot.csv.
 * Experiments: T2Bulk/T2 → T2, T1 → T1 (inversion recovery), T1IRT2 → T1–T2, DT2 (PFG–CPMG) → D–T2, PGSTE → D.
 * Complex echo data are rotated onto the real axis (lowField.ts); recoveries keep their sign as measured, ending
 * positive. A file axis (data.1d's x, a text export's first column, a list file) is checked against acqu.par:
 * when it agrees acqu.par's exact values are used, when not the file's, with a warning.
 * By role: parameters.ts (acqu.par, the experiment kinds), dataFiles.ts (which files, read within a byte budget),
 * axes.ts (acqu.par's axes), fileAxes.ts (list files and file axes against acqu.par), signal.ts (a real signal).
 */
import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { KernelName } from '@lapis/contracts/vocabulary';
import { checkAcquisition } from '../checkAcquisition';
import { FormatError, type Acquisition, type AcquisitionAxis, type Experiment } from '../acquisition';
import { checkAxis, checkData, longestDelayReference, recoveryKernel } from '../lowField';
import {
  T1_DELAYS,
  T1IRT2_DELAYS,
  bValues,
  cpmgAxis,
  delayAxis,
  diffusionTiming,
  nucleusOf,
  stepCpmgAxis,
} from './axes';
import { Budget, loadData, NOT_DATA } from './dataFiles';
import { gradientsOf, listFile, reconcile } from './fileAxes';
import { MAX_PARAMETER_BYTES, parseSpinsolveParameters, spinsolveKind, type SpinsolveParameters } from './parameters';
import { bulkIntegrals, realSignal, sumEchoPoints, sumOf } from './signal';

export interface ReadSpinsolveOptions {
  /** Refuse data files larger than this, all together (default 512 MiB). */
  maxBytes?: number;
}

function metadataOf(p: SpinsolveParameters, dir: string, files: string[]): Acquisition['metadata'] {
  const name = p.text('expName');
  const date = name ? /^(\d{2})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})\b/.exec(name) : null;
  let acquiredAt: string | undefined;
  if (date) {
    const [, yy, mo, dd, hh, mi, ss] = date.map(Number) as number[];
    if (mo! >= 1 && mo! <= 12 && dd! >= 1 && dd! <= 31 && hh! < 24 && mi! < 60 && ss! < 60) {
      const pad = (v: number) => String(v).padStart(2, '0');
      // local time of the instrument: acqu.par has no time zone
      acquiredAt = `20${pad(yy!)}-${pad(mo!)}-${pad(dd!)}T${pad(hh!)}:${pad(mi!)}:${pad(ss!)}`;
    }
  }
  const sample = name ? (/\(([^()]*)\)\s*$/.exec(name)?.[1] ?? name) : undefined;
  const spec = [p.text('specType'), p.text('specID') ? `(${p.text('specID')})` : undefined].filter(Boolean).join(' ');
  const parameters = Object.fromEntries([...p.values].filter(([k]) => k !== 'dataDirectory'));
  return {
    source: 'spinsolve',
    path: dir,
    files,
    ...(sample ? { sample } : {}),
    ...(acquiredAt ? { acquiredAt } : {}),
    ...(spec ? { instrument: `Spinsolve ${spec}` } : {}),
    ...(name ? { experimentNumber: name } : {}),
    spinsolveExperiment: p.text('experiment'),
    softwareVersion: p.text('softwareVersion'),
    nucleus: nucleusOf(p),
    parameters,
  };
}

/** Reads a Spinsolve experiment: its folder, its acqu.par, or one of its data files. */
export async function readSpinsolve(path: string, options: ReadSpinsolveOptions = {}): Promise<Acquisition> {
  let s;
  try {
    s = await stat(path);
  } catch (cause) {
    throw new FormatError(path, 'missing or unreadable', { cause });
  }
  const dir = s.isDirectory() ? path : dirname(path);
  // acqu.par or a list file given: the folder's data; any other file: that file's data
  const explicit = s.isDirectory() || NOT_DATA.test(basename(path)) ? undefined : path;
  const parFile = join(dir, 'acqu.par');
  let parSize: number;
  try {
    parSize = (await stat(parFile)).size;
  } catch (cause) {
    throw new FormatError(parFile, 'missing: a Spinsolve experiment folder holds acqu.par beside its data', { cause });
  }
  if (parSize > MAX_PARAMETER_BYTES) throw new FormatError(parFile, `${parSize} bytes: too large for an acqu.par`);
  const p = parseSpinsolveParameters((await readFile(parFile)).toString('latin1'), parFile);
  const warnings = [...p.warnings];
  const experiment = p.text('experiment');
  const kind = spinsolveKind(experiment);
  if (!kind) {
    throw new FormatError(
      parFile,
      experiment === undefined
        ? 'no experiment = "…" line'
        : `experiment "${experiment}" is not one Lapis reads (T2Bulk, T2, T1, T1IRT2, DT2, PGSTE)`,
    );
  }
  const budget = new Budget(options.maxBytes ?? 512 * 1024 * 1024);
  const d = await loadData(dir, explicit, kind, p, budget, warnings);
  const notes = d.notes;
  const files = [parFile, ...d.files];
  let axes: Acquisition['axes'];
  let data: Float64Array;
  let phase: number | undefined;
  let experimentOut: Experiment;

  if (kind === 'T1IRT2' || kind === 'DT2') {
    // echoes summed when the rows hold every acquired point of each echo
    const perEcho = p.number('nrPnts');
    const echoes = p.number('nrEchoes');
    let cols = d.cols;
    if (echoes !== undefined && perEcho !== undefined && perEcho > 1 && cols === echoes * perEcho) {
      sumEchoPoints(d, perEcho);
      cols = d.cols;
      notes.push(`${perEcho} points per echo summed`);
    }
    if (echoes !== undefined && echoes !== cols) warnings.push(`nrEchoes = ${echoes} but the data hold ${cols} echoes`);
    let echoAxis = cpmgAxis(p, cols);
    let outer: AcquisitionAxis;
    if (kind === 'T1IRT2') {
      let delays = delayAxis(p, T1IRT2_DELAYS, d.rows, warnings);
      const declared = p.number('tauSteps');
      if (declared !== undefined && declared !== d.rows) {
        warnings.push(`tauSteps = ${declared} but the data hold ${d.rows} inversion delays (an incomplete run?)`);
      }
      const t1List = await listFile(join(dir, '1D_T1IRT2', 'timeT1_s.dat'), budget);
      if (t1List) {
        files.push(join(dir, '1D_T1IRT2', 'timeT1_s.dat'));
        delays = reconcile('1D_T1IRT2/timeT1_s.dat', t1List, delays, ['s', 'ms', 'us'], warnings, notes);
      }
      const t2List = await listFile(join(dir, '1D_T1IRT2', 'timeT2_s.dat'), budget);
      if (t2List) {
        files.push(join(dir, '1D_T1IRT2', 'timeT2_s.dat'));
        echoAxis = reconcile('1D_T1IRT2/timeT2_s.dat', t2List, echoAxis, ['s', 'ms', 'us'], warnings, notes);
      }
      outer = { kernel: 'T1-IR', values: delays, unit: 's' };
      experimentOut = 'T1-T2';
    } else {
      const g = await gradientsOf(dir, p, d.rows, budget, files, warnings);
      outer = { kernel: 'D', values: bValues(g, diffusionTiming(p, warnings)), unit: 's/m2' };
      experimentOut = 'D-T2';
    }
    axes = [outer, { kernel: 'T2', values: echoAxis, unit: 's' }];
    checkAxes(p.file, axes);
    const reference = kind === 'T1IRT2' ? longestDelayReference(outer.values, cols) : undefined;
    ({ data, phase } = realSignal(d, reference ?? sumOf, warnings));
    if (kind === 'T1IRT2' && recoveryKernel(outer.values, data, cols) === 'T1-SR') {
      axes[0] = { ...outer, kernel: 'T1-SR' };
      warnings.push('the recovery rises from near zero without changing sign: read as saturation recovery (T1-SR)');
    }
  } else {
    const n = d.fids ? d.rows : d.cols;
    let values: Float64Array;
    let kernel: KernelName;
    let axisFromFile = false;
    const fromFile = (e: unknown): Float64Array => {
      // acqu.par without the axis parameters: the file's own x column, in s (what the vendor's exports use)
      if (!(e instanceof FormatError) || !d.x || e.file !== p.file) throw e;
      axisFromFile = true;
      warnings.push(`${e.problem}: the x column of ${basename(d.files[0]!)} is used, read in s`);
      return Float64Array.from(d.x);
    };
    if (kind === 'T2') {
      kernel = 'T2';
      try {
        // a spectroscopic T2 (techo × echoesperstep per step) in its binary or its text export; else an echo train
        values = d.fids || p.has('echoesperstep') ? stepCpmgAxis(p, n) : cpmgAxis(p, n);
      } catch (e) {
        values = fromFile(e);
      }
      const key = d.fids || p.has('echoesperstep') ? 'nrSteps' : 'nrEchoes';
      const declared = p.number(key);
      if (declared !== undefined && declared !== n) warnings.push(`${key} = ${declared} but the data hold ${n} points`);
      experimentOut = 'T2';
    } else if (kind === 'T1') {
      kernel = 'T1-IR';
      try {
        values = delayAxis(p, T1_DELAYS, n, warnings);
      } catch (e) {
        values = fromFile(e);
      }
      experimentOut = 'T1';
    } else {
      kernel = 'D';
      const g = await gradientsOf(dir, p, n, budget, files, warnings);
      values = bValues(g, diffusionTiming(p, warnings));
      experimentOut = 'D';
    }
    if (d.x && !axisFromFile) {
      const units = kind === 'D' ? ['s/m2', 's/mm2'] : ['s', 'ms', 'us'];
      values = reconcile(`the x axis of ${basename(d.files[0]!)}`, d.x, values, units, warnings, notes, kind === 'D');
    }
    axes = [{ kernel, values, unit: kernel === 'D' ? 's/m2' : 's' }];
    checkAxes(p.file, axes);
    const recovery = kind === 'T1';
    if (d.fids) {
      let longest = 0;
      for (let i = 1; i < n; i++) if (values[i]! > values[longest]!) longest = i;
      data = bulkIntegrals(d, p, recovery ? longest : undefined, warnings, notes);
    } else {
      ({ data, phase } = realSignal(d, recovery ? longestDelayReference(values) : sumOf, warnings));
    }
    if (recovery && recoveryKernel(values, data) === 'T1-SR') {
      axes[0] = { ...axes[0], kernel: 'T1-SR' };
      warnings.push('the recovery rises from near zero without changing sign: read as saturation recovery (T1-SR)');
    }
  }
  checkData(d.files[0] ?? dir, data);
  const metadata = metadataOf(p, dir, files);
  if (phase !== undefined) metadata.phase0 = phase;
  if (notes.length > 0) metadata.notes = notes;
  return checkAcquisition({ experiment: experimentOut, axes, data, metadata, warnings }, path);
}

function checkAxes(file: string, axes: Acquisition['axes']): void {
  axes.forEach((a, i) => checkAxis(file, a, `axis ${i + 1} (${a.kernel})`));
}
