import { lookup as dnsLookup } from 'node:dns/promises';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupAddress } from 'node:dns';
import { isPublicAddress, literalAddress } from './public-address.js';

/**
 * The fetch adapters use to read a CRM back (Bitrix24's crm.lead.get / crm.deal.get), as a Nest
 * provider so a test or a deployment can replace it (a proxy, a recording).
 *
 * A connection's URL is chosen by whoever manages it, so by default this fetch calls public
 * addresses only (server-side request forgery: a restUrl must not make Concord read its own
 * network — cloud metadata at 169.254.169.254, an internal service — and hand fields of the
 * answer out as event attributes):
 *  - https only;
 *  - an IP-literal host must be public (src/connections/public-address.ts), and a host name is
 *    resolved once, every address it resolves to must be public, and the connection is made to
 *    that checked address (node's `lookup` hook: no second resolution a rebinding DNS could answer
 *    differently);
 *  - redirects are never followed (a 3xx comes back as it is: the adapter refuses it);
 *  - answers larger than CRM_FETCH_MAX_BYTES are refused.
 * CRM_ALLOW_PRIVATE_HOSTS=true lifts the address check and allows http (tests, on-premise portals).
 */
export const CRM_FETCH = Symbol('CRM_FETCH');

export type CrmFetch = typeof globalThis.fetch;

/** The largest answer read from a CRM: a crm.lead.get answer is a few kilobytes. */
export const CRM_FETCH_MAX_BYTES = 1024 * 1024;

export interface CrmFetchOptions {
  allowPrivateHosts: boolean;
  /** How a host name is resolved (tests): every address, as node:dns/promises lookup with all: true. */
  resolveAll?: (hostname: string) => Promise<LookupAddress[]>;
}

const NULL_BODY_STATUSES = [101, 204, 205, 304];

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** The refusal, worded for the delivery log: what was refused and how to allow it. */
function refused(what: string): Error {
  return new Error(`${what}: Concord calls only public https addresses for a connection (CRM_ALLOW_PRIVATE_HOSTS=true allows private ones and http)`);
}

export function crmFetch(options: CrmFetchOptions): CrmFetch {
  const resolveAll = options.resolveAll ?? ((hostname: string) => dnsLookup(hostname, { all: true, verbatim: true }));

  /** Resolves, checks every address, and hands node's socket the checked ones: nothing resolves the name again. */
  const checkingLookup = (hostname: string, lookupOptions: { family?: number | string; all?: boolean }, callback: LookupCallback): void => {
    resolveAll(hostname).then(
      (found) => {
        const family = lookupOptions.family === 4 || lookupOptions.family === 'IPv4' ? 4 : lookupOptions.family === 6 || lookupOptions.family === 'IPv6' ? 6 : 0;
        const addresses = family === 0 ? found : found.filter((entry) => entry.family === family);
        if (addresses.length === 0) return callback(Object.assign(new Error(`${hostname} resolves to no address`), { code: 'ENOTFOUND' }), '');
        if (!options.allowPrivateHosts) {
          const blocked = addresses.find((entry) => !isPublicAddress(entry.address));
          if (blocked) return callback(Object.assign(refused(`${hostname} resolves to ${blocked.address}, not a public address`), { code: 'EADDRNOTAVAIL' }), '');
        }
        if (lookupOptions.all) callback(null, addresses);
        else callback(null, addresses[0].address, addresses[0].family);
      },
      (error: NodeJS.ErrnoException) => callback(error, ''),
    );
  };

  return async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const secure = url.protocol === 'https:';
    if (!secure && !(options.allowPrivateHosts && url.protocol === 'http:')) throw refused(`${url.protocol} is not https`);
    const literal = literalAddress(url.hostname);
    if (literal !== undefined && !options.allowPrivateHosts && !isPublicAddress(literal)) throw refused(`${literal} is not a public address`);
    const signal = init?.signal ?? undefined;
    signal?.throwIfAborted();
    const headers = Object.fromEntries(new Headers(init?.headers).entries());
    const method = (init?.method ?? 'GET').toUpperCase();

    const answer = await new Promise<{ response: IncomingMessage; body: Buffer }>((resolve, reject) => {
      const request = (secure ? httpsRequest : httpRequest)(
        url,
        // agent: false — a socket of its own, connected to the address the lookup checked, never pooled.
        { method, headers, agent: false, lookup: checkingLookup as never },
        (response) => {
          const chunks: Buffer[] = [];
          let size = 0;
          response.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > CRM_FETCH_MAX_BYTES) {
              request.destroy(new Error(`the answer is larger than ${CRM_FETCH_MAX_BYTES} bytes`));
              return;
            }
            chunks.push(chunk);
          });
          response.on('end', () => resolve({ response, body: Buffer.concat(chunks) }));
          response.on('error', reject);
        },
      );
      const onAbort = () => request.destroy(typeof signal?.reason?.message === 'string' ? (signal.reason as Error) : new Error('aborted'));
      signal?.addEventListener('abort', onAbort, { once: true });
      request.on('error', reject);
      request.on('close', () => signal?.removeEventListener('abort', onAbort));
      if (typeof init?.body === 'string') request.write(init.body);
      request.end();
    });

    const { response, body } = answer;
    const status = response.statusCode ?? 0;
    if (status < 200 || status > 599) throw new Error(`the answer's status ${status} is not one fetch can represent`);
    const responseHeaders = new Headers();
    for (let i = 0; i + 1 < response.rawHeaders.length; i += 2) responseHeaders.append(response.rawHeaders[i], response.rawHeaders[i + 1]);
    return new Response(NULL_BODY_STATUSES.includes(status) ? null : body, { status, statusText: response.statusMessage ?? '', headers: responseHeaders });
  };
}
