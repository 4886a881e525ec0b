import { findMissingForSubmission } from './brief-submission.js';

const COMPLETE = {
  background: 'No qualified demand yet.',
  goals: [{ goal: 'Fill the pipeline', target: '120 SQLs' }],
  vision: 'Every lead called within a week.',
  keyMessage: 'Downtime costs more.',
  audience: { primary: 'IT directors' },
  deliverables: ['Call script'],
  deadline: '2026-12-15',
  budget: { amount: 0, approved: false },
  successMetrics: [{ metric: 'Meetings', target: '40' }],
  approverId: '00000000-0000-4000-8000-000000000000',
};

describe('findMissingForSubmission', () => {
  it('accepts a complete brief, a budget of 0 not yet approved included', () => {
    expect(findMissingForSubmission(COMPLETE, '2026-12-15')).toEqual({});
  });

  it('names every missing field of an empty draft at once', () => {
    expect(Object.keys(findMissingForSubmission({}, '2026-11-02'))).toEqual([
      'content.background',
      'content.goals',
      'content.vision',
      'content.keyMessage',
      'content.audience.primary',
      'content.deliverables',
      'content.deadline',
      'content.budget',
      'content.successMetrics',
      'content.approverId',
    ]);
  });

  it('counts blank texts, empty lists and a budget without amount as missing', () => {
    const errors = findMissingForSubmission({ ...COMPLETE, vision: '  ', deliverables: [], budget: { amount: null, approved: true } }, '2026-11-02');
    expect(Object.keys(errors)).toEqual(['content.vision', 'content.deliverables', 'content.budget.amount']);
  });

  it('refuses a deadline before today, and only before', () => {
    expect(findMissingForSubmission(COMPLETE, '2026-12-16')).toEqual({
      'content.deadline': ['content.deadline 2026-12-15 is in the past (today is 2026-12-16 for the requesting department)'],
    });
  });
});
