import { parse } from 'csv-parse/sync';
import { NOVEMBER_FUNNEL } from '../../test/support/funnel-report-sample.js';
import { cohortRule, funnelContext, funnelCsv, funnelFileName, FUNNEL_CSV_HEADER, groupLabel } from './funnel-report.view.js';

describe('the funnel report as people read it', () => {
  it('names groups, the cohort rule and the file in the reader\'s days', () => {
    expect(groupLabel('webinar', 'source')).toBe('webinar');
    expect(groupLabel(null, 'source')).toBe('(no source)');
    expect(groupLabel('all', null)).toBe('All leads');
    expect(cohortRule(NOVEMBER_FUNNEL, 'Europe/Paris')).toBe('Leads that entered MQL from 2026-11-01 to 2026-11-30; their later stages count whenever they happened.');
    expect(cohortRule({ ...NOVEMBER_FUNNEL, stages: [], groups: [] }, 'Europe/Paris')).toMatch(/No funnel stage is entered by an event/);
    expect(funnelFileName(NOVEMBER_FUNNEL, 'Europe/Paris')).toBe('funnel-report-2026-11-01-to-2026-11-30-by-source');
    expect(funnelFileName({ ...NOVEMBER_FUNNEL, by: null }, 'America/New_York')).toBe('funnel-report-2026-10-31-to-2026-11-30');
  });

  it('words each group for the templates: shares, medians, reasons, the never-worked and the response times', () => {
    const context = funnelContext(NOVEMBER_FUNNEL, 'Europe/Paris');
    expect(context.title).toBe('Funnel by source');
    const [tradeShow, none] = context.groups;
    expect(tradeShow).toMatchObject({ label: 'trade-show', cohort: 10, cohortText: '10 leads', winRateText: '0 %' });
    expect(tradeShow.stages.map((stage) => [stage.name, stage.percentText, stage.medianText])).toEqual([
      ['MQL', '100 %', ''],
      ['SQL', '60 %', '1 d'],
      ['Lost', '20 %', '2 d 1 h'],
    ]);
    expect(tradeShow.described).toEqual([expect.objectContaining({ name: 'Lost', reasonsText: 'price 1 · =cmd|calc 1', competitorsText: 'Acme 1' })]);
    expect(tradeShow.headerLine).toBe('Stage   Entered   Of cohort                            Median from MQL');
    expect(tradeShow.stages[1].textLine).toBe('SQL           6        60 %   [############--------]   1 d');
    expect(tradeShow.neverWorked).toEqual({ count: 3, subjectsText: 'TS-6', more: 2 });
    expect(tradeShow.compliance).toEqual([expect.objectContaining({ percentText: '91.7 %', decided: 12 })]);
    expect(none).toMatchObject({ label: '(no source)', cohortText: '2 leads', winRateText: '–', described: [] });
  });

  it('writes a CSV row per group and stage, then a row per reason and competitor, formulas neutralised', () => {
    const rows: string[][] = parse(funnelCsv(NOVEMBER_FUNNEL), { bom: true });
    expect(rows[0]).toEqual(FUNNEL_CSV_HEADER);
    expect(rows.slice(1)).toEqual([
      ['trade-show', 'MQL', '10', '100', '', '0', '', '', ''],
      ['trade-show', 'SQL', '6', '60', '86400', '0', '', '', ''],
      ['trade-show', 'Lost', '2', '20', '176400', '0', '', '', ''],
      ['trade-show', 'Lost', '', '', '', '', 'reason', 'price', '1'],
      ['trade-show', 'Lost', '', '', '', '', 'reason', "'=cmd|calc", '1'],
      ['trade-show', 'Lost', '', '', '', '', 'competitor', 'Acme', '1'],
      ['', 'MQL', '2', '100', '', '', '', '', ''],
      ['', 'SQL', '0', '0', '', '', '', '', ''],
      ['', 'Lost', '0', '0', '', '', '', '', ''],
    ]);
  });
});
