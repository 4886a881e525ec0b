import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { Clock } from '../common/clock.js';
import { AppConfig } from '../config/app-config.js';
import { Person } from '../org/person.entity.js';
import { PersonView } from '../org/people.dto.js';
import { generateTokenSecret } from './token-secret.js';
import { TokensService } from './tokens.service.js';

/**
 * On an empty database, creates the first admin so a newcomer can sign in: with
 * CONCORD_ADMIN_TOKEN as the token when set (for scripts), otherwise a generated one, printed once.
 */
@Injectable()
export class BootstrapAdminService implements OnApplicationBootstrap {
  private readonly logger = new Logger('Concord');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tokens: TokensService,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const secret = this.config.CONCORD_ADMIN_TOKEN ?? generateTokenSecret();
    const created = await this.dataSource.transaction(async (manager) => {
      // Counting and inserting in one transaction; a second instance starting at the same time
      // runs into the unique email and leaves the first admin alone.
      if ((await manager.count(Person)) > 0) return false;
      const now = this.clock.now();
      const admin = manager.create(Person, {
        id: randomUUID(),
        name: 'Administrator',
        email: this.config.CONCORD_ADMIN_EMAIL.toLowerCase(),
        departmentId: null,
        role: 'admin',
        timezone: 'UTC',
        createdAt: now,
        updatedAt: now,
      });
      await manager.insert(Person, admin);
      await this.tokens.insertToken(manager, admin.id, 'first admin', 'full', secret);
      await this.audit.record(manager, null, 'create', 'person', admin.id, null, PersonView.from(admin));
      return true;
    }).catch((error: unknown) => {
      this.logger.warn(`first admin not created: ${error instanceof Error ? error.message : String(error)}`);
      return false;
    });

    if (!created) {
      if (this.config.CONCORD_ADMIN_TOKEN) {
        this.logger.log('people already exist: CONCORD_ADMIN_TOKEN is only used to create the first admin of an empty database');
      }
      return;
    }
    if (this.config.CONCORD_ADMIN_TOKEN) {
      this.logger.log(`first admin ${this.config.CONCORD_ADMIN_EMAIL} created; sign in with the token in CONCORD_ADMIN_TOKEN`);
    } else {
      // Printed once and never stored in clear: this is the only chance to copy it.
      this.logger.log(
        [
          `first admin ${this.config.CONCORD_ADMIN_EMAIL} created. Its API token, shown only this once:`,
          '',
          `    ${secret}`,
          '',
          `Sign in at ${this.config.publicUrl}/sign-in with it, or call the API:  curl -H "Authorization: Bearer ${secret}" ${this.config.publicUrl}/api/people`,
        ].join('\n'),
      );
    }
  }
}
