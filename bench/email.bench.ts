/**
 * Email: the outbox to a local SMTP server. Goal (issue 16): ≥ 100 messages/s from one instance,
 * several connections pooled, each message still claimed once: 0 duplicates, 0 lost.
 *
 * State: Concord on a SQLite file, and in a PostgreSQL schema when DATABASE_URL is set, each in a
 * child process (bench/support/email-child.ts), with BENCH_EMAIL_MESSAGES (2,000) messages
 * pending in the outbox, already composed (subject, an HTML body of about 3 KB and a text one of
 * about 1 KB, the size of a breach alert): what is timed is the outbox's own work — claiming,
 * leases, SMTP, marking each sent — not a kind's composer. The server is an smtp-server (the
 * package the test suite's SmtpSink uses) in this process, on loopback; it keeps the Message-ID of
 * every message it accepts.
 *
 * Timed: `OutboxDispatcher.dispatch()` from its first claim until it returns (every message
 * accepted by the server and marked sent), three ways, each on a fresh outbox:
 * - the previous way (baseline, same run): one message at a time, a new SMTP connection per
 *   message (nodemailer's unpooled transport, as the mailer had), BENCH_EMAIL_BASELINE_MESSAGES
 *   (200) of them;
 * - pooled: SMTP_MAX_CONNECTIONS connections (5), that many messages at a time;
 * - two instances on the same database dispatching at once, pooled each.
 *
 * Verification, each way: every row ends `sent`, and the server received each row's Message-ID
 * (`<row id@127.0.0.1>`) exactly once: duplicates (a Message-ID received twice, or one that is no
 * row's) and lost messages (a row's never received) are counted and must both be 0.
 */
import { fork } from 'node:child_process';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { SMTPServer } from 'smtp-server';
import type { EmailMessage, EmailTask, TimedWay } from './support/email-child.js';
import { type BenchDatabase, benchDatabases, databaseName, environmentFor, fmtFixed, fmtInt, fmtMs, positiveIntFromEnv, printTable, scaled, status, tempDirectory } from './support/concord.js';

const MESSAGES = positiveIntFromEnv('BENCH_EMAIL_MESSAGES', scaled(2_000, 50));
const BASELINE_MESSAGES = Math.min(MESSAGES, positiveIntFromEnv('BENCH_EMAIL_BASELINE_MESSAGES', scaled(200, 20)));
const CONNECTIONS = positiveIntFromEnv('SMTP_MAX_CONNECTIONS', 5);
const GOAL_PER_SECOND = 100;

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
      // The pools' connections and the unpooled baseline's, with room to spare.
      maxClients: 200,
      onData: (stream, _session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const message = Buffer.concat(chunks).toString('latin1');
          const headers = message.slice(0, message.indexOf('\r\n\r\n'));
          const id = /^Message-ID:\s*<([^@>]+)@[^>]*>/im.exec(headers)?.[1] ?? '(none)';
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

export async function run(): Promise<void> {
  const dir = tempDirectory('email');
  const smtp = new CountingSmtp();
  await smtp.start();
  const rows: string[][] = [];
  const goals: string[][] = [];
  const problems: string[] = [];
  try {
    for (const database of benchDatabases(dir.file('concord.sqlite'), 'email')) {
      const name = databaseName(database);
      smtp.received.clear();
      const ways = await inChild(database, { database, smtpUrl: smtp.url, messages: MESSAGES, baselineMessages: BASELINE_MESSAGES, connections: CONNECTIONS });
      const queued = new Set(ways.flatMap((way) => way.ids));
      const strays = [...smtp.received.keys()].filter((id) => !queued.has(id)).length;
      const rate = (way: TimedWay) => (way.messages * 1000) / way.ms;
      let clean = strays === 0;
      for (const way of ways) {
        const lost = way.ids.filter((id) => !smtp.received.has(id)).length;
        const duplicates = way.ids.reduce((sum, id) => sum + Math.max(0, (smtp.received.get(id) ?? 0) - 1), 0);
        if (lost || duplicates || way.sent !== way.messages || way.markedSent !== way.messages) {
          clean = false;
          problems.push(`${name}, ${way.name}: ${lost} lost, ${duplicates} duplicates, ${way.sent} reported sent, ${way.markedSent} marked sent of ${way.messages}`);
        }
        rows.push([`${name}: ${way.name}`, fmtInt(way.messages), fmtMs(way.ms), fmtFixed(rate(way), 0), `${fmtFixed(rate(way) / rate(ways[0]))}×`, String(duplicates), String(lost)]);
      }
      if (strays) problems.push(`${name}: ${strays} message(s) received that no way queued`);
      const pooled = rate(ways[1]);
      goals.push([`${name}: ≥ ${GOAL_PER_SECOND} messages/s, one instance, ${CONNECTIONS} connections`, `${fmtFixed(pooled, 0)} /s`, status(pooled >= GOAL_PER_SECOND)]);
      goals.push([`${name}: 0 duplicates, 0 lost, every way`, clean ? '0 / 0' : 'see above', status(clean)]);
    }
  } finally {
    await smtp.stop();
    dir.remove();
  }
  console.log(`messages: ${fmtInt(MESSAGES)} a way (${fmtInt(BASELINE_MESSAGES)} the previous way), composed, to smtp-server on loopback in the benchmark's process`);
  console.log('');
  printTable(['way', 'messages', 'first claim → last sent', 'messages/s', 'vs previous', 'duplicates', 'lost'], rows);
  console.log('');
  printTable(['goal', 'result', 'status'], goals);
  if (problems.length > 0) throw new Error(problems.join('; '));
}

/** Runs the ways for one database in a child process whose environment selects that database. */
function inChild(database: BenchDatabase, task: EmailTask): Promise<TimedWay[]> {
  const child = fork(fileURLToPath(new URL('./support/email-child.js', import.meta.url)), [], { stdio: 'inherit', env: environmentFor(database) });
  return new Promise((resolve, reject) => {
    let answered = false;
    child.on('message', (message: EmailMessage) => {
      answered = true;
      if (message.kind === 'ways') resolve(message.ways);
      else reject(new Error(message.message));
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (!answered) reject(new Error(`the ${databaseName(database)} child exited (${code}) without an answer`));
    });
    child.send(task);
  });
}
