/**
 * Which Tecmag layout a file is, from its first bytes: a .tnt file (magic TNT1.00x) or TNMR's text export (its first
 * line); undefined for anything else or a file that cannot be read. Apart from readTecmag.ts so that detection does not
 * load the reader (and @lapis/spectra, which it processes with).
 */
import { open } from 'node:fs/promises';
import { isTntMagic } from './tnt';
import { TNT_TEXT_MARK } from './tntText';

export async function tecmagKind(path: string): Promise<'tnt' | 'text' | undefined> {
  try {
    const h = await open(path, 'r');
    try {
      const b = Buffer.alloc(TNT_TEXT_MARK.length + 3);
      const { bytesRead } = await h.read(b, 0, b.length, 0);
      const head = b.subarray(0, bytesRead);
      if (isTntMagic(head)) return 'tnt';
      const text = head.toString('latin1').replace(/^\uFEFF|^\u00ef\u00bb\u00bf/, '');
      return text.startsWith(TNT_TEXT_MARK) ? 'text' : undefined;
    } finally {
      await h.close();
    }
  } catch {
    return undefined;
  }
}
