import { Body, Controller, Get, Post, Query, Req, Res } from '@nestjs/common';
import type { Response } from 'express';
import { isAdmin, isHeadOf } from '../../auth/permissions.js';
import { Clock } from '../../common/clock.js';
import { InvalidInputError, type FieldErrors } from '../../common/errors.js';
import { IdParam } from '../../common/id-param.js';
import { inZone } from '../../common/instant-format.js';
import type { PageQuery } from '../../common/pagination.js';
import { allPages } from '../all-pages.js';
import { AgendaBuilder } from '../../meetings/agenda-builder.js';
import { AgendaItemDto, AttendanceDto, NotesDto, OutcomeDto, type MeetingView } from '../../meetings/meeting-room.dto.js';
import { MeetingRoomService } from '../../meetings/meeting-room.service.js';
import { mayKeepRecord, mayOrganise } from '../../meetings/domain/meeting-roles.js';
import { MeetingSeriesService } from '../../meetings/meeting-series.service.js';
import { MoveMeetingDto, type SeriesView } from '../../meetings/meetings.dto.js';
import { MeetingsService } from '../../meetings/meetings.service.js';
import { MinutesService } from '../../meetings/minutes.service.js';
import { DepartmentsService } from '../../org/departments.service.js';
import type { PeopleQuery } from '../../org/people.dto.js';
import { PeopleService } from '../../org/people.service.js';
import { asRecord, formErrorsOf, statusOf, text, validated } from '../forms.js';
import { PageRenderer } from '../page-renderer.js';
import { Pages } from '../pages.decorator.js';
import type { WebRequest } from '../web-request.js';
import {
  agendaEntries,
  attendanceRequest,
  attendanceValues,
  errorsOnRows,
  invitedOf,
  minutesBody,
  onField,
  prefixed,
  signedOffBy,
  upcomingAndPast,
} from './meeting-room.view.js';
import { instantOfLocal } from './series-form.js';

const OUTCOME_TYPES = [
  { value: 'information', label: 'Information' },
  { value: 'decision', label: 'Decision (with rationale)' },
  { value: 'action', label: 'Action item (owner and due date)' },
];
const ABSENCE = [
  { value: 'absent', label: 'Absent' },
  { value: 'excused', label: 'Excused' },
];
const GENERAL = 'general';

type Section = 'attendance' | 'notes' | 'outcome' | 'agenda' | 'minutes' | 'schedule';

/** What a refused post puts back on the room page: which form, what was typed, what is wrong. */
interface Refused {
  section: Section;
  /** The agenda item of a notes or outcome form; GENERAL for an outcome of no item. */
  key: string | null;
  values: unknown;
  errors: FieldErrors;
  /** The status of the refusal, as the API answers it; 400 when not given. */
  status?: number;
}

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
    private readonly people: PeopleService,
    private readonly departments: DepartmentsService,
    private readonly clock: Clock,
  ) {}

  @Get()
  async list(@Req() request: WebRequest, @Res() response: Response): Promise<void> {
    const actor = request.actor!;
    const mine = (await this.allSeries()).filter(
      (series) => mayOrganise(actor, series) || series.participants.some((participant) => participant.personId === actor.personId),
    );
    const meetings = mine.flatMap((series) =>
      series.meetings.map((meeting) => ({ ...meeting, timezone: series.timezone, location: series.location, seriesStatus: series.status })),
    );
    const { upcoming, past } = upcomingAndPast(meetings, this.clock.now());
    this.pages.send(response, request, 'meetings/list', 'Meetings', {
      zone: request.signedIn!.person.timezone,
      series: mine.map((s) => ({ id: s.id, title: s.title })),
      upcoming,
      past,
      // The service decides on the departments chosen; members would only ever be refused.
      mayPlan: isAdmin(actor) || actor.role === 'head',
    });
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
    this.back(response, id, 'agenda', 'Agenda built from the data.');
  }

  @Post(':id/agenda')
  async addItem(@Req() request: WebRequest, @Res() response: Response, @IdParam() id: string, @Body() body: Record<string, unknown>): Promise<void> {
    const typed = { title: text(asRecord(body.newItem).title) };
    try {
      await this.room.addAgendaItem(request.actor!, id, await validated(AgendaItemDto, typed));
    } catch (error) {
      return this.showRoom(request, response, id, { section: 'agenda', key: null, values: typed, errors: prefixed(formErrorsOf(error), 'newItem') });
    }
    this.back(response, id, 'agenda', 'Agenda item added.');
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
    this.back(response, id, `item-${itemId}`, 'Notes saved.');
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
    this.back(response, id, 'attendance', 'Attendance recorded.');
  }

  @Post(':id/minutes/finalize')
  async finalize(@Req() request: WebRequest, @Res() response: Response, @IdParam() id: string, @Body() body: Record<string, unknown>): Promise<void> {
    await this.minutesStep(request, response, id, body, () => this.minutes.finalize(request.actor!, id), 'Minutes finalized: the heads can sign them off.');
  }

  @Post(':id/minutes/approve')
  async approve(@Req() request: WebRequest, @Res() response: Response, @IdParam() id: string, @Body() body: Record<string, unknown>): Promise<void> {
    await this.minutesStep(request, response, id, body, () => this.minutes.approve(request.actor!, id), (after) =>
      after.minutesStatus === 'approved' ? 'Signed off. The minutes are approved and on their way to everyone.' : 'Signed off for your department.',
    );
  }

  @Post(':id/minutes/corrections')
  async correct(@Req() request: WebRequest, @Res() response: Response, @IdParam() id: string, @Body() body: Record<string, unknown>): Promise<void> {
    await this.minutesStep(request, response, id, body, () => this.minutes.correct(request.actor!, id), (after) => `Revision ${after.minutesRevision} opened for corrections.`);
  }

  /** Moves this one occurrence; the new start is typed as local time in the series' zone. */
  @Post(':id/move')
  async move(@Req() request: WebRequest, @Res() response: Response, @IdParam() id: string, @Body() body: Record<string, unknown>): Promise<void> {
    const typed = typeof body.startsAt === 'string' ? body.startsAt : '';
    try {
      const meeting = await this.room.get(id);
      const zone = (await this.series.get(meeting.seriesId)).timezone;
      const startsAt = instantOfLocal(typed, zone);
      if (startsAt === null) throw InvalidInputError.of('startsAt', 'the new start must be a date and time such as "2027-03-03T14:00"');
      await this.meetings.move(request.actor!, id, await validated(MoveMeetingDto, { startsAt }));
    } catch (error) {
      return this.showRoom(request, response, id, { section: 'schedule', key: null, values: typed, errors: formErrorsOf(error), status: statusOf(error) });
    }
    this.back(response, id, 'schedule', 'Meeting moved. The participants’ calendars are updated.');
  }

  @Post(':id/cancel')
  async cancelMeeting(@Req() request: WebRequest, @Res() response: Response, @IdParam() id: string): Promise<void> {
    try {
      await this.meetings.cancel(request.actor!, id);
    } catch (error) {
      return this.showRoom(request, response, id, { section: 'schedule', key: null, values: null, errors: onField(formErrorsOf(error), 'form'), status: statusOf(error) });
    }
    this.back(response, id, 'schedule', 'Meeting cancelled. The participants’ calendars are updated.');
  }

  /** The minutes as they stand (or a stored revision), inside the site's layout. */
  @Get(':id/minutes')
  async minutesPage(@Req() request: WebRequest, @Res() response: Response, @IdParam() id: string, @Query('revision') revision?: string): Promise<void> {
    await this.showMinutes(request, response, id, revision, null);
  }

  @Get(':id/minutes.pdf')
  async minutesPdf(@Req() request: WebRequest, @Res() response: Response, @IdParam() id: string, @Query('revision') revision?: string): Promise<void> {
    const pdf = (await this.minutes.render(id, 'pdf', revisionNumber(revision), request.actor!.personId)) as Buffer;
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
      const dto = await validated(OutcomeDto, { ...dropUndefined(typed), ...(itemId ? { agendaItemId: itemId } : {}) });
      await this.room.recordOutcome(request.actor!, id, dto);
    } catch (error) {
      return this.showRoom(request, response, id, { section: 'outcome', key, values: typed, errors: prefixed(formErrorsOf(error), `outcomes.${key}`) });
    }
    this.back(response, id, itemId ? `item-${itemId}` : 'other-outcomes', 'Outcome recorded.');
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
    const actor = request.actor!;
    const meeting = await this.room.get(id);
    const [series, people, departmentNames] = await Promise.all([this.series.get(meeting.seriesId), this.allPeople(), this.departmentNames()]);
    const writer = mayKeepRecord(actor, series);
    const draft = meeting.minutesStatus === 'none' || meeting.minutesStatus === 'draft';
    const invited = invitedOf(series.participants);
    const agenda = agendaEntries(meeting.agenda, meeting.outcomes);
    const emptyOutcome = { type: 'information', text: '', rationale: '', ownerId: '', dueOn: '' };

    const values = {
      ...attendanceValues(invited, meeting.attendance),
      notes: Object.fromEntries(meeting.agenda.map((item) => [item.id, item.notes ?? ''])),
      outcomes: Object.fromEntries([...agenda.map((item) => [item.id, emptyOutcome]), [GENERAL, emptyOutcome]]),
      newItem: { title: '' },
      startsAt: meeting.localStart,
    };
    if (refused?.section === 'attendance') values.entries = refused.values as typeof values.entries;
    if (refused?.section === 'notes' && refused.key) values.notes[refused.key] = String(refused.values ?? '');
    if (refused?.section === 'outcome' && refused.key) values.outcomes[refused.key] = refused.values as typeof emptyOutcome;
    if (refused?.section === 'agenda' && refused.values) values.newItem = refused.values as typeof values.newItem;
    if (refused?.section === 'schedule' && typeof refused.values === 'string') values.startsAt = refused.values;

    const fieldErrors = refused ? Object.fromEntries(Object.entries(refused.errors).filter(([path]) => path !== 'form')) : {};
    const problem = refused?.errors.form?.join(' ') ?? null;
    const personOptions = people.map((person) => ({ value: person.id, label: person.name }));
    const invitedIds = new Set(invited.map((participant) => participant.personId));
    const department = series.departmentIds.find((departmentId) => isHeadOf(actor, departmentId));
    const signed = signedOffBy(meeting);
    // Times read in the reader's zone, the meeting's own beside; a new start is typed in the series' zone.
    const zone = request.signedIn!.person.timezone;

    this.pages.send(
      response,
      request,
      'meetings/room',
      `${series.title}, ${inZone(meeting.startsAt, zone).toFormat('d LLL yyyy')}`,
      {
        meeting,
        zone,
        series: { id: series.id, title: series.title, timezone: series.timezone, location: series.location, quorumRule: series.quorum.rule },
        moveHint: `Local date and time in ${series.timezone}, the meeting's own zone; the meeting keeps its ${series.durationMinutes} minutes.`,
        chair: people.find((p) => p.id === series.chairId)?.name ?? null,
        minuteTaker: people.find((p) => p.id === series.minuteTakerId)?.name ?? null,
        agenda: agenda.map((item) => ({
          ...item,
          notesField: `notes.${item.id}`,
          notesLabel: `Notes on item ${item.position}`,
          outcome: outcomeFields(item.id, `item ${item.position}`),
          outcomeOpen: refused?.section === 'outcome' && refused.key === item.id,
        })),
        otherOutcomes: meeting.outcomes.filter((outcome) => outcome.agendaItemId === null),
        generalOutcome: outcomeFields(GENERAL, 'the meeting'),
        generalOutcomeOpen: refused?.section === 'outcome' && refused.key === GENERAL,
        attendanceRows: invited.map((participant, index) => {
          const others = invited.filter((other) => other.personId !== participant.personId);
          return {
            index,
            personId: participant.personId,
            name: participant.name,
            role: participant.role,
            department: participant.departmentId ? (departmentNames.get(participant.departmentId) ?? null) : null,
            personIdName: `entries[${index}][personId]`,
            personIdError: (fieldErrors[`entries[${index}].personId`] ?? []).join('; ') || null,
            personIdErrorId: `f-entries-${index}-personId-error`,
            presentField: `entries[${index}].present`,
            presentLabel: `${participant.name} present`,
            statusField: `entries[${index}].status`,
            statusLabel: `${participant.name}, if not present`,
            delegateField: `entries[${index}].delegateFor`,
            delegateLabel: `${participant.name} stands in for`,
            delegateOptions: [{ value: '', label: 'Nobody' }, ...others.map((other) => ({ value: other.personId, label: other.name }))],
          };
        }),
        standIn: {
          index: invited.length,
          standInName: `entries[${invited.length}][standIn]`,
          personField: `entries[${invited.length}].personId`,
          delegateField: `entries[${invited.length}].delegateFor`,
          personOptions: [{ value: '', label: 'Nobody' }, ...personOptions.filter((option) => !invitedIds.has(option.value))],
          delegateOptions: [{ value: '', label: 'Nobody' }, ...invited.map((participant) => ({ value: participant.personId, label: participant.name }))],
        },
        attendance: meeting.attendance,
        absenceOptions: ABSENCE,
        typeOptions: OUTCOME_TYPES,
        ownerOptions: [{ value: '', label: 'Nobody' }, ...personOptions],
        revisions: meeting.revisions.map((revision) => ({
          ...revision,
          approvedBy: revision.approvedBy.map((departmentId) => departmentNames.get(departmentId) ?? departmentId),
        })),
        signedOff: signed.map((departmentId) => departmentNames.get(departmentId) ?? departmentId),
        may: {
          edit: writer && draft && meeting.status !== 'cancelled',
          finalize: writer && meeting.minutesStatus === 'draft' && meeting.status === 'held',
          recordAttendanceFirst: writer && meeting.minutesStatus === 'draft' && meeting.status !== 'held',
          approve: !!department && meeting.minutesStatus === 'final' && !signed.includes(department),
          correct: writer && (meeting.minutesStatus === 'final' || meeting.minutesStatus === 'approved'),
          // Only a meeting still to be held moves or is cancelled; final minutes say when it happened.
          move: mayOrganise(actor, series) && meeting.status === 'scheduled' && draft,
          cancel: mayOrganise(actor, series) && meeting.status === 'scheduled',
        },
        values,
        errors: Object.keys(fieldErrors).length > 0 ? fieldErrors : null,
        problem,
        failed: refused?.section ?? null,
      },
      refused ? (refused.status ?? 400) : 200,
    );
  }

  private async showMinutes(request: WebRequest, response: Response, id: string, revision: string | undefined, errors: FieldErrors | null): Promise<void> {
    const actor = request.actor!;
    const meeting = await this.room.get(id);
    const [series, departmentNames] = await Promise.all([this.series.get(meeting.seriesId), this.departmentNames()]);
    const wanted = revisionNumber(revision);
    const html = (await this.minutes.render(id, 'html', wanted, actor.personId)) as string;
    const department = series.departmentIds.find((departmentId) => isHeadOf(actor, departmentId));
    const signed = signedOffBy(meeting);
    this.pages.send(
      response,
      request,
      'meetings/minutes',
      `Minutes: ${series.title}`,
      {
        meeting,
        // The minutes template escapes everything it is given; only its markup is trusted here.
        minutesHtml: minutesBody(html),
        revision: wanted ?? null,
        revisions: meeting.revisions.map((r) => ({ ...r, approvedBy: r.approvedBy.map((d) => departmentNames.get(d) ?? d) })),
        pdfHref: `/meetings/${id}/minutes.pdf${wanted ? `?revision=${wanted}` : ''}`,
        mayApprove: wanted === undefined && !!department && meeting.minutesStatus === 'final' && !signed.includes(department),
        problem: errors ? Object.values(errors).flat().join(' ') : null,
      },
      errors ? 400 : 200,
    );
  }

  /** Back to the room after a post (303), at the part that was changed. */
  private back(response: Response, id: string, anchor: string, notice: string): void {
    this.pages.redirect(response, `/meetings/${id}`, notice, anchor);
  }

  private allSeries(): Promise<SeriesView[]> {
    return allPages((window) => this.series.list(window as PageQuery));
  }

  private allPeople() {
    return allPages((window) => this.people.list(window as PeopleQuery));
  }

  private async departmentNames(): Promise<Map<string, string>> {
    const departments = await allPages((window) => this.departments.list(window as PageQuery));
    return new Map(departments.map((department) => [department.id, department.name]));
  }
}

/** The names, ids and labels of one outcome form's fields: several such forms share the room page. */
function outcomeFields(key: string, of: string) {
  const base = `outcomes.${key}`;
  return {
    key,
    type: `${base}.type`,
    text: `${base}.text`,
    rationale: `${base}.rationale`,
    ownerId: `${base}.ownerId`,
    dueOn: `${base}.dueOn`,
    typeLabel: `Kind (${of})`,
    textLabel: `Outcome (${of})`,
    rationaleLabel: `Rationale (${of})`,
    ownerLabel: `Owner (${of})`,
    dueLabel: `Due date (${of})`,
  };
}

/** The status a refused form is shown again with: the API's for the same refusal. */
function dropUndefined(values: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).filter((entry): entry is [string, string] => entry[1] !== undefined));
}

/** `?revision=2`; anything else shows the minutes as they stand (the service names a missing revision). */
function revisionNumber(value: unknown): number | undefined {
  return typeof value === 'string' && /^[1-9]\d{0,5}$/.test(value) ? Number(value) : undefined;
}
