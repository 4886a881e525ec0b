import { type ArgumentMetadata, applyDecorators, ValidationPipe, type ValidationError } from '@nestjs/common';
import { IsDefined, ValidateIf } from 'class-validator';
import { fieldErrors, InvalidInputError, type FieldErrors } from './errors.js';
import { findInputProblem } from './hostile-input.js';

/** Flattens nested class-validator errors into `path → messages`, with list indexes as `[n]`. */
export function fieldErrorsOf(errors: ValidationError[], parent = ''): FieldErrors {
  const fields = fieldErrors();
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
 * A field that may be left out but not sent as null: in a PATCH, left out means "unchanged",
 * and null would clear what must always be there (class-validator's IsOptional lets null through).
 */
export function IsOptionalNotNull(): PropertyDecorator {
  return applyDecorators(
    ValidateIf((_object: object, value: unknown) => value !== undefined),
    IsDefined({ message: ({ property }) => `${property} may be left out, but not null` }),
  );
}

/**
 * Refuses what no field may hold (NUL, lone surrogates, `__proto__` keys, nesting past the limit:
 * see hostile-input.ts) in every body, query and path parameter, before class-transformer and
 * class-validator walk it. Parameters read by a decorator of their own (`custom`) are left to
 * their reader: the events endpoint judges each item of a batch alone.
 */
class ApiValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type !== 'custom') {
      const problem = findInputProblem(value, metadata.data ?? '');
      if (problem) throw InvalidInputError.of(problem.path, `${problem.path} ${problem.message}`);
    }
    return super.transform(value, metadata);
  }
}

/**
 * The one validation pipe: unknown fields are refused, types are converted, and every failure
 * becomes a 400 naming each faulty field.
 */
export function createValidationPipe(): ValidationPipe {
  return new ApiValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    forbidUnknownValues: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new InvalidInputError(fieldErrorsOf(errors)),
  });
}
