import type { StageView } from '../../agreements/stages.dto.js';
import type { PersonView } from '../../org/people.dto.js';
import { Directory } from '../directory.js';
import { conditionsInWords, enteredOnInWords, mayEditStage, presentFunnel, presentStageForm, stageTitle } from './funnel.view.js';
import { newStageValues, stageValuesOf } from './stage-form.js';

const MARKETING = { id: 'd-mkt', name: 'Marketing', slug: 'marketing' };
const SALES = { id: 'd-sales', name: 'Sales', slug: 'sales' };

function stage(extra: Partial<StageView> = {}): StageView {
  return {
    id: 's-mql',
    name: 'MQL',
    position: 1,
    department: MARKETING,
    owner: { id: 'p-maelle', name: 'Maëlle', email: 'maelle@example.com' },
    doneDefinition: 'Marketing qualified the lead.',
    enteredOn: { type: 'lead.mql', when: { source: ['trade-show', 'webinar'] } },
    promises: [],
    createdAt: '',
    updatedAt: '',
    ...extra,
  };
}

function person(id: string, name: string, departmentId: string | null, active = true): PersonView {
  return { id, name, email: `${id}@example.com`, departmentId, role: 'member', timezone: 'UTC', locale: null, active, createdAt: '', updatedAt: '' };
}

const admin = { role: 'admin', departmentId: null };
const marketingHead = { role: 'head', departmentId: MARKETING.id };
const salesHead = { role: 'head', departmentId: SALES.id };
const member = { role: 'member', departmentId: MARKETING.id };

describe('the event entering a stage, in words', () => {
  it('says the type, and each condition with its values as alternatives', () => {
    expect(enteredOnInWords({ type: 'lead.sql' })).toBe('entered when lead.sql arrives');
    expect(enteredOnInWords({ type: 'lead.mql', when: { source: ['trade-show', 'webinar'] } })).toBe('entered when lead.mql arrives where source is trade-show or webinar');
    expect(conditionsInWords({ source: ['a', 'b', 'c'], score: 'hot', paid: true, amount: 5 })).toBe('source is a, b or c and score is hot and paid is true and amount is 5');
    expect(conditionsInWords(undefined)).toBeNull();
  });

  it('says a stage entered by nothing is not counted', () => {
    expect(enteredOnInWords(null)).toBe('not counted by the funnel');
  });
});

describe('the funnel list', () => {
  const stages = [
    stage(),
    stage({ id: 's-sql', name: 'SQL', position: 2, department: SALES, owner: null, enteredOn: { type: 'lead.sql' } }),
    stage({ id: 's-lead', name: 'Lead', position: 3, department: null, owner: null, enteredOn: null }),
    stage({ id: 's-old', name: 'Old', position: 4, department: null, owner: null, enteredOn: null }),
  ];
  const entries = new Map([
    ['s-mql', 20],
    ['s-sql', 1],
    ['s-old', 3],
  ]);

  it('shows every stage in order with its owner, the event entering it and how many entered', () => {
    const view = presentFunnel({ stages, entries, reader: member });
    expect(view.total).toBe(4);
    expect(view.canCreate).toBe(false);
    expect(view.stages[0]).toEqual({
      id: 's-mql',
      anchor: 'stage-s-mql',
      position: 1,
      name: 'MQL',
      department: 'Marketing',
      owner: 'Maëlle',
      doneDefinition: 'Marketing qualified the lead.',
      counted: true,
      entered: { type: 'lead.mql', typeName: 'lead.mql', named: false, where: 'source is trade-show or webinar' },
      enteredInWords: 'entered when lead.mql arrives where source is trade-show or webinar',
      entries: 20,
      entriesText: '20 subjects',
      editable: false,
      editLabel: 'Edit stage MQL',
    });
    expect(view.stages.map((row) => [row.name, row.entries, row.entriesText, row.entered?.where ?? null])).toEqual([
      ['MQL', 20, '20 subjects', 'source is trade-show or webinar'],
      ['SQL', 1, '1 subject', null],
      ['Lead', 0, 'not counted', null],
      ['Old', 3, '3 subjects (no longer counted)', null],
    ]);
    expect(view.stages[2]).toMatchObject({ department: null, owner: null, counted: false, entered: null, enteredInWords: 'not counted by the funnel' });
  });

  it('offers editing to admins for every stage and to a head for their own department only; creating to admins', () => {
    const editable = (reader: typeof admin | typeof marketingHead) => presentFunnel({ stages, entries, reader }).stages.filter((row) => row.editable).map((row) => row.name);
    expect(editable(admin)).toEqual(['MQL', 'SQL', 'Lead', 'Old']);
    expect(presentFunnel({ stages, entries, reader: admin }).canCreate).toBe(true);
    expect(editable(marketingHead)).toEqual(['MQL']);
    expect(editable(salesHead)).toEqual(['SQL']);
    expect(editable(member)).toEqual([]);
    expect(mayEditStage({ role: 'head', departmentId: null }, { department: null })).toBe(false);
  });
});

describe('the stage form', () => {
  const directory = new Directory([], [MARKETING, SALES]);
  const people = [person('p-maelle', 'Maëlle', MARKETING.id), person('p-marc', 'Marc', MARKETING.id), person('p-samir', 'Samir', SALES.id), person('p-gone', 'Gone', MARKETING.id, false)];
  const eventTypes = [
    { type: 'lead.mql', count: 20, rules: [] },
    { type: 'lead.demo', count: 0, rules: [{ connectionId: 'c', connectionName: 'HubSpot', rule: 0 }] },
    { type: 'lead.typo', count: 0, rules: [] },
  ];

  it("offers a head their department's active people as owners, the event types seen, and no department, position or delete", () => {
    const view = presentStageForm({ stage: stage(), values: stageValuesOf(stage()), errors: null, admin: false, people, directory, eventTypes });
    expect(stageTitle(stage())).toBe('Funnel stage “MQL”');
    expect(view).toMatchObject({ stage: { id: 's-mql', name: 'MQL', position: 1, department: 'Marketing' }, action: '/funnel/s-mql', admin: false, departmentOptions: null, canDelete: false, errors: null, formProblem: null, unseen: null });
    expect(view.ownerOptions).toEqual([
      { value: '', label: 'No owner' },
      { value: 'p-maelle', label: 'Maëlle' },
      { value: 'p-marc', label: 'Marc' },
    ]);
    expect(view.eventTypesList).toBe('event-types');
    expect(view.eventTypeOptions).toEqual([
      { value: 'lead.mql', label: 'lead.mql (20 received)' },
      { value: 'lead.demo', label: "lead.demo (a connection's rule emits it; none received yet)" },
    ]);
    expect(view.values.enteredOn.when).toHaveLength(3);
    expect(view.conditionRows[0]).toEqual({
      attribute: { path: 'enteredOn.when[0].attribute', label: 'Attribute, condition 1' },
      values: { path: 'enteredOn.when[0].values', label: 'Is one of, condition 1' },
    });
  });

  it('offers an admin everyone, named with their department, the departments, and deleting', () => {
    const owned = stage({ owner: { id: 'p-gone', name: 'Gone', email: '' }, promises: [{ agreementId: 'a', versionId: 'v', version: 2, name: 'MQL quota', kind: 'quota', providerDepartmentId: MARKETING.id, consumerDepartmentId: SALES.id }] });
    const view = presentStageForm({ stage: owned, values: stageValuesOf(owned), errors: null, admin: true, people, directory, eventTypes });
    expect(view.ownerOptions.map((option) => option.label)).toEqual(['No owner', 'Maëlle (Marketing)', 'Marc (Marketing)', 'Samir (Sales)', 'Gone (Marketing)']);
    expect(view.departmentOptions).toEqual([
      { value: '', label: 'No department' },
      { value: 'd-mkt', label: 'Marketing' },
      { value: 'd-sales', label: 'Sales' },
    ]);
    expect(view).toMatchObject({ canDelete: true, promises: ['MQL quota (version 2)'] });
  });

  it('creates a stage, and says when a type typed was never received', () => {
    const values = { ...newStageValues(), enteredOn: { type: 'lead.typo', when: [] } };
    const view = presentStageForm({ stage: null, values, errors: null, admin: true, people, directory, eventTypes });
    expect(stageTitle(null)).toBe('New funnel stage');
    expect(view).toMatchObject({ stage: null, action: '/funnel', canDelete: false, positionHint: '1 = first. Leave empty to add it last.' });
    expect(view.unseen).toBe('No “lead.typo” event has been received yet: check its spelling, or that a connection or sender emits it.');
  });

  it('shows errors beside their fields, a refusal about no field at the top, and the values as typed', () => {
    const values = { ...stageValuesOf(stage()), enteredOn: { type: 'lead mql', when: [{ attribute: 'source', values: '' }] } };
    const view = presentStageForm({
      stage: stage(),
      values,
      errors: { 'enteredOn.type': ['enteredOn.type must be an event type'], 'enteredOn.when.source': ['enteredOn.when.source must list at least one value'], form: ['stage MQL is named by 1 agreement version(s)'] },
      admin: true,
      people,
      directory,
      eventTypes,
    });
    expect(view.errors).toEqual({
      'enteredOn.type': ['enteredOn.type must be an event type'],
      'enteredOn.when[0].values': ['enteredOn.when.source must list at least one value'],
      form: ['stage MQL is named by 1 agreement version(s)'],
    });
    expect(view.formProblem).toEqual(['stage MQL is named by 1 agreement version(s)']);
    expect(view.values.enteredOn.type).toBe('lead mql');
    expect(view.values.enteredOn.when[0]).toEqual({ attribute: 'source', values: '' });
  });
});
