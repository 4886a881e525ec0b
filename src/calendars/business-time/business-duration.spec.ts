import { describeBusinessDuration, DurationError, isBusinessDuration, parseBusinessDuration } from './business-duration.js';

describe('parseBusinessDuration', () => {
  it.each([
    ['PT1H', { days: 0, seconds: 3600 }],
    ['PT19H', { days: 0, seconds: 19 * 3600 }],
    ['PT90M', { days: 0, seconds: 5400 }],
    ['PT45S', { days: 0, seconds: 45 }],
    ['PT1H2M3S', { days: 0, seconds: 3723 }],
    ['P2D', { days: 2, seconds: 0 }],
    ['P1DT4H30M', { days: 1, seconds: 4.5 * 3600 }],
  ])('reads %s', (text, expected) => {
    expect(parseBusinessDuration(text)).toEqual(expected);
  });

  it.each([
    ['PT0S', /zero/],
    ['P0D', /zero/],
    ['-PT1H', /negative/],
    ['PT-1H', /negative/],
    ['PT1.5H', /fraction/],
    ['P1M', /years, months or weeks/],
    ['P1W', /years, months or weeks/],
    ['P1Y', /years, months or weeks/],
    ['1 hour', /not an ISO 8601 duration/],
    ['PT', /not an ISO 8601 duration/],
    ['P', /not an ISO 8601 duration/],
    ['P1DT', /not an ISO 8601 duration/],
    ['pt1h', /not an ISO 8601 duration/],
    ['', /ISO 8601 duration/],
    ['P5000D', /longer than/],
  ])('refuses %s', (text, message) => {
    expect(() => parseBusinessDuration(text)).toThrow(DurationError);
    expect(() => parseBusinessDuration(text)).toThrow(message);
  });

  it('answers validators without throwing', () => {
    expect(isBusinessDuration('PT4H')).toBe(true);
    expect(isBusinessDuration('PT0S')).toBe(false);
    expect(isBusinessDuration(4)).toBe(false);
  });
});

describe('describeBusinessDuration', () => {
  it.each([
    ['PT1H', '1 working hour'],
    ['PT4H', '4 working hours'],
    ['PT30M', '30 working minutes'],
    ['PT1M', '1 working minute'],
    ['PT45S', '45 working seconds'],
    ['PT4H30M', '4 h 30 min of working time'],
    ['PT90M', '1 h 30 min of working time'],
    ['PT1H2M3S', '1 h 2 min 3 s of working time'],
    ['P1D', '1 business day'],
    ['P2D', '2 business days'],
    ['P1DT2H', '1 business day and 2 working hours'],
    ['P1DT4H30M', '1 business day and 4 h 30 min of working time'],
  ])('says %s as "%s"', (text, words) => {
    expect(describeBusinessDuration(text)).toBe(words);
  });

  it('refuses what the parser refuses', () => {
    expect(() => describeBusinessDuration('P1M')).toThrow(DurationError);
  });
});
