import { fieldErrors, type FieldErrors } from '../common/errors.js';
import type { BriefContent } from './brief.entity.js';

/**
 * What a brief needs before it is submitted: a draft may be incomplete, a submission may not.
 * Plain TypeScript, so the rule is tested on its own.
 */

function filled(text: string | null | undefined): boolean {
  return typeof text === 'string' && text.trim().length > 0;
}

/**
 * Every field missing for a submission, named by its path in the request (`content.goals`);
 * `today` is the requesting department's date (YYYY-MM-DD), before which a deadline is past.
 */
export function findMissingForSubmission(content: BriefContent, today: string): FieldErrors {
  const errors: FieldErrors = fieldErrors();
  const require = (field: string, present: boolean, what: string) => {
    if (!present) errors[`content.${field}`] = [`content.${field} is required to submit: ${what}`];
  };
  require('background', filled(content.background), 'the background and the problem to solve');
  require('goals', (content.goals?.length ?? 0) > 0, 'at least one goal with its measurable target');
  require('vision', filled(content.vision), "the requester's vision");
  require('keyMessage', filled(content.keyMessage), 'the key message');
  require('audience.primary', filled(content.audience?.primary), 'the primary target audience');
  require('deliverables', (content.deliverables?.length ?? 0) > 0, 'at least one deliverable');
  require('deadline', filled(content.deadline), 'the deadline (YYYY-MM-DD)');
  if (content.deadline && content.deadline < today) {
    errors['content.deadline'] = [`content.deadline ${content.deadline} is in the past (today is ${today} for the requesting department)`];
  }
  require('budget', !!content.budget, 'the budget, with its amount and whether it is approved');
  if (content.budget) require('budget.amount', typeof content.budget.amount === 'number', 'the amount of the budget');
  require('successMetrics', (content.successMetrics?.length ?? 0) > 0, 'at least one success metric with its target');
  require('approverId', filled(content.approverId), 'the person who approves the brief');
  return errors;
}
