/**
 * Deliveries of kinds that read their CRM back (Bitrix24) that fail — the portal down, slow, in
 * error — are retried by the due work: after 1 minute, 5 minutes, 30 minutes, 2 hours and 12 hours
 * from each failure, so at most RETRY_DELAYS_MS.length + 1 attempts in all, counting the first.
 * Then they stay `failed`, for a replay by hand. Retries produce only the events still missing
 * (by event key), so a retry that overlaps a replay or a resent delivery adds nothing twice.
 */
export const RETRY_DELAYS_MS = [60_000, 5 * 60_000, 30 * 60_000, 2 * 3_600_000, 12 * 3_600_000] as const;
export const MAX_DELIVERY_ATTEMPTS = RETRY_DELAYS_MS.length + 1;

/** When a delivery that has failed `attempts` times is due again, or null when it is not to be. */
export function nextRetry(attempts: number, failedAt: Date): Date | null {
  const delay = attempts >= 1 && attempts <= RETRY_DELAYS_MS.length ? RETRY_DELAYS_MS[attempts - 1] : undefined;
  return delay === undefined ? null : new Date(failedAt.getTime() + delay);
}
