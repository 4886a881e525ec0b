import type { EntityManager } from 'typeorm';
import type { AppConfig } from '../../config/app-config.js';
import type { OutboxEntry, OutboxService } from '../../notifications/outbox.service.js';
import { Person } from '../../org/person.entity.js';
import { digestKey } from '../domain/alert-digest.js';
import { AlertsService } from './alerts.service.js';

/**
 * Who gets a digest, and what the outbox is asked to write: the outbox stands in, holding the keys
 * of alerts already announced; the people are the head of one department and an owner.
 */
describe('AlertsService: breach alerts and digests', () => {
  const head = Object.assign(new Person(), { id: 'head', email: 'head@example.com', role: 'head', departmentId: 'sales' });
  const owner = Object.assign(new Person(), { id: 'owner', email: 'owner@example.com', role: 'member', departmentId: 'sales' });
  const manager = {
    find: async (_entity: unknown, options: { where: { role?: string } }) => (options.where.role === 'head' ? [head] : [owner]),
  } as unknown as EntityManager;

  let written: OutboxEntry[];
  let undigested: string[];
  let announced: Set<string>;
  const outbox = {
    enqueue: async (_manager: EntityManager, entries: OutboxEntry[]) => {
      const fresh = entries.filter((entry) => !announced.has(entry.dedupeKey));
      written.push(...fresh);
      return fresh.map((entry) => entry.dedupeKey);
    },
    undigest: async (_manager: EntityManager, keys: string[]) => void undigested.push(...keys),
  } as unknown as OutboxService;
  const alerts = new AlertsService(outbox, { ALERT_DIGEST_THRESHOLD: 20 } as AppConfig);

  beforeEach(() => {
    written = [];
    undigested = [];
    announced = new Set();
  });

  const breaches = (count: number, ownerId: string | null = null) => Array.from({ length: count }, (_, i) => ({ id: `b${i}`, departmentId: 'sales', ownerId }));
  const to = (recipientId: string, status?: string) => written.filter((entry) => entry.recipientId === recipientId && entry.kind === 'breach-alert' && (entry.status ?? 'pending') === (status ?? 'pending'));

  it('writes one alert per breach and person up to the threshold', async () => {
    await alerts.alertBreaches(manager, breaches(20, 'owner'));
    expect(to('head')).toHaveLength(20);
    expect(to('owner')).toHaveLength(20);
    expect(written.filter((entry) => entry.kind === 'breach-digest')).toEqual([]);
  });

  it('past the threshold, writes the alerts digested and one digest listing their breaches', async () => {
    await alerts.alertBreaches(manager, breaches(25));
    expect(to('head', 'digested')).toHaveLength(25);
    expect(to('head')).toEqual([]);
    const ids = breaches(25).map((breach) => breach.id);
    expect(written.filter((entry) => entry.kind === 'breach-digest')).toEqual([
      { kind: 'breach-digest', dedupeKey: digestKey('head', ids), referenceId: null, recipientId: 'head', recipientEmail: 'head@example.com', payload: { breachIds: ids } },
    ]);
    expect(undigested).toEqual([]);
  });

  it('lists only breaches not announced before, and sends them one by one when too few are new', async () => {
    announced = new Set(breaches(10).map((breach) => `breach-alert:${breach.id}:head`));
    await alerts.alertBreaches(manager, breaches(25));
    const fresh = breaches(25).slice(10).map((breach) => `breach-alert:${breach.id}:head`);
    expect(undigested).toEqual(fresh);
    expect(written.filter((entry) => entry.kind === 'breach-digest')).toEqual([]);

    written = [];
    undigested = [];
    announced = new Set(breaches(3).map((breach) => `breach-alert:${breach.id}:head`));
    await alerts.alertBreaches(manager, breaches(25));
    const [digest] = written.filter((entry) => entry.kind === 'breach-digest');
    expect(digest.payload).toEqual({ breachIds: breaches(25).slice(3).map((breach) => breach.id) });
    expect(undigested).toEqual([]);
  });
});
