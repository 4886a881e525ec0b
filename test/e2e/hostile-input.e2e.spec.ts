import { DataSource } from 'typeorm';
import { createCalendar } from '../support/agreement-fixture.js';
import { seedOrg, type SeededOrg } from '../support/org-fixture.js';
import { pageSession } from '../support/page-session.js';
import { TEST_ADMIN_TOKEN, TestApp } from '../support/test-app.js';

/**
 * Issue 10, "the door": each hostile input answered with a 4xx naming the field, nothing
 * written — rows are counted before and after — the same on SQLite and PostgreSQL.
 */
const at = (minute: number) => `2026-10-05T09:${String(minute).padStart(2, '0')}:00+02:00`;

describe('hostile input is refused at the door, naming the field, writing nothing', () => {
  let t: TestApp;
  let org: SeededOrg;
  let calendarId: string;

  beforeAll(async () => {
    t = await TestApp.start({ env: { IMPORT_MAX_BYTES: String(1024 * 1024) } });
    org = await seedOrg(t);
    calendarId = await createCalendar(t);
  });

  afterAll(async () => {
    await t?.close();
  });

  async function count(table: string): Promise<number> {
    const rows: { count: number | string }[] = await t.app.get(DataSource).query(`SELECT count(*) AS count FROM ${table}`);
    return Number(rows[0].count);
  }

  async function storedAttributes(key: string): Promise<Record<string, unknown>> {
    const param = t.database.kind === 'postgres' ? '$1' : '?';
    const rows: { attributes: string }[] = await t.app.get(DataSource).query(`SELECT attributes FROM events WHERE key = ${param}`, [key]);
    expect(rows).toHaveLength(1);
    return JSON.parse(rows[0].attributes);
  }

  /** `response` is a 400 whose errors name exactly `field`, with a message saying `why`. */
  function expectRefused(response: { status: number; body: { errors?: Record<string, string[]> } }, field: string, why: RegExp, status = 400): void {
    expect({ status: response.status, fields: Object.keys(response.body.errors ?? {}) }).toEqual({ status, fields: [field] });
    expect(response.body.errors?.[field].join(' ')).toMatch(why);
  }

  describe('keys named like Object.prototype members', () => {
    it('rejects the one event of a batch with a __proto__ attribute and keeps the other two', async () => {
      const before = await count('events');
      const hostile = '{"type":"lead.created","subject":"P-2","occurredAt":"' + at(2) + '","key":"proto-2","attributes":{"__proto__":{"polluted":true}}}';
      const batch = `[${JSON.stringify({ type: 'lead.created', subject: 'P-1', occurredAt: at(1), key: 'proto-1' })},${hostile},${JSON.stringify({ type: 'lead.created', subject: 'P-3', occurredAt: at(3), key: 'proto-3' })}]`;
      const response = await t.as().post('/api/events').set('Content-Type', 'application/json').send(batch);
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ accepted: 2, duplicates: 0, rejected: 1 });
      expect(response.body.results[1]).toEqual({ status: 'rejected', errors: { 'attributes.__proto__': ['attributes.__proto__ is not accepted as a field name'] } });
      expect(await count('events')).toBe(before + 2);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });

    it('stores attributes named constructor, toString and hasOwnProperty as the ordinary names they are', async () => {
      const attributes = { constructor: 'CRM', toString: 'x', hasOwnProperty: 1, valueOf: true };
      const response = await t.as().post('/api/events').send({ type: 'lead.created', subject: 'P-4', occurredAt: at(4), key: 'proto-4', attributes });
      expect(response.status).toBe(201);
      expect(await storedAttributes('proto-4')).toEqual(attributes);
    });

    it('names a top-level field called constructor or toString as unknown, and keeps the batch', async () => {
      const before = await count('events');
      const response = await t.as().post('/api/events').send([
        { type: 'lead.created', subject: 'P-5', occurredAt: at(5), key: 'proto-5', constructor: 1, toString: 'x' } as Record<string, unknown>,
        { type: 'lead.created', subject: 'P-6', occurredAt: at(6), key: 'proto-6' },
      ]);
      expect(response.status).toBe(200);
      expect(response.body.results[0]).toEqual({
        status: 'rejected',
        errors: { constructor: ['constructor is not a known field'], toString: ['toString is not a known field'] },
      });
      expect(await count('events')).toBe(before + 1);
    });

    it('refuses a __proto__ key in any other body with a 400 naming it', async () => {
      const before = await count('departments');
      const response = await t.as().post('/api/departments').set('Content-Type', 'application/json').send('{"name":"Finance","__proto__":{"admin":true}}');
      expectRefused(response, '__proto__', /is not accepted as a field name/);
      expect(await count('departments')).toBe(before);
    });
  });

  describe('NUL characters and lone surrogates', () => {
    it('refuses them in a JSON body, naming the field', async () => {
      const before = await count('departments');
      expectRefused(await t.as().post('/api/departments').send({ name: 'Fin\u0000ance' }), 'name', /NUL character/);
      expectRefused(await t.as().post('/api/calendars').send({ name: 'Paris', timezone: 'Europe/Paris', hours: { mon: [['09:00', '18:00\u0000']] } }), 'hours.mon[0][1]', /NUL character/);
      expect(await count('departments')).toBe(before);
    });

    it('refuses a lone surrogate, in an email as anywhere', async () => {
      const before = await count('people');
      const response = await t.as().post('/api/people').send({ name: 'Eve', email: 'eve\uD800@example.com', role: 'member', departmentId: org.sales.id });
      expectRefused(response, 'email', /lone UTF-16 surrogate/);
      expect(await count('people')).toBe(before);
    });

    it('refuses them in a query and in a path, naming the parameter', async () => {
      expectRefused(await t.as().get('/api/people?role=member%00'), 'role', /NUL character/);
      expectRefused(await t.as().get('/api/clocks?subject=L-1%00'), 'subject', /NUL character/);
      expectRefused(await t.as().get('/api/departments/a%00b'), 'id', /NUL character/);
    });

    it('rejects the event holding one alone, in a batch as in an import', async () => {
      const before = await count('events');
      const response = await t.as().post('/api/events').send([
        { type: 'lead.created', subject: 'N-1', occurredAt: at(7), key: 'nul-1', attributes: { note: 'a\u0000b' } },
        { type: 'lead.created', subject: 'N-\uDC00', occurredAt: at(8), key: 'nul-2' },
        { type: 'lead.created', subject: 'N-3', occurredAt: at(9), key: 'nul-3' },
      ]);
      expect(response.status).toBe(200);
      expect(response.body.results.map((result: { status: string; errors?: object }) => [result.status, Object.keys(result.errors ?? {})])).toEqual([
        ['rejected', ['attributes.note']],
        ['rejected', ['subject']],
        ['accepted', []],
      ]);
      expect(await count('events')).toBe(before + 1);
    });

    it('refuses them in a form post, writing nothing', async () => {
      const before = await count('departments');
      const admin = await pageSession(t, TEST_ADMIN_TOKEN);
      const response = await admin.post('/admin/departments', { name: 'Fin\u0000ance', timezone: 'Europe/Paris' });
      expect(response.status).toBe(400);
      expect(response.text).toContain('name must not contain a NUL character');
      expect(await count('departments')).toBe(before);
    });
  });

  describe('imports: a bad line is rejected alone and the summary always comes', () => {
    const importAs = (contentType: string, body: string) => t.as().post('/api/events/import').set('Content-Type', contentType).send(body);

    it('imports an NDJSON file around a line with a __proto__ key, a NUL and a lone surrogate', async () => {
      const before = await count('events');
      const lines = [
        JSON.stringify({ type: 'lead.created', subject: 'I-1', occurredAt: at(10), key: 'imp-1' }),
        `{"type":"lead.created","subject":"I-2","occurredAt":"${at(11)}","attributes":{"__proto__":{"x":1}}}`,
        JSON.stringify({ type: 'lead.created', subject: 'I-3', occurredAt: at(12), attributes: { note: 'a\u0000b' } }),
        JSON.stringify({ type: 'lead.created', subject: 'I-4', occurredAt: at(13), attributes: { note: 'a\uD800b' } }),
        JSON.stringify({ type: 'lead.created', subject: 'I-5', occurredAt: at(14), key: 'imp-5', attributes: { constructor: 'kept' } }),
      ];
      const response = await importAs('application/x-ndjson', lines.join('\n'));
      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        lines: 5,
        accepted: 2,
        duplicates: 0,
        rejected: 3,
        // No agreement is in force in this file: every accepted event is unmatched.
        unmatched: 2,
        errors: [
          { line: 2, reason: 'attributes.__proto__ is not accepted as a field name' },
          { line: 3, reason: 'attributes.note must not contain a NUL character (\\u0000)' },
          { line: 4, reason: 'attributes.note must not contain a lone UTF-16 surrogate (text that has no UTF-8 form)' },
        ],
        moreErrors: 0,
      });
      expect(await count('events')).toBe(before + 2);
      expect(await storedAttributes('imp-5')).toEqual({ constructor: 'kept' });
    });

    it('rejects a CSV line with a NUL in a cell and keeps the others', async () => {
      const before = await count('events');
      const response = await importAs('text/csv', `type,subject,occurredAt,key,note\nlead.created,C-1,${at(20)},csv-1,fine\nlead.created,C-2,${at(21)},csv-2,a\u0000b\n`);
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ lines: 3, accepted: 1, rejected: 1, errors: [{ line: 3, reason: 'attributes.note must not contain a NUL character (\\u0000)' }] });
      expect(await count('events')).toBe(before + 1);
    });

    it('refuses a CSV header of 100,000 columns at once, storing nothing', async () => {
      const before = await count('events');
      const columns = ['type', 'subject', 'occurredAt', ...Array.from({ length: 100_000 }, (_, index) => `c${index}`)];
      const started = Date.now();
      const response = await t.as().post('/api/events/import?format=csv').set('Content-Type', 'text/csv').send(`${columns.join(',')}\nlead.created,W-1,${at(30)}\n`);
      expect(Date.now() - started).toBeLessThan(3000);
      expect(response.status).toBe(400);
      // 100,000 columns of a few bytes is longer than a line may be: refused before it is parsed.
      expect(response.body.errors).toEqual({ header: ['the CSV header is longer than 262,144 bytes, the limit of one line'] });
      expect(await count('events')).toBe(before);
    });

    it('refuses a CSV header of more than 100 attribute columns, naming the limit', async () => {
      const before = await count('events');
      const columns = ['type', 'subject', 'occurredAt', 'key', ...Array.from({ length: 101 }, (_, index) => `c${index}`)];
      const response = await importAs('text/csv', `${columns.join(',')}\nlead.created,W-2,${at(31)},w-2\n`);
      expect(response.status).toBe(400);
      expect(response.body.errors).toEqual({ header: ['the CSV header has 101 attribute columns; at most 100 are read (besides type, subject, occurredAt, key)'] });
      expect(await count('events')).toBe(before);
    });
  });

  describe('import size (IMPORT_MAX_BYTES is 1 MiB here) and line length', () => {
    const line = (index: number) => JSON.stringify({ type: 'lead.created', subject: `S-${index}`, occurredAt: at(index % 60), key: `size-${index}` });

    it('refuses an import whose declared size is over IMPORT_MAX_BYTES with a 413, before storing anything', async () => {
      const before = await count('events');
      const body = Array.from({ length: 12_000 }, (_, index) => line(index)).join('\n');
      expect(Buffer.byteLength(body)).toBeGreaterThan(1024 * 1024);
      const response = await t.as().post('/api/events/import').set('Content-Type', 'application/x-ndjson').send(body);
      expect(response.status).toBe(413);
      expect(response.body.errors.body[0]).toMatch(/^the import is [\d,]+ bytes, larger than IMPORT_MAX_BYTES \(1,048,576 bytes\): nothing was imported$/);
      expect(await count('events')).toBe(before);
    });

    it.each([
      ['in one chunk', 1_000_000],
      ['in chunks of 1,000 bytes', 1000],
    ])('stops a streamed import at a line longer than 256 KiB (%s) and answers the summary of the lines before it', async (_how, chunkBytes) => {
      const before = await count('events');
      const { EventImporter } = await import('../../src/events/event-importer.js');
      const { Readable } = await import('node:stream');
      const subject = `L-${chunkBytes}`;
      const long = JSON.stringify({ type: 'lead.created', subject, occurredAt: at(41), attributes: { note: 'x'.repeat(300_000) } });
      // A line of exactly the limit, line feed included, still goes through (to be judged as any event).
      const atLimit = JSON.stringify({ type: 'lead.created', subject, occurredAt: at(39), attributes: { note: '' } });
      const fullLine = atLimit.replace('"note":""', `"note":"${'y'.repeat(262_144 - Buffer.byteLength(atLimit) - 1)}"`);
      const file = Buffer.from(`${fullLine}\n${line(chunkBytes)}\n${long}\n${line(chunkBytes + 1)}\n`);
      const chunks = Array.from({ length: Math.ceil(file.length / chunkBytes) }, (_, index) => file.subarray(index * chunkBytes, (index + 1) * chunkBytes));
      const summary = await t.app.get(EventImporter).import(Readable.from(chunks), 'ndjson', null);
      expect(summary).toEqual({
        lines: 3,
        accepted: 1,
        duplicates: 0,
        rejected: 2,
        unmatched: 1,
        errors: [
          { line: 1, reason: 'attributes.note must be a text of at most 1000 characters, a number, a boolean or null' },
          { line: 3, reason: 'is longer than 262,144 bytes, the limit of one line: the import stopped there, the lines before it were imported and the rest was not read' },
        ],
        moreErrors: 0,
      });
      expect(await count('events')).toBe(before + 1);
    });

    it('stops an import streamed past its limit (no size declared) with a 413 saying what was imported before', async () => {
      const before = await count('events');
      const { EventImporter } = await import('../../src/events/event-importer.js');
      const { Readable } = await import('node:stream');
      const lines = Array.from({ length: 60 }, (_, index) => `${line(100 + index)}\n`);
      const importing = t.app.get(EventImporter).import(Readable.from(lines), 'ndjson', null, undefined, { maxBytes: 4096 });
      await expect(importing).rejects.toMatchObject({ code: 'too_large', fields: { body: [expect.stringMatching(/^the import is larger than IMPORT_MAX_BYTES \(4,096 bytes\): it stopped before line 41; the lines before were imported \(40 accepted, 0 duplicates, 0 rejected\)$/)] } });
      expect(await count('events')).toBe(before + 40);
    });

    it('answers an upload streamed past IMPORT_MAX_BYTES over HTTP with a 413 that still carries the summary of the lines stored', async () => {
      const before = await count('events');
      const { request } = await import('node:http');
      const server = t.server;
      if (!server.listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as { port: number };
      // Chunked, so no Content-Length warns the service before it reads: it stops at the limit.
      const answer = await new Promise<{ status: number; body: Record<string, any> }>((resolve, reject) => {
        const upload = request(
          { host: '127.0.0.1', port, method: 'POST', path: '/api/events/import', headers: { Authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'Content-Type': 'application/x-ndjson' } },
          (response) => {
            let text = '';
            response.setEncoding('utf8');
            response.on('data', (chunk: string) => (text += chunk));
            response.on('end', () => resolve({ status: response.statusCode ?? 0, body: JSON.parse(text) }));
          },
        );
        upload.on('error', reject);
        for (let index = 0; index < 12_000; index += 1) upload.write(`${line(20_000 + index)}\n`);
        upload.end();
      });
      expect(answer.status).toBe(413);
      expect(answer.body.errors.body[0]).toMatch(/^the import is larger than IMPORT_MAX_BYTES \(1,048,576 bytes\): it stopped before line \d+/);
      const stored = (await count('events')) - before;
      expect(stored).toBeGreaterThan(0);
      expect(answer.body.summary).toMatchObject({ lines: stored, accepted: stored, duplicates: 0, rejected: 0, unmatched: stored, errors: [], moreErrors: 0 });
    });
  });

  describe('nesting, numbers, nulls and malformed bodies', () => {
    it('refuses JSON nested 10,000 deep with a 400 naming the limit', async () => {
      const before = await count('departments');
      const deep = '{"name":' + '['.repeat(10_000) + ']'.repeat(10_000) + '}';
      const response = await t.as().post('/api/departments').set('Content-Type', 'application/json').send(deep);
      expectRefused(response, `name${'[0]'.repeat(31)}`, /nested deeper than 32 levels/);
      const events = await t.as().post('/api/events').set('Content-Type', 'application/json').send('['.repeat(10_000) + ']'.repeat(10_000));
      expect(events.status).toBe(200);
      expect(events.body.results).toEqual([{ status: 'rejected', errors: { event: ['must be an object with type, subject and occurredAt'] } }]);
      expect(await count('departments')).toBe(before);
    });

    it.each([
      ['offset', '1e308', /offset must be a whole number from 0 to 1,000,000,000/],
      ['offset', '99999999999999999999', /offset must be a whole number from 0 to 1,000,000,000/],
      ['offset', '-1', /offset must be a whole number/],
      ['offset', '1.5', /offset must be a whole number/],
      ['limit', 'abc', /limit must be a whole number from 1 to 200/],
      ['limit', '1e308', /limit must be a whole number from 1 to 200/],
    ])('refuses %s=%s on a list with a 400 naming it', async (field, value, why) => {
      expectRefused(await t.as().get(`/api/departments?${field}=${value}`), field, why);
      expectRefused(await t.as().get(`/api/clocks?${field}=${value}`), field, why);
    });

    it('reads a huge or odd offset in a page address as the nearest page', async () => {
      const admin = await pageSession(t, TEST_ADMIN_TOKEN);
      for (const path of ['/agreements?offset=99999999999999999999', '/agreements?offset=1e308', '/breaches?offset=-1', '/breaches?offset=abc']) {
        expect({ path, status: (await admin.get(path)).status }).toEqual({ path, status: 200 });
      }
    });

    it.each([
      ['departments', 'slug'],
      ['departments', 'timezone'],
      ['calendars', 'holidays'],
      ['calendars', 'breaks'],
      ['subscriptions', 'departmentIds'],
      ['people', 'timezone'],
      ['people', 'active'],
    ])('refuses null for %s.%s in a PATCH, leaving the record as it was', async (resource, field) => {
      const ids: Record<string, () => Promise<string>> = {
        departments: async () => org.marketing.id,
        calendars: async () => calendarId,
        people: async () => org.marketingMember.id,
        subscriptions: async () => (await t.as(org.salesHead.token).post('/api/subscriptions').send({ report: 'breaches', schedule: 'every Monday 08:00' })).body.id,
      };
      const id = await ids[resource]();
      const before = (await t.as().get(`/api/${resource}`)).body.items.find((item: { id: string }) => item.id === id);
      const response = await t.as().patch(`/api/${resource}/${id}`).send({ [field]: null });
      expect(response.status).toBe(400);
      expect(response.body.errors[field]).toContain(`${field} may be left out, but not null`);
      expect((await t.as().get(`/api/${resource}`)).body.items.find((item: { id: string }) => item.id === id)).toEqual(before);
    });

    it('answers malformed JSON, a wrong Content-Type and a body over the limit with a 4xx', async () => {
      const before = await count('departments');
      expectRefused(await t.as().post('/api/departments').set('Content-Type', 'application/json').send('{"name": '), 'body', /not valid JSON/);
      const plain = await t.as().post('/api/departments').set('Content-Type', 'text/plain').send('{"name":"Finance"}');
      expect(plain.status).toBe(400);
      expect(Object.keys(plain.body.errors)).toEqual(['name']);
      const huge = await t.as().post('/api/departments').set('Content-Type', 'application/json').send(`{"name":"${'x'.repeat(9 * 1024 * 1024)}"}`);
      expectRefused(huge, 'body', /larger than the limit of 8,388,608 bytes/, 413);
      expect(await count('departments')).toBe(before);
    });
  });
});
