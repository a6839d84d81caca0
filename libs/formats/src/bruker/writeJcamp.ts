/** Writer mirroring `parseJcamp`: a parsed file is reproduced exactly; built files follow TopSpin's layout. */
import { formatJcampValue, type JcampFile, type JcampLine, type JcampValue } from './jcamp';

export function writeJcamp(jcamp: JcampFile): string {
  const text = jcamp.lines
    .map((l) => (l.kind === 'comment' ? l.text : `##${l.vendor ? '$' : ''}${l.key}=${l.raw}`))
    .join('\n');
  return jcamp.finalEol ? text + '\n' : text;
}

/**
 * Sets (or appends before `##END=`) a vendor record `##$KEY=`. Returns the file for chaining; mutates it.
 */
export function setJcampValue(jcamp: JcampFile, key: string, value: JcampValue): JcampFile {
  const crlf = jcamp.eol === '\r\n';
  const raw = crlf ? formatJcampValue(value).replace(/\n/g, '\r\n') + '\r' : formatJcampValue(value);
  const upper = key.toUpperCase();
  const existing = jcamp.lines.find((l) => l.kind === 'record' && l.key.toUpperCase() === upper);
  if (existing && existing.kind === 'record') {
    existing.raw = raw;
    return jcamp;
  }
  const record: JcampLine = { kind: 'record', key, vendor: true, raw };
  const end = jcamp.lines.findIndex((l) => l.kind === 'record' && l.key === 'END');
  if (end < 0) jcamp.lines.push(record);
  else jcamp.lines.splice(end, 0, record);
  return jcamp;
}

/** A new parameter file in TopSpin's layout from plain values (order kept). */
export function buildJcamp(title: string, values: Record<string, JcampValue>, comments: string[] = []): JcampFile {
  const lines: JcampLine[] = [
    { kind: 'record', key: 'TITLE', vendor: false, raw: ` ${title}` },
    { kind: 'record', key: 'JCAMPDX', vendor: false, raw: ' 5.0' },
    { kind: 'record', key: 'DATATYPE', vendor: false, raw: ' Parameter Values' },
    { kind: 'record', key: 'ORIGIN', vendor: false, raw: ' Lapis' },
    ...comments.map((text): JcampLine => ({ kind: 'comment', text: `$$ ${text}` })),
  ];
  for (const [key, value] of Object.entries(values)) {
    lines.push({ kind: 'record', key, vendor: true, raw: formatJcampValue(value) });
  }
  lines.push({ kind: 'record', key: 'END', vendor: false, raw: '' });
  // built files use '\n'
  return { lines, eol: '\n', finalEol: true };
}
