import { Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { IntervalTask } from '../common/interval-task.js';
import { AppConfig } from '../config/app-config.js';
import { SweepService, type SweepReport } from './sweep.service.js';

/**
 * Runs the sweep every SWEEP_INTERVAL_SECONDS (30 by default): a clock is found breached at most
 * that long after its due time, well within the minute promised. The work is SweepService's,
 * which POST /api/admin/sweep and the tests call directly.
 */
@Injectable()
export class SweepScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly task: IntervalTask;

  constructor(
    sweeps: SweepService,
    private readonly config: AppConfig,
  ) {
    this.task = new IntervalTask(
      'Sweep',
      () => sweeps.sweep(),
      (result) => {
        const report = result as SweepReport;
        return report.breached || report.periodsMissed || report.warned ? JSON.stringify(report) : undefined;
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
