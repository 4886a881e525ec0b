import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { IsTimeZone } from '../calendars/timezone.validator.js';
import { IsInstant } from '../common/instant.validator.js';
import { PageOf, PageQuery } from '../common/pagination.js';
import { ON_CLOSED_DAY, type OnClosedDay } from './domain/open-days.js';
import { PARTICIPANT_ROLES, type ParticipantRole } from './meeting-participant.entity.js';
import type { MeetingStatus, MinutesStatus } from './meeting.entity.js';

export class ParticipantDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  personId: string;

  @ApiProperty({ enum: PARTICIPANT_ROLES, description: 'required, optional, or informed (minutes only, no invitation).' })
  @IsIn(PARTICIPANT_ROLES)
  role: ParticipantRole;

  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String, description: 'Who may stand in for this person and count for the quorum.' })
  @IsOptional()
  @ValidateIf((_object, value) => value !== null)
  @IsUUID()
  delegateId?: string | null;
}

export class QuorumDto {
  @ApiProperty({ enum: ['heads', 'all-required'], description: 'heads: the head of each department or their delegate; all-required: every required participant.' })
  @IsIn(['heads', 'all-required'])
  rule: 'heads' | 'all-required';
}

const ON_CLOSED_DAY_TEXT =
  'Only with `calendarId`. An occurrence on a date the calendar has closed at its start: `keep` (the default) holds it there, flagged `closedDay`; ' +
  '`next-open-day` moves it to the same local time on the next date open at that time (within 31 days, else kept and flagged); ' +
  '`skip` does not hold it (an EXDATE in the invitation). Re-planned for meetings to come whenever the calendar changes; one moved by hand keeps its time.';

export class CreateSeriesDto {
  @ApiProperty({ example: 'Marketing & Sales monthly' })
  @IsString()
  @Length(1, 200)
  title: string;

  @ApiProperty({ type: [String], description: 'The departments meeting (two or more).' })
  @IsArray()
  @ArrayMinSize(2)
  @ArrayMaxSize(10)
  @IsUUID('all', { each: true })
  departmentIds: string[];

  @ApiProperty({ example: 'Europe/Paris' })
  @IsTimeZone()
  timezone: string;

  @ApiProperty({ example: '2027-01-05T10:00', description: 'First occurrence, local time in `timezone`.' })
  @Matches(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, { message: 'startsOn must be a local date and time such as "2027-01-05T10:00"' })
  startsOn: string;

  @ApiProperty({ example: 'FREQ=MONTHLY;BYDAY=1TU;COUNT=12', description: 'RFC 5545 RRULE with COUNT or UNTIL (quarterly: FREQ=MONTHLY;INTERVAL=3;…).' })
  @IsString()
  @Length(1, 500)
  rrule: string;

  @ApiProperty({ example: 60 })
  @IsInt()
  @Min(5)
  @Max(600)
  durationMinutes: number;

  @ApiPropertyOptional({ example: 'Room Jupiter / https://meet.example.com/concord', nullable: true, type: String })
  @IsOptional()
  @IsString()
  @Length(1, 300)
  location?: string | null;

  @ApiPropertyOptional({ type: [String], example: ['Campaign calendar', 'Any other business'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(30)
  @IsString({ each: true })
  @Length(1, 300, { each: true })
  agendaTemplate?: string[];

  @ApiPropertyOptional({ type: QuorumDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => QuorumDto)
  quorum?: QuorumDto;

  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String })
  @IsOptional()
  @ValidateIf((_object, value) => value !== null)
  @IsUUID()
  chairId?: string | null;

  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String })
  @IsOptional()
  @ValidateIf((_object, value) => value !== null)
  @IsUUID()
  minuteTakerId?: string | null;

  @ApiPropertyOptional({
    format: 'uuid',
    nullable: true,
    type: String,
    description: 'A business calendar to place the meetings on: where it is closed at a meeting\'s time, `onClosedDay` decides.',
  })
  @IsOptional()
  @ValidateIf((_object, value) => value !== null)
  @IsUUID()
  calendarId?: string | null;

  @ApiPropertyOptional({ enum: ON_CLOSED_DAY, default: 'keep', description: ON_CLOSED_DAY_TEXT })
  @ValidateIf((_object, value) => value !== undefined)
  @IsIn(ON_CLOSED_DAY)
  onClosedDay?: OnClosedDay;

  @ApiProperty({ type: [ParticipantDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => ParticipantDto)
  participants: ParticipantDto[];
}

/** Departments and the first start stay; everything else may change (the rule re-plans future occurrences). */
export class UpdateSeriesDto {
  @ApiPropertyOptional() @ValidateIf((_o, v) => v !== undefined) @IsString() @Length(1, 200) title?: string;
  @ApiPropertyOptional() @ValidateIf((_o, v) => v !== undefined) @IsString() @Length(1, 500) rrule?: string;
  @ApiPropertyOptional() @ValidateIf((_o, v) => v !== undefined) @IsInt() @Min(5) @Max(600) durationMinutes?: number;
  @ApiPropertyOptional({ nullable: true, type: String }) @IsOptional() @ValidateIf((_o, v) => v !== null) @IsString() @Length(1, 300) location?: string | null;
  @ApiPropertyOptional({ type: [String] })
  @ValidateIf((_o, v) => v !== undefined)
  @IsArray()
  @ArrayMaxSize(30)
  @IsString({ each: true })
  agendaTemplate?: string[];
  @ApiPropertyOptional({ type: QuorumDto }) @ValidateIf((_o, v) => v !== undefined) @ValidateNested() @Type(() => QuorumDto) quorum?: QuorumDto;
  @ApiPropertyOptional({ nullable: true, type: String }) @IsOptional() @ValidateIf((_o, v) => v !== null) @IsUUID() chairId?: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) @IsOptional() @ValidateIf((_o, v) => v !== null) @IsUUID() minuteTakerId?: string | null;
  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String, description: 'null: no calendar any more (and `onClosedDay` back to keep).' })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsUUID()
  calendarId?: string | null;
  @ApiPropertyOptional({ enum: ON_CLOSED_DAY, description: ON_CLOSED_DAY_TEXT }) @ValidateIf((_o, v) => v !== undefined) @IsIn(ON_CLOSED_DAY) onClosedDay?: OnClosedDay;
  @ApiPropertyOptional({ type: [ParticipantDto] })
  @ValidateIf((_o, v) => v !== undefined)
  @IsArray()
  @ArrayMinSize(1)
  @ValidateNested({ each: true })
  @Type(() => ParticipantDto)
  participants?: ParticipantDto[];
}

export class MoveMeetingDto {
  @ApiProperty({ example: '2027-02-03T14:00:00+01:00', description: 'The new start; the duration stays.' })
  @IsInstant()
  startsAt: string;
}

export class MeetingsQuery extends PageQuery {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() seriesId?: string;
  @ApiPropertyOptional() @IsOptional() @IsInstant() from?: string;
  @ApiPropertyOptional() @IsOptional() @IsInstant() to?: string;
}

export class ParticipantView {
  @ApiProperty({ format: 'uuid' }) personId: string;
  @ApiProperty() name: string;
  @ApiProperty() email: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) departmentId: string | null;
  @ApiProperty({ enum: PARTICIPANT_ROLES }) role: ParticipantRole;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) delegateId: string | null;
}

export class MeetingSummary {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) seriesId: string;
  @ApiProperty() title: string;
  @ApiProperty({ format: 'date-time', description: 'Where the rule placed it (its RECURRENCE-ID).' }) occurrenceStart: string;
  @ApiProperty({ format: 'date-time' }) startsAt: string;
  @ApiProperty({ format: 'date-time' }) endsAt: string;
  @ApiProperty({ description: 'Local start in the series time zone.' }) localStart: string;
  @ApiProperty({ enum: ['scheduled', 'cancelled', 'held'] }) status: MeetingStatus;
  @ApiProperty() moved: boolean;
  @ApiProperty({ nullable: true, type: Boolean }) quorumMet: boolean | null;
  @ApiProperty({ enum: ['none', 'draft', 'final', 'approved'] }) minutesStatus: MinutesStatus;
  @ApiProperty() minutesRevision: number;
  @ApiProperty({ description: "Whether the series' calendar is closed where the meeting starts (a meeting kept on a closed day, or moved there by hand); false without a calendar." })
  closedDay: boolean;
  @ApiProperty({
    nullable: true,
    type: String,
    example: 'Новогодние каникулы',
    description: "Why: the holiday's name where the calendar's preset names it, else e.g. \"closed by the calendar\", \"closed on Saturdays\". For an occurrence the calendar moved or skipped, why the rule's date was closed.",
  })
  closedReason: string | null;
  @ApiProperty({ enum: ['moved', 'skipped'], nullable: true, type: String, description: "What the series' calendar did to this occurrence (onClosedDay); null when it stays where the rule put it or a person moved or cancelled it." })
  calendarChange: 'moved' | 'skipped' | null;
}

export class MeetingPage extends PageOf(MeetingSummary) {}

export class SeriesView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() title: string;
  @ApiProperty({ type: [String] }) departmentIds: string[];
  @ApiProperty() timezone: string;
  @ApiProperty() startsOn: string;
  @ApiProperty() rrule: string;
  @ApiProperty() durationMinutes: number;
  @ApiProperty({ nullable: true, type: String }) location: string | null;
  @ApiProperty({ type: [String] }) agendaTemplate: string[];
  @ApiProperty({ type: QuorumDto }) quorum: QuorumDto;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) chairId: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) minuteTakerId: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'The business calendar the meetings are placed on.' }) calendarId: string | null;
  @ApiProperty({ enum: ON_CLOSED_DAY, description: ON_CLOSED_DAY_TEXT }) onClosedDay: OnClosedDay;
  @ApiProperty({ description: 'iCalendar SEQUENCE: increases with every change sent to calendars.' }) sequence: number;
  @ApiProperty({ enum: ['active', 'cancelled'] }) status: 'active' | 'cancelled';
  @ApiProperty({ type: [ParticipantView] }) participants: ParticipantView[];
  @ApiProperty({ type: [MeetingSummary], description: 'Every occurrence, cancelled and moved ones included.' }) meetings: MeetingSummary[];
}

export class SeriesPage extends PageOf(SeriesView) {}
