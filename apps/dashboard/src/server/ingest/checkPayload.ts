/**
 * Checks on a payload as text and as parsed JSON, before any schema or database sees it: valid UTF-8, nesting
 * depth (on the raw text, so neither JSON.parse nor a recursive serialiser can run out of stack), strings that
 * PostgreSQL can store and nobody needs (NUL, other C0 controls, lone surrogates), and numbers that are finite and
 * within MAX_ABS_NUMBER. Every walk here is iterative. Problems are described without the payload's content.
 */

/** Deepest nesting of arrays and objects accepted; a Lapis envelope is about 7 deep. */
export const MAX_JSON_DEPTH = 64;

/** Largest magnitude of any number in a message (map values, parameters …): finite and far beyond any physics. */
export const MAX_ABS_NUMBER = 1e100;

export type PayloadProblem = { reason: 'invalid-text' | 'too-deep' | 'implausible-value'; detail: string };

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The payload as a string, or undefined when it is not valid UTF-8. */
export function decodeUtf8(payload: Uint8Array): string | undefined {
  try {
    return utf8.decode(payload);
  } catch {
    return undefined;
  }
}

/** True when arrays/objects nest deeper than `max` anywhere in the JSON text (brackets inside strings skipped). */
export function nestsDeeperThan(text: string, max = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

// NUL and the C0 controls other than tab, line feed and carriage return; a high surrogate without its low half, or
// a low one without its high half (JSON's \ud800 escape makes them; PostgreSQL's jsonb and UTF-8 refuse them).
const BAD_TEXT =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function textProblem(s: string): string | undefined {
  const m = BAD_TEXT.exec(s);
  if (!m) return undefined;
  const code = m[0].charCodeAt(0);
  if (code === 0) return 'a NUL character';
  if (code < 0x20) return `control character U+${code.toString(16).padStart(4, '0').toUpperCase()}`;
  return 'a lone surrogate (not Unicode text)';
}

interface Node {
  value: unknown;
  parent: Node | undefined;
  key: string | number | undefined;
}

/**
 * Where in the message, as a path of safe names: array indices and plain identifiers are shown, any other key
 * (it is the producer's text) is shown as `?`.
 */
function pathOf(node: Node | undefined): string {
  const parts: string[] = [];
  for (let n = node; n && n.key !== undefined; n = n.parent) {
    if (typeof n.key === 'number') parts.push(`[${n.key}]`);
    else parts.push(/^[A-Za-z_][A-Za-z0-9_]{0,40}$/.test(n.key) ? `.${n.key}` : '.?');
  }
  return parts.reverse().join('').replace(/^\./, '') || '(root)';
}

/** The first string (key or value) that is not storable text, or number out of range, in a parsed JSON value. */
export function findBadValue(json: unknown): PayloadProblem | undefined {
  const stack: Node[] = [{ value: json, parent: undefined, key: undefined }];
  while (stack.length > 0) {
    const node = stack.pop()!;
    const v = node.value;
    if (typeof v === 'string') {
      const p = textProblem(v);
      if (p) return { reason: 'invalid-text', detail: `${pathOf(node)} contains ${p}` };
    } else if (typeof v === 'number') {
      if (!Number.isFinite(v) || Math.abs(v) > MAX_ABS_NUMBER) {
        return {
          reason: 'implausible-value',
          detail: `${pathOf(node)} is ${Number.isFinite(v) ? 'beyond ±1e100' : 'not finite'}`,
        };
      }
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ value: v[i], parent: node, key: i });
    } else if (v !== null && typeof v === 'object') {
      for (const [k, child] of Object.entries(v)) {
        const p = textProblem(k);
        if (p) return { reason: 'invalid-text', detail: `a key in ${pathOf(node)} contains ${p}` };
        stack.push({ value: child, parent: node, key: k });
      }
    }
  }
  return undefined;
}

/** A topic fit to show and store on one line: controls and lone surrogates replaced by `?`, at most 120 characters. */
export function safeTopic(topic: string): string {
  const cut = topic.length > 120 ? `${topic.slice(0, 120)}…` : topic;
  return cut.replace(new RegExp(BAD_TEXT.source, 'g'), '?').replace(/[\t\n\r\u007f-\u009f]/g, '?');
}
