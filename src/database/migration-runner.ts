import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** Any fixed number: instances of Concord agree on it to take turns migrating. */
const MIGRATION_LOCK_KEY = 7_262_024;

/**
 * Applies pending migrations at start-up, before anything reads the database. On PostgreSQL an
 * advisory lock makes several instances starting together take turns; the later ones find
 * nothing left to do. SQLite serialises writers by itself.
 */
@Injectable()
export class MigrationRunner implements OnModuleInit {
  private readonly logger = new Logger('Migrations');

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async onModuleInit(): Promise<void> {
    const isPostgres = this.dataSource.options.type === 'postgres';
    const lock = isPostgres ? this.dataSource.createQueryRunner() : undefined;
    try {
      await lock?.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
      const applied = await this.dataSource.runMigrations({ transaction: 'each' });
      for (const migration of applied) this.logger.log(`applied ${migration.name}`);
    } finally {
      if (lock) {
        await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
        await lock.release();
      }
    }
  }
}
