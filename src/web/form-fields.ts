import Handlebars from 'handlebars';
import { fieldMessagesOf } from '../i18n/field-messages.js';
import type { Locale } from '../i18n/locales.js';
import type { Translator } from '../i18n/translator.js';
import { localeOfHelper } from '../notifications/template-renderer.js';

/**
 * Form fields for the pages, built in one place so that every form behaves the same way: a
 * visible label tied to its control, the value that was typed (escaped), the field's error right
 * under it, announced to screen readers (`aria-invalid`, `aria-describedby`), and `required`
 * marked for sighted users and assistive technology alike.
 *
 * Field names may be paths as the API names them (`goals[0].target`, `budget.amount`); the id is
 * derived from the name, the error looked up by the same path the API's 400 answer uses.
 */
export interface FieldOptions {
  type?: 'text' | 'textarea' | 'select' | 'number' | 'date' | 'datetime-local' | 'email' | 'password' | 'checkbox' | 'time' | 'url';
  required?: boolean;
  hint?: string;
  /** For selects: value → label, in order. */
  options?: { value: string; label: string }[];
  /** Extra attributes for the control, already safe (e.g. `step="0.5"`). */
  rows?: number;
  min?: string | number;
  max?: string | number;
  step?: string | number;
  placeholder?: string;
  autocomplete?: string;
  /** The id of a <datalist> offering values to pick (an input still accepts any). */
  list?: string;
}

const escape = (value: unknown): string => Handlebars.escapeExpression(value === null || value === undefined ? '' : String(value));

/**
 * A link typed by someone, fit for an href: only http(s) addresses, anything else (javascript:,
 * data:) becomes a harmless '#'. The API already refuses other schemes; this holds even for data
 * stored before that rule, or brought in some other way.
 */
export function safeUrl(value: unknown): string {
  if (typeof value !== 'string') return '#';
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : '#';
  } catch {
    return '#';
  }
}

/** `goals[0].target` → `f-goals-0-target`: a valid, unique id for the control. */
export function fieldId(name: string): string {
  return `f-${name.replace(/[^A-Za-z0-9]+/g, '-').replace(/-+$/, '')}`;
}

/** Reads `a.b[0].c` from nested form values. */
export function valueAt(values: unknown, path: string): unknown {
  let current: unknown = values;
  for (const part of path.replace(/\[(\d+)\]/g, '.$1').split('.')) {
    if (current === null || current === undefined || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

/** Errors of a field and of anything inside it (`budget` also shows `budget.amount`'s). */
export function errorsAt(errors: Record<string, string[]> | null | undefined, path: string): string[] {
  if (!errors) return [];
  return Object.hasOwn(errors, path) ? errors[path] : [];
}

/** Field names in a form post: `goals[0].target` → `goals[0][target]` (parsed back by qs). */
export function postName(path: string): string {
  const [head, ...rest] = path.replace(/\[(\d+)\]/g, '.$1').split('.');
  return head + rest.map((part) => `[${part}]`).join('');
}

export function renderField(name: string, label: string, values: unknown, errors: Record<string, string[]> | null | undefined, options: FieldOptions = {}): string {
  const id = fieldId(name);
  const type = options.type ?? 'text';
  const value = valueAt(values, name);
  const messages = errorsAt(errors, name);
  const described: string[] = [];
  if (options.hint) described.push(`${id}-hint`);
  if (messages.length) described.push(`${id}-error`);
  const attributes = [
    `id="${id}"`,
    `name="${escape(postName(name))}"`,
    options.required ? 'required aria-required="true"' : '',
    messages.length ? 'aria-invalid="true"' : '',
    described.length ? `aria-describedby="${described.join(' ')}"` : '',
    options.min !== undefined ? `min="${escape(options.min)}"` : '',
    options.max !== undefined ? `max="${escape(options.max)}"` : '',
    options.step !== undefined ? `step="${escape(options.step)}"` : '',
    options.placeholder ? `placeholder="${escape(options.placeholder)}"` : '',
    options.autocomplete ? `autocomplete="${escape(options.autocomplete)}"` : '',
    options.list ? `list="${escape(options.list)}"` : '',
  ]
    .filter(Boolean)
    .join(' ');

  let control: string;
  if (type === 'textarea') {
    control = `<textarea ${attributes} rows="${options.rows ?? 4}">${escape(value)}</textarea>`;
  } else if (type === 'select') {
    const current = value === undefined || value === null ? '' : String(value);
    const choices = (options.options ?? [])
      .map((option) => `<option value="${escape(option.value)}"${option.value === current ? ' selected' : ''}>${escape(option.label)}</option>`)
      .join('');
    control = `<select ${attributes}>${choices}</select>`;
  } else if (type === 'checkbox') {
    const checked = value === true || value === 'true' || value === 'on' || value === '1';
    control = `<input type="checkbox" ${attributes} value="true"${checked ? ' checked' : ''}>`;
  } else {
    control = `<input type="${type}" ${attributes} value="${escape(value)}">`;
  }
  const mark = options.required ? ' <span class="required" aria-hidden="true">*</span>' : '';
  const hint = options.hint ? `<p class="hint" id="${id}-hint">${escape(options.hint)}</p>` : '';
  const error = messages.length ? `<p class="field-error" id="${id}-error">${messages.map(escape).join('; ')}</p>` : '';
  const classes = `field field-${type}${messages.length ? ' has-error' : ''}`;
  if (type === 'checkbox') {
    return `<div class="${classes}">${control} <label for="${id}">${escape(label)}${mark}</label>${hint}${error}</div>`;
  }
  return `<div class="${classes}"><label for="${id}">${escape(label)}${mark}</label>${hint}${control}${error}</div>`;
}

/**
 * Registers `{{field "name" "Label" values errors type="textarea" required=true hint="…"}}` and
 * `{{fieldErrors errors}}` (the list of every problem at the top of a form, each linking to its
 * field) on a Handlebars instance.
 */
export function registerFormHelpers(handlebars: typeof Handlebars, translator: Translator): void {
  const fieldMessages = fieldMessagesOf(translator);
  /** A field's messages in the reader's language (the API's English matched to the `validation` catalogue). */
  const inLanguage = (locale: Locale, messages: string[], field?: { path: string; label: string }) => messages.map((message) => fieldMessages.translate(locale, message, field));
  handlebars.registerHelper('field', function (name: string, label: string, values: unknown, errors: Record<string, string[]> | null, options: Handlebars.HelperOptions) {
    // Under its field, a message names the field by the label the reader sees.
    const messages = inLanguage(localeOfHelper(options), errorsAt(errors, name), { path: name, label });
    return new Handlebars.SafeString(renderField(name, label, values, { [name]: messages }, options.hash as FieldOptions));
  });
  handlebars.registerHelper('errorSummary', (errors: Record<string, string[]> | null | undefined, options: Handlebars.HelperOptions) => {
    const entries = Object.entries(errors ?? {});
    if (entries.length === 0) return '';
    const locale = localeOfHelper(options);
    const heading = translator.t(locale, 'common.form.errorSummary', { count: entries.length });
    const items = entries
      .map(([name, messages]) => `<li><a href="#${fieldId(name)}">${escape(name)}</a>: ${inLanguage(locale, messages).map(escape).join('; ')}</li>`)
      .join('');
    return new Handlebars.SafeString(
      `<div class="error-summary" role="alert" tabindex="-1" id="error-summary"><h2>${escape(heading)}</h2><ul>${items}</ul></div>`,
    );
  });
  /** One refusal not tied to a field (a 409's message above the form), in the reader's language. */
  handlebars.registerHelper('fieldMessage', (message: unknown, options: Handlebars.HelperOptions) => fieldMessages.translate(localeOfHelper(options), String(message)));
  handlebars.registerHelper('postName', (path: string) => postName(path));
  handlebars.registerHelper('valueAt', (values: unknown, path: string) => valueAt(values, path));
  handlebars.registerHelper('safeUrl', (value: unknown) => safeUrl(value));
  handlebars.registerHelper('or', (...args: unknown[]) => args.slice(0, -1).find(Boolean) ?? args[args.length - 2]);
  handlebars.registerHelper('and', (...args: unknown[]) => args.slice(0, -1).every(Boolean));
  handlebars.registerHelper('not', (value: unknown) => !value);
  handlebars.registerHelper('includes', (list: unknown, value: unknown) => Array.isArray(list) && list.includes(value));
}
