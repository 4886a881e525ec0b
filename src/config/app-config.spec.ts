import { ConfigError, loadConfig } from './app-config.js';

describe('loadConfig', () => {
  it('runs on defaults alone: port 3000 and the embedded SQLite file', () => {
    const config = loadConfig({});
    expect(config.PORT).toBe(3000);
    expect(config.databaseKind).toBe('sqlite');
    expect(config.SQLITE_PATH).toBe('./data/concord.sqlite');
    expect(config.publicUrl).toBe('http://localhost:3000');
    expect(config.logLevels).toEqual(['error', 'warn', 'log']);
    expect(config).toMatchObject({ AUTH_FAILURES_PER_MINUTE: 30, TOKEN_REQUESTS_PER_MINUTE: 6000 });
    expect(config.trustProxy).toBe(false);
    expect(config.IMPORT_MAX_BYTES).toBe(104_857_600);
    expect(config.CRM_ALLOW_PRIVATE_HOSTS).toBe(false);
    expect(config.SQLITE_CHECKPOINT_INTERVAL_MS).toBe(100);
    expect(config.TRACKING_MAX_BACKLOG).toBe(5000);
    expect(loadConfig({ SQLITE_CHECKPOINT_INTERVAL_MS: '0' }).SQLITE_CHECKPOINT_INTERVAL_MS).toBe(0);
  });

  it('reads CRM_ALLOW_PRIVATE_HOSTS as true or false', () => {
    for (const [value, expected] of [['true', true], [' TRUE ', true], ['1', true], ['false', false], ['0', false], ['', false]] as const) {
      expect([value, loadConfig({ CRM_ALLOW_PRIVATE_HOSTS: value }).CRM_ALLOW_PRIVATE_HOSTS]).toEqual([value, expected]);
    }
  });

  it('reads every setting', () => {
    const config = loadConfig({
      PORT: '8080',
      DATABASE_URL: 'postgres://concord:secret@db:5432/concord',
      DATABASE_SCHEMA: 'concord',
      CONCORD_ADMIN_TOKEN: 'a-long-enough-token-for-scripts',
      CONCORD_ADMIN_EMAIL: 'ops@example.com',
      PUBLIC_URL: 'https://concord.example.com/',
      LOG_LEVEL: 'debug',
      IMPORT_MAX_BYTES: '1048576',
    });
    expect(config).toMatchObject({ IMPORT_MAX_BYTES: 1_048_576, PORT: 8080, DATABASE_SCHEMA: 'concord', CONCORD_ADMIN_EMAIL: 'ops@example.com' });
    expect(config.databaseKind).toBe('postgres');
    expect(config.publicUrl).toBe('https://concord.example.com');
  });

  it('reads the limits and the proxies to trust', () => {
    const config = loadConfig({ AUTH_FAILURES_PER_MINUTE: '5', TOKEN_REQUESTS_PER_MINUTE: '120000', TRUST_PROXY: '2' });
    expect(config).toMatchObject({ AUTH_FAILURES_PER_MINUTE: 5, TOKEN_REQUESTS_PER_MINUTE: 120_000 });
    expect(config.trustProxy).toBe(2);
    expect(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8,fd00::/8,203.0.113.7' }).trustProxy).toEqual(['loopback', '10.0.0.0/8', 'fd00::/8', '203.0.113.7']);
    expect(loadConfig({ TRUST_PROXY: '' }).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: ' 1 ' }).trustProxy).toBe(1);
  });

  it('reads the email settings: pooled SMTP connections and the alert digest threshold', () => {
    expect(loadConfig({})).toMatchObject({ SMTP_MAX_CONNECTIONS: 5, ALERT_DIGEST_THRESHOLD: 20 });
    expect(loadConfig({ SMTP_MAX_CONNECTIONS: '12', ALERT_DIGEST_THRESHOLD: '50' })).toMatchObject({ SMTP_MAX_CONNECTIONS: 12, ALERT_DIGEST_THRESHOLD: 50 });
  });

  it('treats empty settings as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', CONCORD_ADMIN_TOKEN: '' }).databaseKind).toBe('sqlite');
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ PORT: '3000.5' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://localhost/concord' }, 'DATABASE_URL'],
    [{ DATABASE_SCHEMA: 'Drop Table' }, 'DATABASE_SCHEMA'],
    [{ CONCORD_ADMIN_TOKEN: 'short' }, 'CONCORD_ADMIN_TOKEN'],
    [{ CONCORD_ADMIN_EMAIL: 'admin' }, 'CONCORD_ADMIN_EMAIL'],
    [{ PUBLIC_URL: 'concord.example.com' }, 'PUBLIC_URL'],
    [{ LOG_LEVEL: 'chatty' }, 'LOG_LEVEL'],
    [{ AUTH_FAILURES_PER_MINUTE: '0' }, 'AUTH_FAILURES_PER_MINUTE'],
    [{ AUTH_FAILURES_PER_MINUTE: 'many' }, 'AUTH_FAILURES_PER_MINUTE'],
    [{ TOKEN_REQUESTS_PER_MINUTE: '-1' }, 'TOKEN_REQUESTS_PER_MINUTE'],
    [{ TOKEN_REQUESTS_PER_MINUTE: '2000000' }, 'TOKEN_REQUESTS_PER_MINUTE'],
    [{ TRUST_PROXY: 'true' }, 'TRUST_PROXY'],
    [{ TRUST_PROXY: '0' }, 'TRUST_PROXY'],
    [{ TRUST_PROXY: '10.0.0.0/33' }, 'TRUST_PROXY'],
    [{ TRUST_PROXY: 'loopback,proxy.example.com' }, 'TRUST_PROXY'],
    [{ IMPORT_MAX_BYTES: '100MB' }, 'IMPORT_MAX_BYTES'],
    [{ IMPORT_MAX_BYTES: '512' }, 'IMPORT_MAX_BYTES'],
    [{ CRM_ALLOW_PRIVATE_HOSTS: 'yes' }, 'CRM_ALLOW_PRIVATE_HOSTS'],
    [{ CRM_ALLOW_PRIVATE_HOSTS: 'on' }, 'CRM_ALLOW_PRIVATE_HOSTS'],
    [{ SMTP_MAX_CONNECTIONS: '0' }, 'SMTP_MAX_CONNECTIONS'],
    [{ SMTP_MAX_CONNECTIONS: '51' }, 'SMTP_MAX_CONNECTIONS'],
    [{ SMTP_MAX_CONNECTIONS: 'five' }, 'SMTP_MAX_CONNECTIONS'],
    [{ ALERT_DIGEST_THRESHOLD: '0' }, 'ALERT_DIGEST_THRESHOLD'],
    [{ ALERT_DIGEST_THRESHOLD: '2.5' }, 'ALERT_DIGEST_THRESHOLD'],
    [{ SQLITE_CHECKPOINT_INTERVAL_MS: '-1' }, 'SQLITE_CHECKPOINT_INTERVAL_MS'],
    [{ SQLITE_CHECKPOINT_INTERVAL_MS: '10001' }, 'SQLITE_CHECKPOINT_INTERVAL_MS'],
    [{ SQLITE_CHECKPOINT_INTERVAL_MS: 'often' }, 'SQLITE_CHECKPOINT_INTERVAL_MS'],
    [{ TRACKING_MAX_BACKLOG: '-5' }, 'TRACKING_MAX_BACKLOG'],
    [{ TRACKING_MAX_BACKLOG: '1000001' }, 'TRACKING_MAX_BACKLOG'],
    [{ TRACKING_MAX_BACKLOG: 'lots' }, 'TRACKING_MAX_BACKLOG'],
  ])('refuses %p, naming %s', (env, name) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(new RegExp(`\\b${name}\\b`));
  });

  it('names every wrong setting at once', () => {
    try {
      loadConfig({ PORT: 'x', LOG_LEVEL: 'y' });
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect((error as ConfigError).problems.join('\n')).toMatch(/PORT[\s\S]*LOG_LEVEL|LOG_LEVEL[\s\S]*PORT/);
    }
  });
});
