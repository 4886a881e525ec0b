import ICAL from 'ical.js';
import { DateTime } from 'luxon';
import { seriesCalendar, untilInUtc } from './ics.js';
import { vtimezone } from './vtimezone.js';

function timezoneOf(text: string): InstanceType<typeof ICAL.Timezone> {
  const component = new ICAL.Component(ICAL.parse(`BEGIN:VCALENDAR\r\n${text}\r\nEND:VCALENDAR`)).getFirstSubcomponent('vtimezone');
  return new ICAL.Timezone(component as InstanceType<typeof ICAL.Component>);
}

describe('VTIMEZONE written from the tz data luxon uses', () => {
  it.each([
    'Europe/Paris',
    'America/New_York',
    'Australia/Sydney',
    'Pacific/Chatham',
    'America/Sao_Paulo',
    'Asia/Tehran',
    'Africa/Casablanca',
    'Europe/Dublin',
    'America/Santiago',
    'Asia/Kolkata',
    'UTC',
  ])('gives an independent parser (ical.js) the offsets of %s, day by day, 2018–2030', (zone) => {
    const timezone = timezoneOf(vtimezone(zone, 2018, 2030));
    const wrong: string[] = [];
    for (let day = DateTime.fromISO('2018-01-01T12:00', { zone }); day.year <= 2030; day = day.plus({ days: 1 })) {
      const time = ICAL.Time.fromData({ year: day.year, month: day.month, day: day.day, hour: 12, minute: 0, second: 0 }, timezone);
      if (time.toUnixTime() !== day.toSeconds()) wrong.push(`${day.toISO()} read as ${new Date(time.toUnixTime() * 1000).toISOString()}`);
    }
    expect(wrong).toEqual([]);
  });

  it('writes a yearly rule for a regular zone, and a single observance for a zone without changes', () => {
    const paris = vtimezone('Europe/Paris', 2027, 2027);
    expect(paris).toContain('BEGIN:DAYLIGHT\r\nDTSTART:20260329T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nTZNAME:CEST');
    expect(paris).toContain('BEGIN:STANDARD\r\nDTSTART:20261025T030000\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nTZNAME:CET');
    const tokyo = vtimezone('Asia/Tokyo', 2027, 2028);
    expect(tokyo.match(/BEGIN:STANDARD/g)).toHaveLength(1);
    expect(tokyo).toContain('TZOFFSETTO:+0900');
  });

  it('ends a rule with UNTIL when the zone changes its rules', () => {
    // The United States moved their change dates in 2007.
    const text = vtimezone('America/New_York', 2005, 2009);
    expect(text).toContain('RRULE:FREQ=YEARLY;BYMONTH=4;BYDAY=1SU;UNTIL=20060402T070000Z');
    expect(text).toContain('RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU\r\n');
  });
});

describe('a series as iCalendar', () => {
  const series = {
    id: '6b0c4a3e-2a4b-4a55-9d55-4f7c2e1d9a10',
    title: 'Marketing; Sales, "monthly"',
    timezone: 'Europe/Paris',
    startsOn: '2027-01-05T10:00',
    rrule: 'FREQ=MONTHLY;BYDAY=1TU;COUNT=4',
    durationMinutes: 60,
    location: 'Room Jupiter',
    sequence: 3,
  };
  const at = (iso: string) => new Date(iso);
  const meeting = (start: string, status: 'scheduled' | 'cancelled' = 'scheduled', movedTo?: string) => ({
    occurrenceStart: at(start),
    startsAt: at(movedTo ?? start),
    endsAt: new Date(at(movedTo ?? start).getTime() + 3_600_000),
    status,
  });
  const meetings = [
    meeting('2027-01-05T09:00:00Z'),
    meeting('2027-02-02T09:00:00Z', 'cancelled'),
    meeting('2027-03-02T09:00:00Z', 'scheduled', '2027-03-03T13:00:00Z'),
    meeting('2027-04-06T08:00:00Z'),
  ];
  const build = (method: 'REQUEST' | 'CANCEL') =>
    seriesCalendar({
      series,
      meetings,
      organizer: { name: 'Maëlle "Chair" Head', email: 'maelle@example.com' },
      sentBy: 'concord@example.com',
      attendees: [
        { name: 'Samir Head', email: 'samir@example.com', role: 'required' },
        { name: 'Sofia Member', email: 'sofia@example.com', role: 'optional' },
      ],
      method,
      stamp: at('2026-12-01T09:00:00Z'),
    });

  it('writes the master, the EXDATE and the override, every line at most 75 octets', () => {
    const text = build('REQUEST');
    expect(text).toMatch(/^BEGIN:VCALENDAR\r\n/);
    expect(text).toContain('METHOD:REQUEST');
    expect(text.match(/^UID:6b0c4a3e-2a4b-4a55-9d55-4f7c2e1d9a10@concord$/gm)).toHaveLength(2);
    expect(text).toContain('DTSTART;TZID=Europe/Paris:20270105T100000\r\nDTEND;TZID=Europe/Paris:20270105T110000');
    expect(text).toContain('RRULE:FREQ=MONTHLY;BYDAY=1TU;COUNT=4\r\nEXDATE;TZID=Europe/Paris:20270202T100000');
    expect(text).toContain('RECURRENCE-ID;TZID=Europe/Paris:20270302T100000');
    expect(text).toContain('DTSTART;TZID=Europe/Paris:20270303T140000');
    expect(text).toContain('SUMMARY:Marketing\\; Sales\\, "monthly"');
    expect(text.replace(/\r\n /g, '')).toContain(`ORGANIZER;CN="Maëlle 'Chair' Head";SENT-BY="mailto:concord@example.com":mailto:maelle@example.com`);
    expect(text.replace(/\r\n /g, '')).toContain('ROLE=OPT-PARTICIPANT');
    for (const line of text.split('\r\n')) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
  });

  it('cancels the whole series with METHOD:CANCEL and the same UID', () => {
    const text = build('CANCEL');
    expect(text).toContain('METHOD:CANCEL');
    expect(text).toContain('STATUS:CANCELLED');
    expect(text).toContain('SEQUENCE:3');
    expect(text).not.toContain('RECURRENCE-ID');
  });

  it('writes a local UNTIL as the UTC instant RFC 5545 asks for', () => {
    expect(untilInUtc('FREQ=WEEKLY;UNTIL=20270302T100000', 'Europe/Paris')).toBe('FREQ=WEEKLY;UNTIL=20270302T090000Z');
    expect(untilInUtc('FREQ=WEEKLY;UNTIL=20270701;BYDAY=MO', 'Europe/Paris')).toBe('FREQ=WEEKLY;UNTIL=20270630T220000Z;BYDAY=MO');
  });
});
