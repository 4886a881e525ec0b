import { QUOTA_EXAMPLE, RESPONSE_EXAMPLE } from '../../agreements/agreements.dto.js';
import type { ResponseTerms } from '../../agreements/domain/agreement-terms.js';
import {
  blankForm,
  dayWindow,
  editorPaths,
  foldErrors,
  formatMatch,
  formOfTerms,
  joinWithin,
  measureFromOfForm,
  parseMatch,
  periodAround,
  previousQuarter,
  readForm,
  splitWithin,
  startOfLastMonth,
  targetRowsOf,
  termsOfForm,
  windowLabel,
} from './agreement-form.js';

const parties = { providerDepartmentId: 'p', consumerDepartmentId: 'c' };

describe('the measure-from fields', () => {
  const now = new Date('2026-12-01T03:00:00Z');
  const typed = (measureFrom: string, measureFromShortcut = '') => ({ ...blankForm(), measureFrom, measureFromShortcut });

  it('computes the start of last month in the calendar zone, at the instant given', () => {
    // 04:00 on 1 December in Moscow, still 30 November in New York.
    expect(startOfLastMonth(now, 'Europe/Moscow')).toBe('2026-11-01T00:00:00+03:00');
    expect(startOfLastMonth(now, 'America/New_York')).toBe('2026-10-01T00:00:00-04:00');
    expect(measureFromOfForm(typed('2026-01-01', 'last-month'), now, 'Europe/Paris')).toEqual({ measureFrom: '2026-11-01T00:00:00+01:00', errors: {} });
  });

  it('reads a day as its midnight on the calendar, an instant as typed, nothing as from the approval', () => {
    expect(measureFromOfForm(typed('2026-11-09'), now, 'Europe/Paris').measureFrom).toBe('2026-11-09T00:00:00+01:00');
    expect(measureFromOfForm(typed('2026-11-09T08:00:00Z'), now, 'Europe/Paris').measureFrom).toBe('2026-11-09T08:00:00Z');
    expect(measureFromOfForm(typed(''), now, 'Europe/Paris')).toEqual({ measureFrom: null, errors: {} });
    expect(measureFromOfForm(typed('2026-02-30'), now, 'Europe/Paris').errors.measureFrom).toHaveLength(1);
    expect(measureFromOfForm(typed('', 'last-year'), now, 'Europe/Paris').errors).toEqual({ measureFromShortcut: ['measureFromShortcut must be empty or last-month'] });
    expect(readForm({ measureFrom: ' 2026-11-09 ', measureFromShortcut: 'last-month' })).toMatchObject({ measureFrom: '2026-11-09', measureFromShortcut: 'last-month' });
  });
});

describe('the agreement form', () => {
  it('writes and reads attribute conditions', () => {
    expect(formatMatch({ score: ['hot', 'warm'], region: 'EU', size: 5 })).toBe('score=hot|warm, region=EU, size=5');
    expect(formatMatch(undefined)).toBe('');
    expect(parseMatch(' score = hot | warm , region=EU ')).toEqual({ match: { score: ['hot', 'warm'], region: 'EU' } });
    expect(parseMatch('')).toEqual({});
    expect(parseMatch('score').problem).toMatch(/attribute=value/);
    expect(parseMatch('=hot').problem).toMatch(/attribute=value/);
    expect(parseMatch('score=').problem).toMatch(/attribute=value/);
    expect(parseMatch('score=hot, score=warm').problem).toBe('names score twice');
  });

  it('gives back the stored terms it was opened on, unchanged', () => {
    const response = structuredClone(RESPONSE_EXAMPLE) as ResponseTerms;
    const values = formOfTerms('response', { name: 'Hot', calendarId: 'cal', stageId: null, response, quota: null }, parties);
    // The editor shows PT1H as a number and a unit; it gives the same ISO form back.
    expect(values.response.targets[0]).toEqual({ name: '', when: 'score=hot', within: '1', unit: 'hours' });
    expect(termsOfForm(values, 'response')).toEqual({ terms: { name: 'Hot', calendarId: 'cal', stageId: null, subjectLink: null, response }, errors: {} });

    const quota = formOfTerms('quota', { name: 'MQL', calendarId: 'cal', stageId: 's', response: null, quota: structuredClone(QUOTA_EXAMPLE) as never }, parties);
    expect(termsOfForm(quota, 'quota')).toEqual({ terms: { name: 'MQL', calendarId: 'cal', stageId: 's', subjectLink: null, quota: QUOTA_EXAMPLE }, errors: {} });
  });

  it('reads a post: trimmed, blank target rows dropped and the rest renumbered', () => {
    const values = readForm({
      name: '  Hot  ',
      kind: 'response',
      response: {
        startOn: { type: 'lead.handed_over', when: '' },
        targets: { 0: { name: '', when: '', within: '' }, 1: { name: '', when: 'score=hot', within: 'PT1H' }, 2: { within: 'P2D' } },
      },
    });
    expect(values.name).toBe('Hot');
    expect(values.response.targets).toEqual([
      { name: '', when: 'score=hot', within: 'PT1H', unit: '' },
      { name: '', when: '', within: 'P2D', unit: '' },
    ]);
    expect(values.quota).toEqual({ countOn: { type: '', when: '' }, period: '', minimum: '' });
    expect(targetRowsOf(values)).toHaveLength(4);
    expect(targetRowsOf(blankForm())).toHaveLength(3);
  });

  it('leaves what is missing or wrong for the API to name, and names what only the form can get wrong', () => {
    const values = blankForm();
    values.response.targets = [{ name: '', when: 'hot', within: '', unit: 'hours' }];
    values.response.goalPercent = 'lots';
    values.response.warnAtPercent = '';
    values.response.pauseOn = { type: 'lead.on_hold', when: '' };
    const { terms, errors } = termsOfForm(values, 'response');
    expect(terms).toEqual({
      name: '',
      calendarId: '',
      stageId: null,
      subjectLink: null,
      response: { startOn: { type: '' }, stopOn: { type: '' }, pauseOn: { type: 'lead.on_hold' }, targets: [{ within: '' }], goalPercent: 'lots' },
    });
    expect(Object.keys(errors)).toEqual(['response.targets[0].when']);

    values.quota = { countOn: { type: 'lead.mql', when: 'region=EU' }, period: 'month', minimum: '1,5' };
    expect(termsOfForm(values, 'quota').terms.quota).toEqual({ countOn: { type: 'lead.mql', when: { region: 'EU' } }, period: 'month', minimum: 1.5 });
  });

  it('puts each error next to the field that shows it', () => {
    const known = editorPaths(3);
    expect(
      foldErrors(
        {
          'response.targets[0].when.score': ['a'],
          'response.targets[1]': ['b'],
          'response.pauseOn': ['c'],
          'response.targets[0].within': ['d'],
          'response.targets[0].when': ['e'],
          elsewhere: ['f'],
          'response.targets[7].within': ['g'],
        },
        known,
      ),
    ).toEqual({
      'response.targets[0].when': ['a', 'e'],
      'response.targets[1]': ['b'],
      'response.pauseOn.type': ['c'],
      'response.targets[0].within': ['d'],
      elsewhere: ['f'],
      'response.targets': ['g'],
    });
  });

  it('counts days and periods in the reader’s time zone', () => {
    const now = new Date('2026-11-02T08:00:00Z');
    expect(previousQuarter(now, 'Europe/Paris')).toEqual({ from: '2026-07-01', to: '2026-09-30' });
    expect(previousQuarter(new Date('2026-01-01T00:30:00+01:00'), 'Europe/Paris')).toEqual({ from: '2025-10-01', to: '2025-12-31' });
    // Still 31 December in New York: the quarter before is the third.
    expect(previousQuarter(new Date('2027-01-01T01:00:00Z'), 'America/New_York')).toEqual({ from: '2026-07-01', to: '2026-09-30' });
    expect(periodAround(now, 'Europe/Paris', 'month')).toEqual({ from: '2026-11-01T00:00:00.000+01:00', to: '2026-12-01T00:00:00.000+01:00' });
    expect(periodAround(now, 'Europe/Paris', 'week').from).toBe('2026-11-02T00:00:00.000+01:00');
    expect(dayWindow({ from: '2026-07-01', to: '2026-09-30' }, 'Europe/Paris')).toEqual({
      window: { from: '2026-07-01T00:00:00.000+02:00', to: '2026-10-01T00:00:00.000+02:00' },
      errors: {},
    });
    expect(dayWindow({ from: '2026-02-30', to: 'soon' }, 'Europe/Paris').errors).toEqual({
      from: ['from must be a date such as 2026-07-01'],
      to: ['to must be a date such as 2026-07-01'],
    });
    expect(dayWindow({ from: '2026-09-30', to: '2026-07-01' }, 'Europe/Paris').errors).toEqual({ to: ['to must not be before from'] });
  });

  it('names windows as people read them', () => {
    expect(windowLabel({ from: '2026-07-01', to: '2026-09-30' })).toBe('Q3 2026');
    expect(windowLabel({ from: '2026-07-01', to: '2026-09-29' })).toBe('1 Jul 2026 – 29 Sep 2026');
  });
});

describe('durations as a number and a unit', () => {
  it('splits a stored single-unit target, keeps any other ISO form as it is', () => {
    expect(splitWithin('PT1H')).toEqual({ within: '1', unit: 'hours' });
    expect(splitWithin('P2D')).toEqual({ within: '2', unit: 'days' });
    expect(splitWithin('PT30M')).toEqual({ within: '30', unit: 'minutes' });
    expect(splitWithin('P1DT2H')).toEqual({ within: 'P1DT2H', unit: 'iso' });
    expect(splitWithin('')).toEqual({ within: '', unit: 'hours' });
  });

  it('joins a number and a unit into the ISO form the API keeps, and names a number that is not one', () => {
    expect(joinWithin('1', 'hours')).toEqual({ iso: 'PT1H' });
    expect(joinWithin('2', 'days')).toEqual({ iso: 'P2D' });
    expect(joinWithin('45', 'minutes')).toEqual({ iso: 'PT45M' });
    expect(joinWithin('P1DT2H', 'iso')).toEqual({ iso: 'P1DT2H' });
    expect(joinWithin('PT4H', '')).toEqual({ iso: 'PT4H' });
    expect(joinWithin('1.5', 'hours').problem).toMatch(/whole number of hours/);
    expect(joinWithin('0', 'days').problem).toMatch(/above 0/);
    expect(joinWithin('2', 'weeks').problem).toMatch(/unit must be one of/);
  });

  it('reads a posted number and unit as the ISO target, the error under the number', () => {
    const values = readForm({ kind: 'response', response: { targets: { 0: { within: '2', withinUnit: 'days' }, 1: { within: 'soon', withinUnit: 'hours' }, 2: { withinUnit: 'hours' } } } });
    expect(values.response.targets).toHaveLength(2);
    const { terms, errors } = termsOfForm(values, 'response');
    expect(terms.response?.targets[0].within).toBe('P2D');
    expect(errors['response.targets[1].within']).toEqual(['response.targets[1].within must be a whole number of hours above 0 (not "soon")']);
  });
});

describe('a conversion window as a number and a unit', () => {
  it('opens P10D as 10 business days, and posts them back as P10D; a bad number is named under the field', () => {
    const opened = formOfTerms('conversion', { name: 'C', calendarId: 'cal', stageId: null, response: null, quota: null, conversion: { fromStageId: 'a', toStageId: 'b', within: 'P10D', period: 'month', minimumPercent: 50 } }, { providerDepartmentId: 'p', consumerDepartmentId: 'c' });
    expect(opened.conversion).toMatchObject({ within: '10', withinUnit: 'days' });
    expect(termsOfForm(opened, 'conversion').terms.conversion).toEqual({ fromStageId: 'a', toStageId: 'b', within: 'P10D', period: 'month', minimumPercent: 50 });
    const posted = readForm({ kind: 'conversion', conversion: { fromStageId: 'a', toStageId: 'b', within: 'ten', withinUnit: 'days', period: 'month', minimumPercent: '50' } });
    expect(termsOfForm(posted, 'conversion').errors).toEqual({ 'conversion.within': ['conversion.within must be a whole number of days above 0 (not "ten")'] });
  });
});
