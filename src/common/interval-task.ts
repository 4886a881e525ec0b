import { Logger } from '@nestjs/common';

/**
 * Runs a task every N seconds: never twice at once in one process (a slow run makes the next
 * tick skip), errors logged and left to the next tick. Schedules only trigger; the work belongs
 * to services that tests and admin endpoints call directly. `stop()` resolves once a run in
 * flight has finished, so a shutdown never pulls the database from under it.
 */
export class IntervalTask {
  private timer?: NodeJS.Timeout;
  private running: Promise<void> | null = null;
  private stopped = false;
  private readonly logger: Logger;

  constructor(
    name: string,
    private readonly task: () => Promise<unknown>,
    private readonly describe: (result: unknown) => string | undefined = () => undefined,
  ) {
    this.logger = new Logger(name);
  }

  start(seconds: number): void {
    if (seconds <= 0) return;
    this.timer = setInterval(() => this.tick(), seconds * 1000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  private tick(): void {
    if (this.running || this.stopped) return;
    this.running = this.run().finally(() => {
      this.running = null;
    });
  }

  private async run(): Promise<void> {
    try {
      const summary = this.describe(await this.task());
      if (summary) this.logger.log(summary);
    } catch (error) {
      this.logger.error('failed; the next run retries', error as Error);
    }
  }
}
