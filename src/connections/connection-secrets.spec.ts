import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../config/app-config.js';
import { ConnectionSecrets, decryptSecret, encryptSecret, readKey } from './connection-secrets.js';

describe('connection secrets at rest', () => {
  it('encrypts with AES-256-GCM: a fresh nonce each time, and a tampered text is refused', () => {
    const key = randomBytes(32);
    const sealed = encryptSecret(key, 'client-secret');
    expect(sealed).not.toContain('client-secret');
    expect(encryptSecret(key, 'client-secret')).not.toBe(sealed);
    expect(decryptSecret(key, sealed)).toBe('client-secret');
    const [version, iv, tag, text] = sealed.split(':');
    const flipped = Buffer.from(text, 'base64');
    flipped[0] ^= 1;
    expect(() => decryptSecret(key, [version, iv, tag, flipped.toString('base64')].join(':'))).toThrow();
    expect(() => decryptSecret(randomBytes(32), sealed)).toThrow();
  });

  it('reads a key as 64 hex digits or base64 of 32 bytes, as the configuration checks it', () => {
    const key = randomBytes(32);
    expect(readKey(key.toString('hex'))).toEqual(key);
    expect(readKey(key.toString('base64'))).toEqual(key);
    expect(() => loadConfig({ CONNECTIONS_KEY: 'short' })).toThrow(/CONNECTIONS_KEY must be 32 bytes/);
    expect(loadConfig({ CONNECTIONS_KEY: key.toString('base64') }).CONNECTIONS_KEY).toBe(key.toString('base64'));
  });

  it('without CONNECTIONS_KEY, generates a key beside the SQLite file once and keeps using it', () => {
    const directory = mkdtempSync(join(tmpdir(), 'concord-key-'));
    try {
      const config = loadConfig({ SQLITE_PATH: join(directory, 'concord.sqlite') });
      const sealed = new ConnectionSecrets(config).seal('pipedrive-password');
      const path = join(directory, 'connections.key');
      expect(readKey(readFileSync(path, 'utf8'))).toHaveLength(32);
      expect(statSync(path).mode & 0o077).toBe(0);
      // A restart reads the same file.
      expect(new ConnectionSecrets(config).open(sealed)).toBe('pipedrive-password');
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
