import type { EntityManager } from 'typeorm';

/** Who a message is for, as templates show them. */
export interface Recipient {
  name: string;
  email: string;
  timezone: string;
}

/**
 * Where the delivery service finds a person's name, address and time zone when it composes
 * their message. org, which owns people, provides it, so notifications reads no other folder's
 * tables; a person gone since the message was queued is null.
 */
export abstract class RecipientDirectory {
  abstract find(manager: EntityManager, personId: string): Promise<Recipient | null>;
}
