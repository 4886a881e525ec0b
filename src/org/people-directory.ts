import { Global, Injectable, Module } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { type KnownRecipient, RecipientDirectory } from '../common/recipient.js';
import { localeOf } from '../i18n/locales.js';
import { Person } from './person.entity.js';

/** People as the recipients of messages: what notifications needs of them, by id. */
@Injectable()
export class PeopleDirectory extends RecipientDirectory {
  async find(manager: EntityManager, personId: string): Promise<KnownRecipient | null> {
    const person = await manager.findOne(Person, { where: { id: personId } });
    return person ? { name: person.name, email: person.email, timezone: person.timezone, locale: localeOf(person.locale) } : null;
  }
}

/** Global, like the clock: the outbox composes messages without importing org. */
@Global()
@Module({
  providers: [{ provide: RecipientDirectory, useClass: PeopleDirectory }],
  exports: [RecipientDirectory],
})
export class PeopleDirectoryModule {}
