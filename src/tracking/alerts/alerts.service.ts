import { Injectable } from '@nestjs/common';
import { type EntityManager, In } from 'typeorm';
import { AgreementVersion } from '../../agreements/agreement-version.entity.js';
import { Agreement } from '../../agreements/agreement.entity.js';
import { FunnelStage } from '../../agreements/funnel-stage.entity.js';
import { Person } from '../../org/person.entity.js';
import { Breach } from '../breach.entity.js';
import type { NotificationKind } from '../../notifications/notification.entity.js';
import { OutboxService, type OutboxEntry } from '../../notifications/outbox.service.js';
import { chunks } from '../../common/chunks.js';
import { AppConfig } from '../../config/app-config.js';
import { digestGroups, digestKey } from '../domain/alert-digest.js';

/**
 * Decides who is told about each fact and writes their messages to the outbox, inside the
 * transaction that records the fact:
 * - a breach alert goes to the owner (the stage owner, where the agreement names a stage) and to
 *   the head of the provider department — and, for a missed conversion KPI, which both departments
 *   share, to the head of the consumer department too;
 * - an at-risk warning goes to the owner before the breach (the stage owner, else the head);
 * - an escalation, a quota at risk, and the summary of history measured when an agreement comes
 *   into force, go to the heads of both departments.
 * A person who would get more than ALERT_DIGEST_THRESHOLD breach alerts from one call (one step
 * of a sweep, one batch of events) gets one digest listing those breaches instead.
 */
@Injectable()
export class AlertsService {
  constructor(
    private readonly outbox: OutboxService,
    private readonly config: AppConfig,
  ) {}

  async breachAlerts(manager: EntityManager, breachIds: string[]): Promise<void> {
    for (const part of chunks(breachIds)) {
      const breaches = await manager.find(Breach, { where: { id: In(part) } });
      await this.alertBreaches(manager, breaches.filter((breach) => !breach.withdrawnAt));
    }
  }

  /** Alerts for breaches the caller has just recorded (and so already knows): no need to read them back. */
  async alertBreaches(manager: EntityManager, breaches: { id: string; departmentId: string; ownerId: string | null }[]): Promise<void> {
    if (breaches.length === 0) return;
    const heads = await this.headsOf(manager, breaches.map((breach) => breach.departmentId));
    const owners = await this.people(manager, breaches.map((breach) => breach.ownerId));
    await this.enqueue(
      manager,
      'breach-alert',
      breaches.map((breach) => ({ referenceId: breach.id, recipients: [owners.get(breach.ownerId ?? ''), heads.get(breach.departmentId)] })),
    );
  }

  /**
   * Alerts for missed conversion periods: the KPI is shared, so its breach goes to the heads of
   * both departments (and the stage owner, where the agreement names a stage).
   */
  async jointBreachAlerts(
    manager: EntityManager,
    breaches: { id: string; providerDepartmentId: string; consumerDepartmentId: string; ownerId: string | null }[],
  ): Promise<void> {
    if (breaches.length === 0) return;
    const heads = await this.headsOf(manager, breaches.flatMap((breach) => [breach.providerDepartmentId, breach.consumerDepartmentId]));
    const owners = await this.people(manager, breaches.map((breach) => breach.ownerId));
    await this.enqueue(
      manager,
      'breach-alert',
      breaches.map((breach) => ({
        referenceId: breach.id,
        recipients: [owners.get(breach.ownerId ?? ''), heads.get(breach.providerDepartmentId), heads.get(breach.consumerDepartmentId)],
      })),
    );
  }

  async atRiskWarnings(manager: EntityManager, clocks: { id: string; versionId: string }[]): Promise<void> {
    for (const part of chunks(clocks)) {
      const parties = await this.partiesOfVersions(manager, part.map((clock) => clock.versionId));
      await this.enqueue(
        manager,
        'at-risk',
        part.map((clock) => {
          const party = parties.get(clock.versionId);
          return { referenceId: clock.id, recipients: [party?.owner ?? party?.providerHead] };
        }),
      );
    }
  }

  async escalations(manager: EntityManager, breaches: { id: string; agreementId: string }[]): Promise<void> {
    const agreements = await manager.find(Agreement, { where: { id: In([...new Set(breaches.map((b) => b.agreementId))]) } });
    const heads = await this.headsOf(manager, agreements.flatMap((a) => [a.providerDepartmentId, a.consumerDepartmentId]));
    const byId = new Map(agreements.map((agreement) => [agreement.id, agreement]));
    await this.enqueue(
      manager,
      'escalation',
      breaches.map((breach) => {
        const agreement = byId.get(breach.agreementId);
        return {
          referenceId: breach.id,
          recipients: agreement ? [heads.get(agreement.providerDepartmentId), heads.get(agreement.consumerDepartmentId)] : [],
        };
      }),
    );
  }

  async quotaAtRisk(manager: EntityManager, periodId: string, versionId: string, payload: Record<string, unknown>): Promise<void> {
    const version = await manager.findOneOrFail(AgreementVersion, { where: { id: versionId } });
    const agreement = await manager.findOneOrFail(Agreement, { where: { id: version.agreementId } });
    const heads = await this.headsOf(manager, [agreement.providerDepartmentId, agreement.consumerDepartmentId]);
    await this.enqueue(manager, 'quota-at-risk', [
      { referenceId: periodId, recipients: [heads.get(agreement.providerDepartmentId), heads.get(agreement.consumerDepartmentId)], payload },
    ]);
  }

  /**
   * One summary to the heads of both departments when an agreement comes into force measuring
   * from a date before its approval, instead of an alert per breach found in that history.
   * Keyed by version and person: the approval's transaction writes it once.
   */
  async historyMeasured(
    manager: EntityManager,
    agreement: Pick<Agreement, 'providerDepartmentId' | 'consumerDepartmentId'>,
    versionId: string,
    payload: { measureFrom: string; clocks: number; breaches: number; periods: number },
  ): Promise<void> {
    const heads = await this.headsOf(manager, [agreement.providerDepartmentId, agreement.consumerDepartmentId]);
    await this.enqueue(manager, 'history-measured', [
      { referenceId: versionId, recipients: [heads.get(agreement.providerDepartmentId), heads.get(agreement.consumerDepartmentId)], payload },
    ]);
  }

  private async enqueue(
    manager: EntityManager,
    kind: NotificationKind,
    facts: { referenceId: string; recipients: (Person | undefined)[]; payload?: Record<string, unknown> }[],
  ): Promise<void> {
    const entries: OutboxEntry[] = [];
    for (const fact of facts) {
      const seen = new Set<string>();
      for (const person of fact.recipients) {
        if (!person || seen.has(person.id)) continue;
        seen.add(person.id);
        entries.push({
          kind,
          dedupeKey: `${kind}:${fact.referenceId}:${person.id}`,
          referenceId: fact.referenceId,
          recipientId: person.id,
          recipientEmail: person.email,
          payload: fact.payload ?? null,
        });
      }
    }
    if (kind === 'breach-alert') await this.enqueueBreachAlerts(manager, entries);
    else await this.outbox.enqueue(manager, entries);
  }

  /**
   * A recipient's alerts above the threshold are written `digested` — each keeps its key, so its
   * breach is never announced again — and the breaches newly written are listed in one digest;
   * should too few be new (announced before), they go one by one after all.
   */
  private async enqueueBreachAlerts(manager: EntityManager, entries: OutboxEntry[]): Promise<void> {
    const threshold = this.config.ALERT_DIGEST_THRESHOLD;
    const { oneByOne, digests } = digestGroups(entries, threshold);
    await this.outbox.enqueue(manager, oneByOne);
    for (const group of digests) {
      const written = new Set(await this.outbox.enqueue(manager, group.map((entry) => ({ ...entry, status: 'digested' as const }))));
      const fresh = group.filter((entry) => written.has(entry.dedupeKey));
      if (fresh.length <= threshold) {
        await this.outbox.undigest(manager, fresh.map((entry) => entry.dedupeKey));
        continue;
      }
      const [{ recipientId, recipientEmail }] = fresh;
      const breachIds = fresh.map((entry) => entry.referenceId as string);
      await this.outbox.enqueue(manager, [
        { kind: 'breach-digest', dedupeKey: digestKey(recipientId as string, breachIds), referenceId: null, recipientId, recipientEmail, payload: { breachIds } },
      ]);
    }
  }

  private async headsOf(manager: EntityManager, departmentIds: string[]): Promise<Map<string, Person>> {
    const ids = [...new Set(departmentIds)];
    if (ids.length === 0) return new Map();
    const heads = await manager.find(Person, { where: { role: 'head', departmentId: In(ids) } });
    return new Map(heads.map((head) => [head.departmentId as string, head]));
  }

  private async people(manager: EntityManager, ids: (string | null)[]): Promise<Map<string, Person>> {
    const wanted = [...new Set(ids.filter((id): id is string => !!id))];
    if (wanted.length === 0) return new Map();
    return new Map((await manager.find(Person, { where: { id: In(wanted) } })).map((person) => [person.id, person]));
  }

  /** For each version: the stage owner (if any) and the provider department's head. */
  private async partiesOfVersions(manager: EntityManager, versionIds: string[]): Promise<Map<string, { owner?: Person; providerHead?: Person }>> {
    const versions = await manager.find(AgreementVersion, { where: { id: In([...new Set(versionIds)]) } });
    const agreements = await manager.find(Agreement, { where: { id: In([...new Set(versions.map((v) => v.agreementId))]) } });
    const stageIds = versions.map((v) => v.stageId).filter((id): id is string => !!id);
    const stages = stageIds.length ? await manager.find(FunnelStage, { where: { id: In(stageIds) } }) : [];
    const owners = await this.people(manager, stages.map((stage) => stage.ownerId));
    const heads = await this.headsOf(manager, agreements.map((agreement) => agreement.providerDepartmentId));
    const agreementOf = new Map(agreements.map((agreement) => [agreement.id, agreement]));
    const stageOf = new Map(stages.map((stage) => [stage.id, stage]));
    return new Map(
      versions.map((version) => {
        const stage = version.stageId ? stageOf.get(version.stageId) : undefined;
        return [
          version.id,
          {
            owner: stage?.ownerId ? owners.get(stage.ownerId) : undefined,
            providerHead: heads.get(agreementOf.get(version.agreementId)?.providerDepartmentId ?? ''),
          },
        ];
      }),
    );
  }
}
