import { createCalendar, crmEvent, hotLeads, signAgreement } from '../support/agreement-fixture.js';
import { seedOrg, type SeededOrg } from '../support/org-fixture.js';
import { SmtpSink } from '../support/smtp-sink.js';
import { TestApp } from '../support/test-app.js';
import { sendEvents, sweepAt } from '../support/tracking-fixture.js';

const CRM_LINK = 'https://crm.example.com/leads/{subject}';
/** A subject id a CRM might well use: a slash, a space, an accent, and markup. */
const SUBJECT = 'L 42/é<b>';
const ENCODED = 'L%2042%2F%C3%A9%3Cb%3E';

/**
 * The alert a head reads about a hot lead nobody called: what was promised, since when, about
 * whom, how late it is at the moment the message leaves, and the way to the lead in the CRM.
 */
describe('breach alerts a busy head can act on', () => {
  const sink = new SmtpSink();
  let t: TestApp;
  let org: SeededOrg;
  let agreementId: string;

  beforeAll(async () => {
    await sink.start();
    t = await TestApp.start({ env: { SMTP_URL: sink.url } });
    org = await seedOrg(t);
    // The stage owner reads from New York, the head of sales from Paris.
    await t.as().patch(`/api/people/${org.salesMember.id}`).send({ timezone: 'America/New_York' });
    const stages = await t.as().get('/api/stages');
    const sal = stages.body.items.find((stage: { name: string }) => stage.name === 'SAL');
    await t.as().patch(`/api/stages/${sal.id}`).send({ departmentId: org.sales.id, ownerId: org.salesMember.id });
    const calendarId = await createCalendar(t);
    t.clock.set('2026-11-01T08:00:00Z');
    agreementId = await signAgreement(t, org, { ...hotLeads(org, calendarId), stageId: sal.id, subjectLink: CRM_LINK });
  });

  afterAll(async () => {
    await t?.close();
    await sink.stop();
  });

  const dispatch = async () => (await t.as().post('/api/notifications/dispatch')).body;

  it('keeps the CRM link template with the version, and refuses one that is not an http(s) URL with {subject}', async () => {
    const agreement = await t.as().get(`/api/agreements/${agreementId}`);
    expect(agreement.body.inForce.subjectLink).toBe(CRM_LINK);
    for (const [subjectLink, message] of [
      ['https://crm.example.com/leads/', 'subjectLink must contain {subject}, where the subject id goes'],
      ['javascript:alert(1)//{subject}', 'subjectLink must be an http or https URL'],
      ['crm.example.com/{subject}', 'subjectLink must be an absolute http(s) URL such as "https://crm.example.com/leads/{subject}"'],
      [42, 'subjectLink must be a string'],
    ] as const) {
      const refused = await t.as(org.salesHead.token).patch(`/api/agreements/${agreementId}`).send({ subjectLink });
      expect(refused.status).toBe(400);
      expect(refused.body.errors.subjectLink).toEqual([message]);
    }
    const versions = await t.as().get(`/api/agreements/${agreementId}/versions`);
    expect(versions.body).toHaveLength(1);
  });

  it('says, as it leaves 3 h 20 of working time after the due time, what was promised, since when, about whom, how late, and where the lead is', async () => {
    t.clock.set('2026-11-02T07:30:00Z');
    await sendEvents(t, org.marketingMember.token, [
      crmEvent('lead.handed_over', SUBJECT, '2026-11-02T09:00:00+01:00', { score: 'hot', source: 'trade-show' }),
    ]);
    expect((await sweepAt(t, '2026-11-02T09:00:30Z')).breached).toBe(1);
    // Due 10:00 Paris; the message is composed at 13:20 Paris, the lead still not called.
    t.clock.set('2026-11-02T12:20:00Z');
    expect(await dispatch()).toMatchObject({ sent: 2, failed: 0 });

    const [head] = sink.to(org.salesHead.email);
    expect(head.subject).toBe(`Breach: Hot leads are called fast — ${SUBJECT}`);
    expect(head.text).toContain(`${SUBJECT}: still not contacted, 3 h 20 of working time late.\n`);
    expect(head.text).toContain(
      [
        `Subject:   ${SUBJECT}`,
        `CRM:       https://crm.example.com/leads/${ENCODED}`,
        'Target:    hot: 1 working hour',
        'Started:   Mon 2 Nov 2026, 09:00 Europe/Paris (2026-11-02T09:00+01:00)',
        'Details:   score: hot · source: trade-show',
        'Due:       Mon 2 Nov 2026, 10:00 Europe/Paris (2026-11-02T10:00+01:00)',
        'Status:    still not contacted, 3 h 20 of working time late',
      ].join('\n'),
    );
    expect(head.text).not.toContain('0 min');

    // The same facts in the HTML part, escaped, with the link filled in.
    const html = head.html as string;
    expect(html).toContain('L 42/é&lt;b&gt;: still not contacted, 3 h 20 of working time late');
    expect(html).not.toContain('<b>');
    expect(html).toContain(`<a href="https://crm.example.com/leads/${ENCODED}">open in the CRM</a>`);
    expect(html).toContain('hot: 1 working hour');
    expect(html).toContain('Mon 2 Nov 2026, 09:00 Europe/Paris (2026-11-02T09:00+01:00)');
    expect(html).toContain('score: <strong>hot</strong> · source: <strong>trade-show</strong>');

    // The stage owner reads the same in New York time.
    const [owner] = sink.to(org.salesMember.email);
    expect(owner.text).toContain('Started:   Mon 2 Nov 2026, 03:00 America/New_York (2026-11-02T03:00-05:00)');
    expect(owner.text).toContain('Status:    still not contacted, 3 h 20 of working time late');

    // The API and the page show the same link.
    const breach = (await t.as().get(`/api/breaches?agreementId=${agreementId}`)).body.items[0];
    expect(breach).toMatchObject({ subjectUrl: `https://crm.example.com/leads/${ENCODED}`, lateSeconds: 200 * 60 });
  });

  it('measures a lead called late up to the call, however late the message leaves', async () => {
    t.clock.set('2026-11-03T07:30:00Z');
    await sendEvents(t, org.marketingMember.token, [crmEvent('lead.handed_over', 'L-CALLED', '2026-11-03T09:00:00+01:00', { score: 'hot' })]);
    await sweepAt(t, '2026-11-03T09:00:30Z');
    await sendEvents(t, org.marketingMember.token, [crmEvent('lead.contacted', 'L-CALLED', '2026-11-03T11:15:00+01:00')]);
    t.clock.set('2026-11-03T16:00:00Z');
    await dispatch();
    const [alert] = sink.to(org.salesHead.email).filter((mail) => mail.subject?.endsWith('L-CALLED'));
    expect(alert.text).toContain('L-CALLED: contacted 1 h 15 of working time late.\n');
    expect(alert.text).toContain('Done:      Tue 3 Nov 2026, 11:15 Europe/Paris');
    expect(alert.text).toContain('CRM:       https://crm.example.com/leads/L-CALLED\n');
    // No attributes beyond the score: only what the event carried.
    expect(alert.text).toContain('Details:   score: hot\n');
  });

  it('leaves the CRM out once a new version drops the template', async () => {
    const changed = await t.as(org.salesHead.token).patch(`/api/agreements/${agreementId}`).send({ subjectLink: null });
    expect(changed.status).toBe(200);
    expect(changed.body.pending.subjectLink).toBeNull();
    expect(changed.body.inForce.subjectLink).toBe(CRM_LINK);
    await t.as(org.salesHead.token).post(`/api/agreements/${agreementId}/propose`);
    await t.as(org.salesHead.token).post(`/api/agreements/${agreementId}/approve`).send({});
    await t.as(org.marketingHead.token).post(`/api/agreements/${agreementId}/approve`).send({});

    t.clock.set('2026-11-04T07:30:00Z');
    await sendEvents(t, org.marketingMember.token, [crmEvent('lead.handed_over', 'L-NOLINK', '2026-11-04T09:00:00+01:00', { score: 'hot' })]);
    await sweepAt(t, '2026-11-04T09:30:00Z');
    await dispatch();
    const [alert] = sink.to(org.salesHead.email).filter((mail) => mail.subject?.endsWith('L-NOLINK'));
    expect(alert.text).not.toContain('CRM:');
    expect(alert.html).not.toContain('open in the CRM');
    expect(alert.text).toContain('Status:    still not contacted, 30 min of working time late');
  });
});
