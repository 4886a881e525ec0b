import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { chunks } from '../common/chunks.js';
import { SqlDialect } from '../database/sql-dialect.js';
import { AlertsService } from './alerts/alerts.service.js';

/** A conversion period that closed (or was re-decided) below its minimum. */
export interface MissedConversion {
  agreementId: string;
  versionId: string;
  periodId: string;
  providerDepartmentId: string;
  consumerDepartmentId: string;
  /** The owner of the version's funnel stage, if it names one. */
  ownerId: string | null;
  /** When the period closed: its last subject's window passed (or the period ended). */
  dueAt: number;
}

/**
 * The breaches of conversion agreements: one per missed period, whichever path sees it first (the
 * sweep closing it, an approval measuring history, a late entry re-deciding a closed period); one
 * withdrawn comes back if the period is missed again. Owned jointly: the row names the provider
 * as its department (like every breach), and breach-access.ts and the alerts add the consumer.
 */
@Injectable()
export class ConversionBreaches {
  constructor(private readonly alerts: AlertsService) {}

  /** Records the breaches, alerted to both heads unless `announce` is false (history: told in one summary). Returns how many were written. */
  async record(manager: EntityManager, missed: MissedConversion[], now: Date, { announce = true }: { announce?: boolean } = {}): Promise<number> {
    const dialect = SqlDialect.of(manager);
    const escalatedAt = announce ? null : dialect.instant(now);
    const recorded: { id: string; providerDepartmentId: string; consumerDepartmentId: string; ownerId: string | null }[] = [];
    for (const part of chunks(missed, 100)) {
      const values: unknown[] = [];
      const rows = part.map((breach, i) => {
        values.push(randomUUID(), breach.agreementId, breach.versionId, breach.periodId, breach.providerDepartmentId, breach.ownerId);
        values.push(dialect.instant(breach.dueAt), dialect.instant(now), escalatedAt);
        return `(${dialect.params(i * 9 + 1, 9)}, 'conversion')`;
      });
      const inserted = await SqlDialect.rows<{ id: string; conversion_period_id: string }>(
        manager,
        `INSERT INTO breaches (id, agreement_id, version_id, conversion_period_id, department_id, owner_id, due_at, detected_at, escalated_at, kind)
         VALUES ${rows.join(', ')}
         ON CONFLICT (conversion_period_id) DO UPDATE SET withdrawn_at = NULL, due_at = excluded.due_at
         RETURNING id, conversion_period_id`,
        values,
      );
      // RETURNING promises no order: rows are matched to their periods by id.
      const byPeriod = new Map(part.map((breach) => [breach.periodId, breach]));
      for (const row of inserted) {
        const breach = byPeriod.get(row.conversion_period_id) as MissedConversion;
        recorded.push({ id: row.id, providerDepartmentId: breach.providerDepartmentId, consumerDepartmentId: breach.consumerDepartmentId, ownerId: breach.ownerId });
      }
    }
    // Alerts are keyed by breach and person: a breach recorded again is not announced again.
    if (announce) await this.alerts.jointBreachAlerts(manager, recorded);
    return recorded.length;
  }

  /** A missed period that late entries turned into a met one: its breach is withdrawn. */
  async withdraw(manager: EntityManager, periodIds: string[], now: Date): Promise<void> {
    const dialect = SqlDialect.of(manager);
    for (const part of chunks(periodIds)) {
      await manager.query(
        `UPDATE breaches SET withdrawn_at = ${dialect.param(1)} WHERE withdrawn_at IS NULL AND conversion_period_id IN (${dialect.params(2, part.length)})`,
        [dialect.instant(now), ...part],
      );
    }
  }
}
