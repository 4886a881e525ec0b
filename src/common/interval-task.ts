import { Logger } from '@nestjs/common';

/**
 * Runs a task every N seconds: never twice at once in one process (a slow run makes the next
 * tick skip), errors logged and left to the next tick. Schedules only trigger; the work belongs
 * to services that tests and admin endpoints call directly.
 */
export class IntervalTask {
  private timer?: NodeJS.Timeout;
  private running = false;
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
    this.timer = setInterval(() => void this.tick(), seconds * 1000);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  private async tick(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      const summary = this.describe(await this.task());
      if (summary) this.logger.log(summary);
    } catch (error) {
      this.logger.error('failed; the next run retries', error as Error);
    } finally {
      this.running = false;
    }
  }
}
