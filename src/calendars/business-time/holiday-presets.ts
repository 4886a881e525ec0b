import Holidays from 'date-holidays';

/**
 * Public-holiday presets from date-holidays: a country ("FR") or a country and one of its
 * states or regions ("US-NY", "AU-NSW", "DE-BY"). Only holidays of type "public" close a
 * calendar; observances and bank or school holidays do not.
 */
const catalogue = new Holidays();

function splitPreset(code: string): [string, string | undefined] {
  const [country, state, ...rest] = code.split('-');
  return rest.length > 0 ? ['', undefined] : [country, state];
}

export function isKnownHolidayPreset(code: string): boolean {
  const [country, state] = splitPreset(code);
  if (!/^[A-Z]{2}$/.test(country)) return false;
  const countries = catalogue.getCountries() as Record<string, string> | undefined;
  if (!countries || !(country in countries)) return false;
  if (state === undefined) return true;
  const states = catalogue.getStates(country) as Record<string, string> | undefined;
  return states !== undefined && state in states;
}

const presetCache = new Map<string, Holidays>();

/** The country part of a preset: "RU" for "RU" and for "RU-TA". */
export function presetCountry(code: string): string {
  return splitPreset(code)[0];
}

/** The public holidays (date YYYY-MM-DD local to the preset's country, and name) of one year. */
export function publicHolidays(code: string, year: number): { date: string; name: string }[] {
  let holidays = presetCache.get(code);
  if (!holidays) {
    const [country, state] = splitPreset(code);
    holidays = state ? new Holidays(country, state) : new Holidays(country);
    presetCache.set(code, holidays);
  }
  const list = holidays.getHolidays(year) || [];
  return list
    .filter((holiday) => holiday.type === 'public')
    .map((holiday) => ({ date: holiday.date.slice(0, 10), name: holiday.name }));
}

/** Dates (YYYY-MM-DD, local to the preset's country) of the public holidays of one year. */
export function publicHolidayDates(code: string, year: number): string[] {
  return publicHolidays(code, year).map((holiday) => holiday.date);
}
