import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerStorage } from '@nestjs/throttler/dist/throttler-storage.interface.js';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Clock } from '../common/clock.js';
import { OrgModule } from '../org/org.module.js';
import { ApiToken } from './api-token.entity.js';
import { AuthLimits } from './auth-limits.js';
import { AuthGuard } from './auth.guard.js';
import { BootstrapAdminService } from './bootstrap-admin.service.js';
import { MemoryThrottlerStorage } from './memory-throttler-storage.js';
import { SessionEndings } from './session-endings.js';
import { TokensController } from './tokens.controller.js';
import { TokensService } from './tokens.service.js';

/**
 * The limits count in this process's memory: with several instances, each counts its own share.
 * Another @nestjs/throttler storage (shared, e.g. on Redis) plugs in here.
 */
const limitsStorage = { provide: ThrottlerStorage, useFactory: (clock: Clock) => new MemoryThrottlerStorage(() => clock.now().getTime()), inject: [Clock] };

@Module({
  imports: [TypeOrmModule.forFeature([ApiToken]), OrgModule],
  controllers: [TokensController],
  providers: [TokensService, BootstrapAdminService, SessionEndings, limitsStorage, AuthLimits, { provide: APP_GUARD, useClass: AuthGuard }],
  exports: [TokensService, AuthLimits],
})
export class AuthModule {}
