import type { Actor } from '../../access/actor.js';
import type { BriefDetailView } from '../../briefs/briefs.dto.js';
import { NotFoundError } from '../../common/errors.js';
import { Directory } from '../directory.js';
import { formValuesOf } from './brief-form.js';
import {
  approverOptions,
  formTitle,
  listSections,
  missingFields,
  peopleNamedBy,
  presentDetail,
  presentForm,
  presentList,
  requesterToday,
  type BriefDirectory,
} from './brief.view.js';

const MARKETING = 'dep-marketing';
const SALES = 'dep-sales';

const directory: BriefDirectory = new Directory(
  [
    { id: 'p-maelle', name: 'Maëlle', departmentId: MARKETING },
    { id: 'p-samir', name: 'Samir', departmentId: SALES },
    { id: 'p-ada', name: 'Ada', departmentId: null },
  ],
  [
    { id: MARKETING, name: 'Marketing', timezone: 'Europe/Paris' },
    { id: SALES, name: 'Sales', timezone: 'America/New_York' },
  ],
);

function actor(role: Actor['role'], departmentId: string | null, personId = 'p-maelle'): Actor {
  return { personId, email: `${personId}@example.com`, role, departmentId, tokenId: 'session:test', scope: 'full' };
}

function brief(extra: Partial<BriefDetailView> = {}): BriefDetailView {
  return {
    id: 'b1',
    title: 'Spring launch',
    status: 'draft',
    requesterDepartmentId: MARKETING,
    recipientDepartmentId: SALES,
    content: { background: 'No demand yet.', deadline: '2026-12-15' },
    createdBy: 'p-maelle',
    createdAt: '2026-11-01T08:00:00.000Z',
    updatedAt: '2026-11-02T08:00:00.000Z',
    submittedAt: null,
    thread: [],
    ...extra,
  };
}

describe('the list', () => {
  it("shows a head the briefs filed by and received by their department, under its name", () => {
    expect(listSections(MARKETING, directory).map((section) => [section.id, section.heading, section.query])).toEqual([
      ['filed', 'Filed by Marketing', { requesterDepartmentId: MARKETING }],
      ['received', 'Received by Marketing', { recipientDepartmentId: MARKETING }],
    ]);
    expect(listSections('dep-unknown', directory)[0].heading).toBe('Filed by my department');
    expect(listSections(null, directory)).toEqual([{ id: 'all', heading: 'All briefs', query: {} }]);
  });

  it('names both departments of each brief, and says when a list has more than shown', () => {
    const view = presentList({
      typed: 'draft',
      errors: null,
      sections: [{ id: 'filed', heading: 'Filed by Marketing', page: { items: [brief()], total: 3 } }],
      directory,
      zone: 'Europe/Paris',
      limit: 200,
    });
    expect(view.values).toEqual({ status: 'draft' });
    expect(view.statusOptions[0]).toEqual({ value: '', label: 'All statuses' });
    expect(view.statusOptions).toContainEqual({ value: 'in_progress', label: 'In progress' });
    expect(view.sections[0]).toMatchObject({ id: 'filed', total: 3, more: true });
    expect(view.sections[0].briefs).toEqual([
      { id: 'b1', title: 'Spring launch', statusLabel: 'Draft', tone: expect.any(String), requester: 'Marketing', recipient: 'Sales', deadline: '2026-12-15', updatedAt: '2026-11-02T08:00:00.000Z' },
    ]);
  });
});

describe('what submission would refuse', () => {
  it("reads today on the requesting department's calendar", () => {
    const now = new Date('2026-11-09T23:30:00.000Z');
    expect(requesterToday(brief(), directory, now)).toBe('2026-11-10');
    expect(requesterToday(brief({ requesterDepartmentId: SALES }), directory, now)).toBe('2026-11-09');
    expect(() => requesterToday(brief({ requesterDepartmentId: 'dep-gone' }), directory, now)).toThrow(NotFoundError);
  });

  it('lists each missing field with its label, the rule and a link to the field', () => {
    const missing = missingFields(brief(), '2026-11-10');
    expect(missing.map((field) => field.label)).toContain('Goals with measurable targets');
    expect(missing.find((field) => field.label === 'Goals with measurable targets')).toEqual({
      label: 'Goals with measurable targets',
      message: 'content.goals is required to submit: at least one goal with its measurable target',
      href: '#f-content-goals-0-goal',
    });
    expect(missing.map((field) => field.label)).not.toContain('Background and problem');
    expect(missingFields(brief({ content: { deadline: '2026-11-01' } }), '2026-11-10').find((field) => field.label === 'Deadline')?.message).toBe(
      'content.deadline 2026-11-01 is in the past (today is 2026-11-10 for the requesting department)',
    );
  });
});

describe('the form', () => {
  it('offers every person as approver, with their department when they have one', () => {
    expect(approverOptions(directory)).toEqual([
      { value: 'p-maelle', label: 'Maëlle (Marketing)' },
      { value: 'p-samir', label: 'Samir (Sales)' },
      { value: 'p-ada', label: 'Ada' },
    ]);
  });

  it('lets an admin choose the requesting department of a new brief, and a head ask only other departments', () => {
    const values = formValuesOf({ requesterDepartmentId: MARKETING, content: {} });
    const admin = presentForm({ actor: actor('admin', null, 'p-ada'), brief: null, values, errors: null, missing: null, directory });
    expect(admin.requesterOptions?.map((option) => option.label)).toEqual(['Choose the department asking', 'Marketing', 'Sales']);
    expect(admin.recipientOptions.map((option) => option.label)).toEqual(['Choose the department you ask', 'Marketing', 'Sales']);
    const head = presentForm({ actor: actor('head', MARKETING), brief: null, values, errors: null, missing: null, directory });
    expect(head.requesterOptions).toBeNull();
    expect(head.recipientOptions.map((option) => option.label)).toEqual(['Choose the department you ask', 'Sales']);
    expect(head).toMatchObject({ brief: null, action: '/briefs', missing: null, readyToSubmit: false, returnedWith: null });
    expect(formTitle(null)).toBe('New brief');
  });

  it('gives each list blank rows to type into, with hints on the first', () => {
    const view = presentForm({ actor: actor('head', MARKETING), brief: null, values: formValuesOf({ content: {} }), errors: null, missing: null, directory });
    expect(view.values.content.goals).toHaveLength(3);
    expect(view.goalRows[0].cells.map((cell) => [cell.name, cell.label, cell.required, cell.hint !== null])).toEqual([
      ['content.goals[0].goal', 'Goal 1', true, true],
      ['content.goals[0].target', 'Target of goal 1', true, true],
    ]);
    expect(view.milestoneRows[1].cells[1]).toMatchObject({ name: 'content.milestones[1].date', type: 'date', required: false, hint: null });
  });

  it('says what is missing, or that the draft is ready, and shows why it was returned', () => {
    const returned = brief({
      status: 'returned',
      thread: [
        { id: 't1', kind: 'step', fromStatus: 'draft', toStatus: 'submitted', body: null, authorId: 'p-maelle', at: '2026-11-03T08:00:00.000Z' },
        { id: 't2', kind: 'step', fromStatus: 'submitted', toStatus: 'returned', body: 'Say who the audience is.', authorId: 'p-samir', at: '2026-11-04T08:00:00.000Z' },
      ],
    });
    const missing = [{ label: 'Primary audience', message: 'required', href: '#f-content-audience-primary' }];
    const view = presentForm({ actor: actor('head', MARKETING), brief: returned, values: formValuesOf(returned), errors: null, missing, directory });
    expect(view).toMatchObject({ action: '/briefs/b1', missing, readyToSubmit: false, returnedWith: 'Say who the audience is.' });
    expect(view.brief).toEqual({ id: 'b1', title: 'Spring launch', statusLabel: 'Returned', tone: expect.any(String) });
    expect(presentForm({ actor: actor('head', MARKETING), brief: brief(), values: formValuesOf(brief()), errors: null, missing: [], directory }).readyToSubmit).toBe(true);
    expect(formTitle(returned)).toBe('Edit “Spring launch”');
  });

  it('shows a refused field next to the field, a group error on its first field', () => {
    const view = presentForm({ actor: actor('head', MARKETING), brief: null, values: formValuesOf({ content: {} }), errors: { 'content.goals': ['needed'], title: ['too long'] }, missing: null, directory });
    expect(view.errors).toEqual({ 'content.goals[0].goal': ['needed'], title: ['too long'] });
  });
});

describe('the detail page', () => {
  const thread = [
    { id: 't1', kind: 'comment' as const, fromStatus: null, toStatus: null, body: 'Can we have it by March?', authorId: 'p-samir', at: '2026-11-03T08:00:00.000Z' },
    { id: 't2', kind: 'step' as const, fromStatus: 'draft' as const, toStatus: 'submitted' as const, body: null, authorId: 'p-gone', at: '2026-11-04T08:00:00.000Z' },
  ];

  it('names the people of the brief and its thread, and a person removed since as a former member', () => {
    const shown = brief({ thread, content: { approverId: 'p-gone', budget: { amount: 15000, approved: false } } });
    expect(peopleNamedBy(shown)).toEqual(['p-maelle', 'p-samir', 'p-gone', 'p-gone']);
    const view = presentDetail({ actor: actor('head', SALES, 'p-samir'), brief: shown, directory, missing: null, forms: {}, zone: 'Europe/Paris' });
    expect(view.brief).toMatchObject({ requester: 'Marketing', recipient: 'Sales', createdBy: 'Maëlle', statusLabel: 'Draft' });
    expect(view.content.approver).toBe('a former member');
    expect(view.content.budget).toEqual({ amount: 15000, currency: null, approved: false });
    expect(view.content.goals).toEqual([]);
    expect(view.thread).toEqual([
      { comment: true, author: 'Samir', at: '2026-11-03T08:00:00.000Z', body: 'Can we have it by March?', step: null, from: null },
      { comment: false, author: 'a former member', at: '2026-11-04T08:00:00.000Z', body: null, step: 'Submitted', from: 'Draft' },
    ]);
  });

  it('offers the steps the reader may take, with empty forms unless one was refused', () => {
    const refused = { values: { body: 'x'.repeat(5) }, errors: { body: ['too short'] } };
    const view = presentDetail({ actor: actor('head', MARKETING), brief: brief(), directory, missing: [], forms: { commenting: refused }, zone: 'Europe/Paris' });
    expect(view.actions).toMatchObject({ edit: true, submit: true, accept: false, comment: true });
    expect(view.missing).toEqual([]);
    expect(view.commenting).toBe(refused);
    expect(view.returning).toEqual({ values: { comment: '' }, errors: null });
    expect(view.accepting).toEqual({ values: { acceptComment: '' }, errors: null });
    expect(view.content.approver).toBeNull();
  });
});
