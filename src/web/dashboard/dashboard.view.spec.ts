import type { Actor } from '../../access/actor.js';
import type { AgreementView, VersionView } from '../../agreements/agreements.dto.js';
import type { ResponseTerms } from '../../agreements/domain/agreement-terms.js';
import type { ComplianceView, ConversionPeriodView, QuotaPeriodView } from '../../tracking/tracking.dto.js';
import { agreementCard, awaitingApproval, dueDayText, historyText, monthLabel, presentDashboard, quotaPercent, type DashboardData } from './dashboard.view.js';

const MARKETING = 'dep-marketing';
const SALES = 'dep-sales';
const WINDOWS = [
  { label: 'Sep 2026', from: '2026-09-01T00:00:00.000+02:00', to: '2026-10-01T00:00:00.000+02:00' },
  { label: 'Oct 2026', from: '2026-10-01T00:00:00.000+02:00', to: '2026-11-01T00:00:00.000+01:00' },
  { label: 'Nov 2026', from: '2026-11-01T00:00:00.000+01:00', to: '2026-11-09T09:00:00.000+01:00' },
];

function actor(role: Actor['role'], departmentId: string | null): Actor {
  return { personId: 'p1', email: 'p1@example.com', role, departmentId, tokenId: 'session:test', scope: 'full' };
}

function version(extra: Partial<VersionView> = {}): VersionView {
  return {
    id: 'v1',
    number: 1,
    status: 'active',
    name: 'Hot leads called within the hour',
    calendarId: 'c1',
    stageId: null,
    subjectLink: null,
    response: { goalPercent: 90 } as ResponseTerms,
    quota: null,
    conversion: null,
    createdBy: null,
    createdAt: '',
    proposedAt: null,
    activeFrom: null,
    activeUntil: null,
    measureFrom: null,
    approvals: [],
    awaitingDepartmentIds: [],
    ...extra,
  };
}

function agreement(extra: Partial<AgreementView> = {}): AgreementView {
  return {
    id: 'a1',
    kind: 'response',
    status: 'active',
    name: 'Hot leads called within the hour',
    providerDepartmentId: SALES,
    consumerDepartmentId: MARKETING,
    inForce: version(),
    pending: null,
    createdAt: '',
    updatedAt: '',
    ...extra,
  };
}

function figures(metPercent: number | null, extra: Partial<ComplianceView> = {}): ComplianceView {
  return {
    agreementId: 'a1',
    kind: 'response',
    from: '',
    to: '',
    version: 1,
    replay: false,
    goalPercent: 90,
    goalMet: null,
    targets: [],
    periods: [],
    conversionPeriods: [],
    total: 7,
    met: 4,
    breached: 1,
    breachedOpen: 1,
    running: 1,
    paused: 1,
    cancelled: 0,
    metPercent,
    medianSeconds: null,
    p90Seconds: null,
    ...extra,
  };
}

function period(extra: Partial<QuotaPeriodView> = {}): QuotaPeriodView {
  return { label: '2026-11', start: '', end: '', count: 50, minimum: 200, status: 'open', projected: 170, onTrack: false, pace: 'at this pace: 170 of 200', ...extra };
}

function conversionPeriod(extra: Partial<ConversionPeriodView> = {}): ConversionPeriodView {
  return { label: '2026-11', start: '', end: '', cohort: 20, converted: 8, percent: 40, minimumPercent: 50, status: 'open', projected: 53.33, closesAt: '', ...extra };
}

describe('an agreement card', () => {
  it("shows a conversion KPI's latest period, each month as the share of its cohort converted against the minimum", () => {
    const kpi = agreement({
      kind: 'conversion',
      inForce: version({ response: null, conversion: { fromStageId: 's1', toStageId: 's2', within: 'P10D', period: 'month', minimumPercent: 50 } }),
    });
    const months = [
      figures(null, { kind: 'conversion', conversionPeriods: [conversionPeriod({ converted: 12, percent: 60, status: 'met' })] }),
      figures(null, { kind: 'conversion', conversionPeriods: [conversionPeriod({ cohort: 0, converted: 0, percent: null, status: 'met' })] }),
      figures(null, { kind: 'conversion', conversionPeriods: [conversionPeriod()] }),
    ];
    const card = agreementCard(kpi, SALES, WINDOWS, months);
    expect(card).toMatchObject({ kind: 'conversion', goalPercent: 50, clocks: null, quota: null });
    expect(card.history.map((column) => [column.percent, column.state])).toEqual([
      [60, 'good'],
      [null, 'none'],
    ]);
    expect(card.thisPeriod).toMatchObject({ percent: 40, state: 'bad' });
    expect(card.conversion).toMatchObject({ label: '2026-11', cohort: 20, converted: 8, share: 40, bar: 40, status: 'open', projected: 53.33 });
    // While this period is open, the last one decided is shown beside it.
    expect(card.lastDecided).toMatchObject({ cohort: 0, converted: 0, share: null, status: 'met' });
  });

  it('shows this month against the goal, the months before as columns, and the clocks in their parts', () => {
    const card = agreementCard(agreement(), SALES, WINDOWS, [figures(95.5), figures(null), figures(80)]);
    expect(card).toMatchObject({ id: 'a1', name: 'Hot leads called within the hour', kind: 'response', role: 'provider', goalPercent: 90, quota: null });
    expect(card.thisPeriod).toEqual({ label: 'Nov 2026', percent: 80, height: 80, state: 'bad' });
    expect(card.history).toEqual([
      { label: 'Sep 2026', percent: 95.5, height: 96, state: 'good' },
      { label: 'Oct 2026', percent: null, height: 0, state: 'none' },
    ]);
    expect(card.clocks).toEqual({ total: 7, met: 4, breached: 1, breachedOpen: 1, running: 1, paused: 1, cancelled: 0 });
  });

  it("says whose promise it is: ours, made to us, or between departments for someone of none", () => {
    const three = [figures(0.2), figures(100), figures(100)];
    expect(agreementCard(agreement(), MARKETING, WINDOWS, three).role).toBe('consumer');
    expect(agreementCard(agreement(), undefined, WINDOWS, three).role).toBe('both');
    expect(agreementCard(agreement({ consumerDepartmentId: SALES }), SALES, WINDOWS, three).role).toBe('both');
    // A column never vanishes: a tiny share still shows 2 %.
    expect(agreementCard(agreement(), SALES, WINDOWS, three).history[0].height).toBe(2);
  });

  it('meets any share when no goal is set', () => {
    const card = agreementCard(agreement({ inForce: version({ response: null }) }), SALES, WINDOWS, [figures(10), figures(10), figures(10)]);
    expect(card.goalPercent).toBeNull();
    expect(card.thisPeriod.state).toBe('good');
  });

  it("shows a quota's open period with its pace, each month as a share of its minimum", () => {
    const quota = agreement({ kind: 'quota', inForce: version({ response: null }) });
    const months = [
      figures(null, { periods: [period({ count: 200, status: 'met' })] }),
      figures(null, { periods: [] }),
      figures(null, { periods: [period({ count: 180, status: 'missed' }), period({ count: 50, projected: 260 })] }),
    ];
    const card = agreementCard(quota, SALES, WINDOWS, months);
    expect(card).toMatchObject({ kind: 'quota', goalPercent: 100, clocks: null });
    expect(card.history.map((column) => [column.percent, column.state])).toEqual([
      [100, 'good'],
      [null, 'none'],
    ]);
    expect(card.thisPeriod).toMatchObject({ percent: 57.5, state: 'bad' });
    expect(card.quota).toMatchObject({ count: 50, minimum: 200, status: 'open', percent: 25, projectedPercent: 100 });
  });

  it('takes the last period when none is open, and shows none when there is no period', () => {
    const quota = agreement({ kind: 'quota', inForce: version({ response: null }) });
    const closed = agreementCard(quota, SALES, WINDOWS, [figures(null), figures(null), figures(null, { periods: [period({ status: 'missed', projected: null })] })]);
    expect(closed.quota).toMatchObject({ status: 'missed', percent: 25, projectedPercent: 0 });
    expect(agreementCard(quota, SALES, WINDOWS, [figures(null), figures(null), figures(null)]).quota).toBeNull();
  });

  it('reads a quota month as the sum of its periods against the sum of their minimums', () => {
    expect(quotaPercent([])).toBeNull();
    expect(quotaPercent([period({ count: 1, minimum: 3 })])).toBe(33.3);
    expect(quotaPercent([period({ minimum: 0 })])).toBeNull();
  });
});

describe('the dashboard', () => {
  const data = (extra: Partial<DashboardData> = {}): DashboardData => ({
    funnel: null,
    agreements: [],
    inForce: [],
    breaches: { items: [], total: 0 },
    actions: [],
    nextMeeting: null,
    undelivered: 0,
    ...extra,
  });

  it("asks a head to approve their department's proposals, by the proposed name, and nobody else", () => {
    const proposed = agreement({ id: 'a2', inForce: null, pending: version({ name: 'Warm leads within a day', awaitingDepartmentIds: [MARKETING] }) });
    const others = agreement({ id: 'a3', pending: version({ awaitingDepartmentIds: [SALES] }) });
    expect(awaitingApproval(actor('head', MARKETING), [proposed, others, agreement()])).toEqual([{ id: 'a2', name: 'Warm leads within a day' }]);
    expect(awaitingApproval(actor('member', MARKETING), [proposed])).toEqual([]);
    expect(awaitingApproval(actor('admin', null), [proposed])).toEqual([]);
  });

  it('writes month labels, the columns read aloud and due days in the reader\'s language, English unchanged', () => {
    const november = { label: 'Nov 2026', from: '2026-11-01T00:00:00.000+01:00' };
    expect(monthLabel(november, 'en')).toBe('Nov 2026');
    expect(monthLabel(november, 'ru')).toBe('нояб. 2026');
    expect(monthLabel(november, 'fr')).toBe('nov. 2026');
    const columns = [
      { label: 'Oct 2026', percent: null },
      { label: 'Nov 2026', percent: 66.66 },
    ];
    expect(historyText(columns, 'en')).toBe('Oct 2026 –, Nov 2026 66.7 %');
    expect(historyText(columns, 'ru')).toBe('Oct 2026 –, Nov 2026 66,7\u00a0%');
    expect(dueDayText('2026-11-20', 'en')).toBe('2026-11-20');
    expect(dueDayText('2026-11-20', 'ru')).toBe('20 нояб. 2026 г.');
    expect(dueDayText(null, 'ru')).toBeNull();
  });

  it('puts everything loaded on the page, in the reader’s zone, the next meeting with its own', () => {
    const meeting = { id: 'm1', title: 'Weekly' } as NonNullable<DashboardData['nextMeeting']>['meeting'];
    const view = presentDashboard(
      actor('head', SALES),
      data({
        agreements: [agreement()],
        inForce: [{ agreement: agreement(), windows: WINDOWS, figures: [figures(90), figures(90), figures(90)] }],
        breaches: { items: [], total: 12 },
        nextMeeting: { meeting, zone: 'Europe/Moscow' },
        undelivered: 3,
      }),
      'Europe/Paris',
    );
    expect(view.agreements.map((card) => [card.id, card.role, card.thisPeriod.state])).toEqual([['a1', 'provider', 'good']]);
    expect(view).toMatchObject({ awaitingMe: [], breachesTotal: 12, actions: [], nextMeeting: meeting, nextMeetingZone: 'Europe/Moscow', undelivered: 3, zone: 'Europe/Paris' });
  });

  it('shows the shared KPIs (conversion agreements) apart from the other agreements', () => {
    const kpi = agreement({
      id: 'kpi',
      kind: 'conversion',
      inForce: version({ response: null, conversion: { fromStageId: 's1', toStageId: 's2', within: 'P10D', period: 'month', minimumPercent: 50 } }),
    });
    const months = [0, 1, 2].map(() => figures(null, { kind: 'conversion', conversionPeriods: [conversionPeriod()] }));
    const view = presentDashboard(
      actor('head', SALES),
      data({ inForce: [{ agreement: agreement(), windows: WINDOWS, figures: [figures(90), figures(90), figures(90)] }, { agreement: kpi, windows: WINDOWS, figures: months }] }),
      'Europe/Paris',
    );
    expect(view.sharedKpis.map((card) => card.id)).toEqual(['kpi']);
    expect(view.agreements.map((card) => card.id)).toEqual(['a1']);
  });

  it('shows an empty dashboard as empty', () => {
    expect(presentDashboard(actor('member', MARKETING), data(), 'Europe/Paris')).toEqual({
      sharedKpis: [],
      funnel: null,
      agreements: [],
      awaitingMe: [],
      breaches: [],
      breachesTotal: 0,
      actions: [],
      nextMeeting: null,
      nextMeetingZone: null,
      undelivered: 0,
      zone: 'Europe/Paris',
    });
  });
});
