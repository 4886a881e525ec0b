import type { BusinessDuration } from './business-duration.js';
import {
  CalendarDefinitionError,
  formatTimeOfDay,
  isIsoDate,
  normalizeCalendarDefinition,
  type MinuteRange,
  type NormalizedCalendar,
  type TimeRange,
} from './calendar-definition.js';
import { LocalTimeResolver } from './local-time.js';
import { presetDays, type PresetDay } from './official-calendars.js';
import type { ProductionDayKind } from './production-days.js';

const DAY_MS = 86_400_000;
/** The years a timeline may reach: far enough for any SLA, near enough to fail fast on nonsense. */
export const FIRST_SUPPORTED_YEAR = 1900;
export const LAST_SUPPORTED_YEAR = 2999;

export class BusinessTimeRangeError extends RangeError {
  constructor(message: string) {
    super(message);
    this.name = 'BusinessTimeRangeError';
  }
}

/** The working intervals of one local year, as instants (epoch ms). */
interface YearTimeline {
  opens: number[];
  closes: number[];
  /** Index (within this year) of the first interval of each business day. */
  dayStarts: number[];
}

/** The working hours of one local date and which part of the calendar set them. */
export interface CalendarDay {
  /** YYYY-MM-DD, local to the calendar. */
  date: string;
  /** Working intervals of the date (after breaks); empty when closed. */
  hours: TimeRange[];
  /**
   * What decided the date, by precedence: `dates` (dated hours), `holidays` (closed by the
   * calendar's own holiday list), `preset` (the holiday preset: a public holiday, or an official
   * production-calendar day), `week` (the weekday's hours).
   */
  source: 'dates' | 'holidays' | 'preset' | 'week';
  /** For `preset`: what the preset makes of the date (a public holiday is `closed`). */
  kind?: ProductionDayKind;
  /** For `preset`: the holiday's name when the data names one. */
  holiday?: string;
  /** For `preset`: YYYY-MM-DD the day off was moved from. */
  movedFrom?: string;
}

interface ResolvedDay {
  ranges: readonly MinuteRange[];
  source: CalendarDay['source'];
  preset?: PresetDay;
}

/** Largest index whose value is ≤ x, or -1. */
function lastAtOrBefore(values: Float64Array, x: number): number {
  let low = 0;
  let high = values.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (values[mid] <= x) low = mid + 1;
    else high = mid;
  }
  return low - 1;
}

/** Smallest index whose value is ≥ x (or > x when `strictly`), or the length. */
function firstAtOrAfter(values: Float64Array, x: number, strictly: boolean): number {
  let low = 0;
  let high = values.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (values[mid] < x || (strictly && values[mid] === x)) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** Working ranges of a day minus the ranges a break closes. */
function subtractRanges(open: readonly MinuteRange[], closed: readonly MinuteRange[]): MinuteRange[] {
  let result: MinuteRange[] = [...open];
  for (const [closedStart, closedEnd] of closed) {
    const next: MinuteRange[] = [];
    for (const [start, end] of result) {
      if (closedEnd <= start || closedStart >= end) {
        next.push([start, end]);
        continue;
      }
      if (start < closedStart) next.push([start, closedStart]);
      if (closedEnd < end) next.push([closedEnd, end]);
    }
    result = next;
  }
  return result;
}

/**
 * A business calendar compiled for arithmetic: every working interval of a span of years laid
 * out as instants with cumulative working time, so that "due after N working seconds" and
 * "working seconds between" are two binary searches. Years are laid out on demand.
 *
 * Working time is counted in milliseconds between instants, so daylight-saving changes are
 * exact: a 09:00–18:00 day is nine hours whatever the offset, and a 00:00–24:00 day on a
 * fall-back date is twenty-five.
 */
export class BusinessCalendar {
  readonly timezone: string;
  private readonly resolver: LocalTimeResolver;
  private readonly years = new Map<number, YearTimeline>();
  private readonly presetYears = new Map<number, Map<string, PresetDay>>();
  private firstYear = 0;
  private lastYear = -1;
  /** Instants inside [fastLow, fastHigh) are covered with at least a day of margin. */
  private fastLow = Infinity;
  private fastHigh = -Infinity;

  private opens = new Float64Array(0);
  private closes = new Float64Array(0);
  private cumulativeStart = new Float64Array(0);
  private cumulativeEnd = new Float64Array(0);
  private intervalDay = new Int32Array(0);
  private dayCumulativeStart = new Float64Array(0);
  private dayCumulativeEnd = new Float64Array(0);
  private totalWorking = 0;

  private constructor(private readonly calendar: NormalizedCalendar) {
    this.timezone = calendar.timezone;
    this.resolver = new LocalTimeResolver(calendar.timezone);
  }

  /** Compiles a definition; throws CalendarDefinitionError listing every problem. */
  static compile(definition: unknown): BusinessCalendar {
    const { problems, calendar } = normalizeCalendarDefinition(definition);
    if (!calendar) throw new CalendarDefinitionError(problems);
    return new BusinessCalendar(calendar);
  }

  /** Whether the calendar is open at an instant (intervals include their start, not their end). */
  isOpen(at: Date): boolean {
    const t = at.getTime();
    this.cover(t);
    const i = lastAtOrBefore(this.opens, t);
    return i >= 0 && t < this.closes[i];
  }

  /**
   * The due instant of a duration started at `from`: whole business days first (same working-time
   * position N business days later, or that day's closing if it is shorter), then working seconds.
   * A start outside working hours counts from the next opening.
   */
  dueAt(from: Date, duration: BusinessDuration): Date {
    return new Date(this.dueAtMs(from.getTime(), duration));
  }

  /** dueAt on epoch milliseconds, for hot loops. */
  dueAtMs(fromMs: number, duration: BusinessDuration): number {
    if (!(duration.days >= 0 && duration.seconds >= 0) || duration.days + duration.seconds === 0) {
      throw new RangeError('a business duration must be longer than zero');
    }
    let due = fromMs;
    if (duration.days > 0) due = this.addBusinessDays(due, duration.days);
    if (duration.seconds > 0) due = this.addBusinessSeconds(due, duration.seconds);
    return due;
  }

  /**
   * The hot path: epoch ms + working seconds → epoch ms. A due that lands on a closing time stays
   * there (17:00 + 1 h on a 09:00–18:00 day is 18:00, not 09:00 the next day); zero seconds gives
   * `from` itself when open, else the next opening.
   */
  addBusinessSeconds(fromMs: number, seconds: number): number {
    if (!(fromMs >= this.fastLow && fromMs < this.fastHigh)) this.cover(fromMs);
    const target = this.positionAt(fromMs) + seconds * 1000;
    if (target > this.totalWorking) this.extendForwardToPosition(target);
    return this.instantAtPosition(target, seconds === 0);
  }

  /** Working seconds from `from` to `to` (negative when `to` is earlier), whole seconds. */
  businessSecondsBetween(from: Date, to: Date): number {
    return this.businessSecondsBetweenMs(from.getTime(), to.getTime());
  }

  /** businessSecondsBetween on epoch milliseconds, for hot loops. */
  businessSecondsBetweenMs(fromMs: number, toMs: number): number {
    if (!(fromMs >= this.fastLow && fromMs < this.fastHigh)) this.cover(fromMs);
    if (!(toMs >= this.fastLow && toMs < this.fastHigh)) this.cover(toMs);
    return Math.trunc((this.positionAt(toMs) - this.positionAt(fromMs)) / 1000);
  }

  /** The next instant the calendar is open, `at` itself when open. */
  nextOpening(at: Date): Date {
    return new Date(this.addBusinessSeconds(at.getTime(), 0));
  }

  /**
   * The working hours of a local date (YYYY-MM-DD) and what set them, e.g. to show why a date is
   * closed or to find the next date open at a given time. Throws RangeError on a malformed date.
   */
  dayOn(isoDate: string): CalendarDay {
    if (!isIsoDate(isoDate)) throw new RangeError(`${JSON.stringify(isoDate)} is not a date (YYYY-MM-DD)`);
    const [year, month, day] = isoDate.split('-').map(Number);
    const weekday = (new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 6) % 7;
    const resolved = this.resolveDay(isoDate, weekday, this.presetYear(year));
    const result: CalendarDay = {
      date: isoDate,
      hours: resolved.ranges.map(([start, end]) => [formatTimeOfDay(start), formatTimeOfDay(end)] as const),
      source: resolved.source,
    };
    if (resolved.preset) {
      result.kind = resolved.preset.kind;
      if (resolved.preset.holiday) result.holiday = resolved.preset.holiday;
      if (resolved.preset.movedFrom) result.movedFrom = resolved.preset.movedFrom;
    }
    return result;
  }

  private addBusinessDays(fromMs: number, days: number): number {
    this.cover(fromMs);
    let i = lastAtOrBefore(this.opens, fromMs);
    let offset = 0;
    if (i >= 0 && fromMs < this.closes[i]) {
      offset = fromMs - this.opens[i];
    } else {
      i += 1;
      if (i >= this.opens.length) this.extendForwardYears(1);
    }
    const day = this.intervalDay[i];
    const position = this.cumulativeStart[i] + offset - this.dayCumulativeStart[day];
    const targetDay = day + days;
    while (targetDay >= this.dayCumulativeStart.length) {
      this.extendForwardYears(Math.max(1, Math.ceil((targetDay - this.dayCumulativeStart.length) / 200)));
    }
    const dayStart = this.dayCumulativeStart[targetDay];
    const dayLength = this.dayCumulativeEnd[targetDay] - dayStart;
    return position < dayLength
      ? this.instantAtPosition(dayStart + position, true)
      : this.instantAtPosition(dayStart + dayLength, false);
  }

  /** Cumulative working time at an instant; in a gap, the position of the next opening. */
  private positionAt(t: number): number {
    const i = lastAtOrBefore(this.opens, t);
    if (i < 0) return 0;
    return t < this.closes[i] ? this.cumulativeStart[i] + (t - this.opens[i]) : this.cumulativeEnd[i];
  }

  /**
   * The instant at a cumulative position. At a boundary between two intervals the position is
   * both the closing of one and the opening of the next: `atOpening` picks the latter.
   */
  private instantAtPosition(position: number, atOpening: boolean): number {
    const j = firstAtOrAfter(this.cumulativeEnd, position, atOpening);
    return this.opens[j] + (position - this.cumulativeStart[j]);
  }

  /** Makes sure the timeline reaches at least a year either side of an instant. */
  private cover(t: number): void {
    if (t >= this.fastLow && t < this.fastHigh) return;
    if (!Number.isFinite(t)) throw new BusinessTimeRangeError('not a valid instant');
    const year = new Date(t).getUTCFullYear();
    if (year - 1 < FIRST_SUPPORTED_YEAR || year + 1 > LAST_SUPPORTED_YEAR) {
      throw new BusinessTimeRangeError(
        `instants must lie between ${FIRST_SUPPORTED_YEAR + 1} and ${LAST_SUPPORTED_YEAR - 1}`,
      );
    }
    this.layOut(
      this.lastYear < this.firstYear ? year - 1 : Math.min(this.firstYear, year - 1),
      Math.max(this.lastYear, year + 1),
    );
  }

  private extendForwardToPosition(target: number): void {
    while (target > this.totalWorking) {
      const yearsLaidOut = this.lastYear - this.firstYear + 1;
      const perYear = Math.max(1, this.totalWorking / yearsLaidOut);
      this.extendForwardYears(Math.max(1, Math.ceil((target - this.totalWorking) / perYear)));
    }
  }

  private extendForwardYears(count: number): void {
    if (this.lastYear + count > LAST_SUPPORTED_YEAR) {
      throw new BusinessTimeRangeError(`the result would lie after ${LAST_SUPPORTED_YEAR}`);
    }
    this.layOut(this.firstYear, this.lastYear + count);
  }

  /** Lays out years [firstYear, lastYear] as one timeline with cumulative working time. */
  private layOut(firstYear: number, lastYear: number): void {
    let intervals = 0;
    let businessDays = 0;
    for (let year = firstYear; year <= lastYear; year++) {
      const timeline = this.yearTimeline(year);
      intervals += timeline.opens.length;
      businessDays += timeline.dayStarts.length;
    }
    const opens = new Float64Array(intervals);
    const closes = new Float64Array(intervals);
    const cumulativeStart = new Float64Array(intervals);
    const cumulativeEnd = new Float64Array(intervals);
    const intervalDay = new Int32Array(intervals);
    const dayCumulativeStart = new Float64Array(businessDays);
    const dayCumulativeEnd = new Float64Array(businessDays);

    let index = 0;
    let day = -1;
    let total = 0;
    for (let year = firstYear; year <= lastYear; year++) {
      const timeline = this.yearTimeline(year);
      let nextDayStart = 0;
      for (let k = 0; k < timeline.opens.length; k++) {
        if (nextDayStart < timeline.dayStarts.length && timeline.dayStarts[nextDayStart] === k) {
          if (day >= 0) dayCumulativeEnd[day] = total;
          day += 1;
          dayCumulativeStart[day] = total;
          nextDayStart += 1;
        }
        opens[index] = timeline.opens[k];
        closes[index] = timeline.closes[k];
        cumulativeStart[index] = total;
        total += timeline.closes[k] - timeline.opens[k];
        cumulativeEnd[index] = total;
        intervalDay[index] = day;
        index += 1;
      }
    }
    if (day >= 0) dayCumulativeEnd[day] = total;

    this.opens = opens;
    this.closes = closes;
    this.cumulativeStart = cumulativeStart;
    this.cumulativeEnd = cumulativeEnd;
    this.intervalDay = intervalDay;
    this.dayCumulativeStart = dayCumulativeStart;
    this.dayCumulativeEnd = dayCumulativeEnd;
    this.totalWorking = total;
    this.firstYear = firstYear;
    this.lastYear = lastYear;
    // A day of margin either side absorbs any UTC offset; the inner years are fully laid out.
    this.fastLow = Date.UTC(firstYear, 0, 1) + DAY_MS;
    this.fastHigh = Date.UTC(lastYear + 1, 0, 1) - DAY_MS;
  }

  /** What the holiday preset does to the dates of one year (empty without a preset); once a year. */
  private presetYear(year: number): Map<string, PresetDay> | undefined {
    const { holidayPreset, weekly } = this.calendar;
    if (!holidayPreset) return undefined;
    let days = this.presetYears.get(year);
    if (!days) {
      days = presetDays(holidayPreset, year, weekly);
      this.presetYears.set(year, days);
    }
    return days;
  }

  /**
   * The working ranges of one local date, by precedence: dated hours, then the calendar's
   * holidays, then the preset (a closed or official day), then the weekday; breaks close parts
   * of preset and weekday hours, never of dated hours. Three map look-ups a date.
   */
  private resolveDay(isoDate: string, weekday: number, preset: Map<string, PresetDay> | undefined): ResolvedDay {
    const { weekly, holidays, breaks, dates } = this.calendar;
    const dated = dates.get(isoDate);
    if (dated) return { ranges: dated, source: 'dates' };
    if (holidays.has(isoDate)) return { ranges: [], source: 'holidays' };
    const presetDay = preset?.get(isoDate);
    const open = presetDay ? presetDay.hours : weekly[weekday];
    const closed = breaks.get(isoDate);
    const ranges = closed && open.length > 0 ? subtractRanges(open, closed) : open;
    return presetDay ? { ranges, source: 'preset', preset: presetDay } : { ranges, source: 'week' };
  }

  private yearTimeline(year: number): YearTimeline {
    const cached = this.years.get(year);
    if (cached) return cached;
    const preset = this.presetYear(year);
    const timeline: YearTimeline = { opens: [], closes: [], dayStarts: [] };
    for (let dayMs = Date.UTC(year, 0, 1); dayMs < Date.UTC(year + 1, 0, 1); dayMs += DAY_MS) {
      const date = new Date(dayMs);
      const isoDate = date.toISOString().slice(0, 10);
      const weekday = (date.getUTCDay() + 6) % 7;
      const { ranges } = this.resolveDay(isoDate, weekday, preset);
      if (ranges.length === 0) continue;
      const month = date.getUTCMonth() + 1;
      const dayOfMonth = date.getUTCDate();
      const steadyOffset = this.resolver.steadyOffsetOn(year, month, dayOfMonth);
      const instantOf = (minute: number) =>
        steadyOffset === undefined
          ? this.resolver.instantOf(year, month, dayOfMonth, minute)
          : dayMs + (minute - steadyOffset) * 60_000;
      let dayStarted = false;
      for (const [startMinute, endMinute] of ranges) {
        const open = instantOf(startMinute);
        const close = instantOf(endMinute);
        if (close <= open) continue; // swallowed by a spring-forward gap
        if (!dayStarted) {
          timeline.dayStarts.push(timeline.opens.length);
          dayStarted = true;
        }
        timeline.opens.push(open);
        timeline.closes.push(close);
      }
    }
    this.years.set(year, timeline);
    return timeline;
  }
}
