import { Body, Controller, Get, Post, Query, Req, Res } from '@nestjs/common';
import type { Response } from 'express';
import { Clock } from '../../common/clock.js';
import { InvalidInputError, type FieldErrors } from '../../common/errors.js';
import { IdParam } from '../../common/id-param.js';
import type { PageQuery } from '../../common/pagination.js';
import { AgendaBuilder } from '../../meetings/agenda-builder.js';
import { AgendaItemDto, AttendanceDto, NotesDto, OutcomeDto, type MeetingView } from '../../meetings/meeting-room.dto.js';
import { MeetingRoomService } from '../../meetings/meeting-room.service.js';
import { MeetingSeriesService } from '../../meetings/meeting-series.service.js';
import { MoveMeetingDto } from '../../meetings/meetings.dto.js';
import { MeetingsService } from '../../meetings/meetings.service.js';
import { MinutesService } from '../../meetings/minutes.service.js';
import { allPages } from '../all-pages.js';
import { DirectoryService } from '../directory.service.js';
import { asRecord, formErrorsOf, statusOf, text, validated } from '../forms.js';
import { PageRenderer } from '../page-renderer.js';
import { Pages } from '../pages.decorator.js';
import type { WebRequest } from '../web-request.js';
import { GENERAL, presentList, presentMinutes, presentRoom, roomTitle, seriesOf, type Refused } from './meeting-pages.view.js';
import { attendanceRequest, errorsOnRows, onField, prefixed, revisionNumber, type Say, typedOnly } from './meeting-room.view.js';
import { instantOfLocal } from './series-form.js';

/**
 * The meetings pages: the list of my series' meetings, and the meeting room where the chair or
 * minute-taker records attendance, notes and outcomes on the agenda, finalizes the minutes and
 * the heads sign them off. The services decide who may do what; the page only hides buttons that
 * would be refused.
 */
@Pages()
@Controller('meetings')
export class MeetingPagesController {
  constructor(
    private readonly pages: PageRenderer,
    private readonly series: MeetingSeriesService,
    private readonly meetings: MeetingsService,
    private readonly room: MeetingRoomService,
    private readonly agenda: AgendaBuilder,
    private readonly minutes: MinutesService,
    private readonly directory: DirectoryService,
    private readonly clock: Clock,
  ) {}

  @Get()
  async list(@Req() request: WebRequest, @Res() response: Response): Promise<void> {
    const actor = request.actor!;
    const mine = seriesOf(actor, await allPages((window) => this.series.list(window as PageQuery)));
    this.pages.send(response, request, 'meetings/list', 'meetings.list.pageTitle', presentList(actor, mine, this.clock.now(), request.signedIn!.person.timezone, this.say(request), this.pages.localeOf(request)));
  }

  @Get(':id')
  async show(@Req() request: WebRequest, @Res() response: Response, @IdParam() id: string): Promise<void> {
    await this.showRoom(request, response, id, null);
  }

  @Post(':id/agenda/build')
  async buildAgenda(@Req() request: WebRequest, @Res() response: Response, @IdParam() id: string): Promise<void> {
    try {
      await this.room.edit(request.actor!, id, 'agenda', (manager, series, meeting) => this.agenda.build(manager, series, meeting));
    } catch (error) {
      return this.showRoom(request, response, id, { section: 'agenda', key: null, values: null, errors: formErrorsOf(error) });
    }
    this.back(response, id, 'agenda', this.pages.t(request, 'meetings.notice.agendaBuilt'));
  }

  @Post(':id/agenda')
  async addItem(@Req() request: WebRequest, @Res() response: Response, @IdParam() id: string, @Body() body: Record<string, unknown>): Promise<void> {
    const typed = { title: text(asRecord(body.newItem).title) };
    try {
      await this.room.addAgendaItem(request.actor!, id, await validated(AgendaItemDto, typed));
    } catch (error) {
      return this.showRoom(request, response, id, { section: 'agenda', key: null, values: typed, errors: prefixed(formErrorsOf(error), 'newItem') });
    }
    this.back(response, id, 'agenda', this.pages.t(request, 'meetings.notice.itemAdded'));
  }

  @Post(':id/agenda/:itemId/notes')
  async notes(
    @Req() request: WebRequest,
    @Res() response: Response,
    @IdParam() id: string,
    @IdParam('itemId') itemId: string,
    @Body() body: Record<string, unknown>,
  ): Promise<void> {
    const typed = asRecord(body.notes)[itemId];
    // Emptying the box clears the notes; what was typed is kept as typed (line breaks and all).
    const notes = typeof typed === 'string' && typed.trim() !== '' ? typed : null;
    try {
      await this.room.takeNotes(request.actor!, id, itemId, await validated(NotesDto, { notes }));
    } catch (error) {
      return this.showRoom(request, response, id, { section: 'notes', key: itemId, values: typed ?? '', errors: onField(formErrorsOf(error), `notes.${itemId}`) });
    }
    this.back(response, id, `item-${itemId}`, this.pages.t(request, 'meetings.notice.notesSaved'));
  }

  @Post(':id/agenda/:itemId/outcomes')
  async itemOutcome(
    @Req() request: WebRequest,
    @Res() response: Response,
    @IdParam() id: string,
    @IdParam('itemId') itemId: string,
    @Body() body: Record<string, unknown>,
  ): Promise<void> {
    await this.recordOutcome(request, response, id, itemId, body);
  }

  @Post(':id/outcomes')
  async outcome(@Req() request: WebRequest, @Res() response: Response, @IdParam() id: string, @Body() body: Record<string, unknown>): Promise<void> {
    await this.recordOutcome(request, response, id, null, body);
  }

  @Post(':id/attendance')
  async attendance(@Req() request: WebRequest, @Res() response: Response, @IdParam() id: string, @Body() body: Record<string, unknown>): Promise<void> {
    const { entries, rows } = attendanceRequest(body);
    try {
      await this.room.recordAttendance(request.actor!, id, await validated(AttendanceDto, { entries }));
    } catch (error) {
      // The rows as posted (qs makes them a list, or an object past its array limit): ticks and choices stay.
      const typed = body.entries && typeof body.entries === 'object' ? body.entries : [];
      return this.showRoom(request, response, id, { section: 'attendance', key: null, values: typed, errors: errorsOnRows(formErrorsOf(error), rows) });
    }
    this.back(response, id, 'attendance', this.pages.t(request, 'meetings.notice.attendanceRecorded'));
  }

  @Post(':id/minutes/finalize')
  async finalize(@Req() request: WebRequest, @Res() response: Response, @IdParam() id: string, @Body() body: Record<string, unknown>): Promise<void> {
    await this.minutesStep(request, response, id, body, () => this.minutes.finalize(request.actor!, id), this.pages.t(request, 'meetings.notice.finalized'));
  }

  @Post(':id/minutes/approve')
  async approve(@Req() request: WebRequest, @Res() response: Response, @IdParam() id: string, @Body() body: Record<string, unknown>): Promise<void> {
    await this.minutesStep(request, response, id, body, () => this.minutes.approve(request.actor!, id), (after) =>
      this.pages.t(request, after.minutesStatus === 'approved' ? 'meetings.notice.approved' : 'meetings.notice.signedOff'),
    );
  }

  @Post(':id/minutes/corrections')
  async correct(@Req() request: WebRequest, @Res() response: Response, @IdParam() id: string, @Body() body: Record<string, unknown>): Promise<void> {
    await this.minutesStep(request, response, id, body, () => this.minutes.correct(request.actor!, id), (after) => this.pages.t(request, 'meetings.notice.correction', { revision: after.minutesRevision }));
  }

  /** Moves this one occurrence; the new start is typed as local time in the series' zone. */
  @Post(':id/move')
  async move(@Req() request: WebRequest, @Res() response: Response, @IdParam() id: string, @Body() body: Record<string, unknown>): Promise<void> {
    const typed = typeof body.startsAt === 'string' ? body.startsAt : '';
    try {
      const meeting = await this.room.get(id);
      const zone = (await this.series.get(meeting.seriesId)).timezone;
      const startsAt = instantOfLocal(typed, zone);
      if (startsAt === null) throw InvalidInputError.of('startsAt', this.pages.t(request, 'meetings.room.startsAtInvalid'));
      await this.meetings.move(request.actor!, id, await validated(MoveMeetingDto, { startsAt }));
    } catch (error) {
      return this.showRoom(request, response, id, { section: 'schedule', key: null, values: typed, errors: formErrorsOf(error), status: statusOf(error) });
    }
    this.back(response, id, 'schedule', this.pages.t(request, 'meetings.notice.moved'));
  }

  @Post(':id/cancel')
  async cancelMeeting(@Req() request: WebRequest, @Res() response: Response, @IdParam() id: string): Promise<void> {
    try {
      await this.meetings.cancel(request.actor!, id);
    } catch (error) {
      return this.showRoom(request, response, id, { section: 'schedule', key: null, values: null, errors: onField(formErrorsOf(error), 'form'), status: statusOf(error) });
    }
    this.back(response, id, 'schedule', this.pages.t(request, 'meetings.notice.cancelled'));
  }

  /** The minutes as they stand (or a stored revision), inside the site's layout. */
  @Get(':id/minutes')
  async minutesPage(@Req() request: WebRequest, @Res() response: Response, @IdParam() id: string, @Query('revision') revision?: string): Promise<void> {
    await this.showMinutes(request, response, id, revision, null);
  }

  @Get(':id/minutes.pdf')
  async minutesPdf(@Req() request: WebRequest, @Res() response: Response, @IdParam() id: string, @Query('revision') revision?: string): Promise<void> {
    const pdf = (await this.minutes.render(id, 'pdf', revisionNumber(revision), request.actor!.personId, this.pages.localeOf(request))) as Buffer;
    response.status(200).type('application/pdf').setHeader('Cache-Control', 'no-store');
    response.setHeader('Content-Disposition', `attachment; filename="minutes-${id}.pdf"`);
    response.send(pdf);
  }

  private async recordOutcome(request: WebRequest, response: Response, id: string, itemId: string | null, body: Record<string, unknown>): Promise<void> {
    const key = itemId ?? GENERAL;
    const posted = asRecord(asRecord(body.outcomes)[key]);
    const typed = {
      type: text(posted.type),
      text: text(posted.text),
      rationale: text(posted.rationale),
      ownerId: text(posted.ownerId),
      dueOn: text(posted.dueOn),
    };
    try {
      const dto = await validated(OutcomeDto, { ...typedOnly(typed), ...(itemId ? { agendaItemId: itemId } : {}) });
      await this.room.recordOutcome(request.actor!, id, dto);
    } catch (error) {
      return this.showRoom(request, response, id, { section: 'outcome', key, values: typed, errors: prefixed(formErrorsOf(error), `outcomes.${key}`) });
    }
    this.back(response, id, itemId ? `item-${itemId}` : 'other-outcomes', this.pages.t(request, 'meetings.notice.outcomeRecorded'));
  }

  /** Finalize, sign off, correct: no fields, so a refusal is told at the top of the page it came from. */
  private async minutesStep(
    request: WebRequest,
    response: Response,
    id: string,
    body: Record<string, unknown>,
    step: () => Promise<MeetingView>,
    notice: string | ((after: MeetingView) => string),
  ): Promise<void> {
    const fromMinutes = body.return === 'minutes';
    let after: MeetingView;
    try {
      after = await step();
    } catch (error) {
      const errors = formErrorsOf(error);
      if (fromMinutes) return this.showMinutes(request, response, id, undefined, errors);
      return this.showRoom(request, response, id, { section: 'minutes', key: null, values: null, errors });
    }
    const message = typeof notice === 'string' ? notice : notice(after);
    if (fromMinutes) return this.pages.redirect(response, `/meetings/${id}/minutes`, message);
    this.back(response, id, 'minutes', message);
  }

  private async showRoom(request: WebRequest, response: Response, id: string, refused: Refused | null): Promise<void> {
    const meeting = await this.room.get(id);
    const [series, directory] = await Promise.all([this.series.get(meeting.seriesId), this.directory.everyone()]);
    const zone = request.signedIn!.person.timezone;
    const locale = this.pages.localeOf(request);
    const view = presentRoom({ actor: request.actor!, meeting, series, directory, refused, zone, say: this.say(request), locale });
    this.pages.send(response, request, 'meetings/room', roomTitle(series, meeting, zone, locale), view, refused ? (refused.status ?? 400) : 200);
  }

  private async showMinutes(request: WebRequest, response: Response, id: string, revisionText: string | undefined, errors: FieldErrors | null): Promise<void> {
    const actor = request.actor!;
    const meeting = await this.room.get(id);
    const [series, directory] = await Promise.all([this.series.get(meeting.seriesId), this.directory.naming([])]);
    const revision = revisionNumber(revisionText);
    const html = (await this.minutes.render(id, 'html', revision, actor.personId, this.pages.localeOf(request))) as string;
    const view = presentMinutes({ actor, meeting, series, directory, html, revision, errors });
    this.pages.send(response, request, 'meetings/minutes', this.pages.t(request, 'meetings.minutes.title', { title: series.title }), view, errors ? 400 : 200);
  }

  /** The catalogue in the request's language, for the views. */
  private say(request: WebRequest): Say {
    return (key, values) => this.pages.t(request, key, values as Record<string, string | number> | undefined);
  }

  /** Back to the room after a post (303), at the part that was changed. */
  private back(response: Response, id: string, anchor: string, notice: string): void {
    this.pages.redirect(response, `/meetings/${id}`, notice, anchor);
  }
}
