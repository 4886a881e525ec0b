import { Injectable, type OnModuleInit } from '@nestjs/common';
import { IsNull } from 'typeorm';
import { PersonDeactivation } from '../org/person-deactivation.js';
import { WebSession } from './web-session.entity.js';

/**
 * Whoever is signed in as a person who loses their access is signed out at that moment, not
 * when the session expires: org announces the deactivation, this ends the sessions in the same
 * transaction. (Revoking a token ends the sessions opened with it: TokensService.revoke.)
 */
@Injectable()
export class SessionEndings implements OnModuleInit {
  constructor(private readonly deactivation: PersonDeactivation) {}

  onModuleInit(): void {
    this.deactivation.register(async (manager, personId, at) => {
      await manager.update(WebSession, { personId, endedAt: IsNull() }, { endedAt: at });
    });
  }
}
