import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { DateTime } from 'luxon';
import { STATUS_OF } from '../common/error-status.js';
import { DomainError, InvalidInputError, type DomainErrorCode, type FieldErrors } from '../common/errors.js';
import { fieldErrorsOf } from '../common/validation.js';

/**
 * Form posts go through the API's own DTOs and rules, so a page can never accept what the API
 * refuses: the same class-validator options as the global pipe, the same field paths in errors.
 */
export async function validated<T extends object>(type: new () => T, plain: unknown): Promise<T> {
  const instance = plainToInstance(type, plain ?? {}) as T;
  const errors = await validate(instance, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true, validationError: { target: false, value: false } });
  if (errors.length > 0) throw new InvalidInputError(fieldErrorsOf(errors));
  return instance;
}

/**
 * The field errors to show next to a form's fields when a post was refused; errors that name no
 * field are shown at the top (`form`). Anything else (a 403, a crash) is not a form error and is
 * rethrown to become an error page.
 */
export function formErrorsOf(error: unknown): FieldErrors {
  if (isFormError(error)) {
    return error.fields && Object.keys(error.fields).length > 0 ? error.fields : { form: [error.message] };
  }
  throw error;
}

/** Refusals a form shows in place; any other error becomes an error page. */
const FORM_ERROR_CODES: ReadonlySet<DomainErrorCode> = new Set(['invalid', 'not_found', 'conflict']);

function isFormError(error: unknown): error is DomainError {
  return error instanceof DomainError && FORM_ERROR_CODES.has(error.code);
}

/** The status a refused form is shown again with: the API's for the same refusal (400, 404, 409). */
export function statusOf(error: unknown): number {
  return isFormError(error) ? STATUS_OF[error.code] : 400;
}

/** A nested part of a posted form (`entries`, `hours`…) as an object, or an empty one when it is not. */
export function asRecord(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** Text from a form: trimmed, blank as undefined (an optional field left empty is not sent). */
export function text(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

/**
 * A day typed in a filter ("2026-11-02") as an instant in the reader's zone: its first instant,
 * or, for an inclusive end (`after`), the first instant of the day after, so the day typed is
 * included. Anything else is an error under the field, and undefined.
 */
export function dayStart(value: string, zone: string, field: string, errors: FieldErrors, after = false): string | undefined {
  if (!value) return undefined;
  const day = DateTime.fromISO(value, { zone });
  if (!day.isValid || !/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    errors[field] = [`${field} must be a date such as 2026-11-02`];
    return undefined;
  }
  return (after ? day.plus({ days: 1 }) : day).toISO() as string;
}

/** A number typed in a form; what is not a number is passed on as typed, for the validator to name. */
export function numeric(value: unknown): number | string | undefined {
  const typed = text(value);
  if (typed === undefined) return undefined;
  const number = Number(typed.replace(',', '.'));
  return Number.isFinite(number) ? number : typed;
}

export function checkbox(value: unknown): boolean {
  return value === 'true' || value === 'on' || value === true;
}

/** Repeated rows of a form (`goals[0][…]`, `goals[1][…]`) as a list, rows left entirely blank dropped. */
export function rows(value: unknown): Record<string, unknown>[] {
  const list = Array.isArray(value) ? value : value && typeof value === 'object' ? Object.values(value) : [];
  return list.filter(
    (row): row is Record<string, unknown> =>
      !!row && typeof row === 'object' && Object.values(row as Record<string, unknown>).some((cell) => typeof cell === 'string' ? cell.trim() !== '' : cell !== undefined && cell !== null),
  );
}

/** Lines of a textarea as a list. */
export function lines(value: unknown): string[] {
  return typeof value === 'string' ? value.split(/\r?\n/).map((line) => line.trim()).filter(Boolean) : [];
}
