import type { Actor } from '../../access/actor.js';
import { isAdmin } from '../../access/permissions.js';
import type { FieldErrors } from '../../common/errors.js';
import type { Page } from '../../common/pagination.js';
import { mayExplainBreach, mayReviewBreach } from '../../tracking/breach-access.js';
import type { BreachDetailView, BreachView } from '../../tracking/tracking.dto.js';
import type { Directory, Named } from '../directory.js';
import { BREACH_PAGE_SIZE, type BreachFilterValues } from './breach-filters.js';
import { sharedTranslator } from '../../i18n/translator.js';

/**
 * What the breach pages show: the list with its filters, each breach with its department and
 * owner by name, and one breach with the explanation its owner owes, every earlier revision and
 * the consumer head's review. Who may explain or review is tracking's rule (breach-access.ts);
 * these only hide the forms that would be refused.
 */

/** A message of breaches.json in the reader's language (PageRenderer.t bound to the request). */
export type Translate = (key: string, values?: Record<string, string | number>) => string;

/** English, for callers that render no page in particular (and the unit tests). */
export const inEnglish: Translate = (key, values) => sharedTranslator().t('en', key, values);

const EXPLAINED_CHOICES = ['unexplained', 'explained', 'all'] as const;

/** Who did it, by name, or a dash when nobody is recorded. */
const NOBODY = '–';

/** A refused post on the detail page: which form, what was typed and what is wrong, shown in that form. */
export interface RefusedForm {
  form: 'explanation' | 'review';
  values: object;
  errors: FieldErrors;
}

export function presentList(input: {
  values: BreachFilterValues;
  /** The filters' errors and the API's refusal of them; empty when none. */
  errors: FieldErrors;
  page: Pick<Page<BreachView>, 'items' | 'total'>;
  offset: number;
  agreements: Named[];
  directory: Directory;
  zone: string;
  t?: Translate;
}) {
  const { values, errors, page, offset, directory } = input;
  const t = input.t ?? inEnglish;
  const next = new URLSearchParams({ ...values, offset: String(offset + BREACH_PAGE_SIZE) });
  return {
    values,
    errors: Object.keys(errors).length > 0 ? errors : null,
    zone: input.zone,
    agreementOptions: [{ value: '', label: t('breaches.filter.allAgreements') }, ...input.agreements.map((agreement) => ({ value: agreement.id, label: agreement.name }))],
    departmentOptions: [{ value: '', label: t('breaches.filter.allDepartments') }, ...directory.departments.map((department) => ({ value: department.id, label: department.name }))],
    explainedOptions: EXPLAINED_CHOICES.map((value) => ({ value, label: t(`breaches.explained.${value}`) })),
    breaches: page.items.map((breach) => ({
      ...breach,
      department: owningDepartments(breach, directory, t),
      owner: directory.memberName(breach.ownerId) ?? '',
    })),
    total: page.total,
    shown: page.items.length,
    nextPage: offset + BREACH_PAGE_SIZE < page.total ? `/breaches?${next.toString()}` : null,
  };
}

/** "Marketing", or for a joint (conversion) breach "Marketing and Sales": who owns it. */
function owningDepartments(breach: Pick<BreachView, 'departmentId' | 'consumerDepartmentId' | 'joint'>, directory: Directory, t: Translate): string {
  const provider = directory.departmentName(breach.departmentId, '');
  return breach.joint ? t('breaches.jointDepartments', { provider, consumer: directory.departmentName(breach.consumerDepartmentId, '') }) : provider;
}

export function detailTitle(breach: Pick<BreachView, 'agreementName'>, t: Translate = inEnglish): string {
  return t('breaches.detailTitle', { agreement: breach.agreementName });
}

/**
 * One breach: who owns it and who explained and reviewed it, by name ("a former member" once
 * they have left), the explanation's revisions newest first, and the explanation and review forms
 * for whoever may use them, empty or as a refused post typed them.
 */
export function presentDetail(input: { actor: Actor; breach: BreachDetailView; directory: Directory; refused: RefusedForm | null; zone: string; t?: Translate }) {
  const { actor, breach, directory, refused } = input;
  const t = input.t ?? inEnglish;
  const nameOf = (personId: string | null) => directory.memberName(personId);
  const history = breach.history.map((revision) => ({
    ...revision,
    by: nameOf(revision.explainedBy),
    byName: nameOf(revision.explainedBy) ?? NOBODY,
    reviews: revision.reviews.map((review) => ({ ...review, by: nameOf(review.reviewedBy), byName: nameOf(review.reviewedBy) ?? NOBODY })),
  }));
  const consumerDepartment = directory.departmentName(breach.consumerDepartmentId, '');
  return {
    breach,
    zone: input.zone,
    department: owningDepartments(breach, directory, t),
    consumerDepartment,
    // A joint breach is reviewed by the head of either department who did not write the explanation.
    reviewer: breach.joint ? t('breaches.reviewer.otherHead') : t('breaches.reviewer.headOf', { department: consumerDepartment }),
    reviewingAs: breach.joint ? directory.departmentName(actor.departmentId ?? '', consumerDepartment) : consumerDepartment,
    owner: nameOf(breach.ownerId),
    explainedBy: nameOf(breach.explainedBy),
    explainedByName: nameOf(breach.explainedBy) ?? NOBODY,
    reviewLabel: breach.reviewStatus ? t(`breaches.review.${breach.reviewStatus}`) : null,
    review: breach.review ? { ...breach.review, by: nameOf(breach.review.reviewedBy), byName: nameOf(breach.review.reviewedBy) ?? NOBODY } : null,
    // Newest first: the reader wants what is said now, then what was said before.
    history: history.reverse(),
    edited: breach.history.length > 1,
    mayExplain: !breach.withdrawnAt && mayExplainBreach(actor, breach),
    mayReview: !breach.withdrawnAt && breach.explained && mayReviewBreach(actor, breach),
    isAdmin: isAdmin(actor),
    values: refused?.form === 'explanation' ? refused.values : { cause: breach.cause ?? '', correctiveAction: breach.correctiveAction ?? '' },
    errors: refused?.form === 'explanation' ? refused.errors : null,
    reviewValues: refused?.form === 'review' ? refused.values : { comment: '' },
    reviewErrors: refused?.form === 'review' ? refused.errors : null,
  };
}
