import type { Actor } from '../../access/actor.js';
import type { AgreementKind } from '../../agreements/agreement.entity.js';
import type { AgreementView } from '../../agreements/agreements.dto.js';
import type { Page } from '../../common/pagination.js';
import type { MeetingView, OutcomeView } from '../../meetings/meeting-room.dto.js';
import type { BreachView, ComplianceView, ConversionPeriodView, QuotaPeriodView } from '../../tracking/tracking.dto.js';
import type { MonthWindow } from './month-windows.js';
import type { FunnelReport } from '../../reports/funnel-report.dto.js';
import { presentDashboardFunnel } from './dashboard-funnel.view.js';
import { DateTime } from 'luxon';
import { formatDate, formatPercent } from '../../i18n/formats.js';
import type { Locale } from '../../i18n/locales.js';

/**
 * What the dashboard shows, from what DashboardService loaded: a card per agreement in force
 * (this month against the goal, the months before as columns, quota pace), the agreements awaiting
 * the reader's approval, open breaches, their open action items, the next joint meeting, and the
 * notice of undelivered emails.
 */

export interface ComplianceColumn {
  label: string;
  percent: number | null;
  /** Height of the column, 0–100, and whether it reached the goal. */
  height: number;
  state: 'good' | 'bad' | 'none';
}

export interface AgreementCard {
  id: string;
  name: string;
  kind: AgreementKind;
  role: 'provider' | 'consumer' | 'both';
  goalPercent: number | null;
  thisPeriod: ComplianceColumn;
  /** Response agreements: this month's clocks, each in one part, as the compliance API counts them. */
  clocks: Pick<ComplianceView, 'total' | 'met' | 'breached' | 'breachedOpen' | 'running' | 'paused' | 'cancelled'> | null;
  history: ComplianceColumn[];
  quota: (QuotaPeriodView & { percent: number; projectedPercent: number }) | null;
  /** Conversion agreements: the latest period of this month (the running one), as the compliance API gives it. */
  conversion: (ConversionPeriodView & { share: number | null; bar: number }) | null;
  /** Conversion agreements, while this period is open: the last period decided, met or missed. */
  lastDecided: (ConversionPeriodView & { share: number | null }) | null;
}

/** What the dashboard loads for one reader (DashboardService.load). */
export interface DashboardData {
  /** The funnel report of the last 90 days by source (organisation-wide: the same for every reader). */
  funnel: FunnelReport | null;
  /** The agreements that concern the reader's department (every one for someone of none). */
  agreements: AgreementView[];
  /**
   * Each of those in force, with its figures for each month (oldest first; the last is the current
   * month so far), months cut in the agreement's calendar zone so both heads see the same figures.
   */
  inForce: { agreement: AgreementView; windows: MonthWindow[]; figures: ComplianceView[] }[];
  /** Open, unexplained breaches of the reader's department, the first few. */
  breaches: Pick<Page<BreachView>, 'items' | 'total'>;
  /** The reader's open action items. */
  actions: OutcomeView[];
  nextMeeting: { meeting: MeetingView; zone: string } | null;
  /** Emails the outbox gave up on that the reader is shown (0 for those shown none). */
  undelivered: number;
}

/** A quota month as a percentage of its minimum (the periods inside the month, summed). */
export function quotaPercent(periods: QuotaPeriodView[]): number | null {
  if (periods.length === 0) return null;
  const minimum = periods.reduce((sum, period) => sum + period.minimum, 0);
  const count = periods.reduce((sum, period) => sum + period.count, 0);
  return minimum > 0 ? Math.round((count / minimum) * 1000) / 10 : null;
}

/** A conversion month as the share of its cohorts converted (the periods inside the month, pooled). */
export function conversionPercent(periods: ConversionPeriodView[]): number | null {
  const cohort = periods.reduce((sum, period) => sum + period.cohort, 0);
  const converted = periods.reduce((sum, period) => sum + period.converted, 0);
  return cohort > 0 ? Math.round((converted / cohort) * 1000) / 10 : null;
}

/** The latest conversion period decided (met or missed) in some months' figures, the latest month last. */
function lastDecidedPeriod(figures: ComplianceView[]): (ConversionPeriodView & { share: number | null }) | null {
  for (let month = figures.length - 1; month >= 0; month--) {
    const periods = figures[month].conversionPeriods ?? [];
    for (let i = periods.length - 1; i >= 0; i--) {
      if (periods[i].status !== 'open') return { ...periods[i], share: periods[i].percent };
    }
  }
  return null;
}

/** One agreement's card: `figures` are its compliance in each of `windows`, the current month last. */
export function agreementCard(agreement: AgreementView, department: string | undefined, windows: Pick<MonthWindow, 'label'>[], figures: ComplianceView[]): AgreementCard {
  const goal = agreement.inForce?.response?.goalPercent ?? agreement.inForce?.conversion?.minimumPercent ?? null;
  const columns = figures.map((figure, index): ComplianceColumn => {
    const percent =
      agreement.kind === 'quota' ? quotaPercent(figure.periods) : agreement.kind === 'conversion' ? conversionPercent(figure.conversionPeriods ?? []) : figure.metPercent;
    return {
      label: windows[index].label,
      percent,
      height: percent === null ? 0 : Math.max(2, Math.min(100, Math.round(percent))),
      state: percent === null ? 'none' : (agreement.kind === 'quota' ? percent >= 100 : goal === null || percent >= goal) ? 'good' : 'bad',
    };
  });
  const current = figures[figures.length - 1];
  const conversion = agreement.kind === 'conversion' ? (current.conversionPeriods ?? []).at(-1) ?? null : null;
  const open = agreement.kind === 'quota' ? (current.periods.find((period) => period.status === 'open') ?? current.periods[current.periods.length - 1] ?? null) : null;
  return {
    id: agreement.id,
    name: agreement.name,
    kind: agreement.kind,
    role:
      department === undefined ? 'both' : agreement.providerDepartmentId === department && agreement.consumerDepartmentId === department ? 'both' : agreement.providerDepartmentId === department ? 'provider' : 'consumer',
    goalPercent: agreement.kind === 'quota' ? 100 : goal,
    thisPeriod: columns[columns.length - 1],
    clocks:
      agreement.kind === 'response'
        ? {
            total: current.total,
            met: current.met,
            breached: current.breached,
            breachedOpen: current.breachedOpen,
            running: current.running,
            paused: current.paused,
            cancelled: current.cancelled,
          }
        : null,
    history: columns.slice(0, -1),
    quota: open
      ? {
          ...open,
          percent: open.minimum > 0 ? Math.min(100, Math.round((open.count / open.minimum) * 100)) : 100,
          projectedPercent: open.minimum > 0 && open.projected !== null ? Math.min(100, Math.round((open.projected / open.minimum) * 100)) : 0,
        }
      : null,
    // `share`: in a template, `percent` is the helper of that name.
    conversion: conversion ? { ...conversion, share: conversion.percent, bar: Math.max(0, Math.min(100, Math.round(conversion.percent ?? 0))) } : null,
    lastDecided: conversion?.status === 'open' ? lastDecidedPeriod(figures) : null,
  };
}

/** The proposals a head's department has still to approve (a head only: others approve nothing). */
export function awaitingApproval(actor: Actor, agreements: AgreementView[]): { id: string; name: string }[] {
  const department = actor.departmentId;
  if (actor.role !== 'head' || !department) return [];
  return agreements
    .filter((agreement) => agreement.pending?.awaitingDepartmentIds.includes(department))
    .map((agreement) => ({ id: agreement.id, name: agreement.pending?.name ?? agreement.name }));
}

/**
 * The words of a dashboard that are worked out before the template: its language, and its own
 * messages (the funnel chart's title) in that language. English by default, so a caller that
 * does not care gets the English page.
 */
export interface DashboardWords {
  locale: Locale;
  t: (key: string, values?: Record<string, string | number>) => string;
}

const ENGLISH: DashboardWords = { locale: 'en', t: (key) => (key === 'dashboard.funnel.allSources' ? 'All sources' : key) };

/** "Nov 2026" in English, "нояб. 2026" in Russian: a month window's label in the reader's language, in the agreement's zone. */
export function monthLabel(window: Pick<MonthWindow, 'label' | 'from'>, locale: Locale): string {
  if (locale === 'en') return window.label;
  return DateTime.fromISO(window.from, { setZone: true }).setLocale(locale).toFormat('LLL yyyy');
}

/** "May 2026 –, Jun 2026 100 %": the columns of a card, said for a screen reader in the reader's language. */
export function historyText(columns: Pick<ComplianceColumn, 'label' | 'percent'>[], locale: Locale): string {
  if (locale === 'en') return columns.map((column) => `${column.label} ${column.percent === null ? '–' : `${Math.round(column.percent * 10) / 10} %`}`).join(', ');
  // A plain list, read column by column: Arabic separates with its own comma.
  return columns.map((column) => `${column.label} ${formatPercent(column.percent, locale)}`).join(locale === 'ar' ? '، ' : ', ');
}

/** An action's due day ("2026-11-20") as the reader writes a date; English keeps the ISO day it always showed. */
export function dueDayText(dueOn: string | null | undefined, locale: Locale): string | null {
  if (!dueOn) return null;
  if (locale === 'en') return dueOn;
  return formatDate(`${dueOn}T12:00:00Z`, 'UTC', locale, 'medium');
}

export function presentDashboard(actor: Actor, data: DashboardData, zone: string, words: DashboardWords = ENGLISH) {
  const department = actor.departmentId ?? undefined;
  const { locale } = words;
  const cards = data.inForce.map(({ agreement, windows, figures }) => {
    const card = agreementCard(agreement, department, windows.map((window) => ({ ...window, label: monthLabel(window, locale) })), figures);
    return { ...card, historyText: historyText(card.history, locale) };
  });
  return {
    // Shared KPIs (conversion agreements) first, on their own: both heads answer for them.
    sharedKpis: cards.filter((card) => card.kind === 'conversion'),
    agreements: cards.filter((card) => card.kind !== 'conversion'),
    funnel: data.funnel ? presentDashboardFunnel(data.funnel, zone, '/reports/funnel', words) : null,
    awaitingMe: awaitingApproval(actor, data.agreements),
    breaches: data.breaches.items,
    breachesTotal: data.breaches.total,
    actions: data.actions.map((action) => ({ ...action, dueOnText: dueDayText(action.dueOn, locale) })),
    nextMeeting: data.nextMeeting?.meeting ?? null,
    nextMeetingZone: data.nextMeeting?.zone ?? null,
    /** How many emails could not be delivered (the template says it in words); 0 for none. */
    undelivered: data.undelivered,
    zone,
  };
}
