import type { SeededOrg } from './org-fixture.js';
import type { TestApp } from './test-app.js';

/**
 * The joint meeting of the examples: monthly on the first Tuesday at 10:00 Paris time, the two
 * heads required, a sales member optional, a marketing member kept informed. Tests change what
 * their story needs.
 */
export function monthlyMeeting(org: SeededOrg, changes: Record<string, unknown> = {}) {
  return {
    title: 'Marketing & Sales monthly',
    departmentIds: [org.marketing.id, org.sales.id],
    timezone: 'Europe/Paris',
    startsOn: '2027-01-05T10:00',
    rrule: 'FREQ=MONTHLY;BYDAY=1TU;COUNT=4',
    durationMinutes: 60,
    chairId: org.marketingHead.id,
    participants: [
      { personId: org.marketingHead.id, role: 'required' },
      { personId: org.salesHead.id, role: 'required' },
      { personId: org.salesMember.id, role: 'optional' },
      { personId: org.marketingMember.id, role: 'informed' },
    ],
    ...changes,
  };
}

/**
 * Holds a meeting of `monthlyMeeting`'s shape to the end: the agenda built, both heads present,
 * notes on the first agenda item and the outcomes recorded, the minutes finalized by the chair and signed off by both heads (so they are emailed).
 */
export async function holdAndApprove(
  t: TestApp,
  org: SeededOrg,
  meetingId: string,
  outcomes: Record<string, unknown>[] = [],
  notes: string | null = null,
): Promise<void> {
  const ok = (response: { status: number; body: unknown }, what: string) => {
    if (response.status !== 200) throw new Error(`${what}: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body as { agenda: { id: string }[] };
  };
  const chair = t.as(org.marketingHead.token);
  ok(await chair.post(`/api/meetings/${meetingId}/agenda/build`), 'agenda');
  ok(
    await chair.put(`/api/meetings/${meetingId}/attendance`).send({
      entries: [
        { personId: org.marketingHead.id, status: 'present' },
        { personId: org.salesHead.id, status: 'present' },
      ],
    }),
    'attendance',
  );
  const meeting = ok(await t.as().get(`/api/meetings/${meetingId}`), 'meeting');
  if (notes !== null) ok(await chair.patch(`/api/meetings/${meetingId}/agenda/${meeting.agenda[0].id}`).send({ notes }), 'notes');
  for (const outcome of outcomes) ok(await chair.post(`/api/meetings/${meetingId}/outcomes`).send(outcome), 'outcome');
  ok(await chair.post(`/api/meetings/${meetingId}/minutes/finalize`), 'finalize');
  ok(await t.as(org.marketingHead.token).post(`/api/meetings/${meetingId}/minutes/approve`), 'approve (marketing)');
  ok(await t.as(org.salesHead.token).post(`/api/meetings/${meetingId}/minutes/approve`), 'approve (sales)');
}

/** Plans a series of `monthlyMeeting`'s shape (with `changes`) as the marketing head; the series as answered, with its meetings. */
export async function planSeries(t: TestApp, org: SeededOrg, changes: Record<string, unknown> = {}): Promise<{ id: string; meetings: { id: string; startsAt: string }[] }> {
  const series = await t.as(org.marketingHead.token).post('/api/meeting-series').send(monthlyMeeting(org, changes));
  if (series.status !== 201) throw new Error(`plan the series: ${series.status} ${JSON.stringify(series.body)}`);
  return series.body;
}
