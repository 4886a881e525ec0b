import { DataSource } from 'typeorm';
import { loadConfig } from '../../src/config/app-config.js';
import { buildDataSourceOptions } from '../../src/database/data-source-options.js';
import { MIGRATIONS } from '../../migrations/index.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

describe(`migrations on ${process.env.DATABASE_URL ? 'PostgreSQL' : 'SQLite'}`, () => {
  let database: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = new DataSource(buildDataSourceOptions(loadConfig({ ...process.env, ...database.env })));
    await dataSource.initialize();
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  /** The entity tables that exist now. */
  async function entityTables(): Promise<string[]> {
    const runner = dataSource.createQueryRunner();
    try {
      const present: string[] = [];
      for (const metadata of dataSource.entityMetadatas) {
        if (await runner.hasTable(metadata.tablePath)) present.push(metadata.tableName);
      }
      return present.sort();
    } finally {
      await runner.release();
    }
  }

  it('builds exactly the schema the entities describe', async () => {
    await dataSource.runMigrations({ transaction: 'each' });
    const applied = await dataSource.query(`SELECT name FROM migrations ORDER BY id`);
    expect(applied.map((m: { name: string }) => m.name)).toEqual(MIGRATIONS.map((m) => m.name));

    const pending = await dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((query) => query.query)).toEqual([]);
  });

  it('reverts every migration, newest first, down to an empty database, and migrates again', async () => {
    await dataSource.runMigrations({ transaction: 'each' });
    for (let remaining = MIGRATIONS.length; remaining > 0; remaining--) {
      await dataSource.undoLastMigration({ transaction: 'each' });
    }
    expect(await entityTables()).toEqual([]);

    await dataSource.runMigrations({ transaction: 'each' });
    const pending = await dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries).toEqual([]);
    expect(await entityTables()).toEqual(dataSource.entityMetadatas.map((m) => m.tableName).sort());
  });
});
