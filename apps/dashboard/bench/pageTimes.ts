/** Cases 2–3: the fleet and acquisition pages served by a production build, and rendered in chromium. */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { launchChromium } from '../../../tools/test/chromium';
import { freePort } from '../../../tools/test/freePort';
import { appDir, repoRoot, median, ms } from './common';
import { authEnv, sessionCookie, signedInContext } from '../src/test/signIn';

export async function pageTimes(databaseUrl: string, key: string): Promise<Record<string, number>> {
  const nextBin = join(repoRoot, 'node_modules/next/dist/bin/next');
  const env = { ...process.env, NEXT_TELEMETRY_DISABLED: '1', LAPIS_NEXT_DIST_DIR: '.next/bench' };
  if (!process.env.BENCH_SKIP_BUILD || !existsSync(join(appDir, '.next/bench'))) {
    const t0 = process.hrtime.bigint();
    execFileSync(process.execPath, [nextBin, 'build'], { cwd: appDir, env, stdio: 'pipe' });
    console.log(`  next build: ${(ms(t0) / 1000).toFixed(0)} s`);
  }
  const port = await freePort();
  const child = spawn(process.execPath, [nextBin, 'start', '-p', String(port), '-H', '127.0.0.1'], {
    cwd: appDir,
    env: { ...env, NODE_ENV: 'production', DATABASE_URL: databaseUrl, LAPIS_INGEST: 'off', ...authEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const url = `http://127.0.0.1:${port}`;
  try {
    for (let i = 0; ; i++) {
      try {
        if ((await fetch(`${url}/api/health`)).ok) break;
      } catch {
        // starting
      }
      if (i > 400) throw new Error(`next start did not come up:\n${out}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    // Pages as a signed-in person sees them (the session is looked up on every request, as in use).
    const cookie = await sessionCookie(url);
    const get = async (path: string, runs: number) => {
      await (await fetch(url + path, { headers: { cookie } })).text();
      const t: number[] = [];
      for (let i = 0; i < runs; i++) {
        const t0 = process.hrtime.bigint();
        const res = await fetch(url + path, { headers: { cookie }, redirect: 'manual' });
        await res.text();
        if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
        t.push(ms(t0));
      }
      return median(t);
    };
    const fleetPage = await get('/', 15);
    const acqPage = await get(`/acquisitions/${key}`, 15);
    const browser = await launchChromium();
    const context = await signedInContext(browser, url, { viewport: { width: 1400, height: 1000 } });
    const page = await context.newPage();
    const render: number[] = [];
    for (let i = 0; i < 6; i++) {
      const t0 = process.hrtime.bigint();
      await page.goto(`${url}/acquisitions/${key}`);
      await page.waitForSelector('[data-plot$="-map"] svg rect');
      await page.waitForSelector('[data-plot$="-T2"] svg');
      if (i > 0) render.push(ms(t0)); // the first visit also loads the scripts into the cache
    }
    await browser.close();
    return { fleetPage, acqPage, acqRender: median(render) };
  } finally {
    try {
      process.kill(-child.pid!, 'SIGTERM');
    } catch {
      // gone
    }
  }
}
