import { parseSqliteInstant } from './sql-dialect.js';

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
      'not a date at all, 23 c',
    ]) {
      expect([text, parseSqliteInstant(text)]).toEqual([text, viaDateParse(text)]);
    }
  });
});
