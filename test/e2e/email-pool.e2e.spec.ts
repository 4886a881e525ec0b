import { DataSource } from 'typeorm';
import { Notification } from '../../src/notifications/notification.entity.js';
import { OutboxRepository } from '../../src/notifications/outbox.repository.js';
import { OutboxService } from '../../src/notifications/outbox.service.js';
import { SmtpSink } from '../support/smtp-sink.js';
import { TestApp } from '../support/test-app.js';

/**
 * Issue 16, email: a pass of the outbox sends over a few pooled SMTP connections, several
 * messages at once, each message once — through a real SMTP server.
 */
describe('emails over pooled SMTP connections', () => {
  const sink = new SmtpSink();
  let t: TestApp;

  beforeAll(async () => {
    await sink.start();
    t = await TestApp.start({ env: { SMTP_URL: sink.url, SMTP_MAX_CONNECTIONS: '4' } });
  });
  afterAll(async () => {
    await t?.close();
    await sink.stop();
  });

  it('sends 60 messages over at most 4 connections used at once, each message once with its own Message-ID', async () => {
    const dataSource = t.app.get(DataSource);
    const keys = Array.from({ length: 60 }, (_, i) => `pool-test:${i}`);
    await dataSource.transaction((manager) =>
      t.app.get(OutboxService).enqueue(
        manager,
        keys.map((key, i) => ({ kind: 'sign-in-link', dedupeKey: key, referenceId: null, recipientId: null, recipientEmail: `reader${i}@example.com` })),
      ),
    );
    // Composed already, as a retried message is: what is tested is the sending.
    const rows = await dataSource.manager.find(Notification);
    for (const row of rows) await t.app.get(OutboxRepository).keepComposed({ id: row.id, subject: `Message ${row.dedupeKey}`, html: '<p>Hello</p>', text: 'Hello', attachments: null });
    const sessionsBefore = sink.sessions;

    const dispatched = await t.as().post('/api/notifications/dispatch');
    expect(dispatched.body).toMatchObject({ sent: 60, retrying: 0, failed: 0 });
    expect(sink.messages).toHaveLength(60);
    expect(new Set(sink.messages.map((mail) => mail.messageId))).toEqual(new Set(rows.map((row) => `<${row.id}@127.0.0.1>`)));
    // Several connections, each reused for many messages: not one per message, not a single one.
    const sessions = sink.sessions - sessionsBefore;
    expect(sessions).toBeGreaterThan(1);
    expect(sessions).toBeLessThanOrEqual(4);
    expect(await dataSource.manager.countBy(Notification, { status: 'sent' })).toBe(60);
  });
});
