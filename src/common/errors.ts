/**
 * Domain errors thrown by services. They carry a code, and one exception filter maps codes to
 * HTTP statuses, so services never speak HTTP.
 */
export type DomainErrorCode = 'invalid' | 'unauthenticated' | 'forbidden' | 'not_found' | 'conflict';

/** Field path → messages, e.g. { "hours.mon[0]": ["ends before it starts"] }. */
export type FieldErrors = Record<string, string[]>;

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly fields?: FieldErrors,
  ) {
    super(message);
    this.name = new.target.name;
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
    return new InvalidInputError({ [field]: [message] });
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
