import request from 'supertest';
import { seedOrg, type SeededOrg } from '../support/org-fixture.js';
import { expectNoMissingMessages } from '../support/locale-rendering.js';
import { pageSession } from '../support/page-session.js';
import { TestApp } from '../support/test-app.js';
import { I18nService } from '../../src/i18n/i18n.service.js';
import { Translator } from '../../src/i18n/translator.js';
import { TemplateRenderer } from '../../src/notifications/template-renderer.js';

/** Issue 15: who reads Concord in which language, over HTTP. */
describe('languages, over HTTP', () => {
  let t: TestApp;
  let org: SeededOrg;

  beforeAll(async () => {
    t = await TestApp.start({ strictMessages: true });
    org = await seedOrg(t);
  });
  afterAll(async () => t?.close());
  afterEach(() => expectNoMissingMessages(t.missingMessages()));

  const signIn = (acceptLanguage?: string) => {
    const get = request(t.server).get('/sign-in');
    return acceptLanguage ? get.set('Accept-Language', acceptLanguage) : get;
  };

  it('renders with the one recording translator, so a missing message cannot slip past afterEach', () => {
    const translator = t.app.get(Translator);
    expect(translator.policy).toBe('record');
    expect(t.app.get(TemplateRenderer).translator).toBe(translator);
    expect(t.app.get(I18nService).translator).toBe(translator);
  });

  it('answers the sign-in page in Arabic, right to left, for Accept-Language: ar', async () => {
    const page = await signIn('ar-AE,ar;q=0.9,en;q=0.5');
    expect(page.status).toBe(200);
    expect(page.text).toContain('<html lang="ar" dir="rtl">');
    expect(page.text).toContain('تسجيل الدخول إلى Concord');
    expect(page.text).not.toContain('Sign in to Concord');
  });

  it('answers in Ukrainian for uk, and in English for a language it does not speak or none', async () => {
    const ukrainian = await signIn('uk');
    expect(ukrainian.text).toContain('<html lang="uk" dir="ltr">');
    expect(ukrainian.text).toContain('Вхід до Concord');
    expect(ukrainian.text).toContain('Робоча пошта');
    for (const header of ['de-DE,de;q=0.9', undefined]) {
      const english = await signIn(header);
      expect(english.text).toContain('<html lang="en" dir="ltr">');
      expect(english.text).toContain('Sign in to Concord');
    }
  });

  it('switches a visitor’s language with ?lang=, remembered over Accept-Language', async () => {
    const agent = request.agent(t.server);
    const switched = await agent.get('/sign-in?lang=fr').set('Accept-Language', 'ru');
    expect(switched.text).toContain('<html lang="fr" dir="ltr">');
    expect(switched.text).toContain('Se connecter à Concord');
    const next = await agent.get('/sign-in').set('Accept-Language', 'ru');
    expect(next.text).toContain('<html lang="fr"');
    // The switch is visible on signed-out pages, each language by its own name.
    expect(next.text).toContain('hreflang="ar">العربية</a>');
  });

  it('shows the errors under the sign-in fields in the page’s language', async () => {
    const agent = request.agent(t.server);
    const page = await agent.get('/sign-in').set('Accept-Language', 'ru');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
    const refused = await agent.post('/sign-in/token').set('Accept-Language', 'ru').type('form').send({ _csrf: csrf, token: ' ', next: '/' });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('вставьте ваш API-токен');
    expect(refused.text).toContain('<html lang="ru"');
  });

  it('gives an API error a French message with the same errors keys as in English', async () => {
    const body = { name: '', role: 'chief', email: 'not-an-email' };
    const english = await t.as().post('/api/people').send(body);
    const french = await t.as().post('/api/people').set('Accept-Language', 'fr-FR,fr;q=0.9').send(body);
    expect(english.status).toBe(400);
    expect(french.status).toBe(400);
    expect(Object.keys(french.body.errors).sort()).toEqual(Object.keys(english.body.errors).sort());
    expect(french.body.errors).toEqual(english.body.errors);
    expect(french.body.message).not.toBe(english.body.message);
    expect(french.body.message).toMatch(/champs ne sont pas valides/);
    for (const field of Object.keys(english.body.errors)) expect(french.body.message).toContain(field);
    const missing = await t.as().get('/api/people/00000000-0000-4000-8000-000000000000').set('Accept-Language', 'fr');
    expect(missing.status).toBe(404);
    expect(missing.body.message).toBe('L’élément demandé n’existe pas.');
    const forbidden = await t.as(org.salesMember.token).post('/api/departments').set('Accept-Language', 'uk').send({ name: 'X', slug: 'x', timezone: 'UTC' });
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.message).toBe('У вас немає прав на цю дію.');
  });

  it('keeps a person’s language: PATCH locale, an unknown one refused naming locale, nothing changed', async () => {
    const path = `/api/people/${org.salesHead.id}`;
    const before = await t.as().get(path);
    expect(before.body.locale).toBeNull();
    const set = await t.as(org.salesHead.token).patch(path).send({ locale: 'ru' });
    expect(set.status).toBe(200);
    expect(set.body.locale).toBe('ru');
    const refused = await t.as().patch(path).send({ locale: 'klingon' });
    expect(refused.status).toBe(400);
    expect(Object.keys(refused.body.errors)).toEqual(['locale']);
    expect((await t.as().get(path)).body.locale).toBe('ru');
    // Signed in, the person's own language wins over the browser's.
    const pages = await pageSession(t, org.salesHead.token);
    const dashboard = await pages.get('/').set('Accept-Language', 'ar');
    expect(dashboard.text).toContain('<html lang="ru" dir="ltr">');
    expect(dashboard.text).toContain('>Дашборд</a>');
    const cleared = await t.as().patch(path).send({ locale: null });
    expect(cleared.body.locale).toBeNull();
    expect((await pages.get('/').set('Accept-Language', 'ar')).text).toContain('<html lang="ar" dir="rtl">');
  });
});
