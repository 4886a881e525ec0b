import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager, In } from 'typeorm';
import { AgreementVersion } from '../agreements/agreement-version.entity.js';
import { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../auth/actor.js';
import { CalendarsService } from '../calendars/calendars.service.js';
import { Clock } from '../common/clock.js';
import { ConflictError, ForbiddenError, NotFoundError } from '../common/errors.js';
import type { Page } from '../common/pagination.js';
import { Breach } from './breach.entity.js';
import { lateSecondsOf } from './clock-lateness.js';
import { QuotaPeriod } from './quota-period.entity.js';
import { SlaClock } from './sla-clock.entity.js';
import type { BreachesQuery, BreachView, ExplanationDto } from './tracking.dto.js';

/** Breaches as their owners and the heads see them, and the owner's explanation. */
@Injectable()
export class BreachesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly calendars: CalendarsService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async list(query: BreachesQuery): Promise<Page<BreachView>> {
    const builder = this.dataSource.manager.createQueryBuilder(Breach, 'breach');
    if (query.agreementId) builder.andWhere('breach.agreementId = :agreementId', { agreementId: query.agreementId });
    if (query.departmentId) builder.andWhere('breach.departmentId = :departmentId', { departmentId: query.departmentId });
    if (query.from) builder.andWhere('breach.dueAt >= :from', { from: new Date(query.from) });
    if (query.to) builder.andWhere('breach.dueAt < :to', { to: new Date(query.to) });
    if (query.explained === true) builder.andWhere('breach.explainedAt IS NOT NULL');
    if (query.explained === false) builder.andWhere('breach.explainedAt IS NULL');
    if (!query.includeWithdrawn) builder.andWhere('breach.withdrawnAt IS NULL');
    const [breaches, total] = await builder
      .orderBy('breach.dueAt', 'DESC')
      .addOrderBy('breach.id', 'ASC')
      .take(query.limit)
      .skip(query.offset)
      .getManyAndCount();
    return { items: await this.views(this.dataSource.manager, breaches), total, limit: query.limit, offset: query.offset };
  }

  async get(id: string): Promise<BreachView> {
    const breach = await this.require(this.dataSource.manager, id);
    return (await this.views(this.dataSource.manager, [breach]))[0];
  }

  /** The owner — anyone in the provider department, or the stage owner — says why, and what changes. */
  async explain(actor: Actor, id: string, request: ExplanationDto): Promise<BreachView> {
    return this.dataSource.transaction(async (manager) => {
      const breach = await this.require(manager, id);
      if (actor.departmentId !== breach.departmentId && actor.personId !== breach.ownerId) {
        throw new ForbiddenError("only the breach's owner (its department or the stage owner) may explain it");
      }
      if (breach.withdrawnAt) throw new ConflictError('this breach was withdrawn: a late event showed the promise was kept');
      const [before] = await this.views(manager, [breach]);
      breach.cause = request.cause;
      breach.correctiveAction = request.correctiveAction;
      breach.explainedAt = this.clock.now();
      breach.explainedBy = actor.personId;
      await manager.save(Breach, breach);
      const [after] = await this.views(manager, [breach]);
      await this.audit.record(manager, actor, 'explain', 'breach', id, before, after);
      return after;
    });
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
    const now = this.clock.now();
    const views: BreachView[] = [];
    for (const breach of breaches) {
      const version = versionOf.get(breach.versionId) as AgreementVersion;
      const clock = breach.clockId ? clockOf.get(breach.clockId) : undefined;
      const period = breach.quotaPeriodId ? periodOf.get(breach.quotaPeriodId) : undefined;
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
        targetName: clock?.targetName ?? null,
        departmentId: breach.departmentId,
        ownerId: breach.ownerId,
        dueAt: breach.dueAt.toISOString(),
        detectedAt: breach.detectedAt.toISOString(),
        lateSeconds,
        shortfall: period ? Math.max(0, period.minimum - period.count) : null,
        explained: breach.explainedAt !== null,
        cause: breach.cause,
        correctiveAction: breach.correctiveAction,
        explainedAt: breach.explainedAt?.toISOString() ?? null,
        explainedBy: breach.explainedBy,
        withdrawnAt: breach.withdrawnAt?.toISOString() ?? null,
      });
    }
    return views;
  }
}
