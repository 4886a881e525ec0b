import { Global, Inject, Injectable, Module } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { type Recipient, RecipientDirectory } from '../common/recipient.js';
import { DEFAULT_LOCALE, isLocale, type Locale } from '../i18n/locales.js';
import { Person } from './person.entity.js';

/** People as the recipients of messages: what notifications needs of them, by id. */
@Injectable()
export class PeopleDirectory extends RecipientDirectory {
  constructor(@Inject(DEFAULT_LOCALE) readonly defaultLocale: Locale) {
    super();
  }

  async find(manager: EntityManager, personId: string): Promise<Recipient | null> {
    const person = await manager.findOne(Person, { where: { id: personId } });
    return person ? { name: person.name, email: person.email, timezone: person.timezone, locale: person.locale && isLocale(person.locale) ? person.locale : this.defaultLocale } : null;
  }
}

/** Global, like the clock: the outbox composes messages without importing org. */
@Global()
@Module({
  providers: [{ provide: RecipientDirectory, useClass: PeopleDirectory }],
  exports: [RecipientDirectory],
})
export class PeopleDirectoryModule {}
