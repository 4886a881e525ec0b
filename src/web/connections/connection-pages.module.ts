import { Module } from '@nestjs/common';
import { ConnectionsModule } from '../../connections/connections.module.js';
import { OrgModule } from '../../org/org.module.js';
import { ConnectionPagesController } from './connection-pages.controller.js';

/** CRM connections: list, form, rules in words, a dry-run test, the delivery log and replay. */
@Module({
  imports: [ConnectionsModule, OrgModule],
  controllers: [ConnectionPagesController],
})
export class ConnectionPagesModule {}
