import { Global, Module } from '@nestjs/common';
import { I18nService } from './i18n.service.js';
import { sharedTranslator, Translator } from './translator.js';

/**
 * Languages for every module: pages, emails and the API's error messages. The Translator is a
 * provider of its own so a test app can swap in a strict one (`overrideProvider(Translator)`).
 */
@Global()
@Module({ providers: [{ provide: Translator, useFactory: sharedTranslator }, I18nService], exports: [Translator, I18nService] })
export class I18nModule {}
