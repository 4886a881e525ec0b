import fc from 'fast-check';
import type { DataSource } from 'typeorm';
import { formatSqliteInstant, parseSqliteInstant, SqlDialect } from './sql-dialect.js';

const viaDateParse = (text: string) => Date.parse(`${text.replace(' ', 'T')}Z`);

describe('parseSqliteInstant', () => {
  it('reads SQLite datetime text as UTC epoch ms, as Date.parse of its ISO form does', () => {
    expect(parseSqliteInstant('2026-01-05 09:30:00.000')).toBe(Date.UTC(2026, 0, 5, 9, 30));
    expect(parseSqliteInstant('2026-07-01 00:00:00.001')).toBe(Date.parse('2026-07-01T00:00:00.001Z'));
    expect(parseSqliteInstant('2028-02-29 23:59:59.999')).toBe(Date.parse('2028-02-29T23:59:59.999Z'));
    expect(parseSqliteInstant('1970-01-01 00:00:00.000')).toBe(0);
    // Every 79,191,773 ms over a few years: all fields take all their values.
    for (let ms = Date.UTC(2023, 0, 1); ms < Date.UTC(2031, 0, 1); ms += 79_191_773) {
      const text = new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
      expect(parseSqliteInstant(text)).toBe(ms);
    }
  });

  it('answers as Date.parse for any other form and for fields out of range', () => {
    for (const text of [
      '2026-01-05 09:30:00',
      '2026-01-05 09:30',
      '2026-01-05T09:30:00.000',
      '2026-02-29 10:00:00.000',
      '2026-02-31 10:00:00.000',
      '2026-04-31 10:00:00.000',
      '2026-13-01 10:00:00.000',
      '2026-00-10 10:00:00.000',
      '2026-01-00 10:00:00.000',
      '2026-01-05 24:00:00.000',
      '2026-01-05 23:60:00.000',
      '2026-01-05 23:59:60.000',
      '2100-02-29 00:00:00.000',
      '0099-12-31 23:59:59.999',
      '0001-01-01 00:00:00.000',
      'not a date at all, 23 c',
    ]) {
      expect([text, parseSqliteInstant(text)]).toEqual([text, viaDateParse(text)]);
    }
  });
});

describe('formatSqliteInstant', () => {
  const viaIso = (date: Date) => date.toISOString().replace('T', ' ').replace('Z', '');

  it('writes any instant as toISOString does, in SQLite datetime form, and reads back to the same ms', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59.999Z'), noInvalidDate: true }), (date) => {
        expect(formatSqliteInstant(date)).toBe(viaIso(date));
        expect(parseSqliteInstant(formatSqliteInstant(date))).toBe(date.getTime());
      }),
      { numRuns: 2000 },
    );
    expect(formatSqliteInstant(new Date(Date.UTC(2026, 0, 5, 9, 3, 7, 9)))).toBe('2026-01-05 09:03:07.009');
    expect(formatSqliteInstant(new Date('+012026-01-05T00:00:00Z'))).toBe(viaIso(new Date('+012026-01-05T00:00:00Z')));
  });

  it('refuses an invalid date as toISOString does', () => {
    expect(() => formatSqliteInstant(new Date(Number.NaN))).toThrow(RangeError);
  });
});

describe('SqlDialect placeholders', () => {
  const sqlite = SqlDialect.of({ options: { type: 'better-sqlite3' } } as unknown as DataSource);
  const postgres = SqlDialect.of({ options: { type: 'postgres' } } as unknown as DataSource);

  it('lists count placeholders from the n-th on, numbered on PostgreSQL', () => {
    expect(sqlite.params(7, 3)).toBe('?, ?, ?');
    expect(sqlite.params(1, 1)).toBe('?');
    expect(sqlite.params(1, 0)).toBe('');
    expect(postgres.params(7, 3)).toBe('$7, $8, $9');
    expect(postgres.params(1, 0)).toBe('');
    for (const count of [1, 2, 10, 5000]) expect(sqlite.params(1, count).split(', ')).toEqual(Array(count).fill('?'));
  });

  it('formats instants per dialect', () => {
    const at = new Date('2026-03-29T01:00:00.5Z');
    expect(sqlite.instant(at)).toBe('2026-03-29 01:00:00.500');
    expect(sqlite.instant(at.getTime())).toBe('2026-03-29 01:00:00.500');
    expect(postgres.instant(at.getTime())).toEqual(at);
  });
});

describe('SqlDialect.oneOf', () => {
  const sqlite = SqlDialect.of({ options: { type: 'better-sqlite3' } } as unknown as DataSource);
  const postgres = SqlDialect.of({ options: { type: 'postgres' } } as unknown as DataSource);

  it('is one array parameter on PostgreSQL, the same text whatever the count', () => {
    expect(postgres.oneOf('id', 3, ['a', 'b', 'c'])).toEqual({ sql: 'id = ANY($3)', parameters: [['a', 'b', 'c']] });
    expect(postgres.oneOf('id', 3, ['a']).sql).toBe(postgres.oneOf('id', 3, ['a', 'b']).sql);
  });

  it('is an IN list on SQLite, a placeholder per value', () => {
    expect(sqlite.oneOf('subject', 1, ['a', 'b'])).toEqual({ sql: 'subject IN (?, ?)', parameters: ['a', 'b'] });
  });
});

describe('SqlDialect.rowsSource', () => {
  const sqlite = SqlDialect.of({ options: { type: 'better-sqlite3' } } as unknown as DataSource);
  const postgres = SqlDialect.of({ options: { type: 'postgres' } } as unknown as DataSource);
  const at = new Date('2026-11-02T09:00:00Z');
  const rows = [
    ['a', 1, at],
    ['b', null, null],
  ];

  it('is one typed array per column on PostgreSQL, the same text whatever the count (so it can be prepared)', () => {
    expect(postgres.rowsSource(['text', 'int', 'timestamptz'], rows)).toEqual({
      sql: 'SELECT * FROM unnest($1::text[], $2::int[], $3::timestamptz[])',
      parameters: [
        ['a', 'b'],
        [1, null],
        [at, null],
      ],
    });
    expect(postgres.rowsSource(['text', 'int', 'timestamptz'], rows.slice(0, 1)).sql).toBe(postgres.rowsSource(['text', 'int', 'timestamptz'], rows).sql);
  });

  it('is a VALUES list on SQLite, the cells in row order', () => {
    expect(sqlite.rowsSource(['text', 'int', 'timestamptz'], rows)).toEqual({ sql: 'VALUES (?, ?, ?), (?, ?, ?)', parameters: ['a', 1, at, 'b', null, null] });
  });
});
