import {
  datesFromProductionCalendar,
  importDatedHours,
  mergeImportedDates,
  mergedSummary,
  parseDatedHoursCsv,
} from './dated-hours-import.js';
import type { CalendarDefinition, TimeRange } from './calendar-definition.js';
import { formatImportProblem, parseXmlCalendar } from './xml-calendar.js';

const OFFICE: TimeRange[] = [['09:00', '18:00']];
const HOURS: CalendarDefinition['hours'] = {
  mon: [['09:00', '13:00'], ['14:00', '18:00']],
  tue: [['10:00', '19:00']],
  wed: OFFICE,
  thu: OFFICE,
  fri: OFFICE,
};

/** A made-up 2027 decree: New Year off, a moved day off, a short Friday, a working and a short Saturday. */
const XML_2027 = `<?xml version="1.0" encoding="UTF-8"?>
<calendar year="2027" lang="ru" date="2026.09.30" country="ru">
  <holidays><holiday id="1" title="Новогодние каникулы"/></holidays>
  <days>
    <day d="01.01" t="1" h="1"/>
    <day d="01.04" t="1" f="01.02"/>
    <day d="02.19" t="2"/>
    <day d="02.20" t="3"/>
    <day d="11.06" t="2"/>
  </days>
</calendar>`;

describe('datesFromProductionCalendar', () => {
  const calendar = parseXmlCalendar(XML_2027).calendar!;

  it('turns a year into dated hours against the calendar\'s week, with a summary', () => {
    expect(datesFromProductionCalendar(calendar, HOURS)).toEqual({
      dates: {
        '2027-01-01': [],
        '2027-01-04': [],
        '2027-02-19': [['09:00', '17:00']],
        '2027-02-20': [['09:00', '13:00'], ['14:00', '18:00']],
        '2027-11-06': [['09:00', '13:00'], ['14:00', '17:00']],
      },
      kinds: { '2027-01-01': 'closed', '2027-01-04': 'closed', '2027-02-19': 'shortened', '2027-02-20': 'working', '2027-11-06': 'shortened' },
      summary: { year: 2027, closed: 2, shortened: 2, working: 1 },
    });
  });

  it('gives working weekend days another weekday\'s hours when told', () => {
    const { dates } = datesFromProductionCalendar(calendar, HOURS, 'tue');
    expect(dates['2027-02-20']).toEqual([['10:00', '19:00']]);
    expect(dates['2027-11-06']).toEqual([['10:00', '18:00']]);
    expect(dates['2027-02-19']).toEqual([['09:00', '17:00']]);
  });
});

describe('parseDatedHoursCsv', () => {
  it('reads rows with a header, several intervals, closed dates, quotes and CRLF', () => {
    const text = 'date,hours\r\n2027-05-15,09:00-18:00\r\n\r\n2027-05-17,"13:00-17:00 08:00-12:00"\r\n2027-05-18,\r\n2027-05-19\r\n2027-05-20,00:00-24:00\r\n';
    expect(parseDatedHoursCsv(text)).toEqual({
      problems: [],
      rows: [
        { date: '2027-05-15', hours: [['09:00', '18:00']] },
        { date: '2027-05-17', hours: [['08:00', '12:00'], ['13:00', '17:00']] },
        { date: '2027-05-18', hours: [] },
        { date: '2027-05-19', hours: [] },
        { date: '2027-05-20', hours: [['00:00', '24:00']] },
      ],
    });
  });

  it('refuses bad rows, naming each line and date', () => {
    const text = [
      '2027-05-15,09:00-18:00',
      '2027-02-30,09:00-18:00',
      '2027-05-16,9-18',
      '2027-05-17,09:00-13:00 12:00-18:00',
      '2027-05-15,',
      '2027-05-18,09:00-18:00,extra',
      '2027-05-19,18:00-09:00',
      'date,hours',
    ].join('\n');
    expect(parseDatedHoursCsv(text).problems.map(formatImportProblem)).toEqual([
      'line 2: "2027-02-30" is not a date (YYYY-MM-DD)',
      'line 3 (2027-05-16): "9-18" is not an interval HH:MM-HH:MM',
      'line 4 (2027-05-17): hours[1]: overlaps hours[0]',
      'line 5 (2027-05-15): the date is given twice (first on line 1)',
      'line 6: expected two columns date,hours, found 3',
      'line 7 (2027-05-19): hours[0]: ends (09:00) before or when it starts (18:00)',
      'line 8: "date" is not a date (YYYY-MM-DD)',
    ]);
  });

  it('refuses a file without rows', () => {
    expect(parseDatedHoursCsv('date,hours\n\n').problems).toEqual([{ line: 1, message: 'the file has no rows date,hours' }]);
  });
});

describe('importDatedHours', () => {
  it('imports either format with one call', () => {
    expect(importDatedHours(XML_2027, 'xml', HOURS).imported?.summary).toEqual({ year: 2027, closed: 2, shortened: 2, working: 1 });
    expect(importDatedHours('2027-05-15,09:00-18:00\n2027-05-16,', 'csv', HOURS).imported).toEqual({
      dates: { '2027-05-15': [['09:00', '18:00']], '2027-05-16': [] },
      kinds: { '2027-05-15': 'working', '2027-05-16': 'closed' },
      summary: { year: 2027, closed: 1, shortened: 0, working: 1 },
    });
    expect(importDatedHours('2027-12-31,\n2028-01-03,09:00-12:00', 'csv', HOURS).imported?.summary.year).toBeNull();
  });

  it('answers only problems for a malformed file', () => {
    const refused = importDatedHours('<calendar year="2027"><days><day d="02.30" t="1"/></days></calendar>', 'xml', HOURS);
    expect(refused.imported).toBeUndefined();
    expect(refused.problems.map(formatImportProblem)).toEqual(['line 1: d="02.30" is not a date of 2027 (MM.DD)']);
  });
});

describe('mergeImportedDates', () => {
  it('adds and replaces dated hours, and leaves the calendar\'s own holidays alone', () => {
    const merged = mergeImportedDates(
      { holidays: ['2027-01-01'], dates: { '2027-02-19': [['10:00', '12:00']], '2026-12-31': [] } },
      { '2027-01-01': [], '2027-01-04': [], '2027-02-19': [['09:00', '17:00']] },
    );
    expect(merged).toEqual({
      dates: { '2026-12-31': [], '2027-01-04': [], '2027-02-19': [['09:00', '17:00']] },
      keptAsHolidays: ['2027-01-01'],
    });
  });

  it('counts in the summary only what went into dates, not the dates kept as holidays', () => {
    const imported = importDatedHours(XML_2027, 'xml', HOURS).imported!;
    const { keptAsHolidays } = mergeImportedDates({ holidays: ['2027-01-01', '2027-02-19'] }, imported.dates);
    expect(keptAsHolidays).toEqual(['2027-01-01', '2027-02-19']);
    expect(mergedSummary(imported, keptAsHolidays)).toEqual({ year: 2027, closed: 1, shortened: 1, working: 1 });
    expect(mergedSummary(imported, [])).toEqual(imported.summary);
    const rows = importDatedHours('2027-12-31,10:00-14:00\n2027-05-15,\n', 'csv', HOURS).imported!;
    expect(mergedSummary(rows, ['2027-12-31'])).toEqual({ year: 2027, closed: 1, shortened: 0, working: 0 });
  });
});
