import { Injectable } from '@nestjs/common';
import type { AgreementView, VersionView } from '../../agreements/agreements.dto.js';
import { StagesService } from '../../agreements/stages.service.js';
import type { Actor } from '../../access/actor.js';
import { isAdmin, isHeadOf } from '../../access/permissions.js';
import { CalendarsService } from '../../calendars/calendars.service.js';
import { DueQuery } from '../../calendars/calendars.dto.js';
import { Clock } from '../../common/clock.js';
import { DomainError } from '../../common/errors.js';
import { allPages } from '../all-pages.js';
import { DepartmentsService } from '../../org/departments.service.js';
import { PeopleService } from '../../org/people.service.js';
import { formatMatch } from './agreement-form.js';
import { targetName, type EventFilter } from '../../agreements/domain/agreement-terms.js';
import { validated } from '../forms.js';

export interface Option {
  value: string;
  label: string;
}

export const STATUS_LABELS: Record<string, { label: string; badge: string }> = {
  draft: { label: 'Draft', badge: '' },
  proposed: { label: 'Proposed', badge: 'warn' },
  active: { label: 'In force', badge: 'good' },
  superseded: { label: 'Superseded', badge: '' },
  retired: { label: 'Retired', badge: '' },
};

export const KIND_LABELS: Record<string, string> = { response: 'Response time', quota: 'Quota' };

const FILTER_LABELS: Record<string, string> = {
  startOn: 'Starts on',
  stopOn: 'Stops on',
  pauseOn: 'Pauses on',
  resumeOn: 'Resumes on',
  cancelOn: 'Cancelled on',
};

/** Names of the things agreements refer to by id, looked up once per page. */
export interface Names {
  department(id: string | null): string;
  calendar(id: string | null): string;
  stage(id: string | null): string | null;
}

/**
 * What the agreement pages show besides the agreement itself: the names behind ids, the choices
 * of the editor's selects, due-time previews, and who may do what (for showing buttons only: the
 * services decide).
 */
@Injectable()
export class AgreementPageData {
  constructor(
    private readonly departments: DepartmentsService,
    private readonly calendars: CalendarsService,
    private readonly stages: StagesService,
    private readonly people: PeopleService,
    private readonly clock: Clock,
  ) {}

  now(): Date {
    return this.clock.now();
  }

  async options(): Promise<{ departments: Option[]; calendars: Option[]; stages: Option[] }> {
    const [departments, calendars, stages] = await Promise.all([
      allPages((window) => this.departments.list(window)),
      allPages((window) => this.calendars.list(window)),
      allPages((window) => this.stages.list(window)),
    ]);
    return {
      departments: departments.map((department) => ({ value: department.id, label: department.name })),
      calendars: calendars.map((calendar) => ({ value: calendar.id, label: `${calendar.name} (${calendar.timezone})` })),
      stages: stages.map((stage) => ({ value: stage.id, label: `${stage.position}. ${stage.name}` })),
    };
  }

  async names(): Promise<Names> {
    const { departments, calendars, stages } = await this.options();
    const lookup = (options: Option[]) => new Map(options.map((option) => [option.value, option.label]));
    const [department, calendar, stage] = [lookup(departments), lookup(calendars), lookup(stages)];
    return {
      department: (id) => (id ? (department.get(id) ?? id) : '–'),
      calendar: (id) => (id ? (calendar.get(id) ?? id) : '–'),
      stage: (id) => (id ? (stage.get(id) ?? id) : null),
    };
  }

  async personNames(ids: string[]): Promise<Map<string, string>> {
    const names = new Map<string, string>();
    for (const id of new Set(ids)) {
      try {
        names.set(id, (await this.people.get(id)).name);
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        names.set(id, 'a former member');
      }
    }
    return names;
  }

  /** When a clock started now on a calendar would fall due, or null when the duration or calendar does not allow saying. */
  async dueNow(calendarId: string, within: string): Promise<string | null> {
    if (!calendarId || !within) return null;
    try {
      return (await this.calendars.due(calendarId, await validated(DueQuery, { from: this.clock.now().toISOString(), duration: within }))).due;
    } catch (error) {
      if (error instanceof DomainError) return null;
      throw error;
    }
  }

  /** The time zone of a calendar chosen in the editor, or `fallback` when none (or none such) is chosen. */
  async calendarZone(calendarId: string, fallback: string): Promise<string> {
    if (!calendarId) return fallback;
    try {
      return (await this.calendars.get(calendarId)).timezone;
    } catch (error) {
      if (error instanceof DomainError) return fallback;
      throw error;
    }
  }

  async due(calendarId: string, within: string): Promise<string> {
    return (await this.calendars.due(calendarId, await validated(DueQuery, { from: this.clock.now().toISOString(), duration: within }))).due;
  }

  /** Display only: the services check again and refuse with a ForbiddenError. */
  can(actor: Actor, agreement: AgreementView) {
    const party = [agreement.providerDepartmentId, agreement.consumerDepartmentId].find((department) => isHeadOf(actor, department)) ?? null;
    const change = agreement.status !== 'retired' && (isAdmin(actor) || party !== null);
    const pending = agreement.pending;
    const decide = pending?.status === 'proposed' && party !== null;
    return {
      change,
      propose: change && pending?.status === 'draft',
      decide,
      approve: decide && !!pending && pending.awaitingDepartmentIds.includes(party as string),
    };
  }

  canDraft(actor: Actor): boolean {
    return isAdmin(actor) || actor.role === 'head';
  }

  /** A version's terms as the pages show them, with the due time of each target if a lead arrived now. */
  async versionBlock(version: VersionView, names: Names, people: Map<string, string>) {
    const response = version.response;
    const status = STATUS_LABELS[version.status] ?? { label: version.status, badge: '' };
    // `condition` rather than `when`: in a template `{{when}}` would call the date helper of that name.
    const filter = (label: string, value: EventFilter | undefined) => (value ? { label, type: value.type, condition: formatMatch(value.when) || null } : null);
    return {
      id: version.id,
      number: version.number,
      status: version.status,
      statusLabel: status.label,
      statusBadge: status.badge,
      name: version.name,
      calendar: names.calendar(version.calendarId),
      stage: names.stage(version.stageId),
      createdAt: version.createdAt,
      proposedAt: version.proposedAt,
      activeFrom: version.activeFrom,
      activeUntil: version.activeUntil,
      measureFrom: version.measureFrom,
      response: response
        ? {
            events: Object.entries(FILTER_LABELS)
              .map(([key, label]) => filter(label, (response as unknown as Record<string, EventFilter | undefined>)[key]))
              .filter((row) => row !== null),
            targets: await Promise.all(
              response.targets.map(async (target) => ({
                name: targetName(target),
                condition: formatMatch(target.when) || null,
                within: target.within,
                dueNow: await this.dueNow(version.calendarId, target.within),
              })),
            ),
            goalPercent: response.goalPercent,
            warnAtPercent: response.warnAtPercent ?? null,
          }
        : null,
      quota: version.quota
        ? { countOn: version.quota.countOn.type, condition: formatMatch(version.quota.countOn.when) || null, period: version.quota.period, minimum: version.quota.minimum }
        : null,
      approvals: version.approvals.map((approval) => ({
        department: names.department(approval.departmentId),
        person: people.get(approval.personId) ?? 'someone',
        approved: approval.decision === 'approve',
        comment: approval.comment,
        at: approval.at,
        round: approval.proposalRound,
      })),
      awaiting: version.awaitingDepartmentIds.map((id) => names.department(id)),
    };
  }
}
