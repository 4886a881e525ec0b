import type { AgreementView, VersionView } from '../../agreements/agreements.dto.js';
import type { Actor } from '../../access/actor.js';
import type { ClockView, ComplianceView } from '../../tracking/tracking.dto.js';
import { Directory } from '../directory.js';
import { actionsFor, clockRows, CLOCKS_SHOWN, listItem, mayDraft, presentDetail, versionBlock, type DetailData, type Names } from './agreement.view.js';

const MARKETING = 'dep-marketing';
const SALES = 'dep-sales';
const ZONE = 'Europe/Paris';

const names: Names = {
  department: (id) => (id ? ({ [MARKETING]: 'Marketing', [SALES]: 'Sales' }[id] ?? id) : '–'),
  calendar: (id) => (id === 'cal-paris' ? 'Paris office (Europe/Paris)' : (id ?? '–')),
  stage: (id) => (id === 'stage-sql' ? '4. SQL' : id),
  stageName: (id) => ({ 'stage-mql': 'MQL', 'stage-sql': 'SQL' })[id] ?? id,
};

function actor(personId: string, role: Actor['role'], departmentId: string | null): Actor {
  return { personId, email: `${personId}@example.com`, role, departmentId, tokenId: 'session:test', scope: 'full' };
}

function version(number: number, status: VersionView['status'], extra: Partial<VersionView> = {}): VersionView {
  return {
    id: `v${number}`,
    number,
    status,
    name: 'Hot leads called within the hour',
    calendarId: 'cal-paris',
    stageId: 'stage-sql',
    subjectLink: null,
    response: {
      startOn: { type: 'lead.handed_over' },
      stopOn: { type: 'lead.contacted', when: { channel: 'phone' } },
      targets: [{ name: 'hot', when: { priority: 'hot' }, within: 'PT1H' }, { within: 'P2D' }],
      goalPercent: 95,
    },
    quota: null,
    conversion: null,
    createdBy: 'p-maelle',
    createdAt: '2026-10-01T08:00:00.000Z',
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
    status: 'draft',
    name: 'Hot leads called within the hour',
    providerDepartmentId: SALES,
    consumerDepartmentId: MARKETING,
    inForce: null,
    pending: version(1, 'draft'),
    createdAt: '2026-10-01T08:00:00.000Z',
    updatedAt: '2026-10-01T08:00:00.000Z',
    ...extra,
  };
}

function compliance(extra: Partial<ComplianceView> = {}): ComplianceView {
  return {
    agreementId: 'a1',
    kind: 'response',
    from: '2026-11-01T00:00:00.000+01:00',
    to: '2026-12-01T00:00:00.000+01:00',
    version: 1,
    replay: false,
    total: 3,
    met: 2,
    breached: 1,
    breachedOpen: 1,
    running: 0,
    paused: 0,
    cancelled: 0,
    metPercent: 66.7,
    medianSeconds: 1800,
    p90Seconds: 5400,
    goalPercent: 95,
    goalMet: false,
    targets: [],
    periods: [],
    conversionPeriods: [],
    ...extra,
  };
}

function clock(subject: string, startedAt: string, extra: Partial<ClockView> = {}): ClockView {
  return {
    id: `c-${subject}`,
    agreementId: 'a1',
    versionId: 'v1',
    versionNumber: 1,
    agreementName: 'Hot leads',
    subject,
    cycle: 1,
    targetName: 'hot',
    targetSeconds: 3600,
    state: 'stopped',
    outcome: 'met',
    startedAt,
    stoppedAt: null,
    dueAt: null,
    warnAt: null,
    warnedAt: null,
    breachedAt: null,
    elapsedSeconds: 600,
    pausedSeconds: 0,
    breachId: null,
    steps: [{ action: 'start', at: startedAt, eventId: 'e1', eventType: 'lead.handed_over' }],
    ...extra,
  };
}

const noDue = () => null;

describe('listItem', () => {
  it('names the departments and tells the status and what is pending', () => {
    const item = listItem(agreement({ status: 'active', inForce: version(1, 'active', { activeFrom: '2026-10-02T08:00:00.000Z' }), pending: version(2, 'proposed') }), names);
    expect(item).toEqual({
      id: 'a1',
      name: 'Hot leads called within the hour',
      kind: 'Response time',
      status: 'In force',
      badge: 'good',
      provider: 'Sales',
      consumer: 'Marketing',
      inForceSince: '2026-10-02T08:00:00.000Z',
      pending: { number: 2, status: 'proposed' },
    });
  });
});

describe('who may do what (buttons only)', () => {
  const proposed = agreement({ status: 'proposed', pending: version(1, 'proposed', { awaitingDepartmentIds: [MARKETING] }) });

  it('lets the head of a party still awaited approve, and the other party only decide', () => {
    expect(actionsFor(actor('maelle', 'head', MARKETING), proposed)).toEqual({ change: true, propose: false, decide: true, approve: true });
    expect(actionsFor(actor('samir', 'head', SALES), proposed)).toEqual({ change: true, propose: false, decide: true, approve: false });
  });

  it('lets an admin change and propose a draft but not decide, and a member nothing', () => {
    expect(actionsFor(actor('root', 'admin', null), agreement())).toEqual({ change: true, propose: true, decide: false, approve: false });
    expect(actionsFor(actor('marc', 'member', MARKETING), agreement())).toEqual({ change: false, propose: false, decide: false, approve: false });
    expect(actionsFor(actor('root', 'admin', null), agreement({ status: 'retired' })).change).toBe(false);
  });

  it('lets heads and admins draft, not members', () => {
    expect(mayDraft(actor('maelle', 'head', MARKETING))).toBe(true);
    expect(mayDraft(actor('root', 'admin', null))).toBe(true);
    expect(mayDraft(actor('marc', 'member', MARKETING))).toBe(false);
  });
});

describe('versionBlock', () => {
  const people = new Directory([{ id: 'p-maelle', name: 'Maëlle' }], []);

  it('shows the terms, each target with its due time if a lead came now, and the approvals by name', () => {
    const block = versionBlock(
      version(1, 'active', {
        approvals: [
          { personId: 'p-maelle', departmentId: MARKETING, decision: 'approve', comment: 'Fine', at: '2026-10-02T08:00:00.000Z', proposalRound: 1 },
          { personId: 'p-gone', departmentId: SALES, decision: 'reject', comment: null, at: '2026-10-02T09:00:00.000Z', proposalRound: 1 },
        ],
        awaitingDepartmentIds: [SALES],
      }),
      names,
      people,
      (calendarId, within) => (calendarId === 'cal-paris' && within === 'PT1H' ? '2026-11-02T10:00:00.000Z' : null),
    );
    expect(block).toMatchObject({ number: 1, statusLabel: 'In force', statusBadge: 'good', calendar: 'Paris office (Europe/Paris)', stage: '4. SQL', quota: null });
    expect(block.response?.events).toEqual([
      { label: 'Starts on', type: 'lead.handed_over', typeName: 'lead.handed_over', named: false, unseen: false, condition: null },
      { label: 'Stops on', type: 'lead.contacted', typeName: 'lead.contacted', named: false, unseen: false, condition: 'channel=phone' },
    ]);
    expect(block.response?.targets).toEqual([
      { name: 'hot', condition: 'priority=hot', within: '1 working hour', iso: 'PT1H', dueNow: '2026-11-02T10:00:00.000Z' },
      { name: 'default', condition: null, within: '2 business days', iso: 'P2D', dueNow: null },
    ]);
    expect(block.approvals.map((approval) => [approval.department, approval.person, approval.approved])).toEqual([
      ['Marketing', 'Maëlle', true],
      ['Sales', 'a former member', false],
    ]);
    expect(block.awaiting).toEqual(['Sales']);
  });

  it('shows a quota version by what it counts', () => {
    const block = versionBlock(
      version(1, 'draft', { response: null, quota: { countOn: { type: 'lead.qualified', when: { source: 'web' } }, period: 'month', minimum: 200 } }),
      names,
      people,
      noDue,
    );
    expect(block.response).toBeNull();
    expect(block.quota).toEqual({ countOn: 'lead.qualified', typeName: 'lead.qualified', named: false, unseen: false, condition: 'source=web', period: 'month', minimum: 200 });
  });

  it('shows a conversion version as a sentence: from and to stages by name, the window, the minimum per period', () => {
    const block = versionBlock(
      version(1, 'active', { response: null, conversion: { fromStageId: 'stage-mql', toStageId: 'stage-sql', within: 'P10D', period: 'month', minimumPercent: 50 } }),
      names,
      people,
      noDue,
    );
    expect(block.response).toBeNull();
    expect(block.quota).toBeNull();
    expect(block.conversion).toEqual({
      summary: 'MQL → SQL within 10 business days, ≥ 50 % a month',
      from: 'MQL',
      to: 'SQL',
      within: '10 business days',
      period: 'month',
      minimumPercent: 50,
    });
  });

  it('marks each named type never received, and only those', () => {
    const response = versionBlock(version(1, 'active'), names, people, noDue, new Set(['lead.contacted', 'lead.elsewhere']));
    expect(response.response?.events.map((event) => [event.type, event.unseen])).toEqual([
      ['lead.handed_over', false],
      ['lead.contacted', true],
    ]);
    const quota = versionBlock(
      version(1, 'draft', { response: null, quota: { countOn: { type: 'lead.qualifed', when: {} }, period: 'month', minimum: 200 } }),
      names,
      people,
      noDue,
      new Set(['lead.qualifed']),
    );
    expect(quota.quota?.unseen).toBe(true);
  });
});

describe('clockRows', () => {
  const window = { from: '2026-11-01T00:00:00.000Z', to: '2026-12-01T00:00:00.000Z' };

  it('lists the clocks started in the window, latest first, void ones left out', () => {
    const rows = clockRows(
      [
        clock('L-0', '2026-10-31T23:00:00.000Z'),
        clock('L-1', '2026-11-02T09:00:00.000Z'),
        clock('L-void', '2026-11-03T09:00:00.000Z', { state: 'void' }),
        clock('L-2', '2026-11-04T09:00:00.000Z', { state: 'running', outcome: 'breached' }),
      ],
      window,
    );
    expect(rows.map((row) => row.subject)).toEqual(['L-2', 'L-1']);
    expect(rows[0]).toMatchObject({ state: 'still open past due', badge: 'bad' });
    expect(rows[1]).toMatchObject({ state: 'stopped', badge: 'good', steps: [{ action: 'start', at: '2026-11-02T09:00:00.000Z', eventType: 'lead.handed_over' }] });
  });

  it('shows at most CLOCKS_SHOWN of them', () => {
    const many = Array.from({ length: CLOCKS_SHOWN + 5 }, (_, index) => clock(`L-${index}`, new Date(Date.parse(window.from) + index * 60_000).toISOString()));
    const rows = clockRows(many, window);
    expect(rows).toHaveLength(CLOCKS_SHOWN);
    expect(rows[0].subject).toBe(`L-${CLOCKS_SHOWN + 4}`);
  });
});

describe('presentDetail', () => {
  const inForce = version(1, 'active', { activeFrom: '2026-10-02T08:00:00.000Z' });
  const data = (extra: Partial<DetailData> = {}): DetailData => ({
    agreement: agreement({ status: 'active', inForce, pending: null }),
    versions: [inForce],
    names,
    people: new Directory([], []),
    dueNow: noDue,
    live: null,
    replay: { days: { from: '2026-07-01', to: '2026-09-30' }, version: '', errors: {}, result: null },
    now: new Date('2026-11-09T08:30:00.000Z'),
    ...extra,
  });

  it('says which types of the terms in force or pending were never received, not in past versions', () => {
    const view = presentDetail(data({ versions: [version(1, 'superseded'), inForce], unseenTypes: ['lead.contacted'] }), reader, ZONE, decision);
    expect(view.current?.response?.events.find((event) => event.type === 'lead.contacted')?.unseen).toBe(true);
    expect(view.current?.response?.events.find((event) => event.type === 'lead.handed_over')?.unseen).toBe(false);
    expect(view.history.flatMap((block) => block?.response?.events ?? []).some((event) => event.unseen)).toBe(false);
  });
  const reader = actor('maelle', 'head', MARKETING);
  const decision = { values: { comment: '' }, errors: null };

  it('shows the agreement with its versions, newest first in the history', () => {
    const view = presentDetail(data({ versions: [version(1, 'superseded'), inForce] }), reader, ZONE, decision);
    expect(view.agreement).toEqual({ id: 'a1', name: 'Hot leads called within the hour', kind: 'Response time', status: 'In force', badge: 'good', inForce: true, provider: 'Sales', consumer: 'Marketing' });
    expect(view.current?.statusLabel).toBe('In force');
    expect(view.pending).toBeNull();
    expect(view.history.map((block) => block?.status)).toEqual(['active', 'superseded']);
    expect(view.nowText).toBe('Mon 9 Nov 2026, 09:30 Europe/Paris');
    expect(view.decision).toBe(decision);
  });

  it("shows this period's figures with their label and the clocks behind them", () => {
    const window = { from: '2026-11-01T00:00:00.000+01:00', to: '2026-12-01T00:00:00.000+01:00' };
    const view = presentDetail(data({ live: { period: 'month', window, figures: compliance(), clocks: [clock('L-1', '2026-11-02T09:00:00.000Z')] } }), reader, ZONE, decision);
    expect(view.live).toMatchObject({ label: 'this month (from Sun 1 Nov 2026)', total: 3, metPercent: 66.7, goalBadge: 'bad' });
    expect(view.clocks).toMatchObject({ shown: 1, counted: 3 });
  });

  it('shows no figures before the agreement was ever in force', () => {
    const view = presentDetail(data(), reader, ZONE, decision);
    expect(view.live).toBeNull();
    expect(view.clocks).toBeNull();
  });

  it('offers the replay of the previous quarter, naming each version, with its result or its errors', () => {
    const quota = compliance({ kind: 'quota', periods: [{ label: '2026-08', start: '', end: '', count: 150, minimum: 200, status: 'missed', projected: null, onTrack: null, pace: null }] });
    const view = presentDetail(data({ replay: { days: { from: '2026-07-01', to: '2026-09-30' }, version: '1', errors: {}, result: quota } }), reader, ZONE, decision);
    expect(view.replay.label).toBe('Q3 2026');
    expect(view.replay.values).toEqual({ from: '2026-07-01', to: '2026-09-30', version: '1' });
    expect(view.replay.versionOptions).toEqual([
      { value: '', label: 'Version 1 (in force)' },
      { value: '1', label: 'Version 1 (in force)' },
    ]);
    expect(view.replay.errors).toBeNull();
    expect(view.replay.result?.periods).toEqual([expect.objectContaining({ label: '2026-08', badge: 'bad' })]);

    const refused = presentDetail(data({ replay: { days: { from: '2026-13-01', to: '2026-09-30' }, version: '', errors: { from: ['from must be a date such as 2026-07-01'] }, result: null } }), reader, ZONE, decision);
    expect(refused.replay.errors).toEqual({ from: ['from must be a date such as 2026-07-01'] });
    expect(refused.replay.result).toBeNull();
  });
});
