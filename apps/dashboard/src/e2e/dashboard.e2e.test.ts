/**
 * End to end in a real browser: aedes broker → `next dev` dashboard (PGlite in a temp dir) → Debian chromium via
 * playwright-core. A result published over MQTT must appear on the fleet page without a reload and render on its
 * acquisition page; a spectrum likewise, in the spectrum viewer, which must zoom and pan. Screenshots go to
 * .test-results/dashboard/.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mqtt from 'mqtt';
import type { MqttClient } from 'mqtt';
import { MQTT_MAX_PAYLOAD_BYTES } from '@lapis/contracts';
import { launchChromium } from '../../../../tools/test/chromium';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startTestBroker } from '../test/broker';
import type { TestBroker } from '../test/broker';
import { envelope, gelDosyDoc, json } from '../test/fixtures';
import { hsqcDoc, hsqcPoints, spectrumDoc, spectrumEnvelope, spectrumPoints } from '../test/spectrumFixtures';
import { cheeseSeriesEnvelopes } from '../test/seed';
import { compileRoutes, startNextServer } from '../test/nextServer';
import type { NextServer } from '../test/nextServer';
import { authEnv, sessionCookie, signedInContext, TEST_ADMIN } from '../test/signIn';
import { OAuth2Server } from 'oauth2-mock-server';

async function streamText(stream: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  for await (const chunk of stream) text += String(chunk);
  return text;
}

/** A GET with a chosen Host header (fetch does not let one set it). */
function getWithHost(url: string, host: string, cookie = ''): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { headers: { host, cookie } }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Loads `url` and waits until React has hydrated it (components/HydrationMark), so clicks reach their handlers. */
async function open(page: Page, url: string) {
  const response = await page.goto(url);
  await page.waitForSelector('html[data-hydrated]', { state: 'attached', timeout: 60_000 });
  return response;
}

const CHROMIUM = process.env.LAPIS_CHROMIUM ?? '/usr/bin/chromium';
const shots = join(process.cwd(), '.test-results', 'dashboard');
const missing = existsSync(CHROMIUM) ? undefined : `no browser at ${CHROMIUM} (apt-get install chromium)`;
if (missing) console.warn(`skipping the dashboard end-to-end test: ${missing}`);

describe.skipIf(missing !== undefined)('dashboard end to end (broker → server → browser)', () => {
  let broker: TestBroker;
  let server: NextServer;
  let browser: Browser;
  let context: BrowserContext;
  let cookie: string;
  /** fetch with the test admin's session. */
  const authed = (url: string) => fetch(url, { headers: { cookie } });
  let page: Page;
  let agent: MqttClient;
  let dir: string;
  /** A mock OpenID Connect provider (single sign-on) the dashboard is configured with. */
  let oidc: OAuth2Server;
  /** What the browser refused under the Content-Security-Policy (must stay empty). */
  const cspViolations: string[] = [];

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    dir = mkdtempSync(join(tmpdir(), 'lapis-dash-e2e-'));
    // `next dev` keeps a compile cache in its dist folder; one left by an older checkout has served stale pages
    // whose live subscription never connected. Compile from scratch (≈ 20 s; a fresh clone does anyway).
    rmSync(join(import.meta.dirname, '../../.next/e2e'), { recursive: true, force: true });
    broker = await startTestBroker();
    oidc = new OAuth2Server();
    await oidc.issuer.keys.generate('RS256');
    await oidc.start(0, '127.0.0.1');
    const person = { email: 'sso.person@example.org', email_verified: true, name: 'SSO Person' };
    oidc.service.on('beforeTokenSigning', (token) => Object.assign(token.payload, { sub: 'sso-person-1', ...person }));
    oidc.service.on('beforeUserinfo', (res) => {
      res.body = { sub: 'sso-person-1', ...person };
    });
    [server, browser] = await Promise.all([
      startNextServer(
        {
          MQTT_URL: broker.url,
          LAPIS_DASHBOARD_DB_DIR: join(dir, 'db'),
          LAPIS_NEXT_DIST_DIR: '.next/e2e',
          LAPIS_DASHBOARD_CLIENT_ID: 'dashboard-e2e',
          ...authEnv,
          LAPIS_OIDC_ISSUER: oidc.issuer.url!,
          LAPIS_OIDC_CLIENT_ID: 'lapis-dashboard',
          LAPIS_OIDC_CLIENT_SECRET: 'mock-secret',
          LAPIS_OIDC_LABEL: 'Sign in with the lab SSO',
        },
        200_000,
      ),
      launchChromium(),
    ]);
    context = await signedInContext(browser, server.url, { viewport: { width: 1400, height: 1000 } });
    cookie = await sessionCookie(server.url);
    const unknown = 'compile-only';
    const pages = ['/', '/trends', '/populations', '/qc', '/admin', '/signin'];
    const keyed = ['instruments', 'acquisitions', 'spectra'].map((route) => `/${route}/${unknown}`);
    await compileRoutes(server.url, cookie, [...pages, ...keyed]);
    page = await context.newPage();
    page.on('pageerror', (err) => console.error('[browser]', err.message));
    page.on('console', (msg) => {
      if (/Content Security Policy|Refused to (load|execute|apply|connect|frame)/i.test(msg.text()))
        cspViolations.push(msg.text());
    });
    agent = await mqtt.connectAsync(broker.url, { clientId: 'e2e-agent', protocolVersion: 4 });
  }, 480_000); // `next dev` compiling every page on a busy 2-core machine

  afterAll(async () => {
    await agent?.endAsync();
    await browser?.close();
    await server?.stop();
    await broker?.close();
    await oidc?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('shows a published result live on the fleet page and renders its acquisition page', async () => {
    const fleetPage = await open(page, `${server.url}/`);
    // the security headers reach the browser; the page renders and goes live under its CSP
    const headers = fleetPage!.headers();
    expect(headers['content-security-policy']).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+'/);
    expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(headers['x-frame-options']).toBe('DENY');
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['referrer-policy']).toBe('no-referrer');
    await page.waitForSelector('[data-live="live"]', { timeout: 60_000 });
    expect(await page.locator('[data-instrument="e2e-minispec"]').count()).toBe(0);

    const now = new Date();
    await agent.publishAsync(
      'lapis/v1/e2e-minispec/status',
      json({ state: 'online', instrument: 'e2e-minispec', at: now.toISOString(), version: '0.1.0', site: 'lab A' }),
      { qos: 1, retain: true },
    );
    await agent.publishAsync(
      'lapis/v1/e2e-minispec/heartbeat',
      json({
        instrument: 'e2e-minispec',
        at: now.toISOString(),
        uptimeSeconds: 60,
        processed: 1,
        failed: 0,
        queued: 2,
        outboxDepth: 1,
      }),
      { qos: 1 },
    );
    const env = envelope({
      instrument: 'e2e-minispec',
      seed: 'e2e',
      sample: 'gouda-day-3',
      producedAt: now.toISOString(),
    });
    // The second peak as the merge test lists a population the map had broken in two.
    env.document.peaks[1]!.merged = { deltaChi2: 3.2, peaks: 2 };
    // … which also joins a side lobe the noise draws did not reproduce; another lobe is set aside (unconfirmedPeaks);
    // and the instrument software's own log-mean T2 is shown beside Lapis'.
    env.document.peaks[1]!.joined = { peaks: 3 };
    env.document.unconfirmedPeaks = [{ ...env.document.peaks[1]!, fraction: 0.02, joined: undefined }];
    env.document.vendorResults = [
      {
        software: 'GIT GeoSpec',
        file: 'cheese.txt',
        quantity: 'T2 log-mean',
        unit: 's',
        value: 0.038,
        lapis: 0.04,
        relativeDifference: 0.04 / 0.038 - 1,
      },
    ];
    await agent.publishAsync('lapis/v1/e2e-minispec/result', json(env), { qos: 1 });
    // a bad message in between must not disturb anything
    await agent.publishAsync('lapis/v1/e2e-minispec/result', Buffer.from('not json'), { qos: 1 });

    // No reload: the SSE subscription makes the page re-render.
    const row = page.locator('[data-instrument="e2e-minispec"]');
    await row.locator('[data-field="today"]', { hasText: '1' }).waitFor({ timeout: 30_000 });
    expect(await row.locator('[data-field="state"]').innerText()).toContain('online');
    expect(await row.locator('[data-field="last"]').innerText()).toContain('gouda-day-3');
    await page.screenshot({ path: join(shots, 'fleet.png'), fullPage: true });

    await row.locator('[data-field="last"] a').click();
    await page.waitForURL(`**/acquisitions/${env.key}`);
    await page.waitForSelector('[data-plot$="-map"] svg', { timeout: 60_000 });
    expect(await page.getByTestId('acquisition-title').innerText()).toContain('gouda-day-3');
    const peakRows = page.locator('[data-testid="peak-table"] tbody tr');
    expect(await peakRows.count()).toBe(env.document.peaks.length);
    // the largest peak, in readable units: T2 ≈ 40 ms, fraction ≈ 44 %
    const first = await peakRows.first().innerText();
    expect(first).toMatch(/40(\.0)? ms ± (<0\.1|\d+(\.\d)?) %/); // ± its spread under the noise
    expect(first).toMatch(/44\.\d % ± \d+\.\d %/);
    expect(await peakRows.nth(1).innerText()).toContain('2 map peaks, one population (Δχ² 3.2σ²)');
    expect(await peakRows.nth(1).innerText()).toContain('3 map peaks, one in the noise draws');
    expect(await page.getByTestId('unconfirmed-peaks').innerText()).toMatch(/not reproduce: .*2\.0 %/);
    const vendor = await page.getByTestId('vendor-results').innerText();
    expect(vendor).toMatch(/T2 log-mean\s+GIT GeoSpec\s+38(\.0)? ms\s+40(\.0)? ms\s+\+5\.3 %/);
    expect(first).not.toContain('map peaks');
    expect(await page.locator('[data-plot$="-map"] svg rect').count()).toBeGreaterThan(100);
    // Measured decays against the fit: data points, fit line, residual panel with the ±σ band (fit.decays).
    const echoTrain = page.locator('[data-plot$="-decay-1"]');
    await echoTrain.locator('svg[data-decay="t"] [data-panel="residual"]').waitFor({ timeout: 30_000 });
    expect(await page.locator('[data-testid="decays"] svg[data-decay]').count()).toBe(2);
    expect(await echoTrain.locator('[data-panel="fit"] circle').count()).toBe(env.document.fit.decays![1]!.data.length);
    expect(await echoTrain.locator('[data-panel="fit"] [aria-label="line"][stroke="#dc2626"] path').count()).toBe(1);
    expect(await echoTrain.locator('[data-panel="residual"] [aria-label="area"] path').count()).toBe(1);
    expect(await echoTrain.locator('figcaption').innerText()).toMatch(/echo decay at τ = 4 s · 256 of 1000 points/);
    await page.locator('[data-testid="decays"]').screenshot({ path: join(shots, 'acquisition-decays.png') });
    await page.screenshot({ path: join(shots, 'acquisition.png'), fullPage: true });

    // Exports: the peak table as CSV, the map as SVG.
    const [csv] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('section:has([data-testid="peak-table"]) button', { hasText: 'CSV' }).click(),
    ]);
    const csvText = await streamText(await csv.createReadStream());
    expect(csvText.split('\n')[0]).toMatch(/^peak,T1,T2,/);
    expect(csvText.split('\n')[0]).toContain(
      'T1_uncertaintyDecades,T2_uncertaintyDecades,fraction,fraction_sd,detected',
    );
    expect(csvText.split('\n')[0]).toMatch(/,data_snr,split_delta_chi2,merged_peaks,merged_delta_chi2,joined_peaks$/);
    expect(csvText.trim().split('\n')).toHaveLength(1 + env.document.peaks.length);
    const [svg] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('[data-plot$="-map"] button', { hasText: 'SVG' }).click(),
    ]);
    expect(svg.suggestedFilename()).toMatch(/-map\.svg$/);
    expect(await streamText(await svg.createReadStream())).toMatch(
      /^<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/,
    );

    // Overlay: a second result of the same sample, a few days on, drawn as contours over the first map.
    const later = envelope({
      instrument: 'e2e-minispec',
      seed: 'e2e-later',
      sample: 'gouda-day-6',
      producedAt: new Date(now.getTime() + 1000).toISOString(),
      fractionScale: 0.9,
    });
    // its populations a grid step longer in T2 (the map's columns moved by one)
    later.document.distribution = (later.document.distribution as number[][]).map((row) => [0, ...row.slice(0, -1)]);
    await agent.publishAsync('lapis/v1/e2e-minispec/result', json(later), { qos: 1 });
    const input = encodeURIComponent(JSON.stringify({ json: { key: later.key } }));
    for (let i = 0; (await authed(`${server.url}/api/trpc/acquisition.get?input=${input}`)).status !== 200; i++) {
      if (i > 100) throw new Error('the second result was not stored');
      await new Promise((r) => setTimeout(r, 200));
    }
    await open(page, `${server.url}/acquisitions/${env.key}?compare=${later.key}`);
    await page.waitForSelector('[data-plot$="-map"] svg [stroke="#f97316"]', { timeout: 30_000 });
    expect(await page.locator('[data-plot$="-map"] figcaption').innerText()).toContain('gouda-day-6');
    // compared on one footing: each projection scaled to unit total, the difference beside, and a difference map
    expect(await page.locator('[data-plot$="-T2"] figcaption').innerText()).toContain('each scaled to unit total');
    await page.locator('[data-plot$="-T2-difference"] svg').last().waitFor({ timeout: 30_000 });
    const differenceMap = page.locator(`[data-plot$="-${later.key.slice(0, 8)}-difference"] svg`).last();
    await differenceMap.waitFor({ timeout: 30_000 });
    // the later map moved a step along T2: this one is more (red) on the short side and less (blue) on the long one
    const fills = await differenceMap
      .locator('[aria-label="rect"] rect')
      .evaluateAll((els) => els.map((e) => e.getAttribute('fill') ?? ''));
    expect(fills.length).toBeGreaterThan(20);
    const redness = fills
      .map((f) => /rgb\((\d+), (\d+), (\d+)\)/.exec(f))
      .filter(Boolean)
      .map((m) => +m![1]! - +m![3]!);
    expect(redness.some((r) => r > 60)).toBe(true);
    expect(redness.some((r) => r < -60)).toBe(true);
    // a third result from another instrument by its key, and the raw amplitudes: two sets of contours, no scaling
    await open(
      page,
      `${server.url}/acquisitions/${env.key}?compare=${later.key}&compare=${envelope({ instrument: 'e2e-other', seed: 'x' }).key}&norm=off`,
    );
    await page.locator('[data-plot$="-map"] svg [stroke="#f97316"]').first().waitFor({ timeout: 30_000 });
    expect(await page.locator('[data-plot$="-T2"] figcaption').innerText()).not.toContain('unit total');
    await page.screenshot({ path: join(shots, 'acquisition-overlay.png'), fullPage: true });

    await open(page, `${server.url}/instruments/e2e-minispec`);
    await page.waitForSelector('[data-testid="acquisition-table"] tbody tr');
    await page.screenshot({ path: join(shots, 'instrument.png'), fullPage: true });
    await open(page, `${server.url}/trends?groupBy=sample`);
    await page.waitForSelector('[data-plot^="trend-"] svg');
    await page.screenshot({ path: join(shots, 'trends.png'), fullPage: true });

    // The agent goes away: its Last Will (here published by the test) turns the fleet row offline, live.
    await open(page, `${server.url}/`);
    await page.waitForSelector('[data-live="live"]');
    await agent.publishAsync(
      'lapis/v1/e2e-minispec/status',
      json({ state: 'offline', instrument: 'e2e-minispec', at: new Date().toISOString(), reason: 'connection lost' }),
      { qos: 1, retain: true },
    );
    await row.locator('[data-field="state"]', { hasText: 'offline' }).waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('ingest').innerText()).toMatch(/1 rejected/);
    await page.screenshot({ path: join(shots, 'fleet-offline.png'), fullPage: true });
    expect(cspViolations).toEqual([]);
  }, 180_000);

  it('follows a cheese ripening by name on the populations page', async () => {
    const days = Array.from({ length: 12 }, (_, k) => 6 * k);
    const series = cheeseSeriesEnvelopes({
      instrument: 'e2e-relax',
      sample: 'e2e-gouda-A',
      days,
      start: new Date(Date.now() - 80 * 86_400_000),
      extraFrom: 42,
    });
    for (const env of series) await agent.publishAsync('lapis/v1/e2e-relax/result', json(env), { qos: 1 });
    const last = encodeURIComponent(JSON.stringify({ json: { key: series.at(-1)!.key } }));
    for (let i = 0; (await authed(`${server.url}/api/trpc/acquisition.get?input=${last}`)).status !== 200; i++) {
      if (i > 150) throw new Error('the series was not stored');
      await new Promise((r) => setTimeout(r, 200));
    }
    await open(page, `${server.url}/populations?sample=e2e-gouda&quantity=position%3AT2`);
    const group = page.locator('[data-group="e2e-gouda-A"]');
    // the chart's own svg comes after its legend's swatches
    const chart = group.locator('[data-plot] svg').last();
    await chart.waitFor({ timeout: 60_000 });
    const rows = group.locator('tbody tr');
    expect(await rows.count()).toBe(4);
    // each population seen in every acquisition since it appeared; the fourth appears on day 42
    expect(await rows.filter({ hasText: `${days.length} of ${days.length}` }).count()).toBe(3);
    expect(await group.locator('[data-events]').innerText()).toContain('day 42: population 4 appears');
    // the sample's age is on the x axis, T2 in readable units on a log axis
    const svgText = await chart.textContent();
    expect(svgText).toContain('sample age (days)');
    expect(svgText).toMatch(/\d+ ms/);

    // Name the water (T1 ≈ 320 ms) once: the page comes back with the name on its row and on its line.
    const water = rows.filter({ has: page.locator('[data-centre="T1"]', { hasText: /^3\d\d ms$/ }) });
    expect(await water.count()).toBe(1);
    await water.getByLabel(/^name for /).fill('water');
    await water.getByRole('button', { name: 'Name' }).click();
    await page.locator('[data-group="e2e-gouda-A"] [data-population="water"]').waitFor({ timeout: 30_000 });
    expect(await page.locator('[data-group="e2e-gouda-A"] [data-plot] svg').last().textContent()).toContain('water');
    // the maps across the series, each population ringed and named where it was found
    const snapshots = page.locator('[data-snapshots="e2e-gouda-A"]');
    expect(await snapshots.locator('[data-thumbnail="map"]').count()).toBe(8);
    expect(await snapshots.locator('[data-mark="water"]').count()).toBe(8);
    // the three main populations on every map (the fourth lies beyond this fixture map's axes, and is not drawn)
    expect(await snapshots.locator('[data-mark]').count()).toBe(3 * 8);
    await page.screenshot({ path: join(shots, 'populations.png'), fullPage: true });

    // A later batch of the same cheese is named without asking; a bad name comes back as a message.
    const batchB = cheeseSeriesEnvelopes({
      instrument: 'e2e-relax',
      sample: 'e2e-gouda-B',
      days: [0, 6, 12],
      start: new Date(Date.now() - 20 * 86_400_000),
    });
    for (const env of batchB) await agent.publishAsync('lapis/v1/e2e-relax/result', json(env), { qos: 1 });
    const lastB = encodeURIComponent(JSON.stringify({ json: { key: batchB.at(-1)!.key } }));
    for (let i = 0; (await authed(`${server.url}/api/trpc/acquisition.get?input=${lastB}`)).status !== 200; i++) {
      if (i > 150) throw new Error('batch B was not stored');
      await new Promise((r) => setTimeout(r, 200));
    }
    await open(page, `${server.url}/populations?sample=e2e-gouda&quantity=fraction`);
    await page.locator('[data-group="e2e-gouda-B"] [data-population="water"]').waitFor({ timeout: 30_000 });
    const unnamed = page.locator('[data-group="e2e-gouda-B"] tbody tr').filter({ hasNotText: 'water' }).first();
    await unnamed.getByLabel(/^name for /).fill('   ');
    await unnamed.getByRole('button', { name: 'Name' }).click();
    await page.getByTestId('name-error').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('name-error').innerText()).toContain('a name is needed');

    // The fleet at a glance: the relaxometer starts failing, another instrument drops off; both come first, red,
    // with the reason in words, before the instruments that are well.
    const at = new Date().toISOString();
    await agent.publishAsync('lapis/v1/e2e-relax/status', json({ state: 'online', instrument: 'e2e-relax', at }), {
      qos: 1,
      retain: true,
    });
    await agent.publishAsync('lapis/v1/e2e-well/status', json({ state: 'online', instrument: 'e2e-well', at }), {
      qos: 1,
      retain: true,
    });
    await agent.publishAsync(
      'lapis/v1/e2e-well/heartbeat',
      json({ instrument: 'e2e-well', at, uptimeSeconds: 9, processed: 0, failed: 0, queued: 0, outboxDepth: 0 }),
      { qos: 1 },
    );
    await agent.publishAsync(
      'lapis/v1/e2e-gone/status',
      json({ state: 'offline', instrument: 'e2e-gone', at, reason: 'connection lost' }),
      { qos: 1, retain: true },
    );
    await agent.publishAsync(
      'lapis/v1/e2e-relax/event',
      json({ kind: 'failed', instrument: 'e2e-relax', at, path: '/data/e2e-relax/run/broken', reason: 'no data file' }),
      { qos: 1 },
    );
    await open(page, `${server.url}/`);
    const relax = page.locator('[data-instrument="e2e-relax"]');
    await relax.locator('[data-field="attention"]', { hasText: 'failing' }).waitFor({ timeout: 30_000 });
    await page.locator('[data-instrument="e2e-gone"][data-health="alert"]').waitFor({ timeout: 30_000 });
    const order = await page
      .locator('[data-instrument]')
      .evaluateAll((els) => els.map((e) => [e.getAttribute('data-instrument'), e.getAttribute('data-health')]));
    const firstWell = order.findIndex(([, h]) => h === 'ok' || h === 'unknown');
    const lastAlert = order.map(([, h]) => h).lastIndexOf('alert');
    expect(lastAlert).toBeLessThan(firstWell === -1 ? Infinity : firstWell);
    expect(await page.locator('[data-instrument="e2e-gone"] [data-field="attention"]').innerText()).toContain(
      'offline',
    );
    expect(await page.locator('[data-instrument="e2e-well"]').getAttribute('data-health')).toBe('ok');
    // the relaxometer's card shows its last result and the trend of its results
    expect(await relax.locator('[data-thumbnail="map"] image').getAttribute('href')).toMatch(
      /^data:image\/png;base64,/,
    );
    // the browser decoded it: its natural size is the thumbnail's blocks
    expect(
      await relax.locator('[data-thumbnail="map"] image').evaluate(
        (img) =>
          new Promise<number[]>((resolve) => {
            const probe = new Image();
            probe.onload = () => resolve([probe.naturalWidth, probe.naturalHeight]);
            probe.onerror = () => resolve([0, 0]);
            probe.src = img.getAttribute('href')!;
          }),
      ),
    ).toEqual([24, 24]);
    expect(await relax.locator('[data-field="trend"]').innerText()).toMatch(/\d+(\.\d+)? ms\s+mean T2, last \d+ T1-T2/);
    await page.screenshot({ path: join(shots, 'fleet-attention.png'), fullPage: true });
    expect(cspViolations).toEqual([]);
  }, 150_000);

  it('draws a TopSpin DOSY as a spectrum over a DOSY map, each region with its D', async () => {
    const env = envelope({
      instrument: 'e2e-avance',
      seed: 'dosy',
      sample: 'gelatin-gel-A',
      producedAt: new Date().toISOString(),
      document: gelDosyDoc,
    });
    env.provenance.reader = 'bruker';
    // as the agent sends it: axes and map rounded to 6 significant digits for transport (fitPayload), the regions
    // and peaks not — the page must still find each region's row
    const six = (v: number) => Number(v.toPrecision(6));
    env.document.axes = env.document.axes.map((a) => ({ ...a, values: a.values.map(six) }));
    env.document.distribution = (env.document.distribution as number[][]).map((row) => row.map(six));
    // TopSpin's own D of the water line (as its dosy fit file gives it), beside Lapis' value
    env.document.vendorResults = [
      { software: 'TopSpin', file: 'pdata/1/dt1t2.txt', quantity: 'D', unit: 'm2/s', value: 2.1e-9, shift: 4.698 },
    ];
    await agent.publishAsync('lapis/v1/e2e-avance/result', json(env), { qos: 1 });
    const input = encodeURIComponent(JSON.stringify({ json: { key: env.key } }));
    for (let i = 0; (await authed(`${server.url}/api/trpc/acquisition.get?input=${input}`)).status !== 200; i++) {
      if (i > 100) throw new Error('the DOSY result was not stored');
      await new Promise((r) => setTimeout(r, 200));
    }
    await open(page, `${server.url}/acquisitions/${env.key}`);
    const dosy = page.getByTestId('dosy');
    const spectrum = dosy.locator('[data-plot$="-spectrum"] svg').last();
    await spectrum.waitFor({ timeout: 60_000 });
    // the regions, shaded, each with its main D ± its uncertainty; ppm on the x axis, no "000,000" on the y axis
    const text = (await spectrum.textContent()) ?? '';
    expect(text).toContain('4.70 ppm: D 2.06×10⁻⁹ m²/s');
    expect(text).toContain('3.55 ppm: D 9.45×10⁻¹⁰ m²/s');
    const table = await page.getByTestId('region-results').innerText();
    expect(table).toMatch(
      /1\s+4\.81 – 4\.57 \(peak 4\.697\)\s+2\.06×10⁻⁹ m²\/s ± \d+(\.\d)? %.*2\.10×10⁻⁹ m²\/s \(TopSpin\)/,
    );
    expect(table).toMatch(/2\s+3\.65 – 3\.42 \(peak 3\.548\)\s+9\.45×10⁻¹⁰ m²\/s ± \d+(\.\d)? % \+1 smaller/);
    expect(text).toContain('chemical shift (ppm)');
    expect(text).not.toMatch(/000,000/);
    expect(await spectrum.locator('[aria-label="rect"] rect').count()).toBe(2);
    expect(await dosy.locator('[data-plot$="-spectrum"]').textContent()).toMatch(/first spectrum \(b = .* s\/m²\)/);
    // the map below: cells on a log D axis with distinct ticks, the listed peaks ringed
    const map = dosy.locator('[data-plot$="-dosy"] svg').last();
    const mapText = (await map.textContent()) ?? '';
    expect(mapText).toContain('D (m²/s)');
    const ticks = await map.locator('[aria-label="y-axis tick label"] text').allTextContents();
    expect(ticks.length).toBeGreaterThanOrEqual(3);
    expect(new Set(ticks).size).toBe(ticks.length);
    // each region its own band of cells (UPEN: a few cells per narrow population)
    const xs = await map.locator('[aria-label="rect"] rect').evaluateAll((els) => els.map((e) => e.getAttribute('x')));
    expect(new Set(xs).size).toBe(2);
    expect(xs.length).toBeGreaterThanOrEqual(6);
    expect(await map.locator('[aria-label="dot"] circle').count()).toBe(gelDosyDoc.peaks.length);
    // no shift "distribution"; one decay per region against its fit
    expect(await page.locator('[data-plot$="-shift"]').count()).toBe(0);
    expect(await page.locator('[data-testid="decays"] svg[data-decay]').count()).toBe(2);
    const [regionsCsv] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('[data-testid="dosy"] button', { hasText: 'CSV' }).click(),
    ]);
    const csvLines = (await streamText(await regionsCsv.createReadStream())).trim().split('\n');
    expect(csvLines[0]).toBe('region,from_ppm,to_ppm,peak_ppm,D_m2_s,D_unc_decades,share_of_region,more_peaks,vendor');
    expect(csvLines).toHaveLength(3);
    await page.screenshot({ path: join(shots, 'acquisition-dosy.png'), fullPage: true });
    expect(cspViolations).toEqual([]);
  }, 90_000);

  it('refuses foreign Host names, bad input with 400 and no SQL, batches over 10', async () => {
    const rebound = await getWithHost(`${server.url}/`, 'rebind.evil.example');
    expect(rebound.status).toBe(421);
    expect(rebound.body).not.toContain('Lapis');
    expect(
      (await getWithHost(`${server.url}/api/trpc/fleet.list`, `localhost:${new URL(server.url).port}`, cookie)).status,
    ).toBe(200);

    const input = encodeURIComponent(JSON.stringify({ json: { id: 'e2e-minispec', sample: 'x'.repeat(201) } }));
    const bad = await authed(`${server.url}/api/trpc/instrument.acquisitions?input=${input}`);
    const body = await bad.text();
    expect(bad.status).toBe(400);
    expect(JSON.parse(body).error.json.message).toMatch(/^sample: /);
    expect(body).not.toMatch(/select |Failed query|"stack"|node_modules/);
    expect((await authed(`${server.url}/instruments/e2e-minispec?sample=${'x'.repeat(201)}`)).status).toBe(400);

    const eleven = Array.from({ length: 11 }, () => 'fleet.list').join(',');
    expect((await authed(`${server.url}/api/trpc/${eleven}?batch=1&input={}`)).status).toBe(400);
  });

  it('signs in: pages send strangers to sign-in, the form and single sign-on let people in, roles hold', async () => {
    // nobody signed in: every page goes to /signin (and back afterwards); the API answers 401, health answers
    const anon = await browser.newContext();
    const a = await anon.newPage();
    await a.goto(`${server.url}/trends?groupBy=sample`);
    expect(new URL(a.url()).pathname).toBe('/signin');
    expect(new URL(a.url()).searchParams.get('next')).toBe('/trends?groupBy=sample');
    expect((await fetch(`${server.url}/api/trpc/fleet.list`)).status).toBe(401);
    expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
    for (const path of [
      '/',
      '/admin',
      '/populations',
      '/trends',
      '/qc',
      '/instruments/e2e-minispec',
      `/acquisitions/${'0'.repeat(64)}`,
    ]) {
      const res = await fetch(`${server.url}${path}`, { redirect: 'manual' });
      expect([303, 307], path).toContain(res.status);
      expect(res.headers.get('location'), path).toMatch(/^\/signin\?next=/);
    }
    // a wrong password is refused on the page; the right one returns to the page asked for
    await a.fill('input[name=email]', TEST_ADMIN.email);
    await a.fill('input[name=password]', 'not the password at all');
    await a.click('button[type=submit]');
    await a.waitForSelector('[role=alert]');
    await a.fill('input[name=password]', TEST_ADMIN.password);
    await a.click('button[type=submit]');
    await a.waitForURL(/\/trends\?groupBy=sample$/);
    expect(await a.locator('[data-signed-in="admin"]').count()).toBe(1);
    await anon.close();

    // single sign-on through the mock OpenID Connect provider: a new person, a viewer by default
    const sso = await browser.newContext();
    const b = await sso.newPage();
    await b.goto(`${server.url}/signin`);
    await b.click('text=Sign in with the lab SSO');
    await b.waitForURL(`${server.url}/`);
    await b.waitForSelector('[data-signed-in="viewer"]');
    expect(await b.locator('nav').innerText()).toContain('sso.person@example.org');
    // a viewer reads, but not the admin page (403) nor its procedures
    const forbidden = await b.goto(`${server.url}/admin`);
    expect(forbidden!.status()).toBe(403);
    expect(await b.locator('h1').innerText()).toBe('Not allowed');
    await b.screenshot({ path: join(shots, 'forbidden.png') });

    // the admin sees both people and the sign-ins in the audit log, and makes the SSO person a manager
    await open(page, `${server.url}/admin`);
    await page.waitForSelector('[data-user="sso.person@example.org"]');
    const actions = await page
      .locator('[data-audit-action]')
      .evaluateAll((rows) => rows.map((r) => `${r.getAttribute('data-audit-action')} ${r.children[1]!.textContent}`));
    expect(actions).toContain('auth.sign-in sso.person@example.org');
    expect(actions).toContain(`auth.sign-in ${TEST_ADMIN.email}`);
    const row = page.locator('[data-user="sso.person@example.org"]');
    await row.locator('select').selectOption('manager');
    await row.locator('button:text("Set")').click();
    await page.waitForSelector('[data-audit-action="user.role"]');
    await page.screenshot({ path: join(shots, 'admin.png'), fullPage: true });
    await b.goto(`${server.url}/`);
    await b.waitForSelector('[data-signed-in="manager"]'); // read afresh on every request
    // signing out ends the session
    await b.click('text=Sign out');
    await b.waitForURL(/\/signin/);
    await b.goto(`${server.url}/`);
    expect(new URL(b.url()).pathname).toBe('/signin');
    await sso.close();
  }, 120_000);

  it('reprocesses from the page: the request reaches the agent, its new result shows as a version', async () => {
    // the test plays the agent: it hears the request on its cmd/reprocess topic and answers as an agent does
    const requests: Record<string, unknown>[] = [];
    await agent.subscribeAsync('lapis/v1/e2e-reproc/cmd/reprocess', { qos: 1 });
    agent.on('message', (topic, payload) => {
      if (topic === 'lapis/v1/e2e-reproc/cmd/reprocess') requests.push(JSON.parse(String(payload)));
    });
    const original = envelope({ instrument: 'e2e-reproc', seed: 'reproc-1', sample: 'brie-day-1' });
    await agent.publishAsync('lapis/v1/e2e-reproc/result', json(original), { qos: 1 });
    const input = encodeURIComponent(JSON.stringify({ json: { key: original.key } }));
    for (let i = 0; (await authed(`${server.url}/api/trpc/acquisition.get?input=${input}`)).status !== 200; i++) {
      if (i > 100) throw new Error('the original result was not stored');
      await new Promise((r) => setTimeout(r, 100));
    }
    await open(page, `${server.url}/acquisitions/${original.key}`);
    const form = page.locator('[data-reprocess-form]');
    await form.locator('select[name=method]').selectOption('tikhonov');
    await form.locator('button').click();
    await page.waitForSelector('[data-reprocess-sent]');
    await expect.poll(() => requests.length, { timeout: 10_000 }).toBe(1);
    const request = requests[0]!;
    expect(request).toMatchObject({ paths: [original.path], method: 'tikhonov', requestedBy: TEST_ADMIN.email });

    // the agent's reply and its new result (a key of its own, naming the request)
    const requestId = String(request.requestId);
    await agent.publishAsync(
      'lapis/v1/e2e-reproc/cmd/reprocess/reply',
      json({
        requestId,
        instrument: 'e2e-reproc',
        at: new Date().toISOString(),
        accepted: [original.path],
        rejected: [],
      }),
      { qos: 1 },
    );
    const version = {
      ...envelope({ instrument: 'e2e-reproc', seed: 'reproc-2', sample: 'brie-day-1', path: original.path }),
      producedAt: new Date().toISOString(),
      reprocessed: true,
      request: { id: requestId, by: TEST_ADMIN.email, method: 'tikhonov' },
    };
    await agent.publishAsync('lapis/v1/e2e-reproc/result', json(version), { qos: 1 });
    const recent = async () => {
      const r = await authed(`${server.url}/api/trpc/reprocess.recent`);
      return ((await r.json()) as { result: { data: { json: { id: string; accepted: number | null }[] } } }).result.data
        .json;
    };
    await expect
      .poll(async () => (await recent()).find((q) => q.id === requestId)?.accepted, { timeout: 10_000 })
      .toBe(1);
    await expect
      .poll(
        async () => {
          await open(page, `${server.url}/acquisitions/${original.key}`);
          return page.locator('[data-version]').count();
        },
        { timeout: 15_000 },
      )
      .toBe(2);
    // both versions kept; the new one says who asked; a viewer gets no reprocess control
    expect(await page.locator('[data-versions]').innerText()).toContain(`reprocessed for ${TEST_ADMIN.email}`);
    await page.screenshot({ path: join(shots, 'versions.png'), fullPage: false });
    const viewerOnly = await authed(`${server.url}/api/trpc/acquisition.get?input=${input}`);
    expect(viewerOnly.status).toBe(200);
    // a selection from the instrument's list: tick, send; the agent hears the ticked folder
    await open(page, `${server.url}/instruments/e2e-reproc`);
    await page.locator('[data-testid="acquisition-table"] input[type=checkbox]').first().check();
    await page.locator('#reprocess-selection button').click();
    await page.waitForSelector('[data-reprocess-sent]');
    await expect.poll(() => requests.length, { timeout: 10_000 }).toBe(2);
    expect(requests[1]).toMatchObject({ paths: [original.path], requestedBy: TEST_ADMIN.email });
    await open(page, `${server.url}/admin`);
    expect(await page.locator('[data-audit-action="reprocess.request"]').count()).toBeGreaterThanOrEqual(2);
  }, 90_000);

  it('designates a QC reference on /qc and draws its control chart with limits and rules', async () => {
    // the ripening gouda of the populations test stands in for a reference sample (it drifts, so rules fire)
    await open(page, `${server.url}/qc`);
    const form = page.locator('[data-qc-designate]');
    await form.locator('input[name=name]').fill('gouda reference');
    await form.locator('input[name=samplePrefix]').fill('e2e-gouda-A');
    await form.locator('select[name=quantity]').selectOption('main:T2');
    await form.locator('input[name=baselineCount]').fill('5');
    await form.locator('button').click();
    const section = page.locator('[data-qc="gouda reference"]');
    await section.waitFor();
    await section.locator('[data-plot^="qc-"] svg circle').first().waitFor();
    expect(await section.locator('[data-qc-status]').getAttribute('data-qc-status')).toMatch(/^(in|out)$/);
    expect(await section.locator('[data-plot^="qc-"] svg[viewBox]').innerHTML()).toContain('SD');
    await page.screenshot({ path: join(shots, 'qc.png'), fullPage: true });
    await open(page, `${server.url}/admin`);
    expect(await page.locator('[data-audit-action="qc.designate"]').count()).toBe(1);
  }, 60_000);

  it('admits 4 live streams per client: a fifth page waits and goes live when another closes', async () => {
    await open(page, `${server.url}/`);
    await page.waitForSelector('[data-live="live"]');
    const more: Page[] = [];
    for (let i = 0; i < 3; i++) {
      const p = await context.newPage();
      await p.goto(`${server.url}/trends`);
      await p.waitForSelector('[data-live="live"]', { timeout: 30_000 });
      more.push(p);
    }
    const fifth = await context.newPage();
    await fifth.goto(`${server.url}/`);
    await fifth.waitForSelector('[data-live="error"]', { timeout: 30_000 }); // refused (429), the page still renders
    expect(await fifth.locator('[data-testid="fleet-table"]').count()).toBe(1);
    await more.pop()!.close();
    await fifth.waitForSelector('[data-live="live"]', { timeout: 30_000 }); // LiveRefresh retries every 10 s
    for (const p of [...more, fifth]) await p.close();
  }, 120_000);

  it('shows a published spectrum on the fleet, its instrument and the viewer, which zooms and pans', async () => {
    const errors: string[] = [];
    const onError = (err: Error) => errors.push(err.message);
    page.on('pageerror', onError);
    const now = new Date();
    await agent.publishAsync(
      'lapis/v1/e2e-nmr400/status',
      json({ state: 'online', instrument: 'e2e-nmr400', at: now.toISOString(), version: '0.1.0', site: 'NMR room' }),
      { qos: 1, retain: true },
    );
    await agent.publishAsync(
      'lapis/v1/e2e-nmr400/heartbeat',
      json({
        instrument: 'e2e-nmr400',
        at: now.toISOString(),
        uptimeSeconds: 60,
        processed: 1,
        failed: 0,
        queued: 0,
        outboxDepth: 0,
      }),
      { qos: 1 },
    );
    await open(page, `${server.url}/`);
    await page.waitForSelector('[data-live="live"]', { timeout: 60_000 });
    // ethyl acetate in CDCl3 at 400 MHz: nine Lorentzian lines on 16384 points, min–max reduced to 4096 values
    const env = spectrumEnvelope({
      instrument: 'e2e-nmr400',
      seed: 'e2e-ethyl-acetate',
      producedAt: now.toISOString(),
      path: '/data/nmr400/ethyl-acetate/1',
      document: spectrumDoc({ points: 16384, values: 4096, sample: 'ethyl acetate' }),
    });
    expect(env.document.spectrum).toMatchObject({ step: 4, reduction: { method: 'min-max', from: 16384 } });
    expect(env.document.spectrum.real).toHaveLength(4096);
    expect(json(env).byteLength).toBeLessThan(MQTT_MAX_PAYLOAD_BYTES);
    await agent.publishAsync('lapis/v1/e2e-nmr400/spectrum', json(env), { qos: 1 });
    // the test plays the agent for full resolution too: it keeps the spectrum whole and answers cmd/spectrum with
    // the points inside the asked range, as the agent's store does
    const whole = spectrumPoints({ points: 16384 }).full;
    const asked: [number, number][] = [];
    await agent.subscribeAsync('lapis/v1/e2e-nmr400/cmd/spectrum', { qos: 1 });
    agent.on('message', (topic, payload) => {
      if (topic !== 'lapis/v1/e2e-nmr400/cmd/spectrum') return;
      const request = JSON.parse(payload.toString()) as { requestId: string; key: string; shift: [number, number] };
      if (request.key !== env.key) return; // (the 2D test below asks for its own spectrum)
      asked.push(request.shift);
      const perPoint = -10.5 / 16383;
      const from = Math.max(0, Math.floor((request.shift[1] - 10) / perPoint));
      const to = Math.min(16383, Math.ceil((request.shift[0] - 10) / perPoint));
      const axis = { first: 10 + from * perPoint, last: 10 + to * perPoint, from, size: to - from + 1 };
      const reply = { requestId: request.requestId, instrument: 'e2e-nmr400', at: new Date().toISOString() };
      const region = { dimensions: 1, axis, step: 1, real: Array.from(whole.subarray(from, to + 1)) };
      void agent.publishAsync('lapis/v1/e2e-nmr400/cmd/spectrum/reply', json({ ...reply, key: request.key, region }));
    });

    // live on the fleet: its card shows the spectrum (in the picture's place: there is no relaxation result)
    const card = page.locator('[data-instrument="e2e-nmr400"]');
    const line = card.locator('[data-field="spectrum"]');
    await line.waitFor({ timeout: 30_000 });
    expect(await line.innerText()).toMatch(/¹H\s+ethyl acetate/);
    expect(await line.innerText()).toMatch(/9 peaks · 1 today/);
    expect(await card.locator('[data-thumbnail="spectrum"] path').count()).toBe(1);
    await card.screenshot({ path: join(shots, 'fleet-spectrum.png') });

    // the instrument's list of spectra opens the viewer
    await open(page, `${server.url}/instruments/e2e-nmr400`);
    const listed = page.locator(`[data-testid="spectrum-list"] [data-spectrum="${env.key}"]`);
    expect(await listed.innerText()).toMatch(/ethyl acetate\s+¹H\s+zg30\s+CDCl3\s+9/);
    await listed.locator('a').click();
    await page.waitForURL(`**/spectra/${env.key}`);
    expect(await page.getByTestId('spectrum-title').innerText()).toMatch(/ethyl acetate\s+¹H · zg30 · CDCl3/);
    const viewer = page.getByTestId('spectrum-viewer');
    const canvas = viewer.locator('canvas');
    const inked = () =>
      canvas.evaluate((c: HTMLCanvasElement) => {
        const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
        let n = 0;
        for (let i = 0; i < d.length; i += 4) if (d[i]! < 128 && d[i + 2]! > 100) n++; // the trace's dark blue
        return n;
      });
    await expect.poll(inked, { timeout: 30_000 }).toBeGreaterThan(500);
    const range = async () => [
      Number(await viewer.getAttribute('data-view-lo')),
      Number(await viewer.getAttribute('data-view-hi')),
    ];
    expect(await range()).toEqual([-0.5, 10]);
    expect(await viewer.getAttribute('data-labelled')).toBe('true');
    const rows = page.locator('[data-testid="spectrum-peak-table"] tbody tr');
    expect(await rows.count()).toBe(9);
    expect(await rows.first().innerText()).toMatch(/^1\s+7\.2600\s+1\.10 × 10⁶\s+1\.00\s+1\.73 × 10⁶\s+73\.0$/);
    expect(await page.getByTestId('vendor-agreement').innerText()).toBe('9 of 9 TopSpin peaks within 0.005 ppm');
    expect(await page.getByTestId('spectrum-processing').innerText()).toMatch(/16,384 points → 4,096 values/);
    // the page down to the end of its peak table and processing panel (docs/img/spectrum-viewer.png)
    const panels = await Promise.all(
      ['spectrum-peak-table', 'spectrum-processing'].map((id) => page.getByTestId(id).boundingBox()),
    );
    const bottom = Math.max(...panels.map((b) => b!.y + b!.height)) + 16;
    await page.screenshot({
      path: join(shots, 'spectrum-viewer.png'),
      fullPage: true,
      clip: { x: 0, y: 0, width: 1400, height: bottom },
    });

    // drag across 4.30 → 3.95 ppm: the view is that range, the quartet labelled to 3 decimals
    const box = (await canvas.boundingBox())!;
    const xAt = (ppm: number, [lo, hi]: number[]) => box.x + 14 + ((hi! - ppm) / (hi! - lo!)) * (box.width - 28);
    const y = box.y + box.height / 2;
    await page.mouse.move(xAt(4.3, [-0.5, 10]), y);
    await page.mouse.down();
    await page.mouse.move(xAt(3.95, [-0.5, 10]), y, { steps: 5 });
    await page.mouse.up();
    await expect.poll(range).not.toEqual([-0.5, 10]);
    const [lo, hi] = await range();
    expect(lo).toBeCloseTo(3.95, 1);
    expect(hi).toBeCloseTo(4.3, 1);
    expect(await page.getByTestId('spectrum-range').innerText()).toMatch(/^4\.\d{3} – 3\.\d{3} ppm$/);
    expect(await viewer.getAttribute('data-labelled')).toBe('true');
    // zoomed in this far the transported values are coarser than the screen: the view comes at full resolution
    await expect.poll(() => viewer.getAttribute('data-resolution'), { timeout: 30_000 }).toBe('full');
    expect(await page.getByTestId('spectrum-resolution').innerText()).toBe('full resolution');
    expect(asked).toHaveLength(1);
    expect(asked[0]![0]).toBeLessThan(lo!);
    expect(asked[0]![1]).toBeGreaterThan(hi!);
    await page.mouse.move(box.x + box.width / 2, box.y - 60); // off the plot: no cursor line in the picture
    await viewer.screenshot({ path: join(shots, 'spectrum-viewer-zoom.png') });
    // the denoised copy for display, over the faint measured trace, and back
    const denoise = viewer.getByRole('button', { name: 'Denoised' });
    expect(await denoise.getAttribute('aria-pressed')).toBe('false');
    await denoise.click();
    await expect.poll(() => denoise.getAttribute('aria-pressed')).toBe('true');
    await viewer.screenshot({ path: join(shots, 'spectrum-viewer-denoised.png') });
    await denoise.click();
    await expect.poll(() => denoise.getAttribute('aria-pressed')).toBe('false');
    // the wheel zooms in about the cursor
    await page.mouse.move(xAt(4.12, [lo!, hi!]), y);
    await page.mouse.wheel(0, -400);
    await expect.poll(async () => (await range())[1]! - (await range())[0]!).toBeLessThan((hi! - lo!) * 0.8);
    const [wlo, whi] = await range();
    expect(wlo).toBeLessThan(4.12);
    expect(whi).toBeGreaterThan(4.12);
    // shift-drag pans: to the right shows higher ppm, the width unchanged
    await page.keyboard.down('Shift');
    await page.mouse.move(box.x + box.width / 2, y);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 + 200, y, { steps: 5 });
    await page.mouse.up();
    await page.keyboard.up('Shift');
    await expect.poll(async () => (await range())[0]).toBeGreaterThan(wlo!);
    const [plo, phi] = await range();
    expect(phi! - plo!).toBeCloseTo(whi! - wlo!, 3);
    // double-click: the whole spectrum again
    await page.mouse.dblclick(box.x + box.width / 2, y);
    await expect.poll(range).toEqual([-0.5, 10]);
    expect(await page.getByTestId('spectrum-resolution').innerText()).toMatch(
      /^reduced for transport \(1 value per 4 points\) · zoom in for full resolution$/,
    );
    page.off('pageerror', onError);
    expect(errors).toEqual([]);
    expect(cspViolations).toEqual([]);
  }, 180_000);

  it('draws a published 2D spectrum (an edited HSQC) as contours, negative red, with its peaks', async () => {
    const now = new Date();
    await open(page, `${server.url}/instruments/e2e-nmr400`);
    await page.waitForSelector('[data-live="live"]', { timeout: 60_000 });
    const env = spectrumEnvelope({
      instrument: 'e2e-nmr400',
      seed: 'e2e-hsqc',
      producedAt: now.toISOString(),
      path: '/data/nmr400/ethyl-acetate/3',
      // 192 × 384 points pooled 2 × 2 for transport, as the agent sends a larger matrix
      document: hsqcDoc({ rows: 192, columns: 384, pool: [2, 2], sample: 'ethyl acetate' }),
    });
    expect(env.document.spectrum).toMatchObject({ rows: 96, columns: 192, step: [2, 2] });
    expect(json(env).byteLength).toBeLessThan(MQTT_MAX_PAYLOAD_BYTES);
    // the test plays the agent: it keeps the whole matrix and answers a window of it (F1 80 → 0, F2 6 → 0 ppm)
    const matrix = hsqcPoints({ rows: 192, columns: 384 });
    const windows: { shift1: [number, number]; shift2: [number, number] }[] = [];
    await agent.subscribeAsync('lapis/v1/e2e-nmr400/cmd/spectrum', { qos: 1 });
    agent.on('message', (topic, payload) => {
      const request = JSON.parse(payload.toString()) as {
        requestId: string;
        key: string;
        shift1?: [number, number];
        shift2?: [number, number];
      };
      if (topic !== 'lapis/v1/e2e-nmr400/cmd/spectrum' || request.key !== env.key) return;
      windows.push({ shift1: request.shift1!, shift2: request.shift2! });
      const span = (first: number, last: number, size: number, [lo, hi]: [number, number]) => {
        const per = (last - first) / (size - 1);
        const from = Math.max(0, Math.floor((hi - first) / per));
        const to = Math.min(size - 1, Math.ceil((lo - first) / per));
        return { first: first + from * per, last: first + to * per, from, size: to - from + 1 };
      };
      const a1 = span(80, 0, 192, request.shift1!);
      const a2 = span(6, 0, 384, request.shift2!);
      const real: number[] = [];
      for (let r = a1.from; r < a1.from + a1.size; r++)
        real.push(...matrix.slice(r * 384 + a2.from, r * 384 + a2.from + a2.size));
      const region = { dimensions: 2, axes: [a1, a2], rows: a1.size, columns: a2.size, step: [1, 1], real };
      const reply = { requestId: request.requestId, instrument: 'e2e-nmr400', at: new Date().toISOString() };
      void agent.publishAsync('lapis/v1/e2e-nmr400/cmd/spectrum/reply', json({ ...reply, key: env.key, region }));
    });
    await agent.publishAsync('lapis/v1/e2e-nmr400/spectrum', json(env), { qos: 1 });
    // the instrument page is live: the new spectrum joins its list
    const listed = page.locator(`[data-testid="spectrum-list"] [data-spectrum="${env.key}"]`);
    await listed.waitFor({ timeout: 30_000 });
    expect(await listed.innerText()).toMatch(/¹³C\/¹H\s*2D\s+hsqcedetgpsisp2\.3/);
    await listed.locator('a').click();
    await page.waitForURL(`**/spectra/${env.key}`);
    const view = page.getByTestId('spectrum-2d');
    await view.waitFor();
    for (const sign of ['positive', 'negative']) {
      const d = await view.locator(`[data-contours="${sign}"] path`).getAttribute('d');
      expect(d!.length, sign).toBeGreaterThan(200);
    }
    // zoom: a box dragged around the CH₃ peaks (F2 1.3–2.0, F1 14–21 ppm) narrows both ranges; a double-click gives
    // the whole back
    const plot = view.getByTestId('spectrum-2d-plot');
    const range = async () =>
      Object.fromEntries(
        await Promise.all(
          ['f2-lo', 'f2-hi', 'f1-lo', 'f1-hi'].map(async (k) => [k, Number(await plot.getAttribute(`data-${k}`))]),
        ),
      ) as Record<string, number>;
    const whole = await range();
    const svgBox = (await plot.locator('svg').boundingBox())!;
    await page.mouse.move(svgBox.x + svgBox.width * 0.55, svgBox.y + svgBox.height * 0.12);
    await page.mouse.down();
    await page.mouse.move(svgBox.x + svgBox.width * 0.78, svgBox.y + svgBox.height * 0.34, { steps: 5 });
    await page.mouse.up();
    const zoomed = await range();
    expect(zoomed['f2-hi']! - zoomed['f2-lo']!).toBeLessThan(0.5 * (whole['f2-hi']! - whole['f2-lo']!));
    expect(zoomed['f1-hi']! - zoomed['f1-lo']!).toBeLessThan(0.5 * (whole['f1-hi']! - whole['f1-lo']!));
    expect(zoomed['f2-lo']!).toBeGreaterThanOrEqual(whole['f2-lo']!);
    expect(await view.getByTestId('spectrum-2d-range').innerText()).toMatch(/^F2 .* ppm · F1 .* ppm$/);
    expect(zoomed['f2-lo']!).toBeLessThan(1.26);
    expect(zoomed['f2-hi']!).toBeGreaterThan(2.045);
    expect(zoomed['f1-hi']!).toBeGreaterThan(21);
    // zoomed past the transported matrix, the window comes from the agent at full resolution and is contoured anew
    const transported = (await view.locator('[data-contours="positive"] path').getAttribute('d'))!;
    expect(await view.getByTestId('spectrum-2d-resolution').innerText()).toMatch(/reduced for transport|fetching/);
    await expect.poll(() => plot.getAttribute('data-resolution'), { timeout: 30_000 }).toBe('full');
    expect(await view.getByTestId('spectrum-2d-resolution').innerText()).toBe('full resolution');
    expect(windows).toHaveLength(1);
    expect(windows[0]!.shift2[0]).toBeLessThan(zoomed['f2-lo']!);
    expect(windows[0]!.shift1[1]).toBeGreaterThan(zoomed['f1-hi']!);
    const fine = (await view.locator('[data-contours="positive"] path').getAttribute('d'))!;
    expect(fine).not.toBe(transported);
    await page.screenshot({ path: join(shots, 'spectrum-2d-zoomed.png'), fullPage: true });
    await plot.locator('svg').dblclick();
    expect(await range()).toEqual(whole);
    const rows = page.locator('[data-testid="spectrum-peak-table"] tbody tr');
    expect(await rows.count()).toBe(3);
    expect(await rows.first().innerText()).toMatch(/^1\s+4\.120\s+60\.50\s+−6\.00 × 10⁶\s+12\.00\s+60\.0/);
    const processing = await page.getByTestId('spectrum-processing').innerText();
    expect(processing).toContain('Echo-Antiecho (phase-sensitive)');
    expect(processing).toMatch(/linear prediction 128 → 256 points \(order 32\)/);
    expect(await page.getByTestId('vendor-agreement').innerText()).toBe(
      '3 of 3 TopSpin peaks within 0.02 ppm (F2) and 0.3 ppm (F1)',
    );
    await page.screenshot({ path: join(shots, 'spectrum-2d.png'), fullPage: true });
  }, 120_000);
});
