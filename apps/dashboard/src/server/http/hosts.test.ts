import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { hostAllowList, hostOf, isHostAllowed, parseAllowedHosts } from './hosts';

describe('host allow-list', () => {
  it('reads the host of a Host header, port or not, IPv6 bracketed', () => {
    expect(hostOf('localhost:3000')).toBe('localhost');
    expect(hostOf('LocalHost.')).toBe('localhost');
    expect(hostOf('[::1]:3000')).toBe('[::1]');
    expect(hostOf('127.0.0.1')).toBe('127.0.0.1');
    for (const bad of ['', null, undefined, 'a b', 'x:y:z', 'evil.example:3000/x', '[zz]', 'a\u0000b', 'host:99999999'])
      expect(hostOf(bad)).toBeUndefined();
  });

  it('answers localhost, loopback and this machine by default; refuses other names', () => {
    const list = hostAllowList('');
    for (const ok of ['localhost:3000', '127.0.0.1:3000', '[::1]:3000', 'localhost', `${hostname()}:3000`])
      expect(isHostAllowed(ok, list), ok).toBe(true);
    for (const no of ['evil.example', 'evil.example:3000', 'localhost.evil.example', '127.0.0.1.nip.io', '', null])
      expect(isHostAllowed(no, list), String(no)).toBe(false);
  });

  it('adds LAPIS_ALLOWED_HOSTS: names, addresses, domains, any', () => {
    const list = hostAllowList('lapis.lab.example, 10.0.0.5 ,.site.example,[fe80::1]');
    expect(isHostAllowed('lapis.lab.example:3000', list)).toBe(true);
    expect(isHostAllowed('LAPIS.LAB.EXAMPLE', list)).toBe(true);
    expect(isHostAllowed('10.0.0.5:3000', list)).toBe(true);
    expect(isHostAllowed('dash.site.example', list)).toBe(true);
    expect(isHostAllowed('site.example', list)).toBe(false); // ".site.example" means names under it
    expect(isHostAllowed('evilsite.example', list)).toBe(false);
    expect(isHostAllowed('[fe80::1]:80', list)).toBe(true);
    expect(isHostAllowed('other.example', hostAllowList('*'))).toBe(true);
    expect(isHostAllowed('bad host', hostAllowList('*'))).toBe(false);
  });

  it('refuses entries that are not host names, naming them', () => {
    expect(() => parseAllowedHosts('http://lapis.example')).toThrow(/"http:\/\/lapis.example"/);
    expect(() => parseAllowedHosts('lapis.example:3000')).toThrow(/no scheme, no port/);
    expect(parseAllowedHosts(' , ')).toEqual({ any: false, exact: [], suffixes: [] });
  });
});
