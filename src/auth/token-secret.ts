import { createHash, randomBytes } from 'node:crypto';

const PREFIX = 'cnc_';

/** A new API token: 256 random bits, recognisable by its prefix in logs and secret scanners. */
export function generateTokenSecret(): string {
  return PREFIX + randomBytes(32).toString('base64url');
}

/**
 * Tokens are stored as SHA-256 hashes. A slow password hash (bcrypt, argon2) protects
 * low-entropy secrets; these carry 256 random bits, so a fast hash is as safe and lets a
 * request find its token with one indexed lookup.
 */
export function hashTokenSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** What may be shown of a token after creation: enough to tell tokens apart, useless to attackers. */
export function tokenPrefixOf(secret: string): string {
  return secret.slice(0, 10);
}
