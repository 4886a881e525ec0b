import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { ConversionPeriodView, QuotaPeriodView, TargetComplianceView, WindowQuery } from '../tracking/tracking.dto.js';
import { AttendanceReport } from './attendance-report.service.js';

export const REPORT_FORMATS = ['html', 'text', 'csv', 'json'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/**
 * The window of the compliance figures (`to` exclusive; the previous period is as long and ends at
 * `from`). That `to` comes after `from` is checked by the service, which the email reports call too.
 */
export class BreachReportQuery extends WindowQuery {
  @ApiPropertyOptional({ format: 'uuid', description: 'Only the agreements this department provides or consumes.' })
  @IsOptional()
  @IsUUID()
  departmentId?: string;

  @ApiPropertyOptional({ enum: REPORT_FORMATS, default: 'html', description: 'html (the emailed report), text (its plain-text part), csv (one row per breach) or json.' })
  @IsOptional()
  @IsIn(REPORT_FORMATS)
  format: ReportFormat = 'html';
}

export class DepartmentRef {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
}

export class ReportWindow {
  @ApiProperty({ format: 'date-time' }) from: string;
  @ApiProperty({ format: 'date-time', description: 'Exclusive.' }) to: string;
}

export class OwnerRef {
  @ApiProperty({ enum: ['person', 'department'], description: "The stage owner, or the provider department when the agreement's stage names none." })
  kind: 'person' | 'department';
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
}

export class ReportHeadline {
  @ApiProperty({ description: 'Agreements in force at any time in the period.' }) agreementsInForce: number;
  @ApiProperty({ description: 'Response agreements at or above their goal; quotas and shared KPIs with every period decided in the report met.' }) metGoal: number;
  @ApiProperty() missedGoal: number;
  @ApiProperty({ description: 'Nothing decided yet in the period (no clock stopped or overdue, no quota or conversion period closed).' }) undecided: number;
  @ApiProperty({ description: 'Breaches due in the period (withdrawn ones left out).' }) breaches: number;
  @ApiProperty({ description: 'Breaches of the same agreements due in the previous period.' }) previousBreaches: number;
  @ApiProperty() unexplained: number;
}

class AgreementFigures {
  @ApiProperty({ format: 'uuid' }) agreementId: string;
  @ApiProperty() name: string;
  @ApiProperty({ type: DepartmentRef }) provider: DepartmentRef;
  @ApiProperty({ type: DepartmentRef }) consumer: DepartmentRef;
  @ApiProperty({ nullable: true, type: Number, description: 'Response: clocks met ÷ decided; quota and conversion: periods met ÷ closed.' }) metPercent: number | null;
  @ApiProperty({ nullable: true, type: Number }) previousMetPercent: number | null;
  @ApiProperty({ nullable: true, type: Boolean }) goalMet: boolean | null;
  @ApiProperty({ description: 'Breaches due in the period.' }) breaches: number;
  @ApiProperty() previousBreaches: number;
}

export class ResponseFigures extends AgreementFigures {
  @ApiProperty() goalPercent: number;
  @ApiProperty({ description: 'Clocks started in the period: met + breached + running + paused + cancelled, each clock in one of them.' }) total: number;
  @ApiProperty() met: number;
  @ApiProperty({ description: 'Clocks started in the period that were breached (the breaches by target add up to it), still open ones included.' })
  breached: number;
  @ApiProperty({ description: 'Of breached: past the due time and still open, running or paused.' }) breachedOpen: number;
  @ApiProperty({ description: 'Open and not yet due.' }) running: number;
  @ApiProperty({ description: 'Paused before they fell due.' }) paused: number;
  @ApiProperty({ description: 'Clocks started in the period and cancelled before they fell due: neither met nor breached.' }) cancelled: number;
  @ApiProperty({ nullable: true, type: Number }) medianSeconds: number | null;
  @ApiProperty({ nullable: true, type: Number }) p90Seconds: number | null;
  @ApiProperty({ type: [TargetComplianceView] }) targets: TargetComplianceView[];
}

export class QuotaFigures extends AgreementFigures {
  @ApiProperty({ type: [QuotaPeriodView], description: 'The periods overlapping the report period, the running one with its pace.' })
  periods: QuotaPeriodView[];
}

export class SharedKpiFigures extends AgreementFigures {
  @ApiProperty({ example: 'MQL', description: 'The stage whose entrants make a period\'s cohort.' }) fromStage: string;
  @ApiProperty({ example: 'SQL', description: 'The stage they should reach within the window.' }) toStage: string;
  @ApiProperty({ example: 'MQL → SQL within 10 business days, ≥ 50 % a month', description: 'The terms of the version in force, as heads read them.' }) terms: string;
  @ApiProperty({
    type: [ConversionPeriodView],
    description:
      'The periods overlapping the report period, and the earlier ones decided in it (a period closes once the window of its last subject has passed: ' +
      'November is decided in December), in period order; an open one with its projection.',
  })
  periods: ConversionPeriodView[];
}

export class BreachLineConversion {
  @ApiProperty({ example: '2026-11' }) label: string;
  @ApiProperty({ example: 'November 2026' }) periodName: string;
  @ApiProperty({ example: 'MQL' }) fromStage: string;
  @ApiProperty({ example: 'SQL' }) toStage: string;
  @ApiProperty({ example: 20 }) cohort: number;
  @ApiProperty({ example: 8 }) converted: number;
  @ApiProperty({ nullable: true, type: Number, example: 40 }) percent: number | null;
  @ApiProperty({ nullable: true, type: Number, example: 50 }) minimumPercent: number | null;
}

export class BreachLine {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) agreementId: string;
  @ApiProperty() agreementName: string;
  @ApiProperty({ enum: ['response', 'quota', 'conversion'] }) kind: 'response' | 'quota' | 'conversion';
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'The lead; for a quota, the period; for a conversion KPI, the period and its figures ("MQL → SQL, November 2026: 8 of 20 (40 %), minimum 50 %").',
  })
  subject: string | null;
  @ApiProperty({ nullable: true, type: String, example: '2026-11', description: 'The period a quota or conversion breach is about; null for a response breach.' })
  period: string | null;
  @ApiProperty({ nullable: true, type: String }) targetName: string | null;
  @ApiProperty({ type: OwnerRef }) owner: OwnerRef;
  @ApiProperty({ type: DepartmentRef, description: 'The owning (provider) department.' }) department: DepartmentRef;
  @ApiProperty({ format: 'date-time' }) dueAt: string;
  @ApiProperty({ nullable: true, type: Number, description: 'Working seconds late (up to now while the clock runs).' }) lateSeconds: number | null;
  @ApiProperty({
    nullable: true,
    type: Boolean,
    description: 'Response breaches: the clock is still open past its due time, running or paused (counted in breachedOpen); null for a quota or conversion.',
  })
  stillOpen: boolean | null;
  @ApiProperty({ nullable: true, type: Number, description: 'How many short of the minimum: events for a quota, conversions for a conversion KPI.' }) shortfall: number | null;
  @ApiProperty({ type: BreachLineConversion, nullable: true, description: 'A conversion breach: the missed period and its figures.' }) conversion: BreachLineConversion | null;
  @ApiProperty() explained: boolean;
  @ApiProperty({ nullable: true, type: String }) cause: string | null;
  @ApiProperty({ nullable: true, type: String }) correctiveAction: string | null;
}

export class Offender {
  @ApiProperty({ type: OwnerRef }) owner: OwnerRef;
  @ApiProperty() breaches: number;
  @ApiProperty() unexplained: number;
}

export class BreachReport {
  @ApiProperty({ format: 'date-time' }) generatedAt: string;
  @ApiProperty({ example: 'Europe/Paris', description: "The reader's time zone, in which the templates show times." }) timezone: string;
  @ApiProperty({ type: DepartmentRef, nullable: true }) department: DepartmentRef | null;
  @ApiProperty({ type: ReportWindow }) period: ReportWindow;
  @ApiProperty({ type: ReportWindow, description: 'As long as the period, ending where it starts.' }) previousPeriod: ReportWindow;
  @ApiProperty({ type: ReportHeadline }) headline: ReportHeadline;
  @ApiProperty({ type: [ResponseFigures] }) responses: ResponseFigures[];
  @ApiProperty({ type: [QuotaFigures] }) quotas: QuotaFigures[];
  @ApiProperty({ type: [SharedKpiFigures], description: 'Shared KPIs: the conversion agreements, which both departments own.' }) conversions: SharedKpiFigures[];
  @ApiProperty({ type: [BreachLine], description: 'Due first to last.' }) breaches: BreachLine[];
  @ApiProperty({ type: [Offender], description: 'Most breaches first, then most unexplained.' }) offenders: Offender[];
  @ApiProperty({ type: AttendanceReport, description: 'Attendance of the joint meetings held in the period.' }) attendance: AttendanceReport;
}
