import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { IntervalTask } from '../common/interval-task.js';
import { AppConfig } from '../config/app-config.js';
import { Mailer } from './mailer.js';
import { OutboxDispatcher, type DispatchReport } from './outbox-dispatcher.js';

/** Dispatches the outbox every OUTBOX_INTERVAL_SECONDS (5 by default). */
@Injectable()
export class OutboxScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly task: IntervalTask;

  constructor(
    dispatcher: OutboxDispatcher,
    private readonly mailer: Mailer,
    private readonly config: AppConfig,
  ) {
    this.task = new IntervalTask(
      'Outbox',
      () => dispatcher.dispatch(),
      (result) => {
        const report = result as DispatchReport;
        return report.sent || report.failed || report.retrying ? JSON.stringify(report) : undefined;
      },
    );
  }

  onApplicationBootstrap(): void {
    if (this.config.OUTBOX_INTERVAL_SECONDS > 0) new Logger('Outbox').log(`emails go to ${this.mailer.describe()}`);
    this.task.start(this.config.OUTBOX_INTERVAL_SECONDS);
  }

  /** Before the database closes (TypeORM closes it on application shutdown), a run in flight finishes. */
  onModuleDestroy(): Promise<void> {
    return this.task.stop();
  }
}
