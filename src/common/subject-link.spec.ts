import { fillSubjectLink, subjectLinkProblem, subjectUrl } from './subject-link.js';

describe('subject links', () => {
  it('fills every {subject} with the id, URL-encoded', () => {
    expect(fillSubjectLink('https://crm.example.com/leads/{subject}', 'L-1042')).toBe('https://crm.example.com/leads/L-1042');
    expect(fillSubjectLink('https://crm.example.com/leads/{subject}?back={subject}', 'a/b c?&#<é>')).toBe(
      'https://crm.example.com/leads/a%2Fb%20c%3F%26%23%3C%C3%A9%3E?back=a%2Fb%20c%3F%26%23%3C%C3%A9%3E',
    );
    // The README's example.
    expect(fillSubjectLink('https://crm.example.com/leads/{subject}', 'L 42/é')).toBe('https://crm.example.com/leads/L%2042%2F%C3%A9');
    expect(subjectUrl(null, 'L-1')).toBeNull();
    expect(subjectUrl('https://crm.example.com/{subject}', null)).toBeNull();
  });

  it('accepts http(s) templates with the placeholder', () => {
    expect(subjectLinkProblem('https://crm.example.com/leads/{subject}')).toBeNull();
    expect(subjectLinkProblem('http://crm.local:8080/#/deal/{subject}/view')).toBeNull();
  });

  it.each([
    [42, 'must be a text'],
    ['https://crm.example.com/leads/', 'must contain {subject}'],
    ['javascript:alert(1)//{subject}', 'must be an http or https URL'],
    ['ftp://crm.example.com/{subject}', 'must be an http or https URL'],
    ['/leads/{subject}', 'must be an absolute http(s) URL'],
    ['https://crm.example.com/leads/ {subject}', 'must not contain spaces'],
    ['https://crm.example.com/\u0000{subject}', 'must not contain spaces or control characters'],
    ['https://user:secret@crm.example.com/{subject}', 'must not carry a user name or password'],
    [`https://crm.example.com/${'x'.repeat(500)}{subject}`, 'must be at most 500 characters'],
    ['https://{subject}/lead', 'not in the host'],
    ['https://crm.example.com{subject}', 'not in the host'],
    ['https://{subject}.crm.example.com/lead', 'not in the host'],
  ])('refuses %j', (template, problem) => {
    expect(subjectLinkProblem(template)).toContain(problem);
  });
});
