/**
 * A span of business time as an SLA states it: whole business days, then working seconds.
 * `P2D` is two business days (the same working-time position two business days later);
 * `PT19H` is nineteen working hours; `P1DT2H` is one business day and then two working hours.
 */
export interface BusinessDuration {
  days: number;
  seconds: number;
}

export class DurationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DurationError';
  }
}

/** Ten years of days, or of hours: longer spans are mistakes, and would pin the arithmetic for seconds. */
export const MAX_BUSINESS_DAYS = 3660;
export const MAX_BUSINESS_SECONDS = 3660 * 24 * 3600;

const ISO_DURATION = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/;

/** Parses an ISO 8601 duration made of days, hours, minutes and seconds. Throws DurationError. */
export function parseBusinessDuration(text: string): BusinessDuration {
  if (typeof text !== 'string' || text.length === 0) {
    throw new DurationError('must be an ISO 8601 duration such as "PT4H" or "P2D"');
  }
  if (text.startsWith('-') || text.includes('-')) {
    throw new DurationError(`"${text}" is negative; a business duration must be longer than zero`);
  }
  if (/[.,]/.test(text)) {
    throw new DurationError(`"${text}" has a fraction; write it in a smaller unit (e.g. "PT90M", not "PT1.5H")`);
  }
  const match = ISO_DURATION.exec(text);
  if (!match || text === 'P' || text.endsWith('T')) {
    if (text.startsWith('P') && /[YMW]/.test(text.split('T')[0])) {
      throw new DurationError(
        `"${text}" uses years, months or weeks, which have no fixed business length; use days (e.g. "P5D")`,
      );
    }
    throw new DurationError(`"${text}" is not an ISO 8601 duration such as "PT4H", "P2D" or "P1DT4H30M"`);
  }
  const [, days, hours, minutes, seconds] = match;
  const duration: BusinessDuration = {
    days: Number(days ?? 0),
    seconds: Number(hours ?? 0) * 3600 + Number(minutes ?? 0) * 60 + Number(seconds ?? 0),
  };
  if (duration.days === 0 && duration.seconds === 0) {
    throw new DurationError(`"${text}" is zero; a business duration must be longer than zero`);
  }
  if (duration.days > MAX_BUSINESS_DAYS || duration.seconds > MAX_BUSINESS_SECONDS) {
    throw new DurationError(`"${text}" is longer than ${MAX_BUSINESS_DAYS} business days`);
  }
  return duration;
}

/** Whether a text is a valid business duration, for validators. */
export function isBusinessDuration(text: unknown): boolean {
  if (typeof text !== 'string') return false;
  try {
    parseBusinessDuration(text);
    return true;
  } catch {
    return false;
  }
}

function count(value: number, unit: string): string {
  return `${value} ${unit}${value === 1 ? '' : 's'}`;
}

/**
 * A business duration in words, as a head reads a promise: "PT1H" → "1 working hour",
 * "PT4H30M" → "4 h 30 min of working time", "P2D" → "2 business days",
 * "P1DT2H" → "1 business day and 2 working hours". Throws DurationError like the parser.
 */
export function describeBusinessDuration(text: string): string {
  const { days, seconds } = parseBusinessDuration(text);
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const rest = seconds % 60;
  const units = [hours && 'h', minutes && 'min', rest && 's'].filter(Boolean);
  let time = '';
  if (units.length === 1) {
    time = hours ? count(hours, 'working hour') : minutes ? count(minutes, 'working minute') : count(rest, 'working second');
  } else if (units.length > 1) {
    time = `${[hours && `${hours} h`, minutes && `${minutes} min`, rest && `${rest} s`].filter(Boolean).join(' ')} of working time`;
  }
  const dayText = days ? count(days, 'business day') : '';
  return [dayText, time].filter(Boolean).join(' and ');
}
