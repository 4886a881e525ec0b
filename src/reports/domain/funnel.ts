/*
 * The funnel (closed-loop) report from aggregates: who entered which stage, why the lost were lost,
 * who was never worked, and each group's response times. Plain functions over the rows the
 * repository reads, so the arithmetic is tested without a database.
 */

import { FUNNEL_GROUP_ATTRIBUTE, OUTCOME_TYPES, SQL_TYPE } from '../../tracking/domain/funnel-rollups.js';

/** The conventional event types of the default funnel (README, "Funnel stages"). */
export const WON = 'lead.won';
export const LOST = 'lead.lost';
export const SQL = SQL_TYPE;
/** A lead that reached one of these after SQL was worked. */
export const OUTCOMES = OUTCOME_TYPES;

/** The one group of a report that is not grouped. */
export const ALL = 'all';

/** An attribute name a report may group by: the pattern of agreement filters, at most 100 characters. */
export const GROUP_ATTRIBUTE = FUNNEL_GROUP_ATTRIBUTE;

/** How many never-worked leads a group lists (all of them are counted). */
export const NEVER_WORKED_LISTED = 20;

/** A stage that counts (it has `enteredOn`), in funnel order. */
export interface CountedStageRef {
  id: string;
  name: string;
  /** The event type entering it. */
  enteredBy: string;
}

export interface ReasonCount {
  reason: string;
  count: number;
}

export interface CompetitorCount {
  competitor: string;
  count: number;
}

export interface StageCount {
  stageId: string;
  name: string;
  entered: number;
}

export interface GroupStage extends StageCount {
  reasons?: ReasonCount[];
  competitors?: CompetitorCount[];
}

/** From the cohort's stage to a later one: the share that got there and how long it took. */
export interface Conversion {
  from: string;
  to: string;
  fromStageId: string;
  toStageId: string;
  percent: number | null;
  /** Median wall-clock seconds between the two entries, over the subjects that entered both. */
  medianSeconds: number | null;
}

export interface NeverWorkedLead {
  subject: string;
  /** When it entered SQL. */
  enteredAt: string;
}

export interface NeverWorked {
  count: number;
  /** The oldest first, at most NEVER_WORKED_LISTED. */
  subjects: NeverWorkedLead[];
}

export interface GroupCompliance {
  agreementId: string;
  agreement: string;
  target: string;
  met: number;
  breached: number;
  /** met ÷ (met + breached); null when none is decided. */
  percent: number | null;
}

export interface FunnelGroup {
  /** The attribute's value (text), "all" when not grouped, null for subjects whose event lacks it. */
  key: string | null;
  stages: GroupStage[];
  conversions: Conversion[];
  winRate: number | null;
  /** Null when no stage is entered by lead.sql. */
  neverWorked: NeverWorked | null;
  compliance: GroupCompliance[];
}

/** Entries of cohort subjects into one stage, per group, with the median time since the cohort entry. */
export interface StageRow {
  group: string | null;
  stageId: string;
  entered: number;
  medianSeconds: number | null;
}

export interface ReasonRow {
  group: string | null;
  stageId: string;
  reason: string | null;
  competitor: string | null;
  count: number;
  /** The earliest entry with this reason and competitor: ties are listed in the order they were first seen. */
  firstAt: number;
}

export interface NeverWorkedRow {
  group: string | null;
  subject: string;
  enteredAt: number;
  /** How many the group has in all (the rows are capped). */
  total: number;
}

export interface ComplianceRow {
  group: string | null;
  agreementId: string;
  targetName: string;
  met: number;
  breached: number;
}

/** One decimal, as every percentage of the report; null without a whole. */
export function percentOf(part: number, whole: number): number | null {
  if (whole <= 0) return null;
  return Math.round((part * 1000) / whole) / 10;
}

/** won ÷ (won + lost) × 100; null when the funnel has no such stages or nothing was decided. */
export function winRate(won: number | null, lost: number | null): number | null {
  if (won === null || lost === null) return null;
  return percentOf(won, won + lost);
}

/** The first counted stage entered by an event of this type. */
export function stageEnteredBy(stages: readonly CountedStageRef[], type: string): CountedStageRef | undefined {
  return stages.find((stage) => stage.enteredBy === type);
}

/** The path SQLite's json_extract reads an attribute at: `$."source"` (the name pattern has no quote). */
export function jsonPath(attribute: string): string {
  return `$."${attribute}"`;
}

/** How many attributes a page offers to group by. */
export const OFFERED_ATTRIBUTES = 20;

/** The attribute names events carry that a report can group by, the most common first, then by name. */
export function commonAttributes(samples: readonly Record<string, unknown>[]): string[] {
  const seen = new Map<string, number>();
  for (const attributes of samples) {
    for (const name of Object.keys(attributes)) if (GROUP_ATTRIBUTE.test(name)) seen.set(name, (seen.get(name) ?? 0) + 1);
  }
  return [...seen.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, OFFERED_ATTRIBUTES)
    .map(([name]) => name);
}

const groupKey = (group: string | null) => (group === null ? '\u0000null' : `v${group}`);

interface Tally {
  count: number;
  firstAt: number;
}

/** Adds a row's count under a name (a reason, a competitor). */
function count(tallies: Map<string, Tally>, name: string, row: ReasonRow): void {
  const found = tallies.get(name);
  if (found) {
    found.count += row.count;
    found.firstAt = Math.min(found.firstAt, row.firstAt);
  } else tallies.set(name, { count: row.count, firstAt: row.firstAt });
}

/** The most frequent first; ties in the order they were first seen, then by name. */
function ranked(tallies: Map<string, Tally>): [string, number][] {
  return [...tallies.entries()].sort((a, b) => b[1].count - a[1].count || a[1].firstAt - b[1].firstAt || a[0].localeCompare(b[0])).map(([name, tally]) => [name, tally.count]);
}

/** Cohort groups: the largest first, then by key, the subjects without the attribute last. */
function groupOrder(a: { key: string | null; size: number }, b: { key: string | null; size: number }): number {
  if (a.size !== b.size) return b.size - a.size;
  if (a.key === null || b.key === null) return a.key === null ? (b.key === null ? 0 : 1) : -1;
  return a.key.localeCompare(b.key);
}

export interface FunnelInput {
  /** The counted stages in funnel order; the first is the cohort's. */
  stages: readonly CountedStageRef[];
  stageRows: readonly StageRow[];
  reasonRows: readonly ReasonRow[];
  /** Null when the funnel has no stage entered by lead.sql. */
  neverWorkedRows: readonly NeverWorkedRow[] | null;
  complianceRows: readonly ComplianceRow[];
  /** Agreement names and the order of their targets, for the compliance lines. */
  agreements: ReadonlyMap<string, { name: string; targets: readonly string[] }>;
}

/**
 * The groups of a report and the totals over them. Every group lists every counted stage (0 where
 * none entered), so the totals are the sums of the groups' counts by construction.
 */
export function assembleFunnel(input: FunnelInput): { stages: StageCount[]; groups: FunnelGroup[] } {
  const { stages } = input;
  const cohortStage = stages[0];
  const wonStage = stageEnteredBy(stages, WON);
  const lostStage = stageEnteredBy(stages, LOST);

  const keys = new Map<string, string | null>();
  const entered = new Map<string, number>();
  const medians = new Map<string, number | null>();
  for (const row of input.stageRows) {
    keys.set(groupKey(row.group), row.group);
    entered.set(`${groupKey(row.group)} ${row.stageId}`, row.entered);
    medians.set(`${groupKey(row.group)} ${row.stageId}`, row.medianSeconds);
  }
  const reasons = new Map<string, { reasons: Map<string, Tally>; competitors: Map<string, Tally> }>();
  for (const row of input.reasonRows) {
    const at = `${groupKey(row.group)} ${row.stageId}`;
    let found = reasons.get(at);
    if (!found) reasons.set(at, (found = { reasons: new Map(), competitors: new Map() }));
    if (row.reason !== null) count(found.reasons, row.reason, row);
    if (row.competitor !== null) count(found.competitors, row.competitor, row);
  }
  const neverWorked = new Map<string, NeverWorked>();
  for (const row of input.neverWorkedRows ?? []) {
    const key = groupKey(row.group);
    let found = neverWorked.get(key);
    if (!found) neverWorked.set(key, (found = { count: row.total, subjects: [] }));
    if (found.subjects.length < NEVER_WORKED_LISTED) found.subjects.push({ subject: row.subject, enteredAt: new Date(row.enteredAt).toISOString() });
  }
  const compliance = new Map<string, GroupCompliance[]>();
  for (const row of input.complianceRows) {
    const key = groupKey(row.group);
    const agreement = input.agreements.get(row.agreementId);
    if (!agreement) continue;
    const lines = compliance.get(key) ?? [];
    lines.push({ agreementId: row.agreementId, agreement: agreement.name, target: row.targetName, met: row.met, breached: row.breached, percent: percentOf(row.met, row.met + row.breached) });
    compliance.set(key, lines);
  }
  const targetRank = (line: GroupCompliance) => {
    const index = input.agreements.get(line.agreementId)?.targets.indexOf(line.target) ?? -1;
    return index < 0 ? Number.MAX_SAFE_INTEGER : index;
  };

  const enteredIn = (key: string, stage: CountedStageRef | undefined) => (stage ? (entered.get(`${key} ${stage.id}`) ?? 0) : 0);
  const groups = [...keys.entries()]
    .map(([key, value]) => ({ key: value, size: enteredIn(key, cohortStage), id: key }))
    .sort(groupOrder)
    .map(({ key, size, id }): FunnelGroup => ({
      key,
      stages: stages.map((stage) => {
        const line: GroupStage = { stageId: stage.id, name: stage.name, entered: enteredIn(id, stage) };
        const found = reasons.get(`${id} ${stage.id}`);
        if (found && found.reasons.size > 0) line.reasons = ranked(found.reasons).map(([reason, n]) => ({ reason, count: n }));
        if (found && found.competitors.size > 0) line.competitors = ranked(found.competitors).map(([competitor, n]) => ({ competitor, count: n }));
        return line;
      }),
      conversions: stages.slice(1).map((stage) => ({
        from: cohortStage.name,
        to: stage.name,
        fromStageId: cohortStage.id,
        toStageId: stage.id,
        percent: percentOf(enteredIn(id, stage), size),
        medianSeconds: medians.get(`${id} ${stage.id}`) ?? null,
      })),
      winRate: winRate(wonStage ? enteredIn(id, wonStage) : null, lostStage ? enteredIn(id, lostStage) : null),
      neverWorked: input.neverWorkedRows === null ? null : (neverWorked.get(id) ?? { count: 0, subjects: [] }),
      compliance: (compliance.get(id) ?? []).sort((a, b) => a.agreement.localeCompare(b.agreement) || a.agreementId.localeCompare(b.agreementId) || targetRank(a) - targetRank(b) || a.target.localeCompare(b.target)),
    }));
  const totals = stages.map((stage) => ({ stageId: stage.id, name: stage.name, entered: groups.reduce((sum, group) => sum + (group.stages.find((line) => line.stageId === stage.id)?.entered ?? 0), 0) }));
  return { stages: totals, groups };
}
