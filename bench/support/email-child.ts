/**
 * The email benchmark's Concord, in a process of its own per database: entities choose their
 * column types (SQLite's datetime, PostgreSQL's timestamptz) once, from DATABASE_URL, when they
 * load, so SQLite and PostgreSQL cannot be measured in one process; and the SMTP server stays in
 * the benchmark's process, so its work is not counted in Concord's. Receives a task, answers the
 * ways it timed with the id of every message each way queued (the server's Message-IDs are
 * matched against them there).
 */
import { randomUUID } from 'node:crypto';
import nodemailer, { type Transporter } from 'nodemailer';
import { ManualClock } from '../../src/common/clock.js';
import { SqlDialect } from '../../src/database/sql-dialect.js';
import { Mailer } from '../../src/notifications/mailer.js';
import { OutboxDispatcher } from '../../src/notifications/outbox-dispatcher.js';
import { type BenchDatabase, type Concord, dropPostgresSchema, startConcord, timed } from './concord.js';

export interface EmailTask {
  database: BenchDatabase;
  smtpUrl: string;
  messages: number;
  baselineMessages: number;
  connections: number;
}

export interface TimedWay {
  name: string;
  messages: number;
  ms: number;
  /** What the dispatchers reported sent, and how many rows ended `sent`. */
  sent: number;
  markedSent: number;
  ids: string[];
}

export type EmailMessage = { kind: 'ways'; ways: TimedWay[] } | { kind: 'error'; message: string };

const NOW = '2026-11-02T10:00:00Z';
/** About the size of a breach alert: an HTML body of ~3 KB and a text one of ~1 KB. */
const HTML = `<!doctype html><html lang="en"><body>${'<p style="margin:0 0 12px;">A promise of <strong>Sales</strong> was broken: the lead was still not called, 3 h 20 of working time late.</p>'.repeat(24)}</body></html>`;
const TEXT = 'A promise of Sales was broken: the lead was still not called, 3 h 20 of working time late.\n'.repeat(11);

const send = (message: EmailMessage) => new Promise<void>((resolve) => process.send?.(message, undefined, {}, () => resolve()));

process.once('message', (task: EmailTask) => {
  void (async () => {
    try {
      await send({ kind: 'ways', ways: await measure(task) });
    } catch (error) {
      await send({ kind: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    }
    process.disconnect();
  })();
});

/** The three ways, each on an outbox holding only its own messages. */
async function measure(task: EmailTask): Promise<TimedWay[]> {
  const { database, smtpUrl, connections } = task;
  const env = { SMTP_URL: smtpUrl, OUTBOX_INTERVAL_SECONDS: '0', SMTP_MAX_CONNECTIONS: String(connections) };
  const clock = new ManualClock(NOW);
  const first = await startConcord({ database, clock, env });
  let second: Concord | undefined;
  try {
    const ways: TimedWay[] = [];

    // The previous way: the unpooled transport the mailer had (a connection per message), one message at a time.
    const previous = await startConcord({ database, clock, env: { ...env, SMTP_MAX_CONNECTIONS: '1' } });
    try {
      const mailer = previous.app.get(Mailer) as unknown as { transport: Transporter };
      mailer.transport.close();
      mailer.transport = nodemailer.createTransport(smtpUrl, { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 } as object);
      ways.push(await dispatchWay('previous: one at a time, a connection each', task.baselineMessages, first, [previous]));
    } finally {
      await previous.close();
    }

    ways.push(await dispatchWay(`pooled: ${connections} connections, ${connections} at a time`, task.messages, first, [first]));

    second = await startConcord({ database, clock, env });
    ways.push(await dispatchWay(`two instances at once, ${connections} connections each`, task.messages, first, [first, second]));
    return ways;
  } finally {
    await second?.close();
    await first.close();
    await dropPostgresSchema(database);
  }
}

/** Queues `count` composed messages and times every instance dispatching them at once. */
async function dispatchWay(name: string, count: number, concord: Concord, instances: Concord[]): Promise<TimedWay> {
  const ids = await queue(concord, count);
  // Each instance starts a turn of the event loop after the one before, as separate processes'
  // ticks would: in one process, two SQLite connections whose claims began in the same turn would
  // wait on each other's lock with the event loop blocked (better-sqlite3 waits synchronously).
  const dispatched = await timed(() =>
    Promise.all(instances.map((instance, i) => new Promise((resolve) => setTimeout(resolve, i)).then(() => instance.app.get(OutboxDispatcher).dispatch()))),
  );
  const [{ n }] = await concord.dataSource.query(`SELECT COUNT(*) AS n FROM notifications WHERE status = 'sent'`);
  return { name, messages: count, ms: dispatched.ms, sent: dispatched.value.reduce((sum, report) => sum + report.sent, 0), markedSent: Number(n), ids };
}

/** An outbox of `count` pending, composed messages (and nothing else). */
async function queue(concord: Concord, count: number): Promise<string[]> {
  const { dataSource } = concord;
  await dataSource.query('DELETE FROM notifications');
  const dialect = SqlDialect.of(dataSource);
  const at = dialect.instant(concord.clock.now());
  const ids: string[] = [];
  const columns = 'id, dedupe_key, kind, recipient_email, status, attempts, next_attempt_at, created_at, subject, html, text';
  await dataSource.transaction(async (manager) => {
    for (let start = 0; start < count; start += 100) {
      const values: unknown[] = [];
      const rows: string[] = [];
      for (let i = start; i < Math.min(count, start + 100); i++) {
        const id = randomUUID();
        ids.push(id);
        values.push(id, `bench:${id}`, 'breach-alert', `head${i % 50}@example.com`, 'pending', 0, at, at, `Breach: Hot leads are called fast — L-${i}`, HTML, TEXT);
        rows.push(`(${dialect.params(rows.length * 11 + 1, 11)})`);
      }
      await manager.query(`INSERT INTO notifications (${columns}) VALUES ${rows.join(', ')}`, values);
    }
  });
  return ids;
}
