import { DateTime } from 'luxon';
import { fieldErrors, type FieldErrors } from '../../common/errors.js';
import { DEFAULT_NEVER_WORKED_DAYS, type FunnelReport } from '../../reports/funnel-report.dto.js';
import type { FunnelReportRequest } from '../../reports/funnel-report.service.js';
import { funnelContext, reportReader, type ReportReader } from '../../reports/funnel-report.view.js';
import { dayStart, text } from '../forms.js';
import { funnelChart } from './funnel-chart.js';

/** The window the page opens on: the last 90 days, today included. */
export const DEFAULT_WINDOW_DAYS = 90;
/** What the page groups by until the reader picks otherwise. */
export const DEFAULT_GROUPING = 'source';

/** The page's filters, as the address carries them. */
export interface FunnelFilters {
  from?: unknown;
  to?: unknown;
  by?: unknown;
  neverWorkedDays?: unknown;
}

/** The filters as the form shows them again: days in the reader's zone, "" for no grouping. */
export interface FunnelFilterValues {
  from: string;
  to: string;
  by: string;
  neverWorkedDays: string;
}

/**
 * Reads the page's filters: the values to show again and the report they ask for. Days are the
 * reader's: "from" from its first instant, "to" up to the end of that day. An absent `by` means
 * the default grouping; an empty one, none.
 */
export function readFunnelFilters(filters: FunnelFilters, zone: string, now: Date): { values: FunnelFilterValues; request: FunnelReportRequest | null; errors: FieldErrors } {
  const today = DateTime.fromJSDate(now, { zone }).startOf('day');
  const values: FunnelFilterValues = {
    from: text(filters.from) ?? (today.minus({ days: DEFAULT_WINDOW_DAYS - 1 }).toISODate() as string),
    to: text(filters.to) ?? (today.toISODate() as string),
    by: filters.by === undefined ? DEFAULT_GROUPING : (text(filters.by) ?? ''),
    neverWorkedDays: text(filters.neverWorkedDays) ?? String(DEFAULT_NEVER_WORKED_DAYS),
  };
  const errors = fieldErrors();
  const from = dayStart(values.from, zone, 'from', errors);
  const to = dayStart(values.to, zone, 'to', errors, true);
  if (!/^\d{1,4}$/.test(values.neverWorkedDays)) errors.neverWorkedDays = ['neverWorkedDays must be a whole number of days'];
  const request = from && to && Object.keys(errors).length === 0 ? { from, to, by: values.by || null, neverWorkedDays: Number(values.neverWorkedDays) } : null;
  return { values, request, errors };
}

/** The API's query for the same figures: the window as instants. */
export function apiQuery(model: FunnelReport): string {
  const query = new URLSearchParams({ from: model.from, to: model.to });
  if (model.by) query.set('by', model.by);
  query.set('neverWorkedDays', String(model.neverWorkedDays));
  return query.toString();
}

/** The page's own query (days in the reader's zone), for the CSV and JSON beside it. */
export function pageQuery(values: FunnelFilterValues): string {
  return new URLSearchParams({ from: values.from, to: values.to, by: values.by, neverWorkedDays: values.neverWorkedDays }).toString();
}

export interface FunnelPageInput {
  values: FunnelFilterValues;
  errors: FieldErrors;
  /** Null when the filters were refused. */
  model: FunnelReport | null;
  /** Attributes the latest leads carry, to offer as groupings. */
  attributes: readonly string[];
  zone: string;
}

/**
 * The funnel page: the window picker, then per group its chart, the table of stages, reasons and
 * competitors, the SQLs never worked and the group's response times, and links to the same
 * figures as CSV and JSON.
 */
export function presentFunnelPage(input: FunnelPageInput, reader: ReportReader = reportReader('en')) {
  const { model, values, zone } = input;
  const offered = [...new Set([...input.attributes, DEFAULT_GROUPING, ...(values.by ? [values.by] : [])])].sort((a, b) => a.localeCompare(b));
  const context = model ? funnelContext(model, zone, reader) : null;
  const query = pageQuery(values);
  return {
    values,
    errors: Object.keys(input.errors).length > 0 ? input.errors : null,
    byOptions: [{ value: '', label: reader.t('funnelReport.page.noGrouping') }, ...offered.map((name) => ({ value: name, label: name }))],
    zone,
    report: context
      ? {
          ...context,
          totalsText: context.totals.map((stage) => `${stage.name} ${stage.entered}`).join(' · '),
          groups: context.groups.map((group, index) => {
            const source = (model as FunnelReport).groups[index];
            return {
              ...group,
              id: `group-${index + 1}`,
              firstStage: source.stages[0]?.name ?? '',
              // A right-to-left page mirrors the chart itself (the funnel-chart partial, as on the
              // dashboard): mirroring the rows here too would put them back where they were.
              chart: funnelChart(group.label, group.stages),
              neverWorkedLeads: source.neverWorked?.subjects ?? [],
            };
          }),
        }
      : null,
    links: model ? { csv: `/reports/funnel.csv?${query}`, json: `/reports/funnel.json?${query}`, api: `/api/reports/funnel?${apiQuery(model)}&format=json` } : null,
  };
}
