import { fieldErrors, type FieldErrors } from '../../common/errors.js';
import { offsetOfText } from '../../common/pagination.js';
import { dayStart, text } from '../forms.js';

/** How many breaches the list shows at a time. */
export const BREACH_PAGE_SIZE = 50;

/** The list's filters, as the address carries them. */
export interface BreachFilters {
  agreementId?: string;
  departmentId?: string;
  explained?: string;
  from?: string;
  to?: string;
  offset?: string;
}

/** The filters as shown again in the form: unexplained breaches unless asked otherwise. */
export interface BreachFilterValues {
  agreementId: string;
  departmentId: string;
  explained: string;
  from: string;
  to: string;
}

/**
 * Reads the list's filters: the values to show again, the page asked for, and the query the API's
 * BreachesQuery validates. The dates are days in the reader's zone: "from" their first instant,
 * "to" the first instant of the day after, so the day typed is included. A date that is not one
 * is an error under its field (and the query leaves it out).
 */
export function readBreachFilters(filters: BreachFilters, zone: string) {
  const values: BreachFilterValues = {
    agreementId: text(filters.agreementId) ?? '',
    departmentId: text(filters.departmentId) ?? '',
    explained: text(filters.explained) ?? 'unexplained',
    from: text(filters.from) ?? '',
    to: text(filters.to) ?? '',
  };
  const errors: FieldErrors = fieldErrors();
  const offset = offsetOfText(filters.offset);
  const query = {
    agreementId: values.agreementId || undefined,
    departmentId: values.departmentId || undefined,
    explained: values.explained === 'all' ? undefined : String(values.explained === 'explained'),
    from: dayStart(values.from, zone, 'from', errors),
    to: dayStart(values.to, zone, 'to', errors, true),
    limit: String(BREACH_PAGE_SIZE),
    offset: String(offset),
  };
  return { values, offset, query, errors };
}
