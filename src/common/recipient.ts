import type { EntityManager } from 'typeorm';
import type { Locale } from '../i18n/locales.js';

/** A person as the directory knows them: their language is their own choice, null when they made none. */
export interface KnownRecipient {
  name: string;
  email: string;
  timezone: string;
  locale?: Locale | null;
}

/**
 * Who a message is for, as composers and templates see them: the language their message is
 * written in is always set by MessageComposer (the person's own, else DEFAULT_LOCALE).
 */
export interface Recipient extends KnownRecipient {
  locale: Locale;
}

/**
 * Where the delivery service finds a person's name, address, time zone and language when it composes
 * their message. org, which owns people, provides it, so notifications reads no other folder's
 * tables; a person gone since the message was queued is null.
 */
export abstract class RecipientDirectory {
  abstract find(manager: EntityManager, personId: string): Promise<KnownRecipient | null>;
}
