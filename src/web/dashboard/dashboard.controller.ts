import { Controller, Get, Req, Res } from '@nestjs/common';
import type { Response } from 'express';
import { PageRenderer } from '../page-renderer.js';
import { Pages } from '../pages.decorator.js';
import type { WebRequest } from '../web-request.js';

/** The first page after sign-in: what concerns me this period. */
@Pages()
@Controller()
export class DashboardController {
  constructor(private readonly pages: PageRenderer) {}

  @Get()
  show(@Req() request: WebRequest, @Res() response: Response): void {
    this.pages.send(response, request, 'dashboard', 'Dashboard', {});
  }
}
