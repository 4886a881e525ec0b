import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { WindowQuery } from '../tracking/tracking.dto.js';
import {
  GROUP_ATTRIBUTE,
  type CompetitorCount,
  type Conversion,
  type FunnelGroup,
  type GroupCompliance,
  type GroupStage,
  type NeverWorked,
  type NeverWorkedLead,
  type ReasonCount,
  type StageCount,
} from './domain/funnel.js';
import { REPORT_FORMATS, type ReportFormat } from './reports.dto.js';

export const DEFAULT_NEVER_WORKED_DAYS = 14;
export const MAX_NEVER_WORKED_DAYS = 3650;

const COHORT_RULE =
  'The cohort is the subjects that entered the first counted stage (the first with `enteredOn`) in [from, to); their later stages count whenever they happened.';

export class FunnelReportQuery extends WindowQuery {
  @ApiPropertyOptional({
    example: 'source',
    description: "An attribute of the event that entered each subject into the cohort's stage (source, score, owner…); without it, one group, \"all\".",
  })
  @IsOptional()
  @IsString()
  @Matches(GROUP_ATTRIBUTE, { message: 'by must be an attribute name such as source (letters, digits, _ . -, at most 100 characters)' })
  by?: string;

  @ApiPropertyOptional({ default: DEFAULT_NEVER_WORKED_DAYS, minimum: 1, maximum: MAX_NEVER_WORKED_DAYS, description: 'An SQL this many days old with no outcome (won, lost, rejected, recycled) was never worked.' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_NEVER_WORKED_DAYS)
  neverWorkedDays: number = DEFAULT_NEVER_WORKED_DAYS;

  @ApiPropertyOptional({ enum: REPORT_FORMATS, default: 'html', description: 'html (the emailed report), text (its plain-text part), csv (a row per group and stage, and per reason and competitor) or json.' })
  @IsOptional()
  @IsIn(REPORT_FORMATS)
  format: ReportFormat = 'html';
}

export class FunnelStageCount implements StageCount {
  @ApiProperty({ format: 'uuid' }) stageId: string;
  @ApiProperty({ example: 'MQL' }) name: string;
  @ApiProperty({ description: 'Subjects of the cohort that entered this stage, whenever.' }) entered: number;
}

export class FunnelReasonCount implements ReasonCount {
  @ApiProperty({ example: 'price' }) reason: string;
  @ApiProperty() count: number;
}

export class FunnelCompetitorCount implements CompetitorCount {
  @ApiProperty({ example: 'Acme' }) competitor: string;
  @ApiProperty() count: number;
}

export class FunnelGroupStage extends FunnelStageCount implements GroupStage {
  @ApiPropertyOptional({ type: [FunnelReasonCount], description: "The `reason` attributes of the events that entered the stage; only when there are some." })
  reasons?: FunnelReasonCount[];
  @ApiPropertyOptional({ type: [FunnelCompetitorCount], description: 'Their `competitor` attributes; only when there are some.' })
  competitors?: FunnelCompetitorCount[];
}

export class FunnelConversion implements Conversion {
  @ApiProperty({ example: 'MQL', description: "The cohort's stage." }) from: string;
  @ApiProperty({ example: 'SQL' }) to: string;
  @ApiProperty({ format: 'uuid' }) fromStageId: string;
  @ApiProperty({ format: 'uuid' }) toStageId: string;
  @ApiProperty({ nullable: true, type: Number, example: 60, description: 'Of the group, the share that entered `to`, one decimal.' }) percent: number | null;
  @ApiProperty({ nullable: true, type: Number, example: 86400, description: 'Median wall-clock seconds from entering `from` to entering `to` (a stage entered first counts as 0): exact for a cohort of up to 2,000 leads, beyond that from rollups, within 0.8 % plus a second.' }) medianSeconds: number | null;
}

export class FunnelNeverWorkedLead implements NeverWorkedLead {
  @ApiProperty() subject: string;
  @ApiProperty({ format: 'date-time', description: 'When it entered SQL.' }) enteredAt: string;
}

export class FunnelNeverWorked implements NeverWorked {
  @ApiProperty() count: number;
  @ApiProperty({ type: [FunnelNeverWorkedLead], description: 'The oldest SQLs first, at most 20.' }) subjects: FunnelNeverWorkedLead[];
}

export class FunnelGroupCompliance implements GroupCompliance {
  @ApiProperty({ format: 'uuid' }) agreementId: string;
  @ApiProperty({ example: 'Hot leads are called fast' }) agreement: string;
  @ApiProperty({ example: 'hot' }) target: string;
  @ApiProperty() met: number;
  @ApiProperty({ description: 'Stopped late, or past due and still open.' }) breached: number;
  @ApiProperty({ nullable: true, type: Number, description: 'met ÷ (met + breached), one decimal.' }) percent: number | null;
}

export class FunnelGroupView implements FunnelGroup {
  @ApiProperty({ nullable: true, type: String, example: 'trade-show', description: 'The attribute\'s value; "all" without `by`; null for subjects whose event lacks it.' })
  key: string | null;
  @ApiProperty({ type: [FunnelGroupStage], description: 'Every counted stage, in funnel order.' }) stages: FunnelGroupStage[];
  @ApiProperty({ type: [FunnelConversion], description: "From the cohort's stage to each later counted stage." }) conversions: FunnelConversion[];
  @ApiProperty({ nullable: true, type: Number, example: 60, description: 'won ÷ (won + lost) × 100 (the stages entered by lead.won and lead.lost); null when neither.' })
  winRate: number | null;
  @ApiProperty({ type: FunnelNeverWorked, nullable: true, description: 'SQLs (the stage entered by lead.sql) at least neverWorkedDays old without an outcome; null when no stage is entered by lead.sql.' })
  neverWorked: FunnelNeverWorked | null;
  @ApiProperty({ type: [FunnelGroupCompliance], description: "The group's response clocks, per agreement and target." }) compliance: FunnelGroupCompliance[];
}

export class FunnelReport {
  @ApiProperty({ format: 'date-time' }) from: string;
  @ApiProperty({ format: 'date-time', description: 'Exclusive.' }) to: string;
  @ApiProperty({ nullable: true, type: String, example: 'source' }) by: string | null;
  @ApiProperty({ example: DEFAULT_NEVER_WORKED_DAYS }) neverWorkedDays: number;
  @ApiProperty({ format: 'date-time' }) generatedAt: string;
  @ApiProperty({ type: [FunnelStageCount], description: `Counted stages in funnel order, the cohort's first, with the sums over the groups. ${COHORT_RULE}` })
  stages: FunnelStageCount[];
  @ApiProperty({ type: [FunnelGroupView], description: 'The largest group first.' }) groups: FunnelGroupView[];
}
