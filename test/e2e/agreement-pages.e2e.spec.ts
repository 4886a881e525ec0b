import { createCalendar, qualifiedLeads, signAgreement } from '../support/agreement-fixture.js';
import { seedOrg, type SeededOrg } from '../support/org-fixture.js';
import { errorAt, shownValue } from '../support/page-html.js';
import { pageSession } from '../support/page-session.js';
import { TestApp } from '../support/test-app.js';

type Session = Awaited<ReturnType<typeof pageSession>>;

const unescape = (html: string) =>
  html.replace(/&#x3D;/g, '=').replace(/&quot;/g, '"').replace(/&#x27;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** The text of a field's error paragraph (`<p class="field-error" id="f-…-error">`), or null. */
function fieldError(html: string, id: string): string | null {
  const match = new RegExp(`<p class="field-error" id="${id}-error">([^<]*)</p>`).exec(html);
  return match ? unescape(match[1]) : null;
}

/** The value attribute of a text-like control, as the page shows it. */
function valueOf(html: string, id: string): string | null {
  const match = new RegExp(`<input type="[a-z-]+" id="${id}"[^>]* value="([^"]*)"`).exec(html);
  return match ? unescape(match[1]) : null;
}

/**
 * Rows as a browser posts them, `targets[0][within]`: supertest would write a list as
 * `targets[][within]`, which reads back as one row per field.
 */
const indexed = <T>(list: T[]): Record<string, T> => Object.fromEntries(list.map((item, index) => [String(index), item]));

describe('agreement pages: bad form posts are refused next to the field, and change nothing', () => {
  let t: TestApp;
  let org: SeededOrg;
  let calendarId: string;
  let marketing: Session;
  let sales: Session;
  let member: Session;

  const form = (overrides: Record<string, unknown> = {}) => ({
    name: 'Hot leads are called fast',
    kind: 'response',
    providerDepartmentId: org.sales.id,
    consumerDepartmentId: org.marketing.id,
    calendarId,
    stageId: '',
    response: {
      startOn: { type: 'lead.handed_over', when: '' },
      stopOn: { type: 'lead.contacted', when: '' },
      pauseOn: { type: '', when: '' },
      resumeOn: { type: '', when: '' },
      cancelOn: { type: '', when: '' },
      targets: indexed([
        { name: '', when: 'score=hot', within: 'PT1H' },
        { name: '', when: 'score=warm', within: 'PT4H' },
        { name: '', when: '', within: 'P2D' },
      ]),
      goalPercent: '95',
      warnAtPercent: '80',
    },
    quota: { countOn: { type: '', when: '' }, period: 'month', minimum: '' },
    ...overrides,
  });
  const agreementCount = async () => (await t.as().get('/api/agreements')).body.total as number;

  beforeAll(async () => {
    t = await TestApp.start();
    org = await seedOrg(t);
    calendarId = await createCalendar(t);
    marketing = await pageSession(t, org.marketingHead.token);
    sales = await pageSession(t, org.salesHead.token);
    member = await pageSession(t, org.marketingMember.token);
  });
  afterAll(async () => t?.close());

  describe('drafting (POST /agreements)', () => {
    it('shows the editor, empty, to a head', async () => {
      const page = await marketing.get('/agreements/new');
      expect(page.status).toBe(200);
      expect(page.text).toContain('<label for="f-response-targets-0-within">Target 1: due within');
      expect(page.text).toContain('src="/assets/agreement-editor.js"');
    });

    it('names every missing or faulty field at once, keeps what was typed, and saves nothing', async () => {
      const response = await marketing.post(
        '/agreements',
        form({
          name: '',
          response: {
            ...form().response,
            targets: indexed([
              { name: '', when: 'score', within: 'PT1X' },
              { name: '', when: '', within: '' },
              { name: 'late', when: '', within: 'P2D' },
            ]),
            goalPercent: '150',
          },
        }),
      );
      expect(response.status).toBe(400);
      expect(fieldError(response.text, 'f-name')).toMatch(/name must be longer than or equal to 1 characters/);
      expect(fieldError(response.text, 'f-response-targets-0-when')).toMatch(/attribute=value/);
      expect(response.text).toContain('class="error-summary"');
      // The blank row is dropped: the row typed third is now the second, with its values.
      expect(valueOf(response.text, 'f-response-targets-0-within')).toBe('PT1X');
      expect(valueOf(response.text, 'f-response-targets-0-when')).toBe('score');
      expect(valueOf(response.text, 'f-response-targets-1-name')).toBe('late');
      expect(valueOf(response.text, 'f-response-goalPercent')).toBe('150');
      expect(await agreementCount()).toBe(0);

      // With the form's own problem fixed, the tracking domain names the rest, in place.
      const domain = await marketing.post(
        '/agreements',
        form({ response: { ...form().response, targets: indexed([{ name: '', when: 'score=hot', within: 'PT1X' }]), goalPercent: '150' } }),
      );
      expect(domain.status).toBe(400);
      expect(fieldError(domain.text, 'f-response-targets-0-within')).toMatch(/PT1X/);
      expect(fieldError(domain.text, 'f-response-goalPercent')).toMatch(/at most 100/);
      expect(valueOf(domain.text, 'f-name')).toBe('Hot leads are called fast');
      expect(await agreementCount()).toBe(0);
    });

    it('refuses an event filter half filled, a target that can never apply, and a department promising itself', async () => {
      const pause = await marketing.post('/agreements', form({ response: { ...form().response, pauseOn: { type: 'lead.on_hold', when: '' } } }));
      expect(pause.status).toBe(400);
      expect(fieldError(pause.text, 'f-response-resumeOn-type')).toMatch(/pauseOn and resumeOn go together/);

      const unreachable = await marketing.post(
        '/agreements',
        form({ response: { ...form().response, targets: indexed([{ name: '', when: '', within: 'P2D' }, { name: '', when: 'score=hot', within: 'PT1H' }]) } }),
      );
      expect(unreachable.status).toBe(400);
      expect(unreachable.text).toMatch(/<fieldset id="f-response-targets-1"[^>]*>\s*<legend>Target 2<\/legend>\s*<p class="field-error">[^<]*can never apply/);

      const self = await marketing.post('/agreements', form({ providerDepartmentId: org.marketing.id }));
      expect(self.status).toBe(400);
      expect(fieldError(self.text, 'f-consumerDepartmentId')).toMatch(/must differ/);
      expect(await agreementCount()).toBe(0);
    });

    it('refuses a quota without a whole minimum, and an unknown calendar', async () => {
      const quota = await marketing.post(
        '/agreements',
        form({ kind: 'quota', name: 'MQLs', providerDepartmentId: org.marketing.id, consumerDepartmentId: org.sales.id, quota: { countOn: { type: 'lead.mql', when: 'region=EU' }, period: 'month', minimum: 'lots' } }),
      );
      expect(quota.status).toBe(400);
      expect(fieldError(quota.text, 'f-quota-minimum')).toMatch(/whole number/);
      expect(valueOf(quota.text, 'f-quota-countOn-when')).toBe('region=EU');
      expect(quota.text).toMatch(/<option value="quota" selected>/);

      const calendar = await marketing.post('/agreements', form({ calendarId: '00000000-0000-4000-8000-000000000000' }));
      expect(calendar.status).toBe(400);
      expect(fieldError(calendar.text, 'f-calendarId')).toMatch(/does not exist/);
      expect(await agreementCount()).toBe(0);
    });

    it('refuses a forged post (no CSRF token) and a member, who may not draft', async () => {
      expect((await marketing.forge('/agreements', form())).status).toBe(403);
      const refused = await member.post('/agreements', form());
      expect(refused.status).toBe(403);
      expect(refused.text).toContain('only the head of the provider or consumer department');
      expect(await agreementCount()).toBe(0);
    });
  });

  describe('on a draft', () => {
    let id: string;
    const api = async () => (await t.as().get(`/api/agreements/${id}`)).body;

    beforeAll(async () => {
      const created = await marketing.post('/agreements', form());
      expect(created.status).toBe(303);
      id = /\/agreements\/([0-9a-f-]{36})/.exec(created.headers.location)![1];
    });

    it('refuses a bad change of the draft (POST /agreements/:id), keeping the draft as it was', async () => {
      const before = await api();
      const response = await marketing.post(`/agreements/${id}`, form({ name: 'x'.repeat(121), calendarId: 'not-a-calendar' }));
      expect(response.status).toBe(400);
      expect(fieldError(response.text, 'f-name')).toMatch(/shorter than or equal to 120/);
      expect(fieldError(response.text, 'f-calendarId')).toMatch(/UUID/);
      expect(valueOf(response.text, 'f-name')).toBe('x'.repeat(121));
      expect(await api()).toEqual(before);

      expect((await marketing.forge(`/agreements/${id}`, form({ name: 'Forged' }))).status).toBe(403);
      expect((await member.post(`/agreements/${id}`, form({ name: 'By a member' }))).status).toBe(403);
      expect((await marketing.post('/agreements/00000000-0000-4000-8000-000000000000', form())).status).toBe(404);
      expect((await marketing.post('/agreements/not-an-id', form())).status).toBe(400);
      expect(await api()).toEqual(before);
    });

    it('refuses to approve or reject a draft not yet proposed', async () => {
      const response = await sales.post(`/agreements/${id}/approve`, { comment: '' });
      expect(response.status).toBe(409);
      expect(response.text).toMatch(/propose it first/);
      expect((await api()).pending.approvals).toEqual([]);
    });

    it('refuses a forged or unauthorised proposal, then proposes once', async () => {
      expect((await marketing.forge(`/agreements/${id}/propose`)).status).toBe(403);
      expect((await member.post(`/agreements/${id}/propose`)).status).toBe(403);
      expect((await api()).pending.status).toBe('draft');

      expect((await marketing.post(`/agreements/${id}/propose`)).status).toBe(303);
      const again = await marketing.post(`/agreements/${id}/propose`);
      expect(again.status).toBe(409);
      expect(again.text).toContain('no draft version to propose');
      expect((await api()).pending).toMatchObject({ status: 'proposed', approvals: [] });
    });

    it('refuses a rejection without a comment, next to the comment field', async () => {
      const response = await sales.post(`/agreements/${id}/reject`, { comment: '   ' });
      expect(response.status).toBe(400);
      expect(fieldError(response.text, 'f-comment')).toMatch(/comment/);
      expect((await api()).pending).toMatchObject({ status: 'proposed', approvals: [] });
    });

    it('refuses an approval with an over-long comment, keeping it typed', async () => {
      const comment = 'y'.repeat(2001);
      const response = await sales.post(`/agreements/${id}/approve`, { comment });
      expect(response.status).toBe(400);
      expect(fieldError(response.text, 'f-comment')).toMatch(/shorter than or equal to 2000/);
      expect(response.text).toContain(`>${comment}</textarea>`);
      expect((await api()).pending.approvals).toEqual([]);
    });

    it('lets only heads decide: a member, an admin-free forgery, are refused', async () => {
      const refused = await member.post(`/agreements/${id}/approve`, { comment: 'fine by me' });
      expect(refused.status).toBe(403);
      expect(refused.text).toContain('only the heads of the provider and consumer departments may approve or reject');
      expect((await member.post(`/agreements/${id}/reject`, { comment: 'no' })).status).toBe(403);
      expect((await sales.forge(`/agreements/${id}/approve`, { comment: '' })).status).toBe(403);
      expect((await sales.forge(`/agreements/${id}/reject`, { comment: 'forged' })).status).toBe(403);
      expect((await api()).pending).toMatchObject({ status: 'proposed', approvals: [] });
    });

    it('refuses a second approval from the same department', async () => {
      expect((await sales.post(`/agreements/${id}/approve`, { comment: '' })).status).toBe(303);
      const again = await sales.post(`/agreements/${id}/approve`, { comment: '' });
      expect(again.status).toBe(409);
      expect(again.text).toContain('already approved');
      expect((await api()).pending.approvals).toHaveLength(1);
    });

    it('rejects with a comment, back to draft', async () => {
      const response = await marketing.post(`/agreements/${id}/reject`, { comment: 'Two hours on Mondays.' });
      expect(response.status).toBe(303);
      expect((await api()).pending).toMatchObject({ status: 'draft' });
      const detail = await marketing.get(`/agreements/${id}`);
      expect(detail.text).toContain('“Two hours on Mondays.”');
    });
  });

  describe('the replay panel and the due-time preview', () => {
    let id: string;

    beforeAll(async () => {
      const created = await marketing.post('/agreements', form({ name: 'Replayed' }));
      id = /\/agreements\/([0-9a-f-]{36})/.exec(created.headers.location)![1];
    });

    it('replays the previous quarter by default, and names bad days next to their field', async () => {
      const detail = await marketing.get(`/agreements/${id}`);
      expect(detail.status).toBe(200);
      expect(valueOf(detail.text, 'f-from')).toBe('2026-07-01');
      expect(valueOf(detail.text, 'f-to')).toBe('2026-09-30');
      expect(detail.text).toContain('Q3 2026 under version 1');

      const bad = await marketing.get(`/agreements/${id}?from=2026-02-30&to=2026-09-30`);
      expect(bad.status).toBe(400);
      expect(fieldError(bad.text, 'f-from')).toBe('from must be a date such as 2026-07-01');
      expect(valueOf(bad.text, 'f-from')).toBe('2026-02-30');

      const unknownVersion = await marketing.get(`/agreements/${id}?from=2026-07-01&to=2026-09-30&version=9`);
      expect(unknownVersion.status).toBe(400);
      expect(unknownVersion.text).toMatch(/<p class="field-error" id="f-version-error">version 9 does not exist/);
    });

    it('answers when a lead arriving now is due, as JSON for the editor', async () => {
      // The test clock stands at Monday 2 November 2026, 09:00 in Paris.
      const due = await marketing.get(`/agreements/preview-due?calendarId=${calendarId}&within=PT1H`);
      expect(due.status).toBe(200);
      expect(due.body).toEqual({ due: '2026-11-02T09:00:00.000Z', text: 'Mon 2 Nov 2026, 10:00 Europe/Paris' });
      const bad = await marketing.get(`/agreements/preview-due?calendarId=${calendarId}&within=PT1Y`);
      expect(bad.status).toBe(400);
      expect(bad.body.errors.within[0]).toMatch(/not an ISO 8601 duration/);
      expect((await marketing.get('/agreements/preview-due?within=PT1H')).body).toEqual({ errors: { calendarId: ['choose a calendar'] } });

      const editor = await marketing.get(`/agreements/${id}/edit`);
      expect(editor.text).toContain('If a lead arrives now, it is due at Mon 2 Nov 2026, 10:00 Europe/Paris.');
    });
  });

  describe('changing an agreement in force', () => {
    let id: string;
    const versions = async () => (await t.as().get(`/api/agreements/${id}/versions`)).body as { number: number; status: string; quota: { minimum: number } }[];

    beforeAll(async () => {
      id = await signAgreement(t, org, qualifiedLeads(org, calendarId));
    });

    it('shows the quota in force with this period, and opens the editor on it', async () => {
      const detail = await marketing.get(`/agreements/${id}`);
      expect(detail.status).toBe(200);
      expect(detail.text).toContain('At least <strong>200</strong> <code>lead.mql</code> events with region&#x3D;EU per month.');
      expect(detail.text).toContain('this month (from Sun 1 Nov 2026)');
      const editor = await marketing.get(`/agreements/${id}/edit`);
      expect(editor.status).toBe(200);
      expect(valueOf(editor.text, 'f-quota-minimum')).toBe('200');
      expect(editor.text).toContain('saving opens a new draft version');
    });

    it('refuses a bad change without opening a version, then opens version 2 beside the one in force', async () => {
      const quota = (minimum: string, period = 'month') => ({ countOn: { type: 'lead.mql', when: 'region=EU' }, period, minimum });
      const base = { name: 'Marketing delivers qualified leads', calendarId, stageId: '' };
      const bad = await marketing.post(`/agreements/${id}`, { ...base, quota: quota('0') });
      expect(bad.status).toBe(400);
      expect(fieldError(bad.text, 'f-quota-minimum')).toMatch(/whole number of at least 1/);
      expect(valueOf(bad.text, 'f-quota-minimum')).toBe('0');
      const period = await marketing.post(`/agreements/${id}`, { ...base, quota: quota('250', 'quarter') });
      expect(period.status).toBe(400);
      expect(period.text).toMatch(/<p class="field-error" id="f-quota-period-error">quota.period cannot change once periods have been measured/);
      expect(await versions()).toEqual([expect.objectContaining({ number: 1, status: 'active' })]);

      const saved = await marketing.post(`/agreements/${id}`, { ...base, quota: quota('250') });
      expect(saved.status).toBe(303);
      expect(await versions()).toEqual([
        expect.objectContaining({ number: 1, status: 'active', quota: expect.objectContaining({ minimum: 200 }) }),
        expect.objectContaining({ number: 2, status: 'draft', quota: expect.objectContaining({ minimum: 250 }) }),
      ]);
    });
  });

  describe('the link to a subject in the CRM', () => {
    it('names a link without {subject} under its field, saves nothing, then saves one and removes it when emptied', async () => {
      const before = await agreementCount();
      const bad = await marketing.post('/agreements', form({ name: 'Linked to the CRM', subjectLink: 'https://crm.example.com/leads' }));
      expect(bad.status).toBe(400);
      expect(errorAt(bad.text, 'subjectLink')).toMatch(/subjectLink must contain \{subject\}/);
      expect(shownValue(bad.text, 'subjectLink')).toBe('https://crm.example.com/leads');
      expect(await agreementCount()).toBe(before);

      const created = await marketing.post('/agreements', form({ name: 'Linked to the CRM', subjectLink: 'https://crm.example.com/leads/{subject}' }));
      expect(created.status).toBe(303);
      const id = /\/agreements\/([0-9a-f-]{36})/.exec(created.headers.location)![1];
      expect((await t.as().get(`/api/agreements/${id}`)).body.pending).toMatchObject({ subjectLink: 'https://crm.example.com/leads/{subject}' });
      const editor = await marketing.get(`/agreements/${id}/edit`);
      expect(shownValue(editor.text, 'subjectLink')).toBe('https://crm.example.com/leads/{subject}');

      const emptied = await marketing.post(`/agreements/${id}`, form({ name: 'Linked to the CRM', subjectLink: '' }));
      expect(emptied.status).toBe(303);
      expect((await t.as().get(`/api/agreements/${id}`)).body.pending).toMatchObject({ subjectLink: null });
    });
  });

  describe('measuring from an agreed date (the editor\'s "measure from")', () => {
    it('offers "the start of last month", computed on the chosen calendar from the service clock', async () => {
      t.clock.set('2026-11-02T08:00:00Z');
      const page = await marketing.get('/agreements/new');
      expect(page.text).toContain('<option value="last-month">The start of last month: Thu 1 Oct 2026, 00:00 Europe/Paris</option>');
      expect(shownValue(page.text, 'measureFromShortcut')).toBe('');
    });

    it('shows a date too far back under the field, keeps it typed, and saves nothing', async () => {
      t.clock.set('2026-11-02T08:00:00Z');
      const before = await agreementCount();
      const far = await marketing.post('/agreements', form({ name: 'Measured from afar', measureFrom: '2025-09-01', measureFromShortcut: '' }));
      expect(far.status).toBe(400);
      expect(errorAt(far.text, 'measureFrom')).toMatch(/^measureFrom must be at most 400 days before the approval/);
      expect(shownValue(far.text, 'measureFrom')).toBe('2025-09-01');
      const malformed = await marketing.post('/agreements', form({ name: 'Measured from afar', measureFrom: 'last week', measureFromShortcut: '' }));
      expect(malformed.status).toBe(400);
      expect(errorAt(malformed.text, 'measureFrom')).toMatch(/measureFrom must be an ISO 8601 instant/);
      expect(await agreementCount()).toBe(before);
    });

    it('saves the start of last month on the calendar, and offers the field no more once in force', async () => {
      t.clock.set('2026-11-02T08:00:00Z');
      const created = await marketing.post('/agreements', form({ name: 'Measured since October', measureFrom: '', measureFromShortcut: 'last-month' }));
      expect(created.status).toBe(303);
      const id = /\/agreements\/([0-9a-f-]{36})/.exec(created.headers.location)![1];
      const stored = await t.as().get(`/api/agreements/${id}`);
      expect(stored.body.pending).toMatchObject({ measureFrom: '2026-09-30T22:00:00.000Z' });
      const editor = await marketing.get(`/agreements/${id}/edit`);
      expect(shownValue(editor.text, 'measureFrom')).toBe('2026-09-30T22:00:00.000Z');
      const detail = await marketing.get(`/agreements/${id}`);
      expect(detail.text).toContain('<dt>Measures from</dt><dd>Thu 1 Oct 2026, 00:00 Europe/Paris');

      await t.as(org.salesHead.token).post(`/api/agreements/${id}/propose`).expect(200);
      await t.as(org.salesHead.token).post(`/api/agreements/${id}/approve`).send({}).expect(200);
      await t.as(org.marketingHead.token).post(`/api/agreements/${id}/approve`).send({}).expect(200);
      const inForce = await marketing.get(`/agreements/${id}/edit`);
      expect(inForce.status).toBe(200);
      expect(inForce.text).not.toContain('id="f-measureFrom"');
    });
  });
});
