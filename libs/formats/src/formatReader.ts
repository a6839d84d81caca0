/**
 * What a reader of the read.ts registry is: its options, its interface, and what `detectReader` answers. Types only,
 * so that the readers (bruker/brukerReader.ts, …) and the registry that lists them (read.ts) both depend on this
 * module and not on each other.
 */
import type { Acquisition } from './acquisition';
import type { TextMatrixUnit } from './textMatrix/readTextMatrix';

export interface ReadOptions {
  /** Axis file of dimension 1, for layouts that keep axes in separate files (text matrix). */
  axis1?: string;
  axis2?: string;
  /** Kernels, for layouts whose files do not say them (text matrix). */
  kernel1?: string;
  kernel2?: string;
  unit1?: TextMatrixUnit;
  unit2?: TextMatrixUnit;
  beta1?: number;
  /** Refuse data files larger than this (default 512 MiB for text tables, 64 MiB for one-file vendor exports). */
  maxBytes?: number;
  /** Reader-specific options; readers ignore what they do not know. */
  [key: string]: unknown;
}

export interface FormatReader {
  /** Name reported in errors and in `Acquisition.metadata.source`, e.g. 'lapis-acquisition/1'. */
  name: string;
  /** Higher runs first: specific layouts (a marker file) before generic ones (any text file). */
  priority: number;
  /**
   * The layout does not always say its kernel or axis unit, and the reader takes them from `kernel1`/`unit1` (a
   * Prospa curve, a minispec export, a Tecmag file); readers without it name their own and refuse the options.
   */
  takesAxisOptions?: boolean;
  /** Cheap check (stat, marker files): does this reader handle `path`? Must not throw for paths it does not know. */
  detect(path: string, options: ReadOptions): Promise<boolean>;
  read(path: string, options: ReadOptions): Promise<Acquisition>;
}

/** The reader `detectReader` found for a path: the one answer to "which layout is this". */
export interface DetectedReader {
  reader: FormatReader;
  /** `reader.name`, e.g. 'bruker' or 'lapis-acquisition/1'. */
  name: string;
}
