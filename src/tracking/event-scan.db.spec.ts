import type { DataSource } from 'typeorm';
import { openTestDataSource } from '../../test/support/test-database.js';
import { SqlDialect } from '../database/sql-dialect.js';
import { EventScanner, type ScannedEvent } from './event-scan.js';

/**
 * The scan every replay and recomputation reads the event log through, on a real database
 * (in-memory SQLite, or PostgreSQL when DATABASE_URL is set): more events than one page (10,000),
 * each wanted one exactly once, in subject, time and id order, instants to the millisecond.
 */
describe(`the event scan on ${process.env.DATABASE_URL ? 'PostgreSQL' : 'SQLite'}`, () => {
  let database: { dataSource: DataSource; close(): Promise<void> };
  let scanner: EventScanner;
  const FROM = Date.UTC(2026, 0, 1);
  const TOTAL = 12_750;
  const expected: ScannedEvent[] = [];

  beforeAll(async () => {
    database = await openTestDataSource();
    scanner = new EventScanner(database.dataSource);
    const dialect = SqlDialect.of(database.dataSource);
    const rows: unknown[][] = [];
    for (let n = 0; n < TOTAL; n++) {
      // 97 subjects, times going back and forth across them, one event in 5 of an unwanted type and
      // one in 50 before the window; milliseconds that are no multiple of 10.
      const subject = `lead-${String((n * 31) % 97).padStart(3, '0')}`;
      const occurredAt = FROM + (n % 50 === 0 ? -1 : 1) * ((n * 7_919) % 86_400_000) + 123;
      const type = n % 5 === 0 ? 'lead.mql' : n % 2 ? 'lead.handed_over' : 'lead.contacted';
      const id = `00000000-0000-7000-8000-${String(n).padStart(12, '0')}`;
      const attributes = JSON.stringify({ n, score: n % 3 ? 'hot' : 'warm' });
      rows.push([id, `k:${n}`, type, subject, dialect.instant(occurredAt), dialect.instant(occurredAt), attributes]);
      if (type !== 'lead.mql' && occurredAt >= FROM) expected.push({ id, type, subject, occurredAt, attributes });
    }
    for (let start = 0; start < rows.length; start += 500) {
      const batch = rows.slice(start, start + 500);
      await database.dataSource.query(
        `INSERT INTO events (id, dedupe_key, type, subject, occurred_at, received_at, attributes) VALUES ${batch
          .map((_, i) => `(${dialect.params(i * 7 + 1, 7)})`)
          .join(', ')}`,
        batch.flat(),
      );
    }
    expected.sort((a, b) => (a.subject < b.subject ? -1 : a.subject > b.subject ? 1 : a.occurredAt - b.occurredAt || (a.id < b.id ? -1 : 1)));
  });
  afterAll(async () => database?.close());

  it('yields every event of the wanted types from the instant on, once, in subject, time and id order, across pages', async () => {
    const seen: ScannedEvent[] = [];
    let pages = 0;
    await scanner.scanBySubject(
      FROM,
      (page) => {
        pages += 1;
        seen.push(...page);
      },
      undefined,
      ['lead.handed_over', 'lead.contacted'],
    );
    expect(expected.length).toBeGreaterThan(10_000);
    expect(pages).toBeGreaterThan(1);
    expect(seen).toEqual(expected);
  });

  it('reads within the caller’s transaction, which goes on writing after the scan', async () => {
    let count = 0;
    await database.dataSource.transaction(async (manager) => {
      await scanner.scanBySubject(FROM, (page) => void (count += page.length), manager, ['lead.handed_over', 'lead.contacted']);
      await manager.query(`UPDATE events SET key = ${SqlDialect.of(manager).param(1)} WHERE id = ${SqlDialect.of(manager).param(2)}`, ['scanned', expected[0].id]);
    });
    expect(count).toBe(expected.length);
    const [row] = await database.dataSource.query(`SELECT key FROM events WHERE id = ${SqlDialect.of(database.dataSource).param(1)}`, [expected[0].id]);
    expect(row.key).toBe('scanned');
  });
});
