import type { FunnelReport } from '../../reports/funnel-report.dto.js';
import { funnelContext, groupLabel } from '../../reports/funnel-report.view.js';
import { funnelChart, type FunnelChart } from '../reports/funnel-chart.js';
import { formatDate } from '../../i18n/formats.js';
import type { Locale } from '../../i18n/locales.js';

/** The dashboard's own words for the funnel, in the reader's language (English: the report's, unchanged). */
export interface FunnelWords {
  locale: Locale;
  t: (key: string, values?: Record<string, string | number>) => string;
}

const ENGLISH_FUNNEL: FunnelWords = { locale: 'en', t: (key) => (key === 'dashboard.funnel.allSources' ? 'All sources' : key) };

/** How many sources get their own small funnel on the dashboard; the table lists them all. */
export const CHARTED_SOURCES = 3;
/** How many reasons (and competitors) each stage shows on the dashboard; the report has them all. */
export const TOP_REASONS = 5;

export interface SourceRow {
  label: string;
  /** Leads that entered the first stage. */
  cohort: number;
  /** Entered, per later stage, in the funnel's order (same columns as `stageNames`). */
  entered: number[];
  winRate: number | null;
}

export interface ReasonSummary {
  stage: string;
  reasons: { reason: string; count: number }[];
  competitors: { competitor: string; count: number }[];
}

export interface DashboardFunnel {
  /** "1 Sep – 29 Nov 2026", the window in the reader's zone. */
  periodLabel: string;
  cohortRule: string;
  /** The organisation's funnel, every source together. */
  chart: FunnelChart | null;
  /** A small funnel for each of the largest sources. */
  charts: { id: string; label: string; chart: FunnelChart }[];
  /** The later stages, as the table's columns. */
  stageNames: string[];
  sources: SourceRow[];
  /** Per stage that has reasons (Lost, Rejected, …): the most frequent first, across sources. */
  reasons: ReasonSummary[];
  /** The full report with the same window and grouping. */
  link: string;
}

function top<K extends string>(counts: Map<string, number>, key: K, limit: number): ({ count: number } & Record<K, string>)[] {
  return [...counts]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([name, count]) => ({ [key]: name, count }) as { count: number } & Record<K, string>);
}

/**
 * The funnel part of the dashboard, from the funnel report of the last days by source: the same
 * report (and so the same figures) for every reader, only the dates written in their zone.
 */
export function presentDashboardFunnel(model: FunnelReport, zone: string, link: string, words: FunnelWords = ENGLISH_FUNNEL): DashboardFunnel {
  const context = funnelContext(model, zone);
  const { locale, t } = words;
  // The report's sentences are English; another language gets the dashboard's own.
  const labelOf = (key: string | null, label: string) => (locale !== 'en' && key === null ? t('dashboard.funnel.noSource') : label);
  const day = (instant: number) => formatDate(instant, zone, locale, 'medium');
  const first = model.stages[0]?.name;
  const cohortRule =
    locale === 'en'
      ? context.cohortRule
      : first
        ? t('dashboard.funnel.cohortRule', { stage: first, from: day(Date.parse(model.from)), to: day(Date.parse(model.to) - 1) })
        : t('dashboard.funnel.noStage');
  const cohort = model.stages[0]?.entered ?? 0;
  const totals = model.stages.map((stage, index) => ({
    name: stage.name,
    entered: stage.entered,
    percent: index === 0 ? (cohort > 0 ? 100 : null) : cohort > 0 ? Math.round((stage.entered * 1000) / cohort) / 10 : null,
  }));
  const bySize = context.groups.map((group, index) => ({ group, source: model.groups[index] })).sort((a, b) => b.group.cohort - a.group.cohort);

  const reasonCounts = new Map<string, { reasons: Map<string, number>; competitors: Map<string, number> }>();
  for (const group of model.groups) {
    for (const stage of group.stages) {
      if (!stage.reasons?.length && !stage.competitors?.length) continue;
      let found = reasonCounts.get(stage.name);
      if (!found) reasonCounts.set(stage.name, (found = { reasons: new Map(), competitors: new Map() }));
      for (const item of stage.reasons ?? []) found.reasons.set(item.reason, (found.reasons.get(item.reason) ?? 0) + item.count);
      for (const item of stage.competitors ?? []) found.competitors.set(item.competitor, (found.competitors.get(item.competitor) ?? 0) + item.count);
    }
  }
  // In funnel order, as the stages come.
  const reasons = model.stages
    .filter((stage) => reasonCounts.has(stage.name))
    .map((stage) => {
      const found = reasonCounts.get(stage.name) as { reasons: Map<string, number>; competitors: Map<string, number> };
      return { stage: stage.name, reasons: top(found.reasons, 'reason', TOP_REASONS), competitors: top(found.competitors, 'competitor', TOP_REASONS) };
    });

  return {
    periodLabel: context.periodLabel,
    cohortRule,
    chart: model.stages.length > 0 ? funnelChart(t('dashboard.funnel.allSources'), totals) : null,
    charts: bySize
      .filter(({ group }) => group.cohort > 0)
      .slice(0, CHARTED_SOURCES)
      .map(({ group, source }, index) => {
        const label = labelOf(source.key, group.label);
        return { id: `funnel-source-${index + 1}`, label, chart: funnelChart(label, group.stages) };
      }),
    stageNames: model.stages.slice(1).map((stage) => stage.name),
    sources: bySize.map(({ source }) => ({
      label: labelOf(source.key, groupLabel(source.key, model.by)),
      cohort: source.stages[0]?.entered ?? 0,
      entered: source.stages.slice(1).map((stage) => stage.entered),
      winRate: source.winRate,
    })),
    reasons,
    link,
  };
}
