import { Global, Module } from '@nestjs/common';
import { I18nService } from './i18n.service.js';

/** Languages for every module: pages, emails and the API's error messages. */
@Global()
@Module({ providers: [I18nService], exports: [I18nService] })
export class I18nModule {}
