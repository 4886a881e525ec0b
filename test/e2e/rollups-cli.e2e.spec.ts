import { DataSource } from 'typeorm';
import { runRollupsRebuild } from '../../src/cli/run-rollups-rebuild.js';
import { createCalendar, crmEvent, hotLeads, signAgreement } from '../support/agreement-fixture.js';
import { seedOrg } from '../support/org-fixture.js';
import { rollupSnapshot, type RollupRow } from '../support/rollup-snapshot.js';
import { TEST_ADMIN_TOKEN, TestApp } from '../support/test-app.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { sendEvents } from '../support/tracking-fixture.js';
import { captureOutput } from '../support/cli-output.js';

describe('npm run rollups:rebuild', () => {
  let database: TestDatabase;
  let env: NodeJS.ProcessEnv;
  let right: RollupRow[];
  let funnelRows: number;
  const funnelRollups = async (dataSource: DataSource) => Number(Object.values((await dataSource.query('SELECT COUNT(*) AS n FROM funnel_rollups'))[0] as object)[0]);

  beforeAll(async () => {
    database = await createTestDatabase({ shared: true });
    env = { ...process.env, LOG_LEVEL: 'warn', CONCORD_ADMIN_TOKEN: TEST_ADMIN_TOKEN, ...database.env };
    const t = await TestApp.start({ database });
    try {
      const org = await seedOrg(t);
      const calendarId = await createCalendar(t);
      t.clock.set('2026-10-01T07:00:00Z');
      await signAgreement(t, org, hotLeads(org, calendarId));
      t.clock.set('2026-11-20T12:00:00Z');
      await sendEvents(t, org.marketingMember.token, [
        crmEvent('lead.handed_over', 'B-1', '2026-11-02T09:10:00+01:00', { score: 'hot' }),
        crmEvent('lead.contacted', 'B-1', '2026-11-02T09:40:00+01:00'),
        crmEvent('lead.handed_over', 'B-2', '2026-11-03T10:00:00+01:00', { score: 'warm' }),
        crmEvent('lead.handed_over', 'B-3', '2026-11-04T11:00:00+01:00'),
        crmEvent('lead.disqualified', 'B-3', '2026-11-04T11:30:00+01:00'),
        crmEvent('lead.mql', 'B-1', '2026-11-02T09:00:00+01:00', { source: 'fair' }),
        crmEvent('lead.mql', 'B-2', '2026-11-03T09:00:00+01:00', { source: 'web' }),
        crmEvent('lead.sql', 'B-1', '2026-11-02T09:05:00+01:00'),
      ]);
      funnelRows = await funnelRollups(t.app.get(DataSource));
      expect(funnelRows).toBeGreaterThan(0);
      right = await rollupSnapshot(t.app.get(DataSource));
      expect(right.length).toBeGreaterThan(0);
      // Lost, as after a restore of the clocks without their rollups.
      await t.app.get(DataSource).query('DELETE FROM compliance_rollups');
      await t.app.get(DataSource).query('DELETE FROM funnel_rollups');
    } finally {
      await t.close();
    }
    // A database file migrated, an org seeded and an agreement signed: well over the default on a busy machine.
  }, 120_000);

  afterAll(async () => database?.drop());

  it('builds the rollups again from the clocks and the stage entries, and says how many it read', async () => {
    const output = captureOutput();
    expect(await runRollupsRebuild([], env, output)).toBe(0);
    expect(output.text.stdout).toMatch(/^rollups rebuilt: 1 agreement\(s\), 3 clocks; the funnel's from 2 lead\(s\); in \d+\.\d s\n$/);
    const t = await TestApp.start({ database });
    try {
      expect(await rollupSnapshot(t.app.get(DataSource))).toEqual(right);
      expect(await funnelRollups(t.app.get(DataSource))).toBe(funnelRows);
    } finally {
      await t.close();
    }
  });

  it.each([
    ['an argument', ['--all'], {}, /^rollups:rebuild: unexpected argument --all\nusage: npm run rollups:rebuild\n$/],
    ['a bad setting', [], { SWEEP_INTERVAL_SECONDS: 'often' }, /^rollups:rebuild: the configuration is invalid: SWEEP_INTERVAL_SECONDS must be a whole number/],
  ])('exits with 1 and one message for %s', async (_case, argv, settings, message) => {
    const output = captureOutput();
    expect(await runRollupsRebuild(argv, { ...env, ...settings }, output)).toBe(1);
    expect(output.text.stderr).toMatch(message);
    expect(output.text.stdout).toBe('');
  });
});
