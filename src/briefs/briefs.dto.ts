import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsNumber,
  IsOptional,
  IsString,
  IsUrl,
  IsUUID,
  Length,
  Matches,
  Min,
  registerDecorator,
  ValidateNested,
  type ValidationOptions,
} from 'class-validator';
import { isIsoDate } from '../calendars/business-time/index.js';
import { PageOf, PageQuery } from '../common/pagination.js';
import type { BriefEntry } from './brief-entry.entity.js';
import { BRIEF_STATUSES, type Brief, type BriefContent, type BriefStatus } from './brief.entity.js';

const MAX_ITEMS = 50;
const MAX_TEXT = 5000;
const MAX_LINE = 500;

/** A calendar date written as YYYY-MM-DD ("2026-02-30" is refused). */
function IsIsoDate(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isIsoDate',
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: '$property must be a date written YYYY-MM-DD, e.g. 2026-12-15', ...options },
      validator: { validate: isIsoDate },
    });
}

/** A text of one line or so, required where it stands. */
const Text = (max = MAX_LINE) => applyDecorators(IsString(), Length(1, max));

/** A text that may be left out, or cleared with null. */
const OptionalText = (max = MAX_TEXT) => applyDecorators(IsOptional(), Text(max));

/** An object checked field by field, that may be left out. */
const OptionalNested = (type: () => new () => object) => applyDecorators(IsOptional(), ValidateNested(), Type(type));

/** A list of short texts that may be left out, or cleared with null. */
const OptionalTextList = () =>
  applyDecorators(IsOptional(), IsArray(), ArrayMaxSize(MAX_ITEMS), IsString({ each: true }), Length(1, MAX_LINE, { each: true }));

/** A list of objects of one shape, each checked field by field. */
const OptionalListOf = (item: () => new () => object) =>
  applyDecorators(IsOptional(), IsArray(), ArrayMaxSize(MAX_ITEMS), ValidateNested({ each: true }), Type(item));

export class GoalDto {
  @ApiProperty({ example: 'Fill the pipeline for the spring launch' })
  @Text()
  goal: string;

  @ApiProperty({ example: '120 SQLs by 31 March', description: 'How reaching the goal is measured.' })
  @Text()
  target: string;
}

export class AudienceDto {
  @ApiPropertyOptional({ example: 'IT directors of mid-sized manufacturers', nullable: true, type: String })
  @OptionalText(MAX_LINE)
  primary?: string | null;

  @ApiPropertyOptional({ example: 'Procurement', nullable: true, type: String })
  @OptionalText(MAX_LINE)
  secondary?: string | null;
}

export class MilestoneDto {
  @ApiProperty({ example: 'First draft' })
  @Text()
  name: string;

  @ApiProperty({ example: '2026-12-01', format: 'date' })
  @IsIsoDate()
  date: string;
}

export class BudgetDto {
  @ApiPropertyOptional({ example: 15000, minimum: 0, nullable: true, type: Number, description: 'Required at submission.' })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  amount?: number | null;

  @ApiPropertyOptional({ example: 'EUR', nullable: true, type: String, description: 'ISO 4217 code.' })
  @IsOptional()
  @Matches(/^[A-Z]{3}$/, { message: '$property must be a three-letter currency code such as EUR' })
  currency?: string | null;

  @ApiProperty({ description: 'Whether the budget is approved.' })
  @IsBoolean()
  approved: boolean;
}

export class SuccessMetricDto {
  @ApiProperty({ example: 'Meetings booked from the campaign' })
  @Text()
  metric: string;

  @ApiProperty({ example: '≥ 40' })
  @Text()
  target: string;
}

/**
 * The body of a brief. Every field may be left out (or cleared with null) while drafting; the
 * required ones are checked at submission, each named when missing.
 */
export class BriefContentDto {
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Background and problem. Required at submission.' })
  @OptionalText()
  background?: string | null;

  @ApiPropertyOptional({ type: [GoalDto], description: 'At least one at submission.' })
  @OptionalListOf(() => GoalDto)
  goals?: GoalDto[];

  @ApiPropertyOptional({ nullable: true, type: String, description: "The requester's vision. Required at submission." })
  @OptionalText()
  vision?: string | null;

  @ApiPropertyOptional({ nullable: true, type: String, description: 'Required at submission.' })
  @OptionalText()
  keyMessage?: string | null;

  @ApiPropertyOptional({ type: AudienceDto, description: 'The primary audience is required at submission.' })
  @OptionalNested(() => AudienceDto)
  audience?: AudienceDto;

  @ApiPropertyOptional({ type: [String], description: 'At least one at submission.' })
  @OptionalTextList()
  deliverables?: string[];

  @ApiPropertyOptional({ type: [String] })
  @OptionalTextList()
  channels?: string[];

  @ApiPropertyOptional({ nullable: true, type: String })
  @OptionalText()
  outOfScope?: string | null;

  @ApiPropertyOptional({ nullable: true, type: String })
  @OptionalText()
  mandatoryElements?: string | null;

  @ApiPropertyOptional({
    example: '2026-12-15',
    format: 'date',
    nullable: true,
    type: String,
    description: "Required at submission, and not in the past (in the requesting department's time zone).",
  })
  @IsOptional()
  @IsIsoDate()
  deadline?: string | null;

  @ApiPropertyOptional({ type: [MilestoneDto] })
  @OptionalListOf(() => MilestoneDto)
  milestones?: MilestoneDto[];

  @ApiPropertyOptional({ type: BudgetDto, nullable: true, description: 'Required at submission, with its amount.' })
  @OptionalNested(() => BudgetDto)
  budget?: BudgetDto | null;

  @ApiPropertyOptional({ type: [SuccessMetricDto], description: 'At least one at submission.' })
  @OptionalListOf(() => SuccessMetricDto)
  successMetrics?: SuccessMetricDto[];

  @ApiPropertyOptional({ type: [String], description: 'Names or roles of the people with a stake in the brief.' })
  @OptionalTextList()
  stakeholders?: string[];

  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String, description: 'The person who approves the brief. Required at submission.' })
  @IsOptional()
  @IsUUID()
  approverId?: string | null;

  @ApiPropertyOptional({ type: [String], example: ['https://wiki.example.com/spring-launch'], description: 'http(s) addresses.' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_ITEMS)
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true }, { each: true, message: 'each of $property must be an http(s) URL' })
  links?: string[];
}

export class CreateBriefDto {
  @ApiProperty({ example: 'Spring launch campaign' })
  @IsString()
  @Length(1, 200)
  title: string;

  @ApiPropertyOptional({ format: 'uuid', description: "The department asking; the author's own by default." })
  @IsOptional()
  @IsUUID()
  requesterDepartmentId?: string;

  @ApiProperty({ format: 'uuid', description: 'The department asked; not the requesting one.' })
  @IsUUID()
  recipientDepartmentId: string;

  @ApiPropertyOptional({ type: BriefContentDto })
  @OptionalNested(() => BriefContentDto)
  content?: BriefContentDto;
}

/**
 * While the brief is a draft or returned. Each content field sent replaces the stored one (a list
 * as a whole), null clears it, and a field left out stays as it was.
 */
export class UpdateBriefDto extends PartialType(OmitType(CreateBriefDto, ['requesterDepartmentId'] as const), { skipNullProperties: false }) {}

export class ReturnBriefDto {
  @ApiProperty({ example: 'The audience is too broad; which segment first?', description: 'What the requester must change.' })
  @IsString()
  @Length(1, MAX_TEXT)
  comment: string;
}

export class AcceptBriefDto {
  @ApiPropertyOptional({ example: 'Accepted: we start with the EU mid-market segment.', description: 'Kept in the thread with the step.' })
  @IsOptional()
  @IsString()
  @Length(1, MAX_TEXT)
  comment?: string;
}

export class CommentDto {
  @ApiProperty({ example: 'Can the deadline move a week?' })
  @IsString()
  @Length(1, MAX_TEXT)
  body: string;
}

export class BriefsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: BRIEF_STATUSES })
  @IsOptional()
  @IsIn(BRIEF_STATUSES)
  status?: BriefStatus;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  requesterDepartmentId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  recipientDepartmentId?: string;
}

export class BriefEntryView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ['comment', 'step'] }) kind: 'comment' | 'step';
  @ApiProperty({ enum: BRIEF_STATUSES, nullable: true, type: String, description: 'Steps: the status left (null when filed).' })
  fromStatus: BriefStatus | null;
  @ApiProperty({ enum: BRIEF_STATUSES, nullable: true, type: String, description: 'Steps: the status entered.' }) toStatus: BriefStatus | null;
  @ApiProperty({ nullable: true, type: String, description: 'The comment, or the reason a brief was returned.' }) body: string | null;
  @ApiProperty({ format: 'uuid' }) authorId: string;
  @ApiProperty({ format: 'date-time' }) at: string;

  static from(this: void, entry: BriefEntry): BriefEntryView {
    return {
      id: entry.id,
      kind: entry.kind,
      fromStatus: entry.fromStatus,
      toStatus: entry.toStatus,
      body: entry.body,
      authorId: entry.authorId,
      at: entry.at.toISOString(),
    };
  }
}

export class BriefView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() title: string;
  @ApiProperty({ enum: BRIEF_STATUSES }) status: BriefStatus;
  @ApiProperty({ format: 'uuid' }) requesterDepartmentId: string;
  @ApiProperty({ format: 'uuid' }) recipientDepartmentId: string;
  @ApiProperty({ type: BriefContentDto, description: 'Fields never given or cleared are left out.' }) content: BriefContent;
  @ApiProperty({ format: 'uuid' }) createdBy: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'The latest submission.' }) submittedAt: string | null;

  static from(this: void, brief: Brief): BriefView {
    return {
      id: brief.id,
      title: brief.title,
      status: brief.status,
      requesterDepartmentId: brief.requesterDepartmentId,
      recipientDepartmentId: brief.recipientDepartmentId,
      content: brief.content,
      createdBy: brief.createdBy,
      createdAt: brief.createdAt.toISOString(),
      updatedAt: brief.updatedAt.toISOString(),
      submittedAt: brief.submittedAt?.toISOString() ?? null,
    };
  }
}

/** A brief with its thread: comments and steps, oldest first. */
export class BriefDetailView extends BriefView {
  @ApiProperty({ type: [BriefEntryView] }) thread: BriefEntryView[];
}

export class BriefPage extends PageOf(BriefView) {}
