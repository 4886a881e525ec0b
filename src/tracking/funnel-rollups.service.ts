import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, IsNull, Not, type EntityManager } from 'typeorm';
import { FunnelStage } from '../agreements/funnel-stage.entity.js';
import {
  FunnelClockDeltas,
  FunnelRollupDeltas,
  funnelShapeOf,
  openSqlOf,
  type ClockVerdict,
  type EntryFacts,
  type FunnelShape,
} from './domain/funnel-rollups.js';
import { FunnelRollupRepository, type OpenSqlChange } from './funnel-rollup.repository.js';

/** Cohort subjects per page while rebuilding. */
const SUBJECTS_PER_PAGE = 2000;

/** A subject's entries before and after a write of stage entries. */
export interface SubjectEntriesChange {
  subject: string;
  before: EntryFacts[];
  after: EntryFacts[];
}

/** A clock whose verdict (met, breached, neither) a write changes. */
export interface ClockVerdictChange {
  subject: string;
  agreementId: string;
  targetName: string;
  before: ClockVerdict;
  after: ClockVerdict;
}

/**
 * Keeps what the funnel report reads instead of every entry (domain/funnel-rollups.ts), for the
 * funnel's first counted stage: the funnel rollups, the compliance rollups of the cohort's
 * response clocks, and the open SQLs. From stage entry changes in the transaction that writes them
 * (StageEntriesService), from clock writes in theirs (ClockRepository); rebuilt from the entries
 * and clocks when a stage's filter changes, when another stage becomes the first counted, at
 * start when missing (the migrations leave them to the service), and by `npm run rollups:rebuild`.
 */
@Injectable()
export class FunnelRollupsService implements OnApplicationBootstrap {
  private readonly logger = new Logger(FunnelRollupsService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly rollups: FunnelRollupRepository,
  ) {}

  /** Subjects read per page while rebuilding (tests make pages small). */
  pageSize = SUBJECTS_PER_PAGE;

  /**
   * Builds the rollups at start when they are missing (after the migrations that add them, on a
   * database with entries). The look is read-only and outside any transaction: other start-up
   * work (the first admin) opens transactions, and on SQLite one connection holds one at a time.
   */
  async onApplicationBootstrap(): Promise<void> {
    const manager = this.dataSource.manager;
    if (await this.rollups.builtFor(manager, await this.cohortStage(manager))) return;
    const rebuilt = await this.dataSource.transaction((transaction) => this.ensure(transaction));
    if (rebuilt !== null) this.logger.log(`funnel rollups built from the entries of ${rebuilt} subject(s)`);
  }

  /** The funnel's first counted stage, whose entries are the cohorts; null when no stage counts. */
  async cohortStage(manager: EntityManager): Promise<string | null> {
    const first = await manager.findOne(FunnelStage, { select: { id: true }, where: { enteredOn: Not(IsNull()) }, order: { position: 'ASC', id: 'ASC' } });
    return first?.id ?? null;
  }

  /** The funnel's shape as the stages are now. */
  async shape(manager: EntityManager): Promise<FunnelShape | null> {
    const stages = await manager.find(FunnelStage, { select: { id: true, enteredOn: true, position: true }, where: { enteredOn: Not(IsNull()) }, order: { position: 'ASC', id: 'ASC' } });
    return funnelShapeOf(stages.flatMap((stage) => (stage.enteredOn ? [{ id: stage.id, enteredOn: stage.enteredOn }] : [])));
  }

  /** Subjects' entries changed: what they count for is taken out and put back as it is now. */
  async onEntriesChanged(manager: EntityManager, shape: FunnelShape, changed: readonly SubjectEntriesChange[]): Promise<void> {
    if (changed.length === 0) return;
    const deltas = new FunnelRollupDeltas(shape.cohortStageId);
    const openSqls: OpenSqlChange[] = [];
    const moved: SubjectEntriesChange[] = [];
    for (const change of changed) {
      deltas.change(change.before, change.after);
      const [was, is] = [openSqlOf(change.before, shape), openSqlOf(change.after, shape)];
      if (JSON.stringify(was) !== JSON.stringify(is)) openSqls.push({ subject: change.subject, open: is === null ? null : { stageId: shape.sqlStageId as string, ...is } });
      const [before, after] = [cohortOf(change.before, shape), cohortOf(change.after, shape)];
      if (before?.enteredAt !== after?.enteredAt || JSON.stringify(before?.attributes) !== JSON.stringify(after?.attributes)) moved.push(change);
    }
    await this.rollups.apply(manager, deltas);
    await this.rollups.setOpenSqls(manager, openSqls);
    if (moved.length === 0) return;
    // A subject whose cohort entry is new or moved brings its response clocks along.
    const clocks = await this.rollups.clocksOf(manager, moved.map((change) => change.subject));
    const clockDeltas = new FunnelClockDeltas(shape.cohortStageId);
    for (const change of moved) {
      const mine = clocks.get(change.subject) ?? [];
      clockDeltas.add(cohortOf(change.before, shape), mine, -1).add(cohortOf(change.after, shape), mine, 1);
    }
    await this.rollups.applyClocks(manager, clockDeltas);
  }

  /** Clock writes changed some verdicts: the cohort groups of their subjects follow. */
  async onClocksChanged(manager: EntityManager, changes: readonly ClockVerdictChange[]): Promise<void> {
    const changed = changes.filter((change) => change.before !== change.after);
    if (changed.length === 0) return;
    const cohortStageId = await this.cohortStage(manager);
    if (cohortStageId === null) return;
    const cohorts = await this.rollups.cohortEntriesOf(manager, cohortStageId, changed.map((change) => change.subject));
    if (cohorts.size === 0) return;
    const deltas = new FunnelClockDeltas(cohortStageId);
    for (const change of changed) {
      const cohort = cohorts.get(change.subject);
      if (!cohort) continue;
      const clock = { agreementId: change.agreementId, targetName: change.targetName };
      deltas.add(cohort, [{ ...clock, verdict: change.before }], -1).add(cohort, [{ ...clock, verdict: change.after }], 1);
    }
    await this.rollups.applyClocks(manager, deltas);
  }

  /** Rebuilds the rollups unless they are those of the current first counted stage. Returns the subjects read, or null when nothing was to do. */
  async ensure(manager: EntityManager): Promise<number | null> {
    const cohort = await this.cohortStage(manager);
    if (await this.rollups.builtFor(manager, cohort)) return null;
    return this.rebuild(manager);
  }

  /** Forgets the rollups and open SQLs and finds them again in every entry and clock, in the caller's transaction. Returns how many cohort subjects it read. */
  async rebuild(manager: EntityManager): Promise<number> {
    await this.rollups.clear(manager);
    const shape = await this.shape(manager);
    if (shape === null) return 0;
    let subjects = 0;
    let after: { enteredAt: number; subject: string } | null = null;
    for (;;) {
      const found = await this.rollups.cohortSubjectsInTime(manager, shape.cohortStageId, after, this.pageSize);
      if (found.length === 0) return subjects;
      const page = found.map((entry) => entry.subject);
      const deltas = new FunnelRollupDeltas(shape.cohortStageId);
      const clockDeltas = new FunnelClockDeltas(shape.cohortStageId);
      const openSqls: OpenSqlChange[] = [];
      const clocks = await this.rollups.clocksOf(manager, page);
      for (const [i, entries] of (await this.rollups.entriesOf(manager, page)).entries()) {
        deltas.subject(entries, 1);
        clockDeltas.add(cohortOf(entries, shape), clocks.get(page[i]) ?? [], 1);
        const open = openSqlOf(entries, shape);
        if (open !== null) openSqls.push({ subject: page[i], open: { stageId: shape.sqlStageId as string, ...open } });
      }
      await this.rollups.apply(manager, deltas);
      await this.rollups.applyClocks(manager, clockDeltas);
      await this.rollups.setOpenSqls(manager, openSqls);
      subjects += page.length;
      after = found[found.length - 1];
    }
  }

  /**
   * A stage's entries were found again (its `enteredOn` changed). When it is the cohort stage, or
   * the rollups are another stage's, everything is rebuilt; otherwise only that stage's rows and
   * the open SQLs (it may have become, or stopped being, the SQL or an outcome stage) — the work
   * of its own entries, not of every cohort subject's clocks.
   */
  async onStageRebuilt(manager: EntityManager, stageId: string): Promise<number> {
    const shape = await this.shape(manager);
    if (shape === null || stageId === shape.cohortStageId || !(await this.rollups.builtFor(manager, shape.cohortStageId))) return this.rebuild(manager);
    await this.rollups.clearStage(manager, shape.cohortStageId, stageId);
    let subjects = 0;
    for (let after: string | null = null; ; ) {
      const page = await this.rollups.stageSubjects(manager, stageId, after, this.pageSize);
      if (page.length === 0) break;
      const deltas = new FunnelRollupDeltas(shape.cohortStageId);
      for (const entries of await this.rollups.entriesOf(manager, page)) deltas.subject(entries, 1, stageId);
      await this.rollups.apply(manager, deltas);
      subjects += page.length;
      after = page[page.length - 1];
    }
    await this.rebuildOpenSqls(manager, shape);
    return subjects;
  }

  /** The open SQLs found again: the SQL stage's subjects, with their entries. */
  private async rebuildOpenSqls(manager: EntityManager, shape: FunnelShape): Promise<void> {
    await this.rollups.clearOpenSqls(manager);
    if (shape.sqlStageId === null) return;
    for (let after: string | null = null; ; ) {
      const page = await this.rollups.stageSubjects(manager, shape.sqlStageId, after, this.pageSize);
      if (page.length === 0) return;
      const openSqls: OpenSqlChange[] = [];
      for (const [i, entries] of (await this.rollups.entriesOf(manager, page)).entries()) {
        const open = openSqlOf(entries, shape);
        if (open !== null) openSqls.push({ subject: page[i], open: { stageId: shape.sqlStageId, ...open } });
      }
      await this.rollups.setOpenSqls(manager, openSqls);
      after = page[page.length - 1];
    }
  }

  /** `npm run rollups:rebuild`: in a transaction of its own. */
  async rebuildAll(): Promise<number> {
    return this.dataSource.transaction((manager) => this.rebuild(manager));
  }
}

function cohortOf(entries: readonly EntryFacts[], shape: FunnelShape): EntryFacts | undefined {
  return entries.find((entry) => entry.stageId === shape.cohortStageId);
}
