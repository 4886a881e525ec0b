import { hoursOfDecreedWorkday, hoursOfProductionDay, isWeekendDate, shortenWorkingDay, weekdayIndexOf } from './production-days.js';

describe('production-calendar days', () => {
  it('shortens a day by its last working minutes', () => {
    expect(shortenWorkingDay([[540, 1080]], 60)).toEqual([[540, 1020]]);
    expect(shortenWorkingDay([[540, 780], [840, 1080]], 60)).toEqual([[540, 780], [840, 1020]]);
    // The last 30 minutes after lunch go entirely, then 30 minutes before lunch.
    expect(shortenWorkingDay([[540, 780], [810, 840]], 60)).toEqual([[540, 750]]);
    expect(shortenWorkingDay([[0, 1440]], 60)).toEqual([[0, 1380]]);
    expect(shortenWorkingDay([[540, 570]], 60)).toEqual([]);
    expect(shortenWorkingDay([], 60)).toEqual([]);
  });

  it('knows weekdays and weekends of dates', () => {
    expect(weekdayIndexOf('2025-11-01')).toBe(5);
    expect(weekdayIndexOf('2025-11-03')).toBe(0);
    expect(isWeekendDate('2025-11-02')).toBe(true);
    expect(isWeekendDate('2025-10-31')).toBe(false);
  });

  it('resolves each kind against a week', () => {
    const week = [[[540, 1080]], [[600, 1140]], [[540, 1080]], [[540, 1080]], [[540, 960]], [], []] as [number, number][][];
    expect(hoursOfProductionDay({ date: '2025-11-03', kind: 'closed' }, week)).toEqual([]);
    expect(hoursOfProductionDay({ date: '2025-11-01', kind: 'working' }, week)).toEqual([[540, 1080]]);
    expect(hoursOfProductionDay({ date: '2025-11-01', kind: 'working' }, week, 'tue')).toEqual([[600, 1140]]);
    expect(hoursOfProductionDay({ date: '2025-11-01', kind: 'short' }, week)).toEqual([[540, 1020]]);
    // A short Friday is that Friday's own hours less an hour.
    expect(hoursOfProductionDay({ date: '2025-03-07', kind: 'short' }, week)).toEqual([[540, 900]]);
  });

  it('opens a date the decree makes working with its own weekday hours, else workdayAs\'s, else the first weekday with hours', () => {
    // A shop open Tuesday to Saturday, 10:00–19:00 (Saturday 10:00–16:00): no Monday hours to copy.
    const shop = [[], [[600, 1140]], [[600, 1140]], [[600, 1140]], [[600, 1140]], [[600, 960]], []] as [number, number][][];
    // A working Saturday (t=3) and a short one (t=2) are its own Saturday, the latter an hour shorter; workdayAs does not matter.
    expect(hoursOfProductionDay({ date: '2024-04-27', kind: 'working' }, shop)).toEqual([[600, 960]]);
    expect(hoursOfProductionDay({ date: '2024-04-27', kind: 'working' }, shop, 'wed')).toEqual([[600, 960]]);
    expect(hoursOfProductionDay({ date: '2025-11-01', kind: 'short' }, shop)).toEqual([[600, 900]]);
    // A working Sunday: Sunday and Monday are closed, so Tuesday, the first weekday with hours.
    expect(hoursOfProductionDay({ date: '2025-11-02', kind: 'working' }, shop)).toEqual([[600, 1140]]);
    expect(hoursOfProductionDay({ date: '2025-11-02', kind: 'short' }, shop)).toEqual([[600, 1080]]);
    expect(hoursOfProductionDay({ date: '2025-11-02', kind: 'working' }, shop, 'sat')).toEqual([[600, 960]]);
    // A short weekday the shop keeps closed stays closed: the decree shortens working days, it opens none.
    expect(hoursOfProductionDay({ date: '2025-11-03', kind: 'short' }, shop)).toEqual([]);
    // Nothing to copy on a week with no hours at all.
    expect(hoursOfDecreedWorkday('2025-11-01', [[], [], [], [], [], [], []])).toEqual([]);
  });

  it('leaves a Monday-to-Friday week as it was: a decreed weekend working day takes workdayAs\'s hours', () => {
    const office = [[[540, 1080]], [[600, 1140]], [[540, 1080]], [[540, 1080]], [[540, 1080]], [], []] as [number, number][][];
    expect(hoursOfProductionDay({ date: '2024-04-27', kind: 'working' }, office)).toEqual([[540, 1080]]);
    expect(hoursOfProductionDay({ date: '2024-04-27', kind: 'working' }, office, 'tue')).toEqual([[600, 1140]]);
    expect(hoursOfProductionDay({ date: '2025-11-01', kind: 'short' }, office, 'tue')).toEqual([[600, 1080]]);
  });
});
