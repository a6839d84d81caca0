/**
 * Rows → CSV (RFC 4180 quoting), safe to open in a spreadsheet: a text cell that a spreadsheet would read as a
 * formula (starting with =, +, -, @, tab or CR — OWASP "CSV injection") is prefixed with a single quote. Numbers
 * are written as numbers, so negative values stay numeric; a text cell that is just a plain decimal number is
 * left as it is too.
 */

const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** One cell's text, neutralised and quoted as needed. */
export function csvCell(v: unknown): string {
  if (v == null) return '';
  let s: string;
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') s = String(v);
  else if (v instanceof Date) s = Number.isNaN(v.getTime()) ? '' : v.toISOString();
  else {
    s = typeof v === 'object' ? JSON.stringify(v) : String(v);
    if (FORMULA_START.test(s) && !PLAIN_NUMBER.test(s)) s = `'${s}`;
  }
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Columns from the first row unless given. Column names are cells too. */
export function toCsv(rows: readonly Record<string, unknown>[], columns?: readonly string[]): string {
  const cols = columns ?? (rows[0] ? Object.keys(rows[0]) : []);
  return [cols.map(csvCell).join(','), ...rows.map((r) => cols.map((c) => csvCell(r[c])).join(','))].join('\n') + '\n';
}
