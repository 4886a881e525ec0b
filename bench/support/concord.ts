/**
 * What the service benchmarks share: a Concord application built from AppModule on a SQLite file
 * (as test/support/test-app.ts builds it, without depending on test/), a small HTTP client over
 * Node's fetch (keep-alive, one request at a time), the org and agreements of the examples, and
 * temp directories that are removed afterwards.
 */
import { QUOTA_EXAMPLE, RESPONSE_EXAMPLE } from '../../src/agreements/agreements.dto.js';
import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { DataSource } from 'typeorm';
import { AppModule } from '../../src/app.module.js';
import { configureApp } from '../../src/app.setup.js';
import { Clock, ManualClock } from '../../src/common/clock.js';
import { AppConfig, loadConfig } from '../../src/config/app-config.js';
import { SESSION_COOKIE } from '../../src/web/web-request.js';

export const ADMIN_TOKEN = 'bench-admin-token-0123456789abcdef';

export interface Concord {
  app: INestApplication;
  clock: ManualClock;
  dataSource: DataSource;
  /** http://127.0.0.1:<port> when started with `listen`. */
  url: string;
  close(): Promise<void>;
}

/**
 * Where a benchmark's Concord keeps its data: a SQLite file (WAL, as in production), or a
 * PostgreSQL schema of its own (created by the migrations, dropped by `dropPostgresSchema`).
 */
export type BenchDatabase = { kind: 'sqlite'; sqlitePath: string } | { kind: 'postgres'; url: string; schema: string };

/** The PostgreSQL a benchmark may also measure: DATABASE_URL, when set. */
export function postgresUrl(): string | undefined {
  return process.env.DATABASE_URL || undefined;
}

/**
 * The databases a benchmark measures: SQLite always, PostgreSQL when DATABASE_URL is set (in a
 * fresh schema named after the benchmark); without it, a line says PostgreSQL is skipped.
 *
 * Start each in a child process whose environment names its database (DATABASE_URL set for
 * PostgreSQL, unset for SQLite): entities choose their instant column type from DATABASE_URL as
 * they load, so one process cannot open both (the benchmarks' *-child.ts do this).
 */
export function benchDatabases(sqlitePath: string, name: string): BenchDatabase[] {
  const url = postgresUrl();
  if (!url) {
    console.log(`PostgreSQL: skipped (set DATABASE_URL=postgres://… to measure it too)`);
    return [{ kind: 'sqlite', sqlitePath }];
  }
  const schema = `bench_${name.replace(/[^a-z0-9]/g, '_')}_${process.pid}_${Math.floor(Math.random() * 1e6)}`;
  return [{ kind: 'sqlite', sqlitePath }, { kind: 'postgres', url, schema }];
}

/**
 * The environment of a child process that measures `database`: DATABASE_URL set for PostgreSQL
 * (its schema is passed with the task), unset for SQLite — entities read it as they load.
 */
export function environmentFor(database: BenchDatabase, env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const own = { ...env };
  delete own.DATABASE_URL;
  if (database.kind === 'postgres') own.DATABASE_URL = database.url;
  return own;
}

/** "SQLite" or "PostgreSQL": how tables name a database. */
export function databaseName(database: BenchDatabase): string {
  return database.kind === 'sqlite' ? 'SQLite' : 'PostgreSQL';
}

/** Creates a benchmark's schema (before Concord migrates into it). */
export async function createPostgresSchema(database: Extract<BenchDatabase, { kind: 'postgres' }>): Promise<void> {
  await onPostgres(database.url, `CREATE SCHEMA IF NOT EXISTS "${database.schema}"`);
}

/** One statement on a PostgreSQL server, through TypeORM's driver (pg). */
async function onPostgres(url: string, statement: string): Promise<void> {
  const connection = await new DataSource({ type: 'postgres', url }).initialize();
  try {
    await connection.query(statement);
  } finally {
    await connection.destroy();
  }
}

/** Removes a benchmark's schema and everything in it. */
export async function dropPostgresSchema(database: BenchDatabase): Promise<void> {
  if (database.kind !== 'postgres') return;
  await onPostgres(database.url, `DROP SCHEMA IF EXISTS "${database.schema}" CASCADE`);
}

/**
 * Concord on a SQLite file (WAL, as in production) or in a PostgreSQL schema of its own,
 * migrations applied at start, sweeps off, errors only in the log, its clock under the
 * benchmark's control. `sqlitePath` alone is the SQLite case.
 */
export async function startConcord(options: {
  sqlitePath?: string;
  database?: BenchDatabase;
  clock: ManualClock;
  listen?: boolean;
  /** The tracking worker's interval (TRACKING_INTERVAL_MS); by default 0: tracked in the request, so a benchmark reads what it sent. */
  trackingIntervalMs?: number;
  /** Further settings (SMTP_URL, OUTBOX_INTERVAL_SECONDS…), over the benchmark's environment. */
  env?: Record<string, string>;
}): Promise<Concord> {
  const database: BenchDatabase = options.database ?? { kind: 'sqlite', sqlitePath: options.sqlitePath ?? ':memory:' };
  const env: Record<string, string | undefined> = {
    ...process.env,
    LOG_LEVEL: 'error',
    SWEEP_INTERVAL_SECONDS: '0',
    CONCORD_ADMIN_TOKEN: ADMIN_TOKEN,
    TRACKING_INTERVAL_MS: String(options.trackingIntervalMs ?? 0),
    ...options.env,
  };
  delete env.DATABASE_URL;
  delete env.DATABASE_SCHEMA;
  if (database.kind === 'sqlite') env.SQLITE_PATH = database.sqlitePath;
  else {
    await createPostgresSchema(database);
    env.DATABASE_URL = database.url;
    env.DATABASE_SCHEMA = database.schema;
  }
  const config = loadConfig(env);
  const moduleRef = await Test.createTestingModule({ imports: [AppModule] })
    .overrideProvider(AppConfig)
    .useValue(config)
    .overrideProvider(Clock)
    .useValue(options.clock)
    .compile();
  const app = moduleRef.createNestApplication({ logger: config.logLevels });
  configureApp(app);
  let url = '';
  if (options.listen) {
    await app.listen(0, '127.0.0.1');
    const address = app.getHttpServer().address() as AddressInfo;
    url = `http://127.0.0.1:${address.port}`;
  } else {
    await app.init();
  }
  return { app, clock: options.clock, dataSource: app.get(DataSource), url, close: () => app.close() };
}

export interface HttpAnswer<T = any> {
  status: number;
  body: T;
}

/** One request with a bearer token; the body is sent as JSON (or as given, when already a string). */
export async function call<T = any>(url: string, method: string, path: string, token: string, body?: unknown): Promise<HttpAnswer<T>> {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : null) as T };
}

export async function expectCall<T = any>(url: string, method: string, path: string, token: string, status: number, body?: unknown): Promise<T> {
  const answer = await call<T>(url, method, path, token, body);
  if (answer.status !== status) throw new Error(`${method} ${path}: expected ${status}, got ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body;
}

export interface Org {
  marketingId: string;
  salesId: string;
  marketingHead: string;
  salesHead: string;
  /** Token of a marketing member: what a CRM integration would use to send events. */
  marketingMember: string;
}

async function person(url: string, name: string, email: string, role: string, departmentId: string): Promise<string> {
  const created = await expectCall(url, 'POST', '/api/people', ADMIN_TOKEN, 201, { name, email, role, departmentId });
  const issued = await expectCall(url, 'POST', `/api/people/${created.id}/tokens`, ADMIN_TOKEN, 201, { name: 'bench' });
  return issued.token as string;
}

/** Marketing and Sales with their heads and a marketing member, over the API. */
export async function seedOrg(url: string): Promise<Org> {
  const marketing = await expectCall(url, 'POST', '/api/departments', ADMIN_TOKEN, 201, { name: 'Marketing', timezone: 'Europe/Paris' });
  const sales = await expectCall(url, 'POST', '/api/departments', ADMIN_TOKEN, 201, { name: 'Sales', timezone: 'Europe/Paris' });
  return {
    marketingId: marketing.id,
    salesId: sales.id,
    marketingHead: await person(url, 'Maëlle Head', 'maelle@example.com', 'head', marketing.id),
    salesHead: await person(url, 'Samir Head', 'samir@example.com', 'head', sales.id),
    marketingMember: await person(url, 'Marc Member', 'marc@example.com', 'member', marketing.id),
  };
}

/**
 * Signs in to the pages with an API token as a browser does (the sign-in form, with the CSRF token
 * of its anonymous cookie) and returns the session's secret: the value of its cookie.
 */
export async function signInToPages(url: string, token: string): Promise<string> {
  const cookiesOf = (response: Response) => response.headers.getSetCookie().map((cookie) => cookie.split(';')[0]);
  const form = await fetch(`${url}/sign-in`);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1];
  if (form.status !== 200 || !csrf) throw new Error(`GET /sign-in: ${form.status}, ${csrf ? 'a' : 'no'} CSRF token`);
  const signedIn = await fetch(`${url}/sign-in/token`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookiesOf(form).join('; ') },
    body: new URLSearchParams({ _csrf: csrf, token, next: '/' }).toString(),
  });
  const session = cookiesOf(signedIn).find((cookie) => cookie.startsWith(`${SESSION_COOKIE}=`));
  if (signedIn.status !== 303 || !session) throw new Error(`POST /sign-in/token: ${signedIn.status} ${(await signedIn.text()).slice(0, 300)}`);
  return decodeURIComponent(session.slice(SESSION_COOKIE.length + 1));
}

/** The Cookie header of a page request in a session. */
export function sessionCookie(secret: string): string {
  return `${SESSION_COOKIE}=${encodeURIComponent(secret)}`;
}

const weekdays = (hours: string[][]) => ({ mon: hours, tue: hours, wed: hours, thu: hours, fri: hours });

/** Paris office hours, 09:00–18:00 on weekdays, no holidays: the calendar of the examples. */
export const PARIS_OFFICE = { name: 'Paris office', timezone: 'Europe/Paris', hours: weekdays([['09:00', '18:00']]) };

/** Round the clock, every day, in UTC: business time equals elapsed time. */
export const ALWAYS_OPEN = {
  name: 'Always open',
  timezone: 'UTC',
  hours: { ...weekdays([['00:00', '24:00']]), sat: [['00:00', '24:00']], sun: [['00:00', '24:00']] },
};

export async function createCalendar(url: string, body: object): Promise<string> {
  return (await expectCall(url, 'POST', '/api/calendars', ADMIN_TOKEN, 201, body)).id as string;
}

/** "Hot leads are called fast": hot 1 h, warm 4 h, anything else two business days; pauses on hold. */
export function hotLeads(org: Org, calendarId: string) {
  return {
    name: 'Hot leads are called fast',
    providerDepartmentId: org.salesId,
    consumerDepartmentId: org.marketingId,
    calendarId,
    response: structuredClone(RESPONSE_EXAMPLE),
  };
}

/** "Marketing delivers qualified leads": at least 200 EU MQLs a month. */
export function qualifiedLeads(org: Org, calendarId: string) {
  return {
    name: 'Marketing delivers qualified leads',
    providerDepartmentId: org.marketingId,
    consumerDepartmentId: org.salesId,
    calendarId,
    quota: structuredClone(QUOTA_EXAMPLE),
  };
}

/** Drafts, proposes and has both heads approve an agreement (in force from the clock's now); returns its id. */
export async function signAgreement(url: string, org: Org, body: object): Promise<string> {
  const id = (await expectCall(url, 'POST', '/api/agreements', org.salesHead, 201, body)).id as string;
  await expectCall(url, 'POST', `/api/agreements/${id}/propose`, org.salesHead, 200);
  await expectCall(url, 'POST', `/api/agreements/${id}/approve`, org.salesHead, 200, {});
  await expectCall(url, 'POST', `/api/agreements/${id}/approve`, org.marketingHead, 200, {});
  return id;
}

// ---------------------------------------------------------------------------------------------

/** A temp directory, removed (with everything in it) by `remove`. */
export function tempDirectory(prefix: string): { path: string; file(name: string): string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), `concord-bench-${prefix}-`));
  return { path, file: (name) => join(path, name), remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** SQLite's datetime text for an instant, as Concord stores it (UTC, milliseconds, no T/Z). */
export function sqliteInstant(epochMs: number): string {
  return new Date(epochMs).toISOString().replace('T', ' ').replace('Z', '');
}

export function nowMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

export async function timed<T>(work: () => Promise<T> | T): Promise<{ ms: number; value: T }> {
  const begin = nowMs();
  const value = await work();
  return { ms: nowMs() - begin, value };
}

/**
 * `timed`, with the CPU the process spent meanwhile (user + system, all its threads): on a busy
 * machine the wall clock also measures the neighbours, the CPU much less so.
 */
export async function timedWithCpu<T>(work: () => Promise<T> | T): Promise<{ ms: number; cpuMs: number; value: T }> {
  const cpu = process.cpuUsage();
  const { ms, value } = await timed(work);
  const spent = process.cpuUsage(cpu);
  return { ms, cpuMs: (spent.user + spent.system) / 1000, value };
}

/** Small, well-known 32-bit PRNG: the same seed gives the same inputs on every machine. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function positiveIntFromEnv(name: string, fallback: number): number {
  const value = Number(process.env[name]);
  return Number.isInteger(value) && value > 0 ? value : fallback;
}

/** BENCH_SCALE (default 1) shrinks or grows the sizes for quick trials. */
export function scaled(size: number, minimum = 1): number {
  const scale = Number(process.env.BENCH_SCALE);
  const factor = Number.isFinite(scale) && scale > 0 ? scale : 1;
  return Math.max(minimum, Math.round(size * factor));
}

export function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
  // First column left-aligned, the others right-aligned (numbers).
  const line = (cells: string[]) =>
    cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join('   ');
  console.log(line(header));
  console.log(widths.map((width) => '-'.repeat(width)).join('   '));
  for (const row of rows) console.log(line(row));
}

export function fmtInt(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

export function fmtFixed(value: number, digits = 1): string {
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export function fmtMs(ms: number): string {
  return ms >= 1000 ? `${fmtFixed(ms / 1000, 2)} s` : `${fmtFixed(ms, 1)} ms`;
}

export function fmtPercent(ratio: number): string {
  return `${fmtFixed(ratio * 100, 1)} %`;
}

export function status(ok: boolean): string {
  return ok ? 'met' : 'NOT MET';
}

/**
 * Fills a table of a migrated SQLite file fast: its secondary indexes are dropped, `fill` inserts
 * in one transaction with the journal off, then the indexes are recreated from their very DDL and
 * the file is left in WAL mode, as the service keeps it. The schema ends exactly as migrated.
 */
export function bulkLoad(file: string, table: string, fill: (db: import('better-sqlite3').Database) => void): void {
  const db = new BetterSqlite3(file);
  try {
    db.pragma('journal_mode = DELETE');
    db.pragma('synchronous = OFF');
    db.pragma('cache_size = -262144'); // 256 MiB while building
    const indexes = db
      .prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL`)
      .all(table) as { name: string; sql: string }[];
    for (const index of indexes) db.exec(`DROP INDEX "${index.name}"`);
    db.transaction(() => fill(db))();
    for (const index of indexes) db.exec(index.sql);
    db.pragma('journal_mode = WAL');
  } finally {
    db.close();
  }
}
