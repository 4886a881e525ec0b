import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { InvalidInputError, type FieldErrors } from './errors.js';

/** Flattens nested class-validator errors into `path → messages`, with list indexes as `[n]`. */
export function fieldErrorsOf(errors: ValidationError[], parent = ''): FieldErrors {
  const fields: FieldErrors = {};
  for (const error of errors) {
    const key = /^\d+$/.test(error.property)
      ? `${parent}[${error.property}]`
      : parent
        ? `${parent}.${error.property}`
        : error.property;
    if (error.constraints) {
      fields[key] = Object.entries(error.constraints).map(([constraint, message]) =>
        constraint === 'whitelistValidation' ? `${key} is not a known field` : message,
      );
    }
    if (error.children?.length) Object.assign(fields, fieldErrorsOf(error.children, key));
  }
  return fields;
}

/**
 * The one validation pipe: unknown fields are refused, types are converted, and every failure
 * becomes a 400 naming each faulty field.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    forbidUnknownValues: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new InvalidInputError(fieldErrorsOf(errors)),
  });
}
