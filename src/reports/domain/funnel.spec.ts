import fc from 'fast-check';
import {
  assembleFunnel,
  commonAttributes,
  GROUP_ATTRIBUTE,
  jsonPath,
  NEVER_WORKED_LISTED,
  percentOf,
  winRate,
  type CountedStageRef,
  type FunnelInput,
  type StageRow,
} from './funnel.js';

const STAGES: CountedStageRef[] = [
  { id: 'mql', name: 'MQL', enteredBy: 'lead.mql' },
  { id: 'rej', name: 'Rejected', enteredBy: 'lead.rejected' },
  { id: 'sql', name: 'SQL', enteredBy: 'lead.sql' },
  { id: 'won', name: 'Won', enteredBy: 'lead.won' },
  { id: 'lost', name: 'Lost', enteredBy: 'lead.lost' },
];

function input(overrides: Partial<FunnelInput> = {}): FunnelInput {
  return { stages: STAGES, stageRows: [], reasonRows: [], neverWorkedRows: [], complianceRows: [], agreements: new Map(), ...overrides };
}

const row = (group: string | null, stageId: string, entered: number, medianSeconds: number | null = null): StageRow => ({ group, stageId, entered, medianSeconds });

describe('funnel arithmetic', () => {
  it('gives percentages with one decimal, and none without a whole', () => {
    expect(percentOf(6, 10)).toBe(60);
    expect(percentOf(1, 3)).toBe(33.3);
    expect(percentOf(2, 3)).toBe(66.7);
    expect(percentOf(0, 0)).toBeNull();
  });

  it('takes the win rate over the decided deals only', () => {
    expect(winRate(3, 2)).toBe(60);
    expect(winRate(0, 2)).toBe(0);
    expect(winRate(0, 0)).toBeNull();
    // A funnel without a Won or a Lost stage has no win rate.
    expect(winRate(null, 2)).toBeNull();
    expect(winRate(3, null)).toBeNull();
  });

  it('names attributes as agreement filters do, and reads them at a quoted JSON path', () => {
    expect(['source', 'lead_score', 'utm.campaign', 'x-1', '_a'].every((name) => GROUP_ATTRIBUTE.test(name))).toBe(true);
    expect(['', '1source', 'a"b', "a'b", 'a b', 'a;b', 'x'.repeat(101)].some((name) => GROUP_ATTRIBUTE.test(name))).toBe(false);
    expect(jsonPath('utm.campaign')).toBe('$."utm.campaign"');
  });

  it('offers the attributes leads carry, the most common first', () => {
    expect(commonAttributes([{ source: 'a', score: 'hot' }, { source: 'b' }, { 'bad name': 1, owner: 'x' }])).toEqual(['source', 'owner', 'score']);
  });
});

describe('assembleFunnel', () => {
  it('lists every counted stage per group, the largest group first, and the totals as their sums', () => {
    const { stages, groups } = assembleFunnel(
      input({
        stageRows: [row('webinar', 'mql', 10), row('webinar', 'sql', 2, 86400), row('trade-show', 'mql', 10), row('trade-show', 'sql', 6, 86400), row('trade-show', 'won', 3, 90000), row(null, 'mql', 12)],
      }),
    );
    expect(groups.map((group) => group.key)).toEqual([null, 'trade-show', 'webinar']);
    const tradeShow = groups[1];
    expect(tradeShow.stages.map((stage) => [stage.name, stage.entered])).toEqual([
      ['MQL', 10],
      ['Rejected', 0],
      ['SQL', 6],
      ['Won', 3],
      ['Lost', 0],
    ]);
    expect(tradeShow.conversions.map((conversion) => [conversion.from, conversion.to, conversion.percent, conversion.medianSeconds])).toEqual([
      ['MQL', 'Rejected', 0, null],
      ['MQL', 'SQL', 60, 86400],
      ['MQL', 'Won', 30, 90000],
      ['MQL', 'Lost', 0, null],
    ]);
    expect(tradeShow.winRate).toBe(100);
    expect(groups[2].winRate).toBeNull();
    expect(stages.map((stage) => [stage.name, stage.entered])).toEqual([
      ['MQL', 32],
      ['Rejected', 0],
      ['SQL', 8],
      ['Won', 3],
      ['Lost', 0],
    ]);
  });

  it('ranks reasons and competitors by count, ties in the order they were first seen, and leaves them out where there are none', () => {
    const { groups } = assembleFunnel(
      input({
        stageRows: [row('a', 'mql', 5), row('a', 'lost', 4)],
        reasonRows: [
          { group: 'a', stageId: 'lost', reason: 'competitor', competitor: 'Acme', count: 1, firstAt: 200 },
          { group: 'a', stageId: 'lost', reason: 'price', competitor: null, count: 1, firstAt: 100 },
          { group: 'a', stageId: 'lost', reason: 'timing', competitor: null, count: 2, firstAt: 300 },
          { group: 'a', stageId: 'lost', reason: null, competitor: 'Acme', count: 1, firstAt: 400 },
        ],
      }),
    );
    const lost = groups[0].stages.find((stage) => stage.name === 'Lost');
    expect(lost?.reasons).toEqual([
      { reason: 'timing', count: 2 },
      { reason: 'price', count: 1 },
      { reason: 'competitor', count: 1 },
    ]);
    expect(lost?.competitors).toEqual([{ competitor: 'Acme', count: 2 }]);
    expect(groups[0].stages.find((stage) => stage.name === 'SQL')).toEqual({ stageId: 'sql', name: 'SQL', entered: 0 });
  });

  it('counts the never-worked leads of each group and lists the oldest, none without an SQL stage', () => {
    const neverWorkedRows = Array.from({ length: NEVER_WORKED_LISTED + 5 }, (_, i) => ({ group: 'a', subject: `L-${i}`, enteredAt: Date.UTC(2026, 10, 1) + i * 1000, total: 40 }));
    const { groups } = assembleFunnel(input({ stageRows: [row('a', 'mql', 50), row('b', 'mql', 5)], neverWorkedRows }));
    expect(groups[0].neverWorked?.count).toBe(40);
    expect(groups[0].neverWorked?.subjects).toHaveLength(NEVER_WORKED_LISTED);
    expect(groups[0].neverWorked?.subjects[0]).toEqual({ subject: 'L-0', enteredAt: '2026-11-01T00:00:00.000Z' });
    expect(groups[1].neverWorked).toEqual({ count: 0, subjects: [] });
    const withoutSql = assembleFunnel(input({ stageRows: [row('a', 'mql', 5)], neverWorkedRows: null }));
    expect(withoutSql.groups[0].neverWorked).toBeNull();
  });

  it("gives each group's response clocks per agreement and target, in the targets' order", () => {
    const { groups } = assembleFunnel(
      input({
        stageRows: [row('a', 'mql', 5)],
        complianceRows: [
          { group: 'a', agreementId: 'hot', targetName: 'default', met: 1, breached: 1 },
          { group: 'a', agreementId: 'hot', targetName: 'hot', met: 11, breached: 1 },
          { group: 'a', agreementId: 'gone', targetName: 'x', met: 1, breached: 0 },
          { group: 'a', agreementId: 'hot', targetName: 'warm', met: 0, breached: 0 },
        ],
        agreements: new Map([['hot', { name: 'Hot leads are called fast', targets: ['hot', 'warm', 'default'] }]]),
      }),
    );
    expect(groups[0].compliance.map((line) => [line.target, line.met, line.breached, line.percent])).toEqual([
      ['hot', 11, 1, 91.7],
      ['warm', 0, 0, null],
      ['default', 1, 1, 50],
    ]);
  });

  it('has no stages and no groups for a funnel nobody entered', () => {
    expect(assembleFunnel(input())).toEqual({ stages: STAGES.map((stage) => ({ stageId: stage.id, name: stage.name, entered: 0 })), groups: [] });
  });

  it('keeps every part adding up: the totals are the sums of the groups, shares between 0 and 100', () => {
    const groupKeys = fc.constantFrom<string | null>('trade-show', 'webinar', 'ads', null);
    fc.assert(
      fc.property(fc.array(fc.record({ group: groupKeys, stage: fc.constantFrom(...STAGES.map((stage) => stage.id)), entered: fc.integer({ min: 1, max: 50 }) }), { maxLength: 30 }), (rows) => {
        // One row per group and stage, and a later stage never holds more than the cohort (as the SQL guarantees).
        const byKey = new Map<string, StageRow>();
        for (const { group, stage, entered } of rows) byKey.set(`${group} ${stage}`, row(group, stage, entered));
        const cohorts = new Map<string | null, number>();
        for (const value of byKey.values()) cohorts.set(value.group, Math.max(cohorts.get(value.group) ?? 0, value.entered));
        for (const [group, size] of cohorts) byKey.set(`${group} mql`, row(group, 'mql', size));
        const { stages, groups } = assembleFunnel(input({ stageRows: [...byKey.values()] }));
        for (const stage of stages) {
          expect(stage.entered).toBe(groups.reduce((sum, group) => sum + (group.stages.find((line) => line.stageId === stage.stageId)?.entered ?? 0), 0));
        }
        for (const group of groups) {
          for (const conversion of group.conversions) {
            expect(conversion.percent).not.toBeNull();
            expect(conversion.percent).toBeGreaterThanOrEqual(0);
            expect(conversion.percent).toBeLessThanOrEqual(100);
          }
        }
        expect(groups.map((group) => group.stages[0].entered)).toEqual([...groups.map((group) => group.stages[0].entered)].sort((a, b) => b - a));
      }),
    );
  });
});
