import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from '../auth/auth.module.js';
import { SignInLink, WebSession } from '../auth/web-session.entity.js';
import { NotificationsModule } from '../notifications/notifications.module.js';
import { OrgModule } from '../org/org.module.js';
import { DirectoryService } from './directory.service.js';
import { PageExceptionFilter } from './page-exception.filter.js';
import { PageRenderer } from './page-renderer.js';
import { PageSessionGuard } from './page-session.guard.js';
import { SessionsService } from './sessions.service.js';
import { SignInController } from './sign-in.controller.js';

/** Sessions, sign-in, page rendering and the directory pages name people with, shared by every area's pages. */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([WebSession, SignInLink]), AuthModule, NotificationsModule, OrgModule],
  controllers: [SignInController],
  providers: [SessionsService, PageRenderer, PageSessionGuard, PageExceptionFilter, DirectoryService],
  exports: [SessionsService, PageRenderer, PageSessionGuard, PageExceptionFilter, DirectoryService],
})
export class WebCoreModule {}
