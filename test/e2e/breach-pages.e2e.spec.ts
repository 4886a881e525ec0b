import { seedBreach } from '../support/breach-fixture.js';
import { decode, errorAt, shownValue } from '../support/page-html.js';
import { seedOrg, type SeededOrg } from '../support/org-fixture.js';
import { pageSession } from '../support/page-session.js';
import { TestApp } from '../support/test-app.js';

describe('breach pages over HTTP', () => {
  let t: TestApp;
  let org: SeededOrg;
  let breachId: string;
  let agreementId: string;

  beforeAll(async () => {
    t = await TestApp.start();
    org = await seedOrg(t);
    ({ breachId, agreementId } = await seedBreach(t, org));
  });
  afterAll(async () => t?.close());

  const stored = async () => (await t.as().get(`/api/breaches/${breachId}`)).body;

  it('lists the breach waiting for its explanation, filtered by agreement', async () => {
    const s = await pageSession(t, org.salesMember.token);
    const page = await s.get(`/breaches?agreementId=${agreementId}&explained=unexplained`);
    expect(page.status).toBe(200);
    expect(page.text).toContain(`href="/breaches/${breachId}"`);
    expect(page.text).toContain('1 of 1 breach(es)');
    const explained = await s.get('/breaches?explained=explained');
    expect(explained.text).toContain('0 of 0 breach(es)');
  });

  it('names a filter that is not a date, with a 400', async () => {
    const s = await pageSession(t, org.salesMember.token);
    const page = await s.get('/breaches?from=next-tuesday&agreementId=not-a-uuid');
    expect(page.status).toBe(400);
    expect(page.text).toContain('id="f-from-error"');
    expect(page.text).toContain('from must be a date such as 2026-11-02');
  });

  it('refuses an incomplete explanation next to the missing field, keeping what was typed, changing nothing', async () => {
    const s = await pageSession(t, org.salesMember.token);
    const page = await s.post(`/breaches/${breachId}/explanation`, { cause: 'Kick-off <b>day</b>', correctiveAction: '   ' });
    expect(page.status).toBe(400);
    expect(page.text).toMatch(/id="f-correctiveAction-error">correctiveAction must be longer than or equal to 1 characters/);
    expect(page.text).toContain('Kick-off &lt;b&gt;day&lt;/b&gt;</textarea>');
    expect(await stored()).toMatchObject({ explained: false, cause: null, correctiveAction: null });
  });

  it('refuses an explanation too long, an unknown breach, a forged form and someone outside the owning department', async () => {
    const s = await pageSession(t, org.salesMember.token);
    const long = await s.post(`/breaches/${breachId}/explanation`, { cause: 'x'.repeat(2001), correctiveAction: 'backup' });
    expect(long.status).toBe(400);
    expect(long.text).toContain('id="f-cause-error"');
    const unknown = await s.post('/breaches/0190a7d2-0000-7000-8000-000000000000/explanation', { cause: 'a', correctiveAction: 'b' });
    expect(unknown.status).toBe(404);
    const malformed = await s.post('/breaches/not-an-id/explanation', { cause: 'a', correctiveAction: 'b' });
    expect(malformed.status).toBe(400);
    expect(malformed.text).toContain('id must be a UUID');
    expect((await s.get('/breaches/not-an-id')).status).toBe(400);
    const forged = await s.forge(`/breaches/${breachId}/explanation`, { cause: 'a', correctiveAction: 'b' });
    expect(forged.status).toBe(403);
    const marketing = await pageSession(t, org.marketingMember.token);
    const outsider = await marketing.post(`/breaches/${breachId}/explanation`, { cause: 'a', correctiveAction: 'b' });
    expect(outsider.status).toBe(403);
    expect(outsider.text).toContain("only the breach&#x27;s owner");
    expect(await stored()).toMatchObject({ explained: false, cause: null });
  });

  it('saves the owner’s explanation and shows it', async () => {
    const s = await pageSession(t, org.salesMember.token);
    const saved = await s.post(`/breaches/${breachId}/explanation`, { cause: 'Sales kick-off', correctiveAction: 'A named backup watches the queue' });
    expect(saved.status).toBe(303);
    expect(saved.headers.location).toMatch(new RegExp(`^/breaches/${breachId}\\?notice=Explanation%20saved\\.&n=[A-Za-z0-9_-]{22}$`));
    expect((await s.get(saved.headers.location)).text).toContain('<p class="notice" role="status">Explanation saved.</p>');
    // The same words without the signature (a link crafted elsewhere) show nothing.
    expect((await s.get(`/breaches/${breachId}?notice=Explanation%20saved.`)).text).not.toContain('class="notice"');
    expect(await stored()).toMatchObject({ explained: true, cause: 'Sales kick-off', correctiveAction: 'A named backup watches the queue', explainedBy: org.salesMember.id });
    const page = await s.get(`/breaches/${breachId}`);
    expect(page.text).toContain('A named backup watches the queue');
  });

  it('offers the review to the head of marketing only, and refuses a dispute without a comment next to the field, changing nothing', async () => {
    const owner = await pageSession(t, org.salesMember.token);
    expect((await owner.get(`/breaches/${breachId}`)).text).not.toContain('action="/breaches/' + breachId + '/explanation/review"');
    const head = await pageSession(t, org.marketingHead.token);
    const page = await head.get(`/breaches/${breachId}`);
    expect(page.text).toContain(`action="/breaches/${breachId}/explanation/review"`);
    expect(page.text).toContain('Awaiting review</span> by the head of Marketing');

    const bare = await head.post(`/breaches/${breachId}/explanation/review`, { verdict: 'disputed', comment: '   ' });
    expect(bare.status).toBe(400);
    expect(errorAt(bare.text, 'comment')).toMatch(/comment is required to dispute an explanation/);
    const odd = await head.post(`/breaches/${breachId}/explanation/review`, { verdict: 'maybe', comment: 'Hm <i>' });
    expect(odd.status).toBe(400);
    expect(decode(odd.text)).toContain('verdict must be one of the following values: accepted, disputed');
    expect(shownValue(odd.text, 'comment')).toBe('Hm <i>');
    expect((await head.forge(`/breaches/${breachId}/explanation/review`, { verdict: 'accepted' })).status).toBe(403);
    const outsider = await owner.post(`/breaches/${breachId}/explanation/review`, { verdict: 'accepted' });
    expect(outsider.status).toBe(403);
    expect(decode(outsider.text)).toContain('only the head of the consumer department');
    expect(await stored()).toMatchObject({ reviewStatus: 'pending', review: null });
  });

  it('records a dispute, shows it with the history, and reopens the review when the owner edits', async () => {
    const head = await pageSession(t, org.marketingHead.token);
    const disputed = await head.post(`/breaches/${breachId}/explanation/review`, { verdict: 'disputed', comment: 'The backup was on leave <too>' });
    expect(disputed.status).toBe(303);
    expect(disputed.headers.location).toMatch(new RegExp(`^/breaches/${breachId}\\?notice=Explanation%20disputed\\.`));
    expect(await stored()).toMatchObject({ reviewStatus: 'disputed', review: { verdict: 'disputed', comment: 'The backup was on leave <too>' } });
    const shown = await head.get(`/breaches/${breachId}`);
    expect(shown.text).toContain('<span class="badge bad">Disputed</span> by Maëlle Head');
    expect(shown.text).toContain('The backup was on leave &lt;too&gt;');

    const owner = await pageSession(t, org.salesMember.token);
    expect((await owner.post(`/breaches/${breachId}/explanation`, { cause: 'Sales kick-off', correctiveAction: 'Two named backups' })).status).toBe(303);
    expect(await stored()).toMatchObject({ reviewStatus: 'pending', review: null, history: [{ revision: 1 }, { revision: 2 }] });
    const history = (await owner.get(`/breaches/${breachId}`)).text;
    expect(history).toContain('History of the explanation');
    const rows = [...history.matchAll(/<strong>Revision (\d+)<\/strong>/g)].map((match) => match[1]);
    expect(rows).toEqual(['2', '1']);
    expect(history).toContain('A named backup watches the queue');
    expect(history).toContain('Two named backups');
    expect(history).toContain(
      '<span class="badge bad">disputed</span> Maëlle Head, Mon 9 Nov 2026, 11:00 Europe/Paris (2026-11-09T11:00+01:00): The backup was on leave &lt;too&gt;',
    );

    const accepted = await head.post(`/breaches/${breachId}/explanation/review`, { verdict: 'accepted' });
    expect(accepted.status).toBe(303);
    expect((await head.get(`/breaches/${breachId}`)).text).toContain('<span class="badge good">Accepted</span> by Maëlle Head');
  });
});
