import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Max, Min, ValidateIf } from 'class-validator';
import { IsInstant } from '../common/instant.validator.js';
import { MAX_INTEGER, PageOf, PageQuery } from '../common/pagination.js';
import { AGREEMENT_KINDS, type AgreementKind } from '../agreements/agreement.entity.js';
import { REVIEW_STATUSES, REVIEW_VERDICTS, type ReviewStatus, type ReviewVerdict } from './breach-explanation.entity.js';
import { CLOCK_OUTCOMES, CLOCK_STATES, type ClockOutcome, type ClockState } from './sla-clock.entity.js';
import type { ClockStep } from './domain/clock-cycles.js';
import { HISTOGRAM_RELATIVE_ERROR } from './domain/duration-histogram.js';
import { EXACT_PERCENTILES_UP_TO } from './response-compliance.js';

const PERCENTILE_PRECISION =
  `Over stopped clocks; exact up to ${EXACT_PERCENTILES_UP_TO.toLocaleString('en')} of them in the window, beyond that from duration histograms: ` +
  `at most ${(HISTOGRAM_RELATIVE_ERROR * 100).toFixed(1)} % off, plus a second of rounding. For a quota, null.`;

const toBoolean = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);

export class WindowQuery {
  @ApiProperty({ example: '2026-10-01T00:00:00+02:00', description: 'Start of the window (inclusive).' })
  @IsInstant()
  from: string;

  @ApiProperty({ example: '2027-01-01T00:00:00+01:00', description: 'End of the window (exclusive).' })
  @IsInstant()
  to: string;
}

export class ReplayQuery extends WindowQuery {
  @ApiPropertyOptional({ description: 'Version number to replay; by default the pending draft or proposal, else the version in force.' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_INTEGER)
  version?: number;
}

export class ClocksQuery extends PageQuery {
  @ApiPropertyOptional({ example: 'L-1042' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  subject?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  agreementId?: string;

  @ApiPropertyOptional({ enum: CLOCK_STATES })
  @IsOptional()
  @IsIn(CLOCK_STATES)
  state?: ClockState;

  @ApiPropertyOptional({ enum: CLOCK_OUTCOMES })
  @IsOptional()
  @IsIn(CLOCK_OUTCOMES)
  outcome?: ClockOutcome;
}

export class BreachesQuery extends PageQuery {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  agreementId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'The owning (provider) department; a conversion breach, owned by both, is listed for either.' })
  @IsOptional()
  @IsUUID()
  departmentId?: string;

  @ApiPropertyOptional({ description: 'Due on or after (ISO instant).' })
  @IsOptional()
  @IsInstant()
  from?: string;

  @ApiPropertyOptional({ description: 'Due before (ISO instant).' })
  @IsOptional()
  @IsInstant()
  to?: string;

  @ApiPropertyOptional({ description: 'true: only explained; false: only unexplained.' })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  explained?: boolean;

  @ApiPropertyOptional({ description: 'Also list breaches a late event showed were not breaches after all.' })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  includeWithdrawn?: boolean;
}

export class ExplanationDto {
  @ApiProperty({ example: 'The lead arrived during the sales kick-off; nobody watched the queue.' })
  @IsString()
  @Length(1, 2000)
  cause: string;

  @ApiProperty({ example: 'A named backup watches the queue during team events.' })
  @IsString()
  @Length(1, 2000)
  correctiveAction: string;
}

export class ReviewDto {
  @ApiProperty({ enum: REVIEW_VERDICTS, description: 'accepted, or disputed (with a comment): the consumer head on the latest explanation.' })
  @IsIn(REVIEW_VERDICTS)
  verdict: ReviewVerdict;

  @ApiPropertyOptional({ example: 'The queue was watched; the lead was routed to the wrong team.', description: 'Required to dispute.' })
  @ValidateIf((review: ReviewDto) => review.verdict === 'disputed' || review.comment !== undefined)
  @IsString({ message: 'comment is required to dispute an explanation: say what is not accepted' })
  @Length(1, 2000)
  comment?: string;
}

export class ClockStepView {
  @ApiProperty({ enum: ['start', 'pause', 'resume', 'stop', 'cancel'] }) action: ClockStep['action'];
  @ApiProperty({ format: 'date-time' }) at: string;
  @ApiProperty({ format: 'uuid' }) eventId: string;
  @ApiProperty() eventType: string;
}

export class ClockView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) agreementId: string;
  @ApiProperty({ format: 'uuid' }) versionId: string;
  @ApiProperty({ description: 'The agreement version the clock is pinned to.' }) versionNumber: number;
  @ApiProperty() agreementName: string;
  @ApiProperty() subject: string;
  @ApiProperty({ description: "1 for the subject's first run under this agreement, 2 for the next…" }) cycle: number;
  @ApiProperty({ example: 'hot' }) targetName: string;
  @ApiProperty({ description: 'The target in working seconds.' }) targetSeconds: number;
  @ApiProperty({ enum: CLOCK_STATES }) state: ClockState;
  @ApiProperty({ enum: CLOCK_OUTCOMES }) outcome: ClockOutcome;
  @ApiProperty({ format: 'date-time' }) startedAt: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'When it stopped, or was cancelled.' }) stoppedAt: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'Null while paused, and once cancelled before it fell due.' })
  dueAt: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) warnAt: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) warnedAt: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) breachedAt: string | null;
  @ApiProperty({ description: 'Working seconds counted, up to now for a running clock.' }) elapsedSeconds: number;
  @ApiProperty({ description: 'Working seconds spent paused.' }) pausedSeconds: number;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) breachId: string | null;
  @ApiProperty({ type: [ClockStepView], description: 'The events that moved the clock, in order.' }) steps: ClockStepView[];
}

export class ClockPage extends PageOf(ClockView) {}

export class BreachConversionView {
  @ApiProperty({ example: '2026-11' }) label: string;
  @ApiProperty({ example: 20 }) cohort: number;
  @ApiProperty({ example: 8 }) converted: number;
  @ApiProperty({ nullable: true, type: Number, example: 40 }) percent: number | null;
  @ApiProperty({ nullable: true, type: Number, example: 50 }) minimumPercent: number | null;
}

export class BreachView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: AGREEMENT_KINDS }) kind: AgreementKind;
  @ApiProperty({ format: 'uuid' }) agreementId: string;
  @ApiProperty() agreementName: string;
  @ApiProperty({ format: 'uuid' }) versionId: string;
  @ApiProperty({ nullable: true, type: String }) subject: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) clockId: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) quotaPeriodId: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) conversionPeriodId: string | null;
  @ApiProperty({ nullable: true, type: String, example: 'hot' }) targetName: string | null;
  @ApiProperty({ format: 'uuid', description: 'The owning department (the provider).' }) departmentId: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: "The owner of the agreement's funnel stage." }) ownerId: string | null;
  @ApiProperty({ format: 'date-time', description: 'Due time of the clock, end of the quota period, or when the conversion period closed (its last window passed).' }) dueAt: string;
  @ApiProperty({ format: 'date-time' }) detectedAt: string;
  @ApiProperty({ nullable: true, type: Number, description: 'How late, in working seconds (response breaches; up to now while the clock runs).' })
  lateSeconds: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'How many short of the minimum (quota breaches).' }) shortfall: number | null;
  @ApiProperty({ type: BreachConversionView, nullable: true, description: 'The missed period of a conversion breach: its cohort, conversions and minimum.' })
  conversion: BreachConversionView | null;
  @ApiProperty({
    description:
      'Owned by both departments (a conversion KPI): anyone in either may explain it, and a head of either other than its author reviews it; listed for either department.',
  })
  joint: boolean;
  @ApiProperty() explained: boolean;
  @ApiProperty({ nullable: true, type: String }) cause: string | null;
  @ApiProperty({ nullable: true, type: String }) correctiveAction: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) explainedAt: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) explainedBy: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) withdrawnAt: string | null;
  @ApiProperty({ format: 'uuid', description: 'The department the promise was made to: its head reviews the explanation.' }) consumerDepartmentId: string;
  @ApiProperty({
    enum: REVIEW_STATUSES,
    nullable: true,
    description: "The consumer head's review of the latest explanation: pending (awaiting it; an edit reopens it), accepted, disputed; null while unexplained.",
  })
  reviewStatus: ReviewStatus | null;
  @ApiProperty({ nullable: true, type: String, description: "The subject in the CRM, from the agreement version's subjectLink.", example: 'https://crm.example.com/leads/L-1042' })
  subjectUrl: string | null;
}

export class BreachPage extends PageOf(BreachView) {}

export class ReviewView {
  @ApiProperty({ enum: REVIEW_VERDICTS }) verdict: ReviewVerdict;
  @ApiProperty({ nullable: true, type: String }) comment: string | null;
  @ApiProperty({ format: 'uuid' }) reviewedBy: string;
  @ApiProperty({ format: 'date-time' }) reviewedAt: string;
}

export class ExplanationRevisionView {
  @ApiProperty({ description: '1 for the first explanation, 2 for its first edit…' }) revision: number;
  @ApiProperty() cause: string;
  @ApiProperty() correctiveAction: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) explainedBy: string | null;
  @ApiProperty({ format: 'date-time' }) explainedAt: string;
  @ApiProperty({ type: [ReviewView], description: "The consumer head's verdicts on this revision, oldest first." }) reviews: ReviewView[];
}

export class BreachDetailView extends BreachView {
  @ApiProperty({ type: [ExplanationRevisionView], description: 'Every revision of the explanation, oldest first, each with its reviews.' })
  history: ExplanationRevisionView[];
  @ApiProperty({ type: ReviewView, nullable: true, description: 'The latest verdict on the current revision (null while pending or unexplained).' })
  review: ReviewView | null;
}

/**
 * Every clock started in the window counts in exactly one of met, breached, running, paused and
 * cancelled, which add up to total; breachedOpen is the part of breached still open.
 */
export class ComplianceCountsView {
  @ApiProperty({ description: 'Clocks started in the window (quota and conversion: periods): met + breached + running + paused + cancelled.' }) total: number;
  @ApiProperty({ description: 'Stopped within the target (quota and conversion: periods that reached their minimum).' }) met: number;
  @ApiProperty({ description: 'Stopped late, cancelled after the due time, or past the due time and still open (quota: periods missed).' })
  breached: number;
  @ApiProperty({
    description: 'Of breached: past the due time and still open, running or paused — the leads nobody has answered yet (quota: always 0).',
    example: 24,
  })
  breachedOpen: number;
  @ApiProperty({ description: 'Open and not yet due (quota: the running period).' }) running: number;
  @ApiProperty({ description: 'Paused before they fell due.' }) paused: number;
  @ApiProperty({ description: 'Cancelled before they fell due: neither met nor breached (cancelled later, they count as breached).' })
  cancelled: number;
  @ApiProperty({ nullable: true, type: Number, description: 'met ÷ (met + breached) × 100.' }) metPercent: number | null;
  @ApiProperty({ nullable: true, type: Number, description: `Working seconds to stop, median. ${PERCENTILE_PRECISION}` }) medianSeconds: number | null;
  @ApiProperty({ nullable: true, type: Number, description: `Working seconds to stop, 90th percentile. ${PERCENTILE_PRECISION}` }) p90Seconds: number | null;
}

export class TargetComplianceView extends ComplianceCountsView {
  @ApiProperty({ example: 'hot' }) name: string;
}

export class QuotaPeriodView {
  @ApiProperty({ example: '2026-11' }) label: string;
  @ApiProperty({ format: 'date-time' }) start: string;
  @ApiProperty({ format: 'date-time' }) end: string;
  @ApiProperty() count: number;
  @ApiProperty() minimum: number;
  @ApiProperty({ enum: ['open', 'met', 'missed'] }) status: 'open' | 'met' | 'missed';
  @ApiProperty({ nullable: true, type: Number, description: 'Running period: the count it ends with at this pace.' }) projected: number | null;
  @ApiProperty({ nullable: true, type: Boolean }) onTrack: boolean | null;
  @ApiProperty({ nullable: true, type: String, example: 'at this pace: 170 of 200' }) pace: string | null;
}

export class ConversionPeriodView {
  @ApiProperty({ example: '2026-11' }) label: string;
  @ApiProperty({ format: 'date-time' }) start: string;
  @ApiProperty({ format: 'date-time' }) end: string;
  @ApiProperty({ example: 20, description: 'Subjects that entered the first stage in the period.' }) cohort: number;
  @ApiProperty({ example: 8, description: 'Of those, the ones that entered the second stage within the window of their own entry.' }) converted: number;
  @ApiProperty({ nullable: true, type: Number, example: 40, description: 'converted ÷ cohort × 100; null for an empty cohort.' }) percent: number | null;
  @ApiProperty({ example: 50 }) minimumPercent: number;
  @ApiProperty({
    enum: ['open', 'met', 'missed'],
    description: 'open until the period has ended and the window of its last subject has passed; then met (an empty cohort too) or missed.',
  })
  status: 'open' | 'met' | 'missed';
  @ApiProperty({
    nullable: true,
    type: Number,
    example: 45.5,
    description:
      'Open periods: the share expected if the subjects still inside their window convert at the rate seen so far among the decided ones ' +
      '(converted, or whose window passed); null while none is decided, for an empty cohort, and once closed.',
  })
  projected: number | null;
  @ApiProperty({ format: 'date-time', description: 'When the period closes (or closed): the later of its end and the end of its last subject\'s window.' })
  closesAt: string;
}

export class ComplianceView extends ComplianceCountsView {
  @ApiProperty({ format: 'uuid' }) agreementId: string;
  @ApiProperty({ enum: ['response', 'quota', 'conversion'] }) kind: 'response' | 'quota' | 'conversion';
  @ApiProperty({ format: 'date-time' }) from: string;
  @ApiProperty({ format: 'date-time' }) to: string;
  @ApiProperty({ description: 'The version whose terms were measured (replay) or that is in force (live).' }) version: number;
  @ApiProperty({ description: 'true for a replay: computed from stored events, nothing written.' }) replay: boolean;
  @ApiProperty({ nullable: true, type: Number }) goalPercent: number | null;
  @ApiProperty({ nullable: true, type: Boolean }) goalMet: boolean | null;
  @ApiProperty({ type: [TargetComplianceView], description: 'Response agreements: per target.' }) targets: TargetComplianceView[];
  @ApiProperty({ type: [QuotaPeriodView], description: 'Quota agreements: per period.' }) periods: QuotaPeriodView[];
  @ApiProperty({
    type: [ConversionPeriodView],
    description: 'Conversion agreements: per period (the counts above are periods then, as for a quota: met, breached = missed, running = open).',
  })
  conversionPeriods: ConversionPeriodView[];
}

/** A round of due work's counts; a job that failed this round (its error logged) leaves its counts out. */
export class SweepView {
  @ApiProperty() breached: number;
  @ApiProperty() warned: number;
  @ApiProperty() periodsClosed: number;
  @ApiProperty() periodsMissed: number;
  @ApiProperty() recomputed: number;
  @ApiProperty() escalated: number;
  @ApiProperty() quotasAtRisk: number;
  @ApiProperty({ description: 'Conversion periods closed: ended, and the window of their last subject passed.' }) conversionsClosed: number;
  @ApiProperty({ description: 'Of those, the ones below their minimum: a breach owned by both departments each.' }) conversionsMissed: number;
  @ApiProperty() reportsQueued: number;
  @ApiProperty() actionReminders: number;
  @ApiProperty({ description: 'Meeting series re-planned on a newer version of their calendar that no change had yet re-planned.' }) meetingSeriesReplanned: number;
}
