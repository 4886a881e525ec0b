import type { BreachView } from '../tracking/tracking.dto.js';
import { breachLine, breachWindow, conversionSubject, periodName, type LineContext } from './breach-report.model.js';

describe('periodName', () => {
  it('words the labels of months, quarters and weeks', () => {
    expect(periodName('2026-11')).toBe('November 2026');
    expect(periodName('2027-01')).toBe('January 2027');
    expect(periodName('2026-Q4')).toBe('Q4 2026');
    expect(periodName('2026-W05')).toBe('week 5 of 2026');
    expect(periodName('spring')).toBe('spring');
  });
});

describe('a conversion breach in the report', () => {
  const view = {
    id: 'b',
    kind: 'conversion',
    agreementId: 'a',
    agreementName: 'MQLs become SQLs',
    versionId: 'v',
    subject: null,
    clockId: null,
    quotaPeriodId: null,
    conversionPeriodId: 'p',
    targetName: null,
    departmentId: 'm',
    ownerId: null,
    dueAt: '2026-12-11T09:00:00.000Z',
    lateSeconds: null,
    shortfall: null,
    conversion: { label: '2026-11', cohort: 20, converted: 8, percent: 40, minimumPercent: 50 },
    explained: false,
    cause: null,
    correctiveAction: null,
  } as unknown as BreachView;
  const context: LineContext = {
    departments: new Map([['m', { id: 'm', name: 'Marketing' }]]),
    people: new Map(),
    periodLabel: () => null,
    conversionStages: (versionId) => (versionId === 'v' ? { fromStage: 'MQL', toStage: 'SQL' } : null),
    openClockIds: new Set(),
  };

  it('is named by its period and figures, with the conversions it lacked', () => {
    expect(breachLine(view, context)).toMatchObject({
      subject: 'MQL → SQL, November 2026: 8 of 20 (40 %), minimum 50 %',
      period: '2026-11',
      shortfall: 2,
      stillOpen: null,
      conversion: { label: '2026-11', periodName: 'November 2026', fromStage: 'MQL', toStage: 'SQL', cohort: 20, converted: 8, percent: 40, minimumPercent: 50 },
      owner: { kind: 'department', id: 'm', name: 'Marketing' },
    });
  });

  it('rounds the share as the rest of the report does, and says nothing of a minimum it does not know', () => {
    const third = { label: '2026-Q4', periodName: 'Q4 2026', fromStage: 'MQL', toStage: 'SQL', cohort: 3, converted: 1, percent: 33.33, minimumPercent: null };
    expect(conversionSubject(third)).toBe('MQL → SQL, Q4 2026: 1 of 3 (33.3 %)');
  });

  it('belongs to the report of the window its period closed in, the end included, as a quota period does', () => {
    const december = { from: Date.parse('2026-11-30T23:00:00Z'), to: Date.parse('2026-12-31T23:00:00Z') };
    expect(breachWindow('conversion', december)).toEqual(breachWindow('quota', december));
    expect(breachWindow('conversion', december)).toEqual({ from: '2026-11-30T23:00:00.001Z', to: '2026-12-31T23:00:00.001Z' });
    expect(breachWindow('response', december).from).toBe('2026-11-30T23:00:00.000Z');
  });
});
