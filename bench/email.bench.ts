/**
 * Email: the outbox to a local SMTP server. Goal (issue 16): ≥ 100 messages/s from one instance,
 * several connections pooled, each message still claimed once: 0 duplicates, 0 lost.
 *
 * State: Concord on a SQLite file (and on PostgreSQL when DATABASE_URL is set), with
 * BENCH_EMAIL_MESSAGES (2,000) messages pending in the outbox, already composed (subject, an
 * HTML body of about 3 KB and a text one of about 1 KB, the size of a breach alert): what is
 * timed is the outbox's own work — claiming, lease renewals, SMTP, marking each sent — not a
 * kind's composer. The server is an smtp-server (the package the test suite's SmtpSink uses) in
 * this process, on loopback; it keeps the Message-ID of every message it accepts.
 *
 * Timed: `OutboxDispatcher.dispatch()` from its first claim until it returns (every message
 * accepted by the server and marked sent), in three ways, each on a fresh outbox:
 * - the previous way (baseline, same run): one message at a time, a new SMTP connection per
 *   message (nodemailer's unpooled transport), BENCH_EMAIL_BASELINE_MESSAGES (200) of them;
 * - pooled: SMTP_MAX_CONNECTIONS connections (5), a batch sent that many at a time;
 * - two instances on the same database dispatching at once, pooled each.
 *
 * Verification, for each way: every outbox row is `sent`, the server received each row's
 * Message-ID (`<row id@127.0.0.1>`) exactly once — duplicates and lost messages are counted and
 * must both be 0.
 */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import nodemailer, { type Transporter } from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import { randomUUID } from 'node:crypto';
import { ManualClock } from '../src/common/clock.js';
import { SqlDialect } from '../src/database/sql-dialect.js';
import { Mailer } from '../src/notifications/mailer.js';
import { OutboxDispatcher } from '../src/notifications/outbox-dispatcher.js';
import {
  benchDatabases,
  type BenchDatabase,
  type Concord,
  databaseName,
  dropPostgresSchema,
  fmtFixed,
  fmtInt,
  fmtMs,
  positiveIntFromEnv,
  printTable,
  scaled,
  startConcord,
  status,
  tempDirectory,
  timed,
} from './support/concord.js';

const MESSAGES = positiveIntFromEnv('BENCH_EMAIL_MESSAGES', scaled(2_000, 50));
const BASELINE_MESSAGES = Math.min(MESSAGES, positiveIntFromEnv('BENCH_EMAIL_BASELINE_MESSAGES', scaled(200, 20)));
const CONNECTIONS = positiveIntFromEnv('SMTP_MAX_CONNECTIONS', 5);
const GOAL_PER_SECOND = 100;
const NOW = '2026-11-02T10:00:00Z';

const HTML = `<!doctype html><html lang="en"><body>${'<p style="margin:0 0 12px;">A promise of <strong>Sales</strong> was broken: the lead was still not called, 3 h 20 of working time late.</p>'.repeat(24)}</body></html>`;
const TEXT = 'A promise of Sales was broken: the lead was still not called, 3 h 20 of working time late.\n'.repeat(11);

/** An SMTP server on loopback that accepts everything and counts each Message-ID it receives. */
class CountingSmtp {
  readonly received = new Map<string, number>();
  private server?: SMTPServer;
  port = 0;

  async start(): Promise<void> {
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      // The pool's connections and the unpooled baseline's, with room to spare.
      maxClients: 200,
      onData: (stream, _session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const message = Buffer.concat(chunks).toString('latin1');
          const headers = message.slice(0, message.indexOf('\r\n\r\n'));
          const id = /^Message-ID:\s*(<[^>]+>)/im.exec(headers)?.[1] ?? '(none)';
          this.received.set(id, (this.received.get(id) ?? 0) + 1);
          callback();
        });
      },
    });
    server.listen(0, '127.0.0.1');
    await once(server.server, 'listening');
    this.port = (server.server.address() as AddressInfo).port;
    this.server = server;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

interface Way {
  name: string;
  messages: number;
  ms: number;
  duplicates: number;
  lost: number;
  sent: number;
}

export async function run(): Promise<void> {
  const dir = tempDirectory('email');
  const smtp = new CountingSmtp();
  await smtp.start();
  const rows: string[][] = [];
  const goals: string[][] = [];
  let failures = 0;
  try {
    for (const database of benchDatabases(dir.file('concord.sqlite'), 'email')) {
      const name = databaseName(database);
      const ways = await measure(database, smtp);
      for (const way of ways) {
        const perSecond = (way.messages * 1000) / way.ms;
        const baseline = ways[0];
        const baselinePerSecond = (baseline.messages * 1000) / baseline.ms;
        rows.push([
          `${name}: ${way.name}`,
          fmtInt(way.messages),
          fmtMs(way.ms),
          fmtFixed(perSecond, 0),
          `${fmtFixed(perSecond / baselinePerSecond)}×`,
          String(way.duplicates),
          String(way.lost),
        ]);
        if (way.duplicates !== 0 || way.lost !== 0 || way.sent !== way.messages) failures += 1;
      }
      const pooled = ways[1];
      const perSecond = (pooled.messages * 1000) / pooled.ms;
      goals.push([`${name}: ≥ ${GOAL_PER_SECOND} messages/s, one instance, ${CONNECTIONS} connections`, `${fmtFixed(perSecond, 0)} /s`, status(perSecond >= GOAL_PER_SECOND)]);
      const clean = ways.every((way) => way.duplicates === 0 && way.lost === 0);
      goals.push([`${name}: 0 duplicates, 0 lost (every way)`, clean ? '0 / 0' : 'see above', status(clean)]);
    }
  } finally {
    await smtp.stop();
    dir.remove();
  }
  console.log(`messages: ${fmtInt(MESSAGES)} per way (${fmtInt(BASELINE_MESSAGES)} for the previous way), composed, to smtp-server on loopback in this process`);
  console.log('');
  printTable(['way', 'messages', 'first claim → last sent', 'messages/s', 'vs previous', 'duplicates', 'lost'], rows);
  console.log('');
  printTable(['goal', 'result', 'status'], goals);
  if (failures > 0) throw new Error(`${failures} way(s) lost, duplicated or failed to send messages`);
}

/** The three ways on one database, each on an outbox holding only its own messages. */
async function measure(database: BenchDatabase, smtp: CountingSmtp): Promise<Way[]> {
  const env = { SMTP_URL: smtp.url, OUTBOX_INTERVAL_SECONDS: '0', SMTP_MAX_CONNECTIONS: String(CONNECTIONS) };
  const clock = new ManualClock(NOW);
  const first = await startConcord({ database, clock, env });
  let second: Concord | undefined;
  try {
    const ways: Way[] = [];

    // The previous way: the unpooled transport the mailer had, one message at a time.
    const baselineConcord = await startConcord({ database, clock, env: { ...env, SMTP_MAX_CONNECTIONS: '1' } });
    try {
      const mailer = baselineConcord.app.get(Mailer) as unknown as { transport: Transporter };
      mailer.transport.close();
      mailer.transport = nodemailer.createTransport(smtp.url, { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 } as object);
      ways.push(await dispatchWay('previous: 1 message at a time, a connection each', BASELINE_MESSAGES, first, smtp, [baselineConcord]));
    } finally {
      await baselineConcord.close();
    }

    ways.push(await dispatchWay(`pooled: ${CONNECTIONS} connections, ${CONNECTIONS} at a time`, MESSAGES, first, smtp, [first]));

    second = await startConcord({ database, clock, env });
    ways.push(await dispatchWay(`two instances at once, ${CONNECTIONS} connections each`, MESSAGES, first, smtp, [first, second]));
    return ways;
  } finally {
    await second?.close();
    await first.close();
    await dropPostgresSchema(database);
  }
}

/** Queues `count` composed messages, dispatches them with every instance at once, and checks what the server got. */
async function dispatchWay(name: string, count: number, concord: Concord, smtp: CountingSmtp, instances: Concord[]): Promise<Way> {
  const ids = await queue(concord, count);
  smtp.received.clear();
  // Each instance starts a turn of the event loop after the one before, as separate processes'
  // ticks would: in one process, two SQLite connections whose claims began in the same turn would
  // wait on each other's lock with the event loop blocked (better-sqlite3 waits synchronously).
  const dispatched = await timed(() =>
    Promise.all(instances.map((instance, i) => new Promise((resolve) => setTimeout(resolve, i)).then(() => instance.app.get(OutboxDispatcher).dispatch()))),
  );
  const sent = dispatched.value.reduce((sum, report) => sum + report.sent, 0);
  const host = '127.0.0.1';
  let lost = 0;
  let duplicates = 0;
  for (const id of ids) {
    const times = smtp.received.get(`<${id}@${host}>`) ?? 0;
    if (times === 0) lost += 1;
    else duplicates += times - 1;
  }
  // Anything received that is not one of this way's rows is a duplicate too (a stray resend).
  duplicates += [...smtp.received.keys()].filter((key) => !ids.has(key.slice(1, key.indexOf('@')))).length;
  const [{ n }] = await concord.dataSource.query(`SELECT COUNT(*) AS n FROM notifications WHERE status = 'sent'`);
  if (Number(n) !== count) throw new Error(`${name}: ${n} of ${count} rows marked sent`);
  return { name, messages: count, ms: dispatched.ms, duplicates, lost, sent };
}

/** An outbox of `count` pending, composed messages (and nothing else). */
async function queue(concord: Concord, count: number): Promise<Set<string>> {
  const { dataSource } = concord;
  await dataSource.query('DELETE FROM notifications');
  const dialect = SqlDialect.of(dataSource);
  const at = dialect.instant(concord.clock.now());
  const ids = new Set<string>();
  const columns = 'id, dedupe_key, kind, recipient_email, status, attempts, next_attempt_at, created_at, subject, html, text';
  await dataSource.transaction(async (manager) => {
    for (let start = 0; start < count; start += 100) {
      const values: unknown[] = [];
      const rows: string[] = [];
      for (let i = start; i < Math.min(count, start + 100); i++) {
        const id = randomUUID();
        ids.add(id);
        values.push(id, `bench:${id}`, 'breach-alert', `head${i % 50}@example.com`, 'pending', 0, at, at, `Breach: Hot leads are called fast — L-${i}`, HTML, TEXT);
        rows.push(`(${dialect.params(rows.length * 11 + 1, 11)})`);
      }
      await manager.query(`INSERT INTO notifications (${columns}) VALUES ${rows.join(', ')}`, values);
    }
  });
  return ids;
}
