import { Injectable } from '@nestjs/common';
import Handlebars from 'handlebars';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatInstant, isoLocalDate, longLocalDate, type InstantLike } from '../common/instant-format.js';

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
 *   `{{duration seconds}}`: "1 h 15 min";
 *   `{{percent value}}`: "95 %" or "–"; `{{eq a b}}`, `{{gt a b}}` for conditions;
 *   `{{bar percent}}`: the width of a bar, 0–100, for inline styles.
 */
@Injectable()
export class TemplateRenderer {
  private readonly handlebars = Handlebars.create();
  private readonly compiled = new Map<string, Handlebars.TemplateDelegate>();
  readonly directory: string;

  constructor() {
    this.directory = templatesDirectory();
    const partials = join(this.directory, 'partials');
    for (const file of readdirSync(partials)) {
      this.handlebars.registerPartial(file.replace(/\.hbs$/, '').replace(/\./g, '-'), readFileSync(join(partials, file), 'utf8'));
    }
    registerHelpers(this.handlebars);
  }

  /** Lets a module add helpers of its own (the pages' form fields) to the shared instance. */
  addHelpers(register: (handlebars: typeof Handlebars) => void): void {
    register(this.handlebars);
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

function registerHelpers(handlebars: typeof Handlebars): void {
  // Handlebars passes its options object last: a third argument is there only when the template gave one.
  handlebars.registerHelper('when', (instant: unknown, zone: unknown, ...rest: unknown[]) => {
    const ownZone = rest.length > 1 && typeof rest[0] === 'string' ? rest[0] : null;
    return formatInstant(toInstant(instant), String(zone), ownZone);
  });
  handlebars.registerHelper('date', (instant: unknown, zone: unknown) => isoLocalDate(toInstant(instant), String(zone)));
  handlebars.registerHelper('longDate', (instant: unknown, zone: unknown) => longLocalDate(toInstant(instant), String(zone)));
  handlebars.registerHelper('duration', (seconds: unknown) => formatDuration(Number(seconds)));
  handlebars.registerHelper('percent', (value: unknown) =>
    value === null || value === undefined ? '–' : `${Math.round(Number(value) * 10) / 10} %`,
  );
  handlebars.registerHelper('bar', (value: unknown) => Math.max(0, Math.min(100, Math.round(Number(value ?? 0)))));
  handlebars.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  handlebars.registerHelper('gt', (a: unknown, b: unknown) => Number(a) > Number(b));
}
