import { Controller, Get, Req, Res } from '@nestjs/common';
import type { Response } from 'express';
import { PageRenderer } from '../page-renderer.js';
import { Pages } from '../pages.decorator.js';
import type { WebRequest } from '../web-request.js';
import { DashboardService } from './dashboard.service.js';
import { presentDashboard } from './dashboard.view.js';
import { I18nService } from '../../i18n/i18n.service.js';

/** The first page after sign-in: what concerns me this period. */
@Pages()
@Controller()
export class DashboardController {
  constructor(
    private readonly pages: PageRenderer,
    private readonly dashboard: DashboardService,
    private readonly i18n: I18nService,
  ) {}

  @Get()
  async show(@Req() request: WebRequest, @Res() response: Response): Promise<void> {
    const actor = request.actor!;
    const zone = request.signedIn!.person.timezone;
    const data = await this.dashboard.load(actor, zone);
    const locale = this.pages.localeOf(request);
    const words = { locale, t: (key: string, values?: Record<string, string | number>) => this.i18n.t(locale, key, values) };
    this.pages.send(response, request, 'dashboard', 'dashboard.pageTitle', presentDashboard(actor, data, zone, words));
  }
}
