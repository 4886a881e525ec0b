import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadCatalogues, localesDirectory } from './catalogues.js';
import { FALLBACK_LOCALE, LOCALES } from './locales.js';
import { RICH_TAGS } from './translator.js';

/**
 * The catalogues agree with each other: the same keys in every language, the same arguments in
 * every translation of a message, plurals with every form the language has, and no markup but
 * the tags `html()` knows. Parsed with FormatJS' own parser, as the translator reads them.
 */

interface Shape {
  arguments: Set<string>;
  tags: Set<string>;
  /** Each plural argument with the categories its branches name. */
  plurals: { name: string; categories: string[] }[];
}

function shapeOf(message: string): Shape {
  const shape: Shape = { arguments: new Set(), tags: new Set(), plurals: [] };
  const walk = (elements: MessageFormatElement[]) => {
    for (const element of elements) {
      if (element.type === TYPE.literal || element.type === TYPE.pound) continue;
      if (element.type === TYPE.tag) {
        shape.tags.add(element.value);
        walk(element.children);
        continue;
      }
      shape.arguments.add(element.value);
      if (element.type === TYPE.plural || element.type === TYPE.select) {
        if (element.type === TYPE.plural) shape.plurals.push({ name: element.value, categories: Object.keys(element.options) });
        for (const option of Object.values(element.options)) walk(option.value);
      }
    }
  };
  walk(parse(message));
  return shape;
}

const catalogues = loadCatalogues();
const english = catalogues[FALLBACK_LOCALE];

describe('message catalogues', () => {
  it('has the same area files in every language', () => {
    const areas = (locale: string) => readdirSync(join(localesDirectory(), locale)).filter((file) => file.endsWith('.json')).sort();
    for (const locale of LOCALES) expect({ locale, areas: areas(locale) }).toEqual({ locale, areas: areas(FALLBACK_LOCALE) });
  });

  it('holds messages (a sanity floor, so an empty folder cannot pass)', () => {
    expect(Object.keys(english).length).toBeGreaterThan(50);
  });

  for (const locale of LOCALES) {
    describe(locale, () => {
      const catalogue = catalogues[locale];
      const categories = new Intl.PluralRules(locale).resolvedOptions().pluralCategories as string[];

      it('has every English key, and none English lacks', () => {
        expect(Object.keys(english).filter((key) => !Object.hasOwn(catalogue, key))).toEqual([]);
        expect(Object.keys(catalogue).filter((key) => !Object.hasOwn(english, key))).toEqual([]);
      });

      it('gives each message the arguments of the English one, and only known tags', () => {
        const problems: string[] = [];
        for (const [key, message] of Object.entries(catalogue)) {
          const shape = shapeOf(message);
          const expected = [...shapeOf(english[key] ?? '').arguments].sort();
          if ([...shape.arguments].sort().join() !== expected.join()) problems.push(`${key}: arguments ${[...shape.arguments].sort().join()} instead of ${expected.join()}`);
          for (const tag of shape.tags) if (!(RICH_TAGS as readonly string[]).includes(tag)) problems.push(`${key}: unknown tag <${tag}>`);
        }
        expect(problems).toEqual([]);
      });

      it('writes each plural with the forms of the language', () => {
        const problems: string[] = [];
        for (const [key, message] of Object.entries(catalogue)) {
          const englishPlurals = new Map(shapeOf(english[key]).plurals.map((plural) => [plural.name, plural.categories]));
          for (const plural of shapeOf(message).plurals) {
            const named = plural.categories.filter((category) => !category.startsWith('='));
            const unknown = named.filter((category) => !categories.includes(category));
            if (unknown.length) problems.push(`${key}: ${locale} has no plural form ${unknown.join(', ')}`);
            if (!named.includes('other')) problems.push(`${key}: no "other" form`);
            // A plural that varies in English must give every form this language has.
            const varies = (englishPlurals.get(plural.name) ?? []).length > 1;
            const lacking = categories.filter((category) => !named.includes(category));
            if (varies && lacking.length) problems.push(`${key}: lacks the ${lacking.join(', ')} form(s) of ${locale}`);
          }
        }
        expect(problems).toEqual([]);
      });
    });
  }
});
