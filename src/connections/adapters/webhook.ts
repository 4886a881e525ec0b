import type { CrmAdapter, IncomingDelivery, Parsed, Verification } from './crm-adapter.js';
import { hmacSha256, isFresh, sameSecret, timestampOf } from './signing.js';

/**
 * Concord's own event JSON (one event or an array), signed as GitHub and Stripe sign:
 * `X-Concord-Signature: sha256=<hex HMAC-SHA256 of the raw body>` keyed with the connection's
 * secret. With `X-Concord-Timestamp` (seconds since 1970), the signed text is
 * `<timestamp>.<raw body>` and a timestamp more than 5 minutes off is refused.
 */
export const webhookAdapter: CrmAdapter = {
  kind: 'webhook',

  verify(delivery: IncomingDelivery, secrets): Verification {
    const header = delivery.headers['x-concord-signature']?.trim();
    if (!header) return { ok: false, reason: 'X-Concord-Signature is missing' };
    const timestampHeader = delivery.headers['x-concord-timestamp'];
    const parts: (string | Buffer)[] = [delivery.rawBody];
    if (timestampHeader !== undefined) {
      if (!isFresh(timestampOf(timestampHeader, 's'), delivery.receivedAt)) {
        return { ok: false, reason: 'X-Concord-Timestamp is not a time in seconds within 5 minutes of now' };
      }
      parts.unshift(`${timestampHeader.trim()}.`);
    }
    const expected = `sha256=${hmacSha256(secrets.secret, parts).toString('hex')}`;
    return sameSecret(header.toLowerCase(), expected) ? { ok: true } : { ok: false, reason: 'X-Concord-Signature does not match' };
  },

  parse(delivery: IncomingDelivery): Parsed {
    let body: unknown;
    try {
      body = JSON.parse(delivery.rawBody.toString('utf8'));
    } catch {
      return { ok: false, reason: 'the body is not JSON' };
    }
    const events = Array.isArray(body) ? body : [body];
    if (events.length === 0) return { ok: false, reason: 'the body holds no event' };
    if (events.length > 1000) return { ok: false, reason: 'at most 1000 events per delivery' };
    if (events.some((event) => typeof event !== 'object' || event === null || Array.isArray(event))) {
      return { ok: false, reason: 'each event must be an object with type, subject and occurredAt' };
    }
    return { ok: true, changes: [], events };
  },
};
