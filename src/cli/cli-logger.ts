import { ConsoleLogger, type LoggerService, type LogLevel } from '@nestjs/common';
import type { AppConfig } from '../config/app-config.js';

/**
 * Warnings and errors only, except one message: a command run on an empty database creates the
 * first admin, and a generated admin token is shown in that message and nowhere else.
 */
class CommandLogger extends ConsoleLogger {
  override log(message: unknown, ...context: unknown[]): void {
    if (context.at(-1) === 'Concord') super.log(message, ...context);
  }
}

/** The logger of a command-line tool that starts the application. */
export function loggerFor(config: AppConfig): LoggerService | LogLevel[] {
  return config.CONCORD_ADMIN_TOKEN ? ['error', 'warn'] : new CommandLogger({ logLevels: ['error', 'warn', 'log'] });
}
