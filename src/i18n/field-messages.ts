import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { FALLBACK_LOCALE, type Locale } from './locales.js';
import type { MessageValues, Translator } from './translator.js';

/**
 * The messages under a form's fields, in the reader's language.
 *
 * A field message is written in English where its rule lives — a class-validator constraint, a
 * DTO's own message, a service's check — and in English it is part of the API's contract
 * (`errors` of a 400). Pages show the same refusal in the reader's language: the English message
 * is matched against the English texts of the `validation` area (`{field} must be a UUID`,
 * `{field} must be 1 to {max} characters`), its arguments read back from it, and the same key
 * formatted in the reader's language with them, plurals included. So the rules keep one message,
 * the API keeps its English, and a message no entry matches is reported like a missing key
 * (strict in tests: see the field-messages spec, which walks every DTO's constraints).
 */

const AREA = 'validation.';

/**
 * Longer messages are not read back: a pattern's lazy arguments make a failed match quadratic in
 * the text, and a message echoes what was typed (a 50,000-character value held a render for a
 * second). Real messages are a few hundred characters; a longer one is shown as written.
 */
export const MAX_READ_BACK = 10_000;

interface Rule {
  key: string;
  pattern: RegExp;
  names: string[];
  /** Characters of fixed text: the more a rule fixes, the more specific it is, the earlier it is tried. */
  fixed: number;
}

/** A match: the key and the values read back from the English text. */
export interface FieldMessageMatch {
  key: string;
  values: Record<string, string>;
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * An English entry as a pattern: its text fixed, each `{argument}` any non-empty run of text.
 * English entries hold only plain arguments (the spec checks), so the parser's literal and
 * argument elements are all there is.
 */
export function ruleOf(key: string, english: string): Rule {
  const names: string[] = [];
  let source = '';
  let fixed = 0;
  for (const element of parse(english)) {
    if (element.type === TYPE.literal) {
      source += escapeRegExp(element.value);
      fixed += element.value.length;
    } else if (element.type === TYPE.argument) {
      names.push(element.value);
      source += '(.+?)';
    } else {
      throw new Error(`${key}: an English validation message holds only text and {arguments}, the English the rules write`);
    }
  }
  return { key, names, fixed, pattern: new RegExp(`^${source}$`, 's') };
}

/** Arguments a message formats as numbers (plural, selectordinal, number): those get numbers back. */
function numericArguments(message: string): Set<string> {
  const numeric = new Set<string>();
  const walk = (elements: MessageFormatElement[]) => {
    for (const element of elements) {
      if (element.type === TYPE.plural || element.type === TYPE.number) numeric.add(element.value);
      if (element.type === TYPE.plural || element.type === TYPE.select) for (const option of Object.values(element.options)) walk(option.value);
      if (element.type === TYPE.tag) walk(element.children);
    }
  };
  walk(parse(message));
  return numeric;
}

export class FieldMessages {
  private readonly rules: Rule[];
  private readonly numeric = new Map<string, Set<string>>();

  constructor(private readonly translator: Translator) {
    this.rules = Object.entries(translator.catalogues[FALLBACK_LOCALE])
      .filter(([key]) => key.startsWith(AREA))
      .map(([key, english]) => ruleOf(key, english))
      .sort((a, b) => b.fixed - a.fixed || a.key.localeCompare(b.key));
  }

  /** The entry an English field message is an instance of, with its arguments; undefined when none is. */
  match(message: string): FieldMessageMatch | undefined {
    return this.matchRule(message)?.match;
  }

  private matchRule(message: string): { rule: Rule; match: FieldMessageMatch } | undefined {
    for (const rule of this.rules) {
      const found = rule.pattern.exec(message);
      if (!found) continue;
      const values: Record<string, string> = {};
      rule.names.forEach((name, index) => (values[name] = found[index + 1]));
      return { rule, match: { key: rule.key, values } };
    }
    return undefined;
  }

  /**
   * The message in `locale`: itself in English; its entry's translation elsewhere, or itself
   * (reported) when no entry matches. Under a field whose `label` the reader sees, the field is
   * named by that label ("Поле «Срок с» …") where the English named it by its API path or property.
   */
  translate(locale: Locale, message: string, field?: { path: string; label: string }): string {
    if (locale === FALLBACK_LOCALE) return message;
    const found = message.length <= MAX_READ_BACK ? this.match(message) : undefined;
    if (!found) {
      this.translator.report({ locale, key: `${AREA}<unmatched> ${message}`, outcome: 'fallback' });
      return message;
    }
    const values = this.typed(locale, found);
    if (field?.label && typeof values.field === 'string' && namesField(values.field, field.path)) values.field = field.label;
    return this.translator.t(locale, found.key, values);
  }

  /**
   * Field messages joined by "; " (an import's problems under its file field), each in `locale`.
   * A message may hold "; " itself ("… name; give one"): of the runs of parts that are a
   * message, the one read by the most specific entry is taken (a generic "{field} must be …"
   * would otherwise swallow the messages before it as its field).
   */
  translateList(locale: Locale, joined: string): string {
    const parts = joined.split('; ');
    const translated: string[] = [];
    for (let start = 0; start < parts.length; ) {
      let best = { end: start + 1, fixed: -1 };
      for (let end = start + 1; end <= parts.length; end++) {
        const fixed = this.matchRule(parts.slice(start, end).join('; '))?.rule.fixed ?? -1;
        if (fixed > best.fixed) best = { end, fixed };
      }
      translated.push(this.translate(locale, parts.slice(start, best.end).join('; ')));
      start = best.end;
    }
    return translated.join('; ');
  }

  /** Read-back values as the translation uses them: numbers where it counts or formats them ("{max, plural, …}"). */
  private typed(locale: Locale, found: FieldMessageMatch): MessageValues {
    const id = `${locale}\u0000${found.key}`;
    let numeric = this.numeric.get(id);
    if (!numeric) {
      numeric = this.translator.has(locale, found.key) ? numericArguments(this.translator.catalogues[locale][found.key]) : new Set();
      this.numeric.set(id, numeric);
    }
    const values: MessageValues = {};
    for (const [name, value] of Object.entries(found.values)) {
      // An argument named `problems` holds other field messages: each is translated in turn.
      if (name === 'problems') {
        values[name] = this.translateList(locale, value);
        continue;
      }
      values[name] = numeric.has(name) && /^-?\d+(\.\d+)?$/.test(value.replace(/,/g, '')) ? Number(value.replace(/,/g, '')) : value;
    }
    return values;
  }
}

/** Whether a message's `{field}` is the field at `path`: the path itself, or its last property ("target" of "goals[0].target"). */
function namesField(named: string, path: string): boolean {
  return named === path || named === path.replace(/\[\d+\]/g, '').split('.').pop();
}

const byTranslator = new WeakMap<Translator, FieldMessages>();

/** The field messages of a translator's catalogues, compiled once per translator. */
export function fieldMessagesOf(translator: Translator): FieldMessages {
  let messages = byTranslator.get(translator);
  if (!messages) {
    messages = new FieldMessages(translator);
    byTranslator.set(translator, messages);
  }
  return messages;
}
