import { DataSource } from 'typeorm';
import { Notification } from '../../src/notifications/notification.entity.js';
import { createCalendar, crmEvent, hotLeads, qualifiedLeads, signAgreement } from '../support/agreement-fixture.js';
import { seedOrg, type SeededOrg } from '../support/org-fixture.js';
import { SmtpSink } from '../support/smtp-sink.js';
import { TestApp } from '../support/test-app.js';

/**
 * Issue 16, the alert storm: a sweep that finds more than ALERT_DIGEST_THRESHOLD (20) breaches
 * for one person sends them one digest listing the breaches, in their language, instead of an
 * email per breach; everyone else, and a later sweep with fewer, get one email per alert.
 */
describe(`an alert storm becomes a digest (${process.env.DATABASE_URL ? 'PostgreSQL' : 'SQLite'})`, () => {
  const sink = new SmtpSink();
  let t: TestApp;
  let org: SeededOrg;

  const send = async (events: object[]) => expect((await t.as(org.marketingMember.token).post('/api/events').send(events)).body.accepted).toBe(events.length);
  const sweep = async (instant: string) => {
    t.clock.set(instant);
    return (await t.as().post('/api/admin/sweep')).body;
  };
  const dispatch = async () => (await t.as().post('/api/notifications/dispatch')).body;
  const rows = (kind: string, recipientId: string) => t.app.get(DataSource).manager.find(Notification, { where: { kind: kind as Notification['kind'], recipientId } });

  beforeAll(async () => {
    await sink.start();
    t = await TestApp.start({ env: { SMTP_URL: sink.url, ALERT_DIGEST_THRESHOLD: '20' } });
    org = await seedOrg(t);
    // The head of sales reads French.
    expect((await t.as().patch(`/api/people/${org.salesHead.id}`).send({ locale: 'fr' })).status).toBe(200);
    const calendarId = await createCalendar(t);
    t.clock.set('2026-11-01T08:00:00Z');
    await signAgreement(t, org, hotLeads(org, calendarId));
    await signAgreement(t, org, qualifiedLeads(org, calendarId));
    // 25 hot leads handed over on Monday 30 November at 17:30 Paris: due at 09:30 on Tuesday.
    t.clock.set('2026-11-30T16:35:00Z');
    await send(Array.from({ length: 25 }, (_, i) => crmEvent('lead.handed_over', `L-${String(i).padStart(2, '0')}`, '2026-11-30T17:30:00+01:00', { score: 'hot' })));
  });

  afterAll(async () => {
    await t?.close();
    await sink.stop();
  });

  it('sends the head of sales one digest of the 25 breaches, in French, while the head of marketing gets the missed quota as one alert', async () => {
    // One sweep: the 25 clocks fall due (alerts to the head of sales), November's quota closes missed (to the head of marketing).
    expect(await sweep('2026-12-01T09:00:00Z')).toMatchObject({ breached: 25, periodsMissed: 1 });
    expect(await dispatch()).toMatchObject({ sent: 2, failed: 0, retrying: 0 });

    const [digest, ...others] = sink.to(org.salesHead.email);
    expect(others).toEqual([]);
    expect(digest.subject).toBe('25 nouveaux manquements à expliquer');
    expect(digest.html).toContain('<html lang="fr" dir="ltr">');
    expect(digest.text).toContain('25 engagements n’ont pas été tenus d’un coup');
    for (let i = 0; i < 25; i++) expect(digest.text).toContain(`Hot leads are called fast — L-${String(i).padStart(2, '0')}, échéance mar. 1 déc. 2026, 09:30`);
    expect(digest.text).toMatch(/\/breaches\/[0-9a-f-]{36}/);

    const quota = sink.to(org.marketingHead.email);
    expect(quota.map((mail) => mail.subject)).toEqual(['Breach: Marketing delivers qualified leads — 2026-11']);

    // Each breach keeps its alert, told in the digest: none is ever sent on its own.
    const alerts = await rows('breach-alert', org.salesHead.id);
    expect(alerts).toHaveLength(25);
    expect(alerts.every((alert) => alert.status === 'digested')).toBe(true);
    expect((await rows('breach-digest', org.salesHead.id)).map((row) => row.status)).toEqual(['sent']);
    expect(await dispatch()).toMatchObject({ sent: 0 });
  });

  it('sends one email per alert again when a sweep finds no more than the threshold', async () => {
    sink.messages.length = 0;
    t.clock.set('2026-12-01T09:05:00Z');
    await send(Array.from({ length: 3 }, (_, i) => crmEvent('lead.handed_over', `M-${i}`, '2026-12-01T10:00:00+01:00', { score: 'hot' })));
    expect(await sweep('2026-12-01T10:30:00Z')).toMatchObject({ breached: 3 });
    expect(await dispatch()).toMatchObject({ sent: 3 });
    expect(sink.to(org.salesHead.email).map((mail) => mail.subject).sort()).toEqual([0, 1, 2].map((i) => `Manquement : Hot leads are called fast — M-${i}`));
  });
});
