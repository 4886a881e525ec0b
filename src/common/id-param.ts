import { Param, ParseUUIDPipe } from '@nestjs/common';
import { InvalidInputError } from './errors.js';

/** A path id that must be a UUID: a malformed id is a 400 naming the parameter, an unknown one a 404. */
export const IdParam = (name = 'id') =>
  Param(
    name,
    new ParseUUIDPipe({
      exceptionFactory: () => InvalidInputError.of(name, `${name} must be a UUID`),
    }),
  );
