import { monthlyMeeting } from '../support/meeting-fixture.js';
import { seedOrg, type SeededOrg } from '../support/org-fixture.js';
import { TestApp } from '../support/test-app.js';

const WINDOW = { from: '2026-11-01T00:00:00+01:00', to: '2027-01-01T00:00:00+01:00' };
const JANUARY = { from: '2027-01-01T00:00:00+01:00', to: '2027-02-01T00:00:00+01:00' };

describe('the attendance report of the joint meetings', () => {
  let t: TestApp;
  let org: SeededOrg;
  let meetings: { id: string }[];

  beforeAll(async () => {
    t = await TestApp.start();
    org = await seedOrg(t);
    t.clock.set('2026-10-20T08:00:00Z');
    const series = await t.as(org.marketingHead.token).post('/api/meeting-series').send(monthlyMeeting(org, { startsOn: '2026-11-03T10:00', rrule: 'FREQ=MONTHLY;BYDAY=1TU;COUNT=3' }));
    expect(series.status).toBe(201);
    meetings = series.body.meetings;

    // November: both heads come. December: the head of sales stays away, nobody stands in.
    t.clock.set('2026-11-03T10:30:00Z');
    const november = await t.as(org.marketingHead.token).put(`/api/meetings/${meetings[0].id}/attendance`).send({
      entries: [
        { personId: org.marketingHead.id, status: 'present' },
        { personId: org.salesHead.id, status: 'present' },
        { personId: org.salesMember.id, status: 'excused' },
      ],
    });
    expect(november.body.quorumMet).toBe(true);
    t.clock.set('2026-12-01T10:30:00Z');
    const december = await t.as(org.marketingHead.token).put(`/api/meetings/${meetings[1].id}/attendance`).send({
      entries: [
        { personId: org.marketingHead.id, status: 'present' },
        { personId: org.salesMember.id, status: 'present' },
      ],
    });
    expect(december.body.quorumMet).toBe(false);
    // January: Sofia, of sales, stands in for her head; she attended, and he was represented.
    t.clock.set('2027-01-05T09:30:00Z');
    const january = await t.as(org.marketingHead.token).put(`/api/meetings/${meetings[2].id}/attendance`).send({
      entries: [
        { personId: org.marketingHead.id, status: 'present' },
        { personId: org.salesMember.id, status: 'delegate', delegateFor: org.salesHead.id },
      ],
    });
    expect(january.status).toBe(200);
    expect(january.body.quorumMet).toBe(true);
  });

  afterAll(async () => {
    await t?.close();
  });

  const report = (query: Record<string, string>) => t.as(org.salesHead.token).get('/api/reports/attendance').query(query);

  it('counts each invited person per held meeting, and lists the meeting held without quorum', async () => {
    const answer = await report(WINDOW);
    expect(answer.status).toBe(200);
    expect(answer.body.meetingsHeld).toBe(2);
    expect(answer.body.withoutQuorum).toEqual([{ meetingId: meetings[1].id, title: 'Marketing & Sales monthly', startsAt: '2026-12-01T09:00:00.000Z' }]);
    const byPerson = Object.fromEntries(answer.body.people.map((row: { personId: string }) => [row.personId, row]));
    expect(byPerson[org.marketingHead.id]).toMatchObject({ invited: 2, present: 2, absent: 0, ratePercent: 100 });
    expect(byPerson[org.salesHead.id]).toMatchObject({ invited: 2, present: 1, absent: 1, ratePercent: 50 });
    expect(byPerson[org.salesMember.id]).toMatchObject({ invited: 2, present: 1, excused: 1, ratePercent: 50 });
    // Someone only kept informed is not expected, so is not counted.
    expect(byPerson[org.marketingMember.id]).toBeUndefined();
    // The least present come first.
    expect(answer.body.people[answer.body.people.length - 1].personId).toBe(org.marketingHead.id);
    const byDepartment = Object.fromEntries(answer.body.departments.map((row: { departmentId: string }) => [row.departmentId, row]));
    expect(byDepartment[org.sales.id]).toMatchObject({ invited: 4, present: 2, excused: 1, absent: 1, ratePercent: 50 });
    expect(byDepartment[org.marketing.id]).toMatchObject({ invited: 2, present: 2, ratePercent: 100 });
  });

  it('counts a delegate as present and the seat they fill as attended by delegate: the parts add up to the invited', async () => {
    const answer = await report(JANUARY);
    expect(answer.status).toBe(200);
    expect(answer.body.meetingsHeld).toBe(1);
    const byPerson = Object.fromEntries(answer.body.people.map((row: { personId: string }) => [row.personId, row]));
    expect(byPerson[org.salesMember.id]).toMatchObject({ invited: 1, present: 1, delegated: 0, excused: 0, absent: 0, ratePercent: 100 });
    expect(byPerson[org.salesHead.id]).toMatchObject({ invited: 1, present: 0, delegated: 1, excused: 0, absent: 0, ratePercent: 100 });
    const byDepartment = Object.fromEntries(answer.body.departments.map((row: { departmentId: string }) => [row.departmentId, row]));
    expect(byDepartment[org.sales.id]).toMatchObject({ invited: 2, present: 1, delegated: 1, excused: 0, absent: 0, ratePercent: 100 });
    // Over the three months too, every row adds up.
    const all = (await report({ from: WINDOW.from, to: JANUARY.to })).body;
    for (const row of [...all.people, ...all.departments]) expect(row.present + row.delegated + row.excused + row.absent).toBe(row.invited);
    expect(all.departments.find((row: { departmentId: string }) => row.departmentId === org.sales.id)).toMatchObject({
      invited: 6,
      present: 3,
      delegated: 1,
      excused: 1,
      absent: 1,
      ratePercent: 66.7,
    });

    const text = await t.as(org.salesHead.token).get('/api/reports/breaches').query({ ...JANUARY, format: 'text' });
    expect(text.text).toContain('Sales: 100 % attended (1 present, 1 by delegate, 0 excused, 0 absent)');
    const json = await t.as(org.salesHead.token).get('/api/reports/breaches').query({ ...JANUARY, format: 'json' });
    expect(json.body.attendance.departments).toContainEqual(expect.objectContaining({ departmentId: org.sales.id, present: 1, delegated: 1, ratePercent: 100 }));
  });

  it('keeps to the window and to the department asked for', async () => {
    const november = (await report({ from: WINDOW.from, to: '2026-12-01T00:00:00+01:00' })).body;
    expect(november.meetingsHeld).toBe(1);
    expect(november.withoutQuorum).toEqual([]);
    const sales = (await report({ ...WINDOW, departmentId: org.sales.id })).body;
    expect(sales.departments.map((row: { departmentId: string }) => row.departmentId)).toEqual([org.sales.id]);
  });

  it('appears in the breach report, quorum failures included', async () => {
    const text = await t.as(org.salesHead.token).get('/api/reports/breaches').query({ ...WINDOW, format: 'text' });
    expect(text.status).toBe(200);
    expect(text.text).toContain('JOINT MEETINGS: 2 held, 1 without quorum');
    expect(text.text).toMatch(/Sales: 50 % attended \(2 present, 0 by delegate, 1 excused, 1 absent\)/);
    const html = await t.as(org.salesHead.token).get('/api/reports/breaches').query({ ...WINDOW, format: 'html' });
    expect(html.text).toContain('1 without quorum');
  });

  it('refuses a bad window or department, naming the field', async () => {
    const backwards = await report({ from: WINDOW.to, to: WINDOW.from });
    expect(backwards.status).toBe(400);
    expect(Object.keys(backwards.body.errors)).toEqual(['to']);
    const notInstant = await report({ ...WINDOW, from: 'yesterday' });
    expect(notInstant.status).toBe(400);
    expect(Object.keys(notInstant.body.errors)).toEqual(['from']);
    const badId = await report({ ...WINDOW, departmentId: 'sales' });
    expect(badId.status).toBe(400);
    expect(Object.keys(badId.body.errors)).toEqual(['departmentId']);
    const unknown = await report({ ...WINDOW, departmentId: '00000000-0000-4000-8000-000000000000' });
    expect(unknown.status).toBe(404);
  });
});
