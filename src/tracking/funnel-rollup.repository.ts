import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { chunks } from '../common/chunks.js';
import { SqlDialect, type PostgresElement } from '../database/sql-dialect.js';
import { addToEncoded } from './domain/duration-histogram.js';
import { verdictOf, type ClockFacts, type OpenSql, type WeightedClockRollup, type WeightedFunnelRollup, type EntryFacts, type FunnelClockDeltas, type FunnelRollupDelta, type FunnelRollupDeltas } from './domain/funnel-rollups.js';
import type { RollupRange } from './domain/rollups.js';

/** The PostgreSQL element types of funnel_clock_rollups' columns as `applyClocks` inserts them (SqlDialect.rowsSource). */
const CLOCK_ROLLUP_TYPES: PostgresElement[] = ['text', 'text', 'timestamptz', 'text', 'text', 'text', 'text', 'text', 'int', 'int'];

/** Rollups per statement: 12 parameters each. */
const ROLLUPS_PER_STATEMENT = 150;

/** A response clock of a cohort subject past due that the sweep has not marked yet: breached in the figures. */
export interface UnsweptClock {
  attributes: Record<string, unknown> | null;
  agreementId: string;
  targetName: string;
}

export interface OpenSqlChange {
  subject: string;
  /** The SQL stage and the open SQL; null when the subject is no longer one. */
  open: ({ stageId: string } & OpenSql) | null;
}

type ReturnedRow = { id: number | string; span: string; bucket_start: unknown; row_key: string; entered: number | string; durations: string };

/**
 * Row keys already worked out, by the text hashed: every batch writes the rows of the same few
 * groupings again, and a SHA-256 per row per batch was a tenth of the rollups' cost. Bounded: the
 * map is simply emptied when full.
 */
const rowKeys = new Map<string, string>();
const ROW_KEYS_KEPT = 20_000;

/** What tells the rows of one bucket apart, hashed (values may be 1,000 characters long); the same parts, the same key. */
export function hashedRowKey(parts: readonly (string | null)[]): string {
  const text = JSON.stringify(parts);
  let key = rowKeys.get(text);
  if (key === undefined) {
    if (rowKeys.size >= ROW_KEYS_KEPT) rowKeys.clear();
    key = createHash('sha256').update(text).digest('hex');
    rowKeys.set(text, key);
  }
  return key;
}

function rowKeyOf(delta: FunnelRollupDelta): string {
  const { attribute, value, stageId, kind, reason, competitor } = delta.key;
  return hashedRowKey([attribute, value, stageId, kind, reason, competitor]);
}

/**
 * The funnel rollup table's I/O (see domain/funnel-rollups.ts), in SQL both databases run, as
 * RollupRepository does for compliance: counts added by upsert, histograms merged from the rows
 * it returns; a rollup whose count reaches 0 is deleted (so `first_at` starts afresh).
 */
@Injectable()
export class FunnelRollupRepository {
  async apply(manager: EntityManager, deltas: FunnelRollupDeltas): Promise<void> {
    const dialect = SqlDialect.of(manager);
    for (const part of chunks(deltas.changes(), ROLLUPS_PER_STATEMENT)) {
      const values: unknown[] = [];
      const keys = new Map<string, FunnelRollupDelta>();
      const tuples = part.map((delta, i) => {
        const { key } = delta;
        const rowKey = rowKeyOf(delta);
        keys.set(`${key.span}\u0000${key.bucketStart}\u0000${rowKey}`, delta);
        values.push(
          key.cohortStageId,
          key.span,
          dialect.instant(key.bucketStart),
          key.attribute,
          key.value,
          key.stageId,
          key.kind,
          key.reason,
          key.competitor,
          rowKey,
          delta.entered,
          delta.firstAt === null ? null : dialect.instant(delta.firstAt),
        );
        return `(${dialect.params(i * 12 + 1, 12)})`;
      });
      const returned = await SqlDialect.rows<ReturnedRow>(
        manager,
        `INSERT INTO funnel_rollups (cohort_stage_id, span, bucket_start, attribute, value, stage_id, kind, reason, competitor, row_key, entered, first_at)
         VALUES ${tuples.join(', ')}
         ON CONFLICT (cohort_stage_id, span, bucket_start, row_key) DO UPDATE SET
           entered = funnel_rollups.entered + excluded.entered,
           first_at = CASE WHEN excluded.first_at IS NOT NULL AND (funnel_rollups.first_at IS NULL OR excluded.first_at < funnel_rollups.first_at)
                           THEN excluded.first_at ELSE funnel_rollups.first_at END
         RETURNING id, span, bucket_start, row_key, entered, durations`,
        values,
      );
      const emptied: number[] = [];
      const histograms: [number, string][] = [];
      for (const row of returned) {
        const id = Number(row.id);
        if (Number(row.entered) === 0) {
          emptied.push(id);
          continue;
        }
        const delta = keys.get(`${row.span}\u0000${dialect.readInstant(row.bucket_start) as number}\u0000${row.row_key}`);
        if (!delta) throw new Error(`funnel rollup ${row.row_key} was written but not asked for`);
        if (delta.durations.size === 0) continue;
        histograms.push([id, addToEncoded(row.durations, delta.durations)]);
      }
      await this.setDurations(manager, dialect, histograms);
      for (const ids of chunks(emptied, 500)) await manager.query(`DELETE FROM funnel_rollups WHERE id IN (${dialect.params(1, ids.length)})`, ids);
    }
  }

  private async setDurations(manager: EntityManager, dialect: SqlDialect, histograms: [number, string][]): Promise<void> {
    const ordered = [...histograms].sort((a, b) => a[0] - b[0]);
    for (const part of chunks(ordered, 200)) {
      const values: unknown[] = part.flat();
      const cases = part.map((_, i) => `WHEN ${dialect.param(i * 2 + 1)} THEN ${dialect.param(i * 2 + 2)}`).join(' ');
      await manager.query(`UPDATE funnel_rollups SET durations = CASE id ${cases} END WHERE id IN (${dialect.params(values.length + 1, part.length)})`, [
        ...values,
        ...part.map(([id]) => id),
      ]);
    }
  }

  /** The rollups of a cohort stage for some groupings ('' ungrouped) in some ranges, each with its range's weight. */
  async read(manager: EntityManager, cohortStageId: string, attributes: readonly string[], ranges: readonly RollupRange[]): Promise<WeightedFunnelRollup[]> {
    if (ranges.length === 0) return [];
    const dialect = SqlDialect.of(manager);
    const rows = await this.inRanges(manager, 'funnel_rollups', 'attribute, value, stage_id, kind, reason, competitor, entered, durations, first_at', cohortStageId, attributes, ranges);
    return rows.map((row) => ({
      attribute: String(row.attribute),
      value: String(row.value),
      stageId: String(row.stage_id),
      kind: row.kind as 'stage' | 'reason',
      reason: row.reason === null ? null : String(row.reason),
      competitor: row.competitor === null ? null : String(row.competitor),
      weight: Number(row.weight),
      entered: Number(row.entered),
      durations: String(row.durations),
      firstAt: row.first_at === null ? null : (dialect.readInstant(row.first_at) as number),
    }));
  }

  /**
   * Every entry of the subjects that entered the cohort stage in [from, to): the window's ends
   * that no rollup covers, read one by one. Grouped by subject.
   */
  async cohortEntries(manager: EntityManager, cohortStageId: string, from: number, to: number): Promise<Map<string, EntryFacts[]>> {
    const dialect = SqlDialect.of(manager);
    const cohort = await SqlDialect.rows<{ subject: string }>(
      manager,
      `SELECT subject FROM stage_entries WHERE stage_id = ${dialect.param(1)} AND entered_at >= ${dialect.param(2)} AND entered_at < ${dialect.param(3)}`,
      [cohortStageId, dialect.instant(from), dialect.instant(to)],
    );
    const subjects = cohort.map((row) => row.subject);
    const entries = await this.entriesOf(manager, subjects);
    return new Map(subjects.map((subject, i) => [subject, entries[i]]));
  }

  /** Every entry of some subjects, grouped by subject (in the order asked). */
  async entriesOf(manager: EntityManager, subjects: readonly string[]): Promise<EntryFacts[][]> {
    const dialect = SqlDialect.of(manager);
    const bySubject = new Map<string, EntryFacts[]>(subjects.map((subject) => [subject, []]));
    for (const part of chunks([...bySubject.keys()], 500)) {
      const rows = await SqlDialect.rows<{ stage_id: string; subject: string; entered_at: unknown; attributes: string | null }>(
        manager,
        `SELECT stage_id, subject, entered_at, attributes FROM stage_entries WHERE subject IN (${dialect.params(1, part.length)})`,
        part,
      );
      for (const row of rows) {
        bySubject.get(row.subject)?.push({
          stageId: row.stage_id,
          enteredAt: dialect.readInstant(row.entered_at) as number,
          attributes: row.attributes ? (JSON.parse(row.attributes) as Record<string, unknown>) : null,
        });
      }
    }
    return [...bySubject.values()];
  }

  /** Subjects of a stage after `after` in subject order, `limit` of them: the pages of a rebuild of that stage. */
  async stageSubjects(manager: EntityManager, stageId: string, after: string | null, limit: number): Promise<string[]> {
    const dialect = SqlDialect.of(manager);
    const rows = await SqlDialect.rows<{ subject: string }>(
      manager,
      `SELECT subject FROM stage_entries WHERE stage_id = ${dialect.param(1)}${after === null ? '' : ` AND subject > ${dialect.param(2)}`}
       ORDER BY subject LIMIT ${Math.max(1, Math.floor(limit))}`,
      after === null ? [stageId] : [stageId, after],
    );
    return rows.map((row) => row.subject);
  }

  /**
   * Subjects of the cohort stage in the order they entered it, after `after` (its entry's instant
   * and subject), `limit` of them: a rebuild's pages, each a stretch of time, so its hour and day
   * rollups are written once, not merged again page after page.
   */
  async cohortSubjectsInTime(manager: EntityManager, cohortStageId: string, after: { enteredAt: number; subject: string } | null, limit: number): Promise<{ subject: string; enteredAt: number }[]> {
    const dialect = SqlDialect.of(manager);
    const rows = await SqlDialect.rows<{ subject: string; entered_at: unknown }>(
      manager,
      `SELECT subject, entered_at FROM stage_entries WHERE stage_id = ${dialect.param(1)}
       ${after === null ? '' : `AND (entered_at > ${dialect.param(2)} OR (entered_at = ${dialect.param(3)} AND subject > ${dialect.param(4)}))`}
       ORDER BY entered_at, subject LIMIT ${Math.max(1, Math.floor(limit))}`,
      after === null ? [cohortStageId] : [cohortStageId, dialect.instant(after.enteredAt), dialect.instant(after.enteredAt), after.subject],
    );
    return rows.map((row) => ({ subject: row.subject, enteredAt: dialect.readInstant(row.entered_at) as number }));
  }


  /** Forgets one later stage's funnel rollups (its rows under the cohort stage). */
  async clearStage(manager: EntityManager, cohortStageId: string, stageId: string): Promise<void> {
    const dialect = SqlDialect.of(manager);
    await manager.query(`DELETE FROM funnel_rollups WHERE cohort_stage_id = ${dialect.param(1)} AND stage_id = ${dialect.param(2)}`, [cohortStageId, stageId]);
  }

  async clearOpenSqls(manager: EntityManager): Promise<void> {
    await manager.query('DELETE FROM open_sqls');
  }

  async clear(manager: EntityManager): Promise<void> {
    await manager.query('DELETE FROM funnel_rollups');
    await manager.query('DELETE FROM funnel_clock_rollups');
    await manager.query('DELETE FROM open_sqls');
  }

  /** Adds the changes to the funnel's compliance rollups; one whose counts come back to 0 is deleted. */
  async applyClocks(manager: EntityManager, deltas: FunnelClockDeltas): Promise<void> {
    const dialect = SqlDialect.of(manager);
    for (const part of chunks(deltas.changes(), ROLLUPS_PER_STATEMENT)) {
      const rows = dialect.rowsSource(
        CLOCK_ROLLUP_TYPES,
        part.map(({ key, met, breached }) => [
          key.cohortStageId,
          key.span,
          dialect.instant(key.bucketStart),
          key.attribute,
          key.value,
          key.agreementId,
          key.targetName,
          hashedRowKey([key.attribute, key.value, key.agreementId, key.targetName]),
          met,
          breached,
        ]),
      );
      const returned = await SqlDialect.rows<{ id: number | string; met: number | string; breached: number | string }>(
        manager,
        `INSERT INTO funnel_clock_rollups (cohort_stage_id, span, bucket_start, attribute, value, agreement_id, target_name, row_key, met, breached)
         ${rows.sql}
         ON CONFLICT (cohort_stage_id, span, bucket_start, row_key) DO UPDATE SET
           met = funnel_clock_rollups.met + excluded.met, breached = funnel_clock_rollups.breached + excluded.breached
         RETURNING id, met, breached`,
        rows.parameters,
        { prepared: true },
      );
      const emptied = returned.filter((row) => Number(row.met) === 0 && Number(row.breached) === 0).map((row) => Number(row.id));
      for (const ids of chunks(emptied, 500)) await manager.query(`DELETE FROM funnel_clock_rollups WHERE id IN (${dialect.params(1, ids.length)})`, ids);
    }
  }

  /** The funnel's compliance rollups of a cohort stage for some groupings in some ranges, each with its range's weight. */
  async readClocks(manager: EntityManager, cohortStageId: string, attributes: readonly string[], ranges: readonly RollupRange[]): Promise<WeightedClockRollup[]> {
    if (ranges.length === 0) return [];
    const rows = await this.inRanges(manager, 'funnel_clock_rollups', 'attribute, value, agreement_id, target_name, met, breached', cohortStageId, attributes, ranges);
    return rows.map((row) => ({
      attribute: String(row.attribute),
      value: String(row.value),
      agreementId: String(row.agreement_id),
      targetName: String(row.target_name),
      weight: Number(row.weight),
      met: Number(row.met),
      breached: Number(row.breached),
    }));
  }

  /** Rows of a rollup table of a cohort stage and some groupings, in some ranges, each with its range's `weight`: one index range per piece, one statement. */
  private inRanges(
    manager: EntityManager,
    table: 'funnel_rollups' | 'funnel_clock_rollups',
    columns: string,
    cohortStageId: string,
    attributes: readonly string[],
    ranges: readonly RollupRange[],
  ): Promise<Record<string, unknown>[]> {
    const dialect = SqlDialect.of(manager);
    const parameters: unknown[] = [];
    const pieces = ranges.map((range) => {
      if (!Number.isInteger(range.weight)) throw new Error(`rollup weight ${range.weight} is not a whole number`);
      parameters.push(cohortStageId, ...attributes, range.span, dialect.instant(range.from), dialect.instant(range.to));
      const n = parameters.length;
      const first = n - attributes.length - 3;
      return `SELECT ${columns}, ${range.weight} AS weight FROM ${table}
         WHERE cohort_stage_id = ${dialect.param(first)} AND attribute IN (${dialect.params(first + 1, attributes.length)})
           AND span = ${dialect.param(n - 2)} AND bucket_start >= ${dialect.param(n - 1)} AND bucket_start < ${dialect.param(n)}`;
    });
    return SqlDialect.rows<Record<string, unknown>>(manager, pieces.join(' UNION ALL '), parameters);
  }

  /** The response clocks of some subjects with their verdicts, by subject. */
  async clocksOf(manager: EntityManager, subjects: readonly string[]): Promise<Map<string, ClockFacts[]>> {
    const dialect = SqlDialect.of(manager);
    const bySubject = new Map<string, ClockFacts[]>();
    for (const part of chunks([...new Set(subjects)], 500)) {
      const rows = await SqlDialect.rows<{ subject: string; agreement_id: string; target_name: string; state: string; outcome: string }>(
        manager,
        `SELECT subject, agreement_id, target_name, state, outcome FROM clocks WHERE subject IN (${dialect.params(1, part.length)})`,
        part,
      );
      for (const row of rows) {
        let clocks = bySubject.get(row.subject);
        if (!clocks) bySubject.set(row.subject, (clocks = []));
        clocks.push({ agreementId: row.agreement_id, targetName: row.target_name, verdict: verdictOf(row.state, row.outcome) });
      }
    }
    return bySubject;
  }

  /** The cohort entries of some subjects, by subject (those without one are absent). */
  async cohortEntriesOf(manager: EntityManager, cohortStageId: string, subjects: readonly string[]): Promise<Map<string, EntryFacts>> {
    const dialect = SqlDialect.of(manager);
    const found = new Map<string, EntryFacts>();
    for (const part of chunks([...new Set(subjects)], 500)) {
      const rows = await SqlDialect.rows<{ subject: string; entered_at: unknown; attributes: string | null }>(
        manager,
        `SELECT subject, entered_at, attributes FROM stage_entries WHERE stage_id = ${dialect.param(1)} AND subject IN (${dialect.params(2, part.length)})`,
        [cohortStageId, ...part],
      );
      for (const row of rows) {
        found.set(row.subject, {
          stageId: cohortStageId,
          enteredAt: dialect.readInstant(row.entered_at) as number,
          attributes: row.attributes ? (JSON.parse(row.attributes) as Record<string, unknown>) : null,
        });
      }
    }
    return found;
  }

  /**
   * Response clocks past due and not yet marked by the sweep (pending, running or paused), of the
   * subjects that entered the cohort stage in [from, to): by the due-time index, a minute's worth.
   */
  async unswept(manager: EntityManager, cohortStageId: string, from: number, to: number, now: number): Promise<UnsweptClock[]> {
    const dialect = SqlDialect.of(manager);
    const rows = await SqlDialect.rows<{ attributes: string | null; agreement_id: string; target_name: string }>(
      manager,
      `SELECT c.attributes AS attributes, k.agreement_id AS agreement_id, k.target_name AS target_name
       FROM clocks k JOIN stage_entries c ON c.stage_id = ${dialect.param(1)} AND c.subject = k.subject
       WHERE k.outcome = 'pending' AND k.due_at <= ${dialect.param(2)} AND k.state IN ('running', 'paused')
         AND c.entered_at >= ${dialect.param(3)} AND c.entered_at < ${dialect.param(4)}`,
      [cohortStageId, dialect.instant(now), dialect.instant(from), dialect.instant(to)],
    );
    return rows.map((row) => ({
      attributes: row.attributes ? (JSON.parse(row.attributes) as Record<string, unknown>) : null,
      agreementId: row.agreement_id,
      targetName: row.target_name,
    }));
  }

  /** Writes which subjects are open SQLs now. */
  async setOpenSqls(manager: EntityManager, unordered: readonly OpenSqlChange[]): Promise<void> {
    const dialect = SqlDialect.of(manager);
    // In subject order, so two transactions writing some of the same subjects lock them in one order (PostgreSQL).
    const changes = [...unordered].sort((a, b) => (a.subject < b.subject ? -1 : a.subject > b.subject ? 1 : 0));
    const closed = changes.filter((change) => change.open === null).map((change) => change.subject);
    for (const part of chunks(closed, 500)) await manager.query(`DELETE FROM open_sqls WHERE subject IN (${dialect.params(1, part.length)})`, part);
    const open = changes.filter((change): change is OpenSqlChange & { open: { stageId: string } & OpenSql } => change.open !== null);
    for (const part of chunks(open, 200)) {
      const values: unknown[] = [];
      const tuples = part.map((change, i) => {
        const { stageId, enteredAt, cohortEnteredAt, attributes } = change.open;
        values.push(change.subject, stageId, dialect.instant(enteredAt), dialect.instant(cohortEnteredAt), attributes === null ? null : JSON.stringify(attributes));
        return `(${dialect.params(i * 5 + 1, 5)})`;
      });
      await manager.query(
        `INSERT INTO open_sqls (subject, stage_id, entered_at, cohort_entered_at, attributes) VALUES ${tuples.join(', ')}
         ON CONFLICT (subject) DO UPDATE SET stage_id = excluded.stage_id, entered_at = excluded.entered_at,
           cohort_entered_at = excluded.cohort_entered_at, attributes = excluded.attributes`,
        values,
      );
    }
  }

  /** Whether the rollups are those of this cohort stage: none of another, and some if it has entries. */
  async builtFor(manager: EntityManager, cohortStageId: string | null): Promise<boolean> {
    const dialect = SqlDialect.of(manager);
    const one = async (sql: string, values: unknown[]) => (await SqlDialect.rows(manager, sql, values)).length > 0;
    if (cohortStageId === null) return !(await one('SELECT 1 FROM funnel_rollups LIMIT 1', []));
    if (await one(`SELECT 1 FROM funnel_rollups WHERE cohort_stage_id <> ${dialect.param(1)} LIMIT 1`, [cohortStageId])) return false;
    if (await one(`SELECT 1 FROM funnel_rollups WHERE cohort_stage_id = ${dialect.param(1)} LIMIT 1`, [cohortStageId])) return true;
    return !(await one(`SELECT 1 FROM stage_entries WHERE stage_id = ${dialect.param(1)} LIMIT 1`, [cohortStageId]));
  }
}
