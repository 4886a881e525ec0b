import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager, In } from 'typeorm';
import { AgreementVersion } from '../agreements/agreement-version.entity.js';
import { Agreement } from '../agreements/agreement.entity.js';
import { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../access/actor.js';
import { CalendarsService } from '../calendars/calendars.service.js';
import { Clock } from '../common/clock.js';
import { ConflictError, ForbiddenError, NotFoundError } from '../common/errors.js';
import { newId } from '../common/ids.js';
import type { Page } from '../common/pagination.js';
import { subjectUrl } from '../common/subject-link.js';
import { isJointBreach, mayExplainBreach, mayReviewBreach } from './breach-access.js';
import { BreachExplanation, BreachReview } from './breach-explanation.entity.js';
import { Breach } from './breach.entity.js';
import { lateSecondsOf } from './clock-lateness.js';
import { ConversionPeriod } from './conversion-period.entity.js';
import { QuotaPeriod } from './quota-period.entity.js';
import { SlaClock } from './sla-clock.entity.js';
import type { BreachConversionView, BreachDetailView, BreachesQuery, BreachView, ExplanationDto, ReviewDto, ReviewView } from './tracking.dto.js';

/** A missed conversion period as its breach shows it: "2026-11: 8 of 20 (40 %), at least 50 %". */
function conversionFigures(period: ConversionPeriod, version: AgreementVersion): BreachConversionView {
  return {
    label: period.label,
    cohort: period.cohort,
    converted: period.converted,
    percent: period.cohort === 0 ? null : Math.round((period.converted * 10_000) / period.cohort) / 100,
    minimumPercent: version.conversion?.minimumPercent ?? null,
  };
}

/** Breaches as their owners and the heads see them, and the owner's explanation. */
@Injectable()
export class BreachesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly calendars: CalendarsService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /**
   * Breaches, latest due first. For a department, those it owns and the joint (conversion)
   * breaches of the KPIs it shares, read as two index ranges and merged: one condition with an OR
   * between them made every matching breach be read and sorted for a page of ten (0.8 s for a
   * department with 230,000 breaches waiting for an explanation, on every dashboard).
   */
  async list(query: BreachesQuery): Promise<Page<BreachView>> {
    const manager = this.dataSource.manager;
    const filtered = (alias = 'breach') => {
      const builder = manager.createQueryBuilder(Breach, alias);
      if (query.agreementId) builder.andWhere(`${alias}.agreementId = :agreementId`, { agreementId: query.agreementId });
      if (query.explained === true) builder.andWhere(`${alias}.explainedAt IS NOT NULL`);
      if (query.explained === false) builder.andWhere(`${alias}.explainedAt IS NULL`);
      if (!query.includeWithdrawn) builder.andWhere(`${alias}.withdrawnAt IS NULL`);
      if (query.from) builder.andWhere(`${alias}.dueAt >= :from`, { from: new Date(query.from) });
      if (query.to) builder.andWhere(`${alias}.dueAt < :to`, { to: new Date(query.to) });
      return builder;
    };
    const parts = query.departmentId
      ? [
          filtered().andWhere('breach.departmentId = :departmentId', { departmentId: query.departmentId }),
          // A conversion breach is owned by both departments: it is listed for either.
          filtered().andWhere(
            `breach.kind = 'conversion' AND breach.departmentId <> :departmentId AND breach.agreementId IN (SELECT a.id FROM agreements a WHERE a.consumer_department_id = :departmentId)`,
            { departmentId: query.departmentId },
          ),
        ]
      : [filtered()];
    const read = await Promise.all(
      parts.map(async (part) => {
        const { count } = (await part.clone().select('COUNT(*)', 'count').getRawOne<{ count: number | string }>()) ?? { count: 0 };
        const rows = await part
          .orderBy('breach.dueAt', 'DESC')
          .addOrderBy('breach.id', 'ASC')
          .limit(query.offset + query.limit)
          .getMany();
        return { rows, count: Number(count) };
      }),
    );
    const breaches = read
      .flatMap((part) => part.rows)
      .sort((a, b) => b.dueAt.getTime() - a.dueAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .slice(query.offset, query.offset + query.limit);
    const total = read.reduce((sum, part) => sum + part.count, 0);
    return { items: await this.views(manager, breaches), total, limit: query.limit, offset: query.offset };
  }

  /** One breach with the history of its explanation and the verdicts on it. */
  async get(id: string): Promise<BreachDetailView> {
    return this.detail(this.dataSource.manager, await this.require(this.dataSource.manager, id));
  }

  /**
   * The owner — anyone in the provider department, or the stage owner; for a joint (conversion)
   * breach anyone in either department — says why, and what changes. Every edit is kept as a
   * revision and reopens the review.
   */
  async explain(actor: Actor, id: string, request: ExplanationDto): Promise<BreachDetailView> {
    return this.dataSource.transaction(async (manager) => {
      const breach = await this.require(manager, id);
      const agreement = await manager.findOneOrFail(Agreement, { where: { id: breach.agreementId } });
      if (!mayExplainBreach(actor, { ...breach, consumerDepartmentId: agreement.consumerDepartmentId })) {
        throw new ForbiddenError(
          isJointBreach(breach)
            ? 'only the people of the two departments that share this KPI may explain it'
            : "only the breach's owner (its department or the stage owner) may explain it",
        );
      }
      if (breach.withdrawnAt) throw new ConflictError('this breach was withdrawn: a late event showed the promise was kept');
      const before = await this.detail(manager, breach);
      const now = this.clock.now();
      const revision = (await manager.count(BreachExplanation, { where: { breachId: id } })) + 1;
      await manager.insert(BreachExplanation, {
        id: newId(),
        breachId: id,
        revision,
        cause: request.cause,
        correctiveAction: request.correctiveAction,
        explainedBy: actor.personId,
        explainedAt: now,
      });
      breach.cause = request.cause;
      breach.correctiveAction = request.correctiveAction;
      breach.explainedAt = now;
      breach.explainedBy = actor.personId;
      breach.reviewStatus = 'pending';
      await manager.save(Breach, breach);
      const after = await this.detail(manager, breach);
      await this.audit.record(manager, actor, 'explain', 'breach', id, before, after);
      return after;
    });
  }

  /**
   * The head of the consumer department accepts the latest explanation, or disputes it with a
   * comment; a disputed one stays on the joint meetings' agenda until accepted. A joint
   * (conversion) breach is reviewed by the head of either department who did not write it.
   */
  async review(actor: Actor, id: string, request: ReviewDto): Promise<BreachDetailView> {
    return this.dataSource.transaction(async (manager) => {
      const breach = await this.require(manager, id);
      const agreement = await manager.findOneOrFail(Agreement, { where: { id: breach.agreementId } });
      if (!mayReviewBreach(actor, { ...breach, consumerDepartmentId: agreement.consumerDepartmentId })) {
        throw new ForbiddenError(
          isJointBreach(breach)
            ? 'only a head of the two departments that share this KPI, other than the one who wrote the explanation, may accept or dispute it'
            : 'only the head of the consumer department, to whom the promise was made, may accept or dispute the explanation',
        );
      }
      if (breach.withdrawnAt) throw new ConflictError('this breach was withdrawn: a late event showed the promise was kept');
      const latest = await manager.findOne(BreachExplanation, { where: { breachId: id }, order: { revision: 'DESC' } });
      if (!latest) throw new ConflictError('this breach has no explanation to review yet');
      const before = await this.detail(manager, breach);
      await manager.insert(BreachReview, {
        id: newId(),
        breachId: id,
        revision: latest.revision,
        verdict: request.verdict,
        comment: request.comment ?? null,
        reviewedBy: actor.personId,
        reviewedAt: this.clock.now(),
      });
      breach.reviewStatus = request.verdict;
      await manager.save(Breach, breach);
      const after = await this.detail(manager, breach);
      await this.audit.record(manager, actor, 'review', 'breach', id, before, after);
      return after;
    });
  }

  private async detail(manager: EntityManager, breach: Breach): Promise<BreachDetailView> {
    const [view] = await this.views(manager, [breach]);
    const revisions = await manager.find(BreachExplanation, { where: { breachId: breach.id }, order: { revision: 'ASC' } });
    const reviews = await manager.find(BreachReview, { where: { breachId: breach.id }, order: { reviewedAt: 'ASC', id: 'ASC' } });
    const reviewView = (review: BreachReview): ReviewView => ({
      verdict: review.verdict,
      comment: review.comment,
      reviewedBy: review.reviewedBy,
      reviewedAt: review.reviewedAt.toISOString(),
    });
    const history = revisions.map((revision) => ({
      revision: revision.revision,
      cause: revision.cause,
      correctiveAction: revision.correctiveAction,
      explainedBy: revision.explainedBy,
      explainedAt: revision.explainedAt.toISOString(),
      reviews: reviews.filter((review) => review.revision === revision.revision).map(reviewView),
    }));
    const current = history[history.length - 1];
    const review = breach.reviewStatus !== 'pending' && current?.reviews.length ? current.reviews[current.reviews.length - 1] : null;
    return { ...view, history, review };
  }

  private async require(manager: EntityManager, id: string): Promise<Breach> {
    const breach = await manager.findOne(Breach, { where: { id } });
    if (!breach) throw new NotFoundError('breach', id);
    return breach;
  }

  private async views(manager: EntityManager, breaches: Breach[]): Promise<BreachView[]> {
    if (breaches.length === 0) return [];
    const versions = await manager.find(AgreementVersion, { where: { id: In([...new Set(breaches.map((b) => b.versionId))]) } });
    const versionOf = new Map(versions.map((version) => [version.id, version]));
    const clockIds = breaches.map((b) => b.clockId).filter((id): id is string => id !== null);
    const clocks = clockIds.length ? await manager.find(SlaClock, { where: { id: In(clockIds) } }) : [];
    const clockOf = new Map(clocks.map((clock) => [clock.id, clock]));
    const periodIds = breaches.map((b) => b.quotaPeriodId).filter((id): id is string => id !== null);
    const periods = periodIds.length ? await manager.find(QuotaPeriod, { where: { id: In(periodIds) } }) : [];
    const periodOf = new Map(periods.map((period) => [period.id, period]));
    const conversionIds = breaches.map((b) => b.conversionPeriodId).filter((id): id is string => id !== null);
    const conversions = conversionIds.length ? await manager.find(ConversionPeriod, { where: { id: In(conversionIds) } }) : [];
    const conversionOf = new Map(conversions.map((period) => [period.id, period]));
    const agreements = await manager.find(Agreement, { where: { id: In([...new Set(breaches.map((b) => b.agreementId))]) } });
    const consumerOf = new Map(agreements.map((agreement) => [agreement.id, agreement.consumerDepartmentId]));
    const now = this.clock.now();
    const views: BreachView[] = [];
    for (const breach of breaches) {
      const version = versionOf.get(breach.versionId) as AgreementVersion;
      const clock = breach.clockId ? clockOf.get(breach.clockId) : undefined;
      const period = breach.quotaPeriodId ? periodOf.get(breach.quotaPeriodId) : undefined;
      const conversion = breach.conversionPeriodId ? conversionOf.get(breach.conversionPeriodId) : undefined;
      const lateSeconds = clock ? await lateSecondsOf(clock, breach.dueAt, now, () => this.calendars.businessCalendar(version.calendarId)) : null;
      views.push({
        id: breach.id,
        kind: breach.kind,
        agreementId: breach.agreementId,
        agreementName: version.name,
        versionId: breach.versionId,
        subject: breach.subject,
        clockId: breach.clockId,
        quotaPeriodId: breach.quotaPeriodId,
        conversionPeriodId: breach.conversionPeriodId,
        targetName: clock?.targetName ?? null,
        departmentId: breach.departmentId,
        ownerId: breach.ownerId,
        dueAt: breach.dueAt.toISOString(),
        detectedAt: breach.detectedAt.toISOString(),
        lateSeconds,
        shortfall: period ? Math.max(0, period.minimum - period.count) : null,
        conversion: conversion ? conversionFigures(conversion, version) : null,
        joint: isJointBreach(breach),
        explained: breach.explainedAt !== null,
        cause: breach.cause,
        correctiveAction: breach.correctiveAction,
        explainedAt: breach.explainedAt?.toISOString() ?? null,
        explainedBy: breach.explainedBy,
        withdrawnAt: breach.withdrawnAt?.toISOString() ?? null,
        consumerDepartmentId: consumerOf.get(breach.agreementId) as string,
        reviewStatus: breach.reviewStatus,
        subjectUrl: subjectUrl(version.subjectLink, breach.subject),
      });
    }
    return views;
  }
}
