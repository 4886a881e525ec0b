import { fieldId, postName, renderField, safeUrl, valueAt } from './form-fields.js';

const HOSTILE = `"><script>alert(1)</script>{{x}}`;

describe('form fields', () => {
  it('ties the label to the control and escapes what was typed, in a value and in a textarea', () => {
    const input = renderField('title', 'Title', { title: HOSTILE }, null, { required: true });
    expect(input).toContain('<label for="f-title">Title <span class="required" aria-hidden="true">*</span></label>');
    expect(input).toContain('id="f-title" name="title" required aria-required="true"');
    expect(input).toContain('value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;{{x}}"');
    expect(input).not.toContain('<script>');
    const area = renderField('notes', 'Notes', { notes: HOSTILE }, null, { type: 'textarea' });
    expect(area).toContain('>&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;{{x}}</textarea>');
  });

  it('puts the error under its field and announces it (aria-invalid, aria-describedby), hint first', () => {
    const html = renderField('goals[0].target', 'Target', { goals: [{ target: '' }] }, { 'goals[0].target': ['is <required>'] }, { hint: 'a figure' });
    expect(html).toContain('name="goals[0][target]"');
    expect(html).toContain('aria-invalid="true" aria-describedby="f-goals-0-target-hint f-goals-0-target-error"');
    expect(html).toContain('<p class="field-error" id="f-goals-0-target-error">is &lt;required&gt;</p>');
    expect(html).toMatch(/has-error/);
  });

  it('selects the option typed and checks a ticked box, escaping labels', () => {
    const select = renderField('kind', 'Kind', { kind: 'quota' }, null, { type: 'select', options: [{ value: 'response', label: 'Response <b>' }, { value: 'quota', label: 'Quota' }] });
    expect(select).toContain('<option value="quota" selected>Quota</option>');
    expect(select).toContain('<option value="response">Response &lt;b&gt;</option>');
    expect(renderField('ok', 'OK', { ok: 'true' }, null, { type: 'checkbox' })).toContain('value="true" checked');
    expect(renderField('ok', 'OK', {}, null, { type: 'checkbox' })).not.toContain('checked');
  });

  it('derives ids, post names and values from API paths', () => {
    expect(fieldId('response.targets[2].within')).toBe('f-response-targets-2-within');
    expect(postName('response.targets[2].within')).toBe('response[targets][2][within]');
    expect(valueAt({ response: { targets: [{}, {}, { within: 'PT1H' }] } }, 'response.targets[2].within')).toBe('PT1H');
    expect(valueAt({ a: null }, 'a.b')).toBeUndefined();
  });

  it('lets only http(s) links into an href', () => {
    expect(safeUrl('https://wiki.example.com/x?a=1')).toBe('https://wiki.example.com/x?a=1');
    expect(safeUrl('javascript:alert(1)')).toBe('#');
    expect(safeUrl(' JavaScript:alert(1)')).toBe('#');
    expect(safeUrl('data:text/html,<script>1</script>')).toBe('#');
    expect(safeUrl('not a url')).toBe('#');
    expect(safeUrl(null)).toBe('#');
  });
});
