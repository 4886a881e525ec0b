import { createCalendar } from '../support/agreement-fixture.js';
import { expectNoMissingMessages } from '../support/locale-rendering.js';
import { seedOrg, type SeededOrg } from '../support/org-fixture.js';
import { errorAt, fieldsInError } from '../support/page-html.js';
import { pageSession } from '../support/page-session.js';
import { TestApp } from '../support/test-app.js';

type Session = Awaited<ReturnType<typeof pageSession>>;

const CYRILLIC = /[а-яё]/i;
const ARABIC = /[\u0600-\u06ff]/;

/**
 * Issue 15: the errors under a form's fields, and the summary above it, speak the reader's
 * language — class-validator's own messages, the DTOs' and the domain's — while the API keeps
 * its English `errors` for the same refusal. Strict: a message no catalogue entry matches fails.
 */
describe('errors under form fields in the reader’s language', () => {
  let t: TestApp;
  let org: SeededOrg;
  let calendarId: string;
  let russian: Session;
  let arabic: Session;

  const agreementForm = (overrides: Record<string, unknown> = {}) => ({
    name: '',
    kind: 'response',
    providerDepartmentId: org.sales.id,
    consumerDepartmentId: org.marketing.id,
    calendarId,
    stageId: '',
    response: {
      startOn: { type: 'lead.handed_over', when: '' },
      stopOn: { type: 'lead.contacted', when: '' },
      pauseOn: { type: 'lead.on_hold', when: '' },
      resumeOn: { type: '', when: '' },
      cancelOn: { type: '', when: '' },
      targets: { 0: { name: '', when: 'score', within: '0', unit: 'hours' }, 1: { name: '', when: '', within: '2', unit: 'days' } },
      goalPercent: '150',
      warnAtPercent: '80',
    },
    quota: { countOn: { type: '', when: '' }, period: 'month', minimum: '' },
    ...overrides,
  });

  const briefForm = () => ({
    title: '   ',
    recipientDepartmentId: '',
    content: {
      background: 'The spring launch has no qualified demand yet.',
      goals: [{ goal: 'A goal without its target', target: '' }],
      deliverables: 'Call script',
      deadline: '2026-02-30',
      budget: { amount: 'lots', currency: 'euros', approved: 'true' },
      links: 'https://wiki.example.com/ok\r\nnot a link',
      approverId: org.marketingHead.id,
    },
  });

  beforeAll(async () => {
    t = await TestApp.start({ strictMessages: true });
    org = await seedOrg(t);
    calendarId = await createCalendar(t);
    expect((await t.as().patch(`/api/people/${org.marketingHead.id}`).send({ locale: 'ru' })).status).toBe(200);
    expect((await t.as().patch(`/api/people/${org.marketingMember.id}`).send({ locale: 'ar' })).status).toBe(200);
    russian = await pageSession(t, org.marketingHead.token);
    arabic = await pageSession(t, org.marketingMember.token);
  });
  afterAll(async () => t?.close());
  afterEach(() => expectNoMissingMessages(t.missingMessages()));

  /** Every error under a field of the page, by control id, with whether it reads as Russian and nothing English. */
  function errorsOf(html: string) {
    return fieldsInError(html).map((id) => {
      const shown = new RegExp(`<p class="field-error" id="${id}-error">([^<]*)</p>`).exec(html)![1];
      return { id, shown, russian: CYRILLIC.test(shown) && !/\b(must|should|is not|write|give|names)\b/.test(shown) };
    });
  }

  it('names the agreement editor’s faulty fields in Russian: the DTO’s and the form’s own messages', async () => {
    const page = await russian.post('/agreements', agreementForm());
    expect(page.status).toBe(400);
    expect(page.text).toContain('<html lang="ru" dir="ltr">');
    const errors = errorsOf(page.text);
    expect(errors.map((error) => error.id).sort()).toEqual(['f-name', 'f-response-targets-0-when']);
    for (const error of errors) expect(error).toEqual({ ...error, russian: true });
    // Under the field it is named by the label the reader sees; in the summary, by its path.
    expect(errorAt(page.text, 'name')).toBe('Поле «Название» должно содержать не менее 1 символа');
    expect(errorAt(page.text, 'response.targets[0].when')).toContain('пары атрибут=значение');
    // The summary above the form says the same, in the same language.
    const summary = /<div class="error-summary"[^]*?<\/div>/.exec(page.text)![0];
    expect(summary).toContain('<h2>Исправьте эти 2 поля</h2>');
    expect(summary).toContain('Поле «name» должно содержать не менее 1 символа');
    expect(summary).not.toMatch(/\bmust\b/);
  });

  it('names the tracking domain’s refusals in Russian too, once the form’s own are fixed', async () => {
    const form = agreementForm({ name: 'Hot leads are called fast' });
    (form.response as { targets: Record<number, { when: string }> }).targets[0].when = 'score=hot';
    const page = await russian.post('/agreements', form);
    expect(page.status).toBe(400);
    const errors = errorsOf(page.text);
    expect(errors.length).toBeGreaterThanOrEqual(2);
    for (const error of errors) expect(error).toEqual({ ...error, russian: true });
    expect(errors.map((error) => error.id)).toEqual(expect.arrayContaining(['f-response-goalPercent', 'f-response-resumeOn-type']));
  });

  it('names the brief form’s faulty fields in Russian, counting as Russian counts', async () => {
    const page = await russian.post('/briefs', briefForm());
    expect(page.status).toBe(400);
    for (const path of ['title', 'recipientDepartmentId', 'content.deadline', 'content.budget.amount', 'content.budget.currency', 'content.goals[0].target', 'content.links']) {
      const shown = errorAt(page.text, path);
      expect({ path, russian: CYRILLIC.test(shown ?? '') }).toEqual({ path, russian: true });
      expect(shown).not.toMatch(/\bmust\b/);
    }
    expect(errorAt(page.text, 'recipientDepartmentId')).toContain('UUID');
  });

  it('names them in Arabic for the Arabic reader, right to left', async () => {
    const page = await arabic.post('/briefs', briefForm());
    expect(page.status).toBe(400);
    expect(page.text).toContain('<html lang="ar" dir="rtl">');
    for (const path of ['title', 'content.deadline', 'content.budget.currency']) {
      const shown = errorAt(page.text, path);
      expect({ path, arabic: ARABIC.test(shown ?? '') }).toEqual({ path, arabic: true });
    }
  });

  it('keeps the API’s `errors` in English whatever the language: they are the contract', async () => {
    const answer = await t
      .as(org.marketingHead.token)
      .post('/api/briefs')
      .set('Accept-Language', 'ru')
      .send({ title: '', recipientDepartmentId: 'nope', content: {} });
    expect(answer.status).toBe(400);
    expect(answer.body.errors.title).toEqual(['title must be longer than or equal to 1 characters']);
    expect(answer.body.errors.recipientDepartmentId).toEqual(['recipientDepartmentId must be a UUID']);
    expect(answer.body.message).toMatch(CYRILLIC);
  });
});
