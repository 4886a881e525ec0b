import { createHash } from 'node:crypto';

/** Breaches listed in one digest at most; the rest are counted, and the breaches page lists them all. */
export const DIGEST_LISTED = 200;

/**
 * Which alerts go out one by one and which are told in a digest: a recipient who gets more than
 * `threshold` alerts at once (one step of a sweep, one batch of events) gets one message listing
 * them; everyone else, and alerts with no known recipient, one message per alert as before.
 * Each group keeps the alerts' order.
 */
export function digestGroups<T extends { recipientId: string | null }>(alerts: readonly T[], threshold: number): { oneByOne: T[]; digests: T[][] } {
  const byRecipient = new Map<string, T[]>();
  for (const alert of alerts) {
    if (alert.recipientId === null) continue;
    const group = byRecipient.get(alert.recipientId);
    if (group) group.push(alert);
    else byRecipient.set(alert.recipientId, [alert]);
  }
  const digested = new Set<string>([...byRecipient].filter(([, group]) => group.length > threshold).map(([recipientId]) => recipientId));
  return {
    oneByOne: alerts.filter((alert) => alert.recipientId === null || !digested.has(alert.recipientId)),
    digests: [...digested].map((recipientId) => byRecipient.get(recipientId) as T[]),
  };
}

/**
 * A digest's key: the same breaches to the same person make the same key, so a digest written
 * twice (a retried transaction) is one message.
 */
export function digestKey(recipientId: string, breachIds: readonly string[]): string {
  const hash = createHash('sha256').update([...breachIds].sort().join(',')).digest('hex').slice(0, 32);
  return `breach-digest:${hash}:${recipientId}`;
}
