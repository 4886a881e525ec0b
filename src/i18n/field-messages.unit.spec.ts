import type { Catalogues } from './catalogues.js';
import { FieldMessages, MAX_READ_BACK, ruleOf } from './field-messages.js';
import { MissingMessageError, Translator } from './translator.js';

/** A small catalogue of its own, so these rules are checked apart from the real translations. */
const catalogues: Catalogues = {
  en: {
    'validation.string': '{field} must be a string',
    'validation.eachString': 'each value in {field} must be a string',
    'validation.maxLength': '{field} must be shorter than or equal to {max} characters',
    'validation.meetingYears': '{field}: a meeting on a business calendar must be in the years {first} to {last}',
    'validation.eventFilter': "{field} must be an event filter such as '{ \"type\": \"lead.handed_over\" }'",
  },
  fr: {
    'validation.string': '« {field} » doit être un texte',
    'validation.eachString': 'chaque valeur de « {field} » doit être un texte',
    'validation.maxLength': '« {field} » doit compter au plus {max, plural, one {# caractère} many {# caractères} other {# caractères}}',
    'validation.meetingYears': '{field} : une réunion sur un calendrier ouvré doit avoir lieu entre {first} et {last}',
    'validation.eventFilter': "« {field} » doit être un filtre d’évènements tel que '{ \"type\": \"lead.handed_over\" }'",
  },
  ru: {
    'validation.string': '«{field}» должно быть строкой',
    'validation.eachString': 'каждое значение «{field}» должно быть строкой',
    'validation.maxLength': '«{field}»: не длиннее {max, plural, one {# символа} few {# символов} many {# символов} other {# символа}}',
    'validation.meetingYears': '{field}: встреча по рабочему календарю должна быть в {first}–{last} годах',
    'validation.eventFilter': "«{field}» должно быть фильтром событий, например '{ \"type\": \"lead.handed_over\" }'",
  },
  uk: {},
  ar: {},
};

describe('FieldMessages', () => {
  const messages = new FieldMessages(new Translator(catalogues, 'throw'));

  it('reads an English message back into its entry and arguments', () => {
    expect(messages.match('name must be a string')).toEqual({ key: 'validation.string', values: { field: 'name' } });
    expect(messages.match('goals[0].target must be shorter than or equal to 120 characters')).toEqual({
      key: 'validation.maxLength',
      values: { field: 'goals[0].target', max: '120' },
    });
    // Braces quoted the ICU way are plain text to match.
    expect(messages.match('response.startOn must be an event filter such as { "type": "lead.handed_over" }')?.key).toBe('validation.eventFilter');
    expect(messages.match('name is not a string')).toBeUndefined();
    expect(messages.match('name must be a string, really')).toBeUndefined();
  });

  it('prefers the entry that fixes more of the text', () => {
    // "{field} must be a string" would also match, with "each value in channels" as the field.
    expect(messages.match('each value in channels must be a string')).toEqual({ key: 'validation.eachString', values: { field: 'channels' } });
  });

  it('writes the message in the reader’s language, counting by its plural rules', () => {
    expect(messages.translate('en', 'name must be shorter than or equal to 120 characters')).toBe('name must be shorter than or equal to 120 characters');
    expect(messages.translate('ru', 'name must be shorter than or equal to 1 characters')).toBe('«name»: не длиннее 1 символа');
    expect(messages.translate('ru', 'name must be shorter than or equal to 120 characters')).toBe('«name»: не длиннее 120 символов');
    expect(messages.translate('fr', 'name must be shorter than or equal to 1000000 characters')).toBe('« name » doit compter au plus 1\u202f000\u202f000 caractères');
    expect(messages.translate('fr', 'channels must be a string')).toBe('« channels » doit être un texte');
  });

  it('keeps years, lines and ids as written: only counted arguments become numbers', () => {
    expect(messages.translate('fr', 'startsAt: a meeting on a business calendar must be in the years 2025 to 2028')).toBe(
      'startsAt : une réunion sur un calendrier ouvré doit avoir lieu entre 2025 et 2028',
    );
  });

  it('reports a message no entry matches, as a missing message', () => {
    expect(() => messages.translate('fr', 'name is out of this world')).toThrow(MissingMessageError);
    expect(() => messages.translate('uk', 'name must be a string')).toThrow(MissingMessageError);
    const lenient = new FieldMessages(new Translator(catalogues, 'record'));
    expect(lenient.translate('fr', 'name is out of this world')).toBe('name is out of this world');
  });

  it('shows a message longer than it reads back as written, reported, without trying every pattern on it', () => {
    // It would match "{field} must be a string", were it read.
    const long = `${'n'.repeat(MAX_READ_BACK)} must be a string`;
    expect(() => messages.translate('fr', long)).toThrow(MissingMessageError);
    const lenient = new FieldMessages(new Translator(catalogues, 'record'));
    expect(lenient.translate('fr', long)).toBe(long);
    // Just under the bound it is still read.
    expect(lenient.translate('fr', `${'n'.repeat(MAX_READ_BACK - 30)} must be a string`)).toMatch(/^« n+ » doit être un texte$/);
  });

  it('refuses an English entry that is more than text and plain arguments (it could not be read back)', () => {
    expect(() => ruleOf('validation.x', '{count, plural, one {# day} other {# days}} left')).toThrow(/only text and \{arguments\}/);
  });
});

describe('FieldMessages, messages made of messages', () => {
  const catalogues: Catalogues = {
    en: {
      'validation.nothingImported': 'Nothing was imported: {problems}',
      'validation.slugUnderivable': '{field} cannot be derived from this name; give one',
      'validation.uploadMore': 'and {more} more',
      'validation.string': '{field} must be a string',
    },
    fr: {
      'validation.nothingImported': 'Rien n’a été importé : {problems}',
      'validation.slugUnderivable': '« {field} » ne se déduit pas de ce nom ; indiquez-le',
      'validation.uploadMore': 'et {more, plural, one {# autre} many {# autres} other {# autres}}',
      'validation.string': '« {field} » doit être un texte',
    },
    ru: {},
    uk: {},
    ar: {},
  };
  const messages = new FieldMessages(new Translator(catalogues, 'throw'));

  it('translates each message an argument named `problems` lists, even one that holds "; " itself', () => {
    expect(messages.translate('fr', 'Nothing was imported: slug cannot be derived from this name; give one; line 3 must be a string; and 2 more')).toBe(
      'Rien n’a été importé : « slug » ne se déduit pas de ce nom ; indiquez-le; « line 3 » doit être un texte; et 2 autres',
    );
  });

  it('reports a listed message it cannot read, keeping it as written', () => {
    expect(() => messages.translate('fr', 'Nothing was imported: line 3 is strange')).toThrow(MissingMessageError);
  });
});

describe('FieldMessages under a labelled field', () => {
  const messages = new FieldMessages(new Translator(catalogues, 'throw'));

  it('names the field by its label where the English named it by its path or property', () => {
    expect(messages.translate('ru', 'from must be a string', { path: 'from', label: 'Срок с' })).toBe('«Срок с» должно быть строкой');
    expect(messages.translate('ru', 'target must be a string', { path: 'content.goals[0].target', label: 'Цель' })).toBe('«Цель» должно быть строкой');
    // Another field's name (a line of an import under the file field) stays as written.
    expect(messages.translate('ru', 'line 3 must be a string', { path: 'file', label: 'Файл' })).toBe('«line 3» должно быть строкой');
    expect(messages.translate('en', 'from must be a string', { path: 'from', label: 'From' })).toBe('from must be a string');
  });
});
