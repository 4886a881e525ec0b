import { durationBucket } from './duration-histogram.js';
import { bucketStarts, ROLLUP_SPANS, type RollupSpan } from './rollups.js';

/**
 * Funnel rollups: per cohort stage (the funnel's first counted stage), UTC hour, day, month and
 * year of a subject's entry into it, and grouping (none, or one attribute of the entering event
 * and its value), how many of those subjects entered each stage, a histogram of the wall-clock
 * seconds from the cohort entry to each later entry, and how many were entered with each reason
 * and competitor. A year's funnel by source is then a few hundred rows (coverWindow cuts the
 * window as it does for compliance); the minutes at its ends are read from the entries.
 *
 * A subject adds to the rollups of every attribute its cohort entry's event carries (with a value),
 * and to the ungrouped one; subjects without the attribute are the ungrouped counts less those of
 * every value (`null` group), so an attribute first seen today needs no rollups for older leads.
 */

/** An attribute name a funnel groups by: the pattern of agreement filters, at most 100 characters. */
export const FUNNEL_GROUP_ATTRIBUTE = /^[A-Za-z_][A-Za-z0-9_.-]{0,99}$/;

/** One stage entry of a subject as the rollups need it. */
export interface EntryFacts {
  stageId: string;
  /** Epoch ms. */
  enteredAt: number;
  /** The entering event's attributes. */
  attributes: Record<string, unknown> | null;
}

export interface FunnelRollupKey {
  cohortStageId: string;
  span: RollupSpan | 'edge';
  /** Epoch ms; 0 for an edge (entries read one by one). */
  bucketStart: number;
  /** '' for the ungrouped funnel. */
  attribute: string;
  /** The attribute's value as text ('' when ungrouped). */
  value: string;
  stageId: string;
  kind: 'stage' | 'reason';
  /** For a reason row: the entry's reason and competitor (either may be null, not both). */
  reason: string | null;
  competitor: string | null;
}

/** A stored funnel rollup as a window reads it (or a window end's entries summed alike), counted `weight` times (−1: taken away). */
export interface WeightedFunnelRollup extends Pick<FunnelRollupKey, 'attribute' | 'value' | 'stageId' | 'kind' | 'reason' | 'competitor'> {
  weight: number;
  entered: number;
  /** DurationHistogram.encode's text ('' for none). */
  durations: string;
  firstAt: number | null;
}

/** A change to one rollup. */
export interface FunnelRollupDelta {
  key: FunnelRollupKey;
  entered: number;
  /** Histogram bucket → count to add (stage rows of later stages); never 0. */
  durations: Map<number, number>;
  /** The earliest entry put in (reason rows), epoch ms; null when none was. */
  firstAt: number | null;
}

/**
 * An attribute's value as text, as the report groups by it: text as is, true/false, numbers as
 * JSON writes them; null when absent or null (the report's `null` group).
 */
export function groupText(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean' || typeof value === 'number') return String(value);
  return JSON.stringify(value);
}

/** The groupings a cohort entry's subject counts in: ungrouped, then each attribute with a value. */
export function groupingsOf(attributes: Record<string, unknown> | null): [string, string][] {
  const groupings: [string, string][] = [['', '']];
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (!FUNNEL_GROUP_ATTRIBUTE.test(name)) continue;
    const text = groupText(value);
    if (text !== null) groupings.push([name, text]);
  }
  return groupings;
}

/** Whole wall-clock seconds between two instants, rounded as the report's SQL rounds them. */
export function secondsBetween(from: number, to: number): number {
  return Math.round((to - from) / 1000);
}

/**
 * The changes to the funnel rollups, summed per rollup: a subject's contribution as its entries
 * were is taken out, and as they are now put in.
 */
export class FunnelRollupDeltas {
  private readonly deltas = new Map<string, FunnelRollupDelta>();

  /**
   * @param cohortStageId the funnel's first counted stage
   * @param spans the rollups to change; `['edge']` to sum entries read one by one
   */
  constructor(
    readonly cohortStageId: string,
    private readonly spans: readonly (RollupSpan | 'edge')[] = ROLLUP_SPANS,
  ) {}

  /** A subject's entries before and after a change (either may be empty). */
  change(before: readonly EntryFacts[], after: readonly EntryFacts[]): this {
    this.subject(before, -1);
    this.subject(after, 1);
    return this;
  }

  /**
   * Adds (`sign` 1) or takes away (−1) what a subject with these entries contributes; with
   * `onlyStageId`, only its rows of that stage (a later stage rebuilt alone).
   */
  subject(entries: readonly EntryFacts[], sign: 1 | -1, onlyStageId?: string): this {
    const cohort = entries.find((entry) => entry.stageId === this.cohortStageId);
    if (!cohort) return this;
    const starts = bucketStarts(cohort.enteredAt);
    const groupings = groupingsOf(cohort.attributes);
    // What each counted entry adds, worked out once for every span and grouping it counts in.
    const counted = entries
      .filter((entry) => onlyStageId === undefined || entry.stageId === onlyStageId)
      .map((entry) => ({
        entry,
        bucket: entry === cohort ? null : durationBucket(secondsBetween(cohort.enteredAt, entry.enteredAt)),
        reason: groupText(entry.attributes?.reason),
        competitor: groupText(entry.attributes?.competitor),
      }));
    for (const span of this.spans) {
      const bucketStart = span === 'edge' ? 0 : starts[span];
      for (const [attribute, value] of groupings) {
        // The part of the keys' text every counted entry shares, made once per grouping.
        const prefix = `${this.cohortStageId}\u0000${span}\u0000${bucketStart}\u0000${attribute}\u0000${value}\u0000`;
        for (const { entry, bucket, reason, competitor } of counted) {
          const stage = this.delta(prefix, span, bucketStart, attribute, value, entry.stageId, 'stage', null, null);
          stage.entered += sign;
          if (bucket !== null) addDuration(stage, bucket, sign);
          if (reason === null && competitor === null) continue;
          const described = this.delta(prefix, span, bucketStart, attribute, value, entry.stageId, 'reason', reason, competitor);
          described.entered += sign;
          if (sign > 0) described.firstAt = described.firstAt === null ? entry.enteredAt : Math.min(described.firstAt, entry.enteredAt);
        }
      }
    }
    return this;
  }

  /** The delta of one rollup, found by its key's text; its key object is made only for a rollup first met. */
  private delta(
    prefix: string,
    span: FunnelRollupKey['span'],
    bucketStart: number,
    attribute: string,
    value: string,
    stageId: string,
    kind: FunnelRollupKey['kind'],
    reason: string | null,
    competitor: string | null,
  ): FunnelRollupDelta {
    const text = `${prefix}${stageId}\u0000${kind}\u0000${reason ?? '\u0001'}\u0000${competitor ?? '\u0001'}`;
    let delta = this.deltas.get(text);
    if (!delta) {
      const key: FunnelRollupKey = { cohortStageId: this.cohortStageId, span, bucketStart, attribute, value, stageId, kind, reason, competitor };
      this.deltas.set(text, (delta = { key, entered: 0, durations: new Map(), firstAt: null }));
    }
    return delta;
  }

  /** The rollups that change, in the order of their keys' text (one lock order for concurrent writers); changes that cancel out are left out. */
  changes(): FunnelRollupDelta[] {
    return [...this.deltas.entries()]
      .filter(([, delta]) => delta.entered !== 0 || delta.durations.size > 0)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, delta]) => delta);
  }
}

function addDuration(delta: FunnelRollupDelta, bucket: number, count: number): void {
  const left = (delta.durations.get(bucket) ?? 0) + count;
  if (left === 0) delta.durations.delete(bucket);
  else delta.durations.set(bucket, left);
}

/** The conventional event type entering SQL, and those of a lead worked after it (README, "Funnel stages"). */
export const SQL_TYPE = 'lead.sql';
export const OUTCOME_TYPES = ['lead.won', 'lead.lost', 'lead.rejected', 'lead.recycled'] as const;

/** What the rollups need to know of the funnel: its first counted stage, its SQL stage and outcome stages. */
export interface FunnelShape {
  cohortStageId: string;
  /** The first counted stage entered by lead.sql; null when none is. */
  sqlStageId: string | null;
  outcomeStageIds: ReadonlySet<string>;
}

/** The shape of a funnel from its counted stages in order (null when none counts). */
export function funnelShapeOf(counted: readonly { id: string; enteredOn: { type: string } }[]): FunnelShape | null {
  if (counted.length === 0) return null;
  return {
    cohortStageId: counted[0].id,
    sqlStageId: counted.find((stage) => stage.enteredOn.type === SQL_TYPE)?.id ?? null,
    outcomeStageIds: new Set(counted.filter((stage) => (OUTCOME_TYPES as readonly string[]).includes(stage.enteredOn.type)).map((stage) => stage.id)),
  };
}

/** An SQL nobody has worked yet, with what the never-worked list groups it by: its cohort entry. */
export interface OpenSql {
  /** When it entered SQL. */
  enteredAt: number;
  cohortEnteredAt: number;
  /** The cohort entry's event's attributes. */
  attributes: Record<string, unknown> | null;
}

/**
 * Whether a subject of the cohort is an SQL nobody has worked yet: it entered the cohort stage,
 * the SQL stage and none of the outcome stages.
 */
export function openSqlOf(entries: readonly EntryFacts[], shape: FunnelShape): OpenSql | null {
  const cohort = entries.find((entry) => entry.stageId === shape.cohortStageId);
  if (shape.sqlStageId === null || !cohort) return null;
  let sql: number | null = null;
  for (const entry of entries) {
    if (shape.outcomeStageIds.has(entry.stageId)) return null;
    if (entry.stageId === shape.sqlStageId) sql = entry.enteredAt;
  }
  return sql === null ? null : { enteredAt: sql, cohortEnteredAt: cohort.enteredAt, attributes: cohort.attributes };
}

/** How a response clock counts in a group's compliance: met, breached (by its outcome), or not at all. */
export type ClockVerdict = 'met' | 'breached' | null;

/** One clock of a subject as the funnel's compliance needs it. */
export interface ClockFacts {
  agreementId: string;
  targetName: string;
  verdict: ClockVerdict;
}

/** A stored clock's verdict: void clocks count in nothing, pending ones not yet (the read adds those past due). */
export function verdictOf(state: string, outcome: string): ClockVerdict {
  if (state === 'void') return null;
  return outcome === 'met' ? 'met' : outcome === 'breached' ? 'breached' : null;
}

export interface FunnelClockKey {
  cohortStageId: string;
  span: RollupSpan | 'edge';
  bucketStart: number;
  attribute: string;
  value: string;
  agreementId: string;
  targetName: string;
}

/** A stored rollup of the cohort's clocks as a window reads it (or an end's clocks, or an unswept clock past due), counted `weight` times. */
export interface WeightedClockRollup extends Pick<FunnelClockKey, 'attribute' | 'value' | 'agreementId' | 'targetName'> {
  weight: number;
  met: number;
  breached: number;
}

export interface FunnelClockDelta {
  key: FunnelClockKey;
  met: number;
  breached: number;
}

/**
 * The changes to the funnel's compliance rollups: per cohort bucket and grouping (as the funnel
 * rollups), agreement and target, how many of the cohort's response clocks were met and breached.
 * A subject contributes its clocks under its cohort entry: a clock's verdict changing, or the
 * cohort entry moving, takes the old contribution out and puts the new one in.
 */
export class FunnelClockDeltas {
  private readonly deltas = new Map<string, FunnelClockDelta>();

  constructor(
    readonly cohortStageId: string,
    private readonly spans: readonly (RollupSpan | 'edge')[] = ROLLUP_SPANS,
  ) {}

  /** Adds (1) or takes away (−1) what some clocks of a subject whose cohort entry is `cohort` contribute. */
  add(cohort: EntryFacts | undefined, clocks: readonly ClockFacts[], sign: 1 | -1): this {
    if (!cohort || cohort.stageId !== this.cohortStageId) return this;
    const counted = clocks.filter((clock) => clock.verdict !== null);
    if (counted.length === 0) return this;
    const starts = bucketStarts(cohort.enteredAt);
    const groupings = groupingsOf(cohort.attributes);
    for (const span of this.spans) {
      const bucketStart = span === 'edge' ? 0 : starts[span];
      for (const [attribute, value] of groupings) {
        const prefix = `${this.cohortStageId}\u0000${span}\u0000${bucketStart}\u0000${attribute}\u0000${value}\u0000`;
        for (const clock of counted) {
          const delta = this.delta(prefix, span, bucketStart, attribute, value, clock.agreementId, clock.targetName);
          if (clock.verdict === 'met') delta.met += sign;
          else delta.breached += sign;
        }
      }
    }
    return this;
  }

  /** The delta of one rollup, found by its key's text; its key object is made only for a rollup first met. */
  private delta(prefix: string, span: FunnelClockKey['span'], bucketStart: number, attribute: string, value: string, agreementId: string, targetName: string): FunnelClockDelta {
    const text = `${prefix}${agreementId}\u0000${targetName}`;
    let delta = this.deltas.get(text);
    if (!delta) this.deltas.set(text, (delta = { key: { cohortStageId: this.cohortStageId, span, bucketStart, attribute, value, agreementId, targetName }, met: 0, breached: 0 }));
    return delta;
  }

  changes(): FunnelClockDelta[] {
    return [...this.deltas.entries()]
      .filter(([, delta]) => delta.met !== 0 || delta.breached !== 0)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, delta]) => delta);
  }
}
