import { Controller, Get, Req, Res } from '@nestjs/common';
import type { Response } from 'express';
import { PageRenderer } from '../page-renderer.js';
import { Pages } from '../pages.decorator.js';
import type { WebRequest } from '../web-request.js';
import { DashboardService } from './dashboard.service.js';

/** The first page after sign-in: what concerns me this period. */
@Pages()
@Controller()
export class DashboardController {
  constructor(
    private readonly pages: PageRenderer,
    private readonly dashboard: DashboardService,
  ) {}

  @Get()
  async show(@Req() request: WebRequest, @Res() response: Response): Promise<void> {
    const zone = request.signedIn!.person.timezone;
    const dashboard = await this.dashboard.build(request.actor!, zone);
    this.pages.send(response, request, 'dashboard', 'Dashboard', { ...dashboard, zone });
  }
}
