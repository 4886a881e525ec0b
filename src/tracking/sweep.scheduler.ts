import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { SweepService } from './sweep.service.js';

/**
 * Runs the sweep every SWEEP_INTERVAL_SECONDS (30 by default): a clock is found breached at most
 * that long after its due time, well within the minute promised. The schedule only triggers; the
 * work is SweepService's, which POST /api/admin/sweep and the tests call directly.
 */
@Injectable()
export class SweepScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Sweep');
  private timer?: NodeJS.Timeout;
  private running = false;

  constructor(
    private readonly sweeps: SweepService,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    const seconds = this.config.SWEEP_INTERVAL_SECONDS;
    if (seconds === 0) return;
    this.timer = setInterval(() => void this.tick(), seconds * 1000);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  private async tick(): Promise<void> {
    if (this.running) return; // a slow sweep is never run twice at once by one instance
    this.running = true;
    try {
      const report = await this.sweeps.sweep();
      if (report.breached || report.periodsMissed || report.warned) this.logger.log(JSON.stringify(report));
    } catch (error) {
      this.logger.error('sweep failed; the next one retries', error as Error);
    } finally {
      this.running = false;
    }
  }
}
