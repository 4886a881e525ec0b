import { BreachExplanations1795551000000 } from '../../migrations/1795551000000-BreachExplanations.js';
import { MIGRATIONS } from '../../migrations/index.js';
import { createTestDatabase, openMigrated, type TestDatabase } from '../support/test-database.js';

/** Explanations written before revisions existed must survive the migration as revision 1. */
describe(`the breach explanations migration on ${process.env.DATABASE_URL ? 'PostgreSQL' : 'SQLite'}`, () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase({ shared: true });
  });
  afterAll(async () => database?.drop());

  it('keeps each existing explanation as its first revision, awaiting review, and leaves unexplained breaches alone', async () => {
    // Every migration before this one: later ones are added after it.
    const before = await openMigrated(database, MIGRATIONS.slice(0, MIGRATIONS.indexOf(BreachExplanations1795551000000)));
    const postgres = before.options.type === 'postgres';
    const at = (iso: string) => (postgres ? new Date(iso) : iso.replace('T', ' ').replace('Z', ''));
    const { values } = before;
    const insert = `INSERT INTO breaches (id, kind, agreement_id, version_id, department_id, due_at, detected_at, cause, corrective_action, explained_at, explained_by)
      VALUES (${values(11)})`;
    const common = ['response', '00000000-0000-4000-8000-00000000000a', '00000000-0000-4000-8000-00000000000b', '00000000-0000-4000-8000-00000000000c'];
    await before.query(insert, ['00000000-0000-4000-8000-000000000001', ...common, at('2026-11-09T08:30:00Z'), at('2026-11-09T08:30:30Z'), 'Kick-off', 'A backup', at('2026-11-09T11:00:00Z'), '00000000-0000-4000-8000-0000000000ff']);
    await before.query(insert, ['00000000-0000-4000-8000-000000000002', ...common, at('2026-11-10T08:30:00Z'), at('2026-11-10T08:30:30Z'), null, null, null, null]);
    await before.destroy();

    const after = await openMigrated(database);
    try {
      const revisions = await after.query('SELECT id, breach_id, revision, cause, corrective_action, explained_by FROM breach_explanations');
      expect(revisions).toEqual([
        {
          id: '00000000-0000-4000-8000-000000000001',
          breach_id: '00000000-0000-4000-8000-000000000001',
          revision: 1,
          cause: 'Kick-off',
          corrective_action: 'A backup',
          explained_by: '00000000-0000-4000-8000-0000000000ff',
        },
      ]);
      const explainedAt = (await after.query('SELECT explained_at FROM breach_explanations'))[0].explained_at;
      expect(new Date(postgres ? explainedAt : `${explainedAt}Z`).toISOString()).toBe('2026-11-09T11:00:00.000Z');
      const statuses = await after.query('SELECT id, review_status FROM breaches ORDER BY id');
      expect(statuses.map((row: { review_status: string | null }) => row.review_status)).toEqual(['pending', null]);
      await after.undoLastMigration({ transaction: 'each' });
      expect(await after.query('SELECT cause FROM breaches ORDER BY id')).toEqual([{ cause: 'Kick-off' }, { cause: null }]);
    } finally {
      await after.destroy();
    }
  });
});
