import { NOVEMBER_FUNNEL } from '../../../test/support/funnel-report-sample.js';
import { presentFunnelPage, readFunnelFilters } from './funnel-page.view.js';

const NOW = new Date('2026-12-15T08:00:00Z');

describe('the funnel page', () => {
  it('opens on the last 90 days by source, today included, in the reader\'s days', () => {
    const { values, request, errors } = readFunnelFilters({}, 'Europe/Paris', NOW);
    expect(values).toEqual({ from: '2026-09-17', to: '2026-12-15', by: 'source', neverWorkedDays: '14' });
    expect(request).toEqual({ from: '2026-09-17T00:00:00.000+02:00', to: '2026-12-16T00:00:00.000+01:00', by: 'source', neverWorkedDays: 14 });
    expect(Object.keys(errors)).toEqual([]);
  });

  it('reads an empty grouping as none, and refuses days and numbers that are not', () => {
    expect(readFunnelFilters({ from: '2026-11-01', to: '2026-11-30', by: '' }, 'UTC', NOW).request).toEqual({
      from: '2026-11-01T00:00:00.000Z',
      to: '2026-12-01T00:00:00.000Z',
      by: null,
      neverWorkedDays: 14,
    });
    const refused = readFunnelFilters({ from: 'yesterday', to: '2026-02-30', neverWorkedDays: '1e3', by: ['a', 'b'] }, 'UTC', NOW);
    expect(refused.request).toBeNull();
    expect(Object.keys(refused.errors).sort()).toEqual(['from', 'neverWorkedDays', 'to']);
    expect(refused.values.by).toBe('');
  });

  it('offers the attributes leads carry to group by, with the figures as CSV and JSON beside', () => {
    const { values } = readFunnelFilters({ from: '2026-11-01', to: '2026-11-30', by: 'source' }, 'Europe/Paris', NOW);
    const view = presentFunnelPage({ values, errors: {}, model: NOVEMBER_FUNNEL, attributes: ['score', 'campaign'], zone: 'Europe/Paris' });
    expect(view.byOptions.map((option) => option.value)).toEqual(['', 'campaign', 'score', 'source']);
    expect(view.errors).toBeNull();
    expect(view.links).toEqual({
      csv: '/reports/funnel.csv?from=2026-11-01&to=2026-11-30&by=source&neverWorkedDays=14',
      json: '/reports/funnel.json?from=2026-11-01&to=2026-11-30&by=source&neverWorkedDays=14',
      api: '/api/reports/funnel?from=2026-10-31T23%3A00%3A00.000Z&to=2026-11-30T23%3A00%3A00.000Z&by=source&neverWorkedDays=14&format=json',
    });
    const report = view.report!;
    expect(report.totalsText).toBe('MQL 12 · SQL 6 · Lost 2');
    expect(report.groups.map((group) => [group.id, group.label, group.firstStage])).toEqual([
      ['group-1', 'trade-show', 'MQL'],
      ['group-2', '(no source)', 'MQL'],
    ]);
    expect(report.groups[0].chart.description).toBe('trade-show: MQL 10, SQL 6 (60 %), Lost 2 (20 %).');
    expect(report.groups[0].neverWorkedLeads).toEqual([{ subject: 'TS-6', enteredAt: '2026-11-10T09:00:00.000Z' }]);
  });

  it('shows the form again with its errors and no figures when the filters were refused', () => {
    const { values, errors } = readFunnelFilters({ from: 'soon', by: 'utm.campaign' }, 'UTC', NOW);
    const view = presentFunnelPage({ values, errors, model: null, attributes: [], zone: 'UTC' });
    expect(view.errors).toEqual({ from: ['from must be a date such as 2026-11-02'] });
    expect(view.report).toBeNull();
    expect(view.links).toBeNull();
    expect(view.byOptions.map((option) => option.value)).toEqual(['', 'source', 'utm.campaign']);
  });
});
