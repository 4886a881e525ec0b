import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { matchesFilter, type EventFilter } from '../agreements/domain/agreement-terms.js';
import { FunnelStage } from '../agreements/funnel-stage.entity.js';
import { StageEntryHandoff, type StageEntryHandler } from '../agreements/stage-entry-handoff.js';
import { chunks } from '../common/chunks.js';
import { SqlDialect } from '../database/sql-dialect.js';
import { sharedRead } from '../common/shared-reads.js';
import type { StoredEvent } from '../events/event-measurer.js';
import { ConversionTracker } from './conversion-tracker.js';
import { funnelShapeOf, type EntryFacts, type FunnelShape } from './domain/funnel-rollups.js';
import { EventScanner } from './event-scan.js';
import { FunnelRollupsService } from './funnel-rollups.service.js';

/** A stage that counts: its id and the event entering it. */
export interface CountedStage {
  id: string;
  enteredOn: EventFilter;
}

/** A subject that entered a stage, or entered it earlier than known (a late event). */
export interface StageEntryChange {
  stageId: string;
  subject: string;
  enteredAt: number;
  /** When the subject was known to have entered before this change, or null for a new entry. */
  previous: number | null;
}

interface Candidate {
  stageId: string;
  subject: string;
  enteredAt: number;
  eventId: string;
  /** The event's attributes as JSON, kept with the entry for the funnel report. */
  attributes: string;
}

/** The instant before every stored event, from which a rebuild reads the whole log. */
const BEGINNING = Date.UTC(1, 0, 1);

/** (a, b) in event order: by occurred-at, then id — the order clocks read events in. */
const earlier = (a: { enteredAt: number; eventId: string }, b: { enteredAt: number; eventId: string }) =>
  a.enteredAt < b.enteredAt || (a.enteredAt === b.enteredAt && a.eventId < b.eventId);

/**
 * Keeps `stage_entries`: per stage and subject, the first event matching the stage's `enteredOn`.
 * Fed by ingestion in the transaction that stores the events (TrackingService.track), and
 * rebuilt from the stored events, in the transaction that changes it, when a stage's filter
 * changes (StageEntryHandoff) — and then the conversion agreements naming that stage are counted
 * again from the new entries.
 */
@Injectable()
export class StageEntriesService implements StageEntryHandler, OnModuleInit {
  constructor(
    private readonly handoff: StageEntryHandoff,
    private readonly scanner: EventScanner,
    private readonly conversions: ConversionTracker,
    private readonly funnelRollups: FunnelRollupsService,
  ) {}

  onModuleInit(): void {
    this.handoff.register(this);
  }

  /** The stages that count, in funnel order. */
  async countedStages(manager: EntityManager): Promise<CountedStage[]> {
    // On PostgreSQL outside a transaction, callers asking together share one read sent after they asked.
    return SqlDialect.sharesReads(manager) ? this.sharedCountedStages.load(manager) : readCountedStages(manager);
  }

  private readonly sharedCountedStages = sharedRead(readCountedStages);

  /**
   * Records the entries some stored events make. Answers which events enter a stage (so an
   * import does not call them unmatched) and the entries that are new or moved earlier.
   */
  async record(manager: EntityManager, events: readonly StoredEvent[], stages?: CountedStage[]): Promise<{ matched: boolean[]; changes: StageEntryChange[] }> {
    const counted = stages ?? (await this.countedStages(manager));
    const matched = events.map(() => false);
    if (counted.length === 0 || events.length === 0) return { matched, changes: [] };
    const candidates = new Map<string, Candidate>();
    events.forEach((event, index) => {
      for (const stage of counted) {
        if (!matchesFilter(stage.enteredOn, event.type, event.attributes)) continue;
        matched[index] = true;
        const key = `${stage.id}\u0000${event.subject}`;
        const candidate = { stageId: stage.id, subject: event.subject, enteredAt: event.occurredAt, eventId: event.id, attributes: JSON.stringify(event.attributes) };
        const known = candidates.get(key);
        if (!known || earlier(candidate, known)) candidates.set(key, candidate);
      }
    });
    return { matched, changes: await this.upsert(manager, [...candidates.values()], funnelShapeOf(counted) as FunnelShape) };
  }

  async onEnteredOnChanged(manager: EntityManager, stageId: string): Promise<number> {
    const found = await this.rebuild(manager, stageId);
    await this.conversions.onStageRebuilt(manager, await this.conversions.agreements(manager), stageId);
    // Any stage's entries count in the funnel of the first: its rollups follow.
    await this.funnelRollups.onStageRebuilt(manager, stageId);
    return found;
  }

  /** Stages were added, moved or deleted: the rollups follow if another stage is now the first counted. */
  async onStagesChanged(manager: EntityManager): Promise<void> {
    await this.funnelRollups.ensure(manager);
  }

  /** Forgets a stage's entries and finds them again in the stored events. Returns how many it found. */
  async rebuild(manager: EntityManager, stageId: string): Promise<number> {
    const dialect = SqlDialect.of(manager);
    await manager.query(`DELETE FROM stage_entries WHERE stage_id = ${dialect.param(1)}`, [stageId]);
    const stage = await manager.findOne(FunnelStage, { where: { id: stageId } });
    const filter = stage?.enteredOn;
    if (!filter) return 0;
    let found = 0;
    let subject: string | null = null;
    let entered = false;
    await this.scanner.scanBySubject(
      BEGINNING,
      async (page) => {
        const firsts: Candidate[] = [];
        for (const event of page) {
          if (event.subject !== subject) {
            subject = event.subject;
            entered = false;
          }
          // Events come in order per subject: the first match is the entry.
          if (entered || event.type !== filter.type) continue;
          if (!matchesFilter(filter, event.type, JSON.parse(event.attributes) as Record<string, unknown>)) continue;
          entered = true;
          firsts.push({ stageId, subject: event.subject, enteredAt: event.occurredAt, eventId: event.id, attributes: event.attributes });
        }
        found += firsts.length;
        await this.insert(manager, firsts);
      },
      manager,
      [filter.type],
    );
    return found;
  }

  /**
   * Writes entries that are new, or earlier than the stored ones; returns those changes. Every
   * stored entry of the subjects is read first, so the funnel rollups take out what a changed
   * subject counted for and put in what it counts for now.
   */
  private async upsert(manager: EntityManager, candidates: Candidate[], shape: FunnelShape): Promise<StageEntryChange[]> {
    const dialect = SqlDialect.of(manager);
    const changes: StageEntryChange[] = [];
    for (const part of chunks(candidates, 200)) {
      const subjects = [...new Set(part.map((candidate) => candidate.subject))];
      const stored = await SqlDialect.rows<{ stage_id: string; subject: string; entered_at: unknown; event_id: string; attributes: string | null }>(
        manager,
        `SELECT stage_id, subject, entered_at, event_id, attributes FROM stage_entries WHERE subject IN (${dialect.params(1, subjects.length)})`,
        subjects,
      );
      const bySubject = new Map<string, Map<string, EntryFacts & { eventId: string }>>(subjects.map((subject) => [subject, new Map()]));
      for (const row of stored) {
        bySubject.get(row.subject)?.set(row.stage_id, {
          stageId: row.stage_id,
          enteredAt: dialect.readInstant(row.entered_at) as number,
          eventId: row.event_id,
          attributes: row.attributes ? (JSON.parse(row.attributes) as Record<string, unknown>) : null,
        });
      }
      const writes: Candidate[] = [];
      const changed = new Map<string, { before: EntryFacts[]; after: Map<string, EntryFacts> }>();
      for (const candidate of part) {
        const entries = bySubject.get(candidate.subject) as Map<string, EntryFacts & { eventId: string }>;
        const previous = entries.get(candidate.stageId);
        if (previous && !earlier(candidate, previous)) continue;
        writes.push(candidate);
        changes.push({ stageId: candidate.stageId, subject: candidate.subject, enteredAt: candidate.enteredAt, previous: previous?.enteredAt ?? null });
        let subject = changed.get(candidate.subject);
        if (!subject) changed.set(candidate.subject, (subject = { before: [...entries.values()], after: new Map(entries) }));
        subject.after.set(candidate.stageId, { stageId: candidate.stageId, enteredAt: candidate.enteredAt, attributes: JSON.parse(candidate.attributes) as Record<string, unknown> });
      }
      await this.insert(manager, writes);
      await this.funnelRollups.onEntriesChanged(
        manager,
        shape,
        [...changed.entries()].map(([subject, { before, after }]) => ({ subject, before, after: [...after.values()] })),
      );
    }
    return changes;
  }

  /**
   * Inserts entries; one already stored is replaced only by an earlier event, so two transactions
   * racing on one subject keep the first event whichever commits last.
   */
  private async insert(manager: EntityManager, entries: Candidate[]): Promise<void> {
    const dialect = SqlDialect.of(manager);
    for (const part of chunks(entries, 200)) {
      const values: unknown[] = [];
      const tuples = part.map((entry, i) => {
        values.push(entry.stageId, entry.subject, dialect.instant(entry.enteredAt), entry.eventId, entry.attributes);
        return `(${dialect.params(i * 5 + 1, 5)})`;
      });
      await manager.query(
        `INSERT INTO stage_entries (stage_id, subject, entered_at, event_id, attributes) VALUES ${tuples.join(', ')}
         ON CONFLICT (stage_id, subject) DO UPDATE SET entered_at = excluded.entered_at, event_id = excluded.event_id, attributes = excluded.attributes
         WHERE excluded.entered_at < stage_entries.entered_at
            OR (excluded.entered_at = stage_entries.entered_at AND excluded.event_id < stage_entries.event_id)`,
        values,
      );
    }
  }
}

/** The stages that count entries, in funnel order, read afresh. */
async function readCountedStages(manager: EntityManager): Promise<CountedStage[]> {
  // Every delivery of events asks: one hand-written statement, not the ORM's query building
  // (a tenth of the CPU of a request carrying one event). `entered_on` is simple-json.
  return countedStagesOf(
    await SqlDialect.rows<CountedStageRow>(manager, 'SELECT id, entered_on FROM funnel_stages WHERE entered_on IS NOT NULL ORDER BY position ASC'),
  );
}

/** A stage's row as the counted stages are read. */
export interface CountedStageRow {
  id: string;
  entered_on: string | null;
}

/**
 * PostgreSQL: the counted stages' rows, in funnel order, as a scalar SQL expression (a JSON array,
 * null when none), for another statement to carry (see TrackingService.matchingRead).
 */
export const COUNTED_STAGES_SQL = `(SELECT json_agg(json_build_object('id', id, 'entered_on', entered_on) ORDER BY position) FROM funnel_stages WHERE entered_on IS NOT NULL)`;

/** The counted stages from their rows. */
export function countedStagesOf(rows: readonly CountedStageRow[] | null): CountedStage[] {
  return (rows ?? []).filter((stage) => stage.entered_on !== null).map((stage) => ({ id: stage.id, enteredOn: JSON.parse(stage.entered_on as string) as EventFilter }));
}
