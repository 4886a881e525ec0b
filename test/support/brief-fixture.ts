import type { SeededOrg } from './org-fixture.js';

/** Sales answers marketing's briefs within one working day; time with the requester (returned) does not count. */
export function briefsAnswered(org: SeededOrg, calendarId: string) {
  return {
    name: 'Briefs are answered within a working day',
    providerDepartmentId: org.sales.id,
    consumerDepartmentId: org.marketing.id,
    calendarId,
    response: {
      startOn: { type: 'brief.submitted', when: { recipient: 'sales' } },
      stopOn: { type: 'brief.accepted' },
      pauseOn: { type: 'brief.returned' },
      resumeOn: { type: 'brief.submitted' },
      cancelOn: { type: 'brief.cancelled' },
      targets: [{ name: 'brief', within: 'PT8H' }],
      goalPercent: 90,
    },
  };
}

/** Everything a submission needs. */
export function completeContent(approverId: string) {
  return {
    background: 'The spring launch has no qualified demand yet.',
    goals: [{ goal: 'Fill the pipeline for the launch', target: '120 SQLs by 31 March' }],
    vision: 'Sales calls every interested IT director within a week of the webinar.',
    keyMessage: 'Downtime costs more than our licence.',
    audience: { primary: 'IT directors of mid-sized manufacturers', secondary: 'Procurement' },
    deliverables: ['Call script', 'Follow-up email sequence'],
    channels: ['phone', 'email'],
    outOfScope: 'Trade shows',
    mandatoryElements: 'The new logo',
    deadline: '2026-12-15',
    milestones: [{ name: 'First draft', date: '2026-11-20' }],
    budget: { amount: 15000, currency: 'EUR', approved: true },
    successMetrics: [{ metric: 'Meetings booked', target: '≥ 40' }],
    stakeholders: ['Head of product'],
    approverId,
    links: ['https://wiki.example.com/spring-launch'],
  };
}
