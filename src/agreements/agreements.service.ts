import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService, type AuditAction } from '../audit/audit.service.js';
import type { Actor } from '../access/actor.js';
import { isAdmin, isHeadOf } from '../access/permissions.js';
import { Calendar } from '../calendars/calendar.entity.js';
import { Clock } from '../common/clock.js';
import { ConflictError, fieldErrors, ForbiddenError, InvalidInputError, NotFoundError, type FieldErrors } from '../common/errors.js';
import { newId } from '../common/ids.js';
import { subjectLinkProblem } from '../common/subject-link.js';
import type { Page } from '../common/pagination.js';
import { Department } from '../org/department.entity.js';
import { ActivationHandoff } from './activation-handoff.js';
import { AgreementApproval } from './agreement-approval.entity.js';
import { AgreementVersion } from './agreement-version.entity.js';
import { AgreementViews, approvedDepartments } from './agreement-views.js';
import { AGREEMENT_KINDS, Agreement, type AgreementKind } from './agreement.entity.js';
import type {
  AgreementView,
  AgreementsQuery,
  CreateAgreementDto,
  DecisionDto,
  RejectionDto,
  UpdateAgreementDto,
  VersionView,
} from './agreements.dto.js';
import { findConversionStageProblems, findConversionTermProblems, findQuotaTermProblems, findResponseTermProblems } from './domain/agreement-terms.js';
import { measureFromProblem } from './domain/measure-from.js';
import { FunnelStage } from './funnel-stage.entity.js';

type Terms = Pick<AgreementVersion, 'name' | 'calendarId' | 'stageId' | 'subjectLink' | 'response' | 'quota' | 'conversion' | 'measureFrom'>;

/** Where each kind keeps its terms, in a request and on a version. */
const TERMS_FIELDS = { response: 'a clock', quota: 'a count', conversion: 'a shared conversion KPI' } as const;

/**
 * The life of an agreement: drafted and proposed by the heads of the two departments, in force
 * once both approved, changed only through a new version that needs both approvals again, and
 * retired. Versions in force are never rewritten.
 */
@Injectable()
export class AgreementsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly views: AgreementViews,
    private readonly activation: ActivationHandoff,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  list(query: AgreementsQuery): Promise<Page<AgreementView>> {
    return this.views.page(this.dataSource.manager, query);
  }

  get(id: string): Promise<AgreementView> {
    return this.views.one(this.dataSource.manager, id);
  }

  versions(id: string): Promise<VersionView[]> {
    return this.views.versions(this.dataSource.manager, id);
  }

  async create(actor: Actor, request: CreateAgreementDto): Promise<AgreementView> {
    if (!isAdmin(actor) && !isHeadOf(actor, request.providerDepartmentId) && !isHeadOf(actor, request.consumerDepartmentId)) {
      throw new ForbiddenError('only the head of the provider or consumer department, or an admin, may draft an agreement');
    }
    if (request.providerDepartmentId === request.consumerDepartmentId) {
      throw InvalidInputError.of('consumerDepartmentId', 'consumerDepartmentId must differ from providerDepartmentId');
    }
    const kind = this.kindOf(request);
    return this.dataSource.transaction(async (manager) => {
      for (const [field, id] of [
        ['providerDepartmentId', request.providerDepartmentId],
        ['consumerDepartmentId', request.consumerDepartmentId],
      ] as const) {
        if (!(await manager.existsBy(Department, { id }))) throw new NotFoundError('department', id, field);
      }
      const terms: Terms = {
        name: request.name,
        calendarId: request.calendarId,
        stageId: request.stageId ?? null,
        subjectLink: request.subjectLink ?? null,
        response: request.response ?? null,
        quota: request.quota ?? null,
        conversion: request.conversion ?? null,
        measureFrom: this.measureFromOf(request.measureFrom),
      };
      await this.checkReferences(manager, terms);
      const now = this.clock.now();
      const agreement = manager.create(Agreement, {
        id: newId(),
        kind,
        status: 'draft',
        providerDepartmentId: request.providerDepartmentId,
        consumerDepartmentId: request.consumerDepartmentId,
        createdAt: now,
        updatedAt: now,
      });
      await manager.insert(Agreement, agreement);
      const version = await this.insertVersion(manager, agreement, 1, terms, actor);
      const view = await this.views.one(manager, agreement.id);
      await this.audit.record(manager, actor, 'create', 'agreement', agreement.id, null, { ...view, version: version.number });
      return view;
    });
  }

  /** Edits the pending version, or opens a new draft version when only the version in force exists. */
  async update(actor: Actor, id: string, request: UpdateAgreementDto): Promise<AgreementView> {
    return this.change(actor, id, 'update', async (manager, agreement, versions) => {
      const pending = versions.find((v) => v.status === 'draft' || v.status === 'proposed');
      const base = pending ?? versions.find((v) => v.status === 'active');
      if (!base) throw new ConflictError(`agreement ${id} is retired; draft a new agreement instead`);
      const terms = this.merge(agreement, versions, base, request);
      await this.checkReferences(manager, terms);
      if (pending) {
        // A proposal that changes goes back to draft: approvals were given to other terms.
        Object.assign(pending, terms, { status: 'draft' });
        await manager.save(AgreementVersion, pending);
      } else {
        await this.insertVersion(manager, agreement, versions[versions.length - 1].number + 1, terms, actor);
      }
    });
  }

  /** Opens a new draft version from the one in force; refused while another version is pending. */
  async newVersion(actor: Actor, id: string, request: UpdateAgreementDto): Promise<AgreementView> {
    return this.change(actor, id, 'new-version', async (manager, agreement, versions) => {
      const pending = versions.find((v) => v.status === 'draft' || v.status === 'proposed');
      if (pending) {
        throw new ConflictError(
          `version ${pending.number} of this agreement is already ${pending.status}; change it (PATCH) rather than opening an overlapping version`,
        );
      }
      const active = versions.find((v) => v.status === 'active');
      if (!active) throw new ConflictError(`agreement ${id} has no version in force to start a new version from`);
      const terms = this.merge(agreement, versions, active, request);
      await this.checkReferences(manager, terms);
      await this.insertVersion(manager, agreement, versions[versions.length - 1].number + 1, terms, actor);
    });
  }

  async propose(actor: Actor, id: string): Promise<AgreementView> {
    return this.change(actor, id, 'propose', async (manager, agreement, versions) => {
      const draft = versions.find((v) => v.status === 'draft');
      if (!draft) throw new ConflictError(`agreement ${id} has no draft version to propose`);
      draft.status = 'proposed';
      draft.proposalRound += 1;
      draft.proposedAt = this.clock.now();
      await manager.save(AgreementVersion, draft);
      if (agreement.status === 'draft') agreement.status = 'proposed';
    });
  }

  /** A head approves the proposal for their department; with both approvals it comes into force. */
  async approve(actor: Actor, id: string, request: DecisionDto): Promise<AgreementView> {
    return this.decide(actor, id, 'approve', request.comment ?? null, async (manager, agreement, versions, proposed, approvals) => {
      if (!approvedDepartments(proposed, approvals).has(agreement.providerDepartmentId)) return;
      if (!approvedDepartments(proposed, approvals).has(agreement.consumerDepartmentId)) return;
      const now = this.clock.now();
      // Checked again at the approval: a proposal may have waited past the 400 days.
      const problem = proposed.measureFrom ? measureFromProblem(proposed.measureFrom.getTime(), now.getTime()) : null;
      if (problem) throw InvalidInputError.of('measureFrom', `${problem}; change it (PATCH) and propose again`);
      const previous = versions.find((v) => v.status === 'active');
      if (previous) {
        previous.status = 'superseded';
        previous.activeUntil = now;
        await manager.save(AgreementVersion, previous);
      }
      proposed.status = 'active';
      proposed.activeFrom = now;
      await manager.save(AgreementVersion, proposed);
      agreement.status = 'active';
      await this.activation.onVersionActivated(manager, agreement.id);
    });
  }

  async reject(actor: Actor, id: string, request: RejectionDto): Promise<AgreementView> {
    return this.decide(actor, id, 'reject', request.comment, async (manager, _agreement, _versions, proposed) => {
      proposed.status = 'draft';
      await manager.save(AgreementVersion, proposed);
    });
  }

  /** Takes the agreement out of force; clocks already running finish under their version. */
  async retire(actor: Actor, id: string): Promise<AgreementView> {
    return this.change(actor, id, 'retire', async (manager, agreement, versions) => {
      if (agreement.status === 'retired') throw new ConflictError(`agreement ${id} is already retired`);
      const now = this.clock.now();
      for (const version of versions) {
        if (version.status === 'active') version.activeUntil = now;
        if (version.status === 'active' || version.status === 'draft' || version.status === 'proposed') {
          version.status = 'retired';
          await manager.save(AgreementVersion, version);
        }
      }
      agreement.status = 'retired';
    });
  }

  private async decide(
    actor: Actor,
    id: string,
    decision: 'approve' | 'reject',
    comment: string | null,
    then: (manager: EntityManager, agreement: Agreement, versions: AgreementVersion[], proposed: AgreementVersion, approvals: AgreementApproval[]) => Promise<void>,
  ): Promise<AgreementView> {
    return this.change(actor, id, decision, async (manager, agreement, versions) => {
        const party = [agreement.providerDepartmentId, agreement.consumerDepartmentId].find((department) => isHeadOf(actor, department));
        if (!party) {
          throw new ForbiddenError(
            isAdmin(actor)
              ? 'an admin cannot approve or reject on behalf of a head'
              : 'only the heads of the provider and consumer departments may approve or reject',
          );
        }
        const proposed = versions.find((v) => v.status === 'proposed');
        if (!proposed) {
          const draft = versions.find((v) => v.status === 'draft');
          throw new ConflictError(
            draft ? `version ${draft.number} is a draft; propose it first (POST /api/agreements/${id}/propose)` : 'nothing is awaiting approval',
          );
        }
        const approvals = await manager.find(AgreementApproval, { where: { versionId: proposed.id } });
        if (decision === 'approve' && approvedDepartments(proposed, approvals).has(party)) {
          throw new ConflictError('your department has already approved this proposal');
        }
        const approval = manager.create(AgreementApproval, {
          id: newId(),
          versionId: proposed.id,
          personId: actor.personId,
          departmentId: party,
          proposalRound: proposed.proposalRound,
          decision,
          comment,
          at: this.clock.now(),
        });
        await manager.insert(AgreementApproval, approval);
        await then(manager, agreement, versions, proposed, [...approvals, approval]);
    });
  }

  /** Loads the agreement and its versions, checks the actor is a party, applies a change, audits it. */
  private async change(
    actor: Actor,
    id: string,
    action: AuditAction,
    apply: (manager: EntityManager, agreement: Agreement, versions: AgreementVersion[]) => Promise<void>,
  ): Promise<AgreementView> {
    return this.dataSource.transaction(async (manager) => {
      const agreement = await manager.findOne(Agreement, { where: { id } });
      if (!agreement) throw new NotFoundError('agreement', id);
      // Approvals check their own, stricter rule (heads only).
      const decision = action === 'approve' || action === 'reject';
      if (!decision && !isAdmin(actor) && !isHeadOf(actor, agreement.providerDepartmentId) && !isHeadOf(actor, agreement.consumerDepartmentId)) {
        throw new ForbiddenError('only the heads of the provider and consumer departments, or an admin, may change an agreement');
      }
      const before = await this.views.one(manager, id);
      const versions = await manager.find(AgreementVersion, { where: { agreementId: id }, order: { number: 'ASC' } });
      await apply(manager, agreement, versions);
      agreement.updatedAt = this.clock.now();
      await manager.save(Agreement, agreement);
      const after = await this.views.one(manager, id);
      await this.audit.record(manager, actor, action, 'agreement', id, before, after);
      return after;
    });
  }

  private kindOf(request: { response?: unknown; quota?: unknown; conversion?: unknown }): AgreementKind {
    const given = AGREEMENT_KINDS.filter((kind) => request[kind] !== undefined);
    if (given.length !== 1) {
      const message = 'give exactly one of response terms (a clock), quota terms (a count) or conversion terms (a shared KPI)';
      const fields = fieldErrors();
      for (const kind of given.length === 0 ? AGREEMENT_KINDS : given) fields[kind] = [message];
      throw new InvalidInputError(fields);
    }
    return given[0];
  }

  private merge(agreement: Agreement, versions: AgreementVersion[], base: AgreementVersion, request: UpdateAgreementDto): Terms {
    for (const kind of AGREEMENT_KINDS) {
      if (kind !== agreement.kind && request[kind] !== undefined) {
        throw InvalidInputError.of(kind, `${kind}: this is a ${agreement.kind} agreement (${TERMS_FIELDS[agreement.kind]}); its terms are under "${agreement.kind}"`);
      }
    }
    const measured = versions.some((version) => version.activeFrom !== null);
    if (measured && request.quota && base.quota && request.quota.period !== base.quota.period) {
      throw InvalidInputError.of('quota.period', 'quota.period cannot change once periods have been measured; draft a new agreement');
    }
    if (measured && request.conversion && base.conversion && request.conversion.period !== base.conversion.period) {
      throw InvalidInputError.of('conversion.period', 'conversion.period cannot change once periods have been measured; draft a new agreement');
    }
    if (measured && request.measureFrom) {
      const since = versions.find((version) => version.activeFrom !== null)?.activeFrom as Date;
      throw InvalidInputError.of(
        'measureFrom',
        `measureFrom applies only to an agreement's first version: this one has been measured since ${since.toISOString()}, ` +
          'and a new version measures from its own approval, leaving what earlier versions measured as it was',
      );
    }
    return {
      name: request.name ?? base.name,
      calendarId: request.calendarId ?? base.calendarId,
      stageId: request.stageId !== undefined ? request.stageId : base.stageId,
      subjectLink: request.subjectLink !== undefined ? request.subjectLink : base.subjectLink,
      response: request.response ?? base.response,
      quota: request.quota ?? base.quota,
      conversion: request.conversion ?? base.conversion,
      // A new version opened from the one in force starts without one (see above).
      measureFrom: request.measureFrom !== undefined ? this.measureFromOf(request.measureFrom) : measured ? null : base.measureFrom,
    };
  }

  /** A measureFrom as sent, checked against now (and again at the approval). */
  private measureFromOf(sent: string | null | undefined): Date | null {
    if (sent === undefined || sent === null) return null;
    const measureFrom = new Date(sent);
    const problem = measureFromProblem(measureFrom.getTime(), this.clock.now().getTime());
    if (problem) throw InvalidInputError.of('measureFrom', problem);
    return measureFrom;
  }

  /** The terms, then the calendar and stages they name: every problem named by its path. */
  private async checkReferences(manager: EntityManager, terms: Terms): Promise<void> {
    const problems = terms.response
      ? findResponseTermProblems(terms.response)
      : terms.conversion
        ? findConversionTermProblems(terms.conversion)
        : findQuotaTermProblems(terms.quota);
    // Stages are looked up only for well-formed terms: a malformed id names no stage anyway.
    if (terms.conversion && problems.length === 0) {
      const funnel = await manager.find(FunnelStage, { select: { id: true, name: true, position: true, enteredOn: true } });
      problems.push(...findConversionStageProblems(terms.conversion, funnel));
    }
    const linkProblem = terms.subjectLink === null ? null : subjectLinkProblem(terms.subjectLink);
    if (linkProblem) problems.push({ path: 'subjectLink', message: linkProblem });
    if (problems.length > 0) {
      const fields: FieldErrors = fieldErrors();
      for (const problem of problems) (fields[problem.path] ??= []).push(`${problem.path} ${problem.message}`);
      throw new InvalidInputError(fields);
    }
    if (!(await manager.existsBy(Calendar, { id: terms.calendarId }))) {
      throw new NotFoundError('calendar', terms.calendarId, 'calendarId');
    }
    if (terms.stageId && !(await manager.existsBy(FunnelStage, { id: terms.stageId }))) {
      throw new NotFoundError('stage', terms.stageId, 'stageId');
    }
  }

  private async insertVersion(manager: EntityManager, agreement: Agreement, number: number, terms: Terms, actor: Actor): Promise<AgreementVersion> {
    const version = manager.create(AgreementVersion, {
      id: newId(),
      agreementId: agreement.id,
      number,
      status: 'draft',
      ...terms,
      createdBy: actor.personId,
      createdAt: this.clock.now(),
      proposalRound: 0,
      proposedAt: null,
      activeFrom: null,
      activeUntil: null,
    });
    await manager.insert(AgreementVersion, version);
    return version;
  }
}
