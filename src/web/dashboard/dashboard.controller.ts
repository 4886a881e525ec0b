import { Controller, Get, Req, Res } from '@nestjs/common';
import type { Response } from 'express';
import { PageRenderer } from '../page-renderer.js';
import { Pages } from '../pages.decorator.js';
import type { WebRequest } from '../web-request.js';
import { DashboardService } from './dashboard.service.js';
import { presentDashboard } from './dashboard.view.js';

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
    const actor = request.actor!;
    const zone = request.signedIn!.person.timezone;
    const data = await this.dashboard.load(actor, zone);
    this.pages.send(response, request, 'dashboard', 'Dashboard', presentDashboard(actor, data, zone));
  }
}
