import { isInstant } from './instant.validator.js';

describe('isInstant', () => {
  it.each([
    '2026-11-02T09:15:00+01:00',
    '2026-11-02T09:15:00Z',
    '2026-11-02T09:15Z',
    '2026-11-02T09:15:00.123Z',
    '2026-11-02T09:15:00.123456789-05:00',
    '2026-11-02T09:15:00+0530',
    '2028-02-29T00:00:00Z',
  ])('accepts %s', (value) => expect(isInstant(value)).toBe(true));

  it.each([
    '2026-11-02T09:15:00',
    '2026-11-02 09:15:00Z',
    '2026-02-29T09:15:00Z',
    '2026-04-31T09:15:00Z',
    '2026-13-01T09:15:00Z',
    '2026-11-02T24:00:00Z',
    '2026-11-02T09:60:00Z',
    '2026-11-02T09:15:61Z',
    '2026-11-02T09:15:00+25:00',
    '2026-11-02',
    'yesterday',
    '',
  ])('refuses %s', (value) => expect(isInstant(value)).toBe(false));

  it('refuses what is not a string', () => {
    expect(isInstant(1793607300000)).toBe(false);
    expect(isInstant(null)).toBe(false);
  });
});
