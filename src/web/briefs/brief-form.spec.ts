import type { Actor } from '../../access/actor.js';
import { actionsFor, briefRequestOf, errorsForForm, formValuesOf, numberedRows, withBlankRows } from './brief-form.js';

const MARKETING = 'marketing-id';
const SALES = 'sales-id';

function actor(role: 'admin' | 'head' | 'member', departmentId: string | null): Actor {
  return { personId: 'p', email: 'p@example.com', role, departmentId, tokenId: 'session:x', scope: 'full' };
}

/** A form post as qs parses it: nested objects, rows keyed by index, every field a string. */
const POSTED = {
  title: '  Spring launch ',
  recipientDepartmentId: SALES,
  content: {
    background: 'No demand yet.',
    goals: [
      { goal: 'Fill the pipeline', target: '120 SQLs' },
      { goal: '', target: '' },
      { goal: 'Half a row', target: '  ' },
    ],
    vision: '',
    keyMessage: 'Downtime costs more.',
    audience: { primary: 'IT directors', secondary: '' },
    deliverables: 'Call script\r\n\r\n  Email sequence  ',
    channels: '',
    outOfScope: '',
    mandatoryElements: '',
    deadline: '2026-12-15',
    milestones: [{ name: '', date: '' }],
    budget: { amount: '15 000', currency: 'eur', approved: 'true' },
    successMetrics: { 0: { metric: 'Meetings', target: '40' } },
    stakeholders: '',
    approverId: '',
    links: 'https://wiki.example.com/a',
  },
};

describe('briefRequestOf', () => {
  it('turns a posted form into the API request: blanks cleared with null, lines and filled rows as lists', () => {
    expect(briefRequestOf(POSTED)).toEqual({
      title: 'Spring launch',
      recipientDepartmentId: SALES,
      content: {
        background: 'No demand yet.',
        goals: [
          { goal: 'Fill the pipeline', target: '120 SQLs' },
          { goal: 'Half a row', target: '' },
        ],
        vision: null,
        keyMessage: 'Downtime costs more.',
        audience: { primary: 'IT directors', secondary: null },
        deliverables: ['Call script', 'Email sequence'],
        channels: null,
        outOfScope: null,
        mandatoryElements: null,
        deadline: '2026-12-15',
        milestones: null,
        budget: { amount: '15 000', currency: 'EUR', approved: true },
        successMetrics: [{ metric: 'Meetings', target: '40' }],
        stakeholders: null,
        approverId: null,
        links: ['https://wiki.example.com/a'],
      },
    });
  });

  it('reads a budget amount as a number, and clears a budget left entirely blank', () => {
    const amount = (value: string) => (briefRequestOf({ content: { budget: { amount: value, currency: 'EUR' } } }).content.budget as { amount: unknown }).amount;
    expect(amount('1500,50')).toBe(1500.5);
    expect(amount('0')).toBe(0);
    expect(amount('')).toBeNull();
    expect(briefRequestOf({ content: { budget: { amount: ' ', currency: '' } } }).content.budget).toBeNull();
    expect(briefRequestOf({ content: { budget: { amount: '', approved: 'true' } } }).content.budget).toEqual({ amount: null, currency: null, approved: true });
  });

  it('sends a title left blank as empty (for the validator to name) and an absent form as an empty draft', () => {
    const request = briefRequestOf(undefined);
    expect(request.title).toBe('');
    expect(request.recipientDepartmentId).toBeUndefined();
    expect(Object.values(request.content).every((value) => value === null)).toBe(true);
    expect(briefRequestOf({ requesterDepartmentId: ' ', recipientDepartmentId: '' })).toMatchObject({ recipientDepartmentId: '' });
    expect(briefRequestOf({ requesterDepartmentId: MARKETING }).requesterDepartmentId).toBe(MARKETING);
  });
});

describe('formValuesOf', () => {
  it('shows a stored brief in the form: lists one per line, absent fields blank', () => {
    const values = formValuesOf({
      title: 'T',
      requesterDepartmentId: MARKETING,
      recipientDepartmentId: SALES,
      content: { deliverables: ['A', 'B'], budget: { amount: 0, currency: null, approved: false }, goals: [{ goal: 'G', target: 'X' }] },
    });
    expect(values.content.deliverables).toBe('A\nB');
    expect(values.content.budget).toEqual({ amount: '0', currency: '', approved: false });
    expect(values.content.goals).toEqual([{ goal: 'G', target: 'X' }]);
    expect(values.content.background).toBe('');
    expect(values.content.audience).toEqual({ primary: '', secondary: '' });
  });

  it('shows a refused post again as typed', () => {
    const values = formValuesOf(briefRequestOf({ ...POSTED, content: { ...POSTED.content, budget: { amount: 'lots', approved: 'true' }, deadline: '2026-02-30' } }));
    expect(values.title).toBe('Spring launch');
    expect(values.content.budget).toEqual({ amount: 'lots', currency: '', approved: true });
    expect(values.content.deadline).toBe('2026-02-30');
    expect(values.content.goals[1]).toEqual({ goal: 'Half a row', target: '' });
    expect(values.content.deliverables).toBe('Call script\nEmail sequence');
  });
});

describe('withBlankRows and numberedRows', () => {
  it('offers at least three rows, and always two blank ones after the filled', () => {
    expect(withBlankRows([], { a: '' })).toHaveLength(3);
    expect(withBlankRows([{ a: '1' }, { a: '2' }], { a: '' })).toEqual([{ a: '1' }, { a: '2' }, { a: '' }, { a: '' }]);
  });

  it('names each cell by its API path, numbers labels from 1, and hints and requires the first row only', () => {
    const rows = numberedRows('content.goals', 2, [{ key: 'target', label: (n) => `Target of goal ${n}`, hint: 'how it is measured' }], true);
    expect(rows).toEqual([
      { number: 1, cells: [{ name: 'content.goals[0].target', label: 'Target of goal 1', hint: 'how it is measured', type: 'text', required: true }] },
      { number: 2, cells: [{ name: 'content.goals[1].target', label: 'Target of goal 2', hint: null, type: 'text', required: false }] },
    ]);
  });
});

describe('errorsForForm', () => {
  it('shows errors about a whole list or group at its first control, others where they are', () => {
    expect(
      errorsForForm({
        'content.goals': ['goals missing'],
        'content.budget': ['budget missing'],
        'content.successMetrics': ['metrics missing'],
        'content.goals[1].target': ['target too short'],
        title: ['title too short'],
      }),
    ).toEqual({
      'content.goals[0].goal': ['goals missing'],
      'content.budget.amount': ['budget missing'],
      'content.successMetrics[0].metric': ['metrics missing'],
      'content.goals[1].target': ['target too short'],
      title: ['title too short'],
    });
  });

  it('is null when there is nothing to show', () => {
    expect(errorsForForm(null)).toBeNull();
    expect(errorsForForm({})).toBeNull();
  });
});

describe('actionsFor', () => {
  const brief = (status: 'draft' | 'submitted' | 'returned' | 'accepted' | 'in_progress' | 'done' | 'cancelled') => ({
    status,
    requesterDepartmentId: MARKETING,
    recipientDepartmentId: SALES,
  });
  const allowed = (who: Actor, status: Parameters<typeof brief>[0]) =>
    Object.entries(actionsFor(who, brief(status)))
      .filter(([, yes]) => yes)
      .map(([name]) => name);

  it('lets the requesting department edit, submit and cancel a draft, and comment', () => {
    expect(allowed(actor('member', MARKETING), 'draft')).toEqual(['edit', 'submit', 'cancel', 'comment']);
    expect(allowed(actor('member', MARKETING), 'returned')).toEqual(['edit', 'submit', 'cancel', 'comment']);
    expect(allowed(actor('member', MARKETING), 'submitted')).toEqual(['cancel', 'comment']);
  });

  it('offers accepting and returning to the head of the recipient department alone', () => {
    expect(allowed(actor('head', SALES), 'submitted')).toEqual(['accept', 'return', 'comment']);
    expect(allowed(actor('member', SALES), 'submitted')).toEqual(['comment']);
    expect(allowed(actor('head', MARKETING), 'submitted')).toEqual(['cancel', 'comment']);
    expect(allowed(actor('admin', null), 'submitted')).toEqual(['cancel', 'comment']);
  });

  it('lets the recipient department start and complete the work', () => {
    expect(allowed(actor('member', SALES), 'accepted')).toEqual(['start', 'comment']);
    expect(allowed(actor('member', SALES), 'in_progress')).toEqual(['complete', 'comment']);
    expect(allowed(actor('member', MARKETING), 'done')).toEqual(['comment']);
  });

  it('offers nothing but reading to someone of neither department', () => {
    expect(allowed(actor('head', 'finance-id'), 'submitted')).toEqual([]);
  });
});
