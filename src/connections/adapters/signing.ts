import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * What the adapters share to check a signature: an HMAC, a constant-time comparison of texts of
 * any length, and the age limit of a signed timestamp.
 */

/** Signed timestamps older (or further ahead) than this are refused: a captured request cannot be replayed later. */
export const MAX_SIGNATURE_AGE_MS = 5 * 60 * 1000;

export function hmacSha256(key: string, parts: readonly (string | Buffer)[]): Buffer {
  const hmac = createHmac('sha256', key);
  for (const part of parts) hmac.update(part);
  return hmac.digest();
}

/**
 * Compares two texts in constant time. Both are hashed first, so the time does not tell the
 * length either, and texts of different lengths compare without throwing.
 */
export function sameSecret(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const a = hmacSha256('concord-compare', [given]);
  const b = hmacSha256('concord-compare', [expected]);
  return timingSafeEqual(a, b) && given.length === expected.length;
}

/** A header's timestamp in milliseconds or seconds since the epoch, or NaN. */
export function timestampOf(text: string | undefined, unit: 'ms' | 's'): number {
  if (text === undefined || !/^\d{1,16}$/.test(text.trim())) return NaN;
  return Number(text.trim()) * (unit === 's' ? 1000 : 1);
}

export function isFresh(timestampMs: number, receivedAt: Date): boolean {
  return Number.isFinite(timestampMs) && Math.abs(receivedAt.getTime() - timestampMs) <= MAX_SIGNATURE_AGE_MS;
}
