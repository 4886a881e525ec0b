import type { DataSource, EntityManager } from 'typeorm';

/**
 * The few differences between SQLite and PostgreSQL that hand-written SQL meets: parameter
 * placeholders and how instants travel. Hot paths (event ingestion, sweeps, replays) use raw SQL
 * written once for both; everything else goes through TypeORM.
 */
export class SqlDialect {
  private constructor(readonly kind: 'postgres' | 'sqlite') {}

  static of(source: DataSource | EntityManager): SqlDialect {
    const type = 'options' in source ? source.options.type : source.connection.options.type;
    return new SqlDialect(type === 'postgres' ? 'postgres' : 'sqlite');
  }

  /** The n-th placeholder, 1-based. */
  param(n: number): string {
    return this.kind === 'postgres' ? `$${n}` : '?';
  }

  /** `count` placeholders from the n-th on, comma-separated. */
  params(first: number, count: number): string {
    return Array.from({ length: count }, (_, i) => this.param(first + i)).join(', ');
  }

  /** An instant as a parameter: a Date for pg, TypeORM's UTC datetime text for SQLite. */
  instant(value: Date | number): Date | string {
    const date = typeof value === 'number' ? new Date(value) : value;
    return this.kind === 'postgres' ? date : date.toISOString().replace('T', ' ').replace('Z', '');
  }

  /**
   * Runs a statement and returns its rows, alike for SELECT and for INSERT / UPDATE … RETURNING
   * (TypeORM's raw query answers [rows, count] for a PostgreSQL UPDATE).
   */
  static async rows<T>(manager: EntityManager, sql: string, parameters: unknown[] = []): Promise<T[]> {
    const runner = manager.queryRunner ?? manager.connection.createQueryRunner();
    try {
      const result = await runner.query(sql, parameters, true);
      return (result.records ?? []) as T[];
    } finally {
      if (!manager.queryRunner) await runner.release();
    }
  }

  /** An instant read from a raw row, as epoch ms. */
  readInstant(value: unknown): number | null {
    if (value === null || value === undefined) return null;
    if (value instanceof Date) return value.getTime();
    return Date.parse(`${String(value).replace(' ', 'T')}Z`);
  }
}
