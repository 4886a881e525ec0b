import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LOCALES, type Locale } from './locales.js';

/** One language's messages: full key ("signIn.title") → ICU MessageFormat text. */
export type Catalogue = Record<string, string>;
export type Catalogues = Record<Locale, Catalogue>;

/** The locales/ folder at the root of the project, found from this file in src/ or dist/src/. */
export function localesDirectory(): string {
  let directory = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = join(directory, 'locales');
    if (existsSync(join(candidate, 'en'))) return candidate;
    directory = resolve(directory, '..');
  }
  throw new Error('locales/ folder not found');
}

/** "sign-in" → "signIn": the key prefix every message of an area's file carries. */
export function areaPrefix(area: string): string {
  return area.replace(/-([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
}

/**
 * Reads locales/<lang>/<area>.json for every language: one flat object per area, each key
 * starting with the area's prefix (`sign-in.json` holds `signIn.*`), so areas are added in
 * parallel without touching each other's files. A key outside its area, or met twice, is an error.
 */
export function loadCatalogues(directory = localesDirectory()): Catalogues {
  const catalogues = {} as Catalogues;
  for (const locale of LOCALES) {
    const catalogue: Catalogue = {};
    const folder = join(directory, locale);
    for (const file of existsSync(folder) ? readdirSync(folder).filter((name) => name.endsWith('.json')).sort() : []) {
      const area = file.replace(/\.json$/, '');
      const messages = JSON.parse(readFileSync(join(folder, file), 'utf8')) as Record<string, unknown>;
      for (const [key, message] of Object.entries(messages)) {
        if (!key.startsWith(`${areaPrefix(area)}.`)) throw new Error(`locales/${locale}/${file}: key ${key} must start with "${areaPrefix(area)}."`);
        if (typeof message !== 'string') throw new Error(`locales/${locale}/${file}: ${key} must be a string`);
        if (Object.hasOwn(catalogue, key)) throw new Error(`locales/${locale}/${file}: ${key} is defined twice`);
        catalogue[key] = message;
      }
    }
    catalogues[locale] = catalogue;
  }
  return catalogues;
}
