import { monthlyMeeting } from '../support/meeting-fixture.js';
import { seedOrg, type SeededOrg } from '../support/org-fixture.js';
import { TestApp } from '../support/test-app.js';

describe('meeting series and their occurrences over HTTP', () => {
  let t: TestApp;
  let org: SeededOrg;

  beforeAll(async () => {
    t = await TestApp.start();
    org = await seedOrg(t);
    t.clock.set('2026-12-01T09:00:00Z');
  });

  afterAll(async () => {
    await t?.close();
  });

  const monthly = () => {
    const series = monthlyMeeting(org, { location: 'Room Jupiter', agendaTemplate: ['Campaign calendar'] });
    return { ...series, participants: series.participants.map((p, i) => (i === 0 ? { ...p, delegateId: org.marketingMember.id } : p)) };
  };

  async function seriesCount(): Promise<number> {
    return (await t.as().get('/api/meeting-series')).body.total;
  }

  it('plans every occurrence at 10:00 Paris time, winter and summer', async () => {
    const created = await t.as(org.salesHead.token).post('/api/meeting-series').send(monthly());
    expect(created.status).toBe(201);
    expect(created.body.meetings.map((m: { localStart: string }) => m.localStart)).toEqual([
      '2027-01-05T10:00',
      '2027-02-02T10:00',
      '2027-03-02T10:00',
      '2027-04-06T10:00',
    ]);
    expect(created.body.meetings[3].startsAt).toBe('2027-04-06T08:00:00.000Z');
    expect(created.body.participants).toHaveLength(4);
    expect(created.body.quorum).toEqual({ rule: 'heads' });
  });

  it('takes the quorum as README writes it, an object with its rule, and refuses the bare word', async () => {
    const strict = await t.as(org.salesHead.token).post('/api/meeting-series').send({ ...monthly(), title: 'Everyone required', quorum: { rule: 'all-required' } });
    expect(strict.status).toBe(201);
    expect(strict.body.quorum).toEqual({ rule: 'all-required' });
    const heads = await t.as(org.salesHead.token).post('/api/meeting-series').send({ ...monthly(), title: 'Heads only', quorum: { rule: 'heads' } });
    expect(heads.body.quorum).toEqual({ rule: 'heads' });
    const before = await seriesCount();
    const bare = await t.as(org.salesHead.token).post('/api/meeting-series').send({ ...monthly(), title: 'Bare word', quorum: 'heads' });
    expect(bare.status).toBe(400);
    expect(Object.keys(bare.body.errors)).toEqual(['quorum']);
    expect(await seriesCount()).toBe(before);
  });

  it('cancels and moves one occurrence without touching the others', async () => {
    const series = (await t.as(org.salesHead.token).post('/api/meeting-series').send({ ...monthly(), title: 'One at a time' })).body;
    const [first, second, third] = series.meetings;
    const cancelled = await t.as(org.marketingHead.token).post(`/api/meetings/${second.id}/cancel`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');
    const moved = await t.as(org.salesHead.token).post(`/api/meetings/${third.id}/move`).send({ startsAt: '2027-03-03T14:00:00+01:00' });
    expect(moved.body).toMatchObject({ status: 'scheduled', moved: true, localStart: '2027-03-03T14:00', occurrenceStart: third.occurrenceStart });
    const read = await t.as().get(`/api/meeting-series/${series.id}`);
    expect(read.body.meetings.map((m: { status: string; moved: boolean }) => [m.status, m.moved])).toEqual([
      ['scheduled', false],
      ['cancelled', false],
      ['scheduled', true],
      ['scheduled', false],
    ]);
    expect(read.body.sequence).toBe(2);
    expect(read.body.meetings[0].id).toBe(first.id);
    expect((await t.as().post(`/api/meetings/${second.id}/cancel`)).status).toBe(409);
  });

  it('re-plans the meetings to come when the rule changes, keeping those that stay', async () => {
    const series = (await t.as().post('/api/meeting-series').send({ ...monthly(), title: 'Re-planned' })).body;
    const changed = await t.as().patch(`/api/meeting-series/${series.id}`).send({ rrule: 'FREQ=MONTHLY;BYDAY=1TU;COUNT=2' });
    expect(changed.status).toBe(200);
    expect(changed.body.meetings.map((m: { status: string }) => m.status)).toEqual(['scheduled', 'scheduled', 'cancelled', 'cancelled']);
    expect(changed.body.meetings[0].id).toBe(series.meetings[0].id);
  });

  it('lists meetings in a window', async () => {
    const listed = await t.as(org.salesMember.token).get('/api/meetings').query({ from: '2027-01-01T00:00:00Z', to: '2027-01-31T00:00:00Z', limit: 200 });
    expect(listed.status).toBe(200);
    expect(listed.body.items.every((m: { localStart: string }) => m.localStart.startsWith('2027-01'))).toBe(true);
  });

  it.each([
    ['a rule that never ends', { rrule: 'FREQ=MONTHLY;BYDAY=1TU' }, 400, 'rrule'],
    ['a rule that is not RFC 5545', { rrule: 'every month' }, 400, 'rrule'],
    ['an impossible start', { startsOn: '2027-02-30T10:00' }, 400, 'startsOn'],
    ['a single department', { departmentIds: ['00000000-0000-4000-8000-000000000001'] }, 400, 'departmentIds'],
    ['a participant without role', { participants: [{ personId: '00000000-0000-4000-8000-000000000001' }] }, 400, 'participants[0].role'],
    ['an unknown participant', { participants: [{ personId: '00000000-0000-4000-8000-000000000001', role: 'required' }] }, 404, 'participants[0].personId'],
    ['an unknown time zone', { timezone: 'Paris' }, 400, 'timezone'],
    ['a five-second meeting', { durationMinutes: 0 }, 400, 'durationMinutes'],
  ])('refuses %s, naming the field and planning nothing', async (_case, change, status, field) => {
    const before = await seriesCount();
    const response = await t.as().post('/api/meeting-series').send({ ...monthly(), ...change });
    expect(response.status).toBe(status);
    expect(Object.keys(response.body.errors)).toContain(field);
    expect(await seriesCount()).toBe(before);
  });

  it('lets only admins and the heads of its departments organise a series', async () => {
    expect((await t.as(org.salesMember.token).post('/api/meeting-series').send(monthly())).status).toBe(403);
    const series = (await t.as().post('/api/meeting-series').send({ ...monthly(), title: 'Guarded' })).body;
    expect((await t.as(org.salesMember.token).post(`/api/meetings/${series.meetings[0].id}/cancel`)).status).toBe(403);
    expect((await t.as(org.salesMember.token).patch(`/api/meeting-series/${series.id}`).send({ title: 'x' })).status).toBe(403);
  });

  it('refuses to move a meeting into the past', async () => {
    const series = (await t.as().post('/api/meeting-series').send({ ...monthly(), title: 'No time travel' })).body;
    const response = await t.as().post(`/api/meetings/${series.meetings[0].id}/move`).send({ startsAt: '2026-11-01T10:00:00Z' });
    expect(response.status).toBe(400);
    expect(response.body.errors).toHaveProperty('startsAt');
  });

  it('cancels a whole series: every meeting to come', async () => {
    const series = (await t.as().post('/api/meeting-series').send({ ...monthly(), title: 'Short-lived' })).body;
    const cancelled = await t.as(org.marketingHead.token).post(`/api/meeting-series/${series.id}/cancel`);
    expect(cancelled.body.status).toBe('cancelled');
    expect(cancelled.body.meetings.every((m: { status: string }) => m.status === 'cancelled')).toBe(true);
  });
});
