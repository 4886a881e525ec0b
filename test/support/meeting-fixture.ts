import type { SeededOrg } from './org-fixture.js';

/**
 * The joint meeting of the examples: monthly on the first Tuesday at 10:00 Paris time, the two
 * heads required, a sales member optional, a marketing member kept informed. Tests change what
 * their story needs.
 */
export function monthlyMeeting(org: SeededOrg, changes: Record<string, unknown> = {}) {
  return {
    title: 'Marketing & Sales monthly',
    departmentIds: [org.marketing.id, org.sales.id],
    timezone: 'Europe/Paris',
    startsOn: '2027-01-05T10:00',
    rrule: 'FREQ=MONTHLY;BYDAY=1TU;COUNT=4',
    durationMinutes: 60,
    chairId: org.marketingHead.id,
    participants: [
      { personId: org.marketingHead.id, role: 'required' },
      { personId: org.salesHead.id, role: 'required' },
      { personId: org.salesMember.id, role: 'optional' },
      { personId: org.marketingMember.id, role: 'informed' },
    ],
    ...changes,
  };
}
