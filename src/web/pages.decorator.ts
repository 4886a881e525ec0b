import { applyDecorators, SetMetadata, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '../access/access.decorators.js';
import { PageExceptionFilter } from './page-exception.filter.js';
import { ANONYMOUS_PAGE, PageSessionGuard } from './page-session.guard.js';

/**
 * A controller of pages: no bearer token (the session cookie instead), CSRF-checked forms,
 * errors rendered as pages, and left out of the API document.
 */
export const Pages = () => applyDecorators(Public(), UseGuards(PageSessionGuard), UseFilters(PageExceptionFilter), ApiExcludeController());

/** A page for visitors who are not signed in (sign-in itself). */
export const AnonymousPage = () => SetMetadata(ANONYMOUS_PAGE, true);
