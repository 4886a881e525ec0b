import { Body, Controller, Get, Post, Req, Res } from '@nestjs/common';
import type { Response } from 'express';
import { Roles } from '../../access/access.decorators.js';
import { isAdmin, requireDepartmentManager } from '../../access/permissions.js';
import { CreateStageDto, UpdateStageDto, type StageView } from '../../agreements/stages.dto.js';
import { StagesService } from '../../agreements/stages.service.js';
import { InvalidInputError, type FieldErrors } from '../../common/errors.js';
import { IdParam } from '../../common/id-param.js';
import { EventTypesService } from '../../connections/event-types.service.js';
import { allPages } from '../all-pages.js';
import { DirectoryService } from '../directory.service.js';
import { formErrorsOf, statusOf, validated } from '../forms.js';
import { Readers } from '../agreements/readers.js';
import { PageRenderer } from '../page-renderer.js';
import { Pages } from '../pages.decorator.js';
import type { WebRequest } from '../web-request.js';
import { presentFunnel, presentStageForm, stageTitle } from './funnel.view.js';
import { newStageValues, stageRequestOf, stageValuesOf, typedStage, type StageFormValues } from './stage-form.js';
import { StageEntryCounts } from './stage-entry-counts.js';

/**
 * The funnel for everyone signed in: the stages in order, the event entering each in words and
 * how many subjects entered it. Admins create, edit and delete stages; a head edits their own
 * department's. Every rule (who may change what, what a filter may say) is StagesService's own.
 */
@Pages()
@Controller('funnel')
export class FunnelPagesController {
  constructor(
    private readonly pages: PageRenderer,
    private readonly stages: StagesService,
    private readonly counts: StageEntryCounts,
    private readonly eventTypes: EventTypesService,
    private readonly directory: DirectoryService,
    private readonly readers: Readers,
  ) {}

  @Get()
  async list(@Req() request: WebRequest, @Res() response: Response): Promise<void> {
    const [stages, entries, words] = await Promise.all([allPages((window) => this.stages.list(window)), this.counts.perStage(), this.readers.of(request)]);
    this.pages.send(response, request, 'funnel/list', 'funnel.pageTitle', presentFunnel({ stages, entries, reader: request.actor!, words }));
  }

  @Get('new')
  @Roles('admin')
  async newForm(@Req() request: WebRequest, @Res() response: Response): Promise<void> {
    await this.showForm(request, response, null, newStageValues(), null);
  }

  @Post()
  @Roles('admin')
  async create(@Req() request: WebRequest, @Res() response: Response, @Body() body: unknown): Promise<void> {
    const values = typedStage(body);
    let created: StageView;
    try {
      const { plain, errors } = stageRequestOf(values, { admin: true });
      if (Object.keys(errors).length > 0) throw new InvalidInputError(errors);
      created = await this.stages.create(request.actor!, await validated(CreateStageDto, plain));
    } catch (error) {
      return this.showForm(request, response, null, values, formErrorsOf(error), statusOf(error));
    }
    this.pages.redirect(response, '/funnel', this.pages.t(request, 'funnel.notice.created', { name: created.name }), `stage-${created.id}`);
  }

  @Get(':id/edit')
  @Roles('admin', 'head')
  async editForm(@Req() request: WebRequest, @Res() response: Response, @IdParam() id: string): Promise<void> {
    const stage = await this.editable(request, id);
    await this.showForm(request, response, stage, stageValuesOf(stage), null);
  }

  @Post(':id')
  @Roles('admin', 'head')
  async update(@Req() request: WebRequest, @Res() response: Response, @IdParam() id: string, @Body() body: unknown): Promise<void> {
    const stage = await this.editable(request, id);
    const values = typedStage(body);
    let saved: StageView;
    try {
      const { plain, errors } = stageRequestOf(values, { admin: isAdmin(request.actor!) });
      if (Object.keys(errors).length > 0) throw new InvalidInputError(errors);
      saved = await this.stages.update(request.actor!, id, await validated(UpdateStageDto, plain));
    } catch (error) {
      return this.showForm(request, response, stage, values, formErrorsOf(error), statusOf(error));
    }
    this.pages.redirect(response, '/funnel', this.pages.t(request, 'funnel.notice.saved', { name: saved.name }), `stage-${id}`);
  }

  @Post(':id/delete')
  @Roles('admin')
  async remove(@Req() request: WebRequest, @Res() response: Response, @IdParam() id: string): Promise<void> {
    const stage = await this.stages.get(id);
    try {
      await this.stages.remove(request.actor!, id);
    } catch (error) {
      return this.showForm(request, response, stage, stageValuesOf(stage), formErrorsOf(error), statusOf(error));
    }
    this.pages.redirect(response, '/funnel', this.pages.t(request, 'funnel.notice.deleted', { name: stage.name }));
  }

  /** The stage, if the reader may change it: a head of another department gets the 403 page, not a form they cannot save. */
  private async editable(request: WebRequest, id: string): Promise<StageView> {
    const stage = await this.stages.get(id);
    requireDepartmentManager(request.actor!, stage.department?.id ?? null, 'change this funnel stage');
    return stage;
  }

  private async showForm(request: WebRequest, response: Response, stage: StageView | null, values: StageFormValues, errors: FieldErrors | null, status = 200): Promise<void> {
    const [directory, eventTypes, words] = await Promise.all([this.directory.everyone(), this.eventTypes.list(), this.readers.of(request)]);
    const view = presentStageForm({ stage, values, errors, admin: isAdmin(request.actor!), people: directory.people, directory, eventTypes: eventTypes.items, words });
    this.pages.send(response, request, 'funnel/form', stageTitle(stage, words), view, status);
  }
}
