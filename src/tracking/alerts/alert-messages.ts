import { Injectable, type OnModuleInit } from '@nestjs/common';
import { type EntityManager, In } from 'typeorm';
import { AgreementVersion } from '../../agreements/agreement-version.entity.js';
import { Agreement } from '../../agreements/agreement.entity.js';
import { describeBusinessDuration } from '../../calendars/business-time/index.js';
import { CalendarsService } from '../../calendars/calendars.service.js';
import { Clock } from '../../common/clock.js';
import { inZone } from '../../common/instant-format.js';
import type { Recipient } from '../../common/recipient.js';
import { subjectUrl } from '../../common/subject-link.js';
import { AppConfig } from '../../config/app-config.js';
import { EventRecord, type EventAttributes } from '../../events/event.entity.js';
import { type ComposedMessage, MessageComposer } from '../../notifications/message-composer.js';
import type { Notification } from '../../notifications/notification.entity.js';
import { Department } from '../../org/department.entity.js';
import { Person } from '../../org/person.entity.js';
import { Breach } from '../breach.entity.js';
import { chunks } from '../../common/chunks.js';
import { DIGEST_LISTED } from '../domain/alert-digest.js';
import { lateSecondsOf } from '../clock-lateness.js';
import { latenessPhrase, type LatenessState } from '../domain/lateness.js';
import { ConversionPeriod } from '../conversion-period.entity.js';
import { QuotaPeriod } from '../quota-period.entity.js';
import { SlaClock } from '../sla-clock.entity.js';
import { I18nService } from '../../i18n/i18n.service.js';
import { formatPercent } from '../../i18n/formats.js';
import type { Locale } from '../../i18n/locales.js';

const MAX_ATTRIBUTES = 12;
const MAX_ATTRIBUTE_TEXT = 200;

/** "hot: 1 working hour", "hot: 1 рабочий час": the target the clock ran against, as the version states it, in the reader's language. */
function targetLabel(clock: SlaClock, version: AgreementVersion, locale: Locale, i18n: I18nService): string {
  const within = version.response?.targets[clock.targetIndex]?.within;
  if (!within) return clock.targetName;
  return i18n.t(locale, 'alerts.target', { name: clock.targetName, within: locale === 'en' ? describeBusinessDuration(within) : i18n.isoDuration(locale, within) });
}

/** The starting event's attributes (score, source…), as name/value lines of bounded length. */
function attributeLines(attributes: EventAttributes): { name: string; value: string }[] {
  return Object.entries(attributes ?? {})
    .filter(([, value]) => value !== null && value !== undefined && value !== '')
    .slice(0, MAX_ATTRIBUTES)
    .map(([name, value]) => ({ name: name.slice(0, MAX_ATTRIBUTE_TEXT), value: String(value).slice(0, MAX_ATTRIBUTE_TEXT) }));
}

/** "2026-11: 8 of 20 converted (40 %), at least 50 % promised", in the reader's language. */
function conversionLine(period: ConversionPeriod, version: AgreementVersion, locale: Locale, i18n: I18nService): string {
  const share = period.cohort === 0 ? 0 : Math.round((period.converted * 10_000) / period.cohort) / 100;
  const values = { label: period.label, converted: period.converted, cohort: period.cohort, percent: locale === 'en' ? `${share} %` : formatPercent(share, locale) };
  return version.conversion
    ? i18n.t(locale, 'alerts.conversionLineMinimum', { ...values, minimum: version.conversion.minimumPercent })
    : i18n.t(locale, 'alerts.conversionLine', values);
}

/**
 * The lateness line: English says what was not done, from the stop event's type ("still not
 * contacted, 3 h 20 of working time late"); other languages cannot use that English word, so
 * they say "not done yet", with the working time in words ("3 рабочих часа и 20 минут").
 */
function latenessLine(state: LatenessState, stopEventType: string, lateSeconds: number, locale: Locale, i18n: I18nService): string {
  if (locale === 'en') return latenessPhrase(state, stopEventType, lateSeconds);
  return i18n.t(locale, `alerts.lateness.${state}`, { late: i18n.duration(locale, lateSeconds, { business: true, style: 'long' }) });
}

function latenessState(clock: SlaClock): LatenessState {
  if (clock.state === 'stopped') return 'stopped';
  return clock.state === 'cancelled' ? 'cancelled' : 'open';
}

/**
 * Composes the messages AlertsService queues (breach alerts, at-risk warnings, escalations,
 * quotas at risk, the summary of history measured) when the outbox first dispatches them, from
 * the current facts: a breach withdrawn or explained before its message leaves is not announced.
 */
@Injectable()
export class AlertMessages implements OnModuleInit {
  constructor(
    private readonly composer: MessageComposer,
    private readonly calendars: CalendarsService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly i18n: I18nService,
  ) {}

  onModuleInit(): void {
    this.composer.register('breach-alert', (m, n, r) => this.breachAlert(m, n, r));
    this.composer.register('at-risk', (m, n, r) => this.atRisk(m, n, r));
    this.composer.register('escalation', (m, n, r) => this.escalation(m, n, r));
    this.composer.register('quota-at-risk', (m, n, r) => this.quotaAtRisk(m, n, r));
    this.composer.register('history-measured', (m, n, r) => this.historyMeasured(m, n, r));
    this.composer.register('breach-digest', (m, n, r) => this.breachDigest(m, n, r));
  }

  /**
   * Many breaches to one person at once, in one message: those still standing as it leaves (a
   * withdrawn one is left out; none left, no message), soonest due first, the first
   * DIGEST_LISTED of them listed with a link each, and the breaches page for all of them.
   */
  private async breachDigest(manager: EntityManager, notification: Notification, recipient: Recipient): Promise<ComposedMessage | null> {
    const ids = (notification.payload as { breachIds: string[] }).breachIds;
    const breaches: Breach[] = [];
    for (const part of chunks(ids)) breaches.push(...(await manager.find(Breach, { where: { id: In(part) } })));
    const standing = breaches.filter((breach) => !breach.withdrawnAt);
    if (standing.length === 0) return null;
    standing.sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime() || a.id.localeCompare(b.id));
    const listed = standing.slice(0, DIGEST_LISTED);
    const names = await this.byId(manager, AgreementVersion, listed.map((breach) => breach.versionId));
    const quotas = await this.byId(manager, QuotaPeriod, listed.map((breach) => breach.quotaPeriodId));
    const conversions = await this.byId(manager, ConversionPeriod, listed.map((breach) => breach.conversionPeriodId));
    const { locale } = recipient;
    const count = standing.length;
    const context = {
      locale,
      title: this.i18n.t(locale, 'alerts.digest.title', { count }),
      recipient,
      count,
      breaches: listed.map((breach) => ({
        agreement: names.get(breach.versionId)?.name ?? '',
        what: breach.subject ?? quotas.get(breach.quotaPeriodId ?? '')?.label ?? conversions.get(breach.conversionPeriodId ?? '')?.label ?? '',
        dueAt: breach.dueAt.toISOString(),
        explainUrl: this.explainUrl(breach.id),
      })),
      more: count - listed.length,
      breachesUrl: `${this.config.publicUrl}/breaches`,
    };
    return { subject: this.i18n.t(locale, 'alerts.digest.subject', { count }), ...this.composer.renderPair('breach-digest', context) };
  }

  /** Rows of one entity by id, read in bounded lists. */
  private async byId<T extends { id: string }>(manager: EntityManager, entity: new () => T, ids: (string | null)[]): Promise<Map<string, T>> {
    const wanted = [...new Set(ids.filter((id): id is string => !!id))];
    const found = new Map<string, T>();
    for (const part of chunks(wanted)) {
      for (const row of await manager.find(entity, { where: { id: In(part) } as never })) found.set(row.id, row);
    }
    return found;
  }

  private async breachAlert(manager: EntityManager, notification: Notification, recipient: Recipient): Promise<ComposedMessage | null> {
    const facts = await this.breachFacts(manager, notification.referenceId as string);
    if (!facts || facts.breach.withdrawnAt) return null;
    const { breach, version, department, clock, period, conversion } = facts;
    // Measured now, as the message leaves: an open clock is late up to this moment, in working time.
    const lateSeconds = clock
      ? await lateSecondsOf(clock, breach.dueAt, this.clock.now(), () => this.calendars.businessCalendar(version.calendarId))
      : null;
    const startEvent = clock ? await manager.findOne(EventRecord, { where: { id: clock.startEventId } }) : null;
    const what = breach.subject ?? period?.label ?? conversion?.label ?? '';
    const { locale } = recipient;
    const t = (key: string, values?: Record<string, string | number>) => this.i18n.t(locale, key, values);
    const attributes = startEvent ? attributeLines(startEvent.attributes) : [];
    const context = {
      locale,
      title: t('alerts.breach.title', { agreement: version.name }),
      recipient,
      department: facts.consumer ? t('alerts.jointDepartments', { provider: department.name, consumer: facts.consumer.name }) : department.name,
      agreement: version.name,
      subject: breach.subject,
      subjectUrl: subjectUrl(version.subjectLink, breach.subject),
      target: clock ? targetLabel(clock, version, locale, this.i18n) : null,
      startedAt: clock?.startedAt.toISOString() ?? null,
      attributes,
      attributesText: attributes.map((attribute) => `${attribute.name}: ${attribute.value}`).join(' · '),
      period: period?.label ?? null,
      count: period?.count ?? null,
      minimum: period?.minimum ?? null,
      shortfall: period ? Math.max(0, period.minimum - period.count) : null,
      conversion: conversion ? conversionLine(conversion, version, locale, this.i18n) : null,
      dueAt: breach.dueAt.toISOString(),
      // A cancelled request was never done: its line says when it was cancelled instead.
      actualAt: clock?.state === 'stopped' ? (clock.stoppedAt?.toISOString() ?? null) : null,
      cancelledAt: clock?.state === 'cancelled' ? (clock.stoppedAt?.toISOString() ?? null) : null,
      lateness: clock && lateSeconds !== null ? latenessLine(latenessState(clock), version.response?.stopOn.type ?? 'done', lateSeconds, locale, this.i18n) : null,
      explainUrl: this.explainUrl(breach.id),
    };
    return { subject: t('alerts.breach.subject', { agreement: version.name, what }), ...this.composer.renderPair('breach-alert', context) };
  }

  private async atRisk(manager: EntityManager, notification: Notification, recipient: Recipient): Promise<ComposedMessage | null> {
    const clock = await manager.findOne(SlaClock, { where: { id: notification.referenceId as string } });
    if (!clock || clock.state !== 'running' || clock.outcome !== 'pending' || !clock.dueAt) return null;
    const version = await manager.findOneOrFail(AgreementVersion, { where: { id: clock.versionId } });
    const { locale } = recipient;
    const context = {
      locale,
      title: this.i18n.t(locale, 'alerts.atRisk.title', { subject: clock.subject }),
      recipient,
      subject: clock.subject,
      target: clock.targetName,
      agreement: version.name,
      usedPercent: version.response?.warnAtPercent ?? null,
      dueAt: clock.dueAt.toISOString(),
    };
    return { subject: this.i18n.t(locale, 'alerts.atRisk.subject', { subject: clock.subject, agreement: version.name }), ...this.composer.renderPair('at-risk', context) };
  }

  private async escalation(manager: EntityManager, notification: Notification, recipient: Recipient): Promise<ComposedMessage | null> {
    const facts = await this.breachFacts(manager, notification.referenceId as string);
    if (!facts || facts.breach.withdrawnAt || facts.breach.explainedAt) return null;
    const { breach, version, department } = facts;
    const owner = breach.ownerId ? await manager.findOne(Person, { where: { id: breach.ownerId } }) : null;
    const { locale } = recipient;
    const context = {
      locale,
      title: this.i18n.t(locale, 'alerts.escalation.title', { agreement: version.name }),
      recipient,
      days: this.config.ESCALATION_BUSINESS_DAYS,
      agreement: version.name,
      department: department.name,
      owner: owner?.name ?? null,
      ownerText: owner ? `${department.name} — ${owner.name}` : department.name,
      subject: breach.subject,
      dueAt: breach.dueAt.toISOString(),
      detectedAt: breach.detectedAt.toISOString(),
      explainUrl: this.explainUrl(breach.id),
    };
    return {
      subject: this.i18n.t(locale, 'alerts.escalation.subject', { days: this.config.ESCALATION_BUSINESS_DAYS, agreement: version.name, what: breach.subject ?? '' }).trim(),
      ...this.composer.renderPair('escalation', context),
    };
  }

  private async quotaAtRisk(manager: EntityManager, notification: Notification, recipient: Recipient): Promise<ComposedMessage | null> {
    const period = await manager.findOne(QuotaPeriod, { where: { id: notification.referenceId as string } });
    if (!period || period.status !== 'open') return null;
    const version = await manager.findOneOrFail(AgreementVersion, { where: { id: period.versionId } });
    const payload = notification.payload as { projected: number; elapsedPercent: number; count: number };
    const { locale } = recipient;
    const context = {
      locale,
      title: this.i18n.t(locale, 'alerts.quotaAtRisk.title', { agreement: version.name }),
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
      subject: this.i18n.t(locale, 'alerts.quotaAtRisk.subject', { agreement: version.name, projected: payload.projected, minimum: period.minimum }),
      ...this.composer.renderPair('quota-at-risk', context),
    };
  }

  /** "Measuring from 1 Nov: 120 clocks, 14 breaches already past due, 3 quota periods". */
  private async historyMeasured(manager: EntityManager, notification: Notification, recipient: Recipient): Promise<ComposedMessage | null> {
    const version = await manager.findOne(AgreementVersion, { where: { id: notification.referenceId as string } });
    if (!version) return null;
    const payload = notification.payload as { measureFrom: string; clocks: number; breaches: number; periods: number };
    // In the recipient's language (issue 15): one render per recipient, `locale` at the context's root.
    const locale = recipient.locale;
    const local = inZone(payload.measureFrom, recipient.timezone);
    const day = locale === 'en' ? local.toFormat('d LLL') : new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', timeZone: recipient.timezone }).format(local.toJSDate());
    const t = (key: string, values?: Record<string, string | number>) => this.i18n.t(locale, `agreements.historyMeasured.${key}`, values);
    const parts = [
      ...(version.response ? [t('clocks', { count: payload.clocks })] : []),
      t('breaches', { count: payload.breaches }),
      ...(version.quota ? [t('quotaPeriods', { count: payload.periods })] : []),
      ...(version.conversion ? [t('conversionPeriods', { count: payload.periods })] : []),
    ];
    const context = {
      locale,
      title: t('title', { day, name: version.name }),
      recipient,
      agreement: version.name,
      measureFrom: payload.measureFrom,
      found: parts.join(', '),
      breaches: payload.breaches,
      agreementUrl: `${this.config.publicUrl}/agreements/${version.agreementId}`,
      breachesUrl: `${this.config.publicUrl}/breaches?agreementId=${version.agreementId}`,
    };
    return { subject: t('subject', { day, found: parts.join(', '), name: version.name }), ...this.composer.renderPair('history-measured', context) };
  }

  private async breachFacts(manager: EntityManager, breachId: string) {
    const breach = await manager.findOne(Breach, { where: { id: breachId } });
    if (!breach) return null;
    const version = await manager.findOneOrFail(AgreementVersion, { where: { id: breach.versionId } });
    const agreement = await manager.findOneOrFail(Agreement, { where: { id: breach.agreementId } });
    const department = await manager.findOneOrFail(Department, { where: { id: agreement.providerDepartmentId } });
    const clock = breach.clockId ? await manager.findOne(SlaClock, { where: { id: breach.clockId } }) : null;
    const period = breach.quotaPeriodId ? await manager.findOne(QuotaPeriod, { where: { id: breach.quotaPeriodId } }) : null;
    const conversion = breach.conversionPeriodId ? await manager.findOne(ConversionPeriod, { where: { id: breach.conversionPeriodId } }) : null;
    // A missed conversion KPI is both departments' promise (breach-access.ts).
    const consumer = breach.kind === 'conversion' ? await manager.findOneOrFail(Department, { where: { id: agreement.consumerDepartmentId } }) : null;
    return { breach, version, agreement, department, consumer, clock, period, conversion };
  }

  private explainUrl(breachId: string): string {
    return `${this.config.publicUrl}/breaches/${breachId}`;
  }
}
