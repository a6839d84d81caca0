/** Managers acknowledge incidents and mute instruments; each is audited; a viewer may only look. */
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { testDb } from '../../test/db';
import { seedFleet } from '../../test/seed';
import { testUser } from '../../test/users';
import { startAlerts } from '../alerts/alertService';
import { ChangeBus } from '../bus';
import { createCaller } from './root';

describe('alerts router', () => {
  it('lists open incidents; a manager acknowledges one and mutes an instrument; both audited', async () => {
    const { db } = await testDb();
    await seedFleet(db);
    await startAlerts({ db, intervalMs: 0, logger: { warn: () => {}, error: () => {} } }).tick(
      new Date('2026-11-21T12:00:00Z'),
    );
    const viewer = createCaller({ db, bus: new ChangeBus(), user: testUser('viewer') });
    const manager = createCaller({ db, bus: new ChangeBus(), user: testUser('manager') });
    const { incidents } = await viewer.alerts.open();
    expect(incidents.map((i) => `${i.instrumentId}/${i.kind}`).sort()).toEqual([
      'bench-2/offline',
      'minispec-1/failing',
      'minispec-1/outbox',
    ]);
    const offline = incidents.find((i) => i.kind === 'offline')!;
    await expect(viewer.alerts.acknowledge({ incidentId: offline.id })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await manager.alerts.acknowledge({ incidentId: offline.id });
    await expect(manager.alerts.acknowledge({ incidentId: offline.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const { until } = await manager.alerts.mute({ instrument: 'minispec-1', kind: 'outbox', hours: 4 });
    expect(until.getTime() - Date.now()).toBeGreaterThan(3.9 * 3600_000);
    const after = await viewer.alerts.open();
    expect(after.incidents.find((i) => i.id === offline.id)!.acknowledgedBy).toBe('manager@example.org');
    expect(after.mutes.map((m) => [m.instrumentId, m.kind, m.byEmail])).toEqual([
      ['minispec-1', 'outbox', 'manager@example.org'],
    ]);
    await manager.alerts.unmute({ muteId: after.mutes[0]!.id });
    expect((await viewer.alerts.open()).mutes).toEqual([]);
    const audit = (await db.execute(
      sql`select action, target, actor_email from audit_log where action like 'alert.%' order by id`,
    )) as unknown as { rows: { action: string; target: string; actor_email: string }[] };
    expect(audit.rows.map((r) => `${r.action} ${r.target} ${r.actor_email}`)).toEqual([
      'alert.acknowledge bench-2/offline manager@example.org',
      'alert.mute minispec-1 manager@example.org',
      'alert.unmute minispec-1 manager@example.org',
    ]);
  });
});
