import type { FunnelReport } from '../../reports/funnel-report.dto.js';
import { presentDashboardFunnel } from './dashboard-funnel.view.js';

const stage = (stageId: string, name: string, entered: number, extra: object = {}) => ({ stageId, name, entered, ...extra });
const conversion = (to: string, toStageId: string, percent: number | null) => ({ from: 'MQL', to, fromStageId: 'mql', toStageId, percent, medianSeconds: null });

/** The funnel: trade-show and webinar, plus a small third source. */
function report(): FunnelReport {
  return {
    from: '2026-09-01T00:00:00.000Z',
    to: '2026-11-30T00:00:00.000Z',
    by: 'source',
    neverWorkedDays: 14,
    generatedAt: '2026-11-30T00:00:00.000Z',
    stages: [stage('mql', 'MQL', 21), stage('sql', 'SQL', 8), stage('won', 'Won', 3), stage('lost', 'Lost', 4), stage('rej', 'Rejected', 4)],
    groups: [
      {
        key: 'ads',
        stages: [stage('mql', 'MQL', 1), stage('sql', 'SQL', 0), stage('won', 'Won', 0), stage('lost', 'Lost', 0), stage('rej', 'Rejected', 0)],
        conversions: [conversion('SQL', 'sql', 0)],
        winRate: null,
        neverWorked: null,
        compliance: [],
      },
      {
        key: 'trade-show',
        stages: [
          stage('mql', 'MQL', 10),
          stage('sql', 'SQL', 6),
          stage('won', 'Won', 3),
          stage('lost', 'Lost', 2, { reasons: [{ reason: 'price', count: 1 }, { reason: 'competitor', count: 1 }], competitors: [{ competitor: 'Acme', count: 1 }] }),
          stage('rej', 'Rejected', 1, { reasons: [{ reason: 'duplicate', count: 1 }] }),
        ],
        conversions: [conversion('SQL', 'sql', 60)],
        winRate: 60,
        neverWorked: null,
        compliance: [],
      },
      {
        key: 'webinar',
        stages: [
          stage('mql', 'MQL', 10),
          stage('sql', 'SQL', 2),
          stage('won', 'Won', 0),
          stage('lost', 'Lost', 2, { reasons: [{ reason: 'no budget', count: 2 }] }),
          stage('rej', 'Rejected', 3, { reasons: [{ reason: 'not our market', count: 2 }, { reason: 'student', count: 1 }] }),
        ],
        conversions: [conversion('SQL', 'sql', 20)],
        winRate: 0,
        neverWorked: null,
        compliance: [],
      },
    ],
  } as unknown as FunnelReport;
}

describe('the dashboard funnel', () => {
  const view = presentDashboardFunnel(report(), 'Europe/Paris', '/reports/funnel');

  it('draws the organisation’s funnel, every source together, as shares of the first stage', () => {
    expect(view.chart?.description).toBe('All sources: MQL 21, SQL 8 (38.1 %), Won 3 (14.3 %), Lost 4 (19 %), Rejected 4 (19 %).');
  });

  it('lists the sources largest first, each with the later stages and its win rate, parts adding up to the totals', () => {
    expect(view.stageNames).toEqual(['SQL', 'Won', 'Lost', 'Rejected']);
    expect(view.sources.map((row) => [row.label, row.cohort, ...row.entered, row.winRate])).toEqual([
      ['trade-show', 10, 6, 3, 2, 1, 60],
      ['webinar', 10, 2, 0, 2, 3, 0],
      ['ads', 1, 0, 0, 0, 0, null],
    ]);
    const sum = (index: number) => view.sources.reduce((total, row) => total + row.entered[index], 0);
    expect([view.sources.reduce((total, row) => total + row.cohort, 0), sum(0), sum(1), sum(2), sum(3)]).toEqual([21, 8, 3, 4, 4]);
  });

  it('draws a small funnel for the largest sources only', () => {
    expect(view.charts.map((chart) => chart.label)).toEqual(['trade-show', 'webinar', 'ads']);
    expect(presentDashboardFunnel({ ...report(), groups: [] } as FunnelReport, 'Europe/Paris', '/reports/funnel').charts).toEqual([]);
  });

  it('sums the reasons of each stage across sources, the most frequent first', () => {
    expect(view.reasons).toEqual([
      { stage: 'Lost', reasons: [{ reason: 'no budget', count: 2 }, { reason: 'price', count: 1 }, { reason: 'competitor', count: 1 }], competitors: [{ competitor: 'Acme', count: 1 }] },
      { stage: 'Rejected', reasons: [{ reason: 'not our market', count: 2 }, { reason: 'duplicate', count: 1 }, { reason: 'student', count: 1 }], competitors: [] },
    ]);
  });

  it('says what the cohort is', () => {
    expect(view.cohortRule).toMatch(/^Leads that entered MQL from .*; their later stages count whenever they happened\.$/);
  });
});
