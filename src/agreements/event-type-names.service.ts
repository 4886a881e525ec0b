import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Actor } from '../access/actor.js';
import { isAdmin } from '../access/permissions.js';
import { Clock } from '../common/clock.js';
import { fieldErrors, ForbiddenError, InvalidInputError } from '../common/errors.js';
import { EVENT_TYPE_PATTERN } from '../common/event-type.js';
import { I18nService } from '../i18n/i18n.service.js';
import { isLocale, LOCALES, type Locale } from '../i18n/locales.js';
import { EventTypeName } from './event-type-name.entity.js';
import type { EventTypeNamesList, EventTypeNamesView } from './event-type-names.dto.js';
import { CONVENTIONAL_EVENT_TYPES, eventTypeNamer, type EventTypeNamer } from './event-type-names.js';

/** The longest name a type may be given: it stands where a type stands, in a list item or a table cell. */
export const MAX_EVENT_TYPE_NAME = 120;

/**
 * The readable names of event types: defaults from the catalogues, overridden per language by
 * the organisation (admins and heads: the people who write agreements). Pages ask `namer(locale)`
 * once per render and name every type through it.
 */
@Injectable()
export class EventTypeNamesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly i18n: I18nService,
    private readonly clock: Clock,
  ) {}

  /** How a reader of `locale` sees event types: one query for the organisation's names in that language. */
  async namer(locale: Locale): Promise<EventTypeNamer> {
    const rows = await this.dataSource.manager.find(EventTypeName, { where: { locale } });
    return eventTypeNamer(this.i18n.translator, locale, new Map(rows.map((row) => [row.type, row.name])));
  }

  async list(): Promise<EventTypeNamesList> {
    const rows = await this.dataSource.manager.find(EventTypeName, { order: { type: 'ASC', locale: 'ASC' } });
    const types = [...new Set<string>([...CONVENTIONAL_EVENT_TYPES, ...rows.map((row) => row.type)])].sort((a, b) => a.localeCompare(b));
    return { items: types.map((type) => this.viewOf(type, rows.filter((row) => row.type === type))) };
  }

  async get(type: string): Promise<EventTypeNamesView> {
    checkType(type);
    return this.viewOf(type, await this.dataSource.manager.find(EventTypeName, { where: { type } }));
  }

  /**
   * Sets the names given (`{ "ru": "Лид передан в продажи" }`); a language sent as null goes
   * back to the default; languages not sent keep their names. All or nothing: a 400 names each
   * faulty language.
   */
  async set(actor: Actor, type: string, body: unknown): Promise<EventTypeNamesView> {
    if (!isAdmin(actor) && actor.role !== 'head') throw new ForbiddenError('only an admin or a head may name event types');
    checkType(type);
    const changes = namesOf(body);
    const now = this.clock.now();
    await this.dataSource.transaction(async (manager) => {
      for (const [locale, name] of changes) {
        if (name === null) await manager.delete(EventTypeName, { type, locale });
        else await manager.save(EventTypeName, { type, locale, name, updatedAt: now });
      }
    });
    return this.get(type);
  }

  private viewOf(type: string, rows: EventTypeName[]): EventTypeNamesView {
    const custom = Object.fromEntries(rows.map((row) => [row.locale, row.name]));
    const names = Object.fromEntries(LOCALES.map((locale) => [locale, eventTypeNamer(this.i18n.translator, locale, new Map(custom[locale] ? [[type, custom[locale]]] : []))(type)]));
    return { type, names, custom };
  }
}

function checkType(type: string): void {
  if (type.length > 100 || !EVENT_TYPE_PATTERN.test(type)) {
    throw new InvalidInputError({ type: ['type must be a dotted event type such as lead.handed_over, at most 100 characters'] });
  }
}

/** The body of PUT …/names as [language, name or null] pairs, or a 400 naming each faulty field. */
export function namesOf(body: unknown): [Locale, string | null][] {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw new InvalidInputError({ names: [`send an object of names by language (${LOCALES.join(', ')}), e.g. { "ru": "Лид передан в продажи" }`] });
  }
  const errors = fieldErrors();
  const changes: [Locale, string | null][] = [];
  for (const [field, value] of Object.entries(body as Record<string, unknown>)) {
    if (!isLocale(field)) {
      errors[field] = [`${field} is not a language Concord speaks (${LOCALES.join(', ')})`];
    } else if (value === null) {
      changes.push([field, null]);
    } else if (typeof value !== 'string' || value.trim() === '' || value.trim().length > MAX_EVENT_TYPE_NAME) {
      errors[field] = [`${field} must be a name of 1 to ${MAX_EVENT_TYPE_NAME} characters, or null to go back to the default`];
    } else {
      changes.push([field, value.trim()]);
    }
  }
  if (Object.keys(errors).length > 0) throw new InvalidInputError(errors);
  return changes;
}
