import { hoursOfProductionDay, isWeekendDate, shortenWorkingDay, weekdayIndexOf } from './production-days.js';

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
});
