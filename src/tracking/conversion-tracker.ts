import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { ConversionTerms } from '../agreements/domain/agreement-terms.js';
import { parseBusinessDuration, type BusinessCalendar } from '../calendars/business-time/index.js';
import { Clock } from '../common/clock.js';
import { SqlDialect } from '../database/sql-dialect.js';
import { AgreementCatalogue, conversionTermsOf, periodOfAgreement, type MeasuredAgreement, type PeriodOfAgreement } from './agreement-catalogue.js';
import { ConversionBreaches, type MissedConversion } from './conversion-breaches.js';
import { closingTime, conversionFigures, verdict, type CohortMember, type ConversionFigures, type WindowEnd } from './domain/conversion.js';
import { periodsBetween, type Period } from './domain/periods.js';
import type { StageEntryChange } from './stage-entries.service.js';

/** A conversion period measured from history when its agreement came into force. */
export interface BackfilledConversion {
  id: string;
  target: PeriodOfAgreement;
  figures: ConversionFigures;
  status: 'open' | 'met' | 'missed';
}

interface StoredPeriod {
  id: string;
  status: 'open' | 'met' | 'missed';
}

/** The end of each subject's window under some terms, on a calendar: `within` business time after its entry. */
export function windowEndOn(calendar: BusinessCalendar, terms: Pick<ConversionTerms, 'within'>): WindowEnd {
  const within = parseBusinessDuration(terms.within);
  return (enteredAt) => calendar.dueAtMs(enteredAt, within);
}

/**
 * Keeps the periods of conversion agreements (`conversion_periods`) in step with the stage
 * entries: a period's figures are counted afresh from `stage_entries` whenever an entry it depends
 * on changes (a subject entering, or entering earlier, either stage), under a lock on the period's
 * row, so two transactions touching one period take turns and the second counts what the first
 * wrote. A closed period is re-decided by late entries: missed → met withdraws its breach,
 * met → missed records one. Which periods and which version measures each: periodOfAgreement.
 */
@Injectable()
export class ConversionTracker {
  constructor(
    private readonly breaches: ConversionBreaches,
    private readonly catalogue: AgreementCatalogue,
    private readonly clock: Clock,
  ) {}

  /** The conversion agreements that have been in force, measured: a cheap look first, most installations have none. */
  async agreements(manager: EntityManager): Promise<MeasuredAgreement[]> {
    const ids = await SqlDialect.rows<{ id: string }>(manager, `SELECT id FROM agreements WHERE kind = 'conversion'`);
    return ids.length === 0 ? [] : this.catalogue.load(manager, ids.map((row) => row.id));
  }

  periodOf(measured: MeasuredAgreement, instant: number): PeriodOfAgreement | undefined {
    const first = measured.versions[0];
    return first ? periodOfAgreement(measured, instant, conversionTermsOf(first).period) : undefined;
  }

  /**
   * The cohort of a period under some terms: the subjects that entered `fromStageId` in it, each
   * with its entry into `toStageId` (whenever it was), from the stage entries.
   */
  async cohortOf(manager: EntityManager, terms: Pick<ConversionTerms, 'fromStageId' | 'toStageId'>, period: Pick<Period, 'start' | 'end'>): Promise<CohortMember[]> {
    const dialect = SqlDialect.of(manager);
    const rows = await SqlDialect.rows<{ entered_at: unknown; reached_at: unknown }>(
      manager,
      `SELECT f.entered_at AS entered_at, t.entered_at AS reached_at
       FROM stage_entries f LEFT JOIN stage_entries t ON t.stage_id = ${dialect.param(1)} AND t.subject = f.subject
       WHERE f.stage_id = ${dialect.param(2)} AND f.entered_at >= ${dialect.param(3)} AND f.entered_at < ${dialect.param(4)}`,
      [terms.toStageId, terms.fromStageId, dialect.instant(period.start), dialect.instant(period.end)],
    );
    return rows.map((row) => ({ enteredAt: dialect.readInstant(row.entered_at) as number, reachedAt: dialect.readInstant(row.reached_at) }));
  }

  /** The figures of a period at `now` under some terms on a calendar, counted from the stage entries (live and replays alike). */
  async figuresOf(manager: EntityManager, terms: ConversionTerms, calendar: BusinessCalendar, period: Pick<Period, 'start' | 'end'>, now: number): Promise<ConversionFigures> {
    return conversionFigures(await this.cohortOf(manager, terms, period), windowEndOn(calendar, terms), now);
  }

  /** A period's figures at `now`, under its version's terms. */
  measure(manager: EntityManager, target: PeriodOfAgreement, now: number): Promise<ConversionFigures> {
    return this.figuresOf(manager, conversionTermsOf(target.version), target.version.calendar, target.period, now);
  }

  /**
   * Entries just recorded (TrackingService.track, in the ingestion transaction): every period of a
   * conversion agreement whose cohort or conversions they may change is counted again. A subject
   * entering the first stage touches the period of its entry (and of its previous entry, when a
   * late event moved it earlier); one entering the second stage, the period of its first-stage entry.
   */
  async apply(manager: EntityManager, agreements: MeasuredAgreement[], changes: readonly StageEntryChange[]): Promise<void> {
    const conversions = agreements.filter((measured) => measured.agreement.kind === 'conversion' && measured.versions.length > 0);
    if (conversions.length === 0 || changes.length === 0) return;
    const stages = new Set(conversions.flatMap((measured) => measured.versions.flatMap((version) => [conversionTermsOf(version).fromStageId, conversionTermsOf(version).toStageId])));
    await this.lockSubjects(manager, [...new Set(changes.filter((change) => stages.has(change.stageId)).map((change) => change.subject))]);
    for (const measured of conversions) {
      const terms = measured.versions.map(conversionTermsOf);
      const fromStages = new Set(terms.map((t) => t.fromStageId));
      const toStages = new Set(terms.map((t) => t.toStageId));
      const instants: number[] = [];
      const reached = new Set<string>();
      for (const change of changes) {
        if (fromStages.has(change.stageId)) {
          instants.push(change.enteredAt);
          if (change.previous !== null) instants.push(change.previous);
        }
        if (toStages.has(change.stageId)) reached.add(change.subject);
      }
      if (reached.size > 0) instants.push(...(await this.firstStageEntries(manager, [...fromStages], [...reached])));
      await this.recountAt(manager, measured, instants);
    }
  }

  /** After a stage's entries were rebuilt (its filter changed): every stored period of the conversion agreements naming it. */
  async onStageRebuilt(manager: EntityManager, agreements: MeasuredAgreement[], stageId: string): Promise<void> {
    for (const measured of agreements) {
      if (measured.agreement.kind !== 'conversion' || measured.versions.length === 0) continue;
      const names = measured.versions.some((version) => [conversionTermsOf(version).fromStageId, conversionTermsOf(version).toStageId].includes(stageId));
      if (!names) continue;
      const dialect = SqlDialect.of(manager);
      const stored = await SqlDialect.rows<{ period_start: unknown }>(
        manager,
        `SELECT period_start FROM conversion_periods WHERE agreement_id = ${dialect.param(1)}`,
        [measured.agreement.id],
      );
      await this.recountAt(manager, measured, stored.map((row) => dialect.readInstant(row.period_start) as number));
    }
  }

  /**
   * A calendar's rules changed (a holiday added, hours moved): the open periods measured on it are
   * counted again, so each subject's window — and with the last one the period's `closes_at`, which
   * the sweep closes it by — follows the new calendar. A closed period stays as it was decided.
   * Returns the agreements whose periods were counted, for the caller to close those now due.
   */
  async recountOnCalendar(manager: EntityManager, calendarId: string): Promise<MeasuredAgreement[]> {
    const dialect = SqlDialect.of(manager);
    const open = await SqlDialect.rows<{ agreement_id: string; period_start: unknown }>(
      manager,
      `SELECT p.agreement_id, p.period_start FROM conversion_periods p JOIN agreement_versions v ON v.id = p.version_id
       WHERE p.status = 'open' AND v.calendar_id = ${dialect.param(1)}`,
      [calendarId],
    );
    if (open.length === 0) return [];
    const agreements = await this.catalogue.load(manager, [...new Set(open.map((row) => row.agreement_id))]);
    for (const measured of agreements) {
      const starts = open.filter((row) => row.agreement_id === measured.agreement.id).map((row) => dialect.readInstant(row.period_start) as number);
      await this.recountAt(manager, measured, starts);
    }
    return agreements;
  }

  /** Makes sure the running period has a row (counted from the entries so far); the sweep and approvals call it. */
  async ensureCurrent(manager: EntityManager, measured: MeasuredAgreement): Promise<void> {
    const current = this.periodOf(measured, this.clock.now().getTime());
    if (current) await this.settle(manager, measured, current);
  }

  /**
   * An agreement measuring from a date before its approval: every period from the one holding that
   * date to the running one, counted from the stage entries; those that could already close are
   * closed as met or missed at once. Returns the periods written (one already stored is left alone).
   */
  async backfill(manager: EntityManager, measured: MeasuredAgreement, from: number, now: number): Promise<BackfilledConversion[]> {
    const first = this.periodOf(measured, from);
    const current = this.periodOf(measured, now);
    if (!first || !current) return [];
    const kind = conversionTermsOf(first.version).period;
    const written: BackfilledConversion[] = [];
    for (const period of periodsBetween(first.period.start, current.period.end, kind, first.version.calendar.timezone)) {
      const target = this.periodOf(measured, period.start);
      if (!target) continue;
      const figures = await this.measure(manager, target, now);
      const closesAt = closingTime(target.period.end, figures.lastWindowEnd);
      const status = closesAt > now ? 'open' : verdict(figures, conversionTermsOf(target.version).minimumPercent);
      const id = await this.insert(manager, measured, target, figures, status, now);
      if (id) written.push({ id, target, figures, status });
    }
    return written;
  }

  /**
   * Closes the periods whose closing time has come: counted a last time (a calendar may have
   * changed since), then met or missed; a missed one is a joint breach, alerted to both heads.
   */
  async closeDue(manager: EntityManager, agreements: MeasuredAgreement[], now: Date): Promise<{ closed: number; missed: number }> {
    const dialect = SqlDialect.of(manager);
    const due = await SqlDialect.rows<{ id: string; agreement_id: string; period_start: unknown }>(
      manager,
      `SELECT id, agreement_id, period_start FROM conversion_periods
       WHERE status = 'open' AND closes_at <= ${dialect.param(1)} ORDER BY agreement_id, period_start`,
      [dialect.instant(now)],
    );
    const byId = new Map(agreements.map((measured) => [measured.agreement.id, measured]));
    const missed: MissedConversion[] = [];
    let closed = 0;
    for (const row of due) {
      const measured = byId.get(row.agreement_id);
      const target = measured && this.periodOf(measured, dialect.readInstant(row.period_start) as number);
      if (!measured || !target) continue;
      const stored = await this.lock(manager, measured, target.period);
      if (!stored || stored.status !== 'open') continue;
      const figures = await this.measure(manager, target, now.getTime());
      const closesAt = closingTime(target.period.end, figures.lastWindowEnd);
      const status = closesAt > now.getTime() ? 'open' : verdict(figures, conversionTermsOf(target.version).minimumPercent);
      await this.write(manager, stored.id, figures, closesAt, status, status === 'open' ? null : now);
      if (status === 'open') continue;
      closed += 1;
      if (status === 'missed') missed.push(this.missed(measured, target, stored.id, closesAt));
    }
    await this.breaches.record(manager, missed, now);
    return { closed, missed: missed.length };
  }

  /** The breach of a missed period, owned by both departments. */
  missed(measured: MeasuredAgreement, target: PeriodOfAgreement, periodId: string, closesAt: number): MissedConversion {
    return {
      agreementId: measured.agreement.id,
      versionId: target.version.entity.id,
      periodId,
      providerDepartmentId: measured.agreement.providerDepartmentId,
      consumerDepartmentId: measured.agreement.consumerDepartmentId,
      ownerId: target.version.ownerId,
      dueAt: closesAt,
    };
  }

  /**
   * On PostgreSQL, transactions whose entries concern the same subjects take turns from here on
   * (advisory locks, taken in one order, after the entries are written): one batch brings a lead's
   * MQL, another its SQL; whichever comes second finds the other's entry committed, so the period
   * it recounts includes both. (The period row locks alone would not do: the second might not yet
   * see which period the subject belongs to.) SQLite runs one writer at a time anyway.
   */
  private async lockSubjects(manager: EntityManager, subjects: string[]): Promise<void> {
    if (subjects.length === 0 || SqlDialect.of(manager).kind !== 'postgres') return;
    await manager.query(
      `SELECT pg_advisory_xact_lock(4243, h) FROM (SELECT DISTINCT hashtext(s) AS h FROM unnest($1::text[]) AS s ORDER BY h) AS locks`,
      [subjects],
    );
  }

  /** The first-stage entries of some subjects (any of the stages given), as instants. */
  private async firstStageEntries(manager: EntityManager, stageIds: string[], subjects: string[]): Promise<number[]> {
    const dialect = SqlDialect.of(manager);
    const instants: number[] = [];
    for (let start = 0; start < subjects.length; start += 500) {
      const part = subjects.slice(start, start + 500);
      const rows = await SqlDialect.rows<{ entered_at: unknown }>(
        manager,
        `SELECT entered_at FROM stage_entries
         WHERE stage_id IN (${dialect.params(1, stageIds.length)}) AND subject IN (${dialect.params(stageIds.length + 1, part.length)})`,
        [...stageIds, ...part],
      );
      instants.push(...rows.map((row) => dialect.readInstant(row.entered_at) as number));
    }
    return instants;
  }

  /** Counts again the periods holding these instants, each once, in period order (rows are locked in one order). */
  private async recountAt(manager: EntityManager, measured: MeasuredAgreement, instants: number[]): Promise<void> {
    const targets = new Map<number, PeriodOfAgreement>();
    let last: PeriodOfAgreement | undefined;
    for (const instant of [...instants].sort((a, b) => a - b)) {
      if (last && instant >= last.period.start && instant < last.period.end) continue;
      last = this.periodOf(measured, instant);
      if (last) targets.set(last.period.start, last);
    }
    const missed: MissedConversion[] = [];
    const met: string[] = [];
    for (const target of [...targets.values()].sort((a, b) => a.period.start - b.period.start)) {
      const decided = await this.settle(manager, measured, target);
      if (decided?.to === 'missed') missed.push(this.missed(measured, target, decided.id, decided.closesAt));
      if (decided?.to === 'met') met.push(decided.id);
    }
    const now = this.clock.now();
    await this.breaches.withdraw(manager, met, now);
    await this.breaches.record(manager, missed, now);
  }

  /**
   * Counts a period again from the stage entries, creating its row if need be. A closed period is
   * decided again on its new figures; returns the change of verdict, if any.
   */
  private async settle(manager: EntityManager, measured: MeasuredAgreement, target: PeriodOfAgreement): Promise<{ id: string; to: 'met' | 'missed'; closesAt: number } | null> {
    const now = this.clock.now();
    let stored = await this.lock(manager, measured, target.period);
    if (!stored) {
      await this.insert(manager, measured, target, null, 'open', now.getTime());
      stored = (await this.lock(manager, measured, target.period)) as StoredPeriod;
    }
    const figures = await this.measure(manager, target, now.getTime());
    const closesAt = closingTime(target.period.end, figures.lastWindowEnd);
    if (stored.status === 'open') {
      await this.write(manager, stored.id, figures, closesAt, 'open', null);
      return null;
    }
    const status = verdict(figures, conversionTermsOf(target.version).minimumPercent);
    await this.write(manager, stored.id, figures, closesAt, status, undefined);
    return status === stored.status ? null : { id: stored.id, to: status, closesAt };
  }

  /**
   * The stored period starting with this one, its row locked until the transaction ends on
   * PostgreSQL (SQLite runs one writer at a time anyway); undefined when there is none yet.
   */
  private async lock(manager: EntityManager, measured: MeasuredAgreement, period: Period): Promise<StoredPeriod | undefined> {
    const dialect = SqlDialect.of(manager);
    const [row] = await SqlDialect.rows<StoredPeriod>(
      manager,
      `SELECT id, status FROM conversion_periods WHERE agreement_id = ${dialect.param(1)} AND period_start = ${dialect.param(2)}
       ${dialect.kind === 'postgres' ? 'FOR UPDATE' : ''}`,
      [measured.agreement.id, dialect.instant(period.start)],
    );
    return row;
  }

  /** Inserts a period's row unless one exists (another transaction's); returns its id when this call wrote it. */
  private async insert(
    manager: EntityManager,
    measured: MeasuredAgreement,
    target: PeriodOfAgreement,
    figures: ConversionFigures | null,
    status: 'open' | 'met' | 'missed',
    now: number,
  ): Promise<string | null> {
    const dialect = SqlDialect.of(manager);
    const id = randomUUID();
    const closesAt = closingTime(target.period.end, figures?.lastWindowEnd ?? null);
    const inserted = await SqlDialect.rows<{ id: string }>(
      manager,
      `INSERT INTO conversion_periods (id, agreement_id, version_id, label, period_start, period_end, cohort, converted, status, closes_at, closed_at, updated_at)
       VALUES (${dialect.params(1, 12)}) ON CONFLICT (agreement_id, period_start) DO NOTHING RETURNING id`,
      [
        id,
        measured.agreement.id,
        target.version.entity.id,
        target.period.label,
        dialect.instant(target.period.start),
        dialect.instant(target.period.end),
        figures?.cohort ?? 0,
        figures?.converted ?? 0,
        status,
        dialect.instant(closesAt),
        status === 'open' ? null : dialect.instant(now),
        dialect.instant(now),
      ],
    );
    return inserted.length > 0 ? id : null;
  }

  /** Writes a period's figures; `closedAt` undefined leaves the closing instant as it is (a re-decided period). */
  private async write(manager: EntityManager, id: string, figures: ConversionFigures, closesAt: number, status: string, closedAt: Date | null | undefined): Promise<void> {
    const dialect = SqlDialect.of(manager);
    const values: unknown[] = [figures.cohort, figures.converted, dialect.instant(closesAt), status, dialect.instant(this.clock.now())];
    const closing = closedAt === undefined ? '' : `, closed_at = ${dialect.param(values.push(closedAt === null ? null : dialect.instant(closedAt)))}`;
    values.push(id);
    await manager.query(
      `UPDATE conversion_periods SET cohort = ${dialect.param(1)}, converted = ${dialect.param(2)}, closes_at = ${dialect.param(3)},
         status = ${dialect.param(4)}, updated_at = ${dialect.param(5)}${closing} WHERE id = ${dialect.param(values.length)}`,
      values,
    );
  }
}
