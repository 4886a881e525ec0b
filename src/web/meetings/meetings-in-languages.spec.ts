import type { Actor } from '../../access/actor.js';
import { loadCatalogues } from '../../i18n/catalogues.js';
import { LOCALES, type Locale } from '../../i18n/locales.js';
import { Translator } from '../../i18n/translator.js';
import { registerMeetingHelpers } from '../../meetings/meeting-helpers.js';
import type { MeetingView, OutcomeView } from '../../meetings/meeting-room.dto.js';
import type { MinutesModel } from '../../meetings/minutes.model.js';
import type { MeetingSummary, ParticipantView, SeriesView } from '../../meetings/meetings.dto.js';
import { renderInLocale, strictRenderer, UntranslatedError } from '../../../test/support/locale-rendering.js';
import { Directory } from '../directory.js';
import { presentList, presentMinutes, presentRoom } from './meeting-pages.view.js';
import { blankSeriesForm, seriesFormChoices } from './series-form.js';
import type { Say } from './meeting-room.view.js';

/**
 * Every template of the meetings area (the list, the room, the minutes page, the minutes in HTML
 * and text, the invitation and the action-item reminder) rendered in each language, strictly: a
 * key the language lacks, a raw id, an English text node left in the page or (in Cyrillic and
 * Arabic) a Latin word that is not what people typed fails.
 */

strictRenderer().renderer.addHelpers(registerMeetingHelpers);
/** The views' labels come from the catalogues too, through a translator that throws on a miss. */
const throwing = new Translator(loadCatalogues(), 'throw');
const sayIn = (locale: Locale): Say => (key, values) => throwing.t(locale, key, values);

const MARKETING = 'dep-marketing';
const SALES = 'dep-sales';
const ZONE = 'Europe/Paris';
/** What people typed: kept as typed in every language, so left out of the checks for English left behind. */
const TYPED = ['Marketing & Sales weekly', 'Pipeline review', 'Went well', 'Room 4', 'Call the hot leads', 'Spring campaign', 'Sales has capacity', 'Lead rota', 'Maëlle', 'Samir', 'Chloé', 'Otto', 'Ines', 'Marketing', 'Sales', 'Web form', 'L-42', 'Public holiday', 'Trade show brief', 'Needs budget', 'submitted', 'MQL', 'SQL', 'https://concord.example.com/api/meeting-series/s1/calendar.ics', 'samir@example.com'];
/** Words any language writes in Latin letters here: the product, zones, formats. */
const LATIN_ALLOWED = new Set(['Concord', 'Europe', 'Paris', 'Moscow', 'PDF', 'KPI', 'https', 'example', 'com', 'concord', 'meetings', 'api', 'meeting', 'series', 'calendar', 'ics']);

const person = (id: string, name: string) => ({ id, name, email: `${id}@example.com`, departmentId: null });
const participant = (personId: string, name: string, role: ParticipantView['role'], departmentId: string | null = null): ParticipantView => ({
  personId,
  name,
  email: `${personId}@example.com`,
  departmentId,
  role,
  delegateId: null,
});
const outcome = (id: string, type: OutcomeView['type'], agendaItemId: string | null, extra: Partial<OutcomeView> = {}): OutcomeView => ({
  id,
  meetingId: 'm1',
  agendaItemId,
  type,
  text: type === 'action' ? 'Call the hot leads' : 'Spring campaign',
  rationale: type === 'decision' ? 'Sales has capacity' : null,
  owner: type === 'information' ? null : person('p-samir', 'Samir'),
  dueOn: type === 'action' ? '2026-11-20' : null,
  status: type === 'action' ? 'open' : 'recorded',
  overdue: type === 'action',
  ...extra,
});

function summary(id: string, startsAt: string, extra: Partial<MeetingSummary> = {}): MeetingSummary {
  return {
    id,
    seriesId: 's1',
    title: 'Marketing & Sales weekly',
    occurrenceStart: startsAt,
    startsAt,
    endsAt: new Date(Date.parse(startsAt) + 3_600_000).toISOString(),
    localStart: '2026-11-09T10:00',
    status: 'scheduled',
    moved: false,
    quorumMet: null,
    minutesStatus: 'none',
    minutesRevision: 0,
    closedDay: false,
    closedReason: null,
    calendarChange: null,
    ...extra,
  };
}

const series = (extra: Partial<SeriesView> = {}): SeriesView => ({
  id: 's1',
  title: 'Marketing & Sales weekly',
  departmentIds: [MARKETING, SALES],
  timezone: ZONE,
  startsOn: '2026-11-02T10:00',
  rrule: 'FREQ=WEEKLY;BYDAY=MO',
  durationMinutes: 60,
  location: 'Room 4',
  agendaTemplate: [],
  quorum: { rule: 'heads' },
  chairId: 'p-chair',
  minuteTakerId: 'p-maelle',
  calendarId: null,
  onClosedDay: 'keep',
  sequence: 0,
  status: 'active',
  participants: [participant('p-maelle', 'Maëlle', 'required', MARKETING), participant('p-samir', 'Samir', 'required', SALES), participant('p-info', 'Ines', 'informed')],
  meetings: [
    summary('m0', '2026-11-02T09:00:00.000Z', { status: 'held', quorumMet: false, minutesStatus: 'approved', minutesRevision: 2 }),
    summary('m1', '2026-11-09T09:00:00.000Z', { moved: true, closedDay: true, closedReason: 'Public holiday' }),
    summary('m2', '2026-11-16T09:00:00.000Z', { calendarChange: 'moved', closedReason: null, minutesStatus: 'final', minutesRevision: 1 }),
    summary('m3', '2026-11-23T09:00:00.000Z', { status: 'cancelled', calendarChange: 'skipped', minutesStatus: 'draft' }),
  ],
  ...extra,
});

/** A meeting with an agenda item of every source, every kind of outcome, attendance and revisions. */
const meeting = (extra: Partial<MeetingView> = {}): MeetingView => ({
  ...summary('m1', '2026-11-09T09:00:00.000Z', { status: 'held', quorumMet: true, minutesStatus: 'draft', minutesRevision: 2, closedDay: true, closedReason: 'Public holiday', moved: true }),
  agenda: [
    { id: 'i1', position: 1, source: 'template', title: 'Pipeline review', details: null, notes: 'Went well' },
    {
      id: 'i2',
      position: 2,
      source: 'breaches',
      title: 'Pipeline review',
      details: {
        breaches: [
          { id: 'b1', subject: 'L-42', dueAt: '2026-11-03T10:00:00.000Z', owner: 'Samir', explained: false, cause: null, correctiveAction: null },
          { id: 'b2', subject: 'L-42', dueAt: '2026-11-03T10:00:00.000Z', owner: null, explained: true, cause: 'Went well', correctiveAction: 'Lead rota', reviewStatus: 'accepted' },
          { id: 'b3', subject: 'L-42', dueAt: '2026-11-03T10:00:00.000Z', owner: 'Samir', explained: true, cause: 'Went well', correctiveAction: null, reviewStatus: 'disputed' },
        ],
      },
      notes: null,
    },
    { id: 'i3', position: 3, source: 'quotas', title: 'Pipeline review', details: { periods: [{ label: '2026-11', count: 12, minimum: 20, status: 'open', projected: 18 }, { label: '2026-10', count: 25, minimum: 20, status: 'met', projected: null }], onTrack: false }, notes: null },
    { id: 'i4', position: 4, source: 'kpis', title: 'Pipeline review', details: { fromStage: 'MQL', toStage: 'SQL', periods: [{ label: '2026-11', cohort: 40, converted: 18, percent: 45, minimumPercent: 50, status: 'missed', projected: 47.5, onTrack: false }] }, notes: null },
    { id: 'i5', position: 5, source: 'actions', title: 'Pipeline review', details: { message: { key: 'meetings.agendaTitle.actions', values: { count: 1 } }, actions: [{ id: 'a1', text: 'Call the hot leads', owner: 'Samir', dueOn: '2026-11-01', overdue: true }] }, notes: null },
    { id: 'i6', position: 6, source: 'briefs', title: 'Pipeline review', details: { briefs: [{ id: 'br1', title: 'Trade show brief', status: 'submitted', lastStep: 'submitted', at: '2026-11-05T10:00:00.000Z', comment: 'Needs budget' }] }, notes: null },
    { id: 'i7', position: 7, source: 'manual', title: 'Pipeline review', details: null, notes: null },
  ],
  attendance: [
    { person: person('p-maelle', 'Maëlle'), status: 'present', delegateFor: null },
    { person: person('p-samir', 'Samir'), status: 'excused', delegateFor: null },
    { person: person('p-outsider', 'Otto'), status: 'delegate', delegateFor: person('p-samir', 'Samir') },
  ],
  outcomes: [outcome('o1', 'decision', 'i1'), outcome('o2', 'action', 'i1'), outcome('o3', 'information', null), outcome('o4', 'action', null, { status: 'done', overdue: false })],
  revisions: [{ revision: 1, status: 'approved', finalizedAt: '2026-11-09T11:00:00.000Z', approvedAt: '2026-11-09T12:00:00.000Z', approvedBy: [MARKETING, SALES] }],
  ...extra,
});

const directory = new Directory(
  [
    { id: 'p-chair', name: 'Chloé' },
    { id: 'p-maelle', name: 'Maëlle' },
    { id: 'p-outsider', name: 'Otto' },
    { id: 'p-samir', name: 'Samir' },
  ],
  [
    { id: MARKETING, name: 'Marketing' },
    { id: SALES, name: 'Sales' },
  ],
);
const chair: Actor = { personId: 'p-chair', email: 'chair@example.com', role: 'head', departmentId: MARKETING, tokenId: 'session:test', scope: 'full' };
const reader: Actor = { personId: 'p-info', email: 'info@example.com', role: 'member', departmentId: SALES, tokenId: 'session:test', scope: 'full' };

/** The minutes as stored: a model with something in every section. */
const MINUTES: MinutesModel = {
  series: { id: 's1', title: 'Marketing & Sales weekly', timezone: ZONE, location: 'Room 4' },
  meeting: { id: 'm1', startsAt: '2026-11-09T09:00:00.000Z', endsAt: '2026-11-09T10:00:00.000Z', localDate: 'Monday 9 November 2026', localTime: '10:00', status: 'held', quorumMet: false },
  chair: person('p-chair', 'Chloé'),
  minuteTaker: null,
  status: 'approved',
  revision: 1,
  attendance: {
    invited: [person('p-maelle', 'Maëlle'), person('p-samir', 'Samir')],
    present: [person('p-maelle', 'Maëlle')],
    absent: [],
    excused: [person('p-samir', 'Samir')],
    delegates: [{ person: person('p-outsider', 'Otto'), for: person('p-samir', 'Samir') }],
    informed: [person('p-info', 'Ines')],
  },
  previousActions: [outcome('o0', 'action', null), outcome('o5', 'action', null, { owner: null, overdue: false, status: 'dropped' })],
  agenda: [{ position: 1, title: 'Pipeline review', source: 'template', notes: 'Went well', outcomes: [outcome('o1', 'decision', 'i1'), outcome('o2', 'action', 'i1'), outcome('o6', 'action', 'i1', { dueOn: null })] }],
  decisions: [outcome('o1', 'decision', 'i1')],
  actions: [outcome('o2', 'action', 'i1')],
  information: [outcome('o3', 'information', null)],
  nextMeeting: { startsAt: '2026-11-16T09:00:00.000Z', localDate: 'Monday 16 November 2026', localTime: '10:00' },
  approvals: [{ person: person('p-chair', 'Chloé'), department: 'Marketing' }, { person: null, department: 'Sales' }].map((approval) => ({ ...approval, at: '2026-11-09T12:00:00.000Z' })),
};
const recipient = (locale: Locale) => ({ name: 'Samir', email: 'samir@example.com', timezone: 'Europe/Paris', locale });

/** The text a reader sees: tags and entities gone, what people typed taken out. */
function readerText(html: string): string {
  let text = html
    .replace(/<(script|style|title)[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]+>/g, '\n')
    .replace(/&amp;/g, '&')
    .replace(/&[a-z#0-9]+;/gi, ' ');
  for (const typed of [...TYPED].sort((a, b) => b.length - a.length)) text = text.split(typed).join(' ');
  return text;
}

/** Text nodes of the English rendering that are still there, word for word, in another language's. */
function englishLeft(english: string, other: string): string[] {
  const nodes = (html: string) => readerText(html).split('\n').map((node) => node.trim()).filter((node) => /[A-Za-z]{3,}/.test(node));
  const kept = new Set(nodes(other));
  // The same word in French and English is no miss: "Action", "Minimum", "Information", "Briefs".
  const same = new Set(['Action', 'Minimum', 'Information', 'Briefs', 'Brief', 'information', 'action', 'Concord', 'Participants', 'Quorum']);
  return [...new Set(nodes(english))].filter((node) => kept.has(node) && !same.has(node));
}

/** Latin words in a Cyrillic or Arabic rendering that are neither typed nor allowed. */
function latinWords(html: string): string[] {
  return [...readerText(html).matchAll(/[A-Za-z]{2,}/g)].map((match) => match[0]).filter((word) => !LATIN_ALLOWED.has(word) && !/^(T|Z)$/.test(word));
}

function checked(name: string, render: (locale: Locale) => string): void {
  const english = render('en');
  for (const locale of LOCALES.filter((one) => one !== 'en')) {
    it(`${name} in ${locale}`, () => {
      const output = render(locale);
      expect({ locale, englishLeft: englishLeft(english, output) }).toEqual({ locale, englishLeft: [] });
      if (locale !== 'fr') expect({ locale, latin: latinWords(output) }).toEqual({ locale, latin: [] });
    });
  }
}

describe('the meetings area in every language', () => {
  const now = new Date('2026-11-10T08:00:00.000Z');
  checked('the list of meetings', (locale) => renderInLocale('pages/meetings/list.html', presentList(chair, [series(), series({ id: 's2' })], now, ZONE, sayIn(locale), locale), locale));
  checked('the empty list of meetings', (locale) => renderInLocale('pages/meetings/list.html', presentList(reader, [], now, ZONE, sayIn(locale), locale), locale));
  checked('the meeting room, as its chair runs it', (locale) =>
    renderInLocale('pages/meetings/room.html', presentRoom({ actor: chair, meeting: meeting(), series: series(), directory, refused: null, zone: ZONE, say: sayIn(locale), locale }), locale),
  );
  checked('the meeting room to come, movable', (locale) =>
    renderInLocale(
      'pages/meetings/room.html',
      presentRoom({ actor: chair, meeting: meeting({ status: 'scheduled', minutesStatus: 'none', minutesRevision: 0, agenda: [], outcomes: [], attendance: [], revisions: [] }), series: series({ quorum: { rule: 'all-required' } }), directory, refused: null, zone: ZONE, say: sayIn(locale), locale }),
      locale,
    ),
  );
  for (const [status, revision] of [['final', 1], ['approved', 1], ['draft', 1], ['none', 0]] as const) {
    checked(`the meeting room as a participant reads it, minutes ${status}`, (locale) =>
      renderInLocale(
        'pages/meetings/room.html',
        presentRoom({ actor: reader, meeting: meeting({ minutesStatus: status, minutesRevision: revision, status: 'cancelled', quorumMet: false }), series: series(), directory, refused: null, zone: ZONE, say: sayIn(locale), locale }),
        locale,
      ),
    );
  }
  checked('the minutes page', (locale) => {
    const html = renderInLocale('minutes/minutes.html', { minutes: MINUTES, yourActions: null, recipient: null, zone: ZONE, dir: locale === 'ar' ? 'rtl' : 'ltr' }, locale);
    return renderInLocale('pages/meetings/minutes.html', presentMinutes({ actor: chair, meeting: meeting({ minutesStatus: 'final' }), series: series(), directory, html, revision: 1, errors: null }), locale);
  });
  checked('the minutes in HTML, with the reader’s actions', (locale) =>
    renderInLocale('minutes/minutes.html', { minutes: MINUTES, yourActions: MINUTES.actions, recipient: recipient(locale), zone: ZONE, dir: locale === 'ar' ? 'rtl' : 'ltr' }, locale),
  );
  checked('the minutes in text, with the reader’s actions', (locale) =>
    renderInLocale('minutes/minutes.text', { minutes: MINUTES, yourActions: MINUTES.actions, recipient: recipient(locale), zone: ZONE, dir: 'ltr' }, locale),
  );
  checked('empty minutes in text', (locale) =>
    renderInLocale(
      'minutes/minutes.text',
      { minutes: { ...MINUTES, previousActions: [], decisions: [], actions: [], information: [], nextMeeting: null, approvals: [], chair: null, series: { ...MINUTES.series, location: null } }, yourActions: null, recipient: null, zone: ZONE, dir: 'ltr' },
      locale,
    ),
  );
  checked('the form planning a series', (locale) => {
    const say = sayIn(locale);
    const values = blankSeriesForm([{ id: 'p-maelle', name: 'Maëlle' } as never, { id: 'p-samir', name: 'Samir' } as never], ['p-maelle'], [MARKETING], ZONE, 'p-maelle');
    return renderInLocale(
      'pages/meetings/series-form.html',
      {
        values,
        // Not errors: the error summary (form-fields) names fields by their path in every language.
        errors: null,
        problem: null,
        departments: [{ id: MARKETING, name: 'Marketing', controlId: 'f-departmentIds', checked: true }, { id: SALES, name: 'Sales', controlId: 'f-departmentIds-1', checked: false }],
        departmentError: say('meetings.seriesForm.departmentsHint'),
        departmentErrorId: 'f-departmentIds-error',
        participantRows: [
          { personIdName: 'participants[0][personId]', personId: 'p-maelle', roleField: 'participants[0].role', label: say('meetings.seriesForm.participantHead', { name: 'Maëlle', department: 'Marketing' }) },
          { personIdName: 'participants[1][personId]', personId: 'p-samir', roleField: 'participants[1].role', label: say('meetings.seriesForm.participantIn', { name: 'Samir', department: 'Sales' }) },
        ],
        ...seriesFormChoices(say),
        calendarOptions: [{ value: '', label: say('meetings.seriesForm.noCalendar') }],
        personOptions: [{ value: '', label: say('meetings.room.nobody') }, { value: 'p-samir', label: 'Samir' }],
      },
      locale,
    ).replace(/FREQ[^\s)]+|RFC 5545|DTSTART|RRULE|IANA|Europe\/(Moscow|Kyiv)|Asia\/Dubai/g, '');
  });
  const invitation = (locale: Locale, flags: { updated?: boolean; cancelled?: boolean; removed?: boolean }) => ({
    title: throwing.t(locale, 'meetings.invitation.subject', { title: 'Marketing & Sales weekly' }),
    dir: locale === 'ar' ? 'rtl' : 'ltr',
    recipient: recipient(locale),
    seriesTitle: 'Marketing & Sales weekly',
    organizer: 'Chloé',
    role: 'required',
    updated: false,
    cancelled: false,
    removed: false,
    ...flags,
    // What the composer works out (describeRule, or the catalogue's words): numbers only here.
    schedule: '10:00, 60',
    seriesZone: 'Europe/Moscow',
    location: 'Room 4',
    upcoming: [{ startsAt: '2026-11-16T09:00:00.000Z', moved: true }],
    calledOff: ['2026-11-23T09:00:00.000Z'],
    hasCalledOff: true,
    calendarUrl: 'https://concord.example.com/api/meeting-series/s1/calendar.ics',
  });
  for (const flags of [{}, { updated: true }, { cancelled: true }, { removed: true }]) {
    for (const part of ['html', 'text']) {
      checked(`the invitation ${JSON.stringify(flags)} in ${part}`, (locale) => renderInLocale(`emails/invitation.${part}`, invitation(locale, flags), locale));
    }
  }
  for (const overdue of [false, true]) {
    for (const part of ['html', 'text']) {
      checked(`the action-item reminder${overdue ? ' (overdue)' : ''} in ${part}`, (locale) =>
        renderInLocale(`emails/action-item.${part}`, { title: throwing.t(locale, 'meetings.action.titleDue'), dir: 'ltr', recipient: recipient(locale), overdue, text: 'Call the hot leads', dueOn: '2026-11-20', series: 'Marketing & Sales weekly' }, locale),
      );
    }
  }

  it('writes the room in each language’s own words, right to left in Arabic with names isolated', () => {
    const view = (locale: Locale) => presentRoom({ actor: chair, meeting: meeting(), series: series(), directory, refused: null, zone: ZONE, say: sayIn(locale), locale });
    expect(renderInLocale('pages/meetings/room.html', view('ru'), 'ru')).toContain('Пересобрать повестку по данным');
    expect(renderInLocale('pages/meetings/room.html', view('fr'), 'fr')).toContain('Arrêter le compte rendu');
    const arabic = renderInLocale('pages/meetings/room.html', view('ar'), 'ar');
    expect(arabic).toContain('<html lang="ar" dir="rtl">');
    expect(arabic).toContain('<bdi>Samir</bdi>');
    expect(renderInLocale('pages/meetings/room.html', view('en'), 'en')).not.toContain('<bdi>Samir</bdi>');
    // A generated item's title is said again in the reader's language; in English it is the stored title.
    expect(renderInLocale('pages/meetings/room.html', view('ru'), 'ru')).toContain('5. Перенесённые открытые поручения: 1');
    expect(arabic).toContain('5. <bdi>الإجراءات المفتوحة المُرحَّلة: 1</bdi>');
    expect(renderInLocale('pages/meetings/room.html', view('en'), 'en')).toContain('5. Pipeline review');
  });

  it('writes due dates as each language does, and keeps the English ISO day', () => {
    const text = (locale: Locale) => renderInLocale('emails/action-item.text', { title: 'x', dir: 'ltr', recipient: recipient(locale), overdue: false, text: 'Call', dueOn: '2026-11-20', series: 'S' }, locale);
    expect(text('en')).toContain('this action item is due on 2026-11-20:');
    expect(text('fr')).toContain('arrive à échéance le 20 nov. 2026');
    expect(text('ru')).toContain('20 нояб. 2026 г.');
  });

  it('fails on English left in a page (so the checks above can fail)', () => {
    const english = renderInLocale('pages/meetings/list.html', presentList(reader, [], now, ZONE), 'en');
    const untranslated = english.replace('<html lang="en" dir="ltr">', '<html lang="ru" dir="ltr">');
    expect(englishLeft(english, untranslated).length).toBeGreaterThan(0);
    expect(latinWords(untranslated).length).toBeGreaterThan(0);
    // A key where its message was meant shows raw: the strict render refuses it.
    const raw = presentRoom({ actor: reader, meeting: meeting(), series: series({ title: 'meetings.list.pageTitle' }), directory, refused: null, zone: ZONE, say: sayIn('ru'), locale: 'ru' });
    expect(() => renderInLocale('pages/meetings/room.html', raw, 'ru')).toThrow(UntranslatedError);
  });
});
