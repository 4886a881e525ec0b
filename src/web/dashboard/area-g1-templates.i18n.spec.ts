import type { Actor } from '../../access/actor.js';
import { loadCatalogues } from '../../i18n/catalogues.js';
import { LOCALES, type Locale } from '../../i18n/locales.js';
import type { BreachDetailView, BreachView } from '../../tracking/tracking.dto.js';
import { pageFrame, renderInLocale, strictRenderer, UntranslatedError } from '../../../test/support/locale-rendering.js';
import { readBreachFilters } from '../breaches/breach-filters.js';
import { detailTitle, presentDetail, presentList, type Translate } from '../breaches/breach.view.js';
import { Directory } from '../directory.js';
import { reportContext, ReportWords } from '../../reports/breach-report.view.js';
import type { BreachReport } from '../../reports/reports.dto.js';

/**
 * Issue 15, area G1: every template of the dashboard, the breach pages, the alert emails and the
 * email chrome, rendered in each language strictly (a key a language lacks, or a raw id, fails),
 * with values that are no English words, so any English left in a non-English render is a
 * template text that was not converted: that fails too.
 */


const ZONE = 'Europe/Paris';
const DEPT_A = 'dep-a';
const DEPT_B = 'dep-b';
const directory = new Directory(
  [
    { id: 'p-ola', name: 'Ola' },
    { id: 'p-ivo', name: 'Ivo' },
  ],
  [
    { id: DEPT_A, name: 'Alfa' },
    { id: DEPT_B, name: 'Beta' },
  ],
);

/** English words our templates used to hold; none may be left in another language's render. */
const ENGLISH_WORDS = 'the|of|and|due|late|short|met|breach|breaches|breached|agreement|agreements|explain|explained|explanation|owner|cause|review|period|quota|converted|funnel|source|leads?|meeting|none|nothing|running|paused|cancelled|clocks?|goal|sent|times|shown|started|details|subject|target|status|recorded|working';

/** What a reader sees: the text outside tags and the attributes people hear (aria-label, title). */
function readable(html: string): string {
  const attributes = [...html.matchAll(/(?:aria-label|title)="([^"]*)"/g)].map((match) => match[1]);
  const text = html
    .replace(/<style[\s\S]*?<\/style>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    // URLs and ISO instants are no words of any language.
    .replace(/https?:\/\/\S+/g, ' ')
    .replace(/\(\d{4}-[\dT:+\-]+\)/g, ' ');
  return `${text} ${attributes.join(' ')}`;
}

/** Words French writes the same way ("la cause", "par source", "les leads", as its glossary says). */
const ALSO_FRENCH = new Set(['source', 'cause', 'lead', 'leads']);

function expectNoEnglish(output: string, locale: Locale): void {
  if (locale === 'en') return;
  // Letters of any alphabet bound a word: "présents" holds no English "sent".
  const english = new RegExp(`(?<!\\p{L})(${ENGLISH_WORDS})(?!\\p{L})`, 'giu');
  const found = [...readable(output).matchAll(english)].find((match) => !(locale === 'fr' && ALSO_FRENCH.has(match[0].toLowerCase())));
  if (found) throw new UntranslatedError(`English "${found[0]}" left in a ${locale} render: …${readable(output).slice(Math.max(0, found.index - 60), found.index + 60)}…`);
}

function render(name: string, context: Record<string, unknown>, locale: Locale): string {
  const output = renderInLocale(name, context, locale);
  expectNoEnglish(output, locale);
  return output;
}

const translateIn =
  (locale: Locale): Translate =>
  (key, values) =>
    strictRenderer().translator.t(locale, key, values);

const chart = {
  width: 320,
  height: 48,
  labelX: 0,
  mirrored: false,
  description: 'Σ: A 10, B 5 (50 %).',
  rows: [
    { label: 'A', textY: 16, x: 10, y: 2, width: 200, height: 16, valueX: 318, valueText: '10' },
    { label: 'B', textY: 40, x: 60, y: 26, width: 100, height: 16, valueX: 318, valueText: '5 (50 %)' },
  ],
};

const column = (label: string, percent: number | null) => ({ label, percent, height: percent ?? 0, state: percent === null ? 'none' : percent >= 90 ? 'good' : 'bad' });
const history = [column('M1', null), column('M2', 100), column('M3', 50)];
const conversionPeriod = { label: '2026-11', cohort: 20, converted: 8, percent: 40, minimumPercent: 50, status: 'open', projected: 45, closesAt: '2026-12-01T00:00:00.000Z', share: 40, bar: 40 };

function dashboard(full: boolean) {
  const responseCard = {
    id: 'r1',
    name: 'SLA-1',
    kind: 'response',
    role: 'provider',
    goalPercent: 95,
    thisPeriod: column('M4', 66.7),
    clocks: { total: 3, met: 2, breached: 1, breachedOpen: 1, running: 0, paused: 0, cancelled: 0 },
    history,
    historyText: 'M1 –, M2 100, M3 50',
    quota: null,
    conversion: null,
    lastDecided: null,
  };
  const quotaCard = {
    ...responseCard,
    id: 'q1',
    name: 'SLA-2',
    kind: 'quota',
    role: 'consumer',
    goalPercent: 100,
    clocks: null,
    quota: { label: '2026-11', count: 60, minimum: 200, status: 'open', onTrack: false, projected: 150, pace: 'x', percent: 30, projectedPercent: 75 },
  };
  const quotaCardNoPace = { ...quotaCard, id: 'q2', role: 'both', quota: { ...quotaCard.quota, pace: null, projected: null, onTrack: null, status: 'met' } };
  const responseNoGoal = { ...responseCard, id: 'r2', goalPercent: null, thisPeriod: column('M4', null), clocks: { ...responseCard.clocks, breachedOpen: 0 } };
  const shared = { ...responseCard, id: 'k1', name: 'KPI-1', kind: 'conversion', role: 'both', clocks: null, conversion: conversionPeriod, lastDecided: { ...conversionPeriod, status: 'missed', share: 30 } };
  const sharedEarly = { ...shared, id: 'k2', conversion: { ...conversionPeriod, projected: null }, lastDecided: null };
  const sharedNone = { ...shared, id: 'k3', conversion: null, lastDecided: null };
  const sharedMet = { ...shared, id: 'k4', conversion: { ...conversionPeriod, status: 'met' }, lastDecided: null };
  return {
    sharedKpis: full ? [shared, sharedEarly, sharedNone, sharedMet] : [],
    agreements: full ? [responseCard, responseNoGoal, quotaCard, quotaCardNoPace, { ...quotaCard, id: 'q3', quota: null }] : [],
    funnel: full
      ? {
          periodLabel: 'x',
          cohortRule: '',
          link: '/reports/funnel',
          chart,
          charts: [{ id: 'funnel-source-1', label: 'Web', chart }],
          stageNames: ['MQL', 'SQL'],
          sources: [{ label: 'Web', cohort: 10, entered: [5, 2], winRate: 20 }],
          reasons: [{ stage: 'Lost', reasons: [{ reason: 'Prix', count: 2 }], competitors: [{ competitor: 'Acme', count: 1 }] }],
        }
      : { periodLabel: 'x', cohortRule: '', link: '/reports/funnel', chart: null, charts: [], stageNames: [], sources: [], reasons: [] },
    awaitingMe: full ? [{ id: 'a9', name: 'SLA-9' }] : [],
    breaches: full
      ? [
          { id: 'b1', agreementName: 'SLA-1', subject: 'L-7', conversion: null, dueAt: '2026-11-02T09:00:00.000Z', lateSeconds: 12_000, shortfall: null },
          { id: 'b2', agreementName: 'SLA-2', subject: null, conversion: null, dueAt: '2026-11-02T09:00:00.000Z', lateSeconds: null, shortfall: 4 },
          { id: 'b3', agreementName: 'KPI-1', subject: null, conversion: { label: '2026-10', converted: 3, cohort: 10 }, dueAt: '2026-11-02T09:00:00.000Z', lateSeconds: null, shortfall: null },
        ]
      : [],
    breachesTotal: full ? 9 : 0,
    actions: full
      ? [
          { text: 'X-1', dueOn: '2026-11-20', dueOnText: '20.11.2026', overdue: true, meetingId: 'm1' },
          { text: 'X-2', dueOn: null, dueOnText: null, overdue: false, meetingId: 'm1' },
        ]
      : [],
    nextMeeting: full ? { id: 'm2', title: 'M&S', startsAt: '2026-12-01T09:00:00.000Z', agenda: [{ title: 'Q4' }] } : null,
    nextMeetingZone: full ? 'Europe/Moscow' : null,
    undelivered: full ? 2 : 0,
    zone: ZONE,
  };
}

const person = (locale: Locale) => ({ id: 'p-ola', name: 'Ola', email: 'ola@example.com', timezone: ZONE, locale, role: 'head', departmentId: DEPT_A });

function breach(extra: Partial<BreachView> = {}): BreachView {
  return {
    id: 'br1',
    kind: 'response',
    agreementId: 'a1',
    agreementName: 'SLA-1',
    versionId: 'v1',
    subject: 'L-7',
    clockId: 'c1',
    quotaPeriodId: null,
    conversionPeriodId: null,
    targetName: 'P1',
    departmentId: DEPT_A,
    ownerId: 'p-ola',
    dueAt: '2026-11-09T10:00:00.000Z',
    detectedAt: '2026-11-09T10:01:00.000Z',
    lateSeconds: 12_000,
    shortfall: null,
    conversion: null,
    joint: false,
    explained: false,
    cause: null,
    correctiveAction: null,
    explainedAt: null,
    explainedBy: null,
    withdrawnAt: null,
    consumerDepartmentId: DEPT_B,
    reviewStatus: null,
    subjectUrl: 'https://crm.example.com/L-7',
    ...extra,
  };
}

const head = (personId: string, departmentId: string): Actor => ({ personId, email: `${personId}@example.com`, role: 'head', departmentId, tokenId: 'session:test', scope: 'full' });

const conversionBreach = breach({
  id: 'br3',
  kind: 'conversion',
  subject: null,
  clockId: null,
  targetName: null,
  lateSeconds: null,
  joint: true,
  conversion: { label: '2026-10', cohort: 10, converted: 3, percent: 30, minimumPercent: 50 } as BreachView['conversion'],
});

function breachDetails(locale: Locale) {
  const t = translateIn(locale);
  const explained: BreachDetailView = {
    ...breach({ explained: true, cause: 'X', correctiveAction: 'Y', explainedBy: 'p-ola', explainedAt: '2026-11-10T12:00:00.000Z', reviewStatus: 'pending' }),
    review: null,
    history: [
      { revision: 1, cause: 'X0', correctiveAction: 'Y0', explainedBy: 'p-gone', explainedAt: '2026-11-10T09:00:00.000Z', reviews: [{ verdict: 'disputed', comment: 'Z', reviewedBy: 'p-ivo', reviewedAt: '2026-11-10T10:00:00.000Z' }] },
      { revision: 2, cause: 'X', correctiveAction: 'Y', explainedBy: 'p-ola', explainedAt: '2026-11-10T12:00:00.000Z', reviews: [] },
    ],
  };
  const reviewed: BreachDetailView = { ...explained, reviewStatus: 'accepted', review: { verdict: 'accepted', comment: 'Z', reviewedBy: 'p-ivo', reviewedAt: '2026-11-11T09:00:00.000Z' } };
  const views = [
    // The owner's head, before explaining: the explanation form.
    presentDetail({ actor: head('p-ola', DEPT_A), breach: { ...breach(), history: [], review: null }, directory, refused: null, zone: ZONE, t }),
    // The consumer head, reviewing (and a refused review).
    presentDetail({ actor: head('p-ivo', DEPT_B), breach: explained, directory, refused: { form: 'review', values: { comment: '' }, errors: { comment: ['comment must be longer than or equal to 1 characters'] } }, zone: ZONE, t }),
    presentDetail({ actor: head('p-ivo', DEPT_B), breach: reviewed, directory, refused: null, zone: ZONE, t }),
    // A joint conversion breach, a quota breach, a withdrawn one.
    presentDetail({ actor: head('p-ivo', DEPT_B), breach: { ...conversionBreach, history: [], review: null }, directory, refused: null, zone: ZONE, t }),
    presentDetail({ actor: head('p-ola', DEPT_A), breach: { ...breach({ kind: 'quota', subject: null, clockId: null, lateSeconds: null, shortfall: 4, ownerId: null }), history: [], review: null }, directory, refused: null, zone: ZONE, t }),
    presentDetail({ actor: head('p-ola', DEPT_A), breach: { ...breach({ withdrawnAt: '2026-11-12T09:00:00.000Z' }), history: [], review: null }, directory, refused: null, zone: ZONE, t }),
  ];
  return views.map((view) => ({ view, title: detailTitle(view.breach, t) }));
}

const recipient = (locale: Locale) => ({ name: 'Ola', email: 'ola@example.com', timezone: ZONE, locale });

function emails(locale: Locale): [string, Record<string, unknown>][] {
  const common = { locale, recipient: recipient(locale), title: 'T-1', agreement: 'SLA-1' };
  return [
    [
      'breach-alert',
      {
        ...common,
        department: 'Alfa',
        subject: 'L-7',
        subjectUrl: 'https://crm.example.com/L-7',
        target: 'P1: 1 h',
        startedAt: '2026-11-02T08:00:00.000Z',
        attributes: [{ name: 'k', value: 'v' }],
        attributesText: 'k: v',
        period: '2026-11',
        count: 6,
        minimum: 10,
        shortfall: 4,
        conversion: '2026-10: 3 / 10',
        dueAt: '2026-11-02T09:00:00.000Z',
        actualAt: '2026-11-02T11:00:00.000Z',
        cancelledAt: '2026-11-02T11:00:00.000Z',
        lateness: '…',
        explainUrl: 'https://concord.example.com/breaches/b1',
      },
    ],
    [
      'breach-alert',
      { ...common, department: 'Alfa', subject: null, subjectUrl: null, target: null, startedAt: null, attributes: [], attributesText: '', period: null, count: null, minimum: null, shortfall: null, conversion: null, dueAt: '2026-11-02T09:00:00.000Z', actualAt: null, cancelledAt: null, lateness: null, explainUrl: 'https://concord.example.com/breaches/b1' },
    ],
    ['escalation', { ...common, days: 3, department: 'Alfa', owner: 'Ivo', ownerText: 'Alfa — Ivo', subject: 'L-7', dueAt: '2026-11-02T09:00:00.000Z', detectedAt: '2026-11-02T09:01:00.000Z', explainUrl: 'https://concord.example.com/breaches/b1' }],
    ['escalation', { ...common, days: 1, department: 'Alfa', owner: null, ownerText: 'Alfa', subject: null, dueAt: '2026-11-02T09:00:00.000Z', detectedAt: '2026-11-02T09:01:00.000Z', explainUrl: 'https://concord.example.com/breaches/b1' }],
    ['at-risk', { ...common, subject: 'L-7', target: 'P1', usedPercent: 80, dueAt: '2026-11-02T09:00:00.000Z' }],
    ['quota-at-risk', { ...common, period: '2026-11', projected: 150, minimum: 200, count: 60, elapsedPercent: 40, paceBar: 75, periodEnd: '2026-12-01T00:00:00.000Z' }],
    [
      'breach-digest',
      {
        ...common,
        count: 23,
        breaches: [
          { agreement: 'SLA-1', what: 'L-7', dueAt: '2026-11-02T09:00:00.000Z', explainUrl: 'https://concord.example.com/breaches/b1' },
          { agreement: 'SLA-2', what: '', dueAt: '2026-11-02T10:00:00.000Z', explainUrl: 'https://concord.example.com/breaches/b2' },
        ],
        more: 21,
        breachesUrl: 'https://concord.example.com/breaches',
      },
    ],
    ['breach-digest', { ...common, count: 1, breaches: [{ agreement: 'SLA-1', what: 'L-7', dueAt: '2026-11-02T09:00:00.000Z', explainUrl: 'https://concord.example.com/breaches/b1' }], more: 0, breachesUrl: 'https://concord.example.com/breaches' }],
  ];
}

function breachReport(full: boolean): BreachReport {
  const departmentA = { id: DEPT_A, name: 'Alfa' };
  const departmentB = { id: DEPT_B, name: 'Beta' };
  const figures = { agreementId: 'a1', name: 'SLA-1', provider: departmentA, consumer: departmentB, metPercent: 66.7, previousMetPercent: 100, goalMet: false, breaches: 2, previousBreaches: 1 };
  const attendance = { from: '2026-11-01T00:00:00.000Z', to: '2026-12-01T00:00:00.000Z', meetingsHeld: full ? 2 : 0, withoutQuorum: full ? [{ meetingId: 'm1', title: 'M-1', startsAt: '2026-11-03T09:00:00.000Z' }] : [], people: [], departments: full ? [{ id: DEPT_A, name: 'Alfa', invited: 4, present: 2, delegated: 1, excused: 0, absent: 1, ratePercent: 75 }] : [] };
  const line = { id: 'b1', agreementId: 'a1', agreementName: 'SLA-1', kind: 'response', subject: 'L-7', period: null, targetName: 'P1', owner: { kind: 'person', id: 'p-ola', name: 'Ola' }, department: departmentA, dueAt: '2026-11-02T09:00:00.000Z', lateSeconds: 12_000, stillOpen: true, shortfall: null, conversion: null, explained: true, cause: 'X', correctiveAction: 'Y' };
  return {
    generatedAt: '2026-12-01T08:00:00.000Z',
    timezone: ZONE,
    department: full ? departmentA : null,
    period: { from: '2026-11-01T00:00:00+01:00', to: '2026-12-01T00:00:00+01:00' },
    previousPeriod: { from: '2026-10-01T00:00:00+02:00', to: '2026-11-01T00:00:00+01:00' },
    headline: { agreementsInForce: 3, metGoal: 1, missedGoal: 1, undecided: full ? 1 : 0, breaches: 3, previousBreaches: full ? 1 : 3, unexplained: 1 },
    responses: full ? [{ ...figures, goalPercent: 95, total: 3, met: 2, breached: 1, breachedOpen: 1, running: 0, paused: 0, cancelled: 0, medianSeconds: 1200, p90Seconds: 9000, targets: [] }] : [],
    quotas: full
      ? [{ ...figures, agreementId: 'a2', name: 'SLA-2', periods: [
          { label: '2026-11', count: 60, minimum: 200, status: 'open', onTrack: false, projected: 150, pace: 'x', start: '2026-11-01T00:00:00.000Z', end: '2026-12-01T00:00:00.000Z' },
          { label: '2026-10', count: 150, minimum: 200, status: 'missed', onTrack: null, projected: null, pace: null, start: '2026-10-01T00:00:00.000Z', end: '2026-11-01T00:00:00.000Z' },
        ] }]
      : [],
    conversions: full
      ? [{ ...figures, agreementId: 'a3', name: 'KPI-1', fromStage: 'MQL', toStage: 'SQL', terms: 'MQL → SQL', periods: [
          { label: '2026-11', cohort: 20, converted: 8, percent: 40, minimumPercent: 50, status: 'open', projected: 45, closesAt: '2026-12-11T00:00:00.000Z' },
          { label: '2026-10', cohort: 10, converted: 3, percent: 30, minimumPercent: 50, status: 'missed', projected: null, closesAt: '2026-11-11T00:00:00.000Z' },
        ] }]
      : [],
    breaches: full
      ? [
          line,
          { ...line, id: 'b2', kind: 'quota', subject: '2026-10', targetName: null, lateSeconds: null, stillOpen: null, shortfall: 50, explained: false, cause: null, correctiveAction: null, owner: { kind: 'department', id: DEPT_A, name: 'Alfa' } },
          { ...line, id: 'b3', kind: 'conversion', subject: null, targetName: null, lateSeconds: null, stillOpen: null, shortfall: 2, explained: false, cause: null, correctiveAction: null },
        ]
      : [],
    offenders: full ? [{ owner: { kind: 'department', id: DEPT_A, name: 'Alfa' }, breaches: 2, unexplained: 1 }] : [],
    attendance,
  } as unknown as BreachReport;
}

describe('area G1 (dashboard, breaches, alert emails) in every language', () => {
  for (const locale of LOCALES) {
    describe(locale, () => {
      it('renders the dashboard, full and empty', () => {
        for (const full of [true, false]) {
          const html = render('pages/dashboard.html', { page: pageFrame(locale, { person: person(locale) }), ...dashboard(full) }, locale);
          expect(html).toContain(`dir="${locale === 'ar' ? 'rtl' : 'ltr'}"`);
        }
      });

      it('renders the breach list, with breaches of every kind and empty', () => {
        const { values, offset } = readBreachFilters({}, ZONE);
        const t = translateIn(locale);
        const items = [breach(), breach({ id: 'br2', kind: 'quota', subject: null, clockId: null, lateSeconds: null, shortfall: 4, explained: true, withdrawnAt: '2026-11-12T09:00:00.000Z' }), conversionBreach];
        const full = presentList({ values, errors: { from: ['from must be a date such as 2026-11-02'] }, page: { items, total: 120 }, offset, agreements: [{ id: 'a1', name: 'SLA-1' }], directory, zone: ZONE, t });
        const html = render('pages/breaches/list.html', { page: pageFrame(locale, { person: person(locale) }), ...full }, locale);
        expect(html).toContain('href="/breaches/br1"');
        const empty = presentList({ values, errors: {}, page: { items: [], total: 0 }, offset, agreements: [], directory, zone: ZONE, t });
        render('pages/breaches/list.html', { page: pageFrame(locale, { person: person(locale) }), ...empty }, locale);
      });

      it('renders a breach in each state: to explain, to review, reviewed, joint, quota, withdrawn', () => {
        for (const { view, title } of breachDetails(locale)) {
          render('pages/breaches/detail.html', { page: pageFrame(locale, { person: person(locale), title }), ...view }, locale);
        }
      });

      it('renders the breach report, HTML and text, full and empty', () => {
        for (const full of [true, false]) {
          const context = { ...reportContext(breachReport(full), new ReportWords(locale, strictRenderer().translator)), yourActions: full ? [{ text: 'X-1', dueOn: '2026-11-20', overdue: true }, { text: 'X-2', dueOn: '2026-12-20', overdue: false }] : null };
          expect(render('reports/breaches.html', context, locale)).toContain(`<html lang="${locale}" dir="${locale === 'ar' ? 'rtl' : 'ltr'}">`);
          render('reports/breaches.text', context, locale);
        }
      });

      it('renders each alert email, HTML and text, with the chrome in the language', () => {
        for (const [name, context] of emails(locale)) {
          const html = render(`emails/${name}.html`, context, locale);
          expect(html).toContain(`<html lang="${locale}" dir="${locale === 'ar' ? 'rtl' : 'ltr'}">`);
          const text = render(`emails/${name}.text`, context, locale);
          expect(text).toContain('ola@example.com');
        }
      });
    });
  }

  it('writes Russian as Russians do: working time in words, dates and plurals', () => {
    const html = render('pages/dashboard.html', { page: pageFrame('ru', { person: person('ru') }), ...dashboard(true) }, 'ru');
    expect(html).toContain('Нарушения, ожидающие объяснения');
    // 12 000 s late: 3 working hours and 20 minutes, in words.
    expect(html).toContain('опоздание — 3 рабочих часа и 20 минут');
    expect(html).toContain('2 письма не удалось доставить');
    expect(html).toContain('3 замера в этом месяце:');
    expect(html).toMatch(/пн, 2 нояб\. 2026 г\., 10:00/);
    const [, alert] = emails('ru')[0];
    expect(render('emails/breach-alert.text', alert, 'ru')).toContain('Отправлено Concord для Ola <ola@example.com>. Время указано в часовом поясе Europe/Paris.');
  });

  it('keeps names in their own direction inside Arabic, and English exactly as it was', () => {
    const arabic = render('pages/dashboard.html', { page: pageFrame('ar', { person: person('ar') }), ...dashboard(true) }, 'ar');
    expect(arabic).toContain('أهلًا بك، <bdi>Ola</bdi>');
    const english = render('pages/dashboard.html', { page: pageFrame('en', { person: person('en') }), ...dashboard(true) }, 'en');
    expect(english).toContain('Good to see you, Ola');
    expect(english).toContain('due Mon 2 Nov 2026, 10:00 Europe/Paris (2026-11-02T10:00+01:00), 3 h 20 min late');
    expect(english).toContain('2 emails could not be delivered');
    const [, alert] = emails('en')[0];
    const text = render('emails/breach-alert.text', alert, 'en');
    expect(text).toContain('Subject:   L-7\nCRM:       https://crm.example.com/L-7\nTarget:    P1: 1 h\n');
    expect(text).toContain('Sent by Concord to Ola <ola@example.com>. Times are shown in Europe/Paris.');
  });

  it('fails on English left in a translated render, so the checks above can fail', () => {
    expect(() => expectNoEnglish('<p>Breaches waiting</p>', 'ru')).toThrow(UntranslatedError);
    expect(() => expectNoEnglish('<div aria-label="Six months of breaches"></div>', 'fr')).toThrow(UntranslatedError);
    expect(() => expectNoEnglish('<p>Voir la cause par source</p>', 'fr')).not.toThrow();
    expect(() => expectNoEnglish('<p>Нарушения</p>', 'ru')).not.toThrow();
    // And every key of the area exists in English (a render asking for one that does not fails).
    expect(Object.keys(loadCatalogues().en).filter((key) => /^(dashboard|breaches|alerts|emails)\./.test(key)).length).toBeGreaterThan(150);
  });
});
