import { Injectable } from '@nestjs/common';
import { EventTypeNamesService } from '../../agreements/event-type-names.service.js';
import { I18nService } from '../../i18n/i18n.service.js';
import { PageRenderer } from '../page-renderer.js';
import type { WebRequest } from '../web-request.js';
import { readerFor, type Reader } from './reader.js';

/** The reader of a page request: its language (PageRenderer's choice) and the organisation's names of event types in it. */
@Injectable()
export class Readers {
  constructor(
    private readonly pages: PageRenderer,
    private readonly i18n: I18nService,
    private readonly eventTypeNames: EventTypeNamesService,
  ) {}

  async of(request: WebRequest): Promise<Reader> {
    const locale = this.pages.localeOf(request);
    return readerFor(locale, this.i18n.translator, await this.eventTypeNames.namer(locale));
  }
}
