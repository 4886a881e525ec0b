import { seedBreach } from '../support/breach-fixture.js';
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
});
