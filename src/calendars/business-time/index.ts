/**
 * Business-time arithmetic on business calendars. Plain TypeScript with no framework import:
 * used by the calendars API, the tracking engine, replays and benchmarks alike.
 */
export * from './business-calendar.js';
export * from './business-duration.js';
export * from './calendar-definition.js';
export { isKnownHolidayPreset, publicHolidayDates } from './holiday-presets.js';
