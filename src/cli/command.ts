import { ConsoleLogger, type INestApplicationContext, type LoggerService, type LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../app.module.js';
import { ConfigError, loadConfig, type AppConfig } from '../config/app-config.js';
import { cliText, type CliText } from './cli-locale.js';

/**
 * Warnings and errors only, except one message: a command run on an empty database creates the
 * first admin, and a generated admin token is shown in that message and nowhere else.
 */
class CommandLogger extends ConsoleLogger {
  override log(message: unknown, ...context: unknown[]): void {
    if (context.at(-1) === 'Concord') super.log(message, ...context);
  }
}

function loggerFor(config: AppConfig): LoggerService | LogLevel[] {
  return config.CONCORD_ADMIN_TOKEN ? ['error', 'warn'] : new CommandLogger({ logLevels: ['error', 'warn', 'log'] });
}

/**
 * Runs a command-line tool's work in the application, on the database the service is configured
 * for: no sweeps (it runs beside the service, which does them), a bad setting or any failure told
 * through `fail` (its exit code returned), the application closed afterwards.
 */
export async function inApplication(
  env: NodeJS.ProcessEnv,
  fail: (message: string) => number,
  work: (app: INestApplicationContext) => Promise<number>,
  text: CliText = cliText('en'),
): Promise<number> {
  // A command tracks what it imports before it exits: no worker outlives it to drain a queue.
  const settings: NodeJS.ProcessEnv = { ...env, SWEEP_INTERVAL_SECONDS: env.SWEEP_INTERVAL_SECONDS ?? '0', TRACKING_INTERVAL_MS: env.TRACKING_INTERVAL_MS ?? '0' };
  let config;
  try {
    config = loadConfig(settings);
  } catch (error) {
    if (error instanceof ConfigError) return fail(text.t('cli.configInvalid', { problems: error.problems.join('; ') }));
    throw error;
  }
  // The application reads its settings from process.env, like the service.
  for (const [name, value] of Object.entries(settings)) if (value !== undefined) process.env[name] = value;

  let app: INestApplicationContext | undefined;
  try {
    app = await NestFactory.createApplicationContext(AppModule, { logger: loggerFor(config), abortOnError: false });
    return await work(app);
  } catch (error) {
    return fail(error instanceof Error ? error.message : String(error));
  } finally {
    await app?.close();
  }
}
