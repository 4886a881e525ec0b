import type { AgreementView, VersionView } from '../../agreements/agreements.dto.js';
import { blankForm } from './agreement-form.js';
import { editorTitle, eventTypeOptions, measurable, presentEditor, unseenNote, type EditorData } from './agreement-editor.view.js';
import type { Names } from './agreement.view.js';

const names: Names = {
  department: (id) => (id ? ({ 'dep-marketing': 'Marketing', 'dep-sales': 'Sales' }[id] ?? id) : '–'),
  calendar: (id) => id ?? '–',
  stage: (id) => id,
  stageName: (id) => id,
};

const options = {
  departments: [{ value: 'dep-marketing', label: 'Marketing' }],
  calendars: [{ value: 'cal-paris', label: 'Paris office (Europe/Paris)' }],
  stages: [{ value: 'stage-sql', label: '4. SQL' }],
};

function agreement(extra: Partial<AgreementView> = {}): AgreementView {
  return {
    id: 'a1',
    kind: 'quota',
    status: 'draft',
    name: 'Qualified leads each month',
    providerDepartmentId: 'dep-marketing',
    consumerDepartmentId: 'dep-sales',
    inForce: null,
    pending: { number: 1, status: 'proposed' } as VersionView,
    createdAt: '2026-10-01T08:00:00.000Z',
    updatedAt: '2026-10-01T08:00:00.000Z',
    ...extra,
  };
}

function data(extra: Partial<EditorData> = {}): EditorData {
  const values = blankForm('response');
  values.calendarId = 'cal-paris';
  values.response.targets = [{ name: 'hot', when: 'score=hot', within: '1', unit: 'hours' }];
  return {
    agreement: null,
    values,
    errors: null,
    options,
    names,
    dueTimes: ['2026-11-09T09:30:00.000Z', null, null],
    calendarZone: 'Asia/Tokyo',
    now: new Date('2026-11-09T08:30:00.000Z'),
    ...extra,
  };
}

describe('presentEditor', () => {
  it('offers a new agreement of either kind, with room for more targets and each due time if a lead came now', () => {
    const view = presentEditor(data(), 'Europe/Paris');
    expect(view).toMatchObject({ creating: true, action: '/agreements', agreement: null, showResponse: true, showQuota: true, measurable: true, errors: null });
    expect(view.values.response.targets).toHaveLength(3);
    expect(view.targetRows.map((row) => [row.number, row.nameField, row.due])).toEqual([
      [1, 'response.targets[0].name', 'If a lead arrives now, it is due at Mon 9 Nov 2026, 10:30 Europe/Paris.'],
      [2, 'response.targets[1].name', null],
      [3, 'response.targets[2].name', null],
    ]);
    expect(view.departmentOptions).toEqual([{ value: '', label: 'Choose a department' }, { value: 'dep-marketing', label: 'Marketing' }]);
    expect(view.periodOptions.map((option) => option.label)).toEqual(['per week', 'per month', 'per quarter']);
    expect(view.filters[0]).toMatchObject({ id: 'f-response-startOn', legend: 'The clock starts on', type: 'response.startOn.type', conditionLabel: 'Start event: only when (optional)' });
    expect(view.nowText).toBe('Mon 9 Nov 2026, 09:30 Europe/Paris');
  });

  it("computes the start of last month on the chosen calendar's zone", () => {
    const view = presentEditor(data(), 'Europe/Paris');
    expect(view.measureFromOptions[1].label).toBe('The start of last month: Thu 1 Oct 2026, 00:00 Asia/Tokyo');
  });

  it('shows only the kind of an agreement edited, with its parties by name', () => {
    const edited = agreement();
    const view = presentEditor(data({ agreement: edited, values: blankForm('quota'), dueTimes: [] }), 'Europe/Paris');
    expect(view).toMatchObject({ creating: false, action: '/agreements/a1', showResponse: false, showQuota: true });
    expect(view.agreement).toEqual({ id: 'a1', name: 'Qualified leads each month', kind: 'Quota', provider: 'Marketing', consumer: 'Sales', pending: { number: 1, proposed: true }, inForceNumber: null });
    expect(editorTitle(edited)).toBe('Edit Qualified leads each month');
    expect(editorTitle(null)).toBe('New agreement');
  });

  it('puts each error next to its field, and errors of a group or of no field at the top of it', () => {
    const view = presentEditor(
      data({ errors: { 'response.targets[0].when.score': ['unknown attribute'], 'response.targets': ['at least one target'], 'response.stopOn': ['required'], hidden: ['odd'] } }),
      'Europe/Paris',
    );
    expect(view.errors).toMatchObject({ 'response.targets[0].when': ['unknown attribute'], 'response.stopOn.type': ['required'] });
    expect(view.problems).toEqual({ form: [], response: [], quota: [], conversion: [], targets: ['at least one target'] });
    expect(view.errors?.hidden).toEqual(['odd']);
  });
});

describe('measurable', () => {
  it('offers measuring from a past date only before the first version is in force', () => {
    expect(measurable(null)).toBe(true);
    expect(measurable(agreement())).toBe(true);
    expect(measurable(agreement({ status: 'active' }))).toBe(false);
    expect(measurable(agreement({ status: 'retired' }))).toBe(false);
    expect(measurable(agreement({ inForce: { number: 1 } as VersionView }))).toBe(false);
  });
});

describe('event types in the editor', () => {
  const rule = { connectionId: 'c1', connectionName: 'HubSpot', rule: 0 };
  const types = [
    { type: 'lead.contacted', count: 12, rules: [rule] },
    { type: 'lead.handed_over', count: 3, rules: [] },
    { type: 'lead.mql', count: 0, rules: [rule] },
    { type: 'lead.typo', count: 0, rules: [] },
  ];

  it('offers the types received, then those a rule emits though none came, never those only an agreement names', () => {
    expect(eventTypeOptions(types)).toEqual([
      { value: 'lead.contacted', label: 'lead.contacted (12 received)' },
      { value: 'lead.handed_over', label: 'lead.handed_over (3 received)' },
      { value: 'lead.mql', label: "lead.mql (a connection's rule emits it; none received yet)" },
    ]);
    const view = presentEditor(data({ eventTypes: types }), 'Europe/Paris');
    expect(view.eventTypesList).toBe('event-types');
    expect(view.eventTypeOptions.map((option) => option.value)).toEqual(['lead.contacted', 'lead.handed_over', 'lead.mql']);
  });

  it('notes each type typed that was never received, and says nothing of empty fields', () => {
    const values = blankForm('response');
    values.response.startOn = { type: 'lead.handed_over', when: '' };
    values.response.stopOn = { type: ' lead.contactd ', when: '' };
    values.quota.countOn = { type: 'lead.mql', when: '' };
    const view = presentEditor(data({ values, eventTypes: types }), 'Europe/Paris');
    const notes = Object.fromEntries(view.filters.map((filter) => [filter.type, filter.unseen]));
    expect(notes['response.startOn.type']).toBeNull();
    expect(notes['response.stopOn.type']).toMatch(/^No “lead\.contactd” event has been received yet/);
    expect(notes['response.pauseOn.type']).toBeNull();
    expect(view.countOnUnseen).toMatch(/^No “lead\.mql” event/);
    expect(unseenNote('', new Set())).toBeNull();
    expect(unseenNote(undefined, new Set())).toBeNull();
  });

  it('offers nothing and notes every typed type when nothing is known (a new installation)', () => {
    const values = blankForm('response');
    values.response.startOn = { type: 'lead.handed_over', when: '' };
    const view = presentEditor(data({ values }), 'Europe/Paris');
    expect(view.eventTypeOptions).toEqual([]);
    expect(view.filters[0].unseen).toMatch(/lead\.handed_over/);
  });
});
