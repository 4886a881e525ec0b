import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { runImport } from '../../src/cli/run-import.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { TEST_ADMIN_TOKEN, TestApp } from '../support/test-app.js';
import { captureOutput } from '../support/cli-output.js';

describe('npm run import -- FILE', () => {
  let database: TestDatabase;
  let folder: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    database = await createTestDatabase({ shared: true });
    folder = mkdtempSync(join(tmpdir(), 'concord-import-'));
    env = { ...process.env, LOG_LEVEL: 'warn', CONCORD_ADMIN_TOKEN: TEST_ADMIN_TOKEN, INIT_CWD: folder, ...database.env };
  });

  afterAll(async () => {
    await database?.drop();
    rmSync(folder, { recursive: true, force: true });
  });

  async function storedKeys(): Promise<string[]> {
    const t = await TestApp.start({ database });
    try {
      const rows: { key: string }[] = await t.app.get(DataSource).query('SELECT key FROM events ORDER BY key');
      return rows.map((row) => row.key);
    } finally {
      await t.close();
    }
  }

  it('imports an NDJSON file and prints a summary with the rejected lines', async () => {
    writeFileSync(
      join(folder, 'events.ndjson'),
      [
        JSON.stringify({ type: 'lead.created', subject: 'L-1', occurredAt: '2026-10-01T09:00:00Z', key: 'cli-1' }),
        '{broken',
        JSON.stringify({ type: 'lead.created', subject: 'L-2', occurredAt: '2026-10-01T09:05:00Z', key: 'cli-2' }),
        JSON.stringify({ type: 'lead.created', subject: 'L-1', occurredAt: '2026-10-01T09:00:00Z', key: 'cli-1' }),
      ].join('\n') + '\n',
    );
    const output = captureOutput();
    const code = await runImport(['events.ndjson'], env, output);
    expect(output.text.stderr).toBe('');
    expect(code).toBe(0);
    expect(output.text.stdout).toMatch(/^events\.ndjson: 4 lines read\n/);
    // No agreement is in force here: both events accepted are unmatched.
    expect(output.text.stdout).toMatch(/accepted +2\n +duplicates +1\n +rejected +1\n +unmatched +2\n +line 2: not valid JSON/);
    expect(await storedKeys()).toEqual(['cli-1', 'cli-2']);
  });

  it('reads CSV by the file extension, or as told by --format', async () => {
    const csv = ['type,subject,occurredAt,key,score', 'lead.created,L-3,2026-10-02T10:00:00+02:00,cli-3,hot', 'lead.created,L-4,tomorrow,cli-4,'].join('\n');
    writeFileSync(join(folder, 'leads.csv'), csv);
    writeFileSync(join(folder, 'leads.export'), csv.replace(/cli-3/, 'cli-5'));

    const byName = captureOutput();
    expect(await runImport(['leads.csv'], env, byName)).toBe(0);
    expect(byName.text.stdout).toMatch(/accepted +1\n +duplicates +0\n +rejected +1\n +unmatched +1\n +line 3: occurredAt must be/);

    const byOption = captureOutput();
    expect(await runImport([join(folder, 'leads.export'), '--format', 'csv'], env, byOption)).toBe(0);
    expect(byOption.text.stdout).toMatch(/accepted +1\b/);
    expect(await storedKeys()).toEqual(['cli-1', 'cli-2', 'cli-3', 'cli-5']);
  });

  it.each([
    ['a missing file', ['missing.ndjson'], {}, /^import: no such file: missing\.ndjson\n$/],
    ['a file whose format cannot be told', ['leads.export'], {}, /cannot tell the format of leads\.export.*--format csv/],
    ['an unknown format', ['leads.csv', '--format', 'xlsx'], {}, /unknown format "xlsx"/],
    ['no file', [], {}, /usage: npm run import -- FILE/],
    ['a bad setting', ['leads.csv'], { SWEEP_INTERVAL_SECONDS: 'often' }, /^import: the configuration is invalid: SWEEP_INTERVAL_SECONDS must be a whole number[^\n]*\n$/],
  ])('exits with 1 and one message for %s', async (_case, argv, settings, message) => {
    const output = captureOutput();
    expect(await runImport(argv, { ...env, ...settings }, output)).toBe(1);
    expect(output.text.stderr).toMatch(message);
    expect(output.text.stdout).toBe('');
  });

  it('exits with 1, storing nothing, for a CSV file without a required column', async () => {
    writeFileSync(join(folder, 'no-type.csv'), 'subject,occurredAt\nL-9,2026-10-02T10:00:00Z\n');
    const output = captureOutput();
    expect(await runImport(['no-type.csv'], env, output)).toBe(1);
    expect(output.text.stderr).toMatch(/^import: header: the CSV header has no "type" column/);
    expect(await storedKeys()).toEqual(['cli-1', 'cli-2', 'cli-3', 'cli-5']);
  });
});
