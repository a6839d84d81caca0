import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { formatIssues, issueLine, issueLines } from './issues';

describe('issue formatting', () => {
  const schema = z.object({ mqtt: z.object({ port: z.number().max(65535) }), name: z.string() });
  const issues = schema.safeParse({ mqtt: { port: 70000 }, name: 3 }).error!.issues;

  it('writes one `path: message` line per zod issue, the path joined with dots', () => {
    expect(issueLines(issues)).toEqual([
      'mqtt.port: Too big: expected number to be <=65535',
      'name: Invalid input: expected string, received number',
    ]);
  });

  it('names an issue of the whole value (empty path) by `root`, `(top level)` unless told', () => {
    const whole = z.object({}).safeParse(1).error!.issues[0]!;
    expect(issueLine(whole)).toBe('(top level): Invalid input: expected object, received number');
    expect(issueLine(whole, { root: '' })).toBe(': Invalid input: expected object, received number');
    expect(issueLine({ path: [], message: 'x' }, { root: 'input' })).toBe('input: x');
  });

  it('puts every issue on one line, or the first `max` and how many more', () => {
    expect(formatIssues(issues)).toBe(
      'mqtt.port: Too big: expected number to be <=65535; name: Invalid input: expected string, received number',
    );
    expect(formatIssues(issues, { max: 1 })).toBe('mqtt.port: Too big: expected number to be <=65535; … 1 more');
    expect(formatIssues([])).toBe('');
    expect(formatIssues(issues)).not.toContain('\n');
  });

  it('takes array indices and symbols in a path', () => {
    expect(issueLine({ path: ['axes', 0, Symbol.for('k')], message: 'm' })).toBe('axes.0.Symbol(k): m');
  });
});
