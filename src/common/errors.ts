/**
 * Domain errors thrown by services. They carry a code, and one exception filter maps codes to
 * HTTP statuses, so services never speak HTTP.
 */
export type DomainErrorCode = 'invalid' | 'unauthenticated' | 'forbidden' | 'not_found' | 'conflict' | 'too_large';

/** Field path → messages, e.g. { "hours.mon[0]": ["ends before it starts"] }. */
export type FieldErrors = Record<string, string[]>;

/**
 * An empty map to collect field errors in. It has no prototype, so a field named like an
 * Object.prototype member (`constructor`, `toString`, `__proto__`) is a key like any other, not
 * an inherited function that `errors[field].push` would trip over.
 */
export function fieldErrors(): FieldErrors {
  return Object.create(null) as FieldErrors;
}

/** A message of the catalogues (locales/) and its values: how an error reads in another language. */
export interface MessageKey {
  key: string;
  values?: Record<string, string | number>;
}

export class DomainError extends Error {
  /**
   * Where a message has a translation, its key: pages and API answers in another language show
   * it; the English `message` stays what logs, English readers and existing clients read.
   */
  messageKey?: MessageKey;

  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly fields?: FieldErrors,
    /** More the answer carries beside the error (an import stopped at its limit: its summary so far). */
    readonly details?: { summary: object },
  ) {
    super(message);
    this.name = new.target.name;
  }

  withMessageKey(key: string, values?: Record<string, string | number>): this {
    this.messageKey = { key, values };
    return this;
  }
}

export class InvalidInputError extends DomainError {
  constructor(fields: FieldErrors, message?: string) {
    super(
      'invalid',
      message ??
        Object.entries(fields)
          .map(([field, messages]) => `${field}: ${messages.join(', ')}`)
          .join('; '),
      fields,
    );
  }

  static of(field: string, message: string): InvalidInputError {
    const fields = fieldErrors();
    fields[field] = [message];
    return new InvalidInputError(fields);
  }
}

export class UnauthenticatedError extends DomainError {
  constructor(message = 'a valid API token is required (Authorization: Bearer …)') {
    super('unauthenticated', message);
  }
}

export class ForbiddenError extends DomainError {
  constructor(message: string) {
    super('forbidden', message);
  }
}

export class NotFoundError extends DomainError {
  /** `field` names the body or query field that referred to the missing record, if any. */
  constructor(entity: string, id: string, field?: string) {
    const message = `${entity} ${id} does not exist`;
    super('not_found', message, field ? { [field]: [message] } : undefined);
  }
}

export class ConflictError extends DomainError {
  constructor(message: string, fields?: FieldErrors) {
    super('conflict', message, fields);
  }
}

/** Input larger than a configured limit (an import past IMPORT_MAX_BYTES): a 413 naming the field. */
export class TooLargeError extends DomainError {
  constructor(field: string, message: string, details?: { summary: object }) {
    super('too_large', message, { [field]: [message] }, details);
  }
}
