import { applyDecorators, Injectable, UseInterceptors, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { Request } from 'express';
import type { Observable } from 'rxjs';
import { InvalidInputError } from './errors.js';

/**
 * What an action that takes no body says about a body it was sent: nothing for an absent or empty
 * one, else a 400 naming each field, in the words the validation pipe uses for unknown fields —
 * so `POST …/propose {"comment": "…"}` is refused like an unknown field anywhere else, instead of
 * being dropped in silence.
 */
export function refuseBody(body: unknown): void {
  if (body === undefined || body === null || body === '') return;
  if (typeof body === 'object' && !Array.isArray(body)) {
    const fields = Object.keys(body);
    if (fields.length === 0) return;
    // fromEntries defines own properties, so a field named "__proto__" is named, not swallowed.
    throw new InvalidInputError(Object.fromEntries(fields.map((field) => [field, [`${field} is not a known field`]])));
  }
  throw InvalidInputError.of('body', 'this action takes no body');
}

@Injectable()
export class RefuseBodyInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    refuseBody(context.switchToHttp().getRequest<Request>().body);
    return next.handle();
  }
}

/**
 * Marks an API action that takes no body (propose, submit, cancel, sweep, a DELETE…). It runs
 * after authentication, before the path is parsed or anything is read or written.
 */
export const NoBody = () => applyDecorators(UseInterceptors(RefuseBodyInterceptor));
