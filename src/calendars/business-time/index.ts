/**
 * Business-time arithmetic on business calendars. Plain TypeScript with no framework import:
 * used by the calendars API, the tracking engine, replays and benchmarks alike.
 */
export * from './business-calendar.js';
export * from './business-duration.js';
export * from './calendar-definition.js';
export * from './dated-hours-import.js';
export { isKnownHolidayPreset, publicHolidayDates, publicHolidays } from './holiday-presets.js';
export { officialProductionCalendar, officialYears, presetDays, type PresetDay } from './official-calendars.js';
export * from './production-days.js';
export { formatImportProblem, parseXmlCalendar, type ImportProblem } from './xml-calendar.js';
