import { inZone, isoLocalDate } from '../common/instant-format.js';
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
const verdictOf = (goalMet: boolean | null) => (goalMet === true ? 'goal met' : goalMet === false ? 'goal missed' : 'not decided yet');
const percentText = (value: number | null) => (value === null ? '–' : `${Math.round(value * 10) / 10} %`);
const durationText = (seconds: number | null) => (seconds === null ? '–' : formatDuration(seconds));
const localDate = isoLocalDate;

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

function changeText(now: number, before: number): string {
  if (now === before) return 'as many as';
  return now > before ? `${now - before} more than` : `${before - now} fewer than`;
}

function responseContext(figures: ResponseFigures) {
  return {
    ...figures,
    tone: toneOf(figures.goalMet),
    verdict: verdictOf(figures.goalMet),
    metText: percentText(figures.metPercent),
    previousText: percentText(figures.previousMetPercent),
    goalText: percentText(figures.goalPercent),
    metBar: textBar(figures.metPercent),
    previousBar: textBar(figures.previousMetPercent),
    medianText: durationText(figures.medianSeconds),
    p90Text: durationText(figures.p90Seconds),
    byTarget: figures.targets.map((target) => `${target.name} ${target.breached}`).join(' · '),
  };
}

function periodStatus(period: QuotaPeriodView): string {
  if (period.status === 'missed') return `missed, ${period.minimum - period.count} short`;
  if (period.status === 'met') return 'met';
  return period.pace ?? 'running';
}

function quotaContext(figures: QuotaFigures, zone: string) {
  const cells = figures.periods.map((period) => [period.label, `${period.count} of ${period.minimum}`, periodStatus(period)]);
  const lines = textColumns(cells, [1]);
  return {
    ...figures,
    tone: toneOf(figures.goalMet),
    verdict: verdictOf(figures.goalMet),
    periods: figures.periods.map((period, index) => ({
      ...period,
      lastDay: localDate(Date.parse(period.end) - 1, zone),
      countPercent: period.minimum > 0 ? (period.count * 100) / period.minimum : 100,
      tone: period.status === 'met' || period.onTrack === true ? GREEN : period.status === 'missed' || period.onTrack === false ? RED : GREY,
      statusText: periodStatus(period),
      textLine: lines[index],
    })),
  };
}

/** "missed, 2 short", "met", "open, projected 53.3 %": where a conversion period stands. */
function conversionStatus(period: ConversionPeriodView): string {
  if (period.status === 'missed') return `missed, ${conversionsShort(period, period.minimumPercent)} short`;
  if (period.status === 'met') return 'met';
  return period.projected === null ? 'open' : `open, projected ${percentText(period.projected)}`;
}

function conversionTone(period: ConversionPeriodView): string {
  if (period.status === 'met') return GREEN;
  if (period.status === 'missed') return RED;
  return period.projected === null ? GREY : period.projected >= period.minimumPercent ? GREEN : RED;
}

function sharedKpiContext(figures: SharedKpiFigures, zone: string) {
  const cells = figures.periods.map((period) => [
    period.label,
    `${period.converted} of ${period.cohort}`,
    percentText(period.percent),
    `min ${period.minimumPercent} %`,
    conversionStatus(period),
  ]);
  const lines = textColumns(cells, [1, 2]);
  return {
    ...figures,
    tone: toneOf(figures.goalMet),
    verdict: verdictOf(figures.goalMet),
    periods: figures.periods.map((period, index) => ({
      ...period,
      percentText: percentText(period.percent),
      // The bar is full once the minimum is reached, as a quota's is.
      barPercent: period.percent === null ? 0 : period.minimumPercent > 0 ? (period.percent * 100) / period.minimumPercent : 100,
      tone: conversionTone(period),
      statusText: conversionStatus(period),
      closesOn: localDate(period.closesAt, zone),
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
function lateText(line: BreachLine): string {
  if (line.kind === 'quota') return `${line.shortfall ?? 0} below the minimum`;
  if (line.kind === 'conversion') {
    const short = line.shortfall ?? 0;
    return `${short} ${short === 1 ? 'conversion' : 'conversions'} below the minimum`;
  }
  return `${durationText(line.lateSeconds)} of working time${line.stillOpen ? ', still open past due' : ''}`;
}

function breachContext(line: BreachLine) {
  const lateLabel = line.kind === 'response' ? 'Late' : 'Short';
  return {
    ...line,
    causeText: wrapText(line.cause ?? '', 78, EXPLANATION_INDENT),
    actionText: wrapText(line.correctiveAction ?? '', 78, EXPLANATION_INDENT),
    subjectText: line.subject ?? '(no subject)',
    lateLabel,
    /** The same label as a text column, as wide as "Action". */
    lateColumn: lateLabel.padEnd(6),
    lateText: lateText(line),
  };
}

function offenderLines(offenders: Offender[]): string[] {
  const name = (offender: Offender) => (offender.owner.kind === 'department' ? `${offender.owner.name} (department)` : offender.owner.name);
  return textColumns(
    [['Owner', 'Breaches', 'Unexplained'], ...offenders.map((o) => [name(o), String(o.breaches), String(o.unexplained)])],
    [1, 2],
  );
}

/** The model, with what the HTML and text templates show beside it. */
export function reportContext(model: BreachReport) {
  const { headline } = model;
  return {
    ...model,
    title: model.department ? `Breach report: ${model.department.name}` : 'Breach report',
    periodLabel: daysLabel(model.period, model.timezone),
    previousLabel: daysLabel(model.previousPeriod, model.timezone),
    goalText: `${headline.metGoal} of ${headline.agreementsInForce}`,
    breachesChange: `${changeText(headline.breaches, headline.previousBreaches)} the previous period (${headline.previousBreaches})`,
    breachesTone: headline.breaches > headline.previousBreaches ? RED : headline.breaches < headline.previousBreaches ? GREEN : '#1f2933',
    responses: model.responses.map(responseContext),
    quotas: model.quotas.map((quota) => quotaContext(quota, model.timezone)),
    conversions: model.conversions.map((kpi) => sharedKpiContext(kpi, model.timezone)),
    breaches: model.breaches.map(breachContext),
    offenderLines: offenderLines(model.offenders),
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
