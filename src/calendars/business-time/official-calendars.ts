import type { MinuteRange, Weekday } from './calendar-definition.js';
import { presetCountry, publicHolidays } from './holiday-presets.js';
import { PRODUCTION_CALENDAR_FILES } from './production-calendars/embedded.js';
import {
  DEFAULT_WORKDAY_AS,
  hoursOfProductionDay,
  type ProductionCalendarYear,
  type ProductionDay,
} from './production-days.js';
import { formatImportProblem, parseXmlCalendar } from './xml-calendar.js';

/**
 * The official production calendars shipped with the service (production-calendars/, one reviewed
 * xmlcalendar file a country and year, each naming its decree). For a preset of such a country,
 * a year with a file is official: its days off, moved days, working weekend days and short days
 * replace date-holidays' fixed holidays. Other years keep date-holidays' public holidays.
 */

const yearsByCountry = new Map<string, number[]>();
for (const path of Object.keys(PRODUCTION_CALENDAR_FILES)) {
  const [country, file] = path.split('/');
  const years = yearsByCountry.get(country.toUpperCase()) ?? [];
  years.push(Number(file.slice(0, 4)));
  yearsByCountry.set(country.toUpperCase(), years.sort((a, b) => a - b));
}

const parsed = new Map<string, ProductionCalendarYear>();

/** The years with an official production calendar for a preset ("RU", or a region "RU-…"), ascending. */
export function officialYears(preset: string): number[] {
  return [...(yearsByCountry.get(presetCountry(preset)) ?? [])];
}

/** The shipped production calendar of a preset's country for one year, or undefined. */
export function officialProductionCalendar(preset: string, year: number): ProductionCalendarYear | undefined {
  const country = presetCountry(preset);
  const path = `${country.toLowerCase()}/${year}.xml`;
  const cached = parsed.get(path);
  if (cached) return cached;
  const text = PRODUCTION_CALENDAR_FILES[path];
  if (text === undefined) return undefined;
  const { problems, calendar } = parseXmlCalendar(text);
  if (!calendar || calendar.year !== year) {
    throw new Error(`the shipped production calendar ${path} is broken: ${problems.map(formatImportProblem).join('; ') || 'wrong year'}`);
  }
  parsed.set(path, calendar);
  return calendar;
}

/** One date of a preset's calendar: what happens on it and why. */
export interface PresetDay {
  /** The date's working ranges; empty when the preset closes it. */
  hours: MinuteRange[];
  kind: ProductionDay['kind'];
  /** The holiday's name, when the date is (or stands in for) a holiday the data names. */
  holiday?: string;
  /** YYYY-MM-DD the day off was moved from, in official years. */
  movedFrom?: string;
}

/**
 * What a preset does to the dates of one year, resolved against a calendar's week (index 0 =
 * Monday): in an official year, every day of the production calendar (closed, short, or working
 * with hoursOfDecreedWorkday's hours), plus, for a region preset, the region's own public holidays; otherwise
 * date-holidays' public holidays, closed. Dates not in the map keep their weekday's hours.
 */
export function presetDays(
  preset: string,
  year: number,
  weekly: readonly (readonly MinuteRange[])[],
  workdayAs: Weekday = DEFAULT_WORKDAY_AS,
): Map<string, PresetDay> {
  const days = new Map<string, PresetDay>();
  const official = officialProductionCalendar(preset, year);
  if (!official) {
    for (const { date, name } of publicHolidays(preset, year)) {
      if (!days.has(date)) days.set(date, { hours: [], kind: 'closed', holiday: name });
    }
    return days;
  }
  for (const day of official.days) {
    const entry: PresetDay = { hours: hoursOfProductionDay(day, weekly, workdayAs), kind: day.kind };
    if (day.holiday) entry.holiday = day.holiday;
    if (day.movedFrom) entry.movedFrom = day.movedFrom;
    days.set(day.date, entry);
  }
  const country = presetCountry(preset);
  if (country !== preset) {
    // A region's own holidays (e.g. a republic's) are not in the national decree: close them too.
    const national = new Set(publicHolidays(country, year).map((holiday) => holiday.date));
    for (const { date, name } of publicHolidays(preset, year)) {
      if (!national.has(date) && !days.has(date)) days.set(date, { hours: [], kind: 'closed', holiday: name });
    }
  }
  return days;
}
