import { Module } from '@nestjs/common';
import { DueWork } from './due-work.js';

/** One DueWork for the application: every feature module that registers a job imports this. */
@Module({
  providers: [DueWork],
  exports: [DueWork],
})
export class DueWorkModule {}
