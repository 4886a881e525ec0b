import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager, type EntityMetadata } from 'typeorm';
import { INSTANT } from '../database/columns.js';
import { chunks } from '../common/chunks.js';
import { SqlDialect, type PostgresElement } from '../database/sql-dialect.js';
import type { ComputedClock } from './domain/clock-cycles.js';
import { verdictOf } from './domain/funnel-rollups.js';
import { RollupDeltas, type RollupClock } from './domain/rollups.js';
import { FunnelRollupsService, type ClockVerdictChange } from './funnel-rollups.service.js';
import { RollupRepository } from './rollup.repository.js';
import { SlaClock } from './sla-clock.entity.js';

const ROWS_PER_STATEMENT = 200;
const SUBJECTS_PER_QUERY = 500;

type ClockRow = Record<string, unknown>;

/** How a column's value travels in raw SQL. */
type Conversion = 'as-is' | 'number' | 'instant' | 'json';

/** One column of the clocks table as the hand-written SQL reads and writes it. */
export interface StoredColumn {
  property: keyof SlaClock;
  name: string;
  primary: boolean;
  conversion: Conversion;
}

/** The PostgreSQL element type a column of each conversion is written as (ClockRepository.write). */
const POSTGRES_ELEMENTS: Record<Conversion, PostgresElement> = { instant: 'timestamptz', json: 'text', number: 'int', 'as-is': 'text' };

function conversionOf(type: unknown, property: string): Conversion {
  if (type === INSTANT) return 'instant';
  if (type === 'simple-json') return 'json';
  if (type === 'integer') return 'number';
  if (type === 'varchar' || type === 'text') return 'as-is';
  // Refused at start-up rather than stored or read wrongly (a boolean is 0/1 on SQLite, …).
  throw new Error(`clocks.${property} has a column type (${String(type)}) the clock repository does not convert: teach conversionOf`);
}

/**
 * The clocks table's columns, from the entity's TypeORM metadata, in the entity's order: a
 * column added to SlaClock is read and written without a second list to keep in step.
 */
export function storedColumns(metadata: EntityMetadata): StoredColumn[] {
  return metadata.columns.map((column) => ({
    property: column.propertyName as keyof SlaClock,
    name: column.databaseName,
    primary: column.isPrimary,
    conversion: conversionOf(column.type, column.propertyName),
  }));
}

/** A computed clock as stored: keeps the id (and the warning already sent) of the clock it replaces. */
export function clockRow(clock: ComputedClock, previous: SlaClock | undefined, agreementId: string, subject: string, now: Date): SlaClock {
  const date = (ms: number | null) => (ms === null ? null : new Date(ms));
  return Object.assign(new SlaClock(), {
    id: previous?.id ?? randomUUID(),
    agreementId,
    versionId: clock.versionId,
    subject,
    startEventId: clock.startEventId,
    cycle: clock.cycle,
    targetIndex: clock.targetIndex,
    targetName: clock.targetName,
    targetSeconds: clock.targetSeconds,
    state: clock.state,
    outcome: clock.outcome,
    startedAt: new Date(clock.startedAt),
    stoppedAt: date(clock.stoppedAt),
    dueAt: date(clock.dueAt),
    // A clock is warned once: after that, no warning instant is left for the sweep to find.
    warnAt: previous?.warnedAt ? null : date(clock.warnAt),
    warnedAt: previous?.warnedAt ?? null,
    breachedAt: date(clock.breachedAt),
    elapsedSeconds: clock.elapsedSeconds,
    pausedSeconds: clock.pausedSeconds,
    calendarVersion: clock.calendarVersion,
    steps: clock.steps,
    updatedAt: now,
  });
}

/** A clock the sweep found past its due time, as a breach records it. */
export interface OverdueClock {
  id: string;
  agreementId: string;
  versionId: string;
  subject: string;
  breachedAt: Date;
}

/** What a stored clock contributes to the compliance rollups. */
export function rollupClock(clock: SlaClock): RollupClock {
  return {
    agreementId: clock.agreementId,
    versionId: clock.versionId,
    targetName: clock.targetName,
    state: clock.state,
    outcome: clock.outcome,
    elapsedSeconds: clock.elapsedSeconds,
    startedAt: clock.startedAt.getTime(),
  };
}

/**
 * The clocks table's I/O, in hand-written SQL: ingestion writes thousands of clocks per batch,
 * and building those statements through the ORM cost more than running them. The column list
 * comes from the entity's metadata once, when the repository is made, never per row.
 *
 * The only writer of clocks (clock-writers.spec.ts keeps it so): every write also applies, in
 * the same transaction, the change it makes to the compliance rollups — the stored clock's
 * contribution out, the new one in, summed per rollup for the whole batch — and hands the
 * clocks whose verdict changed to the funnel's compliance rollups (FunnelRollupsService). Done here rather than
 * by database triggers (which SQLite 3.53 and PostgreSQL would both allow, UPSERT included):
 * the histogram bucket of a duration is computed by one TypeScript function instead of three
 * copies (TypeScript, SQLite, PL/pgSQL) kept in step, and a batch of a thousand clocks costs one
 * upsert of its few dozen rollups instead of two to four per clock.
 */
@Injectable()
export class ClockRepository {
  private readonly columns: readonly StoredColumn[];
  private readonly columnList: string;
  private readonly updates: string;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly rollups: RollupRepository = new RollupRepository(),
    private readonly funnel?: FunnelRollupsService,
  ) {
    this.columns = storedColumns(dataSource.getMetadata(SlaClock));
    this.columnList = this.columns.map((column) => column.name).join(', ');
    this.updates = this.columns
      .filter((column) => !column.primary)
      .map(({ name }) => `${name} = excluded.${name}`)
      .join(', ');
  }

  /**
   * The clocks of these subjects under these agreements, to be rewritten: on PostgreSQL they
   * stay locked until the transaction ends, so that the rollup changes computed from them hold
   * (a sweep breaching one of them meanwhile waits, then finds it as rewritten).
   */
  async load(manager: EntityManager, agreementIds: string[], subjects: string[]): Promise<SlaClock[]> {
    const dialect = SqlDialect.of(manager);
    const clocks: SlaClock[] = [];
    if (agreementIds.length === 0) return clocks;
    for (let start = 0; start < subjects.length; start += SUBJECTS_PER_QUERY) {
      const part = subjects.slice(start, start + SUBJECTS_PER_QUERY);
      const subjectIs = dialect.oneOf('subject', 1, part);
      const agreementIs = dialect.oneOf('agreement_id', subjectIs.parameters.length + 1, agreementIds);
      const rows = await SqlDialect.rows<ClockRow>(
        manager,
        `SELECT ${this.columnList} FROM clocks WHERE ${subjectIs.sql} AND ${agreementIs.sql}${this.forUpdate(dialect)}`,
        [...subjectIs.parameters, ...agreementIs.parameters],
      );
      for (const row of rows) clocks.push(this.fromRow(dialect, row));
    }
    return clocks;
  }

  /**
   * Inserts new clocks and rewrites changed ones, a few hundred per statement, and applies the
   * change to the compliance rollups. `stored`: the clocks as stored before, by id, as `load`
   * read them in this transaction — any clock written and not in it is new; without it they are
   * read here.
   */
  async save(manager: EntityManager, clocks: SlaClock[], stored?: ReadonlyMap<string, SlaClock>): Promise<void> {
    if (clocks.length === 0) return;
    const previous = stored ?? (await this.loadByIds(manager, clocks.map((clock) => clock.id)));
    const deltas = new RollupDeltas();
    const verdicts: ClockVerdictChange[] = [];
    for (const clock of clocks) {
      const before = previous.get(clock.id);
      deltas.change(before && rollupClock(before), rollupClock(clock));
      const [was, is] = [before ? verdictOf(before.state, before.outcome) : null, verdictOf(clock.state, clock.outcome)];
      if (was !== is) verdicts.push({ subject: clock.subject, agreementId: clock.agreementId, targetName: clock.targetName, before: was, after: is });
    }
    await this.write(manager, clocks);
    await this.rollups.apply(manager, deltas);
    await this.funnel?.onClocksChanged(manager, verdicts);
  }

  private async loadByIds(manager: EntityManager, ids: string[]): Promise<Map<string, SlaClock>> {
    const dialect = SqlDialect.of(manager);
    const found = new Map<string, SlaClock>();
    for (const part of chunks(ids, SUBJECTS_PER_QUERY)) {
      const rows = await SqlDialect.rows<ClockRow>(
        manager,
        `SELECT ${this.columnList} FROM clocks WHERE id IN (${dialect.params(1, part.length)})${this.forUpdate(dialect)}`,
        part,
      );
      for (const row of rows) {
        const clock = this.fromRow(dialect, row);
        found.set(clock.id, clock);
      }
    }
    return found;
  }

  private forUpdate(dialect: SqlDialect): string {
    // SQLite writes one transaction at a time: nothing to lock.
    return dialect.kind === 'postgres' ? ' FOR UPDATE' : '';
  }

  private async write(manager: EntityManager, clocks: SlaClock[]): Promise<void> {
    const dialect = SqlDialect.of(manager);
    const types = this.columns.map((column) => POSTGRES_ELEMENTS[column.conversion]);
    for (let start = 0; start < clocks.length; start += ROWS_PER_STATEMENT) {
      const part = clocks.slice(start, start + ROWS_PER_STATEMENT);
      const rows = dialect.rowsSource(
        types,
        part.map((clock) => this.columns.map((column) => this.toParameter(dialect, column.conversion, clock[column.property]))),
      );
      await SqlDialect.rows(manager, `INSERT INTO clocks (${this.columnList}) ${rows.sql} ON CONFLICT (id) DO UPDATE SET ${this.updates}`, rows.parameters, { prepared: true });
    }
  }

  /**
   * The (agreement, subject) pairs with a running or paused clock measured on a calendar; given
   * `otherThanVersion`, only those computed on another version of it.
   */
  async openPairsOnCalendar(calendarId: string, otherThanVersion?: number): Promise<{ agreement_id: string; subject: string }[]> {
    const manager = this.dataSource.manager;
    const dialect = SqlDialect.of(manager);
    const stale = otherThanVersion === undefined ? '' : ` AND c.calendar_version <> ${dialect.param(2)}`;
    return SqlDialect.rows<{ agreement_id: string; subject: string }>(
      manager,
      `SELECT DISTINCT c.agreement_id, c.subject FROM clocks c JOIN agreement_versions v ON v.id = c.version_id
       WHERE v.calendar_id = ${dialect.param(1)} AND c.state IN ('running', 'paused')${stale}`,
      otherThanVersion === undefined ? [calendarId] : [calendarId, otherThanVersion],
    );
  }

  /**
   * Marks breached, in one statement that claims them, the pending running or paused clocks
   * whose due time has come, and returns them.
   */
  async claimOverdue(manager: EntityManager, now: Date): Promise<OverdueClock[]> {
    const dialect = SqlDialect.of(manager);
    const rows = await SqlDialect.rows<{
      id: string;
      agreement_id: string;
      version_id: string;
      subject: string;
      due_at: unknown;
      target_name: string;
      state: SlaClock['state'];
      started_at: unknown;
      elapsed_seconds: number;
    }>(
      manager,
      `UPDATE clocks SET outcome = 'breached', breached_at = due_at, updated_at = ${dialect.param(1)}
       WHERE outcome = 'pending' AND state IN ('running', 'paused') AND due_at <= ${dialect.param(2)}
       RETURNING id, agreement_id, version_id, subject, due_at, target_name, state, started_at, elapsed_seconds`,
      [dialect.instant(now), dialect.instant(now)],
    );
    // Each was pending and is breached now, in the same state: running or paused → breached and open.
    const deltas = new RollupDeltas();
    for (const row of rows) {
      const clock = {
        agreementId: row.agreement_id,
        versionId: row.version_id,
        targetName: row.target_name,
        state: row.state,
        elapsedSeconds: Number(row.elapsed_seconds),
        startedAt: dialect.readInstant(row.started_at) as number,
      };
      deltas.change({ ...clock, outcome: 'pending' }, { ...clock, outcome: 'breached' });
    }
    await this.rollups.apply(manager, deltas);
    await this.funnel?.onClocksChanged(
      manager,
      rows.map((row) => ({ subject: row.subject, agreementId: row.agreement_id, targetName: row.target_name, before: null, after: 'breached' as const })),
    );
    return rows.map((row) => ({
      id: row.id,
      agreementId: row.agreement_id,
      versionId: row.version_id,
      subject: row.subject,
      breachedAt: new Date(dialect.readInstant(row.due_at) as number),
    }));
  }

  /**
   * Marks warned, once, the pending running clocks whose warning instant has come, and returns
   * them. A warning changes no figure: the rollups stay as they are.
   */
  async claimAtRisk(manager: EntityManager, now: Date): Promise<{ id: string; versionId: string }[]> {
    const dialect = SqlDialect.of(manager);
    const rows = await SqlDialect.rows<{ id: string; version_id: string }>(
      manager,
      `UPDATE clocks SET warned_at = ${dialect.param(1)}, warn_at = NULL
       WHERE outcome = 'pending' AND state = 'running' AND warn_at <= ${dialect.param(2)}
       RETURNING id, version_id`,
      [dialect.instant(now), dialect.instant(now)],
    );
    return rows.map((row) => ({ id: row.id, versionId: row.version_id }));
  }

  private toParameter(dialect: SqlDialect, conversion: Conversion, value: unknown): unknown {
    if (value === null || value === undefined) return null;
    if (conversion === 'instant') return dialect.instant(value as Date);
    if (conversion === 'json') return JSON.stringify(value);
    return value;
  }

  private fromRow(dialect: SqlDialect, row: ClockRow): SlaClock {
    const clock = new SlaClock() as unknown as Record<keyof SlaClock, unknown>;
    for (const { property, name, conversion } of this.columns) {
      const value = row[name];
      if (value === null || value === undefined) clock[property] = null;
      else if (conversion === 'instant') clock[property] = new Date(dialect.readInstant(value) as number);
      else if (conversion === 'number') clock[property] = Number(value);
      else if (conversion === 'json') clock[property] = JSON.parse(value as string);
      else clock[property] = value;
    }
    return clock as unknown as SlaClock;
  }
}

const instant = (value: Date | null) => (value === null ? null : value.getTime());

/**
 * Columns a recomputation never changes, so storedClockDiffers need not compare them: the clock's
 * identity (the same start event of the same subject under the same agreement), the time the sweep
 * warned it (carried over from the stored clock), and the time of the write itself. Every other
 * column must be compared — clock.repository.db.spec.ts changes each one in turn and fails when a
 * column is neither compared nor listed here.
 */
export const COLUMNS_RECOMPUTATION_KEEPS: readonly (keyof SlaClock)[] = ['id', 'agreementId', 'subject', 'startEventId', 'warnedAt', 'updatedAt'];

/** Whether a stored clock differs from a recomputed one in anything a recomputation decides. */
export function storedClockDiffers(stored: SlaClock, next: SlaClock): boolean {
  return (
    stored.versionId !== next.versionId ||
    stored.cycle !== next.cycle ||
    stored.targetIndex !== next.targetIndex ||
    stored.targetName !== next.targetName ||
    stored.targetSeconds !== next.targetSeconds ||
    stored.state !== next.state ||
    stored.outcome !== next.outcome ||
    instant(stored.startedAt) !== instant(next.startedAt) ||
    instant(stored.stoppedAt) !== instant(next.stoppedAt) ||
    instant(stored.dueAt) !== instant(next.dueAt) ||
    instant(stored.warnAt) !== instant(next.warnAt) ||
    instant(stored.breachedAt) !== instant(next.breachedAt) ||
    stored.elapsedSeconds !== next.elapsedSeconds ||
    stored.pausedSeconds !== next.pausedSeconds ||
    stored.calendarVersion !== next.calendarVersion ||
    JSON.stringify(stored.steps) !== JSON.stringify(next.steps)
  );
}
