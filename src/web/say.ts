import { type MessageValues, sharedTranslator } from '../i18n/translator.js';
import type { PageRenderer } from './page-renderer.js';
import type { WebRequest } from './web-request.js';

/**
 * A message in the reader's language, for presenters (*.view.ts) that build labels a template
 * cannot translate itself (a select's options, a notice after a redirect). Controllers pass the
 * request's; presenters default to English so a caller that has no reader (a unit test) still
 * gets the English text the pages always showed.
 */
export type Say = (key: string, values?: MessageValues) => string;

export const inEnglish: Say = (key, values) => sharedTranslator().t('en', key, values);

/** The request's language, through the page renderer (and so the app's translator, strict in tests). */
export function sayFor(pages: PageRenderer, request: WebRequest): Say {
  return (key, values) => pages.t(request, key, values as Record<string, string | number> | undefined);
}
