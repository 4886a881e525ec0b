import { DurationError, isBusinessDuration, parseBusinessDuration } from './business-duration.js';

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
