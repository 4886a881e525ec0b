import { plainToInstance, Transform } from 'class-transformer';
import { isIP } from 'node:net';
import { LOCALES, type Locale } from '../i18n/locales.js';
import {
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  MinLength,
  Validate,
  validateSync,
  ValidatorConstraint,
  type ValidatorConstraintInterface,
} from 'class-validator';

const LOG_LEVELS = ['error', 'warn', 'log', 'debug', 'verbose'] as const;
/** Express' names for address ranges a proxy may sit in. */
const PROXY_RANGES = ['loopback', 'linklocal', 'uniquelocal'];
const TRUST_PROXY_MESSAGE =
  'TRUST_PROXY must be the number of proxies in front of Concord (1, 2…) or their addresses (loopback, uniquelocal, 10.0.0.0/8, …), comma-separated; "true" is refused, since any client could then choose its own address';

/** A hop count, or a list of proxy addresses, subnets or Express range names. */
function isTrustProxy(value: string): boolean {
  if (/^\d{1,2}$/.test(value)) return Number(value) >= 1;
  return value.split(',').every((part) => {
    const entry = part.trim();
    if (PROXY_RANGES.includes(entry)) return true;
    const [address, bits, ...rest] = entry.split('/');
    const version = isIP(address);
    if (version === 0 || rest.length > 0) return false;
    return bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (version === 4 ? 32 : 128));
  });
}
export type LogLevel = (typeof LOG_LEVELS)[number];

const emptyToUndefined = ({ value }: { value: unknown }) => (value === '' ? undefined : value);
const toInteger = ({ value }: { value: unknown }) =>
  value === undefined || value === '' ? undefined : /^-?\d+$/.test(String(value)) ? Number(value) : value;

@ValidatorConstraint({ name: 'trustProxy' })
class TrustProxyConstraint implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value === 'string' && isTrustProxy(value.trim());
  }

  defaultMessage(): string {
    return TRUST_PROXY_MESSAGE;
  }
}

const CONNECTIONS_KEY_RULE = 'CONNECTIONS_KEY must be 32 bytes: 64 hex digits or 44 characters of base64 (openssl rand -base64 32)';
const DELIVERY_RETENTION_RULE = 'DELIVERY_RETENTION_DAYS must be a whole number of days from 1 to 3650';
const CRM_ALLOW_PRIVATE_HOSTS_RULE = 'CRM_ALLOW_PRIVATE_HOSTS must be true or false';
/** "true"/"false" (any case, spaces around), "1"/"0", "" (unset: false); anything else is kept as it is, for the validator to name. */
const toBoolean = ({ value }: { value: unknown }) => {
  if (typeof value !== 'string') return value;
  const text = value.trim().toLowerCase();
  return text === 'true' || text === '1' ? true : text === 'false' || text === '0' || text === '' ? false : value;
};
const IMPORT_MAX_BYTES_RULE = 'IMPORT_MAX_BYTES must be a whole number of bytes, at least 1024';

/**
 * Every setting Concord reads, checked once at boot. Names are the environment variables.
 * README's "Configuration" table documents each one.
 */
export class AppConfig {
  /** TCP port of the HTTP server. */
  @Transform(toInteger)
  @IsInt({ message: 'PORT must be a whole number between 1 and 65535' })
  @Min(1, { message: 'PORT must be a whole number between 1 and 65535' })
  @Max(65535, { message: 'PORT must be a whole number between 1 and 65535' })
  PORT: number = 3000;

  /** postgres://user:password@host:port/database; unset means the embedded SQLite file. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'DATABASE_URL must be a postgres:// URL (leave it unset for SQLite)' })
  DATABASE_URL?: string;

  /** PostgreSQL schema holding Concord's tables (default: the server's search path, usually public). */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^[a-z_][a-z0-9_]{0,62}$/, { message: 'DATABASE_SCHEMA must be a lower-case SQL identifier' })
  DATABASE_SCHEMA?: string;

  /** SQLite database file when DATABASE_URL is unset (":memory:" for a throw-away database). */
  @IsString()
  @MinLength(1, { message: 'SQLITE_PATH must not be empty' })
  SQLITE_PATH: string = './data/concord.sqlite';

  /**
   * How often (ms) a thread of its own copies SQLite's write-ahead log into the database file
   * (a passive checkpoint), so that the commits of requests no longer do it: on the ingestion
   * benchmark that copy was a quarter of the request path. 0 leaves it to the committing
   * writer, every 1,000 pages, as SQLite does by default. Ignored on PostgreSQL and in memory.
   */
  @Transform(toInteger)
  @IsInt({ message: 'SQLITE_CHECKPOINT_INTERVAL_MS must be a whole number of milliseconds from 0 (checkpoint in the commit) to 10000' })
  @Min(0, { message: 'SQLITE_CHECKPOINT_INTERVAL_MS must be a whole number of milliseconds from 0 (checkpoint in the commit) to 10000' })
  @Max(10000, { message: 'SQLITE_CHECKPOINT_INTERVAL_MS must be a whole number of milliseconds from 0 (checkpoint in the commit) to 10000' })
  SQLITE_CHECKPOINT_INTERVAL_MS: number = 100;

  /** Token of the first admin, created on an empty database; generated and printed once when unset. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @MinLength(24, { message: 'CONCORD_ADMIN_TOKEN must be at least 24 characters' })
  @Matches(/^[\x21-\x7e]+$/, { message: 'CONCORD_ADMIN_TOKEN must be printable ASCII without spaces' })
  CONCORD_ADMIN_TOKEN?: string;

  /** Email of the first admin. */
  @IsEmail({}, { message: 'CONCORD_ADMIN_EMAIL must be an email address' })
  CONCORD_ADMIN_EMAIL: string = 'admin@concord.local';

  /** Address people use to reach this service, for links in emails and the start-up banner. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true }, { message: 'PUBLIC_URL must be an http(s) URL' })
  PUBLIC_URL?: string;

  /** Seconds between two sweeps that find breaches, warnings and ended quota periods; 0 turns the schedule off. */
  @Transform(toInteger)
  @IsInt({ message: 'SWEEP_INTERVAL_SECONDS must be a whole number of seconds from 0 (off) to 3600' })
  @Min(0, { message: 'SWEEP_INTERVAL_SECONDS must be a whole number of seconds from 0 (off) to 3600' })
  @Max(3600, { message: 'SWEEP_INTERVAL_SECONDS must be a whole number of seconds from 0 (off) to 3600' })
  SWEEP_INTERVAL_SECONDS: number = 30;

  /** smtp://user:password@host:587 or smtps://…:465 to send email for real; unset writes .eml files to OUTBOX_DIR. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^smtps?:\/\/[^\s]+$/, { message: 'SMTP_URL must be an smtp:// or smtps:// URL (leave it unset to write .eml files)' })
  SMTP_URL?: string;

  /** Sender of every email. */
  @IsString()
  @MinLength(3, { message: 'MAIL_FROM must be an address such as "Concord <concord@example.com>"' })
  @Matches(/@/, { message: 'MAIL_FROM must be an address such as "Concord <concord@example.com>"' })
  MAIL_FROM: string = 'Concord <concord@localhost>';

  /** Where emails are written as .eml files when SMTP_URL is unset. */
  @IsString()
  @MinLength(1, { message: 'OUTBOX_DIR must not be empty' })
  OUTBOX_DIR: string = './data/outbox';

  /** Seconds between two passes of the outbox dispatcher; 0 turns it off. */
  @Transform(toInteger)
  @IsInt({ message: 'OUTBOX_INTERVAL_SECONDS must be a whole number of seconds from 0 (off) to 3600' })
  @Min(0, { message: 'OUTBOX_INTERVAL_SECONDS must be a whole number of seconds from 0 (off) to 3600' })
  @Max(3600, { message: 'OUTBOX_INTERVAL_SECONDS must be a whole number of seconds from 0 (off) to 3600' })
  OUTBOX_INTERVAL_SECONDS: number = 5;

  /**
   * Milliseconds between two drains of the tracking queue: with it above 0, a delivery stores its
   * events and a queue row and answers, and a worker applies tracking (clocks, quotas, stage
   * entries, rollups, alerts) a moment later, in one transaction per drain. 0 tracks every delivery
   * inside its own transaction: the default, since on SQLite (the default database) the queue
   * saves nothing — the worker shares the request's thread and connection — and only adds a lag;
   * on PostgreSQL batches are stored and tracked about a third faster (README, Benchmarks).
   */
  @Transform(toInteger)
  @IsInt({ message: 'TRACKING_INTERVAL_MS must be a whole number of milliseconds from 0 (track in the request) to 60000' })
  @Min(0, { message: 'TRACKING_INTERVAL_MS must be a whole number of milliseconds from 0 (track in the request) to 60000' })
  @Max(60000, { message: 'TRACKING_INTERVAL_MS must be a whole number of milliseconds from 0 (track in the request) to 60000' })
  TRACKING_INTERVAL_MS: number = 0;

  /**
   * With tracking behind the events: events waiting in the queue (as this instance knows them)
   * above which a delivery to the events API (single, batch, import) waits before it is stored,
   * until the worker has caught up below it (at most 30 s, then it is stored anyway; not while
   * catch-ups fail). A sender faster than tracking is slowed down to tracking's pace instead of
   * the queue, and the lag, growing without bound. CRM hook deliveries and Concord's own events
   * are stored with the work they belong to and never wait. 0: never wait.
   */
  @Transform(toInteger)
  @IsInt({ message: 'TRACKING_MAX_BACKLOG must be a whole number of events from 0 (no limit) to 1000000' })
  @Min(0, { message: 'TRACKING_MAX_BACKLOG must be a whole number of events from 0 (no limit) to 1000000' })
  @Max(1_000_000, { message: 'TRACKING_MAX_BACKLOG must be a whole number of events from 0 (no limit) to 1000000' })
  TRACKING_MAX_BACKLOG: number = 5000;

  /**
   * Drains of the tracking queue applied at once by one instance on PostgreSQL, each in its own
   * transaction on its own connection (rows are claimed with SKIP LOCKED; subjects take turns on
   * advisory locks), so one drain's round trips overlap another's work: for a database across a
   * network. On the benchmark's machine (PostgreSQL on the same host, two cores) two drains
   * tracked no faster than one — the drain's own CPU is the limit — so the default is 1. SQLite
   * has one writer: there drains always take turns, whatever this says.
   */
  @Transform(toInteger)
  @IsInt({ message: 'TRACKING_DRAINS must be a whole number from 1 to 8' })
  @Min(1, { message: 'TRACKING_DRAINS must be a whole number from 1 to 8' })
  @Max(8, { message: 'TRACKING_DRAINS must be a whole number from 1 to 8' })
  TRACKING_DRAINS: number = 1;

  /** Attempts before a message is marked failed (waits double from 30 s, at most an hour apart). */
  @Transform(toInteger)
  @IsInt({ message: 'OUTBOX_MAX_ATTEMPTS must be a whole number from 1 to 50' })
  @Min(1, { message: 'OUTBOX_MAX_ATTEMPTS must be a whole number from 1 to 50' })
  @Max(50, { message: 'OUTBOX_MAX_ATTEMPTS must be a whole number from 1 to 50' })
  OUTBOX_MAX_ATTEMPTS: number = 12;

  /**
   * SMTP connections kept open and used at once (nodemailer's pool): the outbox sends this many
   * messages in parallel, each still claimed by one dispatcher.
   */
  @Transform(toInteger)
  @IsInt({ message: 'SMTP_MAX_CONNECTIONS must be a whole number from 1 to 50' })
  @Min(1, { message: 'SMTP_MAX_CONNECTIONS must be a whole number from 1 to 50' })
  @Max(50, { message: 'SMTP_MAX_CONNECTIONS must be a whole number from 1 to 50' })
  SMTP_MAX_CONNECTIONS: number = 5;

  /**
   * Breach alerts for one person above which one step of a sweep (or one batch of events) sends
   * them a single digest listing the breaches instead of an email per breach.
   */
  @Transform(toInteger)
  @IsInt({ message: 'ALERT_DIGEST_THRESHOLD must be a whole number from 1 to 10000' })
  @Min(1, { message: 'ALERT_DIGEST_THRESHOLD must be a whole number from 1 to 10000' })
  @Max(10000, { message: 'ALERT_DIGEST_THRESHOLD must be a whole number from 1 to 10000' })
  ALERT_DIGEST_THRESHOLD: number = 20;

  /** Business days a breach may stay unexplained before both heads are told. */
  @Transform(toInteger)
  @IsInt({ message: 'ESCALATION_BUSINESS_DAYS must be a whole number from 1 to 60' })
  @Min(1, { message: 'ESCALATION_BUSINESS_DAYS must be a whole number from 1 to 60' })
  @Max(60, { message: 'ESCALATION_BUSINESS_DAYS must be a whole number from 1 to 60' })
  ESCALATION_BUSINESS_DAYS: number = 2;

  /** Days before its due date an action item's owner is reminded. */
  @Transform(toInteger)
  @IsInt({ message: 'ACTION_REMINDER_DAYS must be a whole number from 0 to 30' })
  @Min(0, { message: 'ACTION_REMINDER_DAYS must be a whole number from 0 to 30' })
  @Max(30, { message: 'ACTION_REMINDER_DAYS must be a whole number from 0 to 30' })
  ACTION_REMINDER_DAYS: number = 2;

  /** Share of a quota period's working time after which a pace below the minimum is announced. */
  @Transform(toInteger)
  @IsInt({ message: 'QUOTA_AT_RISK_PERCENT must be a whole number from 1 to 99' })
  @Min(1, { message: 'QUOTA_AT_RISK_PERCENT must be a whole number from 1 to 99' })
  @Max(99, { message: 'QUOTA_AT_RISK_PERCENT must be a whole number from 1 to 99' })
  QUOTA_AT_RISK_PERCENT: number = 50;

  /** Failed authentications (bad tokens, bad sign-in links) and sign-in link requests one client address may make per minute. */
  @Transform(toInteger)
  @IsInt({ message: 'AUTH_FAILURES_PER_MINUTE must be a whole number from 1 to 10000' })
  @Min(1, { message: 'AUTH_FAILURES_PER_MINUTE must be a whole number from 1 to 10000' })
  @Max(10_000, { message: 'AUTH_FAILURES_PER_MINUTE must be a whole number from 1 to 10000' })
  AUTH_FAILURES_PER_MINUTE: number = 30;

  /** Requests one API token may make per minute. */
  @Transform(toInteger)
  @IsInt({ message: 'TOKEN_REQUESTS_PER_MINUTE must be a whole number from 1 to 1000000' })
  @Min(1, { message: 'TOKEN_REQUESTS_PER_MINUTE must be a whole number from 1 to 1000000' })
  @Max(1_000_000, { message: 'TOKEN_REQUESTS_PER_MINUTE must be a whole number from 1 to 1000000' })
  TOKEN_REQUESTS_PER_MINUTE: number = 6000;

  /** The proxies in front of Concord (hop count or addresses), whose X-Forwarded-For names the client; unset: none. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString({ message: TRUST_PROXY_MESSAGE })
  @Validate(TrustProxyConstraint)
  TRUST_PROXY?: string;

  /** Largest file POST /api/events/import takes, in bytes (100 MiB by default); larger files go through `npm run import`. */
  @Transform(toInteger)
  @IsInt({ message: IMPORT_MAX_BYTES_RULE })
  @Min(1024, { message: IMPORT_MAX_BYTES_RULE })
  @Max(Number.MAX_SAFE_INTEGER, { message: IMPORT_MAX_BYTES_RULE })
  IMPORT_MAX_BYTES: number = 100 * 1024 * 1024;

  /**
   * The key that encrypts CRM connections' secrets (AES-256-GCM): 32 bytes as 64 hex digits or
   * base64. Unset: a key is generated once and kept in the data directory (connections.key beside
   * the SQLite file), which suits one instance; set it when several instances share a database.
   */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^(?:[0-9a-fA-F]{64}|[A-Za-z0-9+/]{43}=)$/, { message: CONNECTIONS_KEY_RULE })
  CONNECTIONS_KEY?: string;

  /** Days a CRM connection's deliveries are kept for reading and replay. */
  @Transform(toInteger)
  @IsInt({ message: DELIVERY_RETENTION_RULE })
  @Min(1, { message: DELIVERY_RETENTION_RULE })
  @Max(3650, { message: DELIVERY_RETENTION_RULE })
  DELIVERY_RETENTION_DAYS: number = 30;

  /**
   * Lets CRM connections make Concord call private, loopback and link-local addresses, and plain
   * http (a Bitrix24 restUrl on 127.0.0.1, an on-premise portal on 10.0.0.5). Off by default: a
   * connection's URL is chosen by whoever manages it, and must not reach Concord's own network.
   */
  @Transform(toBoolean)
  @IsBoolean({ message: CRM_ALLOW_PRIVATE_HOSTS_RULE })
  CRM_ALLOW_PRIVATE_HOSTS: boolean = false;

  /** The organisation's language: pages of people who chose none and whose browser asks for none we speak, and emails to them. */
  @IsIn(LOCALES, { message: `DEFAULT_LOCALE must be one of ${LOCALES.join(', ')}` })
  DEFAULT_LOCALE: Locale = 'en';

  /** Most verbose log level written. */
  @IsIn(LOG_LEVELS, { message: `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}` })
  LOG_LEVEL: LogLevel = 'log';

  get databaseKind(): 'postgres' | 'sqlite' {
    return this.DATABASE_URL ? 'postgres' : 'sqlite';
  }

  get publicUrl(): string {
    return (this.PUBLIC_URL ?? `http://localhost:${this.PORT}`).replace(/\/$/, '');
  }

  /** Express' `trust proxy` setting: false (the socket's address is the client's), a hop count, or proxy addresses. */
  get trustProxy(): false | number | string[] {
    if (this.TRUST_PROXY === undefined) return false;
    // Read as the validator read it: a stray space must not turn a hop count into an address list.
    const setting = this.TRUST_PROXY.trim();
    if (/^\d+$/.test(setting)) return Number(setting);
    return setting.split(',').map((entry) => entry.trim());
  }

  get logLevels(): LogLevel[] {
    return LOG_LEVELS.slice(0, LOG_LEVELS.indexOf(this.LOG_LEVEL) + 1);
  }
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Concord cannot start: the configuration is invalid.\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const SETTINGS = Object.keys(new AppConfig());

/** Reads and checks the settings from an environment; throws ConfigError naming every bad one. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const known: Record<string, string> = {};
  for (const name of SETTINGS) {
    const value = env[name];
    if (value !== undefined) known[name] = value;
  }
  const config = plainToInstance(AppConfig, known);
  const errors = validateSync(config, { skipMissingProperties: false });
  if (errors.length > 0) {
    // One line per setting: several constraints of one setting share a message.
    throw new ConfigError([...new Set(errors.flatMap((error) => Object.values(error.constraints ?? {})))]);
  }
  return config;
}
