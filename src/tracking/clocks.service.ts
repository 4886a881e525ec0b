import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type FindOptionsWhere, In } from 'typeorm';
import { AgreementVersion } from '../agreements/agreement-version.entity.js';
import { CalendarsService } from '../calendars/calendars.service.js';
import { Clock } from '../common/clock.js';
import type { Page } from '../common/pagination.js';
import { Breach } from './breach.entity.js';
import { fellDueUnswept } from './clock-lateness.js';
import { SlaClock } from './sla-clock.entity.js';
import type { ClocksQuery, ClockView } from './tracking.dto.js';

/** Clocks with their history: why a lead counted as met or breached. */
@Injectable()
export class ClocksService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly calendars: CalendarsService,
    private readonly clock: Clock,
  ) {}

  async list(query: ClocksQuery): Promise<Page<ClockView>> {
    const where: FindOptionsWhere<SlaClock> = {};
    if (query.subject) where.subject = query.subject;
    if (query.agreementId) where.agreementId = query.agreementId;
    if (query.state) where.state = query.state;
    if (query.outcome) where.outcome = query.outcome;
    const manager = this.dataSource.manager;
    const [clocks, total] = await manager.findAndCount(SlaClock, {
      where,
      order: { startedAt: 'ASC', id: 'ASC' },
      take: query.limit,
      skip: query.offset,
    });
    const versions = clocks.length
      ? await manager.find(AgreementVersion, { where: { id: In([...new Set(clocks.map((c) => c.versionId))]) } })
      : [];
    const versionById = new Map(versions.map((version) => [version.id, version]));
    const breaches = clocks.length
      ? await manager.find(Breach, { select: { id: true, clockId: true }, where: { clockId: In(clocks.map((c) => c.id)) } })
      : [];
    const breachOf = new Map(breaches.map((breach) => [breach.clockId, breach.id]));
    const now = this.clock.now();
    const items: ClockView[] = [];
    for (const clock of clocks) {
      const version = versionById.get(clock.versionId) as AgreementVersion;
      items.push({
        id: clock.id,
        agreementId: clock.agreementId,
        versionId: clock.versionId,
        versionNumber: version.number,
        agreementName: version.name,
        subject: clock.subject,
        cycle: clock.cycle,
        targetName: clock.targetName,
        targetSeconds: clock.targetSeconds,
        state: clock.state,
        // Between two sweeps a clock may already be past due: say so.
        outcome: fellDueUnswept(clock, clock.dueAt?.getTime() ?? null, now.getTime()) ? 'breached' : clock.outcome,
        startedAt: clock.startedAt.toISOString(),
        stoppedAt: clock.stoppedAt?.toISOString() ?? null,
        dueAt: clock.dueAt?.toISOString() ?? null,
        warnAt: clock.warnAt?.toISOString() ?? null,
        warnedAt: clock.warnedAt?.toISOString() ?? null,
        breachedAt: clock.breachedAt?.toISOString() ?? (fellDueUnswept(clock, clock.dueAt?.getTime() ?? null, now.getTime()) ? (clock.dueAt as Date).toISOString() : null),
        elapsedSeconds: await this.elapsedNow(clock, version.calendarId, now),
        pausedSeconds: clock.pausedSeconds,
        breachId: breachOf.get(clock.id) ?? null,
        steps: clock.steps,
      });
    }
    return { items, total, limit: query.limit, offset: query.offset };
  }

  /** A running clock keeps counting: the stored figure plus the working time since it last (re)started. */
  private async elapsedNow(clock: SlaClock, calendarId: string, now: Date): Promise<number> {
    if (clock.state !== 'running') return clock.elapsedSeconds;
    const last = [...clock.steps].reverse().find((step) => step.action === 'start' || step.action === 'resume');
    if (!last) return clock.elapsedSeconds;
    const calendar = await this.calendars.businessCalendar(calendarId);
    return clock.elapsedSeconds + Math.max(0, calendar.businessSecondsBetween(new Date(last.at), now));
  }
}
