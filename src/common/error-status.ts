import { HttpStatus } from '@nestjs/common';
import type { DomainErrorCode } from './errors.js';

/**
 * The HTTP status of each domain error code, for the API and the pages alike: the one mapping
 * both exception filters and the page forms read, kept apart from any filter.
 */
export const STATUS_OF: Record<DomainErrorCode, number> = {
  invalid: HttpStatus.BAD_REQUEST,
  unauthenticated: HttpStatus.UNAUTHORIZED,
  forbidden: HttpStatus.FORBIDDEN,
  not_found: HttpStatus.NOT_FOUND,
  conflict: HttpStatus.CONFLICT,
  too_large: HttpStatus.PAYLOAD_TOO_LARGE,
};
