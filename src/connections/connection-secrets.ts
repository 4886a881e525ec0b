import { Injectable, Logger } from '@nestjs/common';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { AppConfig } from '../config/app-config.js';

const VERSION = 'v1';

/** Reads a 32-byte key written as 64 hex digits or base64. */
export function readKey(text: string): Buffer {
  const trimmed = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(trimmed) ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed, 'base64');
  if (key.length !== 32) throw new Error('a connections key must be 32 bytes (64 hex digits or base64)');
  return key;
}

export function encryptSecret(key: Buffer, plain: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const sealed = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return [VERSION, iv.toString('base64'), cipher.getAuthTag().toString('base64'), sealed.toString('base64')].join(':');
}

export function decryptSecret(key: Buffer, stored: string): string {
  const [version, iv, tag, sealed] = stored.split(':');
  if (version !== VERSION || !iv || !tag || sealed === undefined) throw new Error('unreadable connection secret');
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'));
  decipher.setAuthTag(Buffer.from(tag, 'base64'));
  return Buffer.concat([decipher.update(Buffer.from(sealed, 'base64')), decipher.final()]).toString('utf8');
}

/**
 * Connections' secrets at rest: AES-256-GCM with CONNECTIONS_KEY, or, when it is unset, with a
 * key generated on first use and kept in the data directory (`connections.key` beside the SQLite
 * file, mode 600), so `npm start` on a fresh clone works. The key is read when first needed.
 */
@Injectable()
export class ConnectionSecrets {
  private key?: Buffer;
  private readonly logger = new Logger('Connections');

  constructor(private readonly config: AppConfig) {}

  seal(plain: string): string {
    return encryptSecret(this.currentKey(), plain);
  }

  open(stored: string): string {
    return decryptSecret(this.currentKey(), stored);
  }

  private currentKey(): Buffer {
    this.key ??= this.config.CONNECTIONS_KEY ? readKey(this.config.CONNECTIONS_KEY) : this.keyFile();
    return this.key;
  }

  private keyFile(): Buffer {
    const sqlite = this.config.SQLITE_PATH;
    const directory = this.config.databaseKind === 'sqlite' && sqlite !== ':memory:' ? dirname(sqlite) : './data';
    const path = join(directory, 'connections.key');
    try {
      return readKey(readFileSync(path, 'utf8'));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    mkdirSync(directory, { recursive: true });
    try {
      // `wx`: a second instance starting at the same moment keeps the first one's key.
      writeFileSync(path, `${randomBytes(32).toString('base64')}\n`, { flag: 'wx', mode: 0o600 });
      this.logger.warn(`CONNECTIONS_KEY is unset: generated ${path} to encrypt connection secrets; keep it with the database`);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    return readKey(readFileSync(path, 'utf8'));
  }
}
