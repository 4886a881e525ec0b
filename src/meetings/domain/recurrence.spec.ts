import { checkRecurrence, occurrences, RecurrenceError } from './recurrence.js';

const iso = (ms: number) => new Date(ms).toISOString();

describe('meeting recurrence', () => {
  it('keeps a monthly first-Tuesday 10:00 Paris meeting at 10:00 across the spring change', () => {
    const starts = occurrences({ rule: 'FREQ=MONTHLY;BYDAY=1TU;COUNT=4', startsOn: '2027-01-05T10:00', timezone: 'Europe/Paris' });
    expect(starts.map(iso)).toEqual(['2027-01-05T09:00:00.000Z', '2027-02-02T09:00:00.000Z', '2027-03-02T09:00:00.000Z', '2027-04-06T08:00:00.000Z']);
  });

  it('runs every two weeks and quarterly', () => {
    expect(occurrences({ rule: 'FREQ=WEEKLY;INTERVAL=2;COUNT=3', startsOn: '2026-11-03T14:00', timezone: 'UTC' }).map(iso)).toEqual([
      '2026-11-03T14:00:00.000Z',
      '2026-11-17T14:00:00.000Z',
      '2026-12-01T14:00:00.000Z',
    ]);
    expect(occurrences({ rule: 'FREQ=MONTHLY;INTERVAL=3;UNTIL=20271231T000000Z', startsOn: '2027-01-12T09:30', timezone: 'America/New_York' })).toHaveLength(4);
  });

  it.each([
    ['a rule that never ends', 'FREQ=MONTHLY;BYDAY=1TU', /never ends/],
    ['nonsense', 'EVERY MONTH', /not an RFC 5545/],
    ['a rule carrying its own start', 'DTSTART:20270105T100000Z;FREQ=DAILY;COUNT=2', /without DTSTART/],
    ['too many occurrences', 'FREQ=DAILY;COUNT=10000', /more than 500/],
    ['an hourly rule', 'FREQ=HOURLY;COUNT=3', /daily, weekly, monthly or yearly/],
  ])('refuses %s', (_case, rule, message) => {
    expect(() => checkRecurrence({ rule, startsOn: '2027-01-05T10:00', timezone: 'Europe/Paris' })).toThrow(RecurrenceError);
    expect(() => checkRecurrence({ rule, startsOn: '2027-01-05T10:00', timezone: 'Europe/Paris' })).toThrow(message);
  });

  it('refuses a start that is not a local date and time', () => {
    expect(() => checkRecurrence({ rule: 'FREQ=DAILY;COUNT=2', startsOn: '2027-02-30T10:00', timezone: 'UTC' })).toThrow(/local date and time/);
  });
});
