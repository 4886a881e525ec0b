import { createCalendar } from '../support/agreement-fixture.js';
import { expectNoMissingMessages } from '../support/locale-rendering.js';
import { seedOrg, type SeededOrg } from '../support/org-fixture.js';
import { BrowserHarness, expectPageOk, screenshot } from './support/browser.js';

/**
 * Issue 15: a refused form speaks the reader's language — the errors under the fields and the
 * summary above them — in Russian, and right to left in Arabic. Screenshot:
 * docs/screenshots/agreement-errors-ru.png.
 */
describe('a refused form in Russian and in Arabic', () => {
  let h: BrowserHarness;
  let org: SeededOrg;

  beforeAll(async () => {
    h = await BrowserHarness.start({ strictMessages: true });
    org = await seedOrg(h.t);
    await createCalendar(h.t);
  });
  afterAll(async () => h?.close());
  afterEach(() => expectNoMissingMessages(h.t.missingMessages()));

  async function editorIn(locale: 'ru' | 'ar') {
    expect((await h.t.as().patch(`/api/people/${org.marketingHead.id}`).send({ locale })).status).toBe(200);
    const page = await h.signIn(org.marketingHead.token);
    await page.goto('/agreements/new');
    return page;
  }

  it('names each faulty field in Russian, under it and in the summary', async () => {
    const page = await editorIn('ru');
    await page.getByRole('textbox', { name: 'Название', exact: true }).fill('Горячим лидам звоним быстро');
    await page.getByRole('combobox', { name: 'Событие запуска', exact: true }).fill('lead.handed_over');
    await page.getByRole('textbox', { name: 'Срок 1: применяется, если' }).fill('score');
    await page.getByRole('spinbutton', { name: 'Срок 1: в течение' }).fill('1');
    await page.getByRole('button', { name: 'Сохранить черновик' }).click();
    await page.waitForSelector('.error-summary');
    const summary = await page.locator('.error-summary').textContent();
    expect(summary).toMatch(/Исправьте/);
    expect(summary).not.toMatch(/\bmust\b|\bwrite\b/);
    const when = await page.locator('#f-response-targets-0-when-error').textContent();
    expect(when).toContain('пары атрибут=значение');
    expect(when).not.toMatch(/[a-z]{3,} [a-z]{3,}/); // no English sentence, only tokens such as score=hot
    await expectPageOk(page);
    await screenshot(page, 'agreement-errors-ru');
  });

  it('names them in Arabic, right to left', async () => {
    const page = await editorIn('ar');
    expect(await page.getAttribute('html', 'dir')).toBe('rtl');
    await page.getByRole('textbox', { name: 'الاسم', exact: true }).fill('Hot leads');
    await page.getByRole('combobox', { name: 'حدث البدء', exact: true }).fill('lead.handed_over');
    await page.getByRole('textbox', { name: 'المهلة 1: تنطبق عندما' }).fill('score');
    await page.getByRole('spinbutton', { name: 'المهلة 1: مستحقة خلال' }).fill('1');
    await page.getByRole('button', { name: 'حفظ المسودة' }).click();
    await page.waitForSelector('.error-summary');
    const summary = (await page.locator('.error-summary').textContent()) ?? '';
    expect(summary).toMatch(/[\u0600-\u06ff]/);
    expect(summary).not.toMatch(/\bmust\b/);
    await expectPageOk(page);
  });
});
