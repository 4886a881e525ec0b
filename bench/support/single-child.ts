/**
 * One HTTP server in a process of its own for the single-events benchmark, so the 50 client loops
 * (in the benchmark's process) do not share its event loop: either Concord as built from
 * AppModule (`concord`), or a bare NestJS application on the same platform (Express adapter, Nest's
 * default body parser, the same TypeORM options and so the same database file or PostgreSQL
 * schema) whose one route `POST /api/events` checks nothing and inserts the row Concord would
 * store for the event into the same `events` table. Both run with the same Node flags (the parent
 * passes `--cpu-prof` to both when profiling).
 *
 * Receives a task, answers `{ url }` once listening; answers `count` (events whose subject starts
 * with a prefix, and Concord's clocks of those subjects), `cpu` (the CPU it used so far) and
 * `drain` (Concord's tracking queue applied), and closes on `stop`.
 */
import 'reflect-metadata';
import { Body, Controller, HttpCode, type INestApplication, Module, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { InjectDataSource, TypeOrmModule } from '@nestjs/typeorm';
import { createHash, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { DataSource } from 'typeorm';
import { ManualClock } from '../../src/common/clock.js';
import { loadConfig } from '../../src/config/app-config.js';
import { buildDataSourceOptions } from '../../src/database/data-source-options.js';
import { SqlDialect } from '../../src/database/sql-dialect.js';
import { TrackingQueueWorker } from '../../src/tracking/tracking-queue.worker.js';
import { type BenchDatabase, startConcord } from './concord.js';

export interface SingleTask {
  server: 'concord' | 'bare';
  database: BenchDatabase;
  /** Concord's clock, fixed. */
  now: string;
  /** Concord's TRACKING_INTERVAL_MS: 0 tracks in the request. */
  trackingIntervalMs?: number;
}

export type SingleRequest = { kind: 'count'; prefix: string } | { kind: 'cpu' } | { kind: 'drain' } | { kind: 'stop' };

export type SingleMessage =
  | { kind: 'listening'; url: string }
  | { kind: 'counted'; events: number; clocks: number }
  /** Concord's tracking queue drained (BENCH_TRACKING_INTERVAL_MS above 0); the bare endpoint has none. */
  | { kind: 'drained' }
  /** CPU this process has used so far (user + system), in ms. */
  | { kind: 'cpu'; ms: number }
  | { kind: 'error'; message: string };

const send = (message: SingleMessage) => new Promise<void>((resolve) => process.send?.(message, undefined, {}, () => resolve()));
const describe = (error: unknown) => (error instanceof Error ? (error.stack ?? error.message) : String(error));

/** The environment both servers read their database from, as startConcord builds it. */
function databaseEnv(database: BenchDatabase): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = { ...process.env, LOG_LEVEL: 'error', SWEEP_INTERVAL_SECONDS: '0' };
  delete env.DATABASE_URL;
  delete env.DATABASE_SCHEMA;
  if (database.kind === 'sqlite') env.SQLITE_PATH = database.sqlitePath;
  else Object.assign(env, { DATABASE_URL: database.url, DATABASE_SCHEMA: database.schema });
  return env;
}

@Controller('api/events')
class BareEventsController {
  private readonly dialect: SqlDialect;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    this.dialect = SqlDialect.of(dataSource);
  }

  /** The row Concord stores for a keyed event, nothing checked, nothing measured. */
  @Post()
  @HttpCode(201)
  async send(@Body() event: { type: string; subject: string; occurredAt: string; attributes?: object; key?: string }) {
    const id = randomUUID();
    const dedupeKey = event.key ? `k:${event.key}` : `h:${createHash('sha256').update(JSON.stringify(event)).digest('hex')}`;
    await this.dataSource.query(
      `INSERT INTO events (id, dedupe_key, key, type, subject, occurred_at, received_at, attributes, source_id, connection_id)
       VALUES (${this.dialect.params(1, 10)})`,
      [
        id,
        dedupeKey,
        event.key ?? null,
        event.type,
        event.subject,
        this.dialect.instant(new Date(event.occurredAt)),
        this.dialect.instant(new Date()),
        JSON.stringify(event.attributes ?? {}),
        null,
        null,
      ],
    );
    return { status: 'accepted', id };
  }
}

async function startBare(database: BenchDatabase): Promise<{ app: INestApplication; dataSource: DataSource; url: string }> {
  const config = loadConfig(databaseEnv(database));
  @Module({ imports: [TypeOrmModule.forRoot(buildDataSourceOptions(config))], controllers: [BareEventsController] })
  class BareModule {}
  const app = await NestFactory.create(BareModule, { logger: ['error'] });
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as AddressInfo;
  return { app, dataSource: app.get(DataSource), url: `http://127.0.0.1:${address.port}` };
}

process.once('message', (task: SingleTask) => {
  void (async () => {
    try {
      // One token sends every request while the service's clock stands still: its budget per
      // minute would refuse the run past 6,000 requests. The limit is raised, the counting stays.
      process.env.TOKEN_REQUESTS_PER_MINUTE = '1000000';
      const server =
        task.server === 'concord'
          ? await startConcord({ database: task.database, clock: new ManualClock(task.now), listen: true, trackingIntervalMs: task.trackingIntervalMs }).then((concord) => ({
              app: concord.app,
              dataSource: concord.dataSource,
              url: concord.url,
            }))
          : await startBare(task.database);
      process.on('message', (request: SingleRequest) => {
        void (async () => {
          try {
            if (request.kind === 'stop') {
              await server.app.close();
              process.disconnect();
              return;
            }
            if (request.kind === 'drain') {
              if (task.server === 'concord') await server.app.get(TrackingQueueWorker).catchUp();
              await send({ kind: 'drained' });
              return;
            }
            if (request.kind === 'cpu') {
              const used = process.cpuUsage();
              await send({ kind: 'cpu', ms: (used.user + used.system) / 1000 });
              return;
            }
            const dialect = SqlDialect.of(server.dataSource);
            const [row] = (await server.dataSource.query(`SELECT COUNT(*) AS n FROM events WHERE subject LIKE ${dialect.param(1)}`, [
              `${request.prefix}%`,
            ])) as { n: number | string }[];
            const clocks =
              task.server === 'concord'
                ? ((await server.dataSource.query(`SELECT COUNT(*) AS n FROM clocks WHERE subject LIKE ${dialect.param(1)}`, [`${request.prefix}%`])) as { n: number | string }[])[0].n
                : 0;
            await send({ kind: 'counted', events: Number(row.n), clocks: Number(clocks) });
          } catch (error) {
            await send({ kind: 'error', message: describe(error) });
          }
        })();
      });
      await send({ kind: 'listening', url: server.url });
    } catch (error) {
      await send({ kind: 'error', message: describe(error) });
      process.disconnect();
    }
  })();
});
