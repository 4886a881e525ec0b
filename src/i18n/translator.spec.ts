import { loadCatalogues } from './catalogues.js';
import { MissingMessageError, Translator } from './translator.js';

const catalogues = loadCatalogues();

describe('Translator', () => {
  it('formats ICU messages with each language’s plural rules', () => {
    const translator = new Translator(catalogues);
    expect(translator.t('en', 'common.form.errorSummary', { count: 1 })).toBe('Please correct this field');
    expect(translator.t('en', 'common.form.errorSummary', { count: 3 })).toBe('Please correct these 3 fields');
    expect(translator.t('ru', 'common.duration.long.workingHours', { count: 1 })).toBe('1 рабочий час');
    expect(translator.t('ru', 'common.duration.long.workingHours', { count: 3 })).toBe('3 рабочих часа');
    expect(translator.t('ru', 'common.duration.long.workingHours', { count: 5 })).toBe('5 рабочих часов');
    expect(translator.t('ru', 'common.duration.long.workingHours', { count: 21 })).toBe('21 рабочий час');
    expect(translator.t('uk', 'common.duration.long.workingHours', { count: 2 })).toBe('2 робочі години');
    expect(translator.t('ar', 'common.duration.long.hours', { count: 2 })).toBe('ساعتان');
    expect(translator.t('ar', 'common.duration.long.hours', { count: 3 })).toBe('3 ساعات');
    expect(translator.t('ar', 'common.duration.long.hours', { count: 11 })).toBe('11 ساعة');
  });

  it('falls back to English, or to the raw key, unless strict', () => {
    const partial = { ...catalogues, fr: {} };
    expect(new Translator(partial).t('fr', 'signIn.title')).toBe('Sign in to Concord');
    expect(new Translator(partial).t('fr', 'nowhere.key')).toBe('nowhere.key');
    expect(() => new Translator(partial, 'throw').t('fr', 'signIn.title')).toThrow(MissingMessageError);
    const recording = new Translator(partial, 'record');
    recording.t('fr', 'signIn.title');
    recording.t('en', 'nowhere.key');
    expect(recording.takeMissing()).toEqual([
      { locale: 'fr', key: 'signIn.title', outcome: 'fallback' },
      { locale: 'en', key: 'nowhere.key', outcome: 'unknown' },
    ]);
    expect(recording.takeMissing()).toEqual([]);
  });

  it('renders markup messages as HTML with the values escaped', () => {
    const translator = new Translator(catalogues, 'throw');
    expect(translator.html('en', 'signIn.confirmAs', { name: '<b>Eve</b>', email: 'e@x.fr' })).toBe('Sign in as <strong>&lt;b&gt;Eve&lt;/b&gt;</strong> (e@x.fr)?');
    expect(translator.html('ar', 'signIn.confirmAs', { name: 'Eve', email: 'e@x.fr' })).toContain('<bdi>Eve</bdi>');
  });
});
