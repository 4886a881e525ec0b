import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { QueryFailedError } from 'typeorm';
import { I18nService } from '../i18n/i18n.service.js';
import type { Locale } from '../i18n/locales.js';
import { STATUS_OF } from './error-status.js';
import { DomainError, type FieldErrors } from './errors.js';

/** The general message of each status, in the catalogues (common.api.*): what another language says where the English names details. */
const MESSAGE_OF_STATUS: Record<number, string> = {
  400: 'common.api.invalidRequest',
  401: 'common.api.unauthenticated',
  403: 'common.api.forbidden',
  404: 'common.api.notFound',
  409: 'common.api.conflict',
  413: 'common.api.tooLarge',
  429: 'common.api.tooManyRequests',
};

export function apiMessageKey(status: number): string {
  return MESSAGE_OF_STATUS[status] ?? (status >= 500 ? 'common.api.internal' : 'common.api.invalidRequest');
}

/** The body of every error answer: `errors` names each faulty field where there are fields to name. */
export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  errors?: FieldErrors;
  /** An import stopped at its size limit: what the lines before it gave (see ImportSummary). */
  summary?: object;
}

function reasonPhrase(status: number): string {
  const name = HttpStatus[status] as string | undefined;
  return name ? name.charAt(0) + name.slice(1).toLowerCase().replace(/_/g, ' ') : 'Error';
}

function body(status: number, message: string, errors?: FieldErrors): ErrorBody {
  return errors ? { statusCode: status, error: reasonPhrase(status), message, errors } : { statusCode: status, error: reasonPhrase(status), message };
}

/** SQLite and PostgreSQL name constraint failures differently; both mean the request conflicts with stored data. */
function constraintConflict(error: QueryFailedError): string | undefined {
  const driverError = (error as QueryFailedError & { driverError?: { code?: string } }).driverError;
  const code = driverError?.code ?? '';
  if (code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
    return 'this conflicts with an existing record';
  }
  if (code === '23503' || code === 'SQLITE_CONSTRAINT_FOREIGNKEY') {
    return 'this record is referenced by, or refers to, records that do not allow the change';
  }
  return undefined;
}

/** What Express' body parsers fail with (http-errors): a client error they chose to show. */
interface BodyParserError {
  type?: string;
  status?: number;
  expose?: boolean;
  limit?: number;
  message?: string;
}

/**
 * A body the parsers refused before any handler ran — too large, too many form fields, an
 * unknown charset or encoding, cut off — answered with the parser's own 4xx, naming the body.
 */
function bodyParserRefusal(error: BodyParserError | undefined): ErrorBody | undefined {
  if (!error || typeof error.type !== 'string' || !error.expose || !error.status || error.status < 400 || error.status >= 500) return undefined;
  const reason =
    error.type === 'entity.too.large'
      ? `is larger than the limit of ${(error.limit ?? 0).toLocaleString('en')} bytes`
      : error.type === 'parameters.too.many'
        ? 'has more form fields than the limit'
        : `could not be read: ${error.message ?? error.type}`;
  return body(error.status, `the request body ${reason}`, { body: [`the request body ${reason}`] });
}

/**
 * The one place where errors become HTTP answers. Domain errors map by code; unknown errors are
 * logged and answered with a 500 that reveals nothing of the internals.
 */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  constructor(private readonly i18n: I18nService) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const request = host.switchToHttp().getRequest<Request>();
    const answer = this.toBody(error);
    if (answer.statusCode >= 500) {
      this.logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    }
    const locale = this.i18n.forApi(request?.headers?.['accept-language']);
    response.status(answer.statusCode).json(locale === 'en' ? answer : { ...answer, message: this.translated(locale, error, answer) });
  }

  /**
   * `message` in the reader's language (Accept-Language); the rest of the answer, `errors` keys
   * and their texts included, is the contract and stays as it is. A validation failure names its
   * fields; an error with a catalogue key (DomainError.withMessageKey) reads as that; any other
   * has its status' general message.
   */
  private translated(locale: Locale, error: unknown, answer: ErrorBody): string {
    const fields = answer.errors ? Object.keys(answer.errors) : [];
    if (error instanceof DomainError && error.messageKey && this.i18n.translator.has(locale, error.messageKey.key)) {
      return this.i18n.t(locale, error.messageKey.key, error.messageKey.values);
    }
    if ((error as { type?: string } | undefined)?.type === 'entity.parse.failed' || ((error instanceof HttpException ? error.cause : undefined) as { type?: string } | undefined)?.type === 'entity.parse.failed') {
      return this.i18n.t(locale, 'common.api.invalidJson');
    }
    if (answer.statusCode === 400 && fields.length > 0) {
      return this.i18n.t(locale, 'common.api.invalid', { count: fields.length, fields: new Intl.ListFormat(locale, { type: 'conjunction' }).format(fields) });
    }
    return this.i18n.t(locale, apiMessageKey(answer.statusCode));
  }

  private toBody(error: unknown): ErrorBody {
    if (error instanceof DomainError) {
      const answer = body(STATUS_OF[error.code], error.message, error.fields);
      return error.details ? { ...answer, summary: error.details.summary } : answer;
    }
    // Express' body parser fails before any handler runs; Nest wraps its error, keeping it as the cause.
    const parserError = (error instanceof HttpException ? error.cause : error) as BodyParserError | undefined;
    if (parserError?.type === 'entity.parse.failed') {
      return body(HttpStatus.BAD_REQUEST, 'the request body is not valid JSON', { body: ['is not valid JSON'] });
    }
    const refusedBody = bodyParserRefusal(parserError);
    if (refusedBody) return refusedBody;
    if (error instanceof HttpException) {
      const status = error.getStatus();
      const response = error.getResponse();
      const message =
        typeof response === 'string'
          ? response
          : Array.isArray((response as { message?: unknown }).message)
            ? ((response as { message: string[] }).message.join('; '))
            : String((response as { message?: unknown }).message ?? error.message);
      return body(status, message);
    }
    if (error instanceof QueryFailedError) {
      const conflict = constraintConflict(error);
      if (conflict) return body(HttpStatus.CONFLICT, conflict);
    }
    return body(HttpStatus.INTERNAL_SERVER_ERROR, 'something went wrong on our side; it has been logged');
  }
}
