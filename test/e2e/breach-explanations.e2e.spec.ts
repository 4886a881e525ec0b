import { seedBreach } from '../support/breach-fixture.js';
import { crmEvent } from '../support/agreement-fixture.js';
import { monthlyMeeting } from '../support/meeting-fixture.js';
import { seedOrg, type SeededOrg } from '../support/org-fixture.js';
import { TestApp } from '../support/test-app.js';
import { sendEvents } from '../support/tracking-fixture.js';

interface AgendaBreach {
  subject: string;
  explained: boolean;
  reviewStatus: string | null;
  carriedOver: boolean;
}

/** The README's example of a dispute, sent as written there. */
const DISPUTE = { verdict: 'disputed', comment: 'The queue was watched; the lead was routed to the wrong team.' };

/**
 * An explanation is its owner's to write and rewrite, every wording kept; the head of the
 * department the promise was made to accepts it or disputes it, and a dispute stays on the joint
 * meetings' agenda until it is accepted.
 */
describe('explaining a breach, and the consumer head’s review', () => {
  let t: TestApp;
  let org: SeededOrg;
  let breachId: string;
  let agreementId: string;
  let meetings: { id: string; startsAt: string }[];

  beforeAll(async () => {
    t = await TestApp.start();
    org = await seedOrg(t);
    // A hot lead due Mon 9 Nov 09:30 Paris, called at 10:45: owned by Sales, promised to Marketing.
    ({ breachId, agreementId } = await seedBreach(t, org));
    const series = await t.as(org.marketingHead.token).post('/api/meeting-series').send(
      monthlyMeeting(org, { startsOn: '2026-11-17T10:00', rrule: 'FREQ=WEEKLY;BYDAY=TU;COUNT=3' }),
    );
    expect(series.status).toBe(201);
    meetings = series.body.meetings;
  });
  afterAll(async () => t?.close());

  const breach = async () => (await t.as().get(`/api/breaches/${breachId}`)).body;
  const explain = (token: string, cause: string, correctiveAction: string) =>
    t.as(token).post(`/api/breaches/${breachId}/explanation`).send({ cause, correctiveAction });
  const review = (token: string, body: object) => t.as(token).post(`/api/breaches/${breachId}/explanation/review`).send(body);

  it('is written only by the owner: the provider department or the stage owner, not the consumer', async () => {
    for (const token of [org.marketingMember.token, org.marketingHead.token]) {
      const refused = await explain(token, 'Not ours', 'Nothing');
      expect(refused.status).toBe(403);
      expect(refused.body.message).toBe("only the breach's owner (its department or the stage owner) may explain it");
    }
    expect(await breach()).toMatchObject({ explained: false, reviewStatus: null, history: [], review: null });
    // Nothing to review before there is an explanation.
    const early = await review(org.marketingHead.token, { verdict: 'accepted' });
    expect(early.status).toBe(409);
    expect(early.body.message).toBe('this breach has no explanation to review yet');
  });

  it('keeps every edit: who, when, cause and action', async () => {
    t.clock.set('2026-11-09T11:00:00Z');
    expect((await explain(org.salesMember.token, 'Kick-off day', 'A backup watches the queue')).status).toBe(200);
    t.clock.set('2026-11-09T15:30:00Z');
    const edited = await explain(org.salesHead.token, 'Kick-off day; the queue had no owner', 'Sofia watches the queue on team days');
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({
      explained: true,
      cause: 'Kick-off day; the queue had no owner',
      correctiveAction: 'Sofia watches the queue on team days',
      explainedBy: org.salesHead.id,
      reviewStatus: 'pending',
      review: null,
      consumerDepartmentId: org.marketing.id,
    });
    expect((await breach()).history).toEqual([
      { revision: 1, cause: 'Kick-off day', correctiveAction: 'A backup watches the queue', explainedBy: org.salesMember.id, explainedAt: '2026-11-09T11:00:00.000Z', reviews: [] },
      {
        revision: 2,
        cause: 'Kick-off day; the queue had no owner',
        correctiveAction: 'Sofia watches the queue on team days',
        explainedBy: org.salesHead.id,
        explainedAt: '2026-11-09T15:30:00.000Z',
        reviews: [],
      },
    ]);
  });

  it('is reviewed only by the head of the consumer department, a dispute always with a comment', async () => {
    for (const token of [org.salesHead.token, org.salesMember.token, org.marketingMember.token, undefined]) {
      const refused = await review(token as string, { verdict: 'accepted' });
      expect(refused.status).toBe(403);
    }
    const bare = await review(org.marketingHead.token, { verdict: 'disputed' });
    expect(bare.status).toBe(400);
    expect(Object.keys(bare.body.errors)).toEqual(['comment']);
    expect(bare.body.errors.comment).toContain('comment is required to dispute an explanation: say what is not accepted');
    const blank = await review(org.marketingHead.token, { verdict: 'disputed', comment: '' });
    expect(Object.keys(blank.body.errors)).toEqual(['comment']);
    const unknownVerdict = await review(org.marketingHead.token, { verdict: 'maybe', comment: 'Hm' });
    expect(unknownVerdict.status).toBe(400);
    expect(Object.keys(unknownVerdict.body.errors)).toEqual(['verdict']);
    const extra = await review(org.marketingHead.token, { verdict: 'accepted', score: 5 });
    expect(extra.status).toBe(400);
    expect((await t.as(org.marketingHead.token).post('/api/breaches/not-an-id/explanation/review').send({ verdict: 'accepted' })).status).toBe(400);
    expect(
      (await t.as(org.marketingHead.token).post('/api/breaches/0190a7d2-0000-7000-8000-000000000000/explanation/review').send({ verdict: 'accepted' })).status,
    ).toBe(404);
    expect(await breach()).toMatchObject({ reviewStatus: 'pending', review: null });
    expect((await breach()).history[1].reviews).toEqual([]);

    t.clock.set('2026-11-10T08:00:00Z');
    const disputed = await review(org.marketingHead.token, DISPUTE);
    expect(disputed.status).toBe(200);
    expect(disputed.body).toMatchObject({
      reviewStatus: 'disputed',
      review: { verdict: 'disputed', comment: DISPUTE.comment, reviewedBy: org.marketingHead.id, reviewedAt: '2026-11-10T08:00:00.000Z' },
    });
    expect(disputed.body.history[1].reviews).toEqual([disputed.body.review]);
    expect(disputed.body.history[0].reviews).toEqual([]);
  });

  it('lists the disputed breach on the next meeting’s agenda whatever its date, and a plain old one not', async () => {
    // Another lead, late the same week and explained: due before the previous meeting, not disputed.
    t.clock.set('2026-11-10T12:00:00Z');
    await sendEvents(t, org.salesHead.token, [
      crmEvent('lead.handed_over', 'L-OLD', '2026-11-10T09:00:00+01:00', { score: 'hot' }),
      crmEvent('lead.contacted', 'L-OLD', '2026-11-10T11:00:00+01:00'),
    ]);
    const old = (await t.as().get(`/api/breaches?agreementId=${agreementId}`)).body.items.find((b: { subject: string }) => b.subject === 'L-OLD');
    expect((await t.as(org.salesMember.token).post(`/api/breaches/${old.id}/explanation`).send({ cause: 'Lunch', correctiveAction: 'Rota' })).status).toBe(200);

    // The second meeting: its previous one (17 Nov) is after both breaches fell due.
    t.clock.set('2026-11-20T09:00:00Z');
    const built = await t.as(org.marketingHead.token).post(`/api/meetings/${meetings[1].id}/agenda/build`);
    expect(built.status).toBe(200);
    const item = built.body.agenda.find((entry: { source: string }) => entry.source === 'breaches');
    expect(item.title).toBe('Breaches of "Hot leads are called fast": 1, 0 unexplained, 1 disputed');
    expect(item.details.breaches.map((b: AgendaBreach) => [b.subject, b.reviewStatus, b.carriedOver])).toEqual([['L-LATE', 'disputed', true]]);
  });

  it('is reopened for review by an edit, still carried on the agenda until accepted', async () => {
    t.clock.set('2026-11-20T10:00:00Z');
    const edited = await explain(org.salesMember.token, 'Routed to the wrong team by a CRM rule', 'The rule is fixed; the queue has an owner');
    expect(edited.body).toMatchObject({ reviewStatus: 'pending', review: null });
    expect(edited.body.history.map((revision: { revision: number; reviews: unknown[] }) => [revision.revision, revision.reviews.length])).toEqual([
      [1, 0],
      [2, 1],
      [3, 0],
    ]);
    const rebuilt = await t.as(org.marketingHead.token).post(`/api/meetings/${meetings[1].id}/agenda/build`);
    const carried = rebuilt.body.agenda.find((entry: { source: string }) => entry.source === 'breaches');
    expect(carried.details.breaches.map((b: AgendaBreach) => [b.subject, b.reviewStatus])).toEqual([['L-LATE', 'pending']]);

    const accepted = await review(org.marketingHead.token, { verdict: 'accepted' });
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ reviewStatus: 'accepted', review: { verdict: 'accepted', comment: null, reviewedBy: org.marketingHead.id } });
    const after = await t.as(org.marketingHead.token).post(`/api/meetings/${meetings[1].id}/agenda/build`);
    expect(after.body.agenda.map((entry: { source: string }) => entry.source)).not.toContain('breaches');

    // The audit log tells who reviewed what.
    const audit = await t.as().get(`/api/audit?entityType=breach&entityId=${breachId}`);
    expect(audit.body.items.map((entry: { action: string }) => entry.action).sort()).toEqual(['explain', 'explain', 'explain', 'review', 'review']);
  });
});
