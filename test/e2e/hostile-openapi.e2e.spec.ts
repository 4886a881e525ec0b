import { randomUUID } from 'node:crypto';
import { Agent, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { monthlyMeeting } from '../support/meeting-fixture.js';
import { seedBreach } from '../support/breach-fixture.js';
import { seedOrg, type SeededOrg } from '../support/org-fixture.js';
import { TEST_ADMIN_TOKEN, TestApp } from '../support/test-app.js';

/**
 * Walks the OpenAPI document the running service serves at /docs-json and sends every operation
 * the hostile values of issue 10 — keys named like Object.prototype members, NUL characters,
 * lone UTF-16 surrogates, JSON nested 10,000 deep, huge and odd numbers, nulls for each body
 * field, huge offsets and limits — in the body, the query and the path. No answer may be a 5xx.
 * Path ids are real where one exists, so the hostile value reaches the code behind the lookup.
 */

type Schema = {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  example?: unknown;
  properties?: Record<string, Schema>;
  items?: Schema;
  oneOf?: Schema[];
  allOf?: Schema[];
  required?: string[];
};
interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
}
interface Operation {
  method: string;
  path: string;
  parameters: Parameter[];
  contentTypes: string[];
  bodySchema?: Schema;
}
interface Case {
  what: string;
  path: string;
  query?: string;
  /** Raw body text. */
  body?: string;
  contentType?: string;
}

const DEPTH = 10_000;
const NUL = 'x\u0000y';
const SURROGATE = 'x\uD800y';
const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'hasOwnProperty', 'toString', 'valueOf'];
/** Query values, as they appear in the URL (already percent-encoded). */
const HOSTILE_QUERY_VALUES = ['x%00y', '%ED%A0%80', '1e308', '99999999999999999999', '-1', 'abc'];
/** Path segments, as they appear in the URL. */
const HOSTILE_PATH_VALUES = ['x%00y', '%ED%A0%80', '__proto__', '1e308', '%', 'x'.repeat(5000)];
const HOSTILE_NUMBERS = [1e308, -1];

/** An object holding `key` as its own enumerable property, even `__proto__`, so JSON.stringify writes it. */
function withKey(target: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  return target;
}

function deepArray(depth: number): string {
  return '['.repeat(depth) + ']'.repeat(depth);
}

function deepObject(depth: number): string {
  return '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
}

/** Every string (values and, with `keys`, names) replaced through `change`. */
function mapStrings(value: unknown, change: (text: string) => string): unknown {
  if (typeof value === 'string') return change(value);
  if (Array.isArray(value)) return value.map((item) => mapStrings(item, change));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, mapStrings(inner, change)]));
  }
  return value;
}

function mapNumbers(value: unknown, replacement: number): unknown {
  if (typeof value === 'number') return replacement;
  if (Array.isArray(value)) return value.map((item) => mapNumbers(item, replacement));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, mapNumbers(inner, replacement)]));
  }
  return value;
}

/** Prototype-named keys added to the body and to every object inside it. */
function withPrototypeKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withPrototypeKeys);
  if (value && typeof value === 'object') {
    const copy: Record<string, unknown> = Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, withPrototypeKeys(inner)]));
    for (const key of PROTOTYPE_KEYS) withKey(copy, key, key === '__proto__' ? { polluted: true } : 1);
    return copy;
  }
  return value;
}

describe('every operation of the OpenAPI document, sent hostile values', () => {
  let t: TestApp;
  let org: SeededOrg;
  let document: { paths: Record<string, Record<string, { parameters?: Parameter[]; requestBody?: { content: Record<string, { schema: Schema }> } }>>; components: { schemas: Record<string, Schema> } };
  /** Real ids by the path they stand in and the parameter name. */
  const realIds = new Map<string, string>();
  const idsByName = new Map<string, string>();
  const keepAlive = new Agent({ keepAlive: true, maxSockets: 1 });
  let origin = '';

  beforeAll(async () => {
    t = await TestApp.start();
    org = await seedOrg(t);
    const { agreementId, breachId } = await seedBreach(t, org);
    const brief = await t.as(org.marketingHead.token).post('/api/briefs').send({ title: 'Spring launch', recipientDepartmentId: org.sales.id });
    expect(brief.status).toBe(201);
    const series = await t.as(org.marketingHead.token).post('/api/meeting-series').send(monthlyMeeting(org, { startsOn: '2026-11-10T10:00' }));
    expect(series.status).toBe(201);
    const meetingId = series.body.meetings[0].id as string;
    const item = await t.as(org.marketingHead.token).post(`/api/meetings/${meetingId}/agenda`).send({ title: 'Warm leads' });
    expect(item.status).toBeLessThan(300);
    const action = await t.as(org.marketingHead.token).post(`/api/meetings/${meetingId}/outcomes`).send({ type: 'action', text: 'Call back', ownerId: org.salesHead.id, dueOn: '2026-12-15' });
    expect(action.status).toBeLessThan(300);
    const actionItems = await t.as().get('/api/action-items');
    const subscription = await t.as(org.salesHead.token).post('/api/subscriptions').send({ report: 'breaches', schedule: 'every Monday 08:00', departmentIds: [] });
    expect(subscription.status).toBe(201);
    const calendars = await t.as().get('/api/calendars');
    const stages = await t.as().get('/api/stages');
    const notifications = await t.as().get('/api/notifications');
    const tokens = await t.as().get(`/api/people/${org.marketingMember.id}/tokens`);
    const agendaItemId = (await t.as().get(`/api/meetings/${meetingId}`)).body.agenda[0].id as string;

    const byPrefix: Record<string, string> = {
      '/api/people': org.marketingMember.id,
      '/api/departments': org.marketing.id,
      '/api/calendars': calendars.body.items[0].id,
      '/api/stages': stages.body.items[0].id,
      '/api/agreements': agreementId,
      '/api/breaches': breachId,
      '/api/notifications': notifications.body.items[0].id,
      '/api/subscriptions': subscription.body.id,
      '/api/briefs': brief.body.id,
      '/api/meeting-series': series.body.id,
      '/api/meetings': meetingId,
      '/api/action-items': actionItems.body.items[0].id,
    };
    for (const [prefix, id] of Object.entries(byPrefix)) realIds.set(`${prefix}:id`, id);
    realIds.set('tokenId', tokens.body[0].id);
    realIds.set('itemId', agendaItemId);
    idsByName.set('departmentId', org.marketing.id).set('recipientDepartmentId', org.sales.id).set('requesterDepartmentId', org.marketing.id);
    idsByName.set('providerDepartmentId', org.sales.id).set('consumerDepartmentId', org.marketing.id);
    for (const name of ['personId', 'ownerId', 'chairId', 'minuteTakerId', 'approverId', 'delegateId', 'actorId']) idsByName.set(name, org.salesMember.id);
    idsByName.set('calendarId', calendars.body.items[0].id).set('agreementId', agreementId).set('stageId', stages.body.items[0].id);
    idsByName.set('seriesId', series.body.id).set('agendaItemId', agendaItemId).set('entityId', org.marketing.id);

    document = (await t.anonymous().get('/docs-json')).body;
    // One listening server and kept-alive connections: a few thousand requests in seconds.
    await t.app.listen(0, '127.0.0.1');
    origin = `http://127.0.0.1:${((t.app.getHttpServer() as Server).address() as AddressInfo).port}`;
  }, 120_000);

  afterAll(async () => {
    keepAlive.destroy();
    await t?.close();
  });

  function resolve(schema: Schema): Schema {
    let current = schema;
    while (current.$ref) current = document.components.schemas[current.$ref.split('/').pop() as string];
    if (current.allOf?.length === 1) return resolve(current.allOf[0]);
    if (current.oneOf?.length) return resolve(current.oneOf[0]);
    return current;
  }

  /** A plausible value for a schema: its example, else something of its type, ids real where the name tells. */
  function plausible(schema: Schema, name = '', depth = 0): unknown {
    const resolved = resolve(schema);
    if (resolved.example !== undefined) return structuredClone(resolved.example);
    if (resolved.enum?.length) return resolved.enum[0];
    if (depth > 6) return null;
    if (name.endsWith('Ids')) return [org.marketing.id, org.sales.id];
    if (name.endsWith('Id')) return idsByName.get(name) ?? randomUUID();
    switch (resolved.type) {
      case 'string':
        return resolved.format === 'uuid' ? randomUUID() : resolved.format === 'date-time' ? '2026-11-02T09:00:00+01:00' : 'text';
      case 'number':
      case 'integer':
        return 1;
      case 'boolean':
        return true;
      case 'array':
        return resolved.items ? [plausible(resolved.items, name, depth + 1)] : [];
      default:
        return Object.fromEntries(Object.entries(resolved.properties ?? {}).map(([key, inner]) => [key, plausible(inner, key, depth + 1)]));
    }
  }

  function operations(): Operation[] {
    const list: Operation[] = [];
    for (const [path, methods] of Object.entries(document.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        const content = op.requestBody?.content ?? {};
        const contentTypes = Object.keys(content);
        list.push({ method, path, parameters: op.parameters ?? [], contentTypes, bodySchema: content['application/json']?.schema });
      }
    }
    return list;
  }

  /** The operation's path with real ids, or `hostile` in place of one parameter. */
  function pathOf(op: Operation, hostile?: { name: string; value: string }): string {
    const prefix = op.path.split('/{')[0];
    return op.path.replace(/\{(\w+)\}/g, (_all, name: string) =>
      name === hostile?.name ? hostile.value : (realIds.get(`${prefix}:${name}`) ?? realIds.get(name) ?? randomUUID()),
    );
  }

  function cases(op: Operation): Case[] {
    const list: Case[] = [];
    const path = pathOf(op);
    // The path: each parameter hostile in turn, the others real.
    for (const parameter of op.parameters.filter((p) => p.in === 'path')) {
      for (const value of HOSTILE_PATH_VALUES) {
        list.push({ what: `path ${parameter.name}=${value.slice(0, 20)}`, path: pathOf(op, { name: parameter.name, value }) });
      }
    }
    if (op.method === 'delete') return list;
    // The query: each parameter hostile in turn, as a value, a repeated value and a nested object.
    const queryParameters = op.parameters.filter((p) => p.in === 'query');
    for (const parameter of queryParameters) {
      for (const value of HOSTILE_QUERY_VALUES) list.push({ what: `query ${parameter.name}=${value}`, path, query: `${parameter.name}=${value}` });
      list.push({ what: `query ${parameter.name}[__proto__]`, path, query: `${parameter.name}[__proto__][x]=1&${parameter.name}[constructor]=1` });
    }
    list.push({ what: 'query with prototype names', path, query: '__proto__=1&constructor=x&toString=1&hasOwnProperty=1' });
    // The body, as JSON (a body-less operation gets the same, to show it is refused or ignored safely).
    const jsonCases = (base: unknown): [string, string][] => {
      const found: [string, string][] = [
        ['prototype keys', JSON.stringify(withPrototypeKeys(base))],
        ['NUL in every text', JSON.stringify(mapStrings(base, () => NUL))],
        ['lone surrogate in every text', JSON.stringify(mapStrings(base, () => SURROGATE))],
        ['NUL in a key', JSON.stringify(withKey(base && typeof base === 'object' ? { ...(base as object) } : {}, NUL, 1))],
        [`arrays nested ${DEPTH} deep`, deepArray(DEPTH)],
        [`objects nested ${DEPTH} deep`, deepObject(DEPTH)],
        ['an empty array', '[]'],
      ];
      for (const number of HOSTILE_NUMBERS) found.push([`every number ${number}`, JSON.stringify(mapNumbers(base, number))]);
      if (base && typeof base === 'object' && !Array.isArray(base)) {
        for (const field of Object.keys(base)) found.push([`${field}: null`, JSON.stringify({ ...base, [field]: null })]);
        for (const [field, inner] of Object.entries(base)) {
          if (inner && typeof inner === 'object' && !Array.isArray(inner)) {
            for (const nested of Object.keys(inner)) found.push([`${field}.${nested}: null`, JSON.stringify({ ...base, [field]: { ...inner, [nested]: null } })]);
          }
        }
      }
      return found;
    };
    if (op.method !== 'get') {
      const base = op.bodySchema ? plausible(op.bodySchema) : {};
      const otherTypes = op.contentTypes.filter((type) => type !== 'application/json');
      // A raw-body operation (the import) gets them in its first media type and as CSV.
      const jsonTypes = otherTypes.length > 0 ? [...new Set([otherTypes[0], ...otherTypes.filter((type) => type === 'text/csv')])] : [];
      // An operation that takes no body gets the hostile bodies that could trip a parser or a walk.
      const bodies = op.contentTypes.length > 0 ? jsonCases(base) : jsonCases(base).slice(0, 6);
      for (const [what, body] of bodies) {
        if (jsonTypes.length === 0) list.push({ what: `body ${what}`, path, body, contentType: 'application/json' });
        // A raw-body operation (the import) gets each hostile body as one line of its own format.
        for (const contentType of jsonTypes) list.push({ what: `${contentType} body ${what}`, path, body, contentType });
      }
      list.push({ what: 'JSON sent as text/plain', path, body: JSON.stringify(base), contentType: 'text/plain' });
    }
    return list;
  }

  function send(op: Operation, hostile: Case) {
    const url = hostile.query ? `${hostile.path}?${hostile.query}` : hostile.path;
    const test = (request(origin) as unknown as Record<string, (url: string) => request.Test>)[op.method](url)
      .agent(keepAlive)
      .set('Authorization', `Bearer ${TEST_ADMIN_TOKEN}`);
    return hostile.body === undefined ? test : test.set('Content-Type', hostile.contentType ?? 'application/json').send(hostile.body);
  }

  it('answers no 5xx to any of them', async () => {
    const ops = operations();
    expect(ops.length).toBeGreaterThan(80);
    const failures: string[] = [];
    let sent = 0;
    for (const op of ops) {
      for (const hostile of cases(op)) {
        const response = await send(op, hostile);
        sent++;
        // A 401 or 429 would mean the walk lost its token (deactivated, or over a request budget) and tested nothing after.
        if (response.status >= 500 || response.status === 401 || response.status === 429) {
          failures.push(`${op.method.toUpperCase()} ${op.path} — ${hostile.what}: ${response.status} ${JSON.stringify(response.body).slice(0, 200)}`);
        }
      }
    }
    // The walk is broad: a few thousand requests over every operation.
    expect(sent).toBeGreaterThan(1500);
    expect(failures).toEqual([]);
    // 25-40 s alone on either database; the margin is for a machine busy with other test files.
  }, 300_000);
});
