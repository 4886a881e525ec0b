import { Body, Controller, Get, Post, Query, Req, Res } from '@nestjs/common';
import type { Response } from 'express';
import { CreateAgreementDto, DecisionDto, RejectionDto, UpdateAgreementDto, type AgreementView } from '../../agreements/agreements.dto.js';
import { AgreementsService } from '../../agreements/agreements.service.js';
import { InvalidInputError, type FieldErrors } from '../../common/errors.js';
import { IdParam } from '../../common/id-param.js';
import { describeInstant } from '../../common/instant-format.js';
import { offsetOfText } from '../../common/pagination.js';
import { ClocksService } from '../../tracking/clocks.service.js';
import { ComplianceService } from '../../tracking/compliance.service.js';
import { QUOTA_PERIODS } from '../../agreements/domain/agreement-terms.js';
import { ReplayQuery, type ComplianceView } from '../../tracking/tracking.dto.js';
import { formErrorsOf, text, validated } from '../forms.js';
import { PageRenderer } from '../page-renderer.js';
import { Pages } from '../pages.decorator.js';
import type { WebRequest } from '../web-request.js';
import {
  blankForm,
  dayWindow,
  editorPaths,
  foldErrors,
  formOfTerms,
  measureFromOfForm,
  periodAround,
  previousQuarter,
  readForm,
  RESPONSE_FILTERS,
  startOfLastMonth,
  targetRowsOf,
  termsOfForm,
  windowLabel,
  type AgreementFormValues,
} from './agreement-form.js';
import { AgreementPageData, KIND_LABELS, STATUS_LABELS } from './agreement-page-data.js';

const LIST_SIZE = 50;
/** The clocks listed under the figures: the most recent of the period; the figures count them all. */
const CLOCKS_SHOWN = 50;
const CLOCKS_SCANNED = 200;

const FILTER_FIELDS: Record<(typeof RESPONSE_FILTERS)[number], { legend: string; label: string; required: boolean; hint: string }> = {
  startOn: { legend: 'The clock starts on', label: 'Start event', required: true, hint: 'An event type, e.g. lead.handed_over.' },
  stopOn: { legend: 'The clock stops on', label: 'Stop event', required: true, hint: 'e.g. lead.contacted.' },
  pauseOn: { legend: 'The clock pauses on (optional)', label: 'Pause event', required: false, hint: 'e.g. lead.on_hold; needs a resume event.' },
  resumeOn: { legend: 'The clock resumes on (optional)', label: 'Resume event', required: false, hint: 'e.g. lead.resumed.' },
  cancelOn: { legend: 'The clock is abandoned on (optional)', label: 'Cancel event', required: false, hint: 'e.g. lead.disqualified: counts neither met nor breached.' },
};

interface Decision {
  values: { comment: string };
  errors: FieldErrors | null;
}

/**
 * The agreement pages: the list, one agreement with its figures and history, the editor of both
 * kinds with a due-time preview, and the proposal and approval forms. The rules stay in the
 * services; this turns forms into their requests and their errors back into forms.
 */
@Pages()
@Controller('agreements')
export class AgreementPagesController {
  constructor(
    private readonly pages: PageRenderer,
    private readonly agreements: AgreementsService,
    private readonly compliance: ComplianceService,
    private readonly clocks: ClocksService,
    private readonly data: AgreementPageData,
  ) {}

  @Get()
  async list(@Req() request: WebRequest, @Res() response: Response, @Query('offset') offsetText?: string): Promise<void> {
    const offset = offsetOfText(offsetText);
    const [page, names] = await Promise.all([this.agreements.list({ limit: LIST_SIZE, offset }), this.data.names()]);
    const items = page.items.map((agreement) => ({
      id: agreement.id,
      name: agreement.name,
      kind: KIND_LABELS[agreement.kind],
      status: STATUS_LABELS[agreement.status].label,
      badge: STATUS_LABELS[agreement.status].badge,
      provider: names.department(agreement.providerDepartmentId),
      consumer: names.department(agreement.consumerDepartmentId),
      inForceSince: agreement.inForce?.activeFrom ?? null,
      pending: agreement.pending ? { number: agreement.pending.number, status: STATUS_LABELS[agreement.pending.status].label.toLowerCase() } : null,
    }));
    this.pages.send(response, request, 'agreements/list', 'Agreements', {
      items,
      total: page.total,
      zone: request.signedIn!.person.timezone,
      canDraft: this.data.canDraft(request.actor!),
      previous: offset > 0 ? `/agreements?offset=${Math.max(0, offset - LIST_SIZE)}` : null,
      next: offset + LIST_SIZE < page.total ? `/agreements?offset=${offset + LIST_SIZE}` : null,
    });
  }

  @Get('new')
  async newForm(@Req() request: WebRequest, @Res() response: Response, @Query('kind') kind?: string): Promise<void> {
    const values = blankForm(kind === 'quota' ? 'quota' : 'response');
    const department = request.actor!.departmentId;
    if (department) values.consumerDepartmentId = department;
    await this.showEditor(request, response, null, values, null);
  }

  /** The editor's live preview (agreement-editor.js): when a lead arriving now would be due. */
  @Get('preview-due')
  async previewDue(@Req() request: WebRequest, @Res() response: Response, @Query('calendarId') calendarId?: string, @Query('within') within?: string): Promise<void> {
    response.setHeader('Cache-Control', 'no-store');
    const calendar = text(calendarId);
    if (!calendar) {
      response.status(400).json({ errors: { calendarId: ['choose a calendar'] } });
      return;
    }
    try {
      const due = await this.data.due(calendar, text(within) ?? '');
      response.json({ due, text: describeInstant(due, request.signedIn!.person.timezone) });
    } catch (error) {
      const errors = formErrorsOf(error);
      // The calendars API calls it `duration`; the editor's field is the target's `within`.
      response.status(400).json({ errors: 'duration' in errors ? { within: errors.duration } : errors });
    }
  }

  @Post()
  async create(@Req() request: WebRequest, @Res() response: Response, @Body() body: Record<string, unknown>): Promise<void> {
    const values = readForm(body);
    let errors: FieldErrors;
    if (values.kind !== 'response' && values.kind !== 'quota') {
      errors = { kind: ['kind must be response or quota'] };
    } else {
      const { terms, errors: formErrors } = termsOfForm(values, values.kind);
      const zone = await this.data.calendarZone(values.calendarId, request.signedIn!.person.timezone);
      const { measureFrom, errors: measureErrors } = measureFromOfForm(values, this.data.now(), zone);
      errors = { ...formErrors, ...measureErrors };
      const plain = {
        ...terms,
        ...(measureFrom !== null ? { measureFrom } : {}),
        providerDepartmentId: values.providerDepartmentId,
        consumerDepartmentId: values.consumerDepartmentId,
      };
      try {
        const dto = await this.validatedAlongside(CreateAgreementDto, plain, errors);
        const created = await this.agreements.create(request.actor!, dto);
        return this.pages.redirect(response, `/agreements/${created.id}`, 'Draft saved. Propose it when it is ready for both heads to approve.');
      } catch (error) {
        errors = { ...errors, ...formErrorsOf(error) };
      }
    }
    await this.showEditor(request, response, null, values, errors, 400);
  }

  @Get(':id')
  async detail(@Req() request: WebRequest, @Res() response: Response, @IdParam() id: string, @Query() query: Record<string, unknown>): Promise<void> {
    await this.showDetail(request, response, id, query, { values: { comment: '' }, errors: null });
  }

  @Get(':id/edit')
  async editForm(@Req() request: WebRequest, @Res() response: Response, @IdParam() id: string): Promise<void> {
    const agreement = await this.agreements.get(id);
    const base = (agreement.pending ?? agreement.inForce ?? (await this.agreements.versions(id)).at(-1))!;
    await this.showEditor(request, response, agreement, formOfTerms(agreement.kind, base, agreement), null);
  }

  /** Changes the pending version, or opens a new draft version of the one in force. */
  @Post(':id')
  async update(@Req() request: WebRequest, @Res() response: Response, @IdParam() id: string, @Body() body: Record<string, unknown>): Promise<void> {
    const agreement = await this.agreements.get(id);
    const values = readForm(body);
    values.kind = agreement.kind;
    values.providerDepartmentId = agreement.providerDepartmentId;
    values.consumerDepartmentId = agreement.consumerDepartmentId;
    const { terms, errors: formErrors } = termsOfForm(values, agreement.kind);
    let errors = formErrors;
    let change: object = terms;
    // Only an agreement never in force offers the field (a later version measures from its approval).
    if (this.measurable(agreement)) {
      const zone = await this.data.calendarZone(values.calendarId, request.signedIn!.person.timezone);
      const { measureFrom, errors: measureErrors } = measureFromOfForm(values, this.data.now(), zone);
      errors = { ...errors, ...measureErrors };
      change = { ...terms, measureFrom };
    }
    try {
      const dto = await this.validatedAlongside(UpdateAgreementDto, change, errors);
      const updated = await this.agreements.update(request.actor!, id, dto);
      return this.pages.redirect(response, `/agreements/${id}`, `Saved as version ${updated.pending?.number ?? ''} (draft).`);
    } catch (error) {
      errors = { ...errors, ...formErrorsOf(error) };
    }
    await this.showEditor(request, response, agreement, values, errors, 400);
  }

  @Post(':id/propose')
  async propose(@Req() request: WebRequest, @Res() response: Response, @IdParam() id: string): Promise<void> {
    try {
      await this.agreements.propose(request.actor!, id);
    } catch (error) {
      return this.showDetail(request, response, id, {}, { values: { comment: '' }, errors: formErrorsOf(error) }, 409);
    }
    this.pages.redirect(response, `/agreements/${id}`, 'Proposed: both heads can now approve or reject it.');
  }

  @Post(':id/approve')
  async approve(@Req() request: WebRequest, @Res() response: Response, @IdParam() id: string, @Body() body: Record<string, unknown>): Promise<void> {
    await this.decide(request, response, id, body, async (comment) => {
      const decided = await this.agreements.approve(request.actor!, id, await validated(DecisionDto, { comment }));
      return decided.status === 'active' && !decided.pending ? 'Approved: the agreement is in force.' : 'Approved for your department.';
    });
  }

  @Post(':id/reject')
  async reject(@Req() request: WebRequest, @Res() response: Response, @IdParam() id: string, @Body() body: Record<string, unknown>): Promise<void> {
    await this.decide(request, response, id, body, async (comment) => {
      await this.agreements.reject(request.actor!, id, await validated(RejectionDto, { comment }));
      return 'Rejected: the proposal is back to draft.';
    });
  }

  private async decide(
    request: WebRequest,
    response: Response,
    id: string,
    body: Record<string, unknown>,
    apply: (comment: string | undefined) => Promise<string>,
  ): Promise<void> {
    const typed = typeof body.comment === 'string' ? body.comment : '';
    let notice: string;
    try {
      notice = await apply(text(body.comment));
    } catch (error) {
      const errors = formErrorsOf(error);
      const status = 'comment' in errors ? 400 : 409;
      return this.showDetail(request, response, id, {}, { values: { comment: typed }, errors }, status);
    }
    this.pages.redirect(response, `/agreements/${id}`, notice);
  }

  /** Whether the editor offers measureFrom: only before an agreement's first version is in force. */
  private measurable(agreement: AgreementView | null): boolean {
    return agreement === null || (agreement.inForce === null && agreement.status !== 'retired' && agreement.status !== 'active');
  }

  /** The DTO's verdict together with the form's own: every problem is shown at once. */
  private async validatedAlongside<T extends object>(type: new () => T, plain: object, errors: FieldErrors): Promise<T> {
    let dto: T | undefined;
    let all = errors;
    try {
      dto = await validated(type, plain);
    } catch (error) {
      all = { ...formErrorsOf(error), ...errors };
    }
    if (!dto || Object.keys(all).length > 0) throw new InvalidInputError(all);
    return dto;
  }

  private async showEditor(
    request: WebRequest,
    response: Response,
    agreement: AgreementView | null,
    values: AgreementFormValues,
    errors: FieldErrors | null,
    status = 200,
  ): Promise<void> {
    const zone = request.signedIn!.person.timezone;
    const [options, names] = await Promise.all([this.data.options(), this.data.names()]);
    const targets = targetRowsOf(values);
    const shown = { ...values, response: { ...values.response, targets } };
    const folded = errors && Object.keys(errors).length > 0 ? foldErrors(errors, editorPaths(targets.length)) : null;
    const rows = await Promise.all(
      targets.map(async (target, index) => {
        const due = await this.data.dueNow(values.calendarId, target.within);
        return {
          index,
          number: index + 1,
          groupId: `f-response-targets-${index}`,
          problems: folded?.[`response.targets[${index}]`] ?? [],
          nameField: `response.targets[${index}].name`,
          nameLabel: `Target ${index + 1}: name (optional)`,
          conditionField: `response.targets[${index}].when`,
          conditionLabel: `Target ${index + 1}: applies when`,
          withinField: `response.targets[${index}].within`,
          withinLabel: `Target ${index + 1}: due within`,
          due: due ? describeInstant(due, zone) : null,
        };
      }),
    );
    const kind = agreement?.kind ?? (values.kind === 'quota' ? 'quota' : 'response');
    const pending = agreement?.pending ?? null;
    // "The start of last month" on the calendar chosen, as saving will compute it.
    const calendarZone = await this.data.calendarZone(values.calendarId, zone);
    const title = agreement ? `Edit ${agreement.name}` : 'New agreement';
    this.pages.send(
      response,
      request,
      'agreements/editor',
      title,
      {
        creating: agreement === null,
        action: agreement ? `/agreements/${agreement.id}` : '/agreements',
        agreement: agreement
          ? {
              id: agreement.id,
              name: agreement.name,
              kind: KIND_LABELS[agreement.kind],
              provider: names.department(agreement.providerDepartmentId),
              consumer: names.department(agreement.consumerDepartmentId),
              pending: pending ? { number: pending.number, proposed: pending.status === 'proposed' } : null,
              inForceNumber: agreement.inForce?.number ?? null,
            }
          : null,
        values: shown,
        errors: folded,
        // Errors about a whole group (the terms, the list of targets) or about nothing in the form.
        problems: {
          form: folded?.form ?? [],
          response: folded?.response ?? [],
          quota: folded?.quota ?? [],
          targets: folded?.['response.targets'] ?? [],
        },
        showResponse: agreement === null || kind === 'response',
        showQuota: agreement === null || kind === 'quota',
        kindOptions: [
          { value: 'response', label: 'Response time: a clock per lead or brief, with targets' },
          { value: 'quota', label: 'Quota: a minimum count of events per period' },
        ],
        departmentOptions: [{ value: '', label: 'Choose a department' }, ...options.departments],
        calendarOptions: [{ value: '', label: 'Choose a calendar' }, ...options.calendars],
        stageOptions: [{ value: '', label: 'No particular stage' }, ...options.stages],
        periodOptions: QUOTA_PERIODS.map((period) => ({ value: period, label: `per ${period}` })),
        filters: RESPONSE_FILTERS.map((key) => ({
          ...FILTER_FIELDS[key],
          id: `f-response-${key}`,
          type: `response.${key}.type`,
          condition: `response.${key}.when`,
          conditionLabel: `${FILTER_FIELDS[key].label}: only when (optional)`,
        })),
        targetRows: rows,
        measurable: this.measurable(agreement),
        measureFromOptions: [
          { value: '', label: 'The date typed below (none: from the approval)' },
          {
            value: 'last-month',
            label: `The start of last month: ${describeInstant(startOfLastMonth(this.data.now(), calendarZone), calendarZone)}`,
          },
        ],
        nowText: describeInstant(this.data.now(), zone),
      },
      status,
    );
  }

  private async showDetail(request: WebRequest, response: Response, id: string, query: Record<string, unknown>, decision: Decision, status = 200): Promise<void> {
    const actor = request.actor!;
    const zone = request.signedIn!.person.timezone;
    const [agreement, versions, names] = await Promise.all([this.agreements.get(id), this.agreements.versions(id), this.data.names()]);
    const people = await this.data.personNames(versions.flatMap((version) => version.approvals.map((approval) => approval.personId)));
    const block = (version: (typeof versions)[number] | null) => (version ? this.data.versionBlock(version, names, people) : Promise.resolve(null));
    const [current, pending, history] = await Promise.all([
      block(agreement.inForce),
      block(agreement.pending),
      Promise.all([...versions].reverse().map((version) => block(version))),
    ]);
    const replay = await this.replayPanel(agreement, versions, query, zone);
    const live = await this.livePanel(agreement, zone);
    const can = this.data.can(actor, agreement);
    const statusOf = STATUS_LABELS[agreement.status];
    this.pages.send(
      response,
      request,
      'agreements/detail',
      agreement.name,
      {
        agreement: {
          id: agreement.id,
          name: agreement.name,
          kind: KIND_LABELS[agreement.kind],
          status: statusOf.label,
          badge: statusOf.badge,
          inForce: agreement.inForce !== null,
          provider: names.department(agreement.providerDepartmentId),
          consumer: names.department(agreement.consumerDepartmentId),
        },
        current,
        pending,
        history,
        can,
        decision,
        live: live.figures,
        clocks: live.clocks,
        replay,
        zone,
        nowText: describeInstant(this.data.now(), zone),
      },
      replay.errors ? 400 : status,
    );
  }

  /** This period's figures from the stored clocks or quota periods, once the agreement has been in force. */
  private async livePanel(agreement: AgreementView, zone: string) {
    const reference = agreement.inForce;
    if (!reference && agreement.status !== 'retired') return { figures: null, clocks: null };
    const period = agreement.kind === 'quota' && reference?.quota ? reference.quota.period : 'month';
    const window = periodAround(this.data.now(), zone, period);
    const figures = await this.compliance.live(agreement.id, window);
    let clocks = null;
    if (agreement.kind === 'response') {
      const { total } = await this.clocks.list({ agreementId: agreement.id, limit: 1, offset: 0 });
      const latest = await this.clocks.list({ agreementId: agreement.id, limit: CLOCKS_SCANNED, offset: Math.max(0, total - CLOCKS_SCANNED) });
      const from = Date.parse(window.from);
      const to = Date.parse(window.to);
      const items = latest.items
        .filter((clock) => clock.state !== 'void' && Date.parse(clock.startedAt) >= from && Date.parse(clock.startedAt) < to)
        .reverse()
        .slice(0, CLOCKS_SHOWN)
        .map((clock) => ({
          subject: clock.subject,
          cycle: clock.cycle,
          target: clock.targetName,
          version: clock.versionNumber,
          startedAt: clock.startedAt,
          dueAt: clock.dueAt,
          stoppedAt: clock.stoppedAt,
          // A breached clock nobody stopped is what a head must chase: say so instead of "running".
          state: clock.outcome === 'breached' && (clock.state === 'running' || clock.state === 'paused') ? 'still open past due' : clock.state,
          outcome: clock.outcome,
          badge: clock.outcome === 'met' ? 'good' : clock.outcome === 'breached' ? 'bad' : '',
          elapsedSeconds: clock.elapsedSeconds,
          steps: clock.steps.map((step) => ({ action: step.action, at: step.at, eventType: step.eventType })),
        }));
      clocks = { items, shown: items.length, counted: figures.total };
    }
    return { figures: { ...this.figures(figures), label: this.periodLabel(period, window.from, zone) }, clocks };
  }

  private periodLabel(period: string, from: string, zone: string): string {
    const start = describeInstant(from, zone).split(',')[0];
    return period === 'month' ? `this month (from ${start})` : `this ${period} (from ${start})`;
  }

  private figures(view: ComplianceView) {
    return {
      kind: view.kind,
      version: view.version,
      from: view.from,
      to: view.to,
      total: view.total,
      met: view.met,
      breached: view.breached,
      breachedOpen: view.breachedOpen,
      running: view.running,
      paused: view.paused,
      cancelled: view.cancelled,
      metPercent: view.metPercent,
      medianSeconds: view.medianSeconds,
      p90Seconds: view.p90Seconds,
      goalPercent: view.goalPercent,
      goalMet: view.goalMet,
      goalBadge: view.goalMet === true ? 'good' : view.goalMet === false ? 'bad' : '',
      targets: view.targets.map((target) => ({ ...target })),
      periods: view.periods.map((period) => ({ ...period, badge: period.status === 'met' ? 'good' : period.status === 'missed' ? 'bad' : 'warn' })),
    };
  }

  /** "Last quarter under these terms": a replay over the stored events of the chosen days. */
  private async replayPanel(agreement: AgreementView, versions: { number: number; status: string }[], query: Record<string, unknown>, zone: string) {
    const defaults = previousQuarter(this.data.now(), zone);
    const days = { from: text(query.from) ?? defaults.from, to: text(query.to) ?? defaults.to };
    const versionText = text(query.version) ?? '';
    const replayed = agreement.pending ?? agreement.inForce;
    const values = { from: days.from, to: days.to, version: versionText };
    const versionOptions = [
      { value: '', label: replayed ? `Version ${replayed.number} (${STATUS_LABELS[replayed.status].label.toLowerCase()})` : 'The latest version' },
      ...[...versions].reverse().map((version) => ({ value: String(version.number), label: `Version ${version.number} (${STATUS_LABELS[version.status].label.toLowerCase()})` })),
    ];
    const { window, errors } = dayWindow(days, zone);
    let result = null;
    let problems: FieldErrors = errors;
    if (window) {
      try {
        const view = await this.compliance.replay(agreement.id, await validated(ReplayQuery, { ...window, ...(versionText ? { version: versionText } : {}) }));
        result = this.figures(view);
      } catch (error) {
        problems = formErrorsOf(error);
      }
    }
    return {
      values,
      errors: Object.keys(problems).length > 0 ? problems : null,
      versionOptions,
      label: windowLabel(days),
      result,
    };
  }
}
