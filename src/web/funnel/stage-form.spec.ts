import type { StageView } from '../../agreements/stages.dto.js';
import { BLANK_CONDITIONS, errorsForStageForm, newStageValues, stageRequestOf, stageValuesOf, typedStage, withBlankConditions } from './stage-form.js';

function stage(extra: Partial<StageView> = {}): StageView {
  return {
    id: 's-mql',
    name: 'MQL',
    position: 2,
    department: { id: 'd-mkt', name: 'Marketing', slug: 'marketing' },
    owner: { id: 'p-maelle', name: 'Maëlle', email: 'maelle@example.com' },
    doneDefinition: 'Marketing qualified the lead.',
    enteredOn: { type: 'lead.mql', when: { source: ['trade-show', 'webinar'], score: 'hot', paid: true } },
    promises: [],
    createdAt: '',
    updatedAt: '',
    ...extra,
  };
}

describe('the funnel stage form', () => {
  it('opens on a stage with its conditions as rows, any value as text', () => {
    expect(stageValuesOf(stage())).toEqual({
      name: 'MQL',
      doneDefinition: 'Marketing qualified the lead.',
      departmentId: 'd-mkt',
      ownerId: 'p-maelle',
      position: '2',
      enteredOn: {
        type: 'lead.mql',
        when: [
          { attribute: 'source', values: 'trade-show, webinar' },
          { attribute: 'score', values: 'hot' },
          { attribute: 'paid', values: 'true' },
        ],
      },
    });
    expect(stageValuesOf(stage({ enteredOn: null, department: null, owner: null }))).toMatchObject({ departmentId: '', ownerId: '', enteredOn: { type: '', when: [] } });
  });

  it('offers blank condition rows after the filled ones', () => {
    const shown = withBlankConditions(stageValuesOf(stage()));
    expect(shown.enteredOn.when).toHaveLength(3 + BLANK_CONDITIONS);
    expect(shown.enteredOn.when[3]).toEqual({ attribute: '', values: '' });
  });

  it('reads a post trimmed, drops blank condition rows (qs arrays or objects of indexes), and a missing field is empty', () => {
    const values = typedStage({
      name: ' SQL ',
      doneDefinition: ' Sales accepted it. ',
      ownerId: '',
      enteredOn: { type: ' lead.sql ', when: { 0: { attribute: '', values: '' }, 1: { attribute: ' source ', values: ' trade-show ,webinar ' } } },
    });
    expect(values).toEqual({
      name: 'SQL',
      doneDefinition: 'Sales accepted it.',
      departmentId: '',
      ownerId: '',
      position: '',
      enteredOn: { type: 'lead.sql', when: [{ attribute: 'source', values: 'trade-show ,webinar' }] },
    });
    expect(typedStage('not a form')).toEqual(newStageValues());
    expect(typedStage({ enteredOn: 'lead.sql' }).enteredOn).toEqual({ type: '', when: [] });
  });

  it('asks a head for what a head may change only, the conditions as an attribute match', () => {
    const values = typedStage({
      name: 'MQL',
      doneDefinition: 'Qualified.',
      departmentId: 'd-other',
      position: '1',
      ownerId: 'p-maelle',
      enteredOn: { type: 'lead.mql', when: [{ attribute: 'source', values: 'trade-show, webinar' }, { attribute: 'score', values: 'hot' }] },
    });
    expect(stageRequestOf(values, { admin: false })).toEqual({
      plain: { name: 'MQL', doneDefinition: 'Qualified.', ownerId: 'p-maelle', enteredOn: { type: 'lead.mql', when: { source: ['trade-show', 'webinar'], score: 'hot' } } },
      errors: {},
    });
  });

  it('asks an admin for the department and position too: empty ones are none and last', () => {
    const typed = typedStage({ name: 'Demo', doneDefinition: 'A demo was held.', departmentId: 'd-sales', position: '3', enteredOn: { type: 'lead.demo' } });
    expect(stageRequestOf(typed, { admin: true }).plain).toEqual({ name: 'Demo', doneDefinition: 'A demo was held.', ownerId: null, departmentId: 'd-sales', position: 3, enteredOn: { type: 'lead.demo' } });
    const blank = stageRequestOf(typedStage({ name: 'Demo', doneDefinition: 'x', position: ' ', departmentId: '' }), { admin: true }).plain;
    expect(blank).toEqual({ name: 'Demo', doneDefinition: 'x', ownerId: null, departmentId: null, enteredOn: null });
    // What is not a number is sent as typed, for the DTO to name.
    expect(stageRequestOf(typedStage({ position: 'first' }), { admin: true }).plain.position).toBe('first');
  });

  it('sends no filter when neither a type nor a condition is typed (the stage is not counted), and an empty type with conditions for the service to name', () => {
    expect(stageRequestOf(newStageValues(), { admin: false }).plain.enteredOn).toBeNull();
    const typeless = typedStage({ enteredOn: { type: '', when: [{ attribute: 'source', values: 'webinar' }] } });
    expect(stageRequestOf(typeless, { admin: false })).toEqual({ plain: expect.objectContaining({ enteredOn: { type: '', when: { source: 'webinar' } } }), errors: {} });
  });

  it('names a condition without an attribute, and an attribute given twice, on their row; the rest of the filter is judged at once', () => {
    const values = typedStage({
      enteredOn: {
        type: 'lead mql',
        when: [{ attribute: 'source', values: 'webinar' }, { attribute: '', values: 'hot' }, { attribute: 'source', values: 'trade-show' }, { attribute: 'region', values: '' }],
      },
    });
    const { errors } = stageRequestOf(values, { admin: false });
    expect(errors).toEqual({
      'enteredOn.when[1].attribute': ['enteredOn.when[1].attribute must name the attribute that "hot" is a value of'],
      'enteredOn.when[2].attribute': ['enteredOn.when[2].attribute "source" is given twice'],
      'enteredOn.type': ['enteredOn.type must be an event type such as "lead.handed_over"'],
      'enteredOn.when.region': ['enteredOn.when.region must list at least one value'],
    });
    expect(errorsForStageForm(errors, values)).toEqual({
      'enteredOn.when[1].attribute': ['enteredOn.when[1].attribute must name the attribute that "hot" is a value of'],
      'enteredOn.when[2].attribute': ['enteredOn.when[2].attribute "source" is given twice'],
      'enteredOn.type': ['enteredOn.type must be an event type such as "lead.handed_over"'],
      'enteredOn.when[3].values': ['enteredOn.when.region must list at least one value'],
    });
  });

  it("puts the service's errors beside the field that shows them", () => {
    const values = typedStage({ enteredOn: { type: 'lead.mql', when: [{ attribute: 'score', values: 'hot' }, { attribute: 'bad name', values: 'x' }] } });
    expect(
      errorsForStageForm(
        {
          name: ['"mql" is already the name of stage MQL'],
          enteredOn: ['enteredOn must be an event filter'],
          'enteredOn.when': ['enteredOn.when must name at least one attribute'],
          'enteredOn.when.bad name': ['enteredOn.when.bad name is not an attribute name'],
          'enteredOn.when.score': ['enteredOn.when.score must list strings, numbers or booleans'],
          'enteredOn.when.gone': ['enteredOn.when.gone must list at least one value'],
        },
        values,
      ),
    ).toEqual({
      name: ['"mql" is already the name of stage MQL'],
      'enteredOn.type': ['enteredOn must be an event filter'],
      'enteredOn.when[0].attribute': ['enteredOn.when must name at least one attribute', 'enteredOn.when.gone must list at least one value'],
      'enteredOn.when[1].attribute': ['enteredOn.when.bad name is not an attribute name'],
      'enteredOn.when[0].values': ['enteredOn.when.score must list strings, numbers or booleans'],
    });
    expect(errorsForStageForm(null, values)).toBeNull();
    expect(errorsForStageForm({}, values)).toBeNull();
  });
});
