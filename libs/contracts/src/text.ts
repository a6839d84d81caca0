/**
 * Text that came from a file or a producer, made safe to print, log or publish: control characters (a terminal's
 * escape sequences, NUL), bidirectional overrides (text that displays in another order than it reads) and lone
 * surrogates are shown as visible `\u{…}` escapes instead of acting.
 */

/**
 * The bidirectional controls that can make text display in another order than it reads ("Trojan Source"):
 * embeddings and overrides U+202A–U+202E, isolates U+2066–U+2069, marks U+200E/U+200F and U+061C.
 */
export const BIDI_CONTROLS = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

// C0 and C1 controls (but not tab), DEL, the bidi controls and lone surrogates.
const UNSAFE = new RegExp(
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  /[\u0000-\u0008\u000a-\u001f\u007f-\u009f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]|/
    .source + BIDI_CONTROLS.source,
  'g',
);

/** `text` with every unsafe character written as `\u{hex}` (tab kept; a newline becomes `\u{a}`). */
export function escapeControls(text: string): string {
  return text.replace(UNSAFE, (c) => `\\u{${c.charCodeAt(0).toString(16)}}`);
}

/** Whether `text` holds a character escapeControls would escape. */
export function hasControls(text: string): boolean {
  UNSAFE.lastIndex = 0;
  const found = UNSAFE.test(text);
  UNSAFE.lastIndex = 0;
  return found;
}

// '…' and "…" (JSON-style escapes inside double quotes) that readers use to quote what they found.
const QUOTED = /'[^'\n]*'|"(?:[^"\\\n]|\\.)*"/g;

/**
 * A reader's message to publish beyond this machine: where the problem is, not what the file holds — every quoted
 * fragment becomes '…', controls are escaped and the text is cut to `max` characters.
 */
export function publicReason(message: string, max = 300): string {
  const redacted = escapeControls(message.replace(QUOTED, "'…'"));
  return redacted.length > max ? `${redacted.slice(0, max - 1)}…` : redacted;
}
