import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import type { Server } from 'node:http';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module.js';
import { configureApp } from './app.setup.js';
import { ConfigError, loadConfig } from './config/app-config.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  const app = configureApp(await NestFactory.create(AppModule, { logger: config.logLevels }));
  await app.listen(config.PORT);
  // Node cuts requests off after 5 minutes; an import of a large file may stream for longer.
  (app.getHttpServer() as Server).requestTimeout = 60 * 60 * 1000;
  const where = config.databaseKind === 'postgres' ? 'PostgreSQL' : `SQLite at ${config.SQLITE_PATH}`;
  new Logger('Concord').log(`listening on ${config.publicUrl} (API docs at ${config.publicUrl}/docs), data in ${where}`);
}

void main();
