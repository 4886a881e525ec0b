import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ParsedMail } from 'mailparser';
import { expectNoMissingMessages } from '../support/locale-rendering.js';
import { invitationOf } from '../support/ical-reader.js';
import { holdAndApprove, planSeries } from '../support/meeting-fixture.js';
import { seedOrg, type SeededOrg } from '../support/org-fixture.js';
import { pageSession } from '../support/page-session.js';
import { SmtpSink } from '../support/smtp-sink.js';
import { TestApp } from '../support/test-app.js';

/*
 * Issue 15, meetings: one meeting attended by a French and a Russian head of department (and a
 * member who reads Arabic). The signed record is stored once; the minutes email, its text and its
 * PDF reach each in their own language, every alphabet typed kept intact; the invitation and its
 * calendar file speak the invitee's language; the meeting room reads in Russian to a Russian reader.
 * Strict messages: any message a language lacks fails the test rather than showing English.
 */
const TITLE = 'Совет Marketing & Sales — Ωμέγα';
const NOTES = 'Обсудили план: продажи растут. Zażółć gęślą jaźń. عائشة توافق.';
const DECISION = 'Горячие лиды — за один рабочий час';
const ACTION = 'Préparer le rapport pour Łódź';

function pdftotext(pdf: Buffer): string {
  const directory = mkdtempSync(join(tmpdir(), 'concord-i18n-pdf-'));
  try {
    const file = join(directory, 'minutes.pdf');
    writeFileSync(file, pdf);
    return execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

const addressOf = (mail: ParsedMail) => (Array.isArray(mail.to) ? '' : (mail.to?.value[0].address ?? ''));

describe('meetings in each participant’s language', () => {
  const sink = new SmtpSink();
  let t: TestApp;
  let org: SeededOrg;
  let seriesId: string;
  let meetingId: string;

  beforeAll(async () => {
    await sink.start();
    t = await TestApp.start({ strictMessages: true, env: { SMTP_URL: sink.url } });
    org = await seedOrg(t);
    for (const [person, locale] of [[org.marketingHead, 'fr'], [org.salesHead, 'ru'], [org.salesMember, 'ar']] as const) {
      const patched = await t.as().patch(`/api/people/${person.id}`).send({ locale });
      expect(patched.status).toBe(200);
    }
    t.clock.set('2026-11-20T09:00:00Z');
    const series = await planSeries(t, org, { title: TITLE, startsOn: '2026-12-01T10:00', rrule: 'FREQ=MONTHLY;BYDAY=1TU;COUNT=3', agendaTemplate: ['Итоги месяца'], location: 'Salle Jupiter' });
    seriesId = series.id;
    meetingId = series.meetings[0].id;
  });

  afterAll(async () => {
    await t?.close();
    await sink.stop();
  });

  const dispatch = async () => {
    const response = await t.as().post('/api/notifications/dispatch').send({});
    expect(response.status).toBeLessThan(300);
  };
  const mailTo = (email: string, subject: RegExp) => {
    const found = sink.messages.filter((mail) => addressOf(mail) === email && subject.test(mail.subject ?? ''));
    expect({ email, subject: String(subject), found: found.length }).toEqual({ email, subject: String(subject), found: 1 });
    return found[0];
  };

  it('invites each participant in their own language, the calendar file describing the series in it', async () => {
    await dispatch();
    const french = mailTo(org.marketingHead.email, /^Invitation : /);
    expect(french.subject).toBe(`Invitation : ${TITLE}`);
    expect(french.text).toContain(`vous invite à « ${TITLE} » (obligatoire)`);
    expect(french.text).toContain('Quand : tous les mois, 10:00 (Europe/Paris), 1 heure');
    expect(String(french.html)).toContain('<html lang="fr" dir="ltr">');
    expect(french.text).toContain('Envoyé par Concord à Maëlle Head <maelle@example.com>.');

    const russian = mailTo(org.salesHead.email, /^Приглашение: /);
    expect(russian.text).toContain(`приглашает вас на «${TITLE}» (обязательный участник)`);
    expect(russian.text).toContain('Когда: каждый месяц, 10:00 (Europe/Paris), 1 час');
    // The next meetings, as Russian writes dates.
    expect(russian.text).toMatch(/вт, 1 дек\. 2026 г\., 10:00 Europe\/Paris/);
    const calendar = invitationOf(russian).calendar;
    // The summary is the series' title as typed; the description is the invitee's language.
    expect(calendar.event.summary).toBe(TITLE);
    expect(calendar.event.description).toContain('Совместная встреча, запланированная в Concord (Maëlle Head)');
    expect(invitationOf(french).calendar.event.description).toContain('Réunion commune planifiée dans Concord par Maëlle Head');

    const arabic = mailTo(org.salesMember.email, /^دعوة: /);
    expect(String(arabic.html)).toContain('<html lang="ar" dir="rtl">');
    expect(arabic.text).toContain('حضور اختياري');
    expectNoMissingMessages(t.missingMessages());
  });

  it('shows the meeting room in Russian to a Russian reader, dates as Russian writes them', async () => {
    const session = await pageSession(t, org.salesHead.token);
    const page = await session.get(`/meetings/${meetingId}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('<html lang="ru" dir="ltr">');
    expect(page.text).toContain('<title>');
    expect(page.text).toContain('Все встречи');
    expect(page.text).toContain('>Присутствие</h2>');
    expect(page.text).toContain('>Повестка</h2>');
    expect(page.text).toMatch(/вт, 1 дек\. 2026 г\., 10:00 Europe\/Paris/);
    expect(page.text).not.toContain('Attendance');
    const list = await session.get('/meetings');
    expect(list.text).toContain('<h1>Встречи</h1>');
    expectNoMissingMessages(t.missingMessages());

    const arabic = await (await pageSession(t, org.salesMember.token)).get(`/meetings/${meetingId}`);
    expect(arabic.text).toContain('<html lang="ar" dir="rtl">');
    expect(arabic.text).toContain('>جدول الأعمال</h2>');
    expectNoMissingMessages(t.missingMessages());
  });

  it('sends the minutes in French to the French head and in Russian to the Russian head, each PDF in their language with every alphabet intact', async () => {
    t.clock.set('2026-12-01T10:30:00Z');
    sink.messages.length = 0;
    await holdAndApprove(
      t,
      org,
      meetingId,
      [
        { type: 'decision', text: DECISION, rationale: 'Η ομάδα συμφωνεί', ownerId: org.salesHead.id },
        { type: 'action', text: ACTION, ownerId: org.marketingHead.id, dueOn: '2026-12-15' },
        { type: 'action', text: 'Позвонить горячим лидам', ownerId: org.salesHead.id, dueOn: '2026-12-10' },
      ],
      NOTES,
    );
    await dispatch();

    const french = mailTo(org.marketingHead.email, /^Compte rendu : /);
    expect(french.subject).toBe(`Compte rendu : ${TITLE}, 1 décembre 2026 — 1 action pour vous`);
    expect(french.text).toContain(`COMPTE RENDU : ${TITLE}`);
    expect(french.text).toContain('VOS ACTIONS, Maëlle Head');
    expect(french.text).toContain(`  - ${ACTION} (échéance le 15 déc. 2026)`);
    expect(String(french.html)).toContain('<html lang="fr" dir="ltr">');
    expect(String(french.html)).toContain('>Décisions</h2>');

    const russian = mailTo(org.salesHead.email, /^Протокол: /);
    expect(russian.subject).toBe(`Протокол: ${TITLE}, 1 декабря 2026 г. — 1 поручение для вас`);
    expect(russian.text).toContain('ВАШИ ПОРУЧЕНИЯ, Samir Head');
    expect(russian.text).toContain('РЕШЕНИЯ');
    expect(String(russian.html)).toContain('<html lang="ru" dir="ltr">');

    const arabic = mailTo(org.salesMember.email, /^محضر الاجتماع: /);
    expect(String(arabic.html)).toContain('<html lang="ar" dir="rtl">');

    // The PDF of each: the reader's headings, and what people typed exactly as typed.
    const pdfOf = (mail: ParsedMail) => {
      const attachment = mail.attachments.find((part) => part.contentType === 'application/pdf');
      expect(attachment?.filename).toBe('minutes-2026-12-01.pdf');
      // MINUTES_PDF_DIR=… keeps each PDF to look at (pdftoppm -png).
      if (process.env.MINUTES_PDF_DIR) {
        writeFileSync(join(process.env.MINUTES_PDF_DIR, `minutes-${addressOf(mail)}.pdf`), attachment!.content);
        writeFileSync(join(process.env.MINUTES_PDF_DIR, `minutes-${addressOf(mail)}.html`), String(mail.html));
      }
      return pdftotext(attachment!.content).replace(/\s+/g, ' ');
    };
    const frenchPdf = pdfOf(french);
    const russianPdf = pdfOf(russian);
    expect(pdfOf(arabic)).toContain('Samir Head');
    for (const heading of ['PRÉSENCES', 'ACTIONS PASSÉES EN REVUE', 'ORDRE DU JOUR', 'DÉCISIONS', 'PROCHAINE RÉUNION', 'VOS ACTIONS, Maëlle Head']) expect(frenchPdf).toContain(heading);
    for (const heading of ['ПРИСУТСТВИЕ', 'РАССМОТРЕННЫЕ ПОРУЧЕНИЯ', 'ПОВЕСТКА', 'РЕШЕНИЯ', 'СЛЕДУЮЩАЯ ВСТРЕЧА', 'ВАШИ ПОРУЧЕНИЯ, Samir Head']) expect(russianPdf).toContain(heading);
    expect(frenchPdf).not.toContain('ПРИСУТСТВИЕ');
    expect(russianPdf).not.toContain('PRÉSENCES');
    for (const pdf of [frenchPdf, russianPdf]) {
      for (const typed of [TITLE, 'Обсудили план: продажи растут. Zażółć gęślą jaźń.', 'عائشة', DECISION, 'Η ομάδα συμφωνεί', ACTION, 'Итоги месяца', 'Samir Head', 'Maëlle Head']) expect(pdf).toContain(typed);
      expect(pdf).not.toMatch(/[¤„]/);
    }
    expect(frenchPdf).toContain(`${ACTION} | Maëlle Head | échéance le 15 déc. 2026 | en cours`);
    expect(russianPdf).toContain(`${ACTION} | Maëlle Head | срок 15 дек. 2026 г. | открыто`);
    expectNoMissingMessages(t.missingMessages());
  });

  it('keeps the API’s minutes and the series’ download in English (the contract)', async () => {
    const text = await t.as(org.salesHead.token).get(`/api/meetings/${meetingId}/minutes?format=text`);
    expect(text.text).toContain(`MINUTES: ${TITLE}`);
    const download = await t.as(org.salesHead.token).get(`/api/meeting-series/${seriesId}/calendar.ics`);
    expect(download.text).not.toContain('DESCRIPTION');
  });
});
