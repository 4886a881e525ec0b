import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../config/app-config.js';
import { buildDataSourceOptions } from './data-source-options.js';
import { MigrationRunner } from './migration-runner.js';
import { WalCheckpointer } from './wal-checkpointer.js';

@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => buildDataSourceOptions(config),
    }),
  ],
  providers: [MigrationRunner, WalCheckpointer],
  exports: [WalCheckpointer],
})
export class DatabaseModule {}
