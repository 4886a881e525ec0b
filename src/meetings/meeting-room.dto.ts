import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsString, IsUUID, Length, Matches, ValidateIf, ValidateNested } from 'class-validator';
import { IsOptionalNotNull } from '../common/validation.js';
import { PageOf, PageQuery } from '../common/pagination.js';
import { AGENDA_SOURCES, ATTENDANCE_STATUSES, OUTCOME_TYPES, type AgendaSource, type AttendanceStatus, type OutcomeType } from './meeting-records.entity.js';
import { MeetingSummary } from './meetings.dto.js';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export class AttendanceEntryDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() personId: string;
  @ApiProperty({ enum: ATTENDANCE_STATUSES }) @IsIn(ATTENDANCE_STATUSES) status: AttendanceStatus;
  @ApiPropertyOptional({ format: 'uuid', description: 'With status "delegate": whom this person stands in for.' })
  @IsOptional()
  @IsUUID()
  delegateFor?: string;
}

export class AttendanceDto {
  @ApiProperty({ type: [AttendanceEntryDto] })
  @IsArray()
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => AttendanceEntryDto)
  entries: AttendanceEntryDto[];
}

export class AgendaItemDto {
  @ApiProperty({ example: 'Trade-show follow-up' }) @IsString() @Length(1, 300) title: string;
}

export class NotesDto {
  @ApiProperty({ example: 'Sales will call the remaining hot leads today.', nullable: true, type: String })
  @ValidateIf((_o, v) => v !== null)
  @IsString()
  @Length(0, 20_000)
  notes: string | null;
}

export class OutcomeDto {
  @ApiProperty({ enum: OUTCOME_TYPES }) @IsIn(OUTCOME_TYPES) type: OutcomeType;
  @ApiProperty({ example: 'Warm leads are called within 2 working hours from December.' }) @IsString() @Length(1, 5000) text: string;
  @ApiPropertyOptional({ description: 'Decisions: why.' }) @IsOptional() @IsString() @Length(1, 5000) rationale?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'Required for action items; for decisions, who carries them.' }) @IsOptional() @IsUUID() ownerId?: string;
  @ApiPropertyOptional({ example: '2026-12-15', description: 'Required for action items: local due date.' })
  @IsOptional()
  @Matches(DATE, { message: 'dueOn must be a date such as 2026-12-15' })
  dueOn?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'The agenda item it came out of.' }) @IsOptional() @IsUUID() agendaItemId?: string;
}

/** Left out is unchanged; an action item always has a status, a due date and an owner, so none may be null. */
export class ActionUpdateDto {
  @ApiPropertyOptional({ enum: ['open', 'done', 'dropped'] }) @IsOptionalNotNull() @IsIn(['open', 'done', 'dropped']) status?: 'open' | 'done' | 'dropped';
  @ApiPropertyOptional() @IsOptionalNotNull() @Matches(DATE, { message: 'dueOn must be a date such as 2026-12-15' }) dueOn?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptionalNotNull() @IsUUID() ownerId?: string;
}

export class ActionItemsQuery extends PageQuery {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() ownerId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() seriesId?: string;
  @ApiPropertyOptional({ enum: ['open', 'done', 'dropped'] }) @IsOptional() @IsIn(['open', 'done', 'dropped']) status?: 'open' | 'done' | 'dropped';
}

export class PersonRef {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty() email: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) departmentId: string | null;
}

export class OutcomeView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) meetingId: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) agendaItemId: string | null;
  @ApiProperty({ enum: OUTCOME_TYPES }) type: OutcomeType;
  @ApiProperty() text: string;
  @ApiProperty({ nullable: true, type: String }) rationale: string | null;
  @ApiProperty({ type: PersonRef, nullable: true }) owner: PersonRef | null;
  @ApiProperty({ nullable: true, type: String }) dueOn: string | null;
  @ApiProperty({ enum: ['open', 'done', 'dropped', 'recorded'] }) status: string;
  @ApiProperty({ description: 'Action items: open past their due date.' }) overdue: boolean;
}

export class ActionItemPage extends PageOf(OutcomeView) {}

export class AgendaItemView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() position: number;
  @ApiProperty({ enum: AGENDA_SOURCES }) source: AgendaSource;
  @ApiProperty() title: string;
  @ApiProperty({ description: 'What the data said when the agenda was built.', nullable: true, type: 'object', additionalProperties: true }) details: unknown;
  @ApiProperty({ nullable: true, type: String }) notes: string | null;
}

export class AttendanceView {
  @ApiProperty({ type: PersonRef }) person: PersonRef;
  @ApiProperty({ enum: ATTENDANCE_STATUSES }) status: AttendanceStatus;
  @ApiProperty({ type: PersonRef, nullable: true }) delegateFor: PersonRef | null;
}

export class MinutesRevisionSummary {
  @ApiProperty() revision: number;
  @ApiProperty({ enum: ['final', 'approved'] }) status: 'final' | 'approved';
  @ApiProperty({ format: 'date-time' }) finalizedAt: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) approvedAt: string | null;
  @ApiProperty({ type: [String], description: 'Departments whose head signed off.' }) approvedBy: string[];
}

export class MeetingView extends MeetingSummary {
  @ApiProperty({ type: [AgendaItemView] }) agenda: AgendaItemView[];
  @ApiProperty({ type: [AttendanceView] }) attendance: AttendanceView[];
  @ApiProperty({ type: [OutcomeView] }) outcomes: OutcomeView[];
  @ApiProperty({ type: [MinutesRevisionSummary] }) revisions: MinutesRevisionSummary[];
}
