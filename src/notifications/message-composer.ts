import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AgreementVersion } from '../agreements/agreement-version.entity.js';
import { Agreement } from '../agreements/agreement.entity.js';
import { describeBusinessDuration } from '../calendars/business-time/index.js';
import { CalendarsService } from '../calendars/calendars.service.js';
import { Clock } from '../common/clock.js';
import { inZone } from '../common/instant-format.js';
import { type Recipient, RecipientDirectory } from '../common/recipient.js';
import { subjectUrl } from '../common/subject-link.js';
import { AppConfig } from '../config/app-config.js';
import { EventRecord, type EventAttributes } from '../events/event.entity.js';
import { MeetingOutcome } from '../meetings/meeting-records.entity.js';
import { MeetingSeries } from '../meetings/meeting-series.entity.js';
import { Department } from '../org/department.entity.js';
import { Person } from '../org/person.entity.js';
import { Breach } from '../tracking/breach.entity.js';
import { QuotaPeriod } from '../tracking/quota-period.entity.js';
import { lateSecondsOf } from '../tracking/clock-lateness.js';
import { latenessPhrase, type LatenessState } from '../tracking/domain/lateness.js';
import { SlaClock } from '../tracking/sla-clock.entity.js';
import type { Notification, NotificationAttachment, NotificationKind } from './notification.entity.js';
import { TemplateRenderer } from './template-renderer.js';

export type { Recipient } from '../common/recipient.js';

const MAX_ATTRIBUTES = 12;
const MAX_ATTRIBUTE_TEXT = 200;

/** "hot: 1 working hour": the target the clock ran against, as the version states it. */
function targetLabel(clock: SlaClock, version: AgreementVersion): string {
  const within = version.response?.targets[clock.targetIndex]?.within;
  return within ? `${clock.targetName}: ${describeBusinessDuration(within)}` : clock.targetName;
}

/** The starting event's attributes (score, source…), as name/value lines of bounded length. */
function attributeLines(attributes: EventAttributes): { name: string; value: string }[] {
  return Object.entries(attributes ?? {})
    .filter(([, value]) => value !== null && value !== undefined && value !== '')
    .slice(0, MAX_ATTRIBUTES)
    .map(([name, value]) => ({ name: name.slice(0, MAX_ATTRIBUTE_TEXT), value: String(value).slice(0, MAX_ATTRIBUTE_TEXT) }));
}

function latenessState(clock: SlaClock): LatenessState {
  if (clock.state === 'stopped') return 'stopped';
  return clock.state === 'cancelled' ? 'cancelled' : 'open';
}

/** What a message says, composed for its recipient. */
export interface ComposedMessage {
  subject: string;
  html: string;
  text: string;
  attachments?: NotificationAttachment[];
}

/** Composes one kind of message, or answers null when its fact no longer warrants it. */
export type Composer = (manager: EntityManager, notification: Notification, recipient: Recipient) => Promise<ComposedMessage | null>;

/**
 * Turns an outbox row into a message when it is first dispatched, from the current facts and the
 * templates: a breach withdrawn or explained before its message leaves is not announced. Other
 * modules (reports, meetings) register composers for their own kinds.
 */
@Injectable()
export class MessageComposer {
  private readonly composers = new Map<NotificationKind, Composer>();

  constructor(
    private readonly renderer: TemplateRenderer,
    private readonly calendars: CalendarsService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly recipients: RecipientDirectory,
  ) {
    this.register('breach-alert', (m, n, r) => this.breachAlert(m, n, r));
    this.register('at-risk', (m, n, r) => this.atRisk(m, n, r));
    this.register('escalation', (m, n, r) => this.escalation(m, n, r));
    this.register('quota-at-risk', (m, n, r) => this.quotaAtRisk(m, n, r));
    this.register('history-measured', (m, n, r) => this.historyMeasured(m, n, r));
    this.register('action-reminder', (m, n, r) => this.action(m, n, r, false));
    this.register('action-overdue', (m, n, r) => this.action(m, n, r, true));
  }

  register(kind: NotificationKind, composer: Composer): void {
    this.composers.set(kind, composer);
  }

  async compose(manager: EntityManager, notification: Notification): Promise<ComposedMessage | null> {
    const composer = this.composers.get(notification.kind);
    if (!composer) throw new Error(`no composer for ${notification.kind} messages`);
    const person = notification.recipientId ? await this.recipients.find(manager, notification.recipientId) : null;
    const recipient: Recipient = person ?? { name: notification.recipientEmail, email: notification.recipientEmail, timezone: 'UTC' };
    return composer(manager, notification, recipient);
  }

  /** Renders templates/emails/<name>.html and .text with one context. */
  renderPair(name: string, context: object): { html: string; text: string } {
    return { html: this.renderer.render(`emails/${name}.html`, context), text: this.renderer.render(`emails/${name}.text`, context) };
  }

  private async breachAlert(manager: EntityManager, notification: Notification, recipient: Recipient): Promise<ComposedMessage | null> {
    const facts = await this.breachFacts(manager, notification.referenceId as string);
    if (!facts || facts.breach.withdrawnAt) return null;
    const { breach, version, department, clock, period } = facts;
    // Measured now, as the message leaves: an open clock is late up to this moment, in working time.
    const lateSeconds = clock
      ? await lateSecondsOf(clock, breach.dueAt, this.clock.now(), () => this.calendars.businessCalendar(version.calendarId))
      : null;
    const startEvent = clock ? await manager.findOne(EventRecord, { where: { id: clock.startEventId } }) : null;
    const what = breach.subject ?? period?.label ?? '';
    const context = {
      title: `Breach: ${version.name}`,
      recipient,
      department: department.name,
      agreement: version.name,
      subject: breach.subject,
      subjectUrl: subjectUrl(version.subjectLink, breach.subject),
      target: clock ? targetLabel(clock, version) : null,
      startedAt: clock?.startedAt.toISOString() ?? null,
      attributes: startEvent ? attributeLines(startEvent.attributes) : [],
      period: period?.label ?? null,
      count: period?.count ?? null,
      minimum: period?.minimum ?? null,
      shortfall: period ? Math.max(0, period.minimum - period.count) : null,
      dueAt: breach.dueAt.toISOString(),
      // A cancelled request was never done: its line says when it was cancelled instead.
      actualAt: clock?.state === 'stopped' ? (clock.stoppedAt?.toISOString() ?? null) : null,
      cancelledAt: clock?.state === 'cancelled' ? (clock.stoppedAt?.toISOString() ?? null) : null,
      lateness: clock && lateSeconds !== null ? latenessPhrase(latenessState(clock), version.response?.stopOn.type ?? 'done', lateSeconds) : null,
      explainUrl: this.explainUrl(breach.id),
    };
    return { subject: `Breach: ${version.name} — ${what}`, ...this.renderPair('breach-alert', context) };
  }

  private async atRisk(manager: EntityManager, notification: Notification, recipient: Recipient): Promise<ComposedMessage | null> {
    const clock = await manager.findOne(SlaClock, { where: { id: notification.referenceId as string } });
    if (!clock || clock.state !== 'running' || clock.outcome !== 'pending' || !clock.dueAt) return null;
    const version = await manager.findOneOrFail(AgreementVersion, { where: { id: clock.versionId } });
    const context = {
      title: `At risk: ${clock.subject}`,
      recipient,
      subject: clock.subject,
      target: clock.targetName,
      agreement: version.name,
      usedPercent: version.response?.warnAtPercent ?? null,
      dueAt: clock.dueAt.toISOString(),
    };
    return { subject: `At risk: ${clock.subject} (${version.name}) is due soon`, ...this.renderPair('at-risk', context) };
  }

  private async escalation(manager: EntityManager, notification: Notification, recipient: Recipient): Promise<ComposedMessage | null> {
    const facts = await this.breachFacts(manager, notification.referenceId as string);
    if (!facts || facts.breach.withdrawnAt || facts.breach.explainedAt) return null;
    const { breach, version, department } = facts;
    const owner = breach.ownerId ? await manager.findOne(Person, { where: { id: breach.ownerId } }) : null;
    const context = {
      title: `Unexplained breach: ${version.name}`,
      recipient,
      days: this.config.ESCALATION_BUSINESS_DAYS,
      agreement: version.name,
      department: department.name,
      owner: owner?.name ?? null,
      subject: breach.subject,
      dueAt: breach.dueAt.toISOString(),
      detectedAt: breach.detectedAt.toISOString(),
      explainUrl: this.explainUrl(breach.id),
    };
    return { subject: `Unexplained for ${this.config.ESCALATION_BUSINESS_DAYS} business days: ${version.name} — ${breach.subject ?? ''}`.trim(), ...this.renderPair('escalation', context) };
  }

  private async quotaAtRisk(manager: EntityManager, notification: Notification, recipient: Recipient): Promise<ComposedMessage | null> {
    const period = await manager.findOne(QuotaPeriod, { where: { id: notification.referenceId as string } });
    if (!period || period.status !== 'open') return null;
    const version = await manager.findOneOrFail(AgreementVersion, { where: { id: period.versionId } });
    const payload = notification.payload as { projected: number; elapsedPercent: number; count: number };
    const context = {
      title: `Quota at risk: ${version.name}`,
      recipient,
      agreement: version.name,
      period: period.label,
      projected: payload.projected,
      minimum: period.minimum,
      count: payload.count,
      elapsedPercent: payload.elapsedPercent,
      paceBar: (100 * payload.projected) / period.minimum,
      periodEnd: period.periodEnd.toISOString(),
    };
    return {
      subject: `Quota at risk: ${version.name} — ${payload.projected} of ${period.minimum} at this pace`,
      ...this.renderPair('quota-at-risk', context),
    };
  }

  /** "Measuring from 1 Nov: 120 clocks, 14 breaches already past due, 3 quota periods". */
  private async historyMeasured(manager: EntityManager, notification: Notification, recipient: Recipient): Promise<ComposedMessage | null> {
    const version = await manager.findOne(AgreementVersion, { where: { id: notification.referenceId as string } });
    if (!version) return null;
    const payload = notification.payload as { measureFrom: string; clocks: number; breaches: number; periods: number };
    const day = inZone(payload.measureFrom, recipient.timezone).toFormat('d LLL');
    const plural = (count: number, one: string, many: string) => `${count.toLocaleString('en')} ${count === 1 ? one : many}`;
    const parts = [
      ...(version.response ? [plural(payload.clocks, 'clock', 'clocks')] : []),
      `${plural(payload.breaches, 'breach', 'breaches')} already past due`,
      ...(version.quota ? [plural(payload.periods, 'quota period', 'quota periods')] : []),
    ];
    const context = {
      title: `Measuring from ${day}: ${version.name}`,
      recipient,
      agreement: version.name,
      measureFrom: payload.measureFrom,
      found: parts.join(', '),
      breaches: payload.breaches,
      agreementUrl: `${this.config.publicUrl}/agreements/${version.agreementId}`,
      breachesUrl: `${this.config.publicUrl}/breaches?agreementId=${version.agreementId}`,
    };
    return { subject: `Measuring from ${day}: ${parts.join(', ')} — ${version.name}`, ...this.renderPair('history-measured', context) };
  }

  private async action(manager: EntityManager, notification: Notification, recipient: Recipient, overdue: boolean): Promise<ComposedMessage | null> {
    const action = await manager.findOne(MeetingOutcome, { where: { id: notification.referenceId as string } });
    const dueOn = (notification.payload as { dueOn: string }).dueOn;
    // Done, dropped, handed on or rescheduled since: nothing to remind.
    if (!action || action.status !== 'open' || action.dueOn !== dueOn || action.ownerId !== notification.recipientId) return null;
    const series = await manager.findOne(MeetingSeries, { where: { id: action.seriesId } });
    const context = {
      title: overdue ? 'Overdue action item' : 'Action item due soon',
      recipient,
      overdue,
      text: action.text,
      dueOn,
      series: series?.title ?? '',
    };
    return {
      subject: overdue ? `Overdue since ${dueOn}: ${action.text}` : `Due ${dueOn}: ${action.text}`,
      ...this.renderPair('action-item', context),
    };
  }

  private async breachFacts(manager: EntityManager, breachId: string) {
    const breach = await manager.findOne(Breach, { where: { id: breachId } });
    if (!breach) return null;
    const version = await manager.findOneOrFail(AgreementVersion, { where: { id: breach.versionId } });
    const agreement = await manager.findOneOrFail(Agreement, { where: { id: breach.agreementId } });
    const department = await manager.findOneOrFail(Department, { where: { id: agreement.providerDepartmentId } });
    const clock = breach.clockId ? await manager.findOne(SlaClock, { where: { id: breach.clockId } }) : null;
    const period = breach.quotaPeriodId ? await manager.findOne(QuotaPeriod, { where: { id: breach.quotaPeriodId } }) : null;
    return { breach, version, agreement, department, clock, period };
  }

  private explainUrl(breachId: string): string {
    return `${this.config.publicUrl}/breaches/${breachId}`;
  }
}
