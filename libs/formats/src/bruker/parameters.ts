/** Typed access to one parsed parameter file, with errors that name the file and the missing key. */
import { FormatError } from '../acquisition';
import { jcampRecords, jcampValue, type JcampFile, type JcampRecord, type JcampValue } from './jcamp';

export class BrukerParameters {
  private readonly records: Map<string, JcampRecord>;

  constructor(
    /** File the parameters came from (for errors), e.g. '/data/6/acqus'. */
    readonly file: string,
    readonly jcamp: JcampFile,
  ) {
    this.records = jcampRecords(jcamp);
  }

  has(key: string): boolean {
    return this.records.has(key.toUpperCase());
  }

  value(key: string): JcampValue | undefined {
    const r = this.records.get(key.toUpperCase());
    return r === undefined ? undefined : jcampValue(r.raw);
  }

  /** A scalar number, or undefined when absent or not numeric. */
  number(key: string): number | undefined {
    const v = this.value(key);
    return typeof v === 'number' ? v : undefined;
  }

  requireNumber(key: string): number {
    const v = this.value(key);
    if (v === undefined) throw new FormatError(this.file, `missing parameter ${key}`);
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new FormatError(this.file, `parameter ${key} is not a number: ${JSON.stringify(v).slice(0, 60)}`);
    }
    return v;
  }

  string(key: string): string | undefined {
    const v = this.value(key);
    return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
  }

  /** Element `index` of an array parameter such as D, P, GPZ, GPNAM. */
  element(key: string, index: number): number | string | undefined {
    const v = this.value(key);
    return Array.isArray(v) ? v[index] : undefined;
  }

  numberElement(key: string, index: number): number | undefined {
    const v = this.element(key, index);
    return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
  }
}
