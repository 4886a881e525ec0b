import type { EntityManager } from 'typeorm';
import type { Locale } from '../i18n/locales.js';

/** Who a message is for, as templates show them. */
export interface Recipient {
  name: string;
  email: string;
  timezone: string;
  /** The language the message is written in: the person's own, else the organisation's DEFAULT_LOCALE. */
  locale: Locale;
}

/**
 * Where the delivery service finds a person's name, address, time zone and language when it composes
 * their message. org, which owns people, provides it, so notifications reads no other folder's
 * tables; a person gone since the message was queued is null.
 */
export abstract class RecipientDirectory {
  abstract find(manager: EntityManager, personId: string): Promise<Recipient | null>;
  /** The organisation's language, for an address that is nobody's (a person removed since). */
  abstract readonly defaultLocale: Locale;
}
