import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsObject, IsOptional, IsString, IsUUID, Length, ValidateIf } from 'class-validator';
import { IsInstant } from '../common/instant.validator.js';
import { PageOf, PageQuery } from '../common/pagination.js';
import type { ConversionTerms, QuotaTerms, ResponseTerms } from './domain/agreement-terms.js';
import type { AgreementApproval } from './agreement-approval.entity.js';
import type { AgreementVersion, VersionStatus } from './agreement-version.entity.js';
import { AGREEMENT_KINDS, AGREEMENT_STATUSES, type Agreement, type AgreementKind, type AgreementStatus } from './agreement.entity.js';

/** The response example of the issue and of the API documentation; the end-to-end tests send it as written. */
export const RESPONSE_EXAMPLE = {
  startOn: { type: 'lead.handed_over' },
  stopOn: { type: 'lead.contacted' },
  pauseOn: { type: 'lead.on_hold' },
  resumeOn: { type: 'lead.resumed' },
  cancelOn: { type: 'lead.disqualified' },
  targets: [
    { when: { score: 'hot' }, within: 'PT1H' },
    { when: { score: 'warm' }, within: 'PT4H' },
    { within: 'P2D' },
  ],
  goalPercent: 95,
  warnAtPercent: 80,
};

/** The quota example of the issue and of the API documentation. */
export const QUOTA_EXAMPLE = { countOn: { type: 'lead.mql', when: { region: 'EU' } }, period: 'month', minimum: 200 };

/**
 * The conversion example of the issue and of the API documentation: MQLs become SQLs. The stage
 * ids are placeholders (those of a funnel's MQL and SQL stages go there); tests fill them in.
 */
export const CONVERSION_EXAMPLE = {
  fromStageId: '0193a1c4-0000-7000-8000-00000000002a',
  toStageId: '0193a1c4-0000-7000-8000-00000000004a',
  within: 'P10D',
  period: 'month',
  minimumPercent: 50,
};

const RESPONSE_DESCRIPTION =
  'A clock per subject: starts on `startOn`, stops on `stopOn`, may pause on `pauseOn` and resume on `resumeOn`. ' +
  'An optional `cancelOn` (a lead disqualified, a brief cancelled) abandons an open clock: it counts neither met nor breached ' +
  'and is never reported late, unless it had already passed its due time (then it stays breached); it must differ from `startOn` and `stopOn`. ' +
  'The first target whose `when` matches the starting event applies (`when`: attribute equality, or a list meaning any of); ' +
  '`within` counts business time on the calendar (PT1H: one working hour; P2D: two business days).';
const QUOTA_DESCRIPTION = 'Counts events matching `countOn` per week, month or quarter (cut in the calendar time zone) against a minimum.';
const CONVERSION_DESCRIPTION =
  'A KPI both departments share: of the subjects entering funnel stage `fromStageId` in each week, month or quarter (cut in the calendar ' +
  'time zone), at least `minimumPercent` (0–100) enter `toStageId` within `within` business time of their own entry (P10D: ten business days ' +
  'on the calendar). Both stages must be entered by an event (`enteredOn`), and `toStageId` must come after `fromStageId` in the funnel. ' +
  'A period closes once it has ended and the window of its last subject has passed: met, or missed — a breach owned by both departments.';

const MEASURE_FROM_DESCRIPTION =
  'Measure the events already stored from this instant (with its offset) rather than from the approval: once both heads approve, ' +
  'clocks and quota periods are built from the events since then, as live ingestion would have built them. At most 400 days before ' +
  'the approval, not in the future; only for the first version an agreement has in force (a later version measures from its approval).';

/** `subjectLink` in a draft and in a change alike: a template, or null for none (checked fully by the service). */
function IsSubjectLinkTemplate(): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({
      nullable: true,
      type: String,
      example: 'https://crm.example.com/leads/{subject}',
      description: 'Link to the subject in the CRM, for breach alerts and pages: an http(s) URL containing `{subject}`, filled with the URL-encoded subject id.',
    }),
    IsOptional(),
    ValidateIf((_object, value) => value !== null),
    IsString(),
  );
}

/** The terms are checked by the tracking domain, which names each faulty entry (e.g. `response.targets[0].within`). */
export class CreateAgreementDto {
  @ApiProperty({ example: 'Hot leads are called fast' })
  @IsString()
  @Length(1, 120)
  name: string;

  @ApiProperty({ format: 'uuid', description: 'The department that makes the promise.' })
  @IsUUID()
  providerDepartmentId: string;

  @ApiProperty({ format: 'uuid', description: 'The department the promise is made to.' })
  @IsUUID()
  consumerDepartmentId: string;

  @ApiProperty({ format: 'uuid', description: 'Business calendar the durations and periods are measured on.' })
  @IsUUID()
  calendarId: string;

  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String, description: 'The funnel stage this agreement governs.' })
  @IsOptional()
  @ValidateIf((_object, value) => value !== null)
  @IsUUID()
  stageId?: string | null;

  @IsSubjectLinkTemplate()
  subjectLink?: string | null;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, example: RESPONSE_EXAMPLE, description: RESPONSE_DESCRIPTION })
  @IsOptional()
  @IsObject()
  response?: ResponseTerms;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, example: QUOTA_EXAMPLE, description: QUOTA_DESCRIPTION })
  @IsOptional()
  @IsObject()
  quota?: QuotaTerms;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, example: CONVERSION_EXAMPLE, description: `${CONVERSION_DESCRIPTION} Give exactly one of response, quota and conversion.` })
  @IsOptional()
  @IsObject()
  conversion?: ConversionTerms;

  @ApiPropertyOptional({ format: 'date-time', example: '2026-11-01T00:00:00+01:00', description: MEASURE_FROM_DESCRIPTION })
  @IsOptional()
  @IsInstant()
  measureFrom?: string;
}

/** A change: to a pending version it applies in place; to one in force it opens a new draft version. */
export class UpdateAgreementDto {
  @ApiPropertyOptional()
  @ValidateIf((_object, value) => value !== undefined)
  @IsString()
  @Length(1, 120)
  name?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @ValidateIf((_object, value) => value !== undefined)
  @IsUUID()
  calendarId?: string;

  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String })
  @IsOptional()
  @ValidateIf((_object, value) => value !== null)
  @IsUUID()
  stageId?: string | null;

  @IsSubjectLinkTemplate()
  subjectLink?: string | null;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, example: RESPONSE_EXAMPLE })
  @ValidateIf((_object, value) => value !== undefined)
  @IsObject()
  response?: ResponseTerms;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, example: QUOTA_EXAMPLE })
  @ValidateIf((_object, value) => value !== undefined)
  @IsObject()
  quota?: QuotaTerms;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, example: CONVERSION_EXAMPLE, description: 'A conversion agreement\'s new terms (its period cannot change once measured).' })
  @ValidateIf((_object, value) => value !== undefined)
  @IsObject()
  conversion?: ConversionTerms;

  @ApiPropertyOptional({ format: 'date-time', nullable: true, type: String, description: `${MEASURE_FROM_DESCRIPTION} null: from the approval.` })
  @IsOptional()
  @ValidateIf((_object, value) => value !== null)
  @IsInstant()
  measureFrom?: string | null;
}

export class DecisionDto {
  @ApiPropertyOptional({ example: 'Agreed at the November meeting.', description: 'Required when rejecting.' })
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  comment?: string;
}

export class RejectionDto {
  @ApiProperty({ example: 'One hour is not realistic on Mondays; make it two.' })
  @IsString()
  @Length(1, 2000)
  comment: string;
}

export class AgreementsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: AGREEMENT_STATUSES })
  @IsOptional()
  @IsIn(AGREEMENT_STATUSES)
  status?: AgreementStatus;

  @ApiPropertyOptional({ enum: AGREEMENT_KINDS })
  @IsOptional()
  @IsIn(AGREEMENT_KINDS)
  kind?: AgreementKind;

  @ApiPropertyOptional({ format: 'uuid', description: 'Agreements where this department is provider or consumer.' })
  @IsOptional()
  @IsUUID()
  departmentId?: string;
}

export class ApprovalView {
  @ApiProperty({ format: 'uuid' }) personId: string;
  @ApiProperty({ format: 'uuid' }) departmentId: string;
  @ApiProperty({ enum: ['approve', 'reject'] }) decision: 'approve' | 'reject';
  @ApiProperty({ nullable: true, type: String }) comment: string | null;
  @ApiProperty({ format: 'date-time' }) at: string;
  @ApiProperty({ description: 'Which proposal of the version this decision was about.' }) proposalRound: number;

  static from(this: void, approval: AgreementApproval): ApprovalView {
    return {
      personId: approval.personId,
      departmentId: approval.departmentId,
      decision: approval.decision,
      comment: approval.comment,
      at: approval.at.toISOString(),
      proposalRound: approval.proposalRound,
    };
  }
}

export class VersionView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() number: number;
  @ApiProperty({ enum: ['draft', 'proposed', 'active', 'superseded', 'retired'] }) status: VersionStatus;
  @ApiProperty() name: string;
  @ApiProperty({ format: 'uuid' }) calendarId: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) stageId: string | null;
  @ApiProperty({ nullable: true, type: String, example: 'https://crm.example.com/leads/{subject}' }) subjectLink: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true, example: RESPONSE_EXAMPLE }) response: ResponseTerms | null;
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true, example: QUOTA_EXAMPLE }) quota: QuotaTerms | null;
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true, example: CONVERSION_EXAMPLE }) conversion: ConversionTerms | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) createdBy: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) proposedAt: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'In force from…' }) activeFrom: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: '…until (exclusive).' }) activeUntil: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'Measures the stored events from this instant, before its approval.' })
  measureFrom: string | null;
  @ApiProperty({ type: [ApprovalView] }) approvals: ApprovalView[];
  @ApiProperty({ type: [String], description: 'Departments whose head has not yet approved the current proposal.' })
  awaitingDepartmentIds: string[];

  static from(this: void, version: AgreementVersion, approvals: AgreementApproval[], awaiting: string[]): VersionView {
    return {
      id: version.id,
      number: version.number,
      status: version.status,
      name: version.name,
      calendarId: version.calendarId,
      stageId: version.stageId,
      subjectLink: version.subjectLink,
      response: version.response,
      quota: version.quota,
      conversion: version.conversion,
      createdBy: version.createdBy,
      createdAt: version.createdAt.toISOString(),
      proposedAt: version.proposedAt?.toISOString() ?? null,
      activeFrom: version.activeFrom?.toISOString() ?? null,
      activeUntil: version.activeUntil?.toISOString() ?? null,
      measureFrom: version.measureFrom?.toISOString() ?? null,
      approvals: approvals.map(ApprovalView.from),
      awaitingDepartmentIds: awaiting,
    };
  }
}

export class AgreementView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: AGREEMENT_KINDS }) kind: AgreementKind;
  @ApiProperty({ enum: AGREEMENT_STATUSES }) status: AgreementStatus;
  @ApiProperty({ description: 'Name of the version in force, or of the pending one.' }) name: string;
  @ApiProperty({ format: 'uuid' }) providerDepartmentId: string;
  @ApiProperty({ format: 'uuid' }) consumerDepartmentId: string;
  @ApiProperty({ type: VersionView, nullable: true, description: 'The version in force.' }) inForce: VersionView | null;
  @ApiProperty({ type: VersionView, nullable: true, description: 'A draft or proposed version awaiting approval.' })
  pending: VersionView | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
  @ApiPropertyOptional({
    type: [String],
    description: 'GET /api/agreements/:id only: the event types the version in force or the pending one names that no stored event has (a typo, or nothing sent yet).',
  })
  unseenTypes?: string[];

  static from(this: void, agreement: Agreement, inForce: VersionView | null, pending: VersionView | null, latest: VersionView): AgreementView {
    return {
      id: agreement.id,
      kind: agreement.kind,
      status: agreement.status,
      name: (inForce ?? pending ?? latest).name,
      providerDepartmentId: agreement.providerDepartmentId,
      consumerDepartmentId: agreement.consumerDepartmentId,
      inForce,
      pending,
      createdAt: agreement.createdAt.toISOString(),
      updatedAt: agreement.updatedAt.toISOString(),
    };
  }
}

export class AgreementPage extends PageOf(AgreementView) {}
