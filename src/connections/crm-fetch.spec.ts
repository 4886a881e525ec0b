import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { crmFetch, CRM_FETCH_MAX_BYTES } from './crm-fetch.js';

describe('the fetch connections call CRMs with', () => {
  let server: Server;
  let port: number;
  const hits: string[] = [];

  beforeAll(async () => {
    server = createServer((request, response) => {
      hits.push(request.url ?? '');
      if (request.url === '/moved') {
        response.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end();
      } else if (request.url === '/hang') {
        // never answers
      } else if (request.url === '/huge') {
        response.writeHead(200, { 'content-type': 'application/json' }).end(Buffer.alloc(CRM_FETCH_MAX_BYTES + 10, 0x20));
      } else {
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ result: { ID: '1', host: request.headers.host } }));
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const onlyPublic = crmFetch({ allowPrivateHosts: false, resolveAll: async (name) => (name === 'portal.test' ? [{ address: '127.0.0.1', family: 4 }] : [{ address: '93.184.216.34', family: 4 }]) });
  const anyHost = crmFetch({ allowPrivateHosts: true, resolveAll: async () => [{ address: '127.0.0.1', family: 4 }] });

  it('refuses http, and private addresses given as such or resolved from a name, before sending anything', async () => {
    hits.length = 0;
    await expect(onlyPublic(`http://127.0.0.1:${port}/x`)).rejects.toThrow(/http: is not https.*CRM_ALLOW_PRIVATE_HOSTS=true/);
    await expect(onlyPublic(`https://127.0.0.1:${port}/x`)).rejects.toThrow(/127\.0\.0\.1 is not a public address/);
    await expect(onlyPublic(`https://[::ffff:7f00:1]:${port}/x`)).rejects.toThrow(/::ffff:7f00:1 is not a public address/);
    await expect(onlyPublic(`https://169.254.169.254/latest/meta-data/`)).rejects.toThrow(/169\.254\.169\.254 is not a public address/);
    await expect(onlyPublic(`https://portal.test:${port}/x`)).rejects.toThrow(/portal\.test resolves to 127\.0\.0\.1, not a public address/);
    expect(hits).toEqual([]);
  });

  it('with CRM_ALLOW_PRIVATE_HOSTS, calls http and private addresses, connecting to the address the lookup gave', async () => {
    hits.length = 0;
    const direct = await anyHost(`http://127.0.0.1:${port}/rest/1/x/crm.lead.get.json?id=1`, { headers: { accept: 'application/json' } });
    expect([direct.status, await direct.json()]).toEqual([200, { result: { ID: '1', host: `127.0.0.1:${port}` } }]);
    // portal.test exists nowhere: the request reaches the server only through the checked lookup.
    const named = await anyHost(`http://portal.test:${port}/y`);
    expect(await named.json()).toEqual({ result: { ID: '1', host: `portal.test:${port}` } });
    expect(hits).toEqual(['/rest/1/x/crm.lead.get.json?id=1', '/y']);
  });

  it('does not follow redirects: the 3xx comes back as it is', async () => {
    hits.length = 0;
    const answer = await anyHost(`http://127.0.0.1:${port}/moved`, { redirect: 'manual' });
    expect([answer.status, answer.headers.get('location')]).toEqual([302, 'http://169.254.169.254/latest/meta-data/']);
    expect(hits).toEqual(['/moved']);
  });

  it('stops at the signal, and at answers too large', async () => {
    const started = performance.now();
    await expect(anyHost(`http://127.0.0.1:${port}/hang`, { signal: AbortSignal.timeout(100) })).rejects.toThrow(/timeout/i);
    expect(performance.now() - started).toBeLessThan(1000);
    await expect(anyHost(`http://127.0.0.1:${port}/huge`)).rejects.toThrow(/larger than/);
  });
});
