import { Global, Module } from '@nestjs/common';
import { Clock, SystemClock } from '../common/clock.js';
import { DEFAULT_LOCALE } from '../i18n/locales.js';
import { AppConfig, loadConfig } from './app-config.js';

/** The validated configuration (and DEFAULT_LOCALE from it) and the clock, available everywhere. Tests override either. */
@Global()
@Module({
  providers: [
    { provide: AppConfig, useFactory: () => loadConfig() },
    { provide: Clock, useClass: SystemClock },
    { provide: DEFAULT_LOCALE, useFactory: (config: AppConfig) => config.DEFAULT_LOCALE, inject: [AppConfig] },
  ],
  exports: [AppConfig, Clock, DEFAULT_LOCALE],
})
export class ConfigModule {}
