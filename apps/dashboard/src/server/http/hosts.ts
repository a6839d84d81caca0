/**
 * Which Host headers the dashboard answers. A page of another site can make a browser send requests here under
 * that site's name (DNS rebinding: evil.example resolves to this machine, then reads the answers as same-origin);
 * answering only the names this server is really called by stops it. Allowed by default: localhost, 127.0.0.1,
 * [::1], this machine's hostname and its interfaces' addresses; more with LAPIS_ALLOWED_HOSTS (comma-separated
 * names or addresses, `.example.org` for every name under example.org, `*` for any — only behind a reverse proxy
 * that checks Host itself).
 */
import { hostname, networkInterfaces } from 'node:os';

export interface HostAllowList {
  any: boolean;
  exact: Set<string>;
  /** Domain suffixes, with their leading dot. */
  suffixes: string[];
}

const NAME = /^(?=.{1,253}$)[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)*$/;
const IPV6 = /^[0-9a-f:.]+$/;

/** `value` as an allow-list entry (lower case, IPv6 bracketed), or undefined when it is not a host name. */
function entry(value: string): string | undefined {
  const v = value.trim().toLowerCase().replace(/\.$/, '');
  if (v.startsWith('[') && v.endsWith(']')) return IPV6.test(v.slice(1, -1)) ? v : undefined;
  if (v.includes(':')) return IPV6.test(v) ? `[${v}]` : undefined;
  return NAME.test(v) ? v : undefined;
}

/** Parses LAPIS_ALLOWED_HOSTS; throws a TypeError naming an entry that is not a host name (a URL, a port). */
export function parseAllowedHosts(value: string | undefined): Omit<HostAllowList, 'exact'> & { exact: string[] } {
  const out = { any: false, exact: [] as string[], suffixes: [] as string[] };
  for (const raw of (value ?? '').split(',')) {
    const v = raw.trim();
    if (!v) continue;
    if (v === '*') out.any = true;
    else if (v.startsWith('.') && entry(v.slice(1))) out.suffixes.push(`.${entry(v.slice(1))}`);
    else if (entry(v)) out.exact.push(entry(v)!);
    else throw new TypeError(`LAPIS_ALLOWED_HOSTS: "${v}" is not a host name or address (no scheme, no port)`);
  }
  return out;
}

/** The default names of this machine plus LAPIS_ALLOWED_HOSTS. */
export function hostAllowList(envValue: string | undefined = process.env.LAPIS_ALLOWED_HOSTS): HostAllowList {
  const parsed = parseAllowedHosts(envValue);
  const exact = new Set(['localhost', '127.0.0.1', '[::1]', ...parsed.exact]);
  const own = entry(hostname());
  if (own) exact.add(own);
  // An address is never a rebinding vector (that needs a name), and it is how a lab PC is often opened.
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) {
      const e = entry(a.address.replace(/%.*$/, ''));
      if (e) exact.add(e);
    }
  }
  return { any: parsed.any, exact, suffixes: parsed.suffixes };
}

/** The host part of a Host header (`name:port`, `[v6]:port`), normalised; undefined when malformed. */
export function hostOf(header: string | null | undefined): string | undefined {
  if (!header) return undefined;
  const h = header.trim();
  const m = /^(\[[^\]]*\]|[^:[\]]+)(:\d{1,5})?$/.exec(h);
  return m ? entry(m[1]!) : undefined;
}

export function isHostAllowed(header: string | null | undefined, list: HostAllowList): boolean {
  const host = hostOf(header);
  if (!host) return false;
  if (list.any || list.exact.has(host)) return true;
  return list.suffixes.some((s) => host.endsWith(s));
}
