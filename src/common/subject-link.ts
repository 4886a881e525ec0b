/**
 * Links from Concord to a subject (a lead, a deal) in the CRM, from a template such as
 * "https://crm.example.com/leads/{subject}". An agreement version may carry one; a CRM connection
 * may one day define its own. Plain TypeScript: checked where a template is written, filled where
 * a message or page shows the subject.
 */
export const SUBJECT_PLACEHOLDER = '{subject}';
export const MAX_SUBJECT_LINK_LENGTH = 500;

/** Why a link template cannot be used, or null when it can. */
export function subjectLinkProblem(template: unknown): string | null {
  if (typeof template !== 'string') return 'must be a text such as "https://crm.example.com/leads/{subject}"';
  if (template.length > MAX_SUBJECT_LINK_LENGTH) return `must be at most ${MAX_SUBJECT_LINK_LENGTH} characters`;
  if (!template.includes(SUBJECT_PLACEHOLDER)) return `must contain ${SUBJECT_PLACEHOLDER}, where the subject id goes`;
  // Control characters and spaces would be silently dropped or re-encoded by URL parsing.
  if (/[\u0000-\u0020\u007f-\u009f]/.test(template)) return 'must not contain spaces or control characters';
  let url: URL;
  try {
    url = new URL(fillSubjectLink(template, 'L-1042'));
  } catch {
    return 'must be an absolute http(s) URL such as "https://crm.example.com/leads/{subject}"';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'must be an http or https URL';
  if (!url.hostname) return 'must name a host';
  if (url.username || url.password) return 'must not carry a user name or password';
  // The subject goes in the path, query or fragment: never in the host, where a subject id such as
  // ".evil.example" would send the reader of an alert to another site.
  let other: URL;
  try {
    other = new URL(fillSubjectLink(template, 'other.example'));
  } catch {
    return 'must put {subject} in the path or query, not in the host';
  }
  if (other.origin !== url.origin) return 'must put {subject} in the path or query, not in the host';
  return null;
}

/** The template with every {subject} replaced by the subject id, URL-encoded (a "/" or "?" in an id stays inside its segment). */
export function fillSubjectLink(template: string, subject: string): string {
  return template.split(SUBJECT_PLACEHOLDER).join(encodeURIComponent(subject));
}

/** The link to a subject, or null without a template or a subject. */
export function subjectUrl(template: string | null | undefined, subject: string | null | undefined): string | null {
  return template && subject ? fillSubjectLink(template, subject) : null;
}
