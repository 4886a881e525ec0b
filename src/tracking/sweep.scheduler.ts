import { Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { DueWork } from '../common/due-work.js';
import { IntervalTask } from '../common/interval-task.js';
import { AppConfig } from '../config/app-config.js';
import type { SweepReport } from './sweep.service.js';

/**
 * Runs a round of due work every SWEEP_INTERVAL_SECONDS (30 by default): the sweep first, so a
 * clock is found breached at most that long after its due time, well within the minute promised,
 * then what the other features registered (scheduled reports, action reminders). The work is
 * theirs, which POST /api/admin/sweep and the tests call directly.
 */
@Injectable()
export class SweepScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly task: IntervalTask;

  constructor(
    dueWork: DueWork,
    private readonly config: AppConfig,
  ) {
    this.task = new IntervalTask(
      'Sweep',
      () => dueWork.runDue(),
      (result) => {
        const report = result as SweepReport;
        return report.breached || report.periodsMissed || report.conversionsMissed || report.warned ? JSON.stringify(report) : undefined;
      },
    );
  }

  onApplicationBootstrap(): void {
    this.task.start(this.config.SWEEP_INTERVAL_SECONDS);
  }

  /** Before the database closes (TypeORM closes it on application shutdown), a run in flight finishes. */
  onModuleDestroy(): Promise<void> {
    return this.task.stop();
  }
}
