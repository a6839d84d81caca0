/** Alerts on PGlite with a real HTTP webhook receiver: one notification per incident, retried until delivered. */
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDb } from '../../test/db';
import { json } from '../../test/fixtures';
import { seedFleet } from '../../test/seed';
import { ingestMessage } from '../ingest/ingestMessage';
import { alertMutes, incidents } from '../db/schema';
import { startAlerts, type AlertPayload } from './alertService';

let server: Server;
let url: string;
const received: AlertPayload[] = [];
let answer = 200;
beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      if (answer === 200) received.push(JSON.parse(body) as AlertPayload);
      res.writeHead(answer).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/hook`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const quiet = { warn: () => {}, error: () => {} };
const now = new Date('2026-11-21T12:00:00Z');

describe('alerts', () => {
  it('opens one incident per instrument and kind, tells the webhook once, and again when it is resolved', async () => {
    const { db } = await testDb();
    await seedFleet(db);
    received.length = 0;
    answer = 200;
    const alerts = startAlerts({
      db,
      webhookUrl: url,
      intervalMs: 0,
      logger: quiet,
      publicUrl: 'https://lab.example/',
    });
    // bench-2 is offline; minispec-1's last acquisition failed and 3 results wait in its outbox
    expect(await alerts.tick(now)).toEqual({ opened: 3, resolved: 0, sent: 3, failed: 0 });
    expect(received.map((p) => [p.event, p.instrument, p.kind, p.level]).sort()).toEqual([
      ['opened', 'bench-2', 'offline', 'alert'],
      ['opened', 'minispec-1', 'failing', 'alert'],
      ['opened', 'minispec-1', 'outbox', 'warn'],
    ]);
    const offline = received.find((p) => p.kind === 'offline')!;
    expect(offline).toMatchObject({ format: 'lapis-alert/1', url: 'https://lab.example/instruments/bench-2' });
    expect(offline.text).toBe(
      '🔴 bench-2: offline for 1 d (connection lost) — https://lab.example/instruments/bench-2',
    );
    // still the same trouble a minute later: nothing new is sent
    expect(await alerts.tick(new Date(now.getTime() + 60_000))).toEqual({ opened: 0, resolved: 0, sent: 0, failed: 0 });
    // bench-2 comes back (with a heartbeat): its incident is resolved and said so, once
    const at = new Date(now.getTime() + 120_000);
    await ingestMessage(
      db,
      'lapis/v1/bench-2/status',
      json({ state: 'online', instrument: 'bench-2', at: at.toISOString() }),
      { now: at },
    );
    await ingestMessage(
      db,
      'lapis/v1/bench-2/heartbeat',
      json({
        instrument: 'bench-2',
        at: at.toISOString(),
        uptimeSeconds: 1,
        processed: 0,
        failed: 0,
        queued: 0,
        outboxDepth: 0,
      }),
      { now: at },
    );
    received.length = 0;
    expect(await alerts.tick(at)).toEqual({ opened: 0, resolved: 1, sent: 1, failed: 0 });
    expect(received).toEqual([expect.objectContaining({ event: 'resolved', instrument: 'bench-2', kind: 'offline' })]);
    expect(received[0]!.text).toMatch(/^✅ resolved bench-2: offline/);
    const rows = await db.select().from(incidents);
    expect(rows.filter((r) => r.resolvedAt === null)).toHaveLength(2);
    alerts.stop();
  });

  it('keeps trying a webhook that fails, without opening the incident twice', async () => {
    const { db } = await testDb();
    await seedFleet(db);
    received.length = 0;
    answer = 503;
    const alerts = startAlerts({ db, webhookUrl: url, intervalMs: 0, logger: quiet });
    expect(await alerts.tick(now)).toMatchObject({ opened: 3, sent: 0, failed: 3 });
    expect(await alerts.tick(now)).toMatchObject({ opened: 0, sent: 0, failed: 3 });
    answer = 200;
    expect(await alerts.tick(now)).toMatchObject({ opened: 0, sent: 3, failed: 0 });
    expect(received).toHaveLength(3);
    expect(await alerts.tick(now)).toMatchObject({ sent: 0, failed: 0 });
    // two dashboards evaluating together open and tell each incident once
    const other = startAlerts({ db, webhookUrl: url, intervalMs: 0, logger: quiet });
    expect(await other.tick(now)).toEqual({ opened: 0, resolved: 0, sent: 0, failed: 0 });
    alerts.stop();
    other.stop();
  });
});

describe('alerts by e-mail (a real SMTP server started here) and mutes', () => {
  it('mails once per incident opening and resolution; a mute drops what falls in it', async () => {
    const { SMTPServer } = await import('smtp-server');
    const mails: { to: string[]; data: string }[] = [];
    const smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onData(stream, session, callback) {
        let data = '';
        stream.on('data', (d: Buffer) => (data += d.toString('utf8')));
        stream.on('end', () => {
          mails.push({ to: session.envelope.rcptTo.map((r) => r.address), data });
          callback();
        });
      },
    });
    await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', () => r()));
    const port = (smtp.server.address() as { port: number }).port;
    try {
      const { db } = await testDb();
      await seedFleet(db);
      received.length = 0;
      answer = 200;
      // minispec-1 is muted for its outbox warnings for two hours; everything else is mailed
      await db.insert(alertMutes).values({
        instrumentId: 'minispec-1',
        kind: 'outbox',
        until: new Date(now.getTime() + 2 * 3600_000),
        byEmail: 'manager@example.org',
      });
      const alerts = startAlerts({
        db,
        webhookUrl: url,
        intervalMs: 0,
        logger: quiet,
        email: { smtpUrl: `smtp://127.0.0.1:${port}`, to: ['lab@example.org'], from: 'Lapis <lapis@example.org>' },
      });
      const first = await alerts.tick(now);
      expect(first.opened).toBe(3);
      // two incidents on two channels; the muted one on neither
      expect(first.sent).toBe(4);
      expect(mails).toHaveLength(2);
      expect(mails.every((m) => m.to.join() === 'lab@example.org')).toBe(true);
      // (MIME-encoded subjects: words and ids stay readable)
      const subjects = mails.map((m) => /^Subject: (.*)$/m.exec(m.data)?.[1] ?? '').sort();
      expect(subjects.map((x) => [/ALERT/.test(x), /bench-2|minispec-1/.exec(x)?.[0]])).toEqual([
        [true, 'bench-2'],
        [true, 'minispec-1'],
      ]);
      expect(received.map((p) => p.kind).sort()).toEqual(['failing', 'offline']);
      // the next ticks send nothing more, mail included
      expect((await alerts.tick(new Date(now.getTime() + 60_000))).sent).toBe(0);
      expect(mails).toHaveLength(2);
      // the muted incident's notifications were dropped (marked told), not kept for later
      const rows = await db.select().from(incidents);
      expect(rows.find((r) => r.kind === 'outbox')!.emailNotifiedAt).not.toBeNull(); // dropped, marked told
    } finally {
      await new Promise<void>((r) => smtp.close(() => r()));
    }
  });

  it('retries mail until the SMTP server answers, and sends it once', async () => {
    const { db } = await testDb();
    await seedFleet(db);
    answer = 200;
    const alerts = startAlerts({
      db,
      intervalMs: 0,
      logger: quiet,
      timeoutMs: 2000,
      email: { smtpUrl: 'smtp://127.0.0.1:1', to: ['lab@example.org'], from: 'lapis@example.org' },
    });
    const t = await alerts.tick(now);
    expect(t.failed).toBe(3);
    const rows = await db.select().from(incidents);
    expect(rows.every((r) => r.emailNotifiedAt === null && r.notifiedAt !== null)).toBe(true);
  });
});
