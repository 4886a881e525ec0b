/**
 * Writes the sample breach report of the README: docs/sample-breach-report.html and .txt.
 *
 *   npx tsc -p tsconfig.bench.json && node dist-bench/bench/sample-report.js
 *
 * Builds a realistic November 2026 over the API of a Concord on an in-memory SQLite database:
 * Marketing and Sales with their heads, "Hot leads are called fast" (Sofia owns the first call),
 * "Content requests are answered" (Marc owns it), a monthly MQL quota and a quarterly SQL quota;
 * October as the previous period; leads drawn from a seeded generator, so every run writes the
 * same files. Then renders the report Samir, head of Sales, receives on 1 December.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DateTime } from 'luxon';
import { ManualClock } from '../src/common/clock.js';
import { BreachReportService } from '../src/reports/breach-report.service.js';
import { ADMIN_TOKEN, createCalendar, expectCall, hotLeads, mulberry32, PARIS_OFFICE, qualifiedLeads, seedOrg, signAgreement, startConcord } from './support/concord.js';

const ZONE = 'Europe/Paris';
const random = mulberry32(2026_11);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];

const CAUSES = [
  ['The lead arrived during the Monday pipeline review; nobody watched the queue.', 'A named backup watches the hot queue during team meetings.'],
  ['The CRM routed the lead to a rep on leave.', 'Routing skips people marked absent in the calendar.'],
  ['The lead was scored hot after hand-over, so the clock started before anyone saw it.', 'Scores are final before the hand-over event is sent.'],
  ['The request needed legal review of the claims.', 'Legal reviews standard claims once; the approved list is shared with Sales.'],
  ['The November webinar moved to December, and its sign-ups with it.', 'Two extra EU campaigns in early December to make up the shortfall.'],
] as const;

/** A wall-clock time on a working day of November or October, between 09:00 and 17:00 Paris. */
function workingMoment(year: number, month: number, day: number): DateTime {
  return DateTime.fromObject({ year, month, day, hour: 9 + Math.floor(random() * 8), minute: Math.floor(random() * 12) * 5 }, { zone: ZONE });
}

/** Working days of a month (Monday to Friday, leaving out 11 November, a French holiday). */
function workingDays(year: number, month: number): number[] {
  const days: number[] = [];
  for (let day = 1; day <= DateTime.fromObject({ year, month }, { zone: ZONE }).daysInMonth!; day++) {
    const date = DateTime.fromObject({ year, month, day }, { zone: ZONE });
    if (date.weekday <= 5 && !(month === 11 && day === 11)) days.push(day);
  }
  return days;
}

/** Adds working minutes on the 09:00–18:00 weekdays of the sample calendar (11 November closed). */
function later(start: DateTime, minutes: number): DateTime {
  let at = start;
  let left = minutes;
  for (;;) {
    const closing = at.set({ hour: 18, minute: 0 });
    const room = closing.diff(at, 'minutes').minutes;
    if (left <= room) return at.plus({ minutes: left });
    left -= room;
    do at = at.plus({ days: 1 }).set({ hour: 9, minute: 0 });
    while (at.weekday > 5 || (at.month === 11 && at.day === 11));
  }
}

const iso = (at: DateTime) => at.toISO({ suppressMilliseconds: true }) as string;

interface Lead {
  subject: string;
  score: 'hot' | 'warm' | 'cold';
  handedOver: DateTime;
  contacted: DateTime | null;
}

/** Leads of a month: mostly called in time, some late, the odd one never called. `slack` raises the share of late calls. */
function leadsOf(year: number, month: number, count: number, slack: number, prefix: string): Lead[] {
  const days = workingDays(year, month);
  return Array.from({ length: count }, (_, index) => {
    const score = pick(['hot', 'hot', 'warm', 'warm', 'cold'] as const);
    const handedOver = workingMoment(year, month, pick(days));
    const target = { hot: 60, warm: 240, cold: 2 * 540 }[score];
    const late = random() < slack;
    const never = late && random() < 0.15;
    const minutes = late ? target + 15 + Math.floor(random() * target) : 5 + Math.floor(random() * target * 0.8);
    return { subject: `${prefix}-${1000 + index}`, score, handedOver, contacted: never ? null : later(handedOver, minutes) };
  });
}

function leadEvents(leads: Lead[]) {
  return leads.flatMap((lead) => [
    { type: 'lead.handed_over', subject: lead.subject, occurredAt: iso(lead.handedOver), attributes: { score: lead.score } },
    ...(lead.contacted ? [{ type: 'lead.contacted', subject: lead.subject, occurredAt: iso(lead.contacted) }] : []),
  ]);
}

function countedEvents(type: string, year: number, month: number, count: number, prefix: string, attributes: object = {}) {
  const days = workingDays(year, month);
  return Array.from({ length: count }, (_, index) => ({
    type,
    subject: `${prefix}-${index}`,
    occurredAt: iso(workingMoment(year, month, pick(days))),
    attributes,
  }));
}

function requestEvents(year: number, month: number, count: number, lateShare: number, prefix: string) {
  const days = workingDays(year, month);
  return Array.from({ length: count }, (_, index) => {
    const opened = workingMoment(year, month, pick(days));
    const answered = later(opened, random() < lateShare ? 560 + Math.floor(random() * 400) : 30 + Math.floor(random() * 480));
    const subject = `${prefix}-${index + 1}`;
    return [
      { type: 'request.opened', subject, occurredAt: iso(opened), attributes: { kind: pick(['case study', 'battle card', 'pricing sheet']) } },
      { type: 'request.answered', subject, occurredAt: iso(answered) },
    ];
  }).flat();
}

export async function writeSampleReport(): Promise<void> {
  const clock = new ManualClock('2026-10-01T06:00:00Z');
  const concord = await startConcord({ sqlitePath: ':memory:', clock, listen: true });
  try {
    const { url } = concord;
    const org = await seedOrg(url);
    const person = async (name: string, email: string, departmentId: string) => {
      const created = await expectCall(url, 'POST', '/api/people', ADMIN_TOKEN, 201, { name, email, role: 'member', departmentId });
      const token = (await expectCall(url, 'POST', `/api/people/${created.id}/tokens`, ADMIN_TOKEN, 201, { name: 'sample' })).token as string;
      return { id: created.id as string, token };
    };
    const sofia = await person('Sofia Martin', 'sofia@example.com', org.salesId);
    const marc = await person('Marc Lefèvre', 'marc.lefevre@example.com', org.marketingId);
    const stage = async (name: string, departmentId: string, ownerId: string, doneDefinition: string) =>
      (await expectCall(url, 'POST', '/api/stages', ADMIN_TOKEN, 201, { name, departmentId, ownerId, doneDefinition })).id as string;
    const firstCall = await stage('First call', org.salesId, sofia.id, 'Sales has spoken to the lead.');
    const content = await stage('Sales content', org.marketingId, marc.id, 'Marketing has sent the material Sales asked for.');
    const calendarId = await createCalendar(url, { ...PARIS_OFFICE, holidayPreset: 'FR' });

    await signAgreement(url, org, { ...hotLeads(org, calendarId), stageId: firstCall });
    await signAgreement(url, org, {
      name: 'Content requests are answered',
      providerDepartmentId: org.marketingId,
      consumerDepartmentId: org.salesId,
      calendarId,
      stageId: content,
      response: { startOn: { type: 'request.opened' }, stopOn: { type: 'request.answered' }, targets: [{ within: 'P1D', name: 'request' }], goalPercent: 90 },
    });
    const quota = (name: string, countOn: object, period: string, minimum: number) =>
      signAgreement(url, org, { ...qualifiedLeads(org, calendarId), name, quota: { countOn, period, minimum } });
    await quota('Marketing delivers qualified leads', { type: 'lead.mql', when: { region: 'EU' } }, 'month', 40);
    await quota('Marketing delivers sales-qualified leads', { type: 'lead.sql' }, 'quarter', 60);

    /** A month of events sent in its last evening, then the sweep that closes it. */
    const liveMonth = async (month: number, sizes: { leads: number; lateLeads: number; requests: number; lateRequests: number; mqls: number; sqls: number }) => {
      const closing = DateTime.fromObject({ year: 2026, month }, { zone: ZONE }).plus({ months: 1 });
      const events = [
        ...leadEvents(leadsOf(2026, month, sizes.leads, sizes.lateLeads, 'L')),
        ...requestEvents(2026, month, sizes.requests, sizes.lateRequests, `REQ-${month}`),
        ...countedEvents('lead.mql', 2026, month, sizes.mqls, `MQL-${month}`, { region: 'EU' }),
        ...countedEvents('lead.sql', 2026, month, sizes.sqls, `SQL-${month}`),
      ];
      clock.set(closing.minus({ hours: 6 }).toJSDate());
      await expectCall(url, 'POST', '/api/events', org.marketingMember, 200, events);
      clock.set(closing.plus({ seconds: 30 }).toJSDate());
      await expectCall(url, 'POST', '/api/admin/sweep', ADMIN_TOKEN, 200);
    };
    await liveMonth(10, { leads: 30, lateLeads: 0.08, requests: 8, lateRequests: 0.3, mqls: 46, sqls: 19 });
    await liveMonth(11, { leads: 42, lateLeads: 0.2, requests: 12, lateRequests: 0.12, mqls: 34, sqls: 16 });

    // About half the November breaches are explained by the morning the report goes out.
    clock.set('2026-12-01T08:30:00+01:00');
    const breaches = await expectCall(url, 'GET', '/api/breaches?from=2026-11-01T00:00:00%2B01:00&to=2026-12-01T00:00:01%2B01:00&limit=200', ADMIN_TOKEN, 200);
    for (const [index, breach] of (breaches.items as { id: string; kind: string; ownerId: string | null }[]).entries()) {
      if (index % 2 === 1) continue;
      const token = breach.ownerId === sofia.id ? sofia.token : breach.ownerId === marc.id ? marc.token : org.marketingHead;
      const [cause, correctiveAction] = breach.kind === 'quota' ? CAUSES[4] : breach.ownerId === marc.id ? CAUSES[3] : pick(CAUSES.slice(0, 3));
      await expectCall(url, 'POST', `/api/breaches/${breach.id}/explanation`, token, 200, { cause, correctiveAction });
    }

    clock.set('2026-12-01T09:00:00+01:00');
    const reports = concord.app.get(BreachReportService);
    const model = await reports.build({ from: '2026-11-01T00:00:00+01:00', to: '2026-12-01T00:00:00+01:00', departmentId: org.salesId, timezone: ZONE });
    const docs = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'docs');
    mkdirSync(docs, { recursive: true });
    writeFileSync(join(docs, 'sample-breach-report.html'), reports.render(model, 'html'));
    writeFileSync(join(docs, 'sample-breach-report.txt'), reports.render(model, 'text'));
    const { headline } = model;
    console.log(
      `wrote docs/sample-breach-report.html and .txt: ${headline.agreementsInForce} agreements, ${headline.metGoal} met their goal, ` +
        `${headline.breaches} breaches (${headline.previousBreaches} before), ${headline.unexplained} unexplained`,
    );
  } finally {
    await concord.close();
  }
}

await writeSampleReport();
