import { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { openTestDataSource } from '../../test/support/test-database.js';
import { ManualClock } from '../common/clock.js';
import type { AppConfig } from '../config/app-config.js';
import type { Mailer, OutgoingMail } from './mailer.js';
import type { MessageComposer } from './message-composer.js';
import { Notification } from './notification.entity.js';
import { LEASE_MS, OutboxDispatcher, retryDelayMs } from './outbox-dispatcher.js';
import { OutboxRepository } from './outbox.repository.js';
import { OutboxService } from './outbox.service.js';

/**
 * The outbox's rules on a real database, without the app, HTTP or SMTP (in-memory SQLite, or
 * PostgreSQL when DATABASE_URL is set): a message is written once, claimed by one pass at a
 * time, sent once, retried after a failure and given up after the last attempt.
 */
describe(`the outbox on ${process.env.DATABASE_URL ? 'PostgreSQL' : 'SQLite'}`, () => {
  let database: { dataSource: DataSource; close(): Promise<void> };
  let outbox: OutboxService;
  let repository: OutboxRepository;
  let dispatcher: OutboxDispatcher;
  const clock = new ManualClock('2026-11-02T08:00:00Z');
  let sent: OutgoingMail[];
  let composed: string[];
  let refuse: ((mail: OutgoingMail) => Error | undefined) | undefined;
  let logged: string[];

  beforeAll(async () => {
    const keep = (message: unknown) => void logged.push(String(message));
    Logger.overrideLogger({ log: () => undefined, warn: keep, error: keep });
    database = await openTestDataSource();
    repository = new OutboxRepository(database.dataSource);
    outbox = new OutboxService(database.dataSource, repository, clock);
    // The composer and the mailer stand in: a message about "gone" no longer warrants sending.
    const composer = {
      compose: async (_manager: unknown, notification: Notification) => {
        composed.push(notification.dedupeKey);
        return notification.referenceId === 'gone' ? null : { subject: `About ${notification.dedupeKey}`, html: '<p>Hello</p>', text: 'Hello' };
      },
    } as unknown as MessageComposer;
    const mailer = {
      send: async (mail: OutgoingMail) => {
        const refusal = refuse?.(mail);
        if (refusal) throw refusal;
        sent.push(mail);
      },
    } as unknown as Mailer;
    dispatcher = new OutboxDispatcher(database.dataSource, repository, composer, mailer, { OUTBOX_MAX_ATTEMPTS: 2 } as AppConfig, clock);
  });
  beforeEach(async () => {
    await database.dataSource.query('DELETE FROM notifications');
    sent = [];
    composed = [];
    refuse = undefined;
    logged = [];
  });
  afterAll(async () => database?.close());

  const enqueue = (...keys: string[]) =>
    database.dataSource.transaction((manager) =>
      outbox.enqueue(
        manager,
        keys.map((key) => ({ kind: 'sign-in-link', dedupeKey: key, referenceId: key, recipientId: null, recipientEmail: `${key}@example.com` })),
      ),
    );
  const row = (dedupeKey: string) => database.dataSource.manager.findOneByOrFail(Notification, { dedupeKey });

  it('writes a message once per key, however often its fact is seen', async () => {
    await enqueue('a', 'b');
    await enqueue('a');
    expect(await database.dataSource.manager.count(Notification)).toBe(2);
    expect(await row('a')).toMatchObject({ status: 'pending', attempts: 0, nextAttemptAt: clock.now(), createdAt: clock.now(), claimedUntil: null });
  });

  it('lets one pass claim a message until its lease runs out, then another; the pass that lost it cannot renew it', async () => {
    await enqueue('a');
    const now = clock.now();
    const lease = new Date(now.getTime() + LEASE_MS);
    const [claimed] = await repository.claim(now, lease, 50);
    expect(claimed).toMatchObject({ dedupeKey: 'a', status: 'sending', claimedUntil: lease });
    expect(await repository.claim(new Date(lease.getTime() - 1), new Date(lease.getTime() + LEASE_MS), 50)).toEqual([]);
    expect(await repository.claim(lease, new Date(lease.getTime() + LEASE_MS), 50)).toEqual([]);

    const later = new Date(lease.getTime() + 1);
    const [reclaimed] = await repository.claim(later, new Date(later.getTime() + LEASE_MS), 50);
    expect(reclaimed.id).toBe(claimed.id);
    expect(await repository.renewLease(claimed.id, lease, new Date(later.getTime() + 10))).toBe(false);
    expect(await repository.renewLease(reclaimed.id, reclaimed.claimedUntil as Date, new Date(later.getTime() + LEASE_MS + 10))).toBe(true);
  });

  it('claims at most a batch, in the order messages fell due', async () => {
    await enqueue('first');
    clock.advance(1000);
    await enqueue('second', 'third');
    const now = clock.now();
    const claimed = await repository.claim(now, new Date(now.getTime() + LEASE_MS), 2);
    expect(claimed.map((notification) => notification.dedupeKey)).toEqual(['first', expect.any(String)]);
    expect((await repository.claim(now, new Date(now.getTime() + LEASE_MS), 2)).length).toBe(1);
  });

  it('sends each message once and marks it sent', async () => {
    await enqueue('a', 'b');
    expect(await dispatcher.dispatch()).toEqual({ sent: 2, retrying: 0, failed: 0, skipped: 0 });
    expect(await dispatcher.dispatch()).toEqual({ sent: 0, retrying: 0, failed: 0, skipped: 0 });
    expect(sent.map((mail) => mail.to).sort()).toEqual(['a@example.com', 'b@example.com']);
    const a = await row('a');
    expect(a).toMatchObject({ status: 'sent', attempts: 1, sentAt: clock.now(), claimedUntil: null, lastError: null, subject: 'About a' });
    expect(sent.find((mail) => mail.to === 'a@example.com')).toMatchObject({ id: a.id, subject: 'About a', html: '<p>Hello</p>', text: 'Hello' });
  });

  it('tries a failed message again after its delay, as composed the first time, and gives up after the last attempt', async () => {
    await enqueue('a');
    refuse = () => new Error('421 try later');
    expect(await dispatcher.dispatch()).toMatchObject({ retrying: 1 });
    expect(await row('a')).toMatchObject({
      status: 'pending',
      attempts: 1,
      lastError: '421 try later',
      claimedUntil: null,
      nextAttemptAt: new Date(clock.now().getTime() + retryDelayMs(1)),
    });
    expect(await dispatcher.dispatch()).toMatchObject({ retrying: 0, failed: 0 });

    clock.advance(retryDelayMs(1));
    expect(await dispatcher.dispatch()).toMatchObject({ failed: 1 });
    expect(await row('a')).toMatchObject({ status: 'failed', attempts: 2 });
    expect(composed).toEqual(['a']);
    expect(sent).toEqual([]);
    expect(logged).toEqual([
      'sign-in-link to a@example.com failed (attempt 1), retrying: 421 try later',
      'sign-in-link to a@example.com failed for good after 2 attempts: 421 try later',
    ]);
  });

  describe('over several connections', () => {
    /**
     * A mailer that takes a turn of the event loop per message and counts how many it holds at
     * once; with `holdFirst`, the first messages wait until that many are being sent together.
     */
    const slowMailer = (received: OutgoingMail[], inFlight: { now: number; most: number }, holdFirst = 0) => {
      let release: () => void = () => undefined;
      const together = new Promise<void>((resolve) => (release = resolve));
      return {
        send: async (mail: OutgoingMail) => {
          inFlight.most = Math.max(inFlight.most, ++inFlight.now);
          if (inFlight.now === holdFirst) release();
          if (received.length === 0 && holdFirst > 0) await together;
          await new Promise((resolve) => setImmediate(resolve));
          inFlight.now -= 1;
          const refusal = refuse?.(mail);
          if (refusal) throw refusal;
          received.push(mail);
        },
      } as unknown as Mailer;
    };
    const composer = {
      compose: async (_manager: unknown, notification: Notification) => ({ subject: `About ${notification.dedupeKey}`, html: '<p>Hi</p>', text: 'Hi' }),
    } as unknown as MessageComposer;
    const dispatcherOver = (mailer: Mailer, connections: number) =>
      new OutboxDispatcher(database.dataSource, repository, composer, mailer, { OUTBOX_MAX_ATTEMPTS: 2, SMTP_MAX_CONNECTIONS: connections } as AppConfig, clock);
    const keys = (count: number) => Array.from({ length: count }, (_, i) => `m${String(i).padStart(3, '0')}`);

    it('sends SMTP_MAX_CONNECTIONS messages at once, each once, a refused one retried without holding up the rest', async () => {
      await enqueue(...keys(130));
      const received: OutgoingMail[] = [];
      const inFlight = { now: 0, most: 0 };
      refuse = (mail) => (mail.to === 'm007@example.com' ? new Error('452 mailbox busy') : undefined);
      expect(await dispatcherOver(slowMailer(received, inFlight, 4), 4).dispatch()).toEqual({ sent: 129, retrying: 1, failed: 0, skipped: 0 });
      expect(inFlight.most).toBe(4);
      expect(new Set(received.map((mail) => mail.id)).size).toBe(129);
      expect(await row('m007')).toMatchObject({ status: 'pending', attempts: 1, lastError: '452 mailbox busy', claimedUntil: null });
      expect(await database.dataSource.manager.countBy(Notification, { status: 'sent' })).toBe(129);
    });

    it('never sends a message twice when two dispatchers with several connections each run at once', async () => {
      await enqueue(...keys(300));
      const received: OutgoingMail[] = [];
      const inFlight = { now: 0, most: 0 };
      // The second starts a turn of the event loop later, as another instance's tick would: on
      // SQLite (one connection here) their claims then take turns, on PostgreSQL they overlap.
      const second = new Promise<void>((resolve) => setImmediate(resolve)).then(() => dispatcherOver(slowMailer(received, inFlight), 3).dispatch());
      const reports = await Promise.all([dispatcherOver(slowMailer(received, inFlight), 3).dispatch(), second]);
      expect(reports[0].sent).toBeGreaterThan(0);
      expect(reports[1].sent).toBeGreaterThan(0);
      expect(reports[0].sent + reports[1].sent).toBe(300);
      expect(received).toHaveLength(300);
      expect(new Set(received.map((mail) => mail.id)).size).toBe(300);
      expect(await database.dataSource.manager.countBy(Notification, { status: 'sent' })).toBe(300);
    });
  });

  it('skips a message whose fact no longer warrants it, without sending it', async () => {
    await enqueue('gone');
    expect(await dispatcher.dispatch()).toMatchObject({ skipped: 1, sent: 0 });
    expect(await row('gone')).toMatchObject({ status: 'skipped', claimedUntil: null });
    expect(sent).toEqual([]);
  });
});
