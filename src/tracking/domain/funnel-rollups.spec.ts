import { durationBucket } from './duration-histogram.js';
import { FunnelClockDeltas, FunnelRollupDeltas, funnelShapeOf, groupingsOf, groupText, openSqlOf, verdictOf, type EntryFacts, type FunnelShape } from './funnel-rollups.js';

const MQL = 'mql';
const SQL = 'sql';
const LOST = 'lost';
const at = (iso: string) => Date.parse(iso);

describe('funnel rollups', () => {
  const cohort: EntryFacts = { stageId: MQL, enteredAt: at('2026-11-02T09:30:00Z'), attributes: { source: 'fair', score: 7, hot: true, 'no spaces': 'x', empty: null } };
  const sql: EntryFacts = { stageId: SQL, enteredAt: at('2026-11-03T09:30:00Z'), attributes: {} };
  const lost: EntryFacts = { stageId: LOST, enteredAt: at('2026-11-20T10:00:00Z'), attributes: { reason: 'price', competitor: 'Acme' } };

  it('groups by every attribute with a value and a name a report can ask for, as text', () => {
    expect(groupingsOf(cohort.attributes)).toEqual([
      ['', ''],
      ['source', 'fair'],
      ['score', '7'],
      ['hot', 'true'],
    ]);
    expect(groupText({ a: 1 })).toBe('{"a":1}');
    expect(groupText(undefined)).toBeNull();
  });

  it('counts a subject in each span of its cohort entry, per grouping: stages, durations since the cohort entry, reasons', () => {
    const changes = new FunnelRollupDeltas(MQL).subject([cohort, sql, lost], 1).changes();
    // 4 spans × 4 groupings × (3 stage rows + 1 reason row).
    expect(changes).toHaveLength(4 * 4 * 4);
    const hour = changes.filter((delta) => delta.key.span === 'hour' && delta.key.attribute === 'source');
    expect(hour.every((delta) => delta.key.bucketStart === at('2026-11-02T09:00:00Z') && delta.key.value === 'fair')).toBe(true);
    const stage = (id: string) => hour.find((delta) => delta.key.kind === 'stage' && delta.key.stageId === id);
    expect(stage(MQL)).toMatchObject({ entered: 1, durations: new Map() });
    expect(stage(SQL)).toMatchObject({ entered: 1, durations: new Map([[durationBucket(86_400), 1]]) });
    expect(hour.find((delta) => delta.key.kind === 'reason')).toMatchObject({
      key: { stageId: LOST, reason: 'price', competitor: 'Acme' },
      entered: 1,
      firstAt: lost.enteredAt,
    });
    const year = changes.find((delta) => delta.key.span === 'year' && delta.key.attribute === '' && delta.key.stageId === MQL);
    expect(year?.key.bucketStart).toBe(at('2026-01-01T00:00:00Z'));
  });

  it('counts nothing for a subject that never entered the cohort stage', () => {
    expect(new FunnelRollupDeltas(MQL).subject([sql, lost], 1).changes()).toEqual([]);
  });

  it('moves a subject whose cohort entry moves back: out of the old hour, into the new one, durations longer', () => {
    const earlier = { ...cohort, enteredAt: at('2026-11-01T23:10:00Z') };
    const changes = new FunnelRollupDeltas(MQL, ['hour']).change([cohort, sql], [earlier, sql]).changes().filter((delta) => delta.key.attribute === '');
    expect(changes.map((delta) => [new Date(delta.key.bucketStart).toISOString(), delta.key.stageId, delta.entered, [...delta.durations]])).toEqual(
      expect.arrayContaining([
        ['2026-11-02T09:00:00.000Z', MQL, -1, []],
        ['2026-11-02T09:00:00.000Z', SQL, -1, [[durationBucket(86_400), -1]]],
        ['2026-11-01T23:00:00.000Z', MQL, 1, []],
        ['2026-11-01T23:00:00.000Z', SQL, 1, [[durationBucket(86_400 + 10 * 3600 + 20 * 60), 1]]],
      ]),
    );
    expect(changes).toHaveLength(4);
  });

  it('changes nothing when a subject counts as it did', () => {
    expect(new FunnelRollupDeltas(MQL).change([cohort, sql], [sql, cohort]).changes()).toEqual([]);
  });

  it('counts a stage entered before the cohort stage as 0 seconds', () => {
    const early = { ...sql, enteredAt: cohort.enteredAt - 3_600_000 };
    const [delta] = new FunnelRollupDeltas(MQL, ['edge']).subject([cohort, early], 1).changes().filter((d) => d.key.stageId === SQL && d.key.attribute === '');
    expect([...delta.durations]).toEqual([[0, 1]]);
  });
});

describe('the funnel shape, open SQLs and the cohort clocks', () => {
  const shape = funnelShapeOf([
    { id: MQL, enteredOn: { type: 'lead.mql' } },
    { id: SQL, enteredOn: { type: 'lead.sql' } },
    { id: 'won', enteredOn: { type: 'lead.won' } },
    { id: LOST, enteredOn: { type: 'lead.lost' } },
  ]) as FunnelShape;
  const mql: EntryFacts = { stageId: MQL, enteredAt: at('2026-11-02T09:30:00Z'), attributes: { source: 'fair' } };
  const sql: EntryFacts = { stageId: SQL, enteredAt: at('2026-11-03T09:30:00Z'), attributes: {} };
  const lost: EntryFacts = { stageId: LOST, enteredAt: at('2026-11-20T10:00:00Z'), attributes: {} };

  it('reads the first counted stage, the one entered by lead.sql and the outcome stages', () => {
    expect(shape).toEqual({ cohortStageId: MQL, sqlStageId: SQL, outcomeStageIds: new Set(['won', LOST]) });
    expect(funnelShapeOf([])).toBeNull();
  });

  it('calls an SQL of the cohort without an outcome open, since it entered SQL, with its cohort entry', () => {
    expect(openSqlOf([mql, sql], shape)).toEqual({ enteredAt: sql.enteredAt, cohortEnteredAt: mql.enteredAt, attributes: { source: 'fair' } });
    expect(openSqlOf([mql, sql, lost], shape)).toBeNull();
    expect(openSqlOf([sql], shape)).toBeNull();
    expect(openSqlOf([mql], shape)).toBeNull();
  });

  it('counts a clock by its outcome: void and pending clocks in nothing', () => {
    expect([verdictOf('stopped', 'met'), verdictOf('cancelled', 'breached'), verdictOf('running', 'pending'), verdictOf('void', 'met')]).toEqual(['met', 'breached', null, null]);
  });

  it("counts a subject's decided clocks under its cohort entry, per grouping; a moved cohort entry moves them", () => {
    const clocks = [
      { agreementId: 'a', targetName: 'hot', verdict: 'met' as const },
      { agreementId: 'a', targetName: 'hot', verdict: 'breached' as const },
      { agreementId: 'a', targetName: 'warm', verdict: null },
    ];
    const added = new FunnelClockDeltas(MQL, ['day']).add(mql, clocks, 1).changes();
    expect(added.map((delta) => [delta.key.attribute, delta.key.value, delta.key.targetName, delta.met, delta.breached])).toEqual([
      ['', '', 'hot', 1, 1],
      ['source', 'fair', 'hot', 1, 1],
    ]);
    const moved = { ...mql, enteredAt: at('2026-11-01T12:00:00Z') };
    const changes = new FunnelClockDeltas(MQL, ['day']).add(mql, clocks, -1).add(moved, clocks, 1).changes();
    expect(changes.map((delta) => [new Date(delta.key.bucketStart).toISOString().slice(0, 10), delta.key.attribute, delta.met])).toEqual([
      ['2026-11-01', '', 1],
      ['2026-11-01', 'source', 1],
      ['2026-11-02', '', -1],
      ['2026-11-02', 'source', -1],
    ]);
    expect(new FunnelClockDeltas(MQL).add(undefined, clocks, 1).add(sql, clocks, 1).changes()).toEqual([]);
  });
});
