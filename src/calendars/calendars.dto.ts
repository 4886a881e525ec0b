import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { IsArray, IsIn, IsObject, IsOptional, IsString, Length } from 'class-validator';
import { IsOptionalNotNull } from '../common/validation.js';
import { IsInstant } from '../common/instant.validator.js';
import { PageOf } from '../common/pagination.js';
import { officialYears, WEEKDAYS, type TimeRange, type Weekday } from './business-time/index.js';
import type { Calendar } from './calendar.entity.js';
import { IsBusinessDuration } from './duration.validator.js';
import { IsTimeZone } from './timezone.validator.js';

const HOURS_EXAMPLE = {
  mon: [
    ['09:00', '12:30'],
    ['13:30', '18:00'],
  ],
  tue: [['09:00', '18:00']],
  wed: [['09:00', '18:00']],
  thu: [['09:00', '18:00']],
  fri: [['09:00', '17:00']],
};

const DATES_EXAMPLE = { '2026-12-26': [['10:00', '14:00']], '2026-12-29': [], '2026-12-30': [['09:00', '16:00']] };

const DATES_DESCRIPTION =
  'Dated hours: the working hours of single dates (YYYY-MM-DD → "HH:MM" pairs), replacing that weekday\'s hours, the preset ' +
  'and `breaks` for the date; [] closes it (a working Saturday, a short day, a closed weekday). A date may not also be in `holidays`.';

/**
 * The shape is checked here; the rules inside `hours`, `holidays`, `holidayPreset`, `breaks` and
 * `dates` (times, overlaps, real dates, known presets) by the calendar definition itself, which
 * names each faulty entry, e.g. `hours.mon[1]` or `dates.2026-02-30`.
 */
export class CreateCalendarDto {
  @ApiProperty({ example: 'Paris office' })
  @IsString()
  @Length(1, 120)
  name: string;

  @ApiProperty({ example: 'Europe/Paris', description: 'IANA time zone the hours are written in.' })
  @IsTimeZone()
  timezone: string;

  @ApiProperty({
    example: HOURS_EXAMPLE,
    description:
      'Working intervals per weekday (mon … sun), local "HH:MM" pairs; several per day allowed; ["00:00","24:00"] is the whole day. Days left out are closed.',
  })
  @IsObject()
  hours: Partial<Record<Weekday, TimeRange[]>>;

  @ApiPropertyOptional({ example: ['2026-12-25'], description: 'Closed dates (YYYY-MM-DD).', type: [String] })
  @IsOptionalNotNull()
  @IsArray()
  holidays?: string[];

  @ApiPropertyOptional({
    example: 'FR',
    nullable: true,
    type: String,
    description: 'Public holidays of a country or country-region from date-holidays: "FR", "US-NY", "AU-NSW".',
  })
  @IsOptional()
  @IsString()
  holidayPreset?: string | null;

  @ApiPropertyOptional({
    example: { '2026-12-24': [['14:00', '18:00']] },
    description: 'Closed parts of single dates: date → "HH:MM" pairs.',
  })
  @IsOptionalNotNull()
  @IsObject()
  breaks?: Record<string, TimeRange[]>;

  @ApiPropertyOptional({ example: DATES_EXAMPLE, description: DATES_DESCRIPTION })
  @IsOptionalNotNull()
  @IsObject()
  dates?: Record<string, TimeRange[]>;
}

export class UpdateCalendarDto extends PartialType(CreateCalendarDto, { skipNullProperties: false }) {}

export class CalendarView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty() timezone: string;
  @ApiProperty({ example: HOURS_EXAMPLE }) hours: Partial<Record<Weekday, TimeRange[]>>;
  @ApiProperty({ type: [String] }) holidays: string[];
  @ApiProperty({ nullable: true, type: String }) holidayPreset: string | null;
  @ApiProperty({ example: { '2026-12-24': [['14:00', '18:00']] } }) breaks: Record<string, TimeRange[]>;
  @ApiProperty({ example: DATES_EXAMPLE, description: DATES_DESCRIPTION }) dates: Record<string, TimeRange[]>;
  @ApiProperty({
    type: [Number],
    example: [2024, 2025, 2026],
    description:
      'Years for which the preset is an official production calendar shipped with Concord (days off moved by decree, working weekend days, ' +
      'short days); other years get the fixed public holidays. Empty without a preset or for a country without one.',
  })
  officialYears: number[];
  @ApiProperty({ description: 'Increases on every change.' }) version: number;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;

  static from(this: void, calendar: Calendar): CalendarView {
    return {
      id: calendar.id,
      name: calendar.name,
      timezone: calendar.timezone,
      hours: calendar.hours,
      holidays: calendar.holidays,
      holidayPreset: calendar.holidayPreset,
      breaks: calendar.breaks,
      dates: calendar.dates,
      officialYears: calendar.holidayPreset ? officialYears(calendar.holidayPreset) : [],
      version: calendar.version,
      createdAt: calendar.createdAt.toISOString(),
      updatedAt: calendar.updatedAt.toISOString(),
    };
  }
}

export class CalendarPage extends PageOf(CalendarView) {}

export class DueQuery {
  @ApiProperty({ example: '2026-11-06T17:30:00+01:00', description: 'When the clock starts.' })
  @IsInstant()
  from: string;

  @ApiProperty({
    example: 'PT1H',
    description: 'ISO 8601: hours, minutes, seconds of working time; days (P2D) are whole business days.',
  })
  @IsBusinessDuration()
  duration: string;
}

export class ElapsedQuery {
  @ApiProperty({ example: '2026-11-06T17:00:00+01:00' })
  @IsInstant()
  from: string;

  @ApiProperty({ example: '2026-11-09T10:00:00+01:00' })
  @IsInstant()
  to: string;
}

export class OpenQuery {
  @ApiProperty({ example: '2026-11-09T12:45:00+01:00' })
  @IsInstant()
  at: string;
}

export class DueView {
  @ApiProperty({ format: 'date-time', example: '2026-11-09T08:30:00.000Z' }) due: string;
}

export class ElapsedView {
  @ApiProperty({ example: 7200, description: 'Working seconds between the two instants.' }) seconds: number;
}

export class OpenView {
  @ApiProperty() open: boolean;
}

export const DATES_IMPORT_FORMATS = ['xml', 'csv'] as const;
export type DatesImportFormat = (typeof DATES_IMPORT_FORMATS)[number];

export class DatesImportQuery {
  @ApiPropertyOptional({
    enum: WEEKDAYS,
    default: 'mon',
    description:
      'The weekday whose hours a weekend date made a working day takes (xmlcalendar t="3", or t="2" on a weekend date) when the calendar ' +
      'keeps that weekend day closed; a weekend day the calendar opens anyway keeps its own hours. When this weekday has no hours, the first weekday that has.',
  })
  @IsOptional()
  @IsIn(WEEKDAYS, { message: `workdayAs must be a weekday: ${WEEKDAYS.join(', ')}` })
  workdayAs?: Weekday;
}

export class DatesImportView {
  @ApiProperty({ nullable: true, type: Number, example: 2027, description: 'The year of the file (for CSV rows, their year when they share one).' })
  year: number | null;

  @ApiProperty({ example: 12, description: 'Dates closed: days off, holidays and days off moved by decree.' }) closed: number;
  @ApiProperty({ example: 4, description: 'Working days one hour shorter at their end (pre-holiday days).' }) shortened: number;
  @ApiProperty({ example: 1, description: 'Dates made working days (weekend dates worked by decree; for CSV, every row with hours).' }) working: number;

  @ApiPropertyOptional({
    type: [String],
    example: ['2027-01-01'],
    description: "Dates of the file the calendar lists in `holidays`: they stay holidays (the admin's own list outranks a file). Left out when none.",
  })
  keptAsHolidays?: string[];
}
