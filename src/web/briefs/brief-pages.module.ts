import { Module } from '@nestjs/common';
import { BriefsModule } from '../../briefs/briefs.module.js';
import { OrgModule } from '../../org/org.module.js';
import { BriefPagesController } from './brief-pages.controller.js';

/** The briefs pages, on the briefs and organisation services. */
@Module({
  imports: [BriefsModule, OrgModule],
  controllers: [BriefPagesController],
  providers: [],
})
export class BriefPagesModule {}
