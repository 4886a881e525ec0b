import type { INestApplication, LoggerService } from '@nestjs/common';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { AppModule } from '../../src/app.module.js';
import { configureApp } from '../../src/app.setup.js';
import { Clock, ManualClock } from '../../src/common/clock.js';
import { AppConfig, loadConfig } from '../../src/config/app-config.js';
import { loadCatalogues } from '../../src/i18n/catalogues.js';
import { type MissingMessage, Translator } from '../../src/i18n/translator.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';

export const TEST_ADMIN_TOKEN = 'test-admin-token-0123456789abcdef';
export const TEST_CONNECTIONS_KEY = '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef';

/** Keeps what the application logs, so tests can read the start-up banner. */
export class CapturingLogger implements LoggerService {
  readonly lines: string[] = [];
  log(message: unknown) {
    this.lines.push(String(message));
  }
  error(message: unknown) {
    this.lines.push(String(message));
  }
  warn(message: unknown) {
    this.lines.push(String(message));
  }
  debug() {}
  verbose() {}
}

export interface TestAppOptions {
  /** Settings over the test database's; CONCORD_ADMIN_TOKEN defaults to TEST_ADMIN_TOKEN. */
  env?: Record<string, string | undefined>;
  /** Reuse a database (to restart a service on it); by default each app gets a fresh one. */
  database?: TestDatabase;
  clock?: ManualClock;
  /**
   * Every message a page or email asks for and its language lacks is recorded rather than shown
   * in English: read them with `missingMessages()` (see test/support/locale-rendering.ts).
   */
  strictMessages?: boolean;
}

/** A Concord service on its own fresh database, driven over HTTP with supertest. */
export class TestApp {
  private constructor(
    readonly app: INestApplication,
    readonly database: TestDatabase,
    readonly clock: ManualClock,
    readonly logger: CapturingLogger,
    private readonly ownsDatabase: boolean,
  ) {}

  static async start(options: TestAppOptions = {}): Promise<TestApp> {
    const database = options.database ?? (await createTestDatabase());
    const config = loadConfig({
      ...process.env,
      LOG_LEVEL: 'warn',
      SWEEP_INTERVAL_SECONDS: '0',
      OUTBOX_INTERVAL_SECONDS: '0',
      // Tracking in the request, so a test reads what it just sent; queue tests turn the worker on.
      TRACKING_INTERVAL_MS: '0',
      OUTBOX_DIR: join(tmpdir(), `concord-outbox-${process.pid}-${Date.now()}`),
      CONCORD_ADMIN_TOKEN: TEST_ADMIN_TOKEN,
      // Connection secrets are encrypted with it; without it a key file would be written to ./data.
      CONNECTIONS_KEY: TEST_CONNECTIONS_KEY,
      // One message at a time: tests that make a send take minutes advance the one manual clock
      // inside it, which models time only when sends follow each other. Tests of parallel
      // sending set SMTP_MAX_CONNECTIONS themselves.
      SMTP_MAX_CONNECTIONS: '1',
      // One email per alert, however many: tests written before digests count them so (25 leads
      // breached at once, two instances). Tests of the digest set ALERT_DIGEST_THRESHOLD themselves.
      ALERT_DIGEST_THRESHOLD: '10000',
      ...database.env,
      ...options.env,
    });
    const clock = options.clock ?? new ManualClock('2026-11-02T08:00:00Z');
    const logger = new CapturingLogger();
    const builder = Test.createTestingModule({ imports: [AppModule] })
      .overrideProvider(AppConfig)
      .useValue(config)
      .overrideProvider(Clock)
      .useValue(clock);
    if (options.strictMessages) builder.overrideProvider(Translator).useValue(new Translator(loadCatalogues(), 'record'));
    const moduleRef = await builder.compile();
    const app = moduleRef.createNestApplication({ logger });
    configureApp(app);
    await app.init();
    return new TestApp(app, database, clock, logger, !options.database);
  }

  get server(): Server {
    return this.app.getHttpServer() as Server;
  }

  /** Requests signed with a token (the test admin's by default). */
  as(token: string = TEST_ADMIN_TOKEN) {
    const server = this.server;
    const auth = (test: request.Test) => test.set('Authorization', `Bearer ${token}`);
    return {
      get: (path: string) => auth(request(server).get(path)),
      post: (path: string) => auth(request(server).post(path)),
      patch: (path: string) => auth(request(server).patch(path)),
      put: (path: string) => auth(request(server).put(path)),
      delete: (path: string) => auth(request(server).delete(path)),
    };
  }

  /** The messages asked for since the last call that the reader's language lacked (only with `strictMessages`). */
  missingMessages(): MissingMessage[] {
    return this.app.get(Translator).takeMissing();
  }

  /** Requests without any token. */
  anonymous() {
    return request(this.server);
  }

  async close(): Promise<void> {
    await this.app.close();
    if (this.ownsDatabase) await this.database.drop();
  }
}
