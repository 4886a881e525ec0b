import type { EntityManager } from 'typeorm';
import { PersonDeactivation } from './person-deactivation.js';

describe('PersonDeactivation', () => {
  const manager = {} as EntityManager;
  const at = new Date('2026-11-02T08:00:00Z');

  it('hands the transaction, the person and the moment to every listener, in the order they registered', async () => {
    const deactivation = new PersonDeactivation();
    const heard: string[] = [];
    deactivation.register(async (m, personId, when) => {
      expect(m).toBe(manager);
      heard.push(`first ${personId} ${when.toISOString()}`);
    });
    deactivation.register(async (_m, personId) => {
      heard.push(`second ${personId}`);
    });
    await deactivation.announce(manager, 'p1', at);
    expect(heard).toEqual(['first p1 2026-11-02T08:00:00.000Z', 'second p1']);
  });

  it('refuses when nobody listens, rather than leave a deactivated person signed in', async () => {
    await expect(new PersonDeactivation().announce(manager, 'p1', at)).rejects.toThrow('nobody ends the sessions');
  });

  it('lets a failing listener fail the announcement, so the transaction rolls back', async () => {
    const deactivation = new PersonDeactivation();
    deactivation.register(async () => {
      throw new Error('database gone');
    });
    await expect(deactivation.announce(manager, 'p1', at)).rejects.toThrow('database gone');
  });
});
