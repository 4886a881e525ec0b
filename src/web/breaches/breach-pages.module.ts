import { Module } from '@nestjs/common';

/** Pages of this area; controllers are added as they are built. */
@Module({
  imports: [],
  controllers: [],
  providers: [],
})
export class BreachPagesModule {}
