import Handlebars from 'handlebars';
import { DateTime } from 'luxon';
import type { Actor } from '../../access/actor.js';
import { isAdmin } from '../../access/permissions.js';
import { BRIEF_STATUSES } from '../../briefs/brief.entity.js';
import { findMissingForSubmission } from '../../briefs/brief-submission.js';
import type { BriefDetailView, BriefView } from '../../briefs/briefs.dto.js';
import { NotFoundError, type FieldErrors } from '../../common/errors.js';
import type { Page } from '../../common/pagination.js';
import { FORMER_MEMBER, type Directory, type Named } from '../directory.js';
import { fieldId } from '../form-fields.js';
import { inEnglish, type Say } from '../say.js';
import {
  actionsFor,
  errorsForForm,
  fieldLabel,
  fieldPathOf,
  numberedRows,
  statusLabel,
  STATUS_TONES,
  withBlankRows,
  type BriefFormValues,
} from './brief-form.js';

/**
 * What the brief pages show, shaped from the API's views: the lists of my department's briefs,
 * the form that guides a requester field by field, and the detail page with its thread.
 */

/** How the brief pages show a person removed since they wrote or approved. */

/** A department, with its time zone: the requesting department's date decides whether a deadline is past. */
export type BriefDirectory = Directory<Named & { departmentId: string | null }, Named & { timezone: string }>;

/** A form on the detail page (a comment, or a return's reasons), as typed and as refused. */
export interface SmallForm {
  values: Record<string, string>;
  errors: FieldErrors | null;
}

export interface MissingField {
  label: string;
  message: string;
  href: string;
}

/** The lists the list page shows: filed by and received by my department, or every brief for someone of none. */
export function listSections(ownDepartmentId: string | null, directory: BriefDirectory, say: Say = inEnglish) {
  if (!ownDepartmentId) return [{ id: 'all', heading: say('briefs.list.all'), query: {} }];
  const own = directory.departmentName(ownDepartmentId, say('briefs.list.myDepartment'));
  return [
    { id: 'filed', heading: say('briefs.list.filedBy', { department: own }), query: { requesterDepartmentId: ownDepartmentId } },
    { id: 'received', heading: say('briefs.list.receivedBy', { department: own }), query: { recipientDepartmentId: ownDepartmentId } },
  ];
}

/** A brief as every page names it: its title, its status with its badge, who asks whom. */
function briefLine(brief: BriefView, directory: BriefDirectory, say: Say) {
  return {
    id: brief.id,
    title: brief.title,
    statusLabel: statusLabel(brief.status, say),
    tone: STATUS_TONES[brief.status],
    requester: directory.departmentName(brief.requesterDepartmentId, ''),
    recipient: directory.departmentName(brief.recipientDepartmentId, ''),
  };
}

export function presentList(input: {
  typed: string;
  errors: FieldErrors | null;
  sections: { id: string; heading: string; page: Pick<Page<BriefView>, 'items' | 'total'> }[];
  directory: BriefDirectory;
  zone: string;
  limit: number;
  say?: Say;
}) {
  const { directory } = input;
  const say = input.say ?? inEnglish;
  return {
    values: { status: input.typed },
    errors: input.errors,
    statusOptions: [{ value: '', label: say('briefs.list.allStatuses') }, ...BRIEF_STATUSES.map((value) => ({ value, label: statusLabel(value, say) }))],
    sections: input.sections.map(({ id, heading, page }) => ({
      id,
      heading,
      total: page.total,
      more: page.total > page.items.length,
      briefs: page.items.map((brief) => ({
        ...briefLine(brief, directory, say),
        deadline: brief.content.deadline ?? null,
        updatedAt: brief.updatedAt,
      })),
    })),
    zone: input.zone,
    limit: input.limit,
  };
}

/** The requesting department's date today: before it, a deadline is past. */
export function requesterToday(brief: Pick<BriefView, 'requesterDepartmentId'>, directory: BriefDirectory, now: Date): string {
  const requester = directory.department(brief.requesterDepartmentId);
  if (!requester) throw new NotFoundError('department', brief.requesterDepartmentId);
  return DateTime.fromJSDate(now, { zone: requester.timezone }).toISODate() as string;
}

/** What submission would refuse now, by the service's own rule, each linked to its field. */
export function missingFields(brief: Pick<BriefView, 'content'>, today: string, say: Say = inEnglish): MissingField[] {
  return Object.entries(findMissingForSubmission(brief.content, today)).map(([path, messages]) => ({
    label: fieldLabel(path, say),
    message: messages.map((message) => missingMessage(path, message, say)).join('; '),
    href: `#${fieldId(fieldPathOf(path))}`,
  }));
}

/**
 * What submission's rule says of a field (findMissingForSubmission words it in English, as the
 * API does), in the reader's language: the field required, or a deadline already past.
 */
function missingMessage(path: string, message: string, say: Say): string {
  const past = /^\S+ (\d{4}-\d{2}-\d{2}) is in the past \(today is (\d{4}-\d{2}-\d{2})/.exec(message);
  if (past) return say('briefs.missing.pastDeadline', { path, deadline: past[1], today: past[2] });
  if (message.startsWith(`${path} is required to submit`)) return say(`briefs.missing.${path.replace(/^content\./, '')}`, { path });
  return message;
}

/** Everyone, as the approver select box offers them: "Name (Department)". */
export function approverOptions(directory: BriefDirectory) {
  return directory.people.map((person) => {
    const department = directory.departmentName(person.departmentId, null);
    return { value: person.id, label: department ? `${person.name} (${department})` : person.name };
  });
}

export function formTitle(brief: BriefView | null, say: Say = inEnglish): string {
  return brief ? say('briefs.form.editTitle', { title: brief.title }) : say('briefs.form.newTitle');
}

/**
 * The required marker as the form's fields show it, for the hint that explains it: handed to
 * `tHtml` as a value already safe, so the sentence around it is translated whole and the star
 * keeps its own look.
 */
const REQUIRED_MARK = new Handlebars.SafeString('<span class="required">*</span>');

export function presentForm(input: {
  actor: Actor;
  brief: BriefDetailView | null;
  values: BriefFormValues;
  errors: FieldErrors | null;
  /** What submission would refuse (null when not asked: a new brief, or a form shown with its errors). */
  missing: MissingField[] | null;
  directory: BriefDirectory;
  say?: Say;
}) {
  const { actor, brief, values, errors, missing, directory } = input;
  const say = input.say ?? inEnglish;
  const requesterId = brief?.requesterDepartmentId ?? actor.departmentId;
  const chooseAdminRequester = !brief && isAdmin(actor);
  const returned = brief?.status === 'returned' ? [...brief.thread].reverse().find((entry) => entry.toStatus === 'returned') : undefined;
  const goals = withBlankRows(values.content.goals, { goal: '', target: '' });
  const milestones = withBlankRows(values.content.milestones, { name: '', date: '' });
  const metrics = withBlankRows(values.content.successMetrics, { metric: '', target: '' });
  const departments = directory.departments.map((department) => ({ value: department.id, label: department.name }));
  return {
    brief: brief ? { id: brief.id, title: brief.title, statusLabel: statusLabel(brief.status, say), tone: STATUS_TONES[brief.status] } : null,
    action: brief ? `/briefs/${brief.id}` : '/briefs',
    values: { ...values, content: { ...values.content, goals, milestones, successMetrics: metrics } },
    errors: errorsForForm(errors),
    missing: missing && missing.length > 0 ? missing : null,
    readyToSubmit: missing !== null && missing.length === 0,
    requiredMark: REQUIRED_MARK,
    returnedWith: returned?.body ?? null,
    requesterOptions: chooseAdminRequester ? [{ value: '', label: say('briefs.form.chooseRequester') }, ...departments] : null,
    recipientOptions: [
      { value: '', label: say('briefs.form.chooseRecipient') },
      ...departments.filter((department) => chooseAdminRequester || department.value !== requesterId),
    ],
    approverOptions: [{ value: '', label: say('briefs.form.chooseApprover') }, ...approverOptions(directory)],
    goalRows: numberedRows(
      'content.goals',
      goals.length,
      [
        { key: 'goal', label: (n) => say('briefs.form.goalN', { n }), hint: say('briefs.form.goalHint') },
        { key: 'target', label: (n) => say('briefs.form.goalTargetN', { n }), hint: say('briefs.form.goalTargetHint') },
      ],
      true,
    ),
    milestoneRows: numberedRows(
      'content.milestones',
      milestones.length,
      [
        { key: 'name', label: (n) => say('briefs.form.milestoneN', { n }), hint: say('briefs.form.milestoneHint') },
        { key: 'date', label: (n) => say('briefs.form.milestoneDateN', { n }), hint: say('briefs.form.milestoneDateHint'), type: 'date' },
      ],
      false,
    ),
    metricRows: numberedRows(
      'content.successMetrics',
      metrics.length,
      [
        { key: 'metric', label: (n) => say('briefs.form.metricN', { n }), hint: say('briefs.form.metricHint') },
        { key: 'target', label: (n) => say('briefs.form.metricTargetN', { n }), hint: say('briefs.form.metricTargetHint') },
      ],
      true,
    ),
  };
}

/** The people a brief's detail page names: its author, whoever wrote in its thread, its approver. */
export function peopleNamedBy(brief: BriefDetailView): string[] {
  return [brief.createdBy, ...brief.thread.map((entry) => entry.authorId), ...(brief.content.approverId ? [brief.content.approverId] : [])];
}

export function presentDetail(input: {
  actor: Actor;
  brief: BriefDetailView;
  directory: BriefDirectory;
  /** What submission would refuse, when the reader may submit (null otherwise). */
  missing: MissingField[] | null;
  forms: { commenting?: SmallForm; returning?: SmallForm; accepting?: SmallForm };
  zone: string;
  say?: Say;
}) {
  const { brief, directory, forms } = input;
  const say = input.say ?? inEnglish;
  const content = brief.content;
  const budget = content.budget ?? null;
  const person = (id: string) => directory.memberName(id) ?? FORMER_MEMBER;
  return {
    brief: {
      ...briefLine(brief, directory, say),
      createdBy: person(brief.createdBy),
      createdAt: brief.createdAt,
      submittedAt: brief.submittedAt,
    },
    content: {
      background: content.background ?? null,
      goals: content.goals ?? [],
      vision: content.vision ?? null,
      keyMessage: content.keyMessage ?? null,
      audience: { primary: content.audience?.primary ?? null, secondary: content.audience?.secondary ?? null },
      deliverables: content.deliverables ?? [],
      channels: content.channels ?? [],
      outOfScope: content.outOfScope ?? null,
      mandatoryElements: content.mandatoryElements ?? null,
      deadline: content.deadline ?? null,
      milestones: content.milestones ?? [],
      budget: budget ? { amount: budget.amount ?? null, currency: budget.currency ?? null, approved: budget.approved } : null,
      successMetrics: content.successMetrics ?? [],
      stakeholders: content.stakeholders ?? [],
      approver: content.approverId ? person(content.approverId) : null,
      links: content.links ?? [],
    },
    thread: brief.thread.map((entry) => ({
      comment: entry.kind === 'comment',
      author: person(entry.authorId),
      at: entry.at,
      body: entry.body,
      step: entry.toStatus ? statusLabel(entry.toStatus, say) : null,
      from: entry.fromStatus ? statusLabel(entry.fromStatus, say) : null,
    })),
    actions: actionsFor(input.actor, brief),
    missing: input.missing,
    commenting: forms.commenting ?? { values: { body: '' }, errors: null },
    returning: forms.returning ?? { values: { comment: '' }, errors: null },
    accepting: forms.accepting ?? { values: { acceptComment: '' }, errors: null },
    zone: input.zone,
  };
}
