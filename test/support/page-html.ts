import { fieldId } from '../../src/web/form-fields.js';

/** What a page's HTML says, for tests over supertest: the errors under fields, the values shown. */

/** Text as the browser shows it (Handlebars' escapes undone). */
export function decode(html: string): string {
  return html
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#x27;/g, "'")
    .replace(/&#x60;/g, '`')
    .replace(/&#x3D;/g, '=')
    .replace(/&amp;/g, '&');
}

/** The error shown right under a field (by its API path), or null. */
export function errorAt(html: string, path: string): string | null {
  const match = new RegExp(`<p class="field-error" id="${fieldId(path)}-error">([^<]*)</p>`).exec(html);
  return match ? decode(match[1]) : null;
}

/** Every field that shows an error, by control id. */
export function fieldsInError(html: string): string[] {
  return [...html.matchAll(/<p class="field-error" id="(f-[^"]+)-error">/g)].map((match) => match[1]);
}

/** What a control shows: an input's value, a textarea's text, a select's chosen option. */
export function shownValue(html: string, path: string): string | null {
  const id = fieldId(path);
  const input = new RegExp(`<input type="[a-z-]+" id="${id}"[^>]*? value="([^"]*)"`).exec(html);
  if (input) return decode(input[1]);
  const textarea = new RegExp(`<textarea id="${id}"[^>]*>([^<]*)</textarea>`).exec(html);
  if (textarea) return decode(textarea[1]);
  const select = new RegExp(`<select id="${id}"[^>]*>(.*?)</select>`).exec(html);
  if (select) return decode(/<option value="([^"]*)" selected>/.exec(select[1])?.[1] ?? '');
  return null;
}
