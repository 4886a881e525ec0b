import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** Ends what still stands on a person's access, inside the transaction that takes it away. */
export type DeactivationListener = (manager: EntityManager, personId: string, at: Date) => Promise<void>;

/**
 * Where PeopleService announces, inside its transaction, that a person's access was taken away.
 * Auth lies downstream of org and owns the browser sessions, so it registers here when the app
 * starts (SessionEndings.onModuleInit) instead of org importing auth.
 */
@Injectable()
export class PersonDeactivation {
  private readonly listeners: DeactivationListener[] = [];

  register(listener: DeactivationListener): void {
    this.listeners.push(listener);
  }

  async announce(manager: EntityManager, personId: string, at: Date): Promise<void> {
    // Nobody listening would leave a deactivated person's sessions open: refuse rather than do so.
    if (this.listeners.length === 0) throw new Error('nobody ends the sessions of deactivated people (is AuthModule imported and the app initialised?)');
    for (const listener of this.listeners) await listener(manager, personId, at);
  }
}
