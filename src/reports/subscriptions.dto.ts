import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsIn, IsString, IsUUID, Length } from 'class-validator';
import { IsOptionalNotNull } from '../common/validation.js';
import { PageOf } from '../common/pagination.js';
import type { Subscription } from './subscription.entity.js';

/** breaches: the breach report; funnel: the funnel by source of the leads that entered it since the previous occurrence. */
export const REPORTS = ['breaches', 'funnel'] as const;
export type ReportKind = (typeof REPORTS)[number];

export class CreateSubscriptionDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Who receives it; yourself by default.' })
  @IsOptionalNotNull()
  @IsUUID()
  personId?: string;

  @ApiProperty({ enum: REPORTS, example: 'breaches', description: 'breaches: the breach report; funnel: the funnel report by source (GET /api/reports/funnel?by=source) of the cohort since the previous occurrence.' })
  @IsIn(REPORTS)
  report: ReportKind;

  @ApiProperty({
    example: 'every Monday 08:00',
    description: 'In the recipient\'s time zone: "every Monday 08:00", "every weekday 07:30", "every day 18:00", "every month on day 1 09:00".',
  })
  @IsString()
  @Length(1, 100)
  schedule: string;

  @ApiPropertyOptional({ type: [String], description: 'Departments the breach report covers (provider or consumer); all when empty. The funnel is the whole organisation\'s: none may be named.' })
  @IsOptionalNotNull()
  @IsArray()
  @ArrayMaxSize(50)
  @IsUUID('all', { each: true })
  departmentIds?: string[];
}

export class UpdateSubscriptionDto extends PartialType(CreateSubscriptionDto, { skipNullProperties: false }) {}

export class SubscriptionView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) personId: string;
  @ApiProperty({ enum: REPORTS }) report: string;
  @ApiProperty() schedule: string;
  @ApiProperty({ type: [String] }) departmentIds: string[];
  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'The next time it is sent.' }) nextAt: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;

  static from(this: void, subscription: Subscription, nextAt: number | null): SubscriptionView {
    return {
      id: subscription.id,
      personId: subscription.personId,
      report: subscription.report,
      schedule: subscription.schedule,
      departmentIds: subscription.departmentIds,
      nextAt: nextAt === null ? null : new Date(nextAt).toISOString(),
      createdAt: subscription.createdAt.toISOString(),
      updatedAt: subscription.updatedAt.toISOString(),
    };
  }
}

export class SubscriptionPage extends PageOf(SubscriptionView) {}
