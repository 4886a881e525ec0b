import { createCalendar, crmEvent, hotLeads, signAgreement } from '../support/agreement-fixture.js';
import { expectNoMissingMessages } from '../support/locale-rendering.js';
import { seedOrg, type SeededOrg } from '../support/org-fixture.js';
import { pageSession } from '../support/page-session.js';
import { SmtpSink } from '../support/smtp-sink.js';
import { TestApp } from '../support/test-app.js';
import { sendEvents, sweepAt } from '../support/tracking-fixture.js';

/**
 * Issue 15, area G1, over HTTP and SMTP: a head of sales who reads Russian sees the dashboard and
 * the breaches in Russian (dates as Russian writes them, working time in words) and gets the
 * breach alert in Russian, while the English reader of the same breach gets it in English; in
 * Arabic the dashboard reads right to left. Strict: any message a language lacks fails the test.
 */
describe('dashboard, breaches and breach alerts in the reader’s language', () => {
  const sink = new SmtpSink();
  let t: TestApp;
  let org: SeededOrg;
  let agreementId: string;

  beforeAll(async () => {
    await sink.start();
    t = await TestApp.start({ strictMessages: true, env: { SMTP_URL: sink.url } });
    org = await seedOrg(t);
    // The head of sales reads Russian; the stage owner, who gets the same alert, English.
    expect((await t.as().patch(`/api/people/${org.salesHead.id}`).send({ locale: 'ru' })).status).toBe(200);
    expect((await t.as().patch(`/api/people/${org.salesMember.id}`).send({ locale: 'en' })).status).toBe(200);
    const stages = await t.as().get('/api/stages');
    const sal = stages.body.items.find((stage: { name: string }) => stage.name === 'SAL');
    await t.as().patch(`/api/stages/${sal.id}`).send({ departmentId: org.sales.id, ownerId: org.salesMember.id });
    const calendarId = await createCalendar(t);
    t.clock.set('2026-11-01T08:00:00Z');
    agreementId = await signAgreement(t, org, { ...hotLeads(org, calendarId), stageId: sal.id });
    t.clock.set('2026-11-02T07:30:00Z');
    await sendEvents(t, org.marketingMember.token, [crmEvent('lead.handed_over', 'L-42', '2026-11-02T09:00:00+01:00', { score: 'hot' })]);
    expect((await sweepAt(t, '2026-11-02T09:00:30Z')).breached).toBe(1);
    // Due 10:00 Paris; the alert leaves at 13:20 Paris, the lead still not called.
    t.clock.set('2026-11-02T12:20:00Z');
    expect((await t.as().post('/api/notifications/dispatch')).body).toMatchObject({ sent: 2, failed: 0 });
  });

  afterAll(async () => {
    await t?.close();
    await sink.stop();
  });

  afterEach(() => expectNoMissingMessages(t.missingMessages()));

  it('sends the breach alert in Russian to the Russian reader, subject and body, and in English to the English one', () => {
    const [russian] = sink.to(org.salesHead.email);
    expect(russian.subject).toBe('Нарушение: Hot leads are called fast — L-42');
    expect(russian.text).toContain('обещание отдела «Sales» нарушено.');
    expect(russian.text).toContain('L-42: всё ещё не выполнено, опоздание — 3 рабочих часа и 20 минут.');
    expect(russian.text).toContain('Срок реакции: hot: 1 рабочий час');
    expect(russian.text).toContain('Срок: пн, 2 нояб. 2026 г., 10:00 Europe/Paris (2026-11-02T10:00+01:00)');
    expect(russian.text).toContain('Время указано в часовом поясе Europe/Paris.');
    expect(russian.text).not.toMatch(/\b(Breach|Due|Subject|Status|working)\b/);
    const html = russian.html as string;
    expect(html).toContain('<html lang="ru" dir="ltr">');
    expect(html).toContain('<title>Нарушение: Hot leads are called fast</title>');
    expect(html).toContain('>Объяснить нарушение</a>');

    const [english] = sink.to(org.salesMember.email);
    expect(english.subject).toBe('Breach: Hot leads are called fast — L-42');
    expect(english.text).toContain('L-42: still not contacted, 3 h 20 of working time late.');
    expect(english.text).toContain('Target:    hot: 1 working hour');
    expect(english.text).toContain('Due:       Mon 2 Nov 2026, 10:00 Europe/Paris (2026-11-02T10:00+01:00)');
    expect(english.html).toContain('<html lang="en" dir="ltr">');
    expect(english.text).not.toMatch(/[а-я]/i);
  });

  it('shows the dashboard in Russian: headings, dates as Russian writes them, lateness in words', async () => {
    const pages = await pageSession(t, org.salesHead.token);
    const dashboard = await pages.get('/');
    expect(dashboard.status).toBe(200);
    const html = dashboard.text;
    expect(html).toContain('<html lang="ru" dir="ltr">');
    expect(html).toContain('<title>Дашборд · Concord</title>');
    expect(html).toContain('Нарушения, ожидающие объяснения');
    expect(html).toContain('Действующие соглашения моего отдела');
    expect(html).toContain('срок: пн, 2 нояб. 2026 г., 10:00 Europe/Paris (2026-11-02T10:00+01:00), опоздание — 3 рабочих часа и 20 минут');
    // The months before, in Russian.
    expect(html).toMatch(/<span>(июн|июл|авг|сент|окт)\. 2026<\/span>/);
    expect(html).not.toContain('Good to see you');
    expect(html).not.toContain('Breaches waiting for an explanation');
  });

  it('shows the breach list and a breach in Russian', async () => {
    const pages = await pageSession(t, org.salesHead.token);
    const list = await pages.get('/breaches');
    expect(list.status).toBe(200);
    expect(list.text).toContain('<h1>Нарушения</h1>');
    expect(list.text).toContain('Ответственный отдел');
    expect(list.text).toContain('Показано 1 из 1. Время — Europe/Paris.');
    expect(list.text).toMatch(/опоздание — \d+ рабоч(ий|их|его) час/);
    expect(list.text).not.toContain('breach(es)');
    const refused = await pages.get('/breaches?from=31.11.2026');
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('Поле «Срок с» должно содержать дату, например 2026-11-02');

    const breaches = await t.as().get(`/api/breaches?agreementId=${agreementId}`);
    const detail = await pages.get(`/breaches/${breaches.body.items[0].id}`);
    expect(detail.status).toBe(200);
    expect(detail.text).toContain('<h1>Нарушение соглашения «Hot leads are called fast»</h1>');
    expect(detail.text).toContain('Что произошло');
    expect(detail.text).toContain('<dt>Срок</dt><dd>пн, 2 нояб. 2026 г., 10:00 Europe/Paris (2026-11-02T10:00+01:00)</dd>');
    expect(detail.text).toMatch(/<dt>Опоздание<\/dt><dd>\d+ рабоч(ий|их|его) час[^<]* рабочего времени<\/dd>/);
    expect(detail.text).toContain('Сохранить объяснение');

    // A refused explanation keeps the page in Russian, and the saved one says so in Russian.
    const saved = await pages.post(`/breaches/${breaches.body.items[0].id}/explanation`, { cause: 'Очередь не разобрали', correctiveAction: 'Дежурства' });
    expect(saved.status).toBe(303);
    expect((await pages.get(saved.headers.location)).text).toContain('<p class="notice" role="status">Объяснение сохранено.</p>');
  });

  it('keeps English for the English reader of the same breach', async () => {
    const pages = await pageSession(t, org.salesMember.token);
    const dashboard = await pages.get('/');
    expect(dashboard.text).toContain('<html lang="en" dir="ltr">');
    expect(dashboard.text).toContain('Good to see you, ');
    const list = await pages.get('/breaches?explained=all');
    expect(list.text).toContain('1 of 1 breach(es). Times in');
  });

  it('sends the weekly breach report in Russian to the Russian reader', async () => {
    const created = await t.as(org.salesHead.token).post('/api/subscriptions').send({ report: 'breaches', schedule: 'every Monday 08:00' });
    expect(created.status).toBe(201);
    t.clock.set('2026-11-09T07:00:20Z');
    await t.as().post('/api/admin/sweep');
    await t.as().post('/api/notifications/dispatch');
    const [report] = sink.to(org.salesHead.email).filter((mail) => mail.subject?.startsWith('Отчёт о нарушениях'));
    expect(report.subject).toBe('Отчёт о нарушениях 2 нояб. 2026 г. – 9 нояб. 2026 г.');
    expect(report.text).toContain('ГЛАВНОЕ');
    expect(report.text).toMatch(/L-42 \(hot\), Hot leads are called fast/);
    expect(report.text).toContain('рабочего времени');
    expect(report.text).not.toMatch(/\b(HEADLINE|Owner|measured|working time)\b/);
    expect(report.html).toContain('<html lang="ru" dir="ltr">');
    expect(report.html).toContain('Сроки реакции');
  });

  it('shows the dashboard right to left in Arabic', async () => {
    expect((await t.as().patch(`/api/people/${org.salesHead.id}`).send({ locale: 'ar' })).status).toBe(200);
    const pages = await pageSession(t, org.salesHead.token);
    const dashboard = await pages.get('/');
    expect(dashboard.text).toContain('<html lang="ar" dir="rtl">');
    expect(dashboard.text).toContain('إخلالات بانتظار التوضيح');
    expect(dashboard.text).toMatch(/أهلًا بك، <bdi>[^<]+<\/bdi>/);
    const list = await pages.get('/breaches?explained=all');
    expect(list.text).toContain('<html lang="ar" dir="rtl">');
    expect(list.text).toContain('<h1>الإخلالات</h1>');
  });
});
