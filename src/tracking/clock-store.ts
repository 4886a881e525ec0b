import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { SqlDialect } from '../database/sql-dialect.js';
import type { ClockStep, ComputedClock } from './domain/clock-cycles.js';
import { SlaClock, type ClockOutcome, type ClockState } from './sla-clock.entity.js';

/** Entity property → column, in the order of the INSERT. */
const COLUMNS: [keyof SlaClock, string][] = [
  ['id', 'id'],
  ['agreementId', 'agreement_id'],
  ['versionId', 'version_id'],
  ['subject', 'subject'],
  ['startEventId', 'start_event_id'],
  ['cycle', 'cycle'],
  ['targetIndex', 'target_index'],
  ['targetName', 'target_name'],
  ['targetSeconds', 'target_seconds'],
  ['state', 'state'],
  ['outcome', 'outcome'],
  ['startedAt', 'started_at'],
  ['stoppedAt', 'stopped_at'],
  ['dueAt', 'due_at'],
  ['warnAt', 'warn_at'],
  ['warnedAt', 'warned_at'],
  ['breachedAt', 'breached_at'],
  ['elapsedSeconds', 'elapsed_seconds'],
  ['pausedSeconds', 'paused_seconds'],
  ['calendarVersion', 'calendar_version'],
  ['steps', 'steps'],
  ['updatedAt', 'updated_at'],
];
const INSTANTS = new Set<keyof SlaClock>(['startedAt', 'stoppedAt', 'dueAt', 'warnAt', 'warnedAt', 'breachedAt', 'updatedAt']);
const ROWS_PER_STATEMENT = 200;
const SUBJECTS_PER_QUERY = 500;

type ClockRow = Record<string, unknown>;

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

/**
 * Reads and writes clocks with hand-written SQL: ingestion writes thousands per batch, and
 * building those statements through the ORM cost more than running them.
 */
@Injectable()
export class ClockStore {
  async load(manager: EntityManager, agreementIds: string[], subjects: string[]): Promise<SlaClock[]> {
    const dialect = SqlDialect.of(manager);
    const clocks: SlaClock[] = [];
    if (agreementIds.length === 0) return clocks;
    for (let start = 0; start < subjects.length; start += SUBJECTS_PER_QUERY) {
      const part = subjects.slice(start, start + SUBJECTS_PER_QUERY);
      const rows = await SqlDialect.rows<ClockRow>(
        manager,
        `SELECT ${COLUMNS.map(([, column]) => column).join(', ')} FROM clocks
         WHERE subject IN (${dialect.params(1, part.length)}) AND agreement_id IN (${dialect.params(part.length + 1, agreementIds.length)})`,
        [...part, ...agreementIds],
      );
      for (const row of rows) clocks.push(this.fromRow(dialect, row));
    }
    return clocks;
  }

  /** Inserts new clocks and rewrites changed ones, a few hundred per statement. */
  async save(manager: EntityManager, clocks: SlaClock[]): Promise<void> {
    const dialect = SqlDialect.of(manager);
    const updates = COLUMNS.slice(1)
      .map(([, column]) => `${column} = excluded.${column}`)
      .join(', ');
    for (let start = 0; start < clocks.length; start += ROWS_PER_STATEMENT) {
      const part = clocks.slice(start, start + ROWS_PER_STATEMENT);
      const values: unknown[] = [];
      const tuples = part.map((clock, i) => {
        for (const [property] of COLUMNS) values.push(this.toParameter(dialect, property, clock[property]));
        return `(${dialect.params(i * COLUMNS.length + 1, COLUMNS.length)})`;
      });
      await manager.query(
        `INSERT INTO clocks (${COLUMNS.map(([, column]) => column).join(', ')}) VALUES ${tuples.join(', ')}
         ON CONFLICT (id) DO UPDATE SET ${updates}`,
        values,
      );
    }
  }

  private toParameter(dialect: SqlDialect, property: keyof SlaClock, value: unknown): unknown {
    if (value === null || value === undefined) return null;
    if (INSTANTS.has(property)) return dialect.instant(value as Date);
    if (property === 'steps') return JSON.stringify(value);
    return value;
  }

  private fromRow(dialect: SqlDialect, row: ClockRow): SlaClock {
    const instant = (value: unknown) => {
      const ms = dialect.readInstant(value);
      return ms === null ? null : new Date(ms);
    };
    return Object.assign(new SlaClock(), {
      id: row.id as string,
      agreementId: row.agreement_id as string,
      versionId: row.version_id as string,
      subject: row.subject as string,
      startEventId: row.start_event_id as string,
      cycle: Number(row.cycle),
      targetIndex: Number(row.target_index),
      targetName: row.target_name as string,
      targetSeconds: Number(row.target_seconds),
      state: row.state as ClockState,
      outcome: row.outcome as ClockOutcome,
      startedAt: instant(row.started_at) as Date,
      stoppedAt: instant(row.stopped_at),
      dueAt: instant(row.due_at),
      warnAt: instant(row.warn_at),
      warnedAt: instant(row.warned_at),
      breachedAt: instant(row.breached_at),
      elapsedSeconds: Number(row.elapsed_seconds),
      pausedSeconds: Number(row.paused_seconds),
      calendarVersion: Number(row.calendar_version),
      steps: JSON.parse(row.steps as string) as ClockStep[],
      updatedAt: instant(row.updated_at) as Date,
    });
  }
}
