import { blankSeriesForm, instantOfLocal, recurrenceRule, seriesFormErrors, seriesFormValuesOf, seriesRequestOf, weekdayOrdinal } from './series-form.js';

// 2027-01-05 is the first Tuesday of January 2027.
const FIRST_TUESDAY = '2027-01-05T10:00';

describe('recurrenceRule', () => {
  it('monthly: the same weekday and ordinal as the first meeting', () => {
    expect(recurrenceRule('monthly', FIRST_TUESDAY, { count: '12' })).toEqual({ rule: 'FREQ=MONTHLY;BYDAY=1TU;COUNT=12', errors: {} });
    expect(recurrenceRule('monthly', '2027-01-21T09:30', { count: '3' }).rule).toBe('FREQ=MONTHLY;BYDAY=3TH;COUNT=3');
    expect(recurrenceRule('monthly', '2027-01-28T09:30', { count: '3' }).rule).toBe('FREQ=MONTHLY;BYDAY=4TH;COUNT=3');
  });

  it('monthly from a fifth weekday: the last one of the month, which every month has', () => {
    // 2027-03-30 is the fifth (and last) Tuesday of March 2027.
    expect(recurrenceRule('monthly', '2027-03-30T10:00', { count: '6' }).rule).toBe('FREQ=MONTHLY;BYDAY=-1TU;COUNT=6');
    expect(weekdayOrdinal(29)).toBe(-1);
    expect(weekdayOrdinal(28)).toBe(4);
    expect(weekdayOrdinal(1)).toBe(1);
    expect(weekdayOrdinal(7)).toBe(1);
    expect(weekdayOrdinal(8)).toBe(2);
  });

  it('every two weeks, weekly and quarterly', () => {
    expect(recurrenceRule('biweekly', FIRST_TUESDAY, { count: '10' }).rule).toBe('FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;COUNT=10');
    expect(recurrenceRule('weekly', '2027-01-08T16:00', { count: '10' }).rule).toBe('FREQ=WEEKLY;BYDAY=FR;COUNT=10');
    expect(recurrenceRule('quarterly', FIRST_TUESDAY, { count: '4' }).rule).toBe('FREQ=MONTHLY;INTERVAL=3;BYDAY=1TU;COUNT=4');
    expect(recurrenceRule('monthly', '2027-01-03T10:00', { count: '2' }).rule).toBe('FREQ=MONTHLY;BYDAY=1SU;COUNT=2');
  });

  it('UNTIL: the whole last day included, on the wall-clock times the rules are matched on', () => {
    expect(recurrenceRule('monthly', FIRST_TUESDAY, { count: '', until: '2027-12-31' })).toEqual({
      rule: 'FREQ=MONTHLY;BYDAY=1TU;UNTIL=20271231T235959Z',
      errors: {},
    });
  });

  it('refuses a series that never ends, both ends at once, and ends that are not numbers or dates', () => {
    expect(recurrenceRule('monthly', FIRST_TUESDAY, { count: '', until: '' })).toEqual({ rule: null, errors: { count: [expect.stringMatching(/must end/)] } });
    expect(recurrenceRule('monthly', FIRST_TUESDAY, { count: '4', until: '2027-12-31' }).errors).toEqual({ until: [expect.stringMatching(/not both/)] });
    expect(recurrenceRule('monthly', FIRST_TUESDAY, { count: '0' }).errors).toHaveProperty('count');
    expect(recurrenceRule('monthly', FIRST_TUESDAY, { count: '501' }).errors).toHaveProperty('count');
    expect(recurrenceRule('monthly', FIRST_TUESDAY, { count: '2.5' }).errors).toHaveProperty('count');
    expect(recurrenceRule('monthly', FIRST_TUESDAY, { until: '2027-02-30' }).errors).toHaveProperty('until');
    expect(recurrenceRule('monthly', FIRST_TUESDAY, { until: 'soon' }).errors).toHaveProperty('until');
  });

  it('leaves a first meeting of the wrong shape to the API, and names a day that does not exist', () => {
    expect(recurrenceRule('monthly', 'next Tuesday', { count: '4' })).toEqual({ rule: null, errors: {} });
    expect(recurrenceRule('monthly', '2027-02-30T10:00', { count: '4' })).toEqual({ rule: null, errors: { startsOn: [expect.stringMatching(/must be a local date and time/)] } });
  });

  it('custom: taken as typed, the end of the form added only to a rule without one', () => {
    expect(recurrenceRule('custom', FIRST_TUESDAY, { count: '' }, ' RRULE:FREQ=MONTHLY;BYDAY=-1TH;COUNT=6 ').rule).toBe('FREQ=MONTHLY;BYDAY=-1TH;COUNT=6');
    expect(recurrenceRule('custom', FIRST_TUESDAY, { count: '4' }, 'FREQ=MONTHLY;BYDAY=-1TH;COUNT=6').rule).toBe('FREQ=MONTHLY;BYDAY=-1TH;COUNT=6');
    expect(recurrenceRule('custom', FIRST_TUESDAY, { count: '4' }, 'FREQ=DAILY;').rule).toBe('FREQ=DAILY;COUNT=4');
    // Never ending: sent as typed, for the API to refuse as it does over HTTP.
    expect(recurrenceRule('custom', FIRST_TUESDAY, { count: '' }, 'FREQ=MONTHLY;BYDAY=1TU')).toEqual({ rule: 'FREQ=MONTHLY;BYDAY=1TU', errors: {} });
    expect(recurrenceRule('custom', FIRST_TUESDAY, { count: '' }, '  ').errors).toHaveProperty('rrule');
  });

  it('an unknown preset is named on the select', () => {
    expect(recurrenceRule('fortnightly', FIRST_TUESDAY, { count: '4' }).errors).toHaveProperty('recurrence');
  });
});

describe('seriesRequestOf and seriesFormValuesOf', () => {
  const posted = {
    title: ' Marketing & Sales ',
    departmentIds: ['m', 's'],
    timezone: 'Europe/Paris ',
    startsOn: FIRST_TUESDAY,
    recurrence: 'monthly',
    rrule: '',
    count: '4',
    until: '',
    durationMinutes: '45',
    location: '',
    chairId: 'p1',
    minuteTakerId: '',
    participants: [
      { personId: 'p1', role: 'required' },
      { personId: 'p2', role: 'none' },
      { personId: 'p3', role: 'informed' },
    ],
    agendaTemplate: 'Campaign calendar\r\n\r\n Any other business ',
    quorum: { rule: 'heads' },
  };

  it('turns a post into CreateSeriesDto: rule made, people not invited left out, blanks as null', () => {
    const typed = seriesRequestOf(seriesFormValuesOf(posted));
    expect(typed.request).toEqual({
      title: 'Marketing & Sales',
      departmentIds: ['m', 's'],
      timezone: 'Europe/Paris',
      startsOn: FIRST_TUESDAY,
      rrule: 'FREQ=MONTHLY;BYDAY=1TU;COUNT=4',
      durationMinutes: 45,
      location: null,
      chairId: 'p1',
      minuteTakerId: null,
      participants: [
        { personId: 'p1', role: 'required' },
        { personId: 'p3', role: 'informed' },
      ],
      agendaTemplate: ['Campaign calendar', 'Any other business'],
      quorum: { rule: 'heads' },
    });
    expect(typed.participantRows).toEqual([0, 2]);
    expect(typed.errors).toEqual({});
  });

  it('sends the calendar and what to do on its closed days; without a calendar, only a choice other than the default, for the API to name', () => {
    const onCalendar = seriesRequestOf(seriesFormValuesOf({ ...posted, calendarId: ' cal-1 ', onClosedDay: 'next-open-day' }));
    expect(onCalendar.request).toMatchObject({ calendarId: 'cal-1', onClosedDay: 'next-open-day' });
    const none = seriesRequestOf(seriesFormValuesOf({ ...posted, calendarId: '', onClosedDay: 'keep' })).request;
    expect(none).not.toHaveProperty('calendarId');
    expect(none).not.toHaveProperty('onClosedDay');
    expect(seriesRequestOf(seriesFormValuesOf({ ...posted, calendarId: '', onClosedDay: 'skip' })).request).toMatchObject({ onClosedDay: 'skip' });
    const values = seriesFormValuesOf({ ...posted, onClosedDay: 'skip' });
    expect(seriesFormErrors({ onClosedDay: ['onClosedDay needs a calendarId'] }, seriesRequestOf(values), values)).toEqual({ onClosedDay: ['onClosedDay needs a calendarId'] });
  });

  it('reads a single ticked department, and keeps what was typed for the form', () => {
    const values = seriesFormValuesOf({ ...posted, departmentIds: 'm', durationMinutes: 'an hour' });
    expect(values.departmentIds).toEqual(['m']);
    expect(values.durationMinutes).toBe('an hour');
    expect(seriesRequestOf(values).request.durationMinutes).toBe('an hour');
    expect(seriesFormValuesOf({}).participants).toEqual([]);
  });

  it('moves the API error paths to the controls of the form', () => {
    const values = seriesFormValuesOf(posted);
    const typed = seriesRequestOf(values);
    expect(
      seriesFormErrors(
        { 'participants[1].personId': ['person x does not exist'], 'agendaTemplate[0]': ['too long'], 'departmentIds': ['two at least'], title: ['empty'], rrule: ['never ends'] },
        typed,
        values,
      ),
    ).toEqual({
      'participants[2].role': ['person x does not exist'],
      agendaTemplate: ['too long'],
      departmentIds: ['two at least'],
      title: ['empty'],
      count: ['never ends'],
    });
    expect(seriesFormErrors({ participants: ['at least one'] }, typed, values)).toEqual({ 'participants[0].role': ['at least one'] });
    const custom = seriesFormValuesOf({ ...posted, recurrence: 'custom', rrule: 'every month', count: '' });
    expect(seriesFormErrors({ rrule: ['not a rule'] }, seriesRequestOf(custom), custom)).toEqual({ rrule: ['not a rule'] });
  });

  it('the form’s own finding on the end wins over the API’s complaint of a missing rule', () => {
    const values = seriesFormValuesOf({ ...posted, count: '' });
    const typed = seriesRequestOf(values);
    expect(typed.request).not.toHaveProperty('rrule');
    expect(seriesFormErrors({ rrule: ['rrule must be a string'] }, typed, values)).toEqual({ count: [expect.stringMatching(/must end/)] });
  });

  it('a blank form: the heads required, everyone else not invited', () => {
    const blank = blankSeriesForm([{ id: 'h', departmentId: 'm' }, { id: 'x', departmentId: 'm' }], ['h'], ['m', 's'], 'Europe/Paris', 'h');
    expect(blank.participants).toEqual([
      { personId: 'h', role: 'required' },
      { personId: 'x', role: 'none' },
    ]);
    expect(blank).toMatchObject({ departmentIds: ['m', 's'], timezone: 'Europe/Paris', chairId: 'h', recurrence: 'monthly', count: '12', quorum: { rule: 'heads' } });
    expect(blank).toMatchObject({ calendarId: '', onClosedDay: 'keep' });
  });
});

describe('instantOfLocal', () => {
  it('reads the local time in the series zone, winter and summer', () => {
    expect(instantOfLocal('2027-03-03T14:00', 'Europe/Paris')).toBe('2027-03-03T14:00:00+01:00');
    expect(instantOfLocal('2027-07-06T14:00', 'Europe/Paris')).toBe('2027-07-06T14:00:00+02:00');
    expect(instantOfLocal('2027-07-06T14:00', 'America/New_York')).toBe('2027-07-06T14:00:00-04:00');
  });

  it('is null for what is no local date and time', () => {
    expect(instantOfLocal('', 'Europe/Paris')).toBeNull();
    expect(instantOfLocal('tomorrow', 'Europe/Paris')).toBeNull();
    expect(instantOfLocal('2027-02-30T10:00', 'Europe/Paris')).toBeNull();
  });
});
