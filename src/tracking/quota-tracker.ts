import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { matchesFilter, type EventFilter } from '../agreements/domain/agreement-terms.js';
import { Clock } from '../common/clock.js';
import { SqlDialect } from '../database/sql-dialect.js';
import { TrackingQueueRepository } from '../events/tracking-queue.repository.js';
import { periodOfAgreement, quotaTermsOf, type MeasuredAgreement, type PeriodOfAgreement } from './agreement-catalogue.js';
import { periodsBetween, type Period } from './domain/periods.js';

const PAGE = 10_000;

/** A quota period measured from history when its agreement came into force. */
export interface BackfilledPeriod {
  id: string;
  versionId: string;
  period: Period;
  count: number;
  minimum: number;
  status: 'open' | 'met' | 'missed';
}

/** What a stored event needs to be counted. */
export interface CountableEvent {
  type: string;
  occurredAt: number;
  attributes: Record<string, unknown>;
}

/**
 * Counts qualifying events into quota periods (which periods, and the version measuring each:
 * periodOfAgreement).
 */
@Injectable()
export class QuotaTracker {
  constructor(
    private readonly clock: Clock,
    private readonly queue: TrackingQueueRepository,
  ) {}

  /** The period an instant falls in, with its measuring version; undefined outside the agreement's life. */
  periodOf(measured: MeasuredAgreement, instant: number): PeriodOfAgreement | undefined {
    const first = measured.versions[0];
    return first ? periodOfAgreement(measured, instant, quotaTermsOf(first).period) : undefined;
  }

  /** Adds newly stored events to their periods; a missed period that now reaches its minimum is met after all. */
  async count(manager: EntityManager, agreements: MeasuredAgreement[], events: CountableEvent[]): Promise<void> {
    for (const measured of agreements) {
      const increments = new Map<number, { target: PeriodOfAgreement; count: number }>();
      // Most events of a batch fall in one period: cutting periods in a time zone is the costly part.
      let last: PeriodOfAgreement | undefined;
      for (const event of events) {
        if (!measured.types.has(event.type)) continue;
        const target =
          last && event.occurredAt >= last.period.start && event.occurredAt < last.period.end
            ? last
            : (last = this.periodOf(measured, event.occurredAt));
        if (!target || !matchesFilter(quotaTermsOf(target.version).countOn, event.type, event.attributes)) continue;
        const entry = increments.get(target.period.start);
        if (entry) entry.count += 1;
        else increments.set(target.period.start, { target, count: 1 });
      }
      for (const { target, count } of increments.values()) {
        // A period seen for the first time is counted from the stored events, this batch included.
        if (await this.ensurePeriod(manager, measured, target)) continue;
        await this.addToPeriod(manager, measured, target.period, count);
      }
    }
  }

  /**
   * Makes sure a period row exists; when this call creates it, counts it from the stored events.
   * Returns whether it was created here.
   */
  async ensurePeriod(manager: EntityManager, measured: MeasuredAgreement, target: PeriodOfAgreement): Promise<boolean> {
    const dialect = SqlDialect.of(manager);
    const now = this.clock.now();
    const id = randomUUID();
    const inserted = await SqlDialect.rows<{ id: string }>(
      manager,
      `INSERT INTO quota_periods (id, agreement_id, version_id, label, period_start, period_end, count, minimum, status, updated_at)
       VALUES (${dialect.params(1, 8)}, 'open', ${dialect.param(9)})
       ON CONFLICT (agreement_id, period_start) DO NOTHING RETURNING id`,
      [
        id,
        measured.agreement.id,
        target.version.entity.id,
        target.period.label,
        dialect.instant(target.period.start),
        dialect.instant(target.period.end),
        0,
        quotaTermsOf(target.version).minimum,
        dialect.instant(now),
      ],
    );
    if (inserted.length === 0) return false;
    await this.recount(manager, id, target);
    return true;
  }

  /**
   * Counts the stored events matching `countOn` into consecutive periods, in one scan of the
   * events of that type (replays, and agreements measuring from a date before their approval).
   * `tracked` leaves out the events still in the tracking queue, which add themselves when
   * drained (a backfill writes the periods they will be added to; a replay counts everything).
   */
  async countInPeriods(manager: EntityManager, countOn: EventFilter, periods: Period[], { tracked = false }: { tracked?: boolean } = {}): Promise<number[]> {
    const counts = periods.map(() => 0);
    if (periods.length === 0) return counts;
    const dialect = SqlDialect.of(manager);
    const first = periods[0].start;
    const last = periods[periods.length - 1].end;
    let index = 0;
    let cursor: [unknown, string] | null = null;
    for (;;) {
      const rows: { id: string; occurred_at: unknown; attributes: string }[] = await SqlDialect.rows(
        manager,
        `SELECT id, occurred_at, attributes FROM events
         WHERE type = ${dialect.param(1)} AND occurred_at >= ${dialect.param(2)} AND occurred_at < ${dialect.param(3)}
         ${cursor ? `AND (occurred_at > ${dialect.param(4)} OR (occurred_at = ${dialect.param(5)} AND id > ${dialect.param(6)}))` : ''}
         ORDER BY occurred_at, id LIMIT ${PAGE}`,
        [countOn.type, dialect.instant(first), dialect.instant(last), ...(cursor ? [cursor[0], cursor[0], cursor[1]] : [])],
      );
      for (const row of tracked ? await this.withoutQueued(manager, rows) : rows) {
        const occurred = dialect.readInstant(row.occurred_at) as number;
        if (countOn.when && !matchesFilter(countOn, countOn.type, JSON.parse(row.attributes) as Record<string, unknown>)) continue;
        // Rows come in time order, and so do the periods: walk both together.
        while (index < periods.length - 1 && occurred >= periods[index].end) index++;
        if (occurred >= periods[index].start && occurred < periods[index].end) counts[index] += 1;
      }
      if (rows.length < PAGE) break;
      const lastRow = rows[rows.length - 1];
      cursor = [lastRow.occurred_at, lastRow.id];
    }
    return counts;
  }

  /**
   * An agreement measuring from a date before its approval: every period from the one holding
   * that date to the running one, counted in one scan and written in one statement; the periods
   * already over are closed as met or missed at once. Returns the periods written (a period
   * already stored is left alone).
   */
  async backfill(manager: EntityManager, measured: MeasuredAgreement, from: number, now: number): Promise<BackfilledPeriod[]> {
    const first = this.periodOf(measured, from);
    const current = this.periodOf(measured, now);
    if (!first || !current) return [];
    const version = first.version;
    const terms = quotaTermsOf(version);
    const periods = periodsBetween(first.period.start, current.period.end, terms.period, version.calendar.timezone);
    const counts = await this.countInPeriods(manager, terms.countOn, periods, { tracked: true });
    const rows: BackfilledPeriod[] = periods.map((period, i) => ({
      id: randomUUID(),
      versionId: version.entity.id,
      period,
      count: counts[i],
      minimum: terms.minimum,
      status: period.end > now ? 'open' : counts[i] >= terms.minimum ? 'met' : 'missed',
    }));
    const dialect = SqlDialect.of(manager);
    const at = dialect.instant(now);
    const written: BackfilledPeriod[] = [];
    for (let start = 0; start < rows.length; start += 100) {
      const part = rows.slice(start, start + 100);
      const values: unknown[] = [];
      const tuples = part.map((row, i) => {
        values.push(
          row.id,
          measured.agreement.id,
          row.versionId,
          row.period.label,
          dialect.instant(row.period.start),
          dialect.instant(row.period.end),
          row.count,
          row.minimum,
          row.status,
          row.status === 'open' ? null : at,
          at,
        );
        return `(${dialect.params(i * 11 + 1, 11)})`;
      });
      const inserted = await SqlDialect.rows<{ id: string }>(
        manager,
        `INSERT INTO quota_periods (id, agreement_id, version_id, label, period_start, period_end, count, minimum, status, closed_at, updated_at)
         VALUES ${tuples.join(', ')} ON CONFLICT (agreement_id, period_start) DO NOTHING RETURNING id`,
        values,
      );
      const ids = new Set(inserted.map((row) => row.id));
      written.push(...part.filter((row) => ids.has(row.id)));
    }
    return written;
  }

  /** Counts a period from the stored events (when it is created, and when a version comes into force). */
  async recount(manager: EntityManager, periodId: string, target: PeriodOfAgreement): Promise<number> {
    const dialect = SqlDialect.of(manager);
    const filter = quotaTermsOf(target.version).countOn;
    const stored = await SqlDialect.rows<{ id: string; attributes: string }>(
      manager,
      `SELECT id, attributes FROM events WHERE type = ${dialect.param(1)} AND occurred_at >= ${dialect.param(2)} AND occurred_at < ${dialect.param(3)}`,
      [filter.type, dialect.instant(target.period.start), dialect.instant(target.period.end)],
    );
    const rows = await this.withoutQueued(manager, stored);
    const count = filter.when
      ? rows.filter((row) => matchesFilter(filter, filter.type, JSON.parse(row.attributes) as Record<string, unknown>)).length
      : rows.length;
    await manager.query(
      `UPDATE quota_periods SET count = ${dialect.param(1)}, updated_at = ${dialect.param(2)} WHERE id = ${dialect.param(3)}`,
      [count, dialect.instant(this.clock.now()), periodId],
    );
    await this.settleLateCount(manager, [periodId]);
    return count;
  }

  /**
   * Events waiting in the tracking queue are left out of a count made from the stored events:
   * their drain adds them to the period. Read after the events, so an event that was committed
   * with its queue row before the count was read is found in the queue (on PostgreSQL a drain
   * that applies it waits on the period row this transaction created).
   */
  private async withoutQueued<T extends { id: string }>(manager: EntityManager, rows: T[]): Promise<T[]> {
    if (rows.length === 0) return rows;
    const queued = await this.queue.queuedEventIds(manager);
    return queued.size === 0 ? rows : rows.filter((row) => !queued.has(row.id));
  }

  private async addToPeriod(manager: EntityManager, measured: MeasuredAgreement, period: Period, count: number): Promise<void> {
    const dialect = SqlDialect.of(manager);
    const rows = await SqlDialect.rows<{ id: string }>(
      manager,
      `UPDATE quota_periods SET count = count + ${dialect.param(1)}, updated_at = ${dialect.param(2)}
       WHERE agreement_id = ${dialect.param(3)} AND period_start = ${dialect.param(4)} RETURNING id`,
      [count, dialect.instant(this.clock.now()), measured.agreement.id, dialect.instant(period.start)],
    );
    await this.settleLateCount(manager, rows.map((row) => row.id));
  }

  /** A closed period that missed its minimum but has now reached it (late events) is met; its breach is withdrawn. */
  private async settleLateCount(manager: EntityManager, periodIds: string[]): Promise<void> {
    if (periodIds.length === 0) return;
    const dialect = SqlDialect.of(manager);
    const now = dialect.instant(this.clock.now());
    const met = await SqlDialect.rows<{ id: string }>(
      manager,
      `UPDATE quota_periods SET status = 'met' WHERE status = 'missed' AND count >= minimum
       AND id IN (${dialect.params(1, periodIds.length)}) RETURNING id`,
      periodIds,
    );
    if (met.length === 0) return;
    await manager.query(
      `UPDATE breaches SET withdrawn_at = ${dialect.param(1)} WHERE withdrawn_at IS NULL AND quota_period_id IN (${dialect.params(2, met.length)})`,
      [now, ...met.map((row) => row.id)],
    );
  }
}
