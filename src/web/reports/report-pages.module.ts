import { Module } from '@nestjs/common';
import { ReportsModule } from '../../reports/reports.module.js';
import { ReportPagesController } from './report-pages.controller.js';

/** Reports as pages: the funnel. */
@Module({
  imports: [ReportsModule],
  controllers: [ReportPagesController],
})
export class ReportPagesModule {}
