import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runImport } from '../../src/cli/run-import.js';
import { captureOutput } from '../support/cli-output.js';
import { expectNoMissingMessages } from '../support/locale-rendering.js';
import { createPerson, seedOrg, type SeededOrg, type SeededPerson } from '../support/org-fixture.js';
import { pageSession } from '../support/page-session.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { TEST_ADMIN_TOKEN, TestApp } from '../support/test-app.js';

/**
 * Issue 15, area G4 (admin, briefs, connections, outbox, the command line): a person reads these
 * pages in their own language, every message found in its catalogue (the app's translator is
 * strict: a key a language lacks fails the test), and the import command speaks the terminal's
 * language or DEFAULT_LOCALE's.
 */
describe('admin, briefs, connections and outbox pages in a person’s language', () => {
  let t: TestApp;
  let org: SeededOrg;
  let admin: SeededPerson;

  beforeAll(async () => {
    t = await TestApp.start({ strictMessages: true });
    org = await seedOrg(t);
    admin = await createPerson(t, { name: 'Олена Адмін', email: 'olena@example.com', role: 'admin', departmentId: null });
  });
  afterAll(async () => t?.close());
  afterEach(() => expectNoMissingMessages(t.missingMessages()));

  async function sessionIn(locale: string | null) {
    const set = await t.as().patch(`/api/people/${admin.id}`).send({ locale });
    expect(set.status).toBe(200);
    return pageSession(t, admin.token);
  }

  it('shows a "ru" admin the people page in Russian', async () => {
    const pages = await sessionIn('ru');
    const page = await pages.get('/admin/people');
    expect(page.status).toBe(200);
    expect(page.text).toContain('<html lang="ru" dir="ltr">');
    expect(page.text).toContain('<h1>Сотрудники</h1>');
    expect(page.text).toContain('Сбросить фильтры');
    expect(page.text).toContain('<option value="" selected>Все отделы</option>');
    expect(page.text).toMatch(/\d+ из \d+ сотрудник/);
    expect(page.text).toContain('<td>руководитель</td>');
    expect(page.text).toContain('<title>Сотрудники · Concord</title>');
    for (const english of ['Clear filters', 'All departments', 'person(s)', '>head<', 'New person']) expect(page.text).not.toContain(english);
  });

  it('answers every page of the area to an "ar" admin in Arabic, right to left, every message found', async () => {
    const pages = await sessionIn('ar');
    const connection = await t.as().post('/api/connections').send({ name: 'HubSpot', kind: 'hubspot', secret: 'hubspot-client-secret', rules: [{ on: { object: 'contact', property: 'hs_lead_status', to: 'CONNECTED' }, emit: 'lead.contacted' }] });
    expect(connection.status).toBe(201);
    const brief = await t.as(org.marketingHead.token).post('/api/briefs').send({ title: 'Spring launch', recipientDepartmentId: org.sales.id, content: {} });
    expect(brief.status).toBe(201);
    const paths = [
      ['/admin/people', 'الأشخاص'],
      ['/admin/people/new', 'شخص جديد'],
      [`/admin/people/${org.salesHead.id}`, 'رموز API'],
      ['/admin/departments', 'الأقسام'],
      ['/admin/departments/new', 'إنشاء القسم'],
      [`/admin/departments/${org.sales.id}`, 'تعديل القسم'],
      ['/admin/calendars', 'التقويمات'],
      ['/admin/calendars/new', 'ساعات العمل'],
      ['/briefs', 'الموجزات'],
      ['/briefs/new', 'موجز جديد'],
      [`/briefs/${brief.body.id}`, 'عن الموجز'],
      [`/briefs/${brief.body.id}/edit`, 'حفظ المسودة'],
      ['/connections', 'الاتصالات'],
      ['/connections/new', 'إنشاء الاتصال'],
      [`/connections/${connection.body.id}`, 'اختبار القواعد'],
      [`/connections/${connection.body.id}/edit`, 'حفظ التغييرات'],
      [`/connections/${connection.body.id}/deliveries`, 'لا توجد تسليمات مطابقة.'],
      ['/undelivered-emails', 'رسائل تعذّر تسليمها'],
    ];
    for (const [path, arabic] of paths) {
      const page = await pages.get(path);
      expect({ path, status: page.status }).toEqual({ path, status: 200 });
      expect(page.text).toContain('<html lang="ar" dir="rtl">');
      expect(page.text).toContain(arabic);
    }
  });

  it('writes a notice after a save in the reader’s language', async () => {
    const pages = await sessionIn('fr');
    const person = await pages.get(`/admin/people/${org.salesMember.id}`);
    expect(person.text).toContain('Jetons d’API');
    const saved = await pages.post(`/admin/people/${org.salesMember.id}`, { name: 'Sofia Member', email: 'sofia@example.com', role: 'member', departmentId: org.sales.id, timezone: 'Europe/Paris', locale: '', active: 'true' });
    expect(saved.status).toBe(303);
    const shown = await pages.get(saved.headers.location);
    expect(shown.text).toContain('Personne enregistrée.');
  });
});

describe('npm run import in the reader’s language', () => {
  let database: TestDatabase;
  let folder: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    database = await createTestDatabase({ shared: true });
    folder = mkdtempSync(join(tmpdir(), 'concord-import-i18n-'));
    // The terminal says nothing of its reader unless a test says so.
    env = { ...process.env, LC_ALL: '', LC_MESSAGES: '', LANG: 'C.UTF-8', LOG_LEVEL: 'warn', CONCORD_ADMIN_TOKEN: TEST_ADMIN_TOKEN, INIT_CWD: folder, ...database.env };
    writeFileSync(
      join(folder, 'events.ndjson'),
      [
        JSON.stringify({ type: 'lead.created', subject: 'L-1', occurredAt: '2026-10-01T09:00:00Z', key: 'fr-1' }),
        '{broken',
        JSON.stringify({ type: 'lead.created', subject: 'L-1', occurredAt: '2026-10-01T09:00:00Z', key: 'fr-1' }),
      ].join('\n') + '\n',
    );
  });

  afterAll(async () => {
    await database?.drop();
    rmSync(folder, { recursive: true, force: true });
  });

  const frenchSummary = /^events\.ndjson : 3 lignes lues\n {2}acceptés +\d+\n {2}doublons +\d+\n {2}rejetés +1\n {2}sans accord +\d+\n {2}ligne 2 : /;

  it('prints the summary in French with DEFAULT_LOCALE=fr', async () => {
    const output = captureOutput();
    expect(await runImport(['events.ndjson'], { ...env, DEFAULT_LOCALE: 'fr' }, output)).toBe(0);
    expect(output.text.stderr).toBe('');
    expect(output.text.stdout).toMatch(frenchSummary);
    expect(output.text.stdout).not.toMatch(/lines read|accepted|duplicates/);
  });

  it('prints it in French with LANG=fr_FR.UTF-8, whatever DEFAULT_LOCALE says', async () => {
    const output = captureOutput();
    expect(await runImport(['events.ndjson'], { ...env, LANG: 'fr_FR.UTF-8', DEFAULT_LOCALE: 'ru' }, output)).toBe(0);
    expect(output.text.stdout).toMatch(frenchSummary);
  });

  it('aligns the counts under labels of any length, and refuses a command line in the language', async () => {
    const russian = captureOutput();
    expect(await runImport(['events.ndjson'], { ...env, LANG: 'ru_RU.UTF-8' }, russian)).toBe(0);
    const rows = russian.text.stdout.split('\n').slice(1, 5);
    expect(rows.map((row) => row.replace(/\d+$/, ''))).toEqual(['  принято        ', '  дубликаты      ', '  отклонено      ', '  без соглашения ']);
    const missing = captureOutput();
    expect(await runImport(['missing.ndjson'], { ...env, DEFAULT_LOCALE: 'uk' }, missing)).toBe(1);
    expect(missing.text.stderr).toBe('import: файл не знайдено: missing.ndjson\n');
  });

  it('stays in English for a terminal and an organisation that say nothing else', async () => {
    const output = captureOutput();
    expect(await runImport(['events.ndjson'], env, output)).toBe(0);
    expect(output.text.stdout).toMatch(/^events\.ndjson: 3 lines read\n {2}accepted +0\n/);
  });
});
