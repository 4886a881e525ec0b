import { existsSync, readFileSync, statSync } from 'node:fs';
import { loadConfig } from '../../src/config/app-config.js';
import { createCalendar } from '../support/agreement-fixture.js';
import { seedBreach } from '../support/breach-fixture.js';
import { monthlyMeeting } from '../support/meeting-fixture.js';
import { seedOrg, type SeededOrg } from '../support/org-fixture.js';
import {
  commandWords,
  curlRequests,
  readmeBlocks,
  readmeInlineRequests,
  readReadme,
  shellCommands,
  type CurlRequest,
  type ReadmeBlock,
} from '../support/readme-examples.js';
import { TEST_ADMIN_TOKEN, TestApp } from '../support/test-app.js';

/**
 * Every example README shows is run here, so the README cannot drift from the service: a fenced
 * block or table marked `<!-- example: name -->` runs the case of that name, an unmarked block
 * fails this test, and every inline request with a body (`PATCH /api/people/:id {…}`) is sent.
 */
const README = readReadme();
const BLOCKS = readmeBlocks(README);
const PACKAGE = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> };

let t: TestApp;
let org: SeededOrg;
let stageId: string;

/** README writes ids as "…sales…", "…marketing…", "…": the ids of this test's organisation. */
async function withIds(value: unknown, key = ''): Promise<object | string> {
  if (Array.isArray(value)) return Promise.all(value.map((item) => withIds(item)));
  if (value && typeof value === 'object') {
    const entries = await Promise.all(Object.entries(value).map(async ([k, v]) => [k, await withIds(v, k)] as const));
    return Object.fromEntries(entries);
  }
  if (typeof value !== 'string' || !value.includes('…') || !/Ids?$/.test(key)) return value as object | string;
  if (value.includes('sales')) return org.sales.id;
  if (value.includes('marketing')) return org.marketing.id;
  if (key === 'calendarId') return createCalendar(t);
  if (key === 'stageId') return stageId;
  if (key === 'fromStageId' || key === 'toStageId') return stageNamed(value.replace(/…/g, ''));
  if (key === 'recipientDepartmentId') return org.sales.id;
  throw new Error(`README placeholder ${key}: ${value} has no id in this test`);
}

/** The id of a stage of the default funnel, by name ("…MQL…" in README). */
async function stageNamed(name: string): Promise<string> {
  const stages = await t.as().get('/api/stages').query({ limit: 100 });
  const stage = (stages.body.items as { id: string; name: string }[]).find((item) => item.name === name);
  if (!stage) throw new Error(`README names stage ${name}, which the default funnel has not`);
  return stage.id;
}

/** The path of an inline request with a real id, and who may send it. */
async function inlineTarget(path: string): Promise<{ path: string; token: string }> {
  if (path === '/api/people/:id') return { path: `/api/people/${org.salesMember.id}`, token: TEST_ADMIN_TOKEN };
  if (path === '/api/action-items/:id') {
    const series = await t.as(org.marketingHead.token).post('/api/meeting-series').send(monthlyMeeting(org));
    expect(series.status).toBe(201);
    const meetings = await t.as().get(`/api/meetings?seriesId=${series.body.id}`);
    const outcome = await t
      .as(org.marketingHead.token)
      .post(`/api/meetings/${meetings.body.items[0].id}/outcomes`)
      .send({ type: 'action', text: 'Publish the lead rota', ownerId: org.salesHead.id, dueOn: '2027-01-20' });
    expect(outcome.status).toBeLessThan(300);
    const items = await t.as().get(`/api/action-items?ownerId=${org.salesHead.id}`);
    return { path: `/api/action-items/${items.body.items[0].id}`, token: org.salesHead.token };
  }
  if (path === '/api/breaches/:id/explanation/review') {
    const now = t.clock.now();
    const { breachId } = await seedBreach(t, org, `L-README-${Date.now()}`);
    t.clock.set(now.toISOString());
    const explained = await t
      .as(org.salesHead.token)
      .post(`/api/breaches/${breachId}/explanation`)
      .send({ cause: 'Handed over at closing time', correctiveAction: 'Evening rota' });
    expect(explained.status).toBeLessThan(300);
    return { path: `/api/breaches/${breachId}/explanation/review`, token: org.marketingHead.token };
  }
  if (path === '/api/connections/:id') {
    // README's Bitrix24 step 4: the connection of its example, given its application token.
    const created = await t.as(org.salesHead.token).post('/api/connections').send(JSON.parse(block('connection-bitrix24').text));
    expect(created.status).toBe(201);
    return { path: `/api/connections/${created.body.id}`, token: org.salesHead.token };
  }
  if (path === '/api/stages/:id') {
    // README's funnel stages: the SQL stage of the default funnel, changed by an admin.
    const stages = await t.as().get('/api/stages?limit=100');
    const sql = (stages.body.items as { id: string; name: string }[]).find((stage) => stage.name === 'SQL');
    return { path: `/api/stages/${sql?.id}`, token: TEST_ADMIN_TOKEN };
  }
  if (path.includes(':')) throw new Error(`README's inline request ${path} needs an id this test does not make yet`);
  return { path, token: org.salesHead.token };
}

function block(name: string): ReadmeBlock {
  const found = BLOCKS.find((b) => b.marker?.kind === 'example' && b.marker.name === name);
  if (!found) throw new Error(`README has no example named ${name}`);
  return found;
}

async function sendCurl(request: CurlRequest, files: Record<string, string> = {}) {
  const auth = request.headers.authorization?.replace('$TOKEN', TEST_ADMIN_TOKEN);
  const method = request.method.toLowerCase() as 'get' | 'post' | 'patch' | 'put' | 'delete';
  let call = t.anonymous()[method](request.path + request.query);
  if (auth) call = call.set('Authorization', auth);
  for (const [name, value] of Object.entries(request.headers)) if (name !== 'authorization') call = call.set(name, value);
  const data = request.data?.file !== undefined ? files[request.data.file] : request.data?.text;
  if (request.data?.file !== undefined && data === undefined) throw new Error(`no content for README's file ${request.data.file}`);
  return data === undefined ? call : call.send(data);
}

/** The README's calendar, created by running its own curl command. */
async function readmeCalendar(): Promise<string> {
  const [create] = curlRequests(block('calendar').text);
  const answer = await sendCurl(create);
  expect(answer.status).toBe(201);
  return answer.body.id as string;
}

/** The README's calendar with the dated hours of its example. */
async function readmeCalendarWithDates(): Promise<string> {
  const id = await readmeCalendar();
  const changed = await t.as().patch(`/api/calendars/${id}`).send(JSON.parse(block('calendar-dates').text));
  expect(changed.status).toBe(200);
  return id;
}

/** The Moscow calendar README describes: weekdays 09:00–18:00 with the RU preset. */
async function moscowCalendar(): Promise<string> {
  const { officialYears: _answer, ...calendar } = JSON.parse(block('official-years').text) as Record<string, unknown>;
  const weekday = [['09:00', '18:00']];
  return createCalendar(t, { ...calendar, hours: { mon: weekday, tue: weekday, wed: weekday, thu: weekday, fri: weekday } });
}

/**
 * README's open-day series, planned on the Moscow calendar closed 1–8 January 2027 by dated hours,
 * with this test's departments and heads in place of README's "…" ids.
 */
async function openDaySeries(): Promise<{ status: number; body: { meetings: object[] } }> {
  const written = JSON.parse(block('open-day-series').text) as Record<string, unknown>;
  expect(written).toMatchObject({ departmentIds: ['…marketing…', '…sales…'], calendarId: '…moscow…' });
  const calendarId = await moscowCalendar();
  const newYear = Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`2027-01-0${i + 1}`, []]));
  expect((await t.as().patch(`/api/calendars/${calendarId}`).send({ dates: newYear })).status).toBe(200);
  const participants = [org.marketingHead.id, org.salesHead.id].map((personId) => ({ personId, role: 'required' }));
  return t
    .as(org.marketingHead.token)
    .post('/api/meeting-series')
    .send({ ...written, departmentIds: [org.marketing.id, org.sales.id], calendarId, participants });
}

/** A table of `GET /api/calendars/:id/…` requests and their answers, each sent on the calendar `id`. */
async function expectTableAnswers(example: ReadmeBlock, id: string): Promise<void> {
  const rows = example.text.split('\n').slice(2);
  expect(rows.length).toBeGreaterThan(0);
  for (const row of rows) {
    const [request, answer] = [...row.matchAll(/`([^`]+)`/g)].map((m) => m[1]);
    const [method, path] = request.split(' ');
    expect(method).toBe('GET');
    const response = await t.as().get(path.replace(':id', id));
    expect({ request, body: response.body }).toEqual({ request, body: JSON.parse(answer) });
  }
}

/** README's sample year file for the import, kept with the tests. */
const RU_2027 = readFileSync(new URL('../fixtures/ru-2027.xml', import.meta.url), 'utf8');

/** Commands README tells people to type must exist: npm scripts, and .ci/run. */
function expectCommandsExist(script: string): void {
  for (const command of shellCommands(script)) {
    for (const part of command.split('&&').map((p) => p.trim())) {
      const words = commandWords(part).filter((word) => !/^[A-Z_]+=/.test(word));
      if (words[0] === 'npm') {
        const [, verb, name] = words;
        if (verb === 'install' || verb === 'ci') continue;
        const script = verb === 'run' ? name : verb;
        expect({ command: part, script: PACKAGE.scripts[script] }).toEqual({ command: part, script: expect.any(String) });
      } else if (words[0] === '.ci/run') {
        const path = new URL('../../.ci/run', import.meta.url);
        expect(existsSync(path) && (statSync(path).mode & 0o111) !== 0).toBe(true);
      } else {
        throw new Error(`README command not understood by this test: ${part}`);
      }
    }
  }
}

const CASES: Record<string, (example: ReadmeBlock) => Promise<void>> = {
  'quick-start': async (example) => {
    expectCommandsExist(example.text);
    expect(PACKAGE.scripts.start).toMatch(/nest build && node dist\/src\/main\.js/);
  },
  'tests': async (example) => expectCommandsExist(example.text),
  'first-admin': async (example) => {
    const started = await TestApp.start({ env: { CONCORD_ADMIN_TOKEN: undefined, LOG_LEVEL: 'log', PORT: '3000', PUBLIC_URL: undefined } });
    try {
      const normalise = (text: string) =>
        text
          .replace(/cnc_(?:[A-Za-z0-9_-]{43}|…)/g, '<token>')
          .replace(/^\[Concord\] /, '')
          .split('\n')
          .map((line) => line.trim())
          .filter(Boolean);
      const banner = started.logger.lines.find((line) => line.includes('first admin')) ?? '';
      expect(normalise(banner)).toEqual(normalise(example.text));
    } finally {
      await started.close();
    }
  },
  'error-shape': async (example) => {
    const answer = await t.as().post('/api/calendars').send({ name: 'Bad hours', timezone: 'Europe/Paris', hours: { mon: [['09:00', '25:00']] } });
    expect(answer.body).toEqual(JSON.parse(example.text));
  },
  'agreement-response': async (example) => {
    const answer = await t.as(org.salesHead.token).post('/api/agreements').send(await withIds(JSON.parse(example.text)));
    expect(answer.status).toBe(201);
    expect(answer.body.name).toBe('Hot leads are called fast');
  },
  'agreement-quota': async (example) => {
    const answer = await t.as(org.marketingHead.token).post('/api/agreements').send(await withIds(JSON.parse(example.text)));
    expect(answer.status).toBe(201);
  },
  'agreement-conversion': async (example) => {
    const answer = await t.as(org.marketingHead.token).post('/api/agreements').send(await withIds(JSON.parse(example.text)));
    expect(answer.status).toBe(201);
    expect(answer.body).toMatchObject({ kind: 'conversion', pending: { conversion: { within: 'P10D', period: 'month', minimumPercent: 50 } } });
  },
  'brief-response-terms': async (example) => {
    const terms = JSON.parse(`{${example.text}}`) as { response: object };
    const body = await withIds({ name: 'Briefs are answered', providerDepartmentId: '…sales…', consumerDepartmentId: '…marketing…', calendarId: '…', ...terms });
    const answer = await t.as(org.salesHead.token).post('/api/agreements').send(body);
    expect(answer.status).toBe(201);
  },
  'event': async (example) => {
    const answer = await t.as().post('/api/events').send(JSON.parse(example.text));
    expect(answer.status).toBe(201);
    const again = await t.as().post('/api/events').send(JSON.parse(example.text));
    expect(again.status).toBe(200);
  },
  'connection-hubspot': async (example) => {
    const answer = await t.as(org.salesHead.token).post('/api/connections').send(JSON.parse(example.text));
    expect(answer.status).toBe(201);
    expect(answer.body).toMatchObject({ kind: 'hubspot', departmentId: org.sales.id, webhookUrl: expect.stringMatching(/\/hooks\/[0-9a-f-]{36}$/) });
    expect(answer.body.secret).toBeUndefined();
  },
  'connection-pipedrive': async (example) => {
    const answer = await t.as(org.salesHead.token).post('/api/connections').send(JSON.parse(example.text));
    expect(answer.status).toBe(201);
    expect(answer.body).toMatchObject({ kind: 'pipedrive', webhookUrl: expect.stringMatching(/\/hooks\/[0-9a-f-]{36}$/) });
    expect(answer.body.secret).toBeUndefined();
  },
  'connection-amocrm': async (example) => {
    const answer = await t.as(org.salesHead.token).post('/api/connections').send(JSON.parse(example.text));
    expect(answer.status).toBe(201);
    // The generated secret is the URL's last segment, shown this once.
    expect(answer.body.webhookUrl).toBe(`http://localhost:3000/hooks/${answer.body.id}/${answer.body.secret}`);
  },
  'connection-bitrix24': async (example) => {
    const answer = await t.as(org.salesHead.token).post('/api/connections').send(JSON.parse(example.text));
    expect(answer.status).toBe(201);
    expect(answer.body).toMatchObject({ kind: 'bitrix24', settings: { restUrl: 'https://acme.bitrix24.com/rest/1/abc123def456/' } });
    expect(answer.body.secret).toBeUndefined();
    expect(answer.body.warnings[0]).toMatch(/^secret: not set yet/);
  },
  'connection-salesforce': async (example) => {
    const answer = await t.as(org.salesHead.token).post('/api/connections').send(JSON.parse(example.text));
    expect(answer.status).toBe(201);
    expect(answer.body.webhookUrl).toBe(`http://localhost:3000/hooks/${answer.body.id}/${answer.body.secret}`);
  },
  'smtp': async (example) => {
    const [command] = shellCommands(example.text);
    const env: Record<string, string> = {};
    for (const word of commandWords(command)) {
      const assignment = /^([A-Z_]+)=(.*)$/s.exec(word);
      if (assignment) env[assignment[1]] = assignment[2];
    }
    expect(Object.keys(env)).toEqual(['SMTP_URL', 'MAIL_FROM', 'PUBLIC_URL']);
    const config = loadConfig({ SQLITE_PATH: ':memory:', ...env });
    expect(config.SMTP_URL).toBe(env.SMTP_URL);
    expect(config.publicUrl).toBe('https://concord.example.com');
    expectCommandsExist(command);
  },
  'import': async (example) => {
    const [request] = curlRequests(example.text);
    const lines = [
      { type: 'lead.handed_over', subject: 'L-7001', occurredAt: '2026-11-02T09:15:00+01:00', attributes: { score: 'hot' }, key: 'readme-import-1' },
      { type: 'lead.contacted', subject: 'L-7001', occurredAt: '2026-11-02T09:40:00+01:00', key: 'readme-import-2' },
    ];
    const answer = await sendCurl(request, { 'events.ndjson': lines.map((line) => JSON.stringify(line)).join('\n') });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ lines: 2, accepted: 2, rejected: 0 });
    // The same endpoint with ?format=csv, as the comment beside the command says.
    const csv = await t.as().post('/api/events/import?format=csv').set('Content-Type', 'text/plain').send('type,subject,occurredAt,key\nlead.handed_over,L-7002,2026-11-02T09:00:00Z,readme-import-3\n');
    expect(csv.status).toBe(200);
    expect(csv.body).toMatchObject({ accepted: 1 });
    expectCommandsExist(shellCommands(example.text).filter((command) => command.startsWith('npm')).join('\n'));
  },
  'calendar': async () => {
    const id = await readmeCalendar();
    const stored = await t.as().get(`/api/calendars/${id}`);
    expect(stored.body).toMatchObject({ name: 'Paris office', timezone: 'Europe/Paris', holidayPreset: 'FR' });
  },
  'calendar-arithmetic': async (example) => expectTableAnswers(example, await readmeCalendar()),
  'calendar-dates': async (example) => {
    const id = await readmeCalendarWithDates();
    const stored = await t.as().get(`/api/calendars/${id}`);
    expect(stored.body.dates).toEqual(JSON.parse(example.text).dates);
  },
  'dates-arithmetic': async (example) => expectTableAnswers(example, await readmeCalendarWithDates()),
  'official-years': async (example) => {
    const stored = await t.as().get(`/api/calendars/${await moscowCalendar()}`);
    expect(stored.body).toMatchObject(JSON.parse(example.text));
  },
  'ru-arithmetic': async (example) => expectTableAnswers(example, await moscowCalendar()),
  'dates-import': async (example) => {
    const id = await moscowCalendar();
    const [xml, csv] = curlRequests(example.text).map((request) => ({ ...request, path: request.path.replace('$CALENDAR', id) }));
    const files = { 'ru-2027.xml': RU_2027, 'year-end.csv': block('year-end-csv').text };
    const imported = await sendCurl(xml, files);
    expect({ status: imported.status, body: imported.body }).toEqual({ status: 200, body: JSON.parse(block('dates-import-answer').text) });
    const rows = await sendCurl(csv, files);
    expect({ status: rows.status, body: rows.body }).toEqual({ status: 200, body: { year: 2027, closed: 1, shortened: 0, working: 2 } });
  },
  'dates-import-answer': async (example) => {
    const answer = await t.as().post(`/api/calendars/${await moscowCalendar()}/dates/import`).set('Content-Type', 'application/xml').send(RU_2027);
    expect(answer.body).toEqual(JSON.parse(example.text));
  },
  'year-end-csv': async (example) => {
    const id = await moscowCalendar();
    const answer = await t.as().post(`/api/calendars/${id}/dates/import`).set('Content-Type', 'text/csv').send(example.text);
    expect(answer.status).toBe(200);
    expect((await t.as().get(`/api/calendars/${id}`)).body.dates).toEqual({
      '2027-12-24': [['09:00', '16:00']],
      '2027-12-27': [],
      '2027-12-28': [['10:00', '13:00'], ['14:00', '17:00']],
    });
  },
  'open-day-series': async () => {
    const answer = await openDaySeries();
    expect(answer.status).toBe(201);
    expect(answer.body).toMatchObject({ onClosedDay: 'next-open-day', meetings: expect.arrayContaining([]) });
    expect(answer.body.meetings).toHaveLength(12);
  },
  'open-day-meeting': async (example) => {
    const answer = await openDaySeries();
    expect(answer.body.meetings[0]).toMatchObject(JSON.parse(example.text));
  },
  'dates-import-error': async (example) => {
    const id = await moscowCalendar();
    const malformed = RU_2027.replace('<day d="02.22" t="2"/>', '<day d="02.22" t="4"/>');
    const answer = await t.as().post(`/api/calendars/${id}/dates/import`).set('Content-Type', 'application/xml').send(malformed);
    expect(answer.body).toEqual(JSON.parse(example.text));
    expect((await t.as().get(`/api/calendars/${id}`)).body.dates).toEqual({});
  },
};

describe('the examples in README', () => {
  beforeAll(async () => {
    t = await TestApp.start();
    org = await seedOrg(t);
    const stages = await t.as().get('/api/stages');
    stageId = stages.body.items[0].id;
  });

  afterAll(async () => {
    await t?.close();
  });

  it('are each marked, and each marked one has a case here', () => {
    const unmarked = BLOCKS.filter((b) => b.marker === null).map((b) => `line ${b.line}`);
    expect(unmarked).toEqual([]);
    const named = BLOCKS.flatMap((b) => (b.marker?.kind === 'example' ? [b.marker.name] : []));
    expect(named.filter((name) => !(name in CASES))).toEqual([]);
    expect(Object.keys(CASES).filter((name) => !named.includes(name))).toEqual([]);
    expect(new Set(named).size).toBe(named.length);
  });

  it.each(Object.keys(CASES))('%s runs as README shows it', async (name) => {
    await CASES[name](block(name));
  });

  it('inline requests with a body are accepted as written', async () => {
    const inline = readmeInlineRequests(README);
    expect(inline.length).toBeGreaterThan(0);
    for (const request of inline) {
      let body: unknown;
      try {
        body = JSON.parse(request.body);
      } catch {
        throw new Error(`README line ${request.line}: ${request.method} ${request.path} ${request.body} is not JSON`);
      }
      const method = request.method.toLowerCase() as 'post' | 'patch' | 'put';
      const target = await inlineTarget(request.path);
      const answer = await t.as(target.token)[method](target.path).send(await withIds(body));
      expect({ line: request.line, status: answer.status < 300 ? 'ok' : answer.status, body: answer.status < 300 ? null : answer.body }).toEqual({
        line: request.line,
        status: 'ok',
        body: null,
      });
    }
  });
});
