/**
 * Magritek Spinsolve `acqu.par`: one `key = value` per line (CRLF or LF), values a quoted string ("T1IRT2"), a
 * number (100, 1.26579e+006) or a list ([-5,15]). Keys are case-sensitive and may start with a digit
 * (90Amplitude1H). Times are in the units the Spinsolve software uses: echoTime µs, minTau/maxTau/minDelay/
 * maxDelay/bDelta/lDelta/gradRamp ms, gradMax mT/m, bandwidth kHz, dwellTime µs, b1Freq MHz.
 */
import { FormatError } from '../acquisition';
import { strictNumber } from '../lowField';

/** acqu.par files are a few KiB; anything larger is not one. */
export const MAX_PARAMETER_BYTES = 1024 * 1024;

export class SpinsolveParameters {
  constructor(
    readonly file: string,
    /** key → value, quotes removed. */
    readonly values: ReadonlyMap<string, string>,
    readonly warnings: string[],
  ) {}

  has(key: string): boolean {
    return this.values.has(key);
  }

  text(key: string): string | undefined {
    return this.values.get(key);
  }

  /** A number, or undefined when absent or not a number ("factory", "calculated"). */
  number(key: string): number | undefined {
    const v = this.values.get(key);
    return v === undefined ? undefined : strictNumber(v);
  }

  /** A number that must be there: a FormatError naming the key and what it is needed for otherwise. */
  requireNumber(key: string, neededFor: string): number {
    const v = this.number(key);
    if (v === undefined) {
      const raw = this.values.get(key);
      throw new FormatError(
        this.file,
        raw === undefined
          ? `no ${key} (needed for ${neededFor})`
          : `${key} = ${JSON.stringify(raw.slice(0, 40))} is not a number (needed for ${neededFor})`,
      );
    }
    return v;
  }

  /** A positive integer that must be there. */
  requireCount(key: string, neededFor: string): number {
    const v = this.requireNumber(key, neededFor);
    if (!Number.isInteger(v) || v < 1) throw new FormatError(this.file, `${key} = ${v} is not a positive count`);
    return v;
  }

  /** 'yes'/'no'-style switches: true, false, or undefined when absent or unrecognised. */
  flag(key: string): boolean | undefined {
    const v = this.values.get(key)?.trim().toLowerCase();
    if (v === undefined) return undefined;
    if (['yes', 'true', '1', 'on'].includes(v)) return true;
    if (['no', 'false', '0', 'off'].includes(v)) return false;
    return undefined;
  }
}

export function parseSpinsolveParameters(text: string, file: string): SpinsolveParameters {
  const values = new Map<string, string>();
  const warnings: string[] = [];
  let skipped = 0;
  for (const raw of text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) {
      skipped++;
      continue;
    }
    const key = line.slice(0, eq).trim();
    let value = line.slice(eq + 1).trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    if (!/^[\w.]+$/.test(key)) {
      skipped++;
      continue;
    }
    if (values.has(key)) warnings.push(`acqu.par: ${key} given twice; the last value is used`);
    values.set(key, value);
  }
  if (values.size === 0) throw new FormatError(file, 'no key = value parameters (not a Spinsolve acqu.par)');
  if (skipped > 0) warnings.push(`acqu.par: ${skipped} line(s) that are not key = value ignored`);
  return new SpinsolveParameters(file, values, warnings);
}

/** What Lapis reads a Spinsolve experiment as. */
export type SpinsolveKind = 'T2' | 'T1' | 'T1IRT2' | 'DT2' | 'D';

/** acqu.par `experiment` → what Lapis reads it as (case-insensitive). */
export const SPINSOLVE_EXPERIMENTS: Readonly<Record<string, SpinsolveKind>> = {
  t2bulk: 'T2',
  t2: 'T2',
  cpmg: 'T2',
  t1: 'T1',
  t1bulk: 'T1',
  t1ir: 'T1',
  t1irt2: 'T1IRT2',
  dt2: 'DT2',
  pfgcpmg: 'DT2',
  pgste: 'D',
  pgse: 'D',
};

export function spinsolveKind(experiment: string | undefined): SpinsolveKind | undefined {
  return experiment === undefined ? undefined : SPINSOLVE_EXPERIMENTS[experiment.trim().toLowerCase()];
}
