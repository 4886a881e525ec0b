import type { I18nService } from '../i18n/i18n.service.js';
import { LANG_COOKIE } from '../i18n/i18n.service.js';
import type { Locale } from '../i18n/locales.js';
import type { WebRequest } from './web-request.js';

/**
 * A page's language: the signed-in person's, else the visitor's switch (`?lang=`, then the `lang`
 * cookie it leaves), else Accept-Language, else DEFAULT_LOCALE. Worked out once per request and
 * kept on it: PageSessionGuard does so once it knows who is signed in; an error page thrown
 * before that (a refused CSRF token) works it out without the person.
 */
export function pageLocale(request: WebRequest, i18n: I18nService): Locale {
  request.locale ??= i18n.forPage({
    person: request.signedIn?.person.locale,
    chosen: request.query?.lang ?? request.cookies?.[LANG_COOKIE],
    acceptLanguage: request.headers['accept-language'],
  });
  return request.locale;
}
