/**
 * Producer-supplied text (sample and instrument names, paths, reasons, vendor labels) as it may be shown: the
 * bidirectional controls that can make a name read as another (libs/contracts `BIDI_CONTROLS`) are removed, other
 * control characters become U+FFFD so that they stay visible, and very long text is cut with an ellipsis.
 */
import { BIDI_CONTROLS as BIDI } from '@lapis/contracts/text';

// eslint-disable-next-line no-control-regex -- C0 (tab and newline included), DEL and C1
const CONTROL = /[\u0000-\u001F\u007F-\u009F]/g;

/** `value` safe to render; null/undefined become `fallback`. */
export function displayText(value: string | null | undefined, fallback = '', max = 300): string {
  if (value == null) return fallback;
  const clean = value.replace(BIDI, '').replace(CONTROL, '\uFFFD');
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}

/** True when `value` holds a bidirectional control (what `displayText` removes). */
export function hasBidiControl(value: string): boolean {
  return new RegExp(BIDI.source).test(value);
}
