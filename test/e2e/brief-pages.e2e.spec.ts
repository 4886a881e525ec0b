import { fieldId } from '../../src/web/form-fields.js';
import { completeContent } from '../support/brief-fixture.js';
import { createPerson, seedOrg, type SeededOrg, type SeededPerson } from '../support/org-fixture.js';
import { errorAt, fieldsInError, shownValue } from '../support/page-html.js';
import { pageSession } from '../support/page-session.js';
import { TEST_ADMIN_TOKEN, TestApp } from '../support/test-app.js';

type Session = Awaited<ReturnType<typeof pageSession>>;

const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';
const HOSTILE = `<script>window.__pwned=1</script>"'&`;

/**
 * A nested form as a browser posts it, field names flat (`content[goals][0][goal]`): superagent
 * would otherwise write list indexes its own way (`content[goals][goal]`), which no browser does.
 */
function posted(form: object, prefix = ''): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [key, value] of Object.entries(form)) {
    const name = prefix ? `${prefix}[${key}]` : key;
    if (value && typeof value === 'object') Object.assign(fields, posted(value as object, name));
    else fields[name] = String(value ?? '');
  }
  return fields;
}

describe('brief pages: every form post, refused as it should be', () => {
  let t: TestApp;
  let org: SeededOrg;
  let financeMember: SeededPerson;
  let marketingHead: Session;
  let marketingMember: Session;
  let salesHead: Session;
  let salesMember: Session;
  let finance: Session;

  /** The form as a browser posts it, complete: tests blank or spoil one field at a time. */
  function completeForm() {
    return {
      title: 'Spring launch',
      recipientDepartmentId: org.sales.id,
      content: {
        background: 'The spring launch has no qualified demand yet.',
        goals: [
          { goal: 'Fill the pipeline for the launch', target: '120 SQLs by 31 March' },
          { goal: '', target: '' },
        ],
        vision: 'Sales calls every interested IT director within a week of the webinar.',
        keyMessage: 'Downtime costs more than our licence.',
        audience: { primary: 'IT directors of mid-sized manufacturers', secondary: 'Procurement' },
        deliverables: 'Call script\r\nFollow-up email sequence',
        channels: 'phone\r\nemail',
        outOfScope: 'Trade shows',
        mandatoryElements: 'The new logo',
        deadline: '2026-12-15',
        milestones: [{ name: 'First draft', date: '2026-11-20' }, { name: '', date: '' }],
        budget: { amount: '15000', currency: 'EUR', approved: 'true' },
        successMetrics: [{ metric: 'Meetings booked', target: '≥ 40' }, { metric: '', target: '' }],
        stakeholders: 'Head of product',
        approverId: org.marketingHead.id,
        links: 'https://wiki.example.com/spring-launch',
      },
    };
  }

  async function brief(id: string) {
    const response = await t.as().get(`/api/briefs/${id}`);
    expect(response.status).toBe(200);
    return response.body;
  }

  async function briefCount(): Promise<number> {
    return (await t.as().get('/api/briefs?limit=1')).body.total;
  }

  async function draft(content: object = {}): Promise<string> {
    const created = await t.as(org.marketingHead.token).post('/api/briefs').send({ title: 'Spring launch', recipientDepartmentId: org.sales.id, content });
    expect(created.status).toBe(201);
    return created.body.id;
  }

  async function submitted(): Promise<string> {
    const id = await draft(completeContent(org.marketingHead.id));
    expect((await t.as(org.marketingHead.token).post(`/api/briefs/${id}/submit`)).status).toBe(200);
    return id;
  }

  beforeAll(async () => {
    t = await TestApp.start();
    org = await seedOrg(t);
    const financeDepartment = (await t.as().post('/api/departments').send({ name: 'Finance', timezone: 'Europe/Paris' })).body;
    financeMember = await createPerson(t, { name: 'Fanny Member', email: 'fanny@example.com', role: 'member', departmentId: financeDepartment.id });
    marketingHead = await pageSession(t, org.marketingHead.token);
    marketingMember = await pageSession(t, org.marketingMember.token);
    salesHead = await pageSession(t, org.salesHead.token);
    salesMember = await pageSession(t, org.salesMember.token);
    finance = await pageSession(t, financeMember.token);
  });

  afterAll(async () => {
    await t?.close();
  });

  describe('the list', () => {
    it('names an unknown status filter next to the filter', async () => {
      const page = await marketingHead.get('/briefs?status=lost');
      expect(page.status).toBe(400);
      expect(errorAt(page.text, 'status')).toMatch(/status must be one of/);
    });

    it('shows titles as text, never as markup', async () => {
      const id = await draft();
      expect((await t.as(org.marketingHead.token).patch(`/api/briefs/${id}`).send({ title: HOSTILE })).status).toBe(200);
      const page = await marketingHead.get('/briefs?status=draft');
      expect(page.status).toBe(200);
      expect(page.text).not.toContain('<script>window.__pwned');
      expect(page.text).toContain('&lt;script&gt;window.__pwned&#x3D;1&lt;/script&gt;');
    });
  });

  describe('POST /briefs (a new draft)', () => {
    it('refuses a form without title or recipient next to each, keeps what was typed and files nothing', async () => {
      const before = await briefCount();
      const form = completeForm();
      form.title = '   ';
      form.recipientDepartmentId = '';
      form.content.background = HOSTILE;
      const page = await marketingMember.post('/briefs', posted(form));
      expect(page.status).toBe(400);
      expect(errorAt(page.text, 'title')).toMatch(/title must be longer than or equal to 1 characters/);
      expect(errorAt(page.text, 'recipientDepartmentId')).toMatch(/recipientDepartmentId must be a UUID/);
      expect(shownValue(page.text, 'content.background')).toBe(HOSTILE);
      expect(page.text).not.toContain('<script>window.__pwned');
      expect(shownValue(page.text, 'content.goals[0].target')).toBe('120 SQLs by 31 March');
      expect(shownValue(page.text, 'content.deliverables')).toBe('Call script\nFollow-up email sequence');
      expect(shownValue(page.text, 'content.approverId')).toBe(org.marketingHead.id);
      expect(await briefCount()).toBe(before);
    });

    it('names every malformed value next to its own field and keeps it as typed', async () => {
      const before = await briefCount();
      const form = completeForm();
      form.content.links = 'https://wiki.example.com/ok\r\nnot a link';
      form.content.deadline = '2026-02-30';
      form.content.budget = { amount: 'lots', currency: 'euros', approved: 'true' };
      form.content.goals = [{ goal: 'A goal without its target', target: '' }];
      form.content.milestones = [{ name: 'Review', date: 'soon' }];
      const page = await marketingMember.post('/briefs', posted(form));
      expect(page.status).toBe(400);
      expect(errorAt(page.text, 'content.links')).toMatch(/must be an http\(s\) URL/);
      expect(errorAt(page.text, 'content.deadline')).toMatch(/YYYY-MM-DD/);
      expect(errorAt(page.text, 'content.budget.amount')).toMatch(/amount must be a number/);
      expect(errorAt(page.text, 'content.budget.currency')).toMatch(/three-letter currency code/);
      expect(errorAt(page.text, 'content.goals[0].target')).toMatch(/target must be longer than or equal to 1 characters/);
      expect(errorAt(page.text, 'content.milestones[0].date')).toMatch(/YYYY-MM-DD/);
      expect(fieldsInError(page.text).sort()).toEqual(
        ['content.links', 'content.deadline', 'content.budget.amount', 'content.budget.currency', 'content.goals[0].target', 'content.milestones[0].date'].map(fieldId).sort(),
      );
      expect(shownValue(page.text, 'content.links')).toBe('https://wiki.example.com/ok\nnot a link');
      expect(shownValue(page.text, 'content.budget.amount')).toBe('lots');
      expect(shownValue(page.text, 'content.goals[0].goal')).toBe('A goal without its target');
      expect(shownValue(page.text, 'content.milestones[0].name')).toBe('Review');
      expect(await briefCount()).toBe(before);
    });

    it('refuses the own department as recipient (400) and an unknown one or approver (404), next to the field', async () => {
      const before = await briefCount();
      const own = { ...completeForm(), recipientDepartmentId: org.marketing.id };
      const ownPage = await marketingMember.post('/briefs', posted(own));
      expect(ownPage.status).toBe(400);
      expect(errorAt(ownPage.text, 'recipientDepartmentId')).toMatch(/must differ from the requesting department/);

      const unknown = await marketingMember.post('/briefs', posted({ ...completeForm(), recipientDepartmentId: UNKNOWN_ID }));
      expect(unknown.status).toBe(404);
      expect(errorAt(unknown.text, 'recipientDepartmentId')).toBe(`department ${UNKNOWN_ID} does not exist`);

      const form = completeForm();
      form.content.approverId = UNKNOWN_ID;
      const approver = await marketingMember.post('/briefs', posted(form));
      expect(approver.status).toBe(404);
      expect(errorAt(approver.text, 'content.approverId')).toBe(`person ${UNKNOWN_ID} does not exist`);
      expect(await briefCount()).toBe(before);
    });

    it('asks an admin outside any department which department files it', async () => {
      const admin = await pageSession(t, TEST_ADMIN_TOKEN);
      const form = await admin.get('/briefs/new');
      expect(form.status).toBe(200);
      expect(form.text).toContain('<label for="f-requesterDepartmentId">Department asking');
      expect((await admin.get('/briefs')).text).toContain('All briefs');
      const before = await briefCount();
      const page = await admin.post('/briefs', posted({ ...completeForm(), requesterDepartmentId: '' }));
      expect(page.status).toBe(400);
      expect(errorAt(page.text, 'requesterDepartmentId')).toMatch(/requesterDepartmentId is required/);
      expect(await briefCount()).toBe(before);
      const filed = await admin.post('/briefs', posted({ ...completeForm(), requesterDepartmentId: org.marketing.id }));
      expect(filed.status).toBe(303);
      const id = /^\/briefs\/([0-9a-f-]{36})\/edit/.exec(filed.headers.location)?.[1] as string;
      expect(await brief(id)).toMatchObject({ requesterDepartmentId: org.marketing.id, status: 'draft' });
    });

    it('refuses a form posted without the CSRF token (403) and files nothing', async () => {
      const before = await briefCount();
      const page = await marketingMember.forge('/briefs', posted(completeForm()));
      expect(page.status).toBe(403);
      expect(await briefCount()).toBe(before);
    });

    it('files a draft as typed and goes on to its form', async () => {
      const page = await marketingMember.post('/briefs', posted(completeForm()));
      expect(page.status).toBe(303);
      const id = /^\/briefs\/([0-9a-f-]{36})\/edit\?notice=Draft%20saved/.exec(page.headers.location)?.[1] as string;
      expect(id).toBeDefined();
      expect(await brief(id)).toMatchObject({
        title: 'Spring launch',
        status: 'draft',
        requesterDepartmentId: org.marketing.id,
        content: { ...completeContent(org.marketingHead.id), channels: ['phone', 'email'] },
      });
      const form = await marketingMember.get(page.headers.location);
      expect(form.status).toBe(200);
      expect(form.text).toContain('Everything a submission needs is filled in.');
    });
  });

  describe('POST /briefs/:id (saving a draft)', () => {
    it('refuses an invalid draft next to its fields, keeps what was typed, and leaves the stored draft as it was', async () => {
      const id = await draft({ background: 'Stored background.' });
      const before = await brief(id);
      const form = completeForm();
      form.title = '';
      form.content.background = 'Typed, not yet saved.';
      form.content.links = 'ftp://files.example.com';
      const page = await marketingMember.post(`/briefs/${id}`, posted(form));
      expect(page.status).toBe(400);
      expect(errorAt(page.text, 'title')).toMatch(/title must be longer/);
      expect(errorAt(page.text, 'content.links')).toMatch(/http\(s\) URL/);
      expect(shownValue(page.text, 'content.background')).toBe('Typed, not yet saved.');
      expect(await brief(id)).toEqual(before);
    });

    it('refuses people of another department (403), a forged form (403), an unknown brief (404) and a malformed id (400)', async () => {
      const id = await draft({ background: 'Stored background.' });
      const before = await brief(id);
      expect((await salesHead.post(`/briefs/${id}`, posted(completeForm()))).status).toBe(403);
      expect((await finance.post(`/briefs/${id}`, posted(completeForm()))).status).toBe(403);
      expect((await marketingMember.forge(`/briefs/${id}`, posted(completeForm()))).status).toBe(403);
      expect((await marketingMember.post(`/briefs/${UNKNOWN_ID}`, posted(completeForm()))).status).toBe(404);
      expect((await marketingMember.post('/briefs/not-an-id', posted(completeForm()))).status).toBe(400);
      expect(await brief(id)).toEqual(before);
      expect((await salesHead.get(`/briefs/${id}/edit`)).status).toBe(403);
    });

    it('refuses changing a submitted brief (409), keeping what was typed', async () => {
      const id = await submitted();
      const before = await brief(id);
      const form = completeForm();
      form.content.vision = 'A change after submission.';
      const page = await marketingHead.post(`/briefs/${id}`, posted(form));
      expect(page.status).toBe(409);
      expect(page.text).toMatch(/is submitted; it can be changed only while draft or returned/);
      expect(shownValue(page.text, 'content.vision')).toBe('A change after submission.');
      expect(await brief(id)).toEqual(before);
      expect((await marketingHead.get(`/briefs/${id}/edit`)).status).toBe(409);
    });

    it('saves what was typed, clearing what was emptied', async () => {
      const id = await draft({ vision: 'Old vision', channels: ['fax'] });
      const form = completeForm();
      form.content.vision = '';
      form.content.channels = '';
      const page = await marketingMember.post(`/briefs/${id}`, posted(form));
      expect(page.status).toBe(303);
      expect(page.headers.location).toMatch(new RegExp(`^/briefs/${id}/edit\\?notice=Draft%20saved\\.&n=`));
      const saved = await brief(id);
      expect(saved.content.vision).toBeUndefined();
      expect(saved.content.channels).toBeUndefined();
      expect(saved.content.goals).toEqual([{ goal: 'Fill the pipeline for the launch', target: '120 SQLs by 31 March' }]);
      const edit = await marketingMember.get(`/briefs/${id}/edit`);
      expect(edit.text).toMatch(/Still missing before you can submit/);
      expect(edit.text).toContain(`href="#${fieldId('content.vision')}"`);
    });
  });

  describe('POST /briefs/:id/submit', () => {
    it('with one required field missing: 400, the error next to it, the typed draft saved, the status still draft', async () => {
      const id = await draft();
      const form = completeForm();
      form.content.vision = '';
      form.content.keyMessage = 'Typed right before submitting.';
      const page = await marketingMember.post(`/briefs/${id}/submit`, posted(form));
      expect(page.status).toBe(400);
      expect(errorAt(page.text, 'content.vision')).toMatch(/content.vision is required to submit/);
      expect(fieldsInError(page.text)).toEqual([fieldId('content.vision')]);
      expect(page.text).toContain('Please correct this field');
      expect(shownValue(page.text, 'content.keyMessage')).toBe('Typed right before submitting.');
      expect(shownValue(page.text, 'content.goals[0].goal')).toBe('Fill the pipeline for the launch');
      const stored = await brief(id);
      expect(stored.status).toBe('draft');
      expect(stored.submittedAt).toBeNull();
      expect(stored.content.keyMessage).toBe('Typed right before submitting.');
      expect(stored.content.vision).toBeUndefined();
      expect(stored.thread).toHaveLength(1);
    });

    it('shows a missing list (goals) or budget at its first field', async () => {
      const id = await draft();
      const form = completeForm();
      form.content.goals = [{ goal: '', target: '' }];
      form.content.budget = { amount: '', currency: '', approved: '' };
      const page = await marketingMember.post(`/briefs/${id}/submit`, posted(form));
      expect(page.status).toBe(400);
      expect(errorAt(page.text, 'content.goals[0].goal')).toMatch(/content.goals is required to submit/);
      expect(errorAt(page.text, 'content.budget.amount')).toMatch(/content.budget is required to submit/);
      expect((await brief(id)).status).toBe('draft');
    });

    it('refuses a deadline in the past next to it', async () => {
      const id = await draft();
      const form = completeForm();
      form.content.deadline = '2026-11-01';
      const page = await marketingMember.post(`/briefs/${id}/submit`, posted(form));
      expect(page.status).toBe(400);
      expect(errorAt(page.text, 'content.deadline')).toMatch(/2026-11-01 is in the past/);
      const stored = await brief(id);
      expect(stored.status).toBe('draft');
      expect(stored.content.deadline).toBe('2026-11-01');
    });

    it('with a malformed value: saves nothing and submits nothing', async () => {
      const id = await draft({ background: 'Stored background.' });
      const before = await brief(id);
      const form = completeForm();
      form.content.links = 'javascript:alert(1)';
      const page = await marketingMember.post(`/briefs/${id}/submit`, posted(form));
      expect(page.status).toBe(400);
      expect(errorAt(page.text, 'content.links')).toMatch(/http\(s\) URL/);
      expect(shownValue(page.text, 'content.links')).toBe('javascript:alert(1)');
      expect(await brief(id)).toEqual(before);
    });

    it('from the detail page (no fields posted): submits the stored draft, or shows every missing field on its form', async () => {
      const id = await draft({ background: 'Only this so far.' });
      const before = await brief(id);
      const page = await marketingMember.post(`/briefs/${id}/submit`);
      expect(page.status).toBe(400);
      expect(shownValue(page.text, 'content.background')).toBe('Only this so far.');
      expect(fieldsInError(page.text)).toHaveLength(9);
      expect(errorAt(page.text, 'content.approverId')).toMatch(/content.approverId is required to submit/);
      expect(await brief(id)).toEqual(before);

      const complete = await draft(completeContent(org.marketingHead.id));
      const done = await marketingMember.post(`/briefs/${complete}/submit`);
      expect(done.status).toBe(303);
      expect((await brief(complete)).status).toBe('submitted');
    });

    it('refuses the recipient side (403), a forged form (403) and a second submission (409)', async () => {
      const id = await draft(completeContent(org.marketingHead.id));
      const before = await brief(id);
      expect((await salesHead.post(`/briefs/${id}/submit`, posted(completeForm()))).status).toBe(403);
      expect((await salesHead.post(`/briefs/${id}/submit`)).status).toBe(403);
      expect((await marketingMember.forge(`/briefs/${id}/submit`, posted(completeForm()))).status).toBe(403);
      expect(await brief(id)).toEqual(before);

      const page = await marketingMember.post(`/briefs/${id}/submit`, posted(completeForm()));
      expect(page.status).toBe(303);
      expect(page.headers.location).toMatch(new RegExp(`^/briefs/${id}\\?notice=Brief%20submitted\\.&n=`));
      const afterSubmit = await brief(id);
      expect(afterSubmit.status).toBe('submitted');
      const again = await marketingMember.post(`/briefs/${id}/submit`);
      expect(again.status).toBe(409);
      expect(await brief(id)).toEqual(afterSubmit);
    });
  });

  describe('POST /briefs/:id/return', () => {
    it('needs comments, named next to their field; the brief stays submitted', async () => {
      const id = await submitted();
      const before = await brief(id);
      const page = await salesHead.post(`/briefs/${id}/return`, { comment: '   ' });
      expect(page.status).toBe(400);
      expect(errorAt(page.text, 'comment')).toMatch(/comment must be longer than or equal to 1 characters/);
      const tooLong = await salesHead.post(`/briefs/${id}/return`, { comment: 'x'.repeat(5001) });
      expect(tooLong.status).toBe(400);
      expect(errorAt(tooLong.text, 'comment')).toMatch(/shorter than or equal to 5000/);
      expect(shownValue(tooLong.text, 'comment')).toBe('x'.repeat(5001));
      expect(await brief(id)).toEqual(before);
    });

    it('is the recipient head’s alone (403 for others and forged forms), and only for a submitted brief (409)', async () => {
      const id = await submitted();
      const before = await brief(id);
      for (const session of [salesMember, marketingHead, finance]) {
        expect((await session.post(`/briefs/${id}/return`, { comment: 'Not mine to return.' })).status).toBe(403);
      }
      expect((await salesHead.forge(`/briefs/${id}/return`, { comment: 'Forged.' })).status).toBe(403);
      expect(await brief(id)).toEqual(before);
      expect((await salesHead.post(`/briefs/${id}/accept`)).status).toBe(303);
      const accepted = await brief(id);
      const late = await salesHead.post(`/briefs/${id}/return`, { comment: 'Too late.' });
      expect(late.status).toBe(409);
      expect(shownValue(late.text, 'comment')).toBe('Too late.');
      expect(await brief(id)).toEqual(accepted);
    });
  });

  describe('the steps without fields: accept, start, complete, cancel', () => {
    it('refuses whoever may not take a step (403) and a forged form (403)', async () => {
      const id = await submitted();
      const before = await brief(id);
      expect((await salesMember.post(`/briefs/${id}/accept`)).status).toBe(403);
      expect((await marketingHead.post(`/briefs/${id}/accept`)).status).toBe(403);
      expect((await salesHead.forge(`/briefs/${id}/accept`)).status).toBe(403);
      expect((await salesMember.post(`/briefs/${id}/cancel`)).status).toBe(403);
      expect((await marketingHead.forge(`/briefs/${id}/cancel`)).status).toBe(403);
      expect(await brief(id)).toEqual(before);
    });

    it('refuses a step the status does not allow (409) and changes nothing', async () => {
      const id = await draft();
      const before = await brief(id);
      const accept = await salesHead.post(`/briefs/${id}/accept`);
      expect(accept.status).toBe(409);
      expect(accept.text).toMatch(/accept applies only to a brief that is submitted/);
      expect((await salesMember.post(`/briefs/${id}/start`)).status).toBe(409);
      expect((await salesMember.post(`/briefs/${id}/complete`)).status).toBe(409);
      expect(await brief(id)).toEqual(before);
    });

    it('accepts with an optional note kept in the thread, and names an over-long note under its field, changing nothing', async () => {
      const id = await submitted();
      const before = await brief(id);
      const long = await salesHead.post(`/briefs/${id}/accept`, { acceptComment: 'x'.repeat(5001) });
      expect(long.status).toBe(400);
      expect(errorAt(long.text, 'acceptComment')).toMatch(/comment must be shorter than or equal to/);
      expect(shownValue(long.text, 'acceptComment')).toBe('x'.repeat(5001));
      expect(await brief(id)).toEqual(before);

      expect((await salesHead.post(`/briefs/${id}/accept`, { acceptComment: '  We start with the EU mid-market segment.  ' })).status).toBe(303);
      const accepted = await brief(id);
      expect(accepted.status).toBe('accepted');
      expect(accepted.thread[accepted.thread.length - 1]).toMatchObject({ toStatus: 'accepted', body: 'We start with the EU mid-market segment.' });
    });

    it('lets each party take its steps, and refuses the other party and forged forms', async () => {
      const id = await submitted();
      expect((await salesHead.post(`/briefs/${id}/accept`)).status).toBe(303);
      expect((await marketingMember.post(`/briefs/${id}/start`)).status).toBe(403);
      expect((await salesMember.forge(`/briefs/${id}/start`)).status).toBe(403);
      expect((await brief(id)).status).toBe('accepted');
      expect((await salesMember.post(`/briefs/${id}/start`)).status).toBe(303);
      expect((await marketingMember.post(`/briefs/${id}/complete`)).status).toBe(403);
      expect((await salesMember.forge(`/briefs/${id}/complete`)).status).toBe(403);
      expect((await brief(id)).status).toBe('in_progress');
      expect((await salesMember.post(`/briefs/${id}/complete`)).status).toBe(303);
      expect((await brief(id)).status).toBe('done');
      expect((await marketingMember.post(`/briefs/${id}/cancel`)).status).toBe(409);
      expect((await brief(id)).status).toBe('done');
      expect((await marketingMember.post(`/briefs/${UNKNOWN_ID}/cancel`)).status).toBe(404);
    });
  });

  describe('POST /briefs/:id/comments', () => {
    it('needs a body, named next to its field, and adds nothing to the thread', async () => {
      const id = await draft();
      const before = await brief(id);
      const page = await salesMember.post(`/briefs/${id}/comments`, { body: '' });
      expect(page.status).toBe(400);
      expect(errorAt(page.text, 'body')).toMatch(/body must be longer than or equal to 1 characters/);
      const tooLong = await salesMember.post(`/briefs/${id}/comments`, { body: `${HOSTILE}${'x'.repeat(5000)}` });
      expect(tooLong.status).toBe(400);
      expect(shownValue(tooLong.text, 'body')).toBe(`${HOSTILE}${'x'.repeat(5000)}`);
      expect(tooLong.text).not.toContain('<script>window.__pwned');
      expect(await brief(id)).toEqual(before);
    });

    it('refuses someone of neither department (403) and a forged form (403)', async () => {
      const id = await draft();
      const before = await brief(id);
      expect((await finance.post(`/briefs/${id}/comments`, { body: 'Just passing by.' })).status).toBe(403);
      expect((await salesMember.forge(`/briefs/${id}/comments`, { body: 'Forged.' })).status).toBe(403);
      expect(await brief(id)).toEqual(before);
    });

    it('adds a comment, shown as text in the thread', async () => {
      const id = await draft();
      const page = await salesMember.post(`/briefs/${id}/comments`, { body: HOSTILE });
      expect(page.status).toBe(303);
      expect(page.headers.location).toMatch(new RegExp(`^/briefs/${id}\\?notice=Comment%20added\\.&n=`));
      expect((await brief(id)).thread.map((entry: { body: string | null }) => entry.body)).toEqual([null, HOSTILE]);
      const detail = await marketingMember.get(`/briefs/${id}`);
      expect(detail.status).toBe(200);
      expect(detail.text).not.toContain('<script>window.__pwned');
      expect(detail.text).toContain('&lt;script&gt;window.__pwned&#x3D;1&lt;/script&gt;');
    });
  });
});
