/**
 * Every page and route handler of the app, found on disk (so a new one is covered the day it is added): pages call
 * `requireUser` before anything else, server actions go through the routers or `requireUser`, and the only route
 * handlers open to strangers are sign-in itself and the health check. The browser test follows the redirects.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const appDir = import.meta.dirname;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? files(full) : [full];
  });
}

const all = files(appDir).map((f) => relative(appDir, f));
/** Open to strangers, on purpose: the sign-in page, better-auth's endpoints, the demo link, the health check. */
const PUBLIC = new Set([
  'signin/page.tsx',
  'api/auth/[...all]/route.ts',
  'signin/token/route.ts',
  'api/health/route.ts',
]);

describe('pages and route handlers are guarded on the server', () => {
  it('finds the pages and handlers', () => {
    expect(all.filter((f) => f.endsWith('page.tsx')).length).toBeGreaterThanOrEqual(8);
  });

  for (const page of all.filter((f) => f.endsWith('page.tsx') && !PUBLIC.has(f))) {
    it(`${page} calls requireUser first`, () => {
      const text = readFileSync(join(appDir, page), 'utf8');
      const body = text.slice(text.indexOf('export default async function'));
      const firstAwait = /await\s+([A-Za-z]+)\(/.exec(body)?.[1];
      expect(firstAwait, page).toBe('requireUser');
    });
  }

  for (const route of all.filter((f) => f.endsWith('route.ts') && !PUBLIC.has(f))) {
    it(`${route} builds its context from the request's session`, () => {
      const text = readFileSync(join(appDir, route), 'utf8');
      expect(text).toMatch(/createContext\(req\.headers\)/);
    });
  }

  for (const actions of all.filter((f) => /actions\.ts$|Actions\.ts$/.test(f))) {
    it(`${actions}: every server action acts as the signed-in person`, () => {
      const text = readFileSync(join(appDir, actions), 'utf8');
      expect(text.startsWith("'use server';")).toBe(true);
      const fns = [...text.matchAll(/export async function (\w+)[^{]*\{([\s\S]*?)\n\}/g)];
      expect(fns.length).toBeGreaterThan(0);
      for (const [, name, body] of fns) expect(body, name).toMatch(/requireUser\(|await api\(\)/);
    });
  }
});
