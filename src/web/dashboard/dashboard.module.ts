import { Module } from '@nestjs/common';
import { DashboardController } from './dashboard.controller.js';

/** Pages of this area; controllers are added as they are built. */
@Module({
  imports: [],
  controllers: [DashboardController],
  providers: [],
})
export class DashboardModule {}
