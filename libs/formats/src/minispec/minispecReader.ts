/**
 * `FormatReader` for the read.ts registry: a Bruker minispec `.dps` curve, or a `.txt/.csv/.tsv/.dat` export whose
 * first 4 KiB name the minispec (minispec/readMinispec.ts `isMinispec`). Priority 60: an extension and a look at the
 * text, less specific than a magic number. Reader options it understands: kernel1, unit1, maxBytes.
 */
import type { FormatReader, ReadOptions } from '../formatReader';
import type { ReadMinispecOptions } from './readMinispec';

function minispecOptions(options: ReadOptions): ReadMinispecOptions {
  const o: ReadMinispecOptions = {};
  if (typeof options.kernel1 === 'string') o.kernel1 = options.kernel1;
  if (typeof options.unit1 === 'string') o.unit1 = options.unit1;
  if (typeof options.maxBytes === 'number') o.maxBytes = options.maxBytes;
  return o;
}

export const minispecReader: FormatReader = {
  name: 'minispec',
  priority: 60,
  takesAxisOptions: true,
  async detect(path) {
    const { isMinispec } = await import('./readMinispec');
    return isMinispec(path);
  },
  async read(path, options) {
    const { readMinispec } = await import('./readMinispec');
    return readMinispec(path, minispecOptions(options));
  },
};
