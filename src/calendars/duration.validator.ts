import { registerDecorator, type ValidationArguments, type ValidationOptions } from 'class-validator';
import { DurationError, parseBusinessDuration } from './business-time/index.js';

function durationProblem(value: unknown): string | undefined {
  try {
    parseBusinessDuration(value as string);
    return undefined;
  } catch (error) {
    return error instanceof DurationError ? error.message : 'is not a duration';
  }
}

/** An ISO 8601 business duration ("PT4H", "P2D"); the message says what is wrong with it. */
export function IsBusinessDuration(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isBusinessDuration',
      target: target.constructor,
      propertyName: String(propertyName),
      options: {
        message: (args: ValidationArguments) => `${args.property}: ${durationProblem(args.value) ?? 'is invalid'}`,
        ...options,
      },
      validator: { validate: (value: unknown) => durationProblem(value) === undefined },
    });
}
