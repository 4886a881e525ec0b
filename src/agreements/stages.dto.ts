import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { IsInt, IsObject, IsOptional, IsString, IsUUID, Length, Max, Min, ValidateIf } from 'class-validator';
import { MAX_INTEGER, PageOf } from '../common/pagination.js';
import type { Department } from '../org/department.entity.js';
import type { Person } from '../org/person.entity.js';
import { type EventFilter, QUOTA_PERIODS, type QuotaPeriodKind, targetName } from './domain/agreement-terms.js';
import { AGREEMENT_KINDS, type AgreementKind } from './agreement.entity.js';
import type { AgreementVersion } from './agreement-version.entity.js';
import type { FunnelStage } from './funnel-stage.entity.js';

const ENTERED_ON_DESCRIPTION =
  'The event that enters a subject into this stage, an event filter like an agreement\'s: { "type": "lead.sql" }, optionally with ' +
  '"when": { "attribute": value or [values] }. A subject enters at the first matching event\'s occurredAt; the funnel report and ' +
  'conversion agreements count these entries. null: the stage is not counted. Conventional types: lead.mql, lead.accepted, ' +
  'lead.rejected (attribute reason), lead.sql, lead.won, lead.lost (attributes reason, competitor), lead.recycled.';

export class CreateStageDto {
  @ApiProperty({ example: 'SAL', description: 'Unique, whatever the capitals.' })
  @IsString()
  @Length(1, 60)
  name: string;

  @ApiPropertyOptional({ minimum: 1, description: '1 = first. Defaults to last; the stages from there on move down one.' })
  @ValidateIf((_object, value) => value !== undefined)
  @IsInt()
  @Min(1)
  @Max(MAX_INTEGER)
  position?: number;

  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String, description: 'The department that owns the stage.' })
  @IsOptional()
  @ValidateIf((_object, value) => value !== null)
  @IsUUID()
  departmentId?: string | null;

  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String, description: "A person of the stage's department." })
  @IsOptional()
  @ValidateIf((_object, value) => value !== null)
  @IsUUID()
  ownerId?: string | null;

  @ApiProperty({ example: 'Sales has reviewed the lead and agreed to work it.', description: 'What "done" means at this stage.' })
  @IsString()
  @Length(1, 2000)
  doneDefinition: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    example: { type: 'lead.sql' },
    description: ENTERED_ON_DESCRIPTION,
  })
  @IsOptional()
  @ValidateIf((_object, value) => value !== null)
  @IsObject()
  enteredOn?: EventFilter | null;
}

/** Every field optional; a field sent as null is checked (and refused) unless it may be null. */
export class UpdateStageDto extends PartialType(CreateStageDto, { skipNullProperties: false }) {}

export class StageDepartmentView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty() slug: string;

  static from(this: void, department: Department): StageDepartmentView {
    return { id: department.id, name: department.name, slug: department.slug };
  }
}

export class StageOwnerView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty() email: string;

  static from(this: void, person: Person): StageOwnerView {
    return { id: person.id, name: person.name, email: person.email };
  }
}

export class PromisedTargetView {
  @ApiProperty({ example: 'hot' }) name: string;
  @ApiProperty({ example: 'PT1H', description: 'ISO 8601 business duration.' }) within: string;
}

export class PromisedQuotaView {
  @ApiProperty({ enum: QUOTA_PERIODS }) period: QuotaPeriodKind;
  @ApiProperty({ example: 200 }) minimum: number;
}

/** What an agreement version in force promises about a stage. */
export class StagePromiseView {
  @ApiProperty({ format: 'uuid' }) agreementId: string;
  @ApiProperty({ format: 'uuid' }) versionId: string;
  @ApiProperty({ description: 'The version number.' }) version: number;
  @ApiProperty() name: string;
  @ApiProperty({ enum: AGREEMENT_KINDS }) kind: AgreementKind;
  @ApiProperty({ format: 'uuid' }) providerDepartmentId: string;
  @ApiProperty({ format: 'uuid' }) consumerDepartmentId: string;
  @ApiPropertyOptional({ example: 95, description: 'Response agreements only.' }) goalPercent?: number;
  @ApiPropertyOptional({ type: [PromisedTargetView], description: 'Response agreements only.' }) targets?: PromisedTargetView[];
  @ApiPropertyOptional({ type: PromisedQuotaView, description: 'Quota agreements only.' }) quota?: PromisedQuotaView;

  /** `version.agreement` must be loaded. */
  static from(this: void, version: AgreementVersion): StagePromiseView {
    const agreement = version.agreement!;
    const promise: StagePromiseView = {
      agreementId: agreement.id,
      versionId: version.id,
      version: version.number,
      name: version.name,
      kind: agreement.kind,
      providerDepartmentId: agreement.providerDepartmentId,
      consumerDepartmentId: agreement.consumerDepartmentId,
    };
    if (agreement.kind === 'response' && version.response) {
      promise.goalPercent = version.response.goalPercent;
      promise.targets = version.response.targets.map((target) => ({ name: targetName(target), within: target.within }));
    }
    if (agreement.kind === 'quota' && version.quota) {
      promise.quota = { period: version.quota.period, minimum: version.quota.minimum };
    }
    return promise;
  }
}

/** A stage with who owns it and what is promised about it, so one request answers both. */
export class StageView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ description: '1 = first.' }) position: number;
  @ApiProperty({ type: StageDepartmentView, nullable: true }) department: StageDepartmentView | null;
  @ApiProperty({ type: StageOwnerView, nullable: true }) owner: StageOwnerView | null;
  @ApiProperty() doneDefinition: string;
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true, example: { type: 'lead.sql' }, description: 'The event that enters a subject into this stage; null: not counted.' })
  enteredOn: EventFilter | null;
  @ApiProperty({ type: [StagePromiseView], description: 'Every agreement version in force that names this stage.' })
  promises: StagePromiseView[];
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;

  static from(
    this: void,
    stage: FunnelStage,
    department: Department | null,
    owner: Person | null,
    promises: StagePromiseView[],
  ): StageView {
    return {
      id: stage.id,
      name: stage.name,
      position: stage.position,
      department: department && StageDepartmentView.from(department),
      owner: owner && StageOwnerView.from(owner),
      doneDefinition: stage.doneDefinition,
      enteredOn: stage.enteredOn,
      promises,
      createdAt: stage.createdAt.toISOString(),
      updatedAt: stage.updatedAt.toISOString(),
    };
  }
}

export class StagePage extends PageOf(StageView) {}
