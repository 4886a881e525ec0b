import type { FunnelReport } from '../../src/reports/funnel-report.dto.js';

/** November in Paris, by source: a trade-show group and one whose MQL events carry no source. */
export const NOVEMBER_FUNNEL: FunnelReport = {
  from: '2026-10-31T23:00:00.000Z',
  to: '2026-11-30T23:00:00.000Z',
  by: 'source',
  neverWorkedDays: 14,
  generatedAt: '2026-12-15T08:00:00.000Z',
  stages: [
    { stageId: 'mql', name: 'MQL', entered: 12 },
    { stageId: 'sql', name: 'SQL', entered: 6 },
    { stageId: 'lost', name: 'Lost', entered: 2 },
  ],
  groups: [
    {
      key: 'trade-show',
      stages: [
        { stageId: 'mql', name: 'MQL', entered: 10 },
        { stageId: 'sql', name: 'SQL', entered: 6 },
        { stageId: 'lost', name: 'Lost', entered: 2, reasons: [{ reason: 'price', count: 1 }, { reason: '=cmd|calc', count: 1 }], competitors: [{ competitor: 'Acme', count: 1 }] },
      ],
      conversions: [
        { from: 'MQL', to: 'SQL', fromStageId: 'mql', toStageId: 'sql', percent: 60, medianSeconds: 86400 },
        { from: 'MQL', to: 'Lost', fromStageId: 'mql', toStageId: 'lost', percent: 20, medianSeconds: 2 * 86400 + 3600 },
      ],
      winRate: 0,
      neverWorked: { count: 3, subjects: [{ subject: 'TS-6', enteredAt: '2026-11-10T09:00:00.000Z' }] },
      compliance: [{ agreementId: 'a', agreement: 'Hot leads are called fast', target: 'hot', met: 11, breached: 1, percent: 91.7 }],
    },
    {
      key: null,
      stages: [
        { stageId: 'mql', name: 'MQL', entered: 2 },
        { stageId: 'sql', name: 'SQL', entered: 0 },
        { stageId: 'lost', name: 'Lost', entered: 0 },
      ],
      conversions: [
        { from: 'MQL', to: 'SQL', fromStageId: 'mql', toStageId: 'sql', percent: 0, medianSeconds: null },
        { from: 'MQL', to: 'Lost', fromStageId: 'mql', toStageId: 'lost', percent: 0, medianSeconds: null },
      ],
      winRate: null,
      neverWorked: { count: 0, subjects: [] },
      compliance: [],
    },
  ],
};
