import { DataSource } from 'typeorm';
import { TestApp } from '../support/test-app.js';

const at = (minute: number) => `2026-10-05T09:${String(minute).padStart(2, '0')}:00+02:00`;
const ndjson = (...lines: unknown[]) => lines.map((line) => (typeof line === 'string' ? line : JSON.stringify(line))).join('\n');

describe('importing events from NDJSON and CSV files over HTTP', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await TestApp.start();
  });

  afterAll(async () => {
    await t?.close();
  });

  async function countEvents(where = '1 = 1', parameters: unknown[] = []): Promise<number> {
    const rows: { count: number | string }[] = await t.app.get(DataSource).query(`SELECT count(*) AS count FROM events WHERE ${where}`, parameters);
    return Number(rows[0].count);
  }

  async function storedAttributes(key: string): Promise<Record<string, unknown>> {
    const param = t.database.kind === 'postgres' ? '$1' : '?';
    const rows: { attributes: string }[] = await t.app.get(DataSource).query(`SELECT attributes FROM events WHERE key = ${param}`, [key]);
    expect(rows).toHaveLength(1);
    return JSON.parse(rows[0].attributes);
  }

  const importAs = (contentType: string, body: string, token?: string) =>
    t.as(token).post('/api/events/import').set('Content-Type', contentType).send(body);

  it('imports NDJSON, skipping bad lines with their line numbers and counting repeats as duplicates', async () => {
    const before = await countEvents();
    const response = await importAs(
      'application/x-ndjson',
      ndjson(
        { type: 'lead.created', subject: 'N-1', occurredAt: at(0), key: 'nd-1', attributes: { score: 'hot' } },
        '',
        '{"type": "lead.created", "subject": ',
        { type: 'lead.created', subject: 'N-2', occurredAt: 'yesterday' },
        { type: 'lead.created', subject: 'N-3', occurredAt: at(3), key: 'nd-3' },
        { type: 'lead.created', subject: 'N-3', occurredAt: at(3), key: 'nd-3' },
        { type: 'lead.created', subject: 'N-4', occurredAt: at(4) },
        '   ',
      ),
    );
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      lines: 8,
      accepted: 3,
      duplicates: 1,
      rejected: 2,
      // No agreement is in force in this file: nothing accepted is measured.
      unmatched: 3,
      errors: [
        { line: 3, reason: expect.stringMatching(/^not valid JSON/) },
        { line: 4, reason: expect.stringMatching(/^occurredAt must be an ISO 8601 instant/) },
      ],
      moreErrors: 0,
    });
    expect(await countEvents()).toBe(before + 3);
    expect(await storedAttributes('nd-1')).toEqual({ score: 'hot' });

    // The same file again: everything already there is a duplicate, nothing is stored twice.
    const again = await importAs('application/x-ndjson', ndjson({ type: 'lead.created', subject: 'N-1', occurredAt: at(0), key: 'nd-1', attributes: { score: 'hot' } }));
    expect(again.body).toMatchObject({ lines: 1, accepted: 0, duplicates: 1, rejected: 0 });
    expect(await countEvents()).toBe(before + 3);
  });

  it('reads CRLF line endings and the other NDJSON media types', async () => {
    const body = [
      JSON.stringify({ type: 'lead.created', subject: 'R-1', occurredAt: at(10), key: 'crlf-1' }),
      '',
      'nope',
      JSON.stringify({ type: 'lead.created', subject: 'R-2', occurredAt: at(11), key: 'crlf-2' }),
      '',
    ].join('\r\n');
    const response = await importAs('application/ndjson; charset=utf-8', body);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ lines: 4, accepted: 2, rejected: 1, errors: [{ line: 3, reason: expect.stringMatching(/not valid JSON/) }] });
    const jsonl = await importAs('application/jsonl', JSON.stringify({ type: 'lead.created', subject: 'R-3', occurredAt: at(12), key: 'crlf-3' }));
    expect(jsonl.body).toMatchObject({ accepted: 1 });
    expect(await countEvents("key LIKE 'crlf-%'")).toBe(3);
  });

  it('imports CSV: quoted commas and newlines, extra columns as attributes, bad rows at their line', async () => {
    const csv = [
      'type,subject,occurredAt,key,source,note', // 1
      `lead.created,C-1,${at(20)},csv-1,trade-show,"Met at the booth, asked for pricing"`, // 2
      '', // 3
      `lead.created,C-2,${at(21)},csv-2,,"first line`, // 4
      'second line"', // 5
      `lead.created,C-3,${at(22)},csv-3`, // 6: too few values
      `lead.created,C-4,not-a-date,csv-4,web,`, // 7
      `lead.created,C-1,${at(20)},csv-1,trade-show,"Met at the booth, asked for pricing"`, // 8: a repeat
      `lead.created,C-5,${at(25)},,web,`, // 9: no key
    ].join('\n');
    const response = await importAs('text/csv', csv);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      lines: 9,
      accepted: 3,
      duplicates: 1,
      rejected: 2,
      unmatched: 3,
      errors: [
        { line: 6, reason: 'has 4 values where the header has 6 columns' },
        { line: 7, reason: expect.stringMatching(/^occurredAt must be/) },
      ],
      moreErrors: 0,
    });
    expect(await storedAttributes('csv-1')).toEqual({ source: 'trade-show', note: 'Met at the booth, asked for pricing' });
    expect(await storedAttributes('csv-2')).toEqual({ note: 'first line\nsecond line' });
    expect(await countEvents("subject = 'C-5' AND key IS NULL")).toBe(1);
  });

  it('reads CSV with CRLF line endings, quoted CRLF newlines included, and ?format= over the Content-Type', async () => {
    const csv = [
      'subject,type,occurredAt,key,note',
      `W-1,lead.created,${at(30)},crlf-csv-1,"two\r\nlines"`,
      '',
      `W-2,lead.created,${at(31)},crlf-csv-2`,
      `W-3,lead.created,${at(32)},crlf-csv-3,plain`,
      '',
    ].join('\r\n');
    const response = await t.as().post('/api/events/import?format=csv').set('Content-Type', 'text/plain').send(csv);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ lines: 6, accepted: 2, rejected: 1, errors: [{ line: 5, reason: 'has 4 values where the header has 5 columns' }] });
    expect(await storedAttributes('crlf-csv-1')).toEqual({ note: 'two\r\nlines' });
  });

  it('reports a quote never closed at the line of the row it opens, keeping the rows before', async () => {
    const csv = ['type,subject,occurredAt,note', `lead.created,Q-1,${at(35)},fine`, '', `lead.created,Q-2,${at(36)},"never closed`, 'more'].join('\n');
    const response = await importAs('text/csv', csv);
    expect(response.body).toMatchObject({ lines: 5, accepted: 1, rejected: 1, errors: [{ line: 4, reason: expect.stringMatching(/never closed/) }] });
  });

  it('refuses a CSV file whose header lacks a required column, storing nothing', async () => {
    const before = await countEvents();
    const csv = ['type,occurredAt,key', `lead.created,${at(40)},no-subject-1`].join('\n');
    const response = await importAs('text/csv', csv);
    expect(response.status).toBe(400);
    expect(response.body.message).toMatch(/"subject" column/);
    expect(response.body.errors).toHaveProperty('header');
    expect(await countEvents()).toBe(before);
  });

  it('answers 415 for a body that is neither NDJSON nor CSV, and 400 for an unknown ?format', async () => {
    const xml = await importAs('application/xml', '<events/>');
    expect(xml.status).toBe(415);
    expect(xml.body.message).toMatch(/text\/csv/);
    // A JSON body is read by the JSON parser before the import could stream it.
    const json = await t.as().post('/api/events/import?format=ndjson').set('Content-Type', 'application/json').send('{}');
    expect(json.status).toBe(415);
    const unknown = await t.as().post('/api/events/import?format=xlsx').set('Content-Type', 'text/csv').send('type');
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors).toHaveProperty('format');
  });

  it('needs a token, and lets an events:write token import', async () => {
    const anonymous = await t.anonymous().post('/api/events/import').set('Content-Type', 'application/x-ndjson').send('{}');
    expect(anonymous.status).toBe(401);

    const admins = await t.as().get('/api/people?role=admin');
    const issued = await t.as().post(`/api/people/${admins.body.items[0].id}/tokens`).send({ name: 'CRM', scope: 'events:write' });
    expect(issued.status).toBe(201);
    const response = await importAs(
      'application/x-ndjson',
      ndjson({ type: 'lead.created', subject: 'T-1', occurredAt: at(50), key: 'scoped-1' }),
      issued.body.token,
    );
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ accepted: 1 });
    expect(await countEvents("key = 'scoped-1'")).toBe(1);
  });

  it('describes the route in the OpenAPI document', async () => {
    const document = await t.anonymous().get('/docs-json');
    const route = document.body.paths['/api/events/import'].post;
    expect(Object.keys(route.requestBody.content)).toEqual(expect.arrayContaining(['application/x-ndjson', 'text/csv']));
    expect(route.responses['200'].content['application/json'].schema.$ref).toMatch(/ImportSummaryView/);
  });
});
