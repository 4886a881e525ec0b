import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Actor } from '../access/actor.js';
import type { BriefDetailView } from '../briefs/briefs.dto.js';
import type { CalendarView } from '../calendars/calendars.dto.js';
import type { ConnectionView, DeliveryView } from '../connections/connections.dto.js';
import { loadCatalogues, localesDirectory } from '../i18n/catalogues.js';
import { LOCALES, type Locale } from '../i18n/locales.js';
import { Translator } from '../i18n/translator.js';
import type { PersonView } from '../org/people.dto.js';
import { pageFrame, renderInLocale, strictRenderer, UntranslatedError } from '../../test/support/locale-rendering.js';
import { calendarFormValuesOf } from './admin/calendar-form.js';
import { presentCalendarForm, presentCalendarList } from './admin/calendar.view.js';
import { presentDepartmentForm, presentDepartmentList } from './admin/department.view.js';
import { personValuesOf } from './admin/person-form.js';
import { blankTokenSection, presentPeopleList, presentPersonForm } from './admin/person.view.js';
import { formValuesOf } from './briefs/brief-form.js';
import { missingFields, presentDetail as presentBriefDetail, presentForm as presentBriefForm, presentList as presentBriefList, type BriefDirectory } from './briefs/brief.view.js';
import { connectionValuesOf } from './connections/connection-form.js';
import { sampleFor } from './connections/connection-samples.js';
import { presentDeliveries, presentDelivery, presentDetail as presentConnectionDetail, presentForm as presentConnectionForm, presentList as presentConnectionList } from './connections/connection.view.js';
import { Directory } from './directory.js';
import { presentUndelivered } from './outbox/undelivered.view.js';
import type { Say } from './say.js';

/**
 * Area G4 of issue 15 (admin, briefs, connections, the undelivered emails, the sign-in link email)
 * in every language: each page built by its own presenter and rendered strictly, so a key a
 * language lacks, a raw id, or a sentence left in English fails. The presenters' messages go
 * through a translator that throws on a miss.
 */

const strict = new Translator(loadCatalogues(), 'throw');
const sayIn = (locale: Locale): Say => (key, values) => strict.t(locale, key, values);

const ZONE = 'Europe/Kyiv';
const NOW = '2026-11-02T08:00:00.000Z';
const admin: Actor = { personId: 'p-olena', email: 'olena@example.com', role: 'admin', departmentId: null, tokenId: 'session:test', scope: 'full' };
const head: Actor = { personId: 'p-maelle', email: 'maelle@example.com', role: 'head', departmentId: 'd-marketing', tokenId: 'session:test', scope: 'full' };

const directory: BriefDirectory = new Directory(
  [
    { id: 'p-maelle', name: 'Maëlle', departmentId: 'd-marketing' },
    { id: 'p-samir', name: 'Samir', departmentId: 'd-sales' },
  ],
  [
    { id: 'd-marketing', name: 'Marketing', timezone: 'Europe/Paris' },
    { id: 'd-sales', name: 'Sales', timezone: 'Europe/Kyiv' },
  ],
);

const person = (extra: Partial<PersonView> = {}): PersonView => ({
  id: 'p-samir', name: 'Samir', email: 'samir@example.com', departmentId: 'd-sales', role: 'head', timezone: ZONE, locale: null, active: true, createdAt: NOW, updatedAt: NOW, ...extra,
});

const calendar: CalendarView = {
  id: 'c-kyiv', name: 'Kyiv office', timezone: ZONE, hours: { mon: [['09:00', '13:00'], ['14:00', '18:00']], fri: [['09:00', '17:00']] },
  holidays: ['2026-12-25'], holidayPreset: 'RU', breaks: { '2026-12-31': [['14:00', '18:00']] }, dates: { '2027-01-09': [['10:00', '14:00']] }, officialYears: [], version: 1, createdAt: NOW, updatedAt: NOW,
};

const brief = (extra: Partial<BriefDetailView> = {}): BriefDetailView => ({
  id: 'b1', title: 'Spring launch', status: 'submitted', requesterDepartmentId: 'd-marketing', recipientDepartmentId: 'd-sales',
  content: {
    background: 'No demand yet.', vision: 'Calls within a week.', keyMessage: 'Downtime costs more.', audience: { primary: 'IT directors', secondary: 'Procurement' },
    goals: [{ goal: 'Fill the pipeline', target: '120 SQL' }], deliverables: ['Call script'], channels: ['phone'], outOfScope: 'Ads', mandatoryElements: 'Logo',
    deadline: '2026-12-15', milestones: [{ name: 'Draft', date: '2026-11-20' }], budget: { amount: 15000, currency: 'EUR', approved: false },
    successMetrics: [{ metric: 'Meetings', target: '40' }], stakeholders: ['Head of product'], approverId: 'p-samir', links: ['https://wiki.example.com/spring'],
  },
  createdBy: 'p-maelle', createdAt: NOW, updatedAt: NOW, submittedAt: NOW,
  thread: [
    { id: 'e1', kind: 'step', authorId: 'p-maelle', at: NOW, body: null, fromStatus: 'draft', toStatus: 'submitted' },
    { id: 'e2', kind: 'comment', authorId: 'p-samir', at: NOW, body: 'Which segment first?', fromStatus: null, toStatus: null },
  ],
  ...extra,
} as BriefDetailView);

const connection = (extra: Partial<ConnectionView> = {}): ConnectionView => ({
  id: 'c-1', name: 'amoCRM sales', kind: 'amocrm', departmentId: 'd-sales', subjectPrefix: 'amo-',
  rules: [
    { on: { object: 'lead', property: 'status_id', to: ['142', '143'] }, emit: 'lead.closed' },
    { on: { object: 'lead', property: 'status_id', to: '142', from: '100' }, emit: 'lead.won' },
  ],
  attributes: { score: 'price' }, settings: { user: 'concord' }, webhookUrl: 'https://concord.example.com/hooks/c-1/<secret>', createdAt: NOW, updatedAt: NOW, ...extra,
});

const delivery: DeliveryView = {
  id: 'dl-1', connectionId: 'c-1', receivedAt: NOW, processedAt: NOW, outcome: 'accepted', reason: null, method: 'POST', url: '/hooks/c-1/x',
  headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'leads[status][0][id]=1', bodyEncoding: 'utf8', eventIds: ['ev-1'], attempts: 1, retryAt: null,
} as unknown as DeliveryView;

/** Every page of the area, as its controller shows it, in a language. */
function pages(locale: Locale): [string, string, Record<string, unknown>][] {
  const say = sayIn(locale);
  const page = pageFrame(locale, { person: { id: 'p-olena', name: 'Олена', email: 'olena@example.com', timezone: ZONE, locale, role: 'admin', departmentId: null } });
  const tokens = [
    { id: 't1', personId: 'p-samir', name: 'CRM sync', scope: 'events:write', prefix: 'cnc_Xy12ab', createdAt: NOW, lastUsedAt: NOW, revokedAt: null },
    { id: 't2', personId: 'p-samir', name: 'Laptop', scope: 'full', prefix: 'cnc_Ab34cd', createdAt: NOW, lastUsedAt: null, revokedAt: NOW },
  ];
  const issued = { ...blankTokenSection(), issued: { id: 't3', personId: 'p-samir', name: 'New', scope: 'full', prefix: 'cnc_new', createdAt: NOW, lastUsedAt: null, revokedAt: null, token: 'cnc_secret' } };
  const failed = [{ id: 'n1', kind: 'breach-alert', subject: 'Нарушение SLA', recipientEmail: 'samir@example.com', attempts: 5, lastError: '421 try later', createdAt: NOW }];
  const summary = { total: 5, byOutcome: { accepted: 3, rejected: 2 }, last: { receivedAt: NOW, outcome: 'rejected' as const } };
  const testResult = { ok: true, reason: null, changes: 2, notes: [], events: [{ type: 'lead.won', subject: 'amo-1', occurredAt: NOW, key: 'k1', attributes: { score: null } }] };
  return [
    ['people', 'pages/admin/people.html', { page, ...presentPeopleList({ values: { departmentId: '', role: '' }, errors: null, page: { items: [person(), person({ id: 'p-x', name: 'Sofia', role: 'member', active: false, departmentId: null })], total: 2 }, directory, say }) }],
    ['new person', 'pages/admin/person-form.html', { page, ...presentPersonForm({ actor: admin, person: null, values: personValuesOf(person()), errors: { email: ['email must be an email'] }, departments: [...directory.departments], tokens: [], tokenSection: blankTokenSection(), zone: ZONE, say }) }],
    ['a person and their tokens', 'pages/admin/person-form.html', { page, ...presentPersonForm({ actor: admin, person: person(), values: personValuesOf(person()), errors: null, departments: [...directory.departments], tokens: tokens as never, tokenSection: issued as never, zone: ZONE, say }) }],
    ['yourself', 'pages/admin/person-form.html', { page, ...presentPersonForm({ actor: { ...admin, personId: 'p-samir' }, person: person(), values: personValuesOf(person()), errors: null, departments: [], tokens: [], tokenSection: blankTokenSection(), zone: ZONE, say }) }],
    ['departments', 'pages/admin/departments.html', { page, ...presentDepartmentList({ page: { items: [{ id: 'd-sales', name: 'Sales', slug: 'sales', timezone: ZONE, calendarId: 'c-kyiv', headId: 'p-samir' }, { id: 'd-x', name: 'Legal', slug: 'legal', timezone: ZONE, calendarId: null, headId: null }] as never, total: 2 }, calendars: [calendar], directory }) }],
    ['new department', 'pages/admin/department-form.html', { page, ...presentDepartmentForm({ department: null, values: { name: '', slug: '', timezone: '', calendarId: '' }, errors: null, calendars: [calendar], head: null, members: null, say }) }],
    ['a department', 'pages/admin/department-form.html', { page, ...presentDepartmentForm({ department: { id: 'd-sales', name: 'Sales' } as never, values: { name: 'Sales', slug: 'sales', timezone: ZONE, calendarId: '' }, errors: { form: ['department sales still has 3 people; move or delete them first'] }, calendars: [calendar], head: { id: 'p-samir', name: 'Samir' }, members: { total: 3 }, say }) }],
    ['a department without head', 'pages/admin/department-form.html', { page, ...presentDepartmentForm({ department: { id: 'd-x', name: 'Legal' } as never, values: { name: 'Legal', slug: 'legal', timezone: ZONE, calendarId: '' }, errors: null, calendars: [], head: null, members: { total: 1 }, say }) }],
    ['calendars', 'pages/admin/calendars.html', { page, ...presentCalendarList({ page: { items: [calendar, { ...calendar, id: 'c-2', holidayPreset: null, holidays: [] }], total: 2 }, departments: [{ name: 'Sales', calendarId: 'c-kyiv' }], say }) }],
    ['new calendar', 'pages/admin/calendar-form.html', { page, ...presentCalendarForm({ calendar: null, values: calendarFormValuesOf(calendar), errors: null, upload: { workdayAs: 'mon' }, preview: null, zone: ZONE, say }) }],
    ['a calendar with its preview', 'pages/admin/calendar-form.html', { page, ...presentCalendarForm({ calendar, values: calendarFormValuesOf(calendar), errors: { file: ['the file is empty'] }, upload: { workdayAs: 'fri' }, preview: { from: NOW, due: NOW, problem: null }, zone: ZONE, say }) }],
    ['a calendar that cannot be previewed', 'pages/admin/calendar-form.html', { page, ...presentCalendarForm({ calendar, values: calendarFormValuesOf(calendar), errors: null, upload: { workdayAs: 'mon' }, preview: { from: NOW, due: null, problem: 'never open' }, zone: ZONE, say }) }],
    ['undelivered emails, for an admin', 'pages/undelivered.html', { page, ...presentUndelivered(admin, { items: failed as never, total: 3 }, ZONE) }],
    ['undelivered emails, for a head', 'pages/undelivered.html', { page, ...presentUndelivered(head, { items: [], total: 0 }, ZONE) }],
    ['briefs', 'pages/briefs/list.html', { page, ...presentBriefList({ typed: '', errors: null, sections: [{ id: 'filed', heading: say('briefs.list.filedBy', { department: 'Marketing' }), page: { items: [brief()], total: 3 } }, { id: 'received', heading: say('briefs.list.receivedBy', { department: 'Marketing' }), page: { items: [], total: 0 } }], directory, zone: ZONE, limit: 1, say }) }],
    ['briefs in a status', 'pages/briefs/list.html', { page, ...presentBriefList({ typed: 'done', errors: null, sections: [{ id: 'all', heading: say('briefs.list.all'), page: { items: [], total: 0 } }], directory, zone: ZONE, limit: 50, say }) }],
    ['new brief', 'pages/briefs/form.html', { page, ...presentBriefForm({ actor: admin, brief: null, values: formValuesOf({ requesterDepartmentId: null, content: {} }), errors: null, missing: null, directory, say }) }],
    ['a returned brief', 'pages/briefs/form.html', { page, ...presentBriefForm({ actor: head, brief: brief({ status: 'returned', thread: [{ id: 'e3', kind: 'step', authorId: 'p-samir', at: NOW, body: 'Too broad', fromStatus: 'submitted', toStatus: 'returned' }] } as never), values: formValuesOf(brief()), errors: null, missing: missingFields({ content: {} }, '2026-11-02', say), directory, say }) }],
    ['a brief ready to submit', 'pages/briefs/form.html', { page, ...presentBriefForm({ actor: head, brief: brief({ status: 'draft' }), values: formValuesOf(brief()), errors: null, missing: [], directory, say }) }],
    ['a brief to accept', 'pages/briefs/detail.html', { page, ...presentBriefDetail({ actor: { ...head, personId: 'p-samir', departmentId: 'd-sales' }, brief: brief(), directory, missing: null, forms: {}, zone: ZONE, say }) }],
    ['a draft brief', 'pages/briefs/detail.html', { page, ...presentBriefDetail({ actor: head, brief: brief({ status: 'draft', submittedAt: null, content: { budget: { approved: true } } } as never), directory, missing: missingFields({ content: {} }, '2026-11-02', say), forms: {}, zone: ZONE, say }) }],
    ['connections', 'pages/connections/list.html', { page, ...presentConnectionList({ connections: [connection(), connection({ id: 'c-2', kind: 'webhook', departmentId: null })], summaries: new Map([['c-1', summary]]), directory, zone: ZONE, say }) }],
    ['new connection', 'pages/connections/form.html', { page, ...presentConnectionForm({ connection: null, values: connectionValuesOf(connection()), errors: null, eventTypes: [{ type: 'lead.won', count: 3 }, { type: 'lead.lost', count: 0 }], admin: true, directory, say }) }],
    ['a connection to edit', 'pages/connections/form.html', { page, ...presentConnectionForm({ connection: connection(), values: connectionValuesOf(connection()), errors: { form: ['connection c-1 does not exist'] }, eventTypes: [], admin: false, directory, say }) }],
    ['a connection just created, tested', 'pages/connections/detail.html', { page, ...presentConnectionDetail({ connection: connection(), directory, summary, zone: ZONE, sample: sampleFor('amocrm', connection().rules, new Date(NOW)), test: { values: { body: 'x', contentType: 'text/xml' }, result: testResult as never, errors: null }, created: { secret: 's3cret', webhookUrl: 'https://concord.example.com/hooks/c-1/s3cret', warnings: ['lead.won is used by nothing'] }, unseenTypes: ['lead.won'], say }) }],
    ['a connection whose test produced nothing', 'pages/connections/detail.html', { page, ...presentConnectionDetail({ connection: connection({ rules: [], attributes: {}, settings: {}, departmentId: null, subjectPrefix: null as never }), directory, summary: { total: 0, byOutcome: {}, last: null }, zone: ZONE, sample: sampleFor('amocrm', [], new Date(NOW)), test: { values: { body: 'x', contentType: 'text/xml' }, result: { ok: true, reason: 'no rule matched', changes: 0, notes: ['a note'], events: [] } as never, errors: null }, created: null, say }) }],
    ['a connection whose sample could not be read', 'pages/connections/detail.html', { page, ...presentConnectionDetail({ connection: connection(), directory, summary, zone: ZONE, sample: sampleFor('amocrm', [], new Date(NOW)), test: { values: { body: 'x', contentType: 'text/xml' }, result: { ok: false, reason: 'not XML', changes: 0, notes: [], events: [] } as never, errors: null }, created: null, say }) }],
    ['deliveries', 'pages/connections/deliveries.html', { page, ...presentDeliveries({ connection: connection(), page: { items: [delivery, { ...delivery, id: 'dl-2', bodyEncoding: 'base64', outcome: 'rejected', reason: 'bad signature' } as DeliveryView], total: 120 }, values: { outcome: '', from: '', to: '' }, errors: null, offset: 50, zone: ZONE, say }) }],
    ['no deliveries', 'pages/connections/deliveries.html', { page, ...presentDeliveries({ connection: connection(), page: { items: [], total: 0 }, values: { outcome: 'failed', from: '', to: '' }, errors: null, offset: 0, zone: ZONE, say }) }],
    ['a delivery', 'pages/connections/delivery.html', { page, ...presentDelivery({ connection: connection(), delivery, zone: ZONE, say }) }],
    ['a delivery not processed', 'pages/connections/delivery.html', { page, ...presentDelivery({ connection: connection(), delivery: { ...delivery, processedAt: null, eventIds: [], headers: {}, bodyEncoding: 'base64' } as DeliveryView, zone: ZONE, say }) }],
  ];
}

function email(locale: Locale, part: 'html' | 'text'): string {
  const recipient = { name: 'Samir', email: 'samir@example.com', timezone: ZONE, locale };
  return renderInLocale(`emails/sign-in-link.${part}`, { title: strict.t(locale, 'signInEmail.title'), recipient, url: 'https://concord.example.com/sign-in/link?t=x', expiresAt: NOW, minutes: 15 }, locale);
}

/** The sentences a reader sees in <main>, tags and fixture data aside: what must not stay English. */
function sentences(html: string): string[] {
  const main = /<main[^>]*>([\s\S]*)<\/main>/.exec(html)?.[1] ?? html;
  return main
    .replace(/<(script|style|pre|code|textarea)[\s\S]*?<\/\1>/g, ' ')
    .split(/<[^>]+>|\n/)
    .map((text) => text.replace(/&[a-z#0-9]+;/gi, ' ').replace(/\s+/g, ' ').trim())
    .filter((text) => /[A-Za-z]{3,} [A-Za-z]{3,}/.test(text));
}

/** English sentences the other languages keep on purpose: data of the fixtures, CRM vocabulary, examples. */
const KEPT = [/amoCRM sales|No demand yet|421 try later|email must be an email|Spring launch|Fill the pipeline|Which segment|Too broad|Calls within|Downtime costs|IT directors|Head of product|Kyiv office|CRM sync|no rule matched|not XML|never open|bad signature|bad file|has people|lead\.won is used|a note|Call script/, /\(status_id\)|status_id/];

/** The English page's sentences this page shows unchanged: ones its template or presenter did not translate. */
function leftInEnglish(english: string[], html: string): string[] {
  const own = new Set(sentences(html));
  return english.filter((sentence) => own.has(sentence) && !KEPT.some((kept) => kept.test(sentence)));
}

describe('area G4 pages in every language', () => {
  const englishSentences = new Map(pages('en').map(([name, template, context]) => [name, sentences(renderInLocale(template, context, 'en'))]));

  for (const locale of LOCALES) {
    describe(locale, () => {
      it.each(pages(locale).map(([name, template, context]) => [name, template, context] as const))('renders %s with every message in the language', (name, template, context) => {
        const html = renderInLocale(template, context, locale);
        expect(html).toContain(`<html lang="${locale}" dir="${locale === 'ar' ? 'rtl' : 'ltr'}">`);
        expect(html).not.toMatch(/\{\{|\}\}/);
        if (locale === 'en') return;
        expect(leftInEnglish(englishSentences.get(name) ?? [], html)).toEqual([]);
      });

      it('writes the sign-in link email, html and text', () => {
        const html = email(locale, 'html');
        const text = email(locale, 'text');
        expect(html).toContain('https://concord.example.com/sign-in/link?t&#x3D;x');
        expect(text).toContain('https://concord.example.com/sign-in/link?t=x');
        if (locale !== 'en') expect(text).not.toContain('here is your link');
      });
    });
  }

  it('reads each page in the language’s own words', () => {
    const [, people, context] = pages('ru')[0];
    expect(renderInLocale(people, context, 'ru')).toMatch(/<h1>Сотрудники<\/h1>[\s\S]*2 из 2 сотрудников[\s\S]*<td>руководитель<\/td>/);
    const [, , french] = pages('fr').find(([name]) => name === 'a connection just created, tested')!;
    expect(renderInLocale('pages/connections/detail.html', french, 'fr')).toContain('Quand le champ Status (status_id) d’un objet lead amoCRM devient 142 (won) ou 143 (lost) → lead.closed');
    const [, , ukrainian] = pages('uk').find(([name]) => name === 'a calendar with its preview')!;
    expect(renderInLocale('pages/admin/calendar-form.html', ukrainian, 'uk')).toContain('<legend>Понеділок</legend>');
    const [, , arabic] = pages('ar').find(([name]) => name === 'a brief to accept')!;
    const brief = renderInLocale('pages/briefs/detail.html', arabic, 'ar');
    expect(brief).toContain('علّق <strong><bdi>Samir</bdi></strong>');
    expect(email('uk', 'text')).toContain('протягом 15 хвилин');
    expect(email('ar', 'html')).toContain('<bdi>Samir</bdi>');
  });

  it('keeps English pages as they were', () => {
    const [, people, context] = pages('en')[0];
    const html = renderInLocale(people, context, 'en');
    expect(html).toContain('<p class="muted" role="status">2 of 2 person(s).</p>');
    expect(html).toContain('<td>head</td>');
    const [, , brief] = pages('en').find(([name]) => name === 'a brief ready to submit')!;
    expect(renderInLocale('pages/briefs/form.html', brief, 'en')).toContain('Fields marked <span class="required">*</span> are needed to submit.');
    expect(email('en', 'text')).toMatch(/^Samir, here is your link to sign in to Concord\. It works once, for 15 minutes:/);
  });

  it('fails on a page left in English or a key a language lacks (so the checks above can fail)', () => {
    const [, people, context] = pages('ru')[0];
    const [, calendarForm, calendarContext] = pages('ru').find(([name]) => name === 'a calendar with its preview')!;
    const { renderer } = strictRenderer();
    // The page built for Russian, rendered as if English: every sentence the check compares is there to be found.
    const english = renderer.render(calendarForm, { ...calendarContext, locale: 'en' });
    expect(sentences(english).length).toBeGreaterThan(10);
    expect(() => sayIn('ru')('admin.people.nowhere')).toThrow();
    expect(() => renderInLocale('pages/admin/people.html', { ...context, shown: 1, total: 1, people: [] }, 'ru')).not.toThrow();
    const { catalogues } = strict;
    const lacking = new Translator({ ...catalogues, ru: Object.fromEntries(Object.entries(catalogues.ru).filter(([key]) => key !== 'admin.people.title')) }, 'throw');
    expect(() => lacking.t('ru', 'admin.people.title')).toThrow();
    // A presenter left in English (its options), and a raw key where a label was meant.
    const englishOptions = presentPeopleList({ values: { departmentId: '', role: '' }, errors: null, page: { items: [person()], total: 1 }, directory });
    const html = renderInLocale(people, { ...context, ...englishOptions }, 'ru');
    expect(leftInEnglish(englishSentences.get('people') ?? [], html)).toEqual(['All departments', 'All roles']);
    expect(() => renderInLocale(people, { ...context, people: [{ ...person(), roleLabel: 'admin.role.head', department: null }] }, 'ru')).toThrow(UntranslatedError);
  });

  it('has the area files in every language, with the glossary section of the area', () => {
    for (const locale of LOCALES) {
      for (const area of ['admin', 'briefs', 'cli', 'connections', 'outbox', 'sign-in-email']) expect(Object.keys(JSON.parse(readFileSync(join(localesDirectory(), locale, `${area}.json`), 'utf8'))).length).toBeGreaterThan(0);
      if (locale !== 'en') expect(readFileSync(join(localesDirectory(), locale, 'GLOSSARY.md'), 'utf8')).toMatch(/\n## [^\n]*G4/);
    }
  });
});
