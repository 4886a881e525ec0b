import { Body, Controller, Get, Post, Query, Req, Res } from '@nestjs/common';
import type { Response } from 'express';
import { Roles } from '../../access/access.decorators.js';
import { isAdmin } from '../../access/permissions.js';
import { Clock } from '../../common/clock.js';
import { InvalidInputError, type FieldErrors } from '../../common/errors.js';
import { IdParam } from '../../common/id-param.js';
import {
  CreateConnectionDto,
  DeliveriesQuery,
  TestConnectionDto,
  UpdateConnectionDto,
  type ConnectionSavedView,
  type ConnectionTestView,
  type ConnectionView,
  type DeliveryView,
} from '../../connections/connections.dto.js';
import { ConnectionsService } from '../../connections/connections.service.js';
import { DeliveriesService } from '../../connections/deliveries.service.js';
import { EventTypesService } from '../../connections/event-types.service.js';
import { allPages } from '../all-pages.js';
import { DirectoryService } from '../directory.service.js';
import { formErrorsOf, statusOf, text, validated } from '../forms.js';
import { PageRenderer } from '../page-renderer.js';
import { Pages } from '../pages.decorator.js';
import { sayFor } from '../say.js';
import type { WebRequest } from '../web-request.js';
import {
  connectionValuesOf,
  isKind,
  newConnectionValues,
  readDeliveryFilters,
  requestOf,
  typedConnection,
  typedTest,
  type ConnectionFormValues,
  type DeliveryFilters,
  type TestFormValues,
} from './connection-form.js';
import { sampleFor } from './connection-samples.js';
import { deliveryTitle, formTitle, presentDeliveries, presentDelivery, presentDetail, presentForm, presentList } from './connection.view.js';

/**
 * CRM connections for admins and heads (a head sees their own department's; members get 403):
 * the list with URLs to copy, the form, a connection with its rules in words and a dry-run test,
 * the delivery log with replay. Every rule of who may do what is the API's own (the services').
 */
@Pages()
@Roles('admin', 'head')
@Controller('connections')
export class ConnectionPagesController {
  constructor(
    private readonly pages: PageRenderer,
    private readonly connections: ConnectionsService,
    private readonly deliveries: DeliveriesService,
    private readonly eventTypes: EventTypesService,
    private readonly directory: DirectoryService,
    private readonly clock: Clock,
  ) {}

  @Get()
  async list(@Req() request: WebRequest, @Res() response: Response): Promise<void> {
    const connections = await allPages((window) => this.connections.list(request.actor!, window));
    const [summaries, directory] = await Promise.all([this.deliveries.summaries(connections.map((c) => c.id)), this.directory.naming([])]);
    this.pages.send(response, request, 'connections/list', 'connections.list.title', presentList({ connections, summaries, directory, zone: zoneOf(request), say: sayFor(this.pages, request) }));
  }

  @Get('new')
  async newForm(@Req() request: WebRequest, @Res() response: Response, @Query('kind') kind: unknown): Promise<void> {
    const typed = typeof kind === 'string' && isKind(kind) ? kind : 'hubspot';
    await this.showForm(request, response, null, newConnectionValues(typed), null);
  }

  @Post()
  async create(@Req() request: WebRequest, @Res() response: Response, @Body() body: unknown): Promise<void> {
    const values = typedConnection(body);
    let created: ConnectionSavedView;
    try {
      const { plain, errors } = requestOf(values, { editing: false, admin: isAdmin(request.actor!) });
      if (Object.keys(errors).length > 0) throw new InvalidInputError(errors);
      created = await this.connections.create(request.actor!, await validated(CreateConnectionDto, plain));
    } catch (error) {
      return this.showForm(request, response, null, values, formErrorsOf(error), statusOf(error));
    }
    // Shown here, not after a redirect: a generated secret must not travel in an address (history, logs).
    await this.showDetail(request, response, created, null, { secret: created.secret ?? null, webhookUrl: created.webhookUrl, warnings: created.warnings }, 201);
  }

  @Get(':id')
  async detail(@Req() request: WebRequest, @Res() response: Response, @IdParam() id: string): Promise<void> {
    await this.showDetail(request, response, await this.connections.get(request.actor!, id), null, null);
  }

  @Get(':id/edit')
  async editForm(@Req() request: WebRequest, @Res() response: Response, @IdParam() id: string): Promise<void> {
    const connection = await this.connections.get(request.actor!, id);
    await this.showForm(request, response, connection, connectionValuesOf(connection), null);
  }

  @Post(':id')
  async update(@Req() request: WebRequest, @Res() response: Response, @IdParam() id: string, @Body() body: unknown): Promise<void> {
    const connection = await this.connections.get(request.actor!, id);
    const values = { ...typedConnection(body), kind: connection.kind };
    let saved: ConnectionSavedView;
    try {
      const { plain, errors } = requestOf(values, { editing: true, admin: isAdmin(request.actor!) });
      if (Object.keys(errors).length > 0) throw new InvalidInputError(errors);
      saved = await this.connections.update(request.actor!, id, await validated(UpdateConnectionDto, plain));
    } catch (error) {
      return this.showForm(request, response, connection, values, formErrorsOf(error), statusOf(error));
    }
    const notice = saved.warnings.length > 0 ? this.pages.t(request, 'connections.notice.savedWarned', { count: saved.warnings.length }) : this.pages.t(request, 'connections.notice.saved');
    this.pages.redirect(response, `/connections/${id}`, notice);
  }

  @Post(':id/delete')
  async remove(@Req() request: WebRequest, @Res() response: Response, @IdParam() id: string): Promise<void> {
    const connection = await this.connections.get(request.actor!, id);
    await this.connections.remove(request.actor!, id);
    this.pages.redirect(response, '/connections', this.pages.t(request, 'connections.notice.deleted', { name: connection.name }));
  }

  @Post(':id/test')
  async test(@Req() request: WebRequest, @Res() response: Response, @IdParam() id: string, @Body() body: unknown): Promise<void> {
    const connection = await this.connections.get(request.actor!, id);
    const values = typedTest(body);
    let result: ConnectionTestView | null = null;
    let errors: FieldErrors | null = null;
    let status = 200;
    try {
      result = await this.deliveries.preview(request.actor!, id, await validated(TestConnectionDto, { body: values.body, contentType: text(values.contentType) }));
    } catch (error) {
      errors = formErrorsOf(error);
      status = statusOf(error);
    }
    await this.showDetail(request, response, connection, { values, result, errors }, null, status);
  }

  @Get(':id/deliveries')
  async deliveryLog(@Req() request: WebRequest, @Res() response: Response, @IdParam() id: string, @Query() filters: DeliveryFilters): Promise<void> {
    const connection = await this.connections.get(request.actor!, id);
    const zone = zoneOf(request);
    const say = sayFor(this.pages, request);
    const { values, offset, query, errors } = readDeliveryFilters(filters, zone);
    let page: { items: DeliveryView[]; total: number } = { items: [], total: 0 };
    try {
      if (Object.keys(errors).length > 0) throw new InvalidInputError(errors);
      page = await this.deliveries.list(request.actor!, id, await validated(DeliveriesQuery, query));
    } catch (error) {
      Object.assign(errors, formErrorsOf(error));
    }
    const view = presentDeliveries({ connection, page, values, errors, offset, zone, say });
    this.pages.send(response, request, 'connections/deliveries', deliveryTitle(connection, say), view, view.errors ? 400 : 200);
  }

  @Get(':id/deliveries/:deliveryId')
  async delivery(@Req() request: WebRequest, @Res() response: Response, @IdParam() id: string, @IdParam('deliveryId') deliveryId: string): Promise<void> {
    const connection = await this.connections.get(request.actor!, id);
    const delivery = await this.deliveries.get(request.actor!, id, deliveryId);
    this.pages.send(response, request, 'connections/delivery', this.pages.t(request, 'connections.delivery.pageTitle', { name: connection.name }), presentDelivery({ connection, delivery, zone: zoneOf(request), say: sayFor(this.pages, request) }));
  }

  @Post(':id/deliveries/:deliveryId/replay')
  async replay(@Req() request: WebRequest, @Res() response: Response, @IdParam() id: string, @IdParam('deliveryId') deliveryId: string): Promise<void> {
    let notice: string;
    try {
      const replayed = await this.deliveries.replay(request.actor!, id, deliveryId);
      notice = this.pages.t(request, 'connections.notice.replayed', { outcome: this.pages.t(request, `connections.outcome.${replayed.outcome}`), count: replayed.eventIds.length });
    } catch (error) {
      // A refusal (a kind not read yet, a payload the rules cannot read) is told on the delivery's page.
      notice = this.pages.t(request, 'connections.notice.notReplayed', { reasons: Object.values(formErrorsOf(error)).flat().join(' ') });
    }
    this.pages.redirect(response, `/connections/${id}/deliveries/${deliveryId}`, notice);
  }

  private async showForm(request: WebRequest, response: Response, connection: ConnectionView | null, values: ConnectionFormValues, errors: FieldErrors | null, status = 200): Promise<void> {
    const [types, directory] = await Promise.all([this.eventTypes.list(), this.directory.naming([])]);
    const say = sayFor(this.pages, request);
    const view = presentForm({ connection, values, errors, eventTypes: types.items, admin: isAdmin(request.actor!), directory, say });
    this.pages.send(response, request, 'connections/form', formTitle(connection, say), view, status);
  }

  private async showDetail(
    request: WebRequest,
    response: Response,
    connection: ConnectionView,
    test: { values: TestFormValues; result: ConnectionTestView | null; errors: FieldErrors | null } | null,
    created: { secret: string | null; webhookUrl: string; warnings: string[] } | null,
    status = 200,
  ): Promise<void> {
    const [summaries, directory, unseenTypes] = await Promise.all([
      this.deliveries.summaries([connection.id]),
      this.directory.naming([]),
      this.eventTypes.unseen(connection.rules.map((rule) => rule.emit)),
    ]);
    const view = presentDetail({
      unseenTypes,
      connection,
      directory,
      summary: summaries.get(connection.id) ?? { total: 0, byOutcome: {}, last: null },
      zone: zoneOf(request),
      sample: sampleFor(connection.kind, connection.rules, this.clock.now(), connection.settings),
      test,
      created,
      say: sayFor(this.pages, request),
    });
    this.pages.send(response, request, 'connections/detail', this.pages.t(request, 'connections.detail.pageTitle', { name: connection.name }), view, status);
  }
}

function zoneOf(request: WebRequest): string {
  return request.signedIn!.person.timezone;
}
