import { durationInWords, formatDate, formatPercent } from '../i18n/formats.js';
import type { Locale } from '../i18n/locales.js';
import { sharedTranslator, type MessageValues, type Translator } from '../i18n/translator.js';
import { formatDuration } from '../notifications/template-renderer.js';
import { daysLabel, textBar, textColumns } from './breach-report.view.js';
import { toCsv, type CsvValue } from './csv.js';
import type { FunnelGroupStage, FunnelGroupView, FunnelReport } from './funnel-report.dto.js';

/*
 * The funnel report as people read it: the emailed HTML and its plain-text twin (through the
 * templates), and CSV. The page (web/reports) words its figures with the same functions.
 */

/**
 * The reader of a funnel report: English by default (the API's HTML and text, unchanged), or the
 * language of the person it is emailed to or shown to (funnelReport.* messages, Intl figures).
 */
export interface ReportReader {
  locale: Locale;
  t(key: string, values?: MessageValues): string;
  percent(value: number | null): string;
  duration(seconds: number | null): string;
  days(window: { from: string; to: string }, zone: string): string;
}

export function reportReader(locale: Locale = 'en', translator: Translator = sharedTranslator()): ReportReader {
  const english = locale === 'en';
  const words = (seconds: number) => durationInWords(translator, locale, seconds);
  return {
    locale,
    t: (key, values) => translator.t(locale, key, values),
    percent: (value) => (value === null ? '–' : english ? `${value} %` : formatPercent(value, locale)),
    duration: (seconds) => {
      if (seconds === null) return '–';
      const text = english ? formatDuration : words;
      return seconds < 0 ? `-${text(-seconds)}` : text(seconds);
    },
    days: (window, zone) =>
      english
        ? daysLabel(window, zone)
        : translator.t(locale, 'funnelReport.days', { from: formatDate(window.from, zone, locale, 'medium'), to: formatDate(Date.parse(window.to) - 1, zone, locale, 'medium') }),
  };
}

const ENGLISH_REPORT = reportReader('en');

/** "trade-show"; "All leads" when not grouped; "(no source)" for the subjects whose event lacks it. */
export function groupLabel(key: string | null, by: string | null, reader: ReportReader = ENGLISH_REPORT): string {
  if (by === null) return reader.t('funnelReport.allLeads');
  return key === null ? reader.t('funnelReport.noAttribute', { by }) : key;
}

/** "price 1 · competitor 1": why the stage's entries entered it. */
export function reasonsText(stage: Pick<FunnelGroupStage, 'reasons'>): string {
  return (stage.reasons ?? []).map((item) => `${item.reason} ${item.count}`).join(' · ');
}

/** "Acme 1": who won the deals the stage's entries record. */
export function competitorsText(stage: Pick<FunnelGroupStage, 'competitors'>): string {
  return (stage.competitors ?? []).map((item) => `${item.competitor} ${item.count}`).join(' · ');
}

/** What the cohort is, in words the report prints under its title. */
export function cohortRule(model: FunnelReport, zone: string, reader: ReportReader = ENGLISH_REPORT): string {
  const first = model.stages[0]?.name;
  if (!first) return reader.t('funnelReport.noStage');
  return reader.t('funnelReport.cohortRule', { first, days: reader.days(model, zone) });
}

/** "funnel-report-2026-11-01-to-2026-11-30-by-source", dates in the reader's zone. */
export function funnelFileName(model: FunnelReport, zone: string): string {
  const days = daysLabel(model, zone).replace(/ /g, '-');
  return `funnel-report-${days}${model.by ? `-by-${model.by}` : ''}`;
}

function groupContext(group: FunnelGroupView, model: FunnelReport, reader: ReportReader) {
  const percentText = reader.percent;
  const durationText = reader.duration;
  const cohort = group.stages[0]?.entered ?? 0;
  const conversions = new Map(group.conversions.map((conversion) => [conversion.toStageId, conversion]));
  const stages = group.stages.map((stage, index) => {
    const conversion = conversions.get(stage.stageId);
    const percent = index === 0 ? (cohort > 0 ? 100 : null) : (conversion?.percent ?? null);
    return {
      name: stage.name,
      entered: stage.entered,
      percent,
      percentText: percentText(percent),
      medianText: index === 0 ? '' : durationText(conversion?.medianSeconds ?? null),
      reasonsText: reasonsText(stage),
      competitorsText: competitorsText(stage),
      textBar: textBar(percent),
    };
  });
  const lines = textColumns(
    [[reader.t('funnelReport.colStage'), reader.t('funnelReport.colEntered'), reader.t('funnelReport.colOfCohort'), '', reader.t('funnelReport.colMedianFrom', { first: group.stages[0]?.name ?? '' })], ...stages.map((stage) => [stage.name, String(stage.entered), stage.percentText, stage.textBar, stage.medianText])],
    [1, 2],
  );
  return {
    label: groupLabel(group.key, model.by, reader),
    cohort,
    cohortText: reader.t('funnelReport.leads', { count: cohort }),
    stages: stages.map((stage, index) => ({ ...stage, textLine: lines[index + 1] })),
    headerLine: lines[0],
    described: stages.filter((stage) => stage.reasonsText || stage.competitorsText),
    winRateText: percentText(group.winRate),
    neverWorked: group.neverWorked
      ? {
          count: group.neverWorked.count,
          subjectsText: group.neverWorked.subjects.map((lead) => lead.subject).join(', '),
          more: group.neverWorked.count - group.neverWorked.subjects.length,
        }
      : null,
    compliance: group.compliance.map((line) => ({
      ...line,
      percentText: percentText(line.percent),
      decided: line.met + line.breached,
    })),
  };
}

/** The model, with what the HTML and text templates show beside it. */
export function funnelContext(model: FunnelReport, zone: string, reader: ReportReader = ENGLISH_REPORT) {
  return {
    title: model.by ? reader.t('funnelReport.titleBy', { by: model.by }) : reader.t('funnelReport.title'),
    generatedAt: model.generatedAt,
    timezone: zone,
    periodLabel: reader.days(model, zone),
    cohortRule: cohortRule(model, zone, reader),
    neverWorkedDays: model.neverWorkedDays,
    sqlStage: model.groups.some((group) => group.neverWorked !== null),
    totals: model.stages.map((stage) => ({ name: stage.name, entered: stage.entered })),
    groups: model.groups.map((group) => groupContext(group, model, reader)),
  };
}

export const FUNNEL_CSV_HEADER = ['group', 'stage', 'entered', 'percent_of_cohort', 'median_seconds', 'win_rate', 'detail', 'value', 'count'];

/**
 * A row per group and stage, in funnel order — entered, the share of the group's cohort
 * (100 for the cohort's stage), the median seconds from the cohort entry and the group's win
 * rate — each followed by a row per reason and per competitor of that stage (`detail` "reason"
 * or "competitor", `value` the name, `count`), whose other figures are empty. A group without
 * the attribute has an empty `group`.
 */
export function funnelCsv(model: FunnelReport): string {
  const rows: CsvValue[][] = [];
  for (const group of model.groups) {
    const conversions = new Map(group.conversions.map((conversion) => [conversion.toStageId, conversion]));
    group.stages.forEach((stage, index) => {
      const conversion = conversions.get(stage.stageId);
      const key = model.by === null ? 'all' : group.key;
      rows.push([key, stage.name, stage.entered, index === 0 ? 100 : (conversion?.percent ?? null), conversion?.medianSeconds ?? null, group.winRate, null, null, null]);
      for (const reason of stage.reasons ?? []) rows.push([key, stage.name, null, null, null, null, 'reason', reason.reason, reason.count]);
      for (const competitor of stage.competitors ?? []) rows.push([key, stage.name, null, null, null, null, 'competitor', competitor.competitor, competitor.count]);
    });
  }
  return toCsv(FUNNEL_CSV_HEADER, rows);
}
