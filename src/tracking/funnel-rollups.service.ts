import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, IsNull, Not, type EntityManager } from 'typeorm';
import { FunnelStage } from '../agreements/funnel-stage.entity.js';
import { FunnelRollupDeltas, type EntryFacts } from './domain/funnel-rollups.js';
import { FunnelRollupRepository } from './funnel-rollup.repository.js';

/** Cohort subjects per page while rebuilding. */
const SUBJECTS_PER_PAGE = 2000;

/**
 * Keeps the funnel rollups (domain/funnel-rollups.ts) for the funnel's first counted stage: from
 * the stage entries' changes, in the transaction that writes them (StageEntriesService), and
 * rebuilt from the entries when a stage's filter changes, when another stage becomes the first
 * counted one, at start when they are missing (the migration leaves them to the service), and by
 * `npm run rollups:rebuild`.
 */
@Injectable()
export class FunnelRollupsService implements OnApplicationBootstrap {
  private readonly logger = new Logger(FunnelRollupsService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly rollups: FunnelRollupRepository,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const rebuilt = await this.dataSource.transaction((manager) => this.ensure(manager));
    if (rebuilt !== null) this.logger.log(`funnel rollups built from the entries of ${rebuilt} subject(s)`);
  }

  /** The funnel's first counted stage, whose entries are the cohorts; null when no stage counts. */
  async cohortStage(manager: EntityManager): Promise<string | null> {
    const first = await manager.findOne(FunnelStage, { select: { id: true }, where: { enteredOn: Not(IsNull()) }, order: { position: 'ASC', id: 'ASC' } });
    return first?.id ?? null;
  }

  /** Subjects' entries before and after a write of stage entries: the rollups follow. */
  async onEntriesChanged(manager: EntityManager, cohortStageId: string, changed: readonly { before: EntryFacts[]; after: EntryFacts[] }[]): Promise<void> {
    if (changed.length === 0) return;
    const deltas = new FunnelRollupDeltas(cohortStageId);
    for (const { before, after } of changed) deltas.change(before, after);
    await this.rollups.apply(manager, deltas);
  }

  /** Rebuilds the rollups unless they are those of the current first counted stage. Returns the subjects read, or null when nothing was to do. */
  async ensure(manager: EntityManager): Promise<number | null> {
    const cohort = await this.cohortStage(manager);
    if (await this.rollups.builtFor(manager, cohort)) return null;
    return this.rebuild(manager);
  }

  /** Forgets the rollups and sums them again from every entry, in the caller's transaction. Returns how many cohort subjects it read. */
  async rebuild(manager: EntityManager): Promise<number> {
    await this.rollups.clear(manager);
    const cohort = await this.cohortStage(manager);
    if (cohort === null) return 0;
    let subjects = 0;
    let after: string | null = null;
    for (;;) {
      const page = await this.rollups.cohortSubjects(manager, cohort, after, SUBJECTS_PER_PAGE);
      if (page.length === 0) return subjects;
      const deltas = new FunnelRollupDeltas(cohort);
      for (const entries of await this.rollups.entriesOf(manager, page)) deltas.subject(entries, 1);
      await this.rollups.apply(manager, deltas);
      subjects += page.length;
      after = page[page.length - 1];
    }
  }

  /** `npm run rollups:rebuild`: in a transaction of its own. */
  async rebuildAll(): Promise<number> {
    return this.dataSource.transaction((manager) => this.rebuild(manager));
  }
}
