import { Injectable, Optional } from '@nestjs/common';
import Handlebars from 'handlebars';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatInstant, inZone, isoLocalDate, longLocalDate, type InstantLike } from '../common/instant-format.js';
import { durationInWords, formatDate, formatPercent, formatShortDateTime } from '../i18n/formats.js';
import { FALLBACK_LOCALE, isLocale, type Locale } from '../i18n/locales.js';
import { sharedTranslator, Translator, type MessageValues } from '../i18n/translator.js';

/** The templates/ folder at the root of the project, found from this file in src/ or dist/src/. */
export function templatesDirectory(): string {
  let directory = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = join(directory, 'templates');
    if (existsSync(join(candidate, 'partials'))) return candidate;
    directory = resolve(directory, '..');
  }
  throw new Error('templates/ folder not found');
}

export class TemplateError extends Error {}

/**
 * Every email, report and page is a Handlebars template under templates/, compiled strict (a
 * missing variable is an error, never an empty hole) with escaping on in HTML: a brief title or a
 * subject id such as `<script>` or `{{x}}` comes out as text (templates named `….text` are plain
 * text and are not escaped, as a mail client shows them verbatim). Partials are the files of
 * templates/partials, by file name with dots as dashes (partials/email-layout.html.hbs is
 * `{{#> email-layout-html}}`).
 *
 * Helpers:
 * - `{{when instant zone}}`: "Mon 9 Nov 2026, 09:30 Europe/Paris (2026-11-09T09:30+01:00)" — the
 *   reader's own time zone, with the language-neutral ISO form beside it; `{{when instant zone
 *   ownZone}}` adds the time in the zone a meeting is planned in when it differs ("· 10:00 in
 *   Europe/Moscow"). Every template passes the reader's zone (see common/instant-format.ts);
 * - `{{date instant zone}}`: "2026-11-09"; `{{longDate instant zone}}`: "Tuesday 1 December 2026";
 *   `{{duration seconds}}`: "1 h 15 min" (`business=true style="long"`: "1 working hour");
 *   `{{percent value}}`: "95 %" or "–"; `{{eq a b}}`, `{{gt a b}}` for conditions;
 *   `{{bar percent}}`: the width of a bar, 0–100, for inline styles.
 * - `{{t "area.key" name=value …}}`: a message of locales/ in the reader's language (escaped in
 *   HTML; usable as a subexpression: `{{field "email" (t "signIn.emailLabel") values errors}}`);
 *   `{{tHtml "area.key" …}}` for a message holding markup (<strong>, <bdi>), values escaped.
 *
 * The reader's language is the context's root `locale` (PageRenderer sets it for pages, whoever
 * renders an email sets it per recipient; absent means English). `when`, `date`, `longDate`,
 * `duration` and `percent` follow it; in English they write exactly what they always did.
 */
@Injectable()
export class TemplateRenderer {
  private readonly handlebars = Handlebars.create();
  private readonly compiled = new Map<string, Handlebars.TemplateDelegate>();
  readonly directory: string;
  readonly translator: Translator;

  constructor(@Optional() translator?: Translator) {
    this.translator = translator ?? sharedTranslator();
    this.directory = templatesDirectory();
    const partials = join(this.directory, 'partials');
    for (const file of readdirSync(partials)) {
      this.handlebars.registerPartial(file.replace(/\.hbs$/, '').replace(/\./g, '-'), readFileSync(join(partials, file), 'utf8'));
    }
    registerHelpers(this.handlebars, this.translator);
  }

  /** Lets a module add helpers of its own (the pages' form fields) to the shared instance. */
  addHelpers(register: (handlebars: typeof Handlebars, translator: Translator) => void): void {
    register(this.handlebars, this.translator);
  }

  /** Renders templates/<name>.hbs (e.g. "emails/breach-alert.html") with a context. */
  render(name: string, context: object): string {
    let template = this.compiled.get(name);
    if (!template) {
      const file = join(this.directory, `${name}.hbs`);
      if (relative(this.directory, file).startsWith('..')) throw new TemplateError(`template ${name} is outside templates/`);
      // Plain-text parts are not HTML: escaping there would show "&lt;" to the reader.
      template = this.handlebars.compile(readFileSync(file, 'utf8'), { strict: true, noEscape: name.endsWith('.text') });
      this.compiled.set(name, template);
    }
    try {
      return template(context);
    } catch (error) {
      throw new TemplateError(`template ${name}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

function toInstant(value: unknown): InstantLike {
  return value instanceof Date || typeof value === 'number' ? value : String(value);
}

export function formatDuration(seconds: number): string {
  const total = Math.max(0, Math.round(seconds / 60));
  const days = Math.floor(total / 1440);
  const hours = Math.floor((total % 1440) / 60);
  const minutes = total % 60;
  const parts = [days ? `${days} d` : '', hours ? `${hours} h` : '', minutes || (!days && !hours) ? `${minutes} min` : ''];
  return parts.filter(Boolean).join(' ');
}

/** The reader's language: the `locale` at the root of the context a helper was called in, else English. */
export function localeOfHelper(options: Handlebars.HelperOptions | undefined): Locale {
  const locale = (options?.data as { root?: { locale?: unknown } } | undefined)?.root?.locale;
  return isLocale(locale) ? locale : FALLBACK_LOCALE;
}

/** Handlebars passes its options object last: the helper's own arguments are the ones before it. */
function splitArguments(args: unknown[]): { given: unknown[]; options: Handlebars.HelperOptions } {
  return { given: args.slice(0, -1), options: args[args.length - 1] as Handlebars.HelperOptions };
}

/** An instant in the reader's language: their zone's wall clock, then the ISO form (as the English helper writes it). */
function localisedInstant(translator: Translator, locale: Locale, instant: InstantLike, zone: string, ownZone: string | null): string {
  const local = inZone(instant, zone);
  const iso = local.toISO({ suppressMilliseconds: true, suppressSeconds: true }) ?? '';
  const when = translator.t(locale, 'common.date.when', { local: formatShortDateTime(local.toJSDate(), zone, locale), zone: local.zoneName ?? zone, iso });
  if (!ownZone) return when;
  const own = inZone(instant, ownZone);
  if (own.zoneName === local.zoneName) return when;
  const sameDay = own.toISODate() === local.toISODate();
  const ownLocal = sameDay
    ? new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', timeZone: ownZone }).format(own.toJSDate())
    : new Intl.DateTimeFormat(locale, { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', timeZone: ownZone }).format(own.toJSDate());
  return translator.t(locale, 'common.date.whenElsewhere', { when, local: ownLocal, zone: own.zoneName ?? ownZone });
}

function registerHelpers(handlebars: typeof Handlebars, translator: Translator): void {
  handlebars.registerHelper('t', (key: unknown, options: Handlebars.HelperOptions) =>
    translator.t(localeOfHelper(options), String(key), options.hash as MessageValues),
  );
  handlebars.registerHelper('tHtml', (key: unknown, options: Handlebars.HelperOptions) =>
    new Handlebars.SafeString(translator.html(localeOfHelper(options), String(key), options.hash as MessageValues)),
  );
  // A third argument is there only when the template gave one.
  handlebars.registerHelper('when', (...args: unknown[]) => {
    const { given: [instant, zone, own], options } = splitArguments(args);
    const ownZone = typeof own === 'string' ? own : null;
    const locale = localeOfHelper(options);
    if (locale === FALLBACK_LOCALE) return formatInstant(toInstant(instant), String(zone), ownZone);
    return localisedInstant(translator, locale, toInstant(instant), String(zone), ownZone);
  });
  handlebars.registerHelper('date', (instant: unknown, zone: unknown, options: Handlebars.HelperOptions) => {
    const locale = localeOfHelper(options);
    return locale === FALLBACK_LOCALE ? isoLocalDate(toInstant(instant), String(zone)) : formatDate(inZone(toInstant(instant), String(zone)).toJSDate(), String(zone), locale, 'medium');
  });
  handlebars.registerHelper('longDate', (instant: unknown, zone: unknown, options: Handlebars.HelperOptions) => {
    const locale = localeOfHelper(options);
    return locale === FALLBACK_LOCALE ? longLocalDate(toInstant(instant), String(zone)) : formatDate(inZone(toInstant(instant), String(zone)).toJSDate(), String(zone), locale, 'full');
  });
  handlebars.registerHelper('duration', (seconds: unknown, options: Handlebars.HelperOptions) => {
    const locale = localeOfHelper(options);
    const hash = (options?.hash ?? {}) as { business?: unknown; style?: unknown };
    const style = hash.style === 'long' ? 'long' : 'short';
    if (locale === FALLBACK_LOCALE && style === 'short' && !hash.business) return formatDuration(Number(seconds));
    return durationInWords(translator, locale, Number(seconds), { business: hash.business === true, style });
  });
  // How late a breach is, in working time: English keeps the short form its pages and emails
  // always had ("3 h 20 min"); every other language says it in words ("3 рабочих часа и 20 минут").
  handlebars.registerHelper('workingTime', (seconds: unknown, options: Handlebars.HelperOptions) => {
    const locale = localeOfHelper(options);
    if (locale === FALLBACK_LOCALE) return formatDuration(Number(seconds));
    return durationInWords(translator, locale, Number(seconds), { business: true, style: 'long' });
  });
  handlebars.registerHelper('percent', (value: unknown, options: Handlebars.HelperOptions) => {
    const locale = localeOfHelper(options);
    if (value === null || value === undefined) return '–';
    return locale === FALLBACK_LOCALE ? `${Math.round(Number(value) * 10) / 10} %` : formatPercent(Number(value), locale);
  });
  handlebars.registerHelper('bar', (value: unknown) => Math.max(0, Math.min(100, Math.round(Number(value ?? 0)))));
  handlebars.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  handlebars.registerHelper('gt', (a: unknown, b: unknown) => Number(a) > Number(b));
}
