import type { FieldErrors } from '../../common/errors.js';


/**
 * Errors of a second form on a page (a token's `name` beside the person's `name`) under a prefix
 * of their own, so their controls, ids and error paths do not collide.
 */
export function prefixErrors(errors: FieldErrors | null, prefix: string): FieldErrors | null {
  if (!errors) return null;
  return Object.fromEntries(Object.entries(errors).map(([path, messages]) => [path === 'form' ? path : `${prefix}.${path}`, messages]));
}

/** Errors that belong to no field (a 409 on delete): shown at the top, where the summary's link lands. */
export function formProblemOf(errors: FieldErrors | null): string[] | null {
  return errors?.form && errors.form.length > 0 ? errors.form : null;
}

export interface Option {
  value: string;
  label: string;
}
