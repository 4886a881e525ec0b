import { inZone, isoLocalDate } from '../common/instant-format.js';
import { durationInWords, formatDate, formatPercent } from '../i18n/formats.js';
import type { Locale } from '../i18n/locales.js';
import { sharedTranslator, type Translator } from '../i18n/translator.js';
import { formatDuration } from '../notifications/template-renderer.js';
import { conversionsShort } from '../tracking/domain/conversion.js';
import type { ConversionPeriodView, QuotaPeriodView } from '../tracking/tracking.dto.js';
import { toCsv } from './csv.js';
import type { BreachLine, BreachReport, Offender, QuotaFigures, ResponseFigures, SharedKpiFigures } from './reports.dto.js';

/*
 * What the templates cannot do themselves: pick colours, word a figure, pad plain-text columns.
 * Strict Handlebars has no padding, and a terminal mail client needs aligned columns.
 */

const GREEN = '#1f7a3f';
const RED = '#c81e1e';
const GREY = '#9aa5b1';
const TEXT_BAR_WIDTH = 20;

const toneOf = (goalMet: boolean | null) => (goalMet === true ? GREEN : goalMet === false ? RED : GREY);
const localDate = isoLocalDate;

/**
 * The report's words in its reader's language: breachReport.* messages, percentages and working
 * time as that language writes them. English keeps the figures exactly as the report always
 * wrote them ("66.7 %", "3 h 20 min"); numbers go to messages as text, so no language regroups them.
 */
export class ReportWords {
  constructor(
    readonly locale: Locale = 'en',
    private readonly translator: Translator = sharedTranslator(),
  ) {}

  t(key: string, values?: Record<string, string | number>): string {
    return this.translator.t(this.locale, `breachReport.${key}`, values);
  }

  percent(value: number | null): string {
    if (value === null) return '–';
    return this.locale === 'en' ? `${Math.round(value * 10) / 10} %` : formatPercent(value, this.locale);
  }

  duration(seconds: number | null): string {
    if (seconds === null) return '–';
    return this.locale === 'en' ? formatDuration(seconds) : durationInWords(this.translator, this.locale, seconds, { business: true, style: 'long' });
  }

  day(instant: string | number, zone: string): string {
    return this.locale === 'en' ? localDate(instant, zone) : formatDate(instant, zone, this.locale, 'medium');
  }

  verdict(goalMet: boolean | null): string {
    return this.t('verdict', { state: goalMet === true ? 'met' : goalMet === false ? 'missed' : 'open' });
  }
}

/** "[########------------]": a bar that survives a terminal. */
export function textBar(percent: number | null): string {
  const filled = percent === null ? 0 : Math.round((Math.max(0, Math.min(100, percent)) * TEXT_BAR_WIDTH) / 100);
  return `[${'#'.repeat(filled)}${'-'.repeat(TEXT_BAR_WIDTH - filled)}]`;
}

/** Rows of cells as aligned lines: columns listed in `right` are right-aligned (numbers). */
export function textColumns(rows: string[][], right: number[] = []): string[] {
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => row[column].length))) ?? [];
  return rows.map((row) =>
    row
      .map((cell, column) => (right.includes(column) ? cell.padStart(widths[column]) : cell.padEnd(widths[column])))
      .join('   ')
      .trimEnd(),
  );
}

/** First and last day of [from, to) in the reader's zone: "2026-11-01 to 2026-11-30". */
export function daysLabel(window: { from: string; to: string }, zone: string): string {
  return `${localDate(window.from, zone)} to ${localDate(Date.parse(window.to) - 1, zone)}`;
}

/** "3 more than the previous period (2)". */
function changeText(now: number, before: number, words: ReportWords): string {
  if (now === before) return words.t('change.same', { previous: String(before) });
  return now > before ? words.t('change.more', { count: String(now - before), previous: String(before) }) : words.t('change.fewer', { count: String(before - now), previous: String(before) });
}

function responseContext(figures: ResponseFigures, words: ReportWords) {
  return {
    ...figures,
    tone: toneOf(figures.goalMet),
    verdict: words.verdict(figures.goalMet),
    metText: words.percent(figures.metPercent),
    previousText: words.percent(figures.previousMetPercent),
    goalText: words.percent(figures.goalPercent),
    metBar: textBar(figures.metPercent),
    previousBar: textBar(figures.previousMetPercent),
    medianText: words.duration(figures.medianSeconds),
    p90Text: words.duration(figures.p90Seconds),
    byTarget: figures.targets.map((target) => `${target.name} ${target.breached}`).join(' · '),
  };
}

function periodStatus(period: QuotaPeriodView, words: ReportWords): string {
  if (period.status === 'missed') return words.t('quota.missed', { short: String(period.minimum - period.count) });
  if (period.status === 'met') return words.t('quota.met');
  if (period.projected !== null && period.projected !== undefined) return words.t('quota.pace', { projected: String(period.projected), minimum: String(period.minimum) });
  return words.t('quota.running');
}

function quotaContext(figures: QuotaFigures, zone: string, words: ReportWords) {
  const cells = figures.periods.map((period) => [period.label, words.t('countOf', { count: String(period.count), minimum: String(period.minimum) }), periodStatus(period, words)]);
  const lines = textColumns(cells, [1]);
  return {
    ...figures,
    tone: toneOf(figures.goalMet),
    verdict: words.verdict(figures.goalMet),
    periods: figures.periods.map((period, index) => ({
      ...period,
      lastDay: localDate(Date.parse(period.end) - 1, zone),
      countPercent: period.minimum > 0 ? (period.count * 100) / period.minimum : 100,
      tone: period.status === 'met' || period.onTrack === true ? GREEN : period.status === 'missed' || period.onTrack === false ? RED : GREY,
      statusText: periodStatus(period, words),
      textLine: lines[index],
    })),
  };
}

/** "missed, 2 short", "met", "open, projected 53.3 %": where a conversion period stands. */
function conversionStatus(period: ConversionPeriodView, words: ReportWords): string {
  if (period.status === 'missed') return words.t('conversion.missed', { short: String(conversionsShort(period, period.minimumPercent)) });
  if (period.status === 'met') return words.t('conversion.met');
  return period.projected === null ? words.t('conversion.open') : words.t('conversion.projected', { percent: words.percent(period.projected) });
}

function conversionTone(period: ConversionPeriodView): string {
  if (period.status === 'met') return GREEN;
  if (period.status === 'missed') return RED;
  return period.projected === null ? GREY : period.projected >= period.minimumPercent ? GREEN : RED;
}

function sharedKpiContext(figures: SharedKpiFigures, zone: string, words: ReportWords) {
  const cells = figures.periods.map((period) => [
    period.label,
    words.t('countOf', { count: String(period.converted), minimum: String(period.cohort) }),
    words.percent(period.percent),
    words.t('conversion.minimum', { minimum: String(period.minimumPercent) }),
    conversionStatus(period, words),
  ]);
  const lines = textColumns(cells, [1, 2]);
  return {
    ...figures,
    tone: toneOf(figures.goalMet),
    verdict: words.verdict(figures.goalMet),
    periods: figures.periods.map((period, index) => ({
      ...period,
      percentText: words.percent(period.percent),
      // The bar is full once the minimum is reached, as a quota's is.
      barPercent: period.percent === null ? 0 : period.minimumPercent > 0 ? (period.percent * 100) / period.minimumPercent : 100,
      tone: conversionTone(period),
      statusText: conversionStatus(period, words),
      closesOn: words.day(period.closesAt, zone),
      textLine: lines[index],
    })),
  };
}

/** Words on lines of at most `width` characters, the lines after the first indented by `indent`. */
export function wrapText(text: string, width: number, indent: number): string {
  const lines: string[] = [];
  let current = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (current && current.length + 1 + word.length > width - indent) {
      lines.push(current);
      current = word;
    } else {
      current = current ? `${current} ${word}` : word;
    }
  }
  lines.push(current);
  return lines.join(`\n${' '.repeat(indent)}`);
}

/** The explanation lines of the text part start at column 11 ("    cause  …"). */
const EXPLANATION_INDENT = 11;

/** How far a breach fell short: working time late, events or conversions below the minimum. */
function lateText(line: BreachLine, words: ReportWords): string {
  if (line.kind === 'quota') return words.t('late.quota', { short: String(line.shortfall ?? 0) });
  if (line.kind === 'conversion') return words.t('late.conversion', { count: line.shortfall ?? 0 });
  const late = words.duration(line.lateSeconds);
  return line.stillOpen ? words.t('late.responseOpen', { late }) : words.t('late.response', { late });
}

function breachContext(line: BreachLine, words: ReportWords) {
  const lateLabel = line.kind === 'response' ? words.t('late.label') : words.t('short.label');
  return {
    ...line,
    causeText: wrapText(line.cause ?? '', 78, EXPLANATION_INDENT),
    actionText: wrapText(line.correctiveAction ?? '', 78, EXPLANATION_INDENT),
    subjectText: line.subject ?? words.t('noSubject'),
    lateLabel,
    /** The same label as a text column, as wide as "Action". */
    lateColumn: lateLabel.padEnd(6),
    lateText: lateText(line, words),
  };
}

function offenderLines(offenders: Offender[], words: ReportWords): string[] {
  const name = (offender: Offender) => (offender.owner.kind === 'department' ? words.t('offenders.department', { name: offender.owner.name }) : offender.owner.name);
  return textColumns(
    [[words.t('offenders.owner'), words.t('offenders.breaches'), words.t('offenders.unexplained')], ...offenders.map((o) => [name(o), String(o.breaches), String(o.unexplained)])],
    [1, 2],
  );
}

/** The model, with what the HTML and text templates show beside it. */
export function reportContext(model: BreachReport, words: ReportWords = new ReportWords()) {
  const { headline } = model;
  const days = (window: { from: string; to: string }) =>
    words.t('days', { from: words.day(window.from, model.timezone), to: words.day(Date.parse(window.to) - 1, model.timezone) });
  return {
    ...model,
    locale: words.locale,
    title: model.department ? words.t('titleOf', { department: model.department.name }) : words.t('title'),
    periodLabel: days(model.period),
    previousLabel: days(model.previousPeriod),
    goalText: words.t('countOf', { count: String(headline.metGoal), minimum: String(headline.agreementsInForce) }),
    breachesChange: changeText(headline.breaches, headline.previousBreaches, words),
    breachesTone: headline.breaches > headline.previousBreaches ? RED : headline.breaches < headline.previousBreaches ? GREEN : '#1f2933',
    responses: model.responses.map((figures) => responseContext(figures, words)),
    quotas: model.quotas.map((quota) => quotaContext(quota, model.timezone, words)),
    conversions: model.conversions.map((kpi) => sharedKpiContext(kpi, model.timezone, words)),
    breaches: model.breaches.map((line) => breachContext(line, words)),
    offenderLines: offenderLines(model.offenders, words),
  };
}

/** "breach-report-2026-11-01-to-2026-11-30", dates in the reader's zone. */
export function reportFileName(model: BreachReport): string {
  return `breach-report-${daysLabel(model.period, model.timezone).replace(/ /g, '-')}`;
}

/** Columns are only ever added, at the end: spreadsheets and scripts read them by position too. */
export const CSV_HEADER = [
  'agreement',
  'kind',
  'subject',
  'target',
  'owner',
  'department',
  'due',
  'late_seconds',
  'shortfall',
  'explained',
  'cause',
  'corrective_action',
  'still_open',
  'period',
  'cohort',
  'converted',
  'percent',
  'minimum_percent',
];

/** One row per breach; due times as ISO instants with the reader's offset. */
export function breachesCsv(model: BreachReport): string {
  return toCsv(
    CSV_HEADER,
    model.breaches.map((line) => [
      line.agreementName,
      line.kind,
      line.subject,
      line.targetName,
      line.owner.name,
      line.department.name,
      inZone(line.dueAt, model.timezone).toISO({ suppressMilliseconds: true }),
      line.lateSeconds,
      line.shortfall,
      line.explained ? 'yes' : 'no',
      line.cause,
      line.correctiveAction,
      line.stillOpen === null ? null : line.stillOpen ? 'yes' : 'no',
      line.period,
      line.conversion?.cohort ?? null,
      line.conversion?.converted ?? null,
      line.conversion?.percent ?? null,
      line.conversion?.minimumPercent ?? null,
    ]),
  );
}
