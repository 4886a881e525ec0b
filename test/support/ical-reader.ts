import ICAL from 'ical.js';
import type { ParsedMail } from 'mailparser';

/** Reading iCalendar as calendar clients do, with ical.js alone: for the tests of invitations and feeds. */

type Component = InstanceType<typeof ICAL.Component>;

/** An iCalendar text read by ical.js alone: its VTIMEZONEs registered, the master and its overrides related. */
export function readCalendar(text: string) {
  const root = new ICAL.Component(ICAL.parse(text));
  for (const zone of root.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(zone);
  const events = root.getAllSubcomponents('vevent');
  const master = events.find((event) => !event.hasProperty('recurrence-id')) as Component;
  const overrides = events.filter((event) => event.hasProperty('recurrence-id'));
  const event = new ICAL.Event(master, { strictExceptions: true, exceptions: overrides });
  return {
    root,
    master,
    overrides,
    event,
    method: root.getFirstPropertyValue('method'),
    timezones: root.getAllSubcomponents('vtimezone').map((zone) => zone.getFirstPropertyValue('tzid')),
    attendees: master.getAllProperties('attendee').map((p) => ({ address: String(p.getFirstValue()).replace(/^mailto:/i, '').toLowerCase(), role: p.getParameter('role') })),
  };
}

/** Every occurrence the calendar gives, as ical.js expands it: the instant, and the local time with its zone. */
export function occurrencesOf(calendar: ReturnType<typeof readCalendar>) {
  const iterator = calendar.event.iterator();
  const result: { utc: string; local: string; zone: string; recurrenceId: string }[] = [];
  for (let next = iterator.next(); next; next = iterator.next()) {
    const details = calendar.event.getOccurrenceDetails(next);
    result.push({
      utc: details.startDate.toJSDate().toISOString(),
      local: details.startDate.toString(),
      zone: details.startDate.zone?.tzid ?? '',
      recurrenceId: details.recurrenceId.toString(),
    });
  }
  return result;
}

/**
 * The invitation as calendar clients read it: the text/calendar alternative of the message (what
 * Outlook and Gmail offer to accept), and the same calendar attached as a file to open elsewhere.
 */
export function invitationOf(mail: ParsedMail) {
  const alternative = mail.attachments.find((a) => a.contentType === 'text/calendar');
  if (!alternative) throw new Error(`no text/calendar part in "${mail.subject}"`);
  const attachment = mail.attachments.find((a) => a.contentType === 'application/ics');
  if (!attachment) throw new Error(`no .ics attachment in "${mail.subject}"`);
  expect(attachment.content.toString('utf8')).toBe(alternative.content.toString('utf8'));
  const contentType = alternative.headers.get('content-type') as { value: string; params: Record<string, string> };
  return { attachment, params: contentType.params, calendar: readCalendar(alternative.content.toString('utf8')) };
}
