import { type ExecutionContext, HttpException, Injectable, type NestInterceptor, type NestMiddleware } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { of } from 'rxjs';
import { datesImportLimit } from '../../calendars/dates-import-body.js';
import { AppConfig } from '../../config/app-config.js';
import type { UploadFields } from './calendar-upload.js';

/**
 * Reads the admin calendar page's multipart upload (the file and the form's other fields) before
 * the page guard runs, as Express' parsers read every other form: the guard checks the CSRF token
 * in the body, and Nest's FileInterceptor would only parse it after the guards. It is that
 * interceptor's multer all the same (memory storage, Nest's limits on parts and field names),
 * with the dated-hours import's size limit. A refused upload (too large, a second file) is kept
 * on the request for the page to show under the file field, not thrown past the page's filter.
 */
@Injectable()
export class CalendarUploadMiddleware implements NestMiddleware {
  private readonly multer: NestInterceptor;

  constructor(config: AppConfig) {
    const Interceptor = FileInterceptor('file', {
      limits: { fileSize: datesImportLimit(config.IMPORT_MAX_BYTES), files: 1, fields: 4, fieldSize: 1024, parts: 5 },
    });
    this.multer = new Interceptor();
  }

  async use(request: Request & UploadFields, response: Response, next: NextFunction): Promise<void> {
    const http = { getRequest: () => request, getResponse: () => response, getNext: () => next };
    try {
      await this.multer.intercept({ switchToHttp: () => http } as unknown as ExecutionContext, { handle: () => of(null) });
    } catch (error) {
      request.uploadProblem =
        error instanceof HttpException ? { status: error.getStatus(), message: error.message } : { status: 400, message: 'the upload was cut off or malformed' };
    }
    next();
  }
}
