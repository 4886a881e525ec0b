import { Injectable } from '@nestjs/common';
import { type EntityManager, In, IsNull, Not } from 'typeorm';
import { AgreementVersion } from '../agreements/agreement-version.entity.js';
import { Agreement } from '../agreements/agreement.entity.js';
import { eventTypesOf, type ConversionTerms, type QuotaPeriodKind, type QuotaTerms } from '../agreements/domain/agreement-terms.js';
import { measuringStart } from '../agreements/domain/measure-from.js';
import { FunnelStage } from '../agreements/funnel-stage.entity.js';
import type { BusinessCalendar } from '../calendars/business-time/index.js';
import { CalendarsService } from '../calendars/calendars.service.js';
import { SqlDialect } from '../database/sql-dialect.js';
import { sharedRead } from '../common/shared-reads.js';
import type { ResponseVersion } from './domain/clock-cycles.js';
import { periodContaining, type Period } from './domain/periods.js';

/** A version that has been in force, ready for the tracking engine. */
export interface MeasuredVersion {
  entity: AgreementVersion;
  calendar: BusinessCalendar;
  calendarVersion: number;
  /**
   * From when it measures events: its approval, or its `measureFrom` when it is the agreement's
   * first version in force and reaches back before that (see measuringStart).
   */
  activeFrom: number;
  activeUntil: number | null;
  /** The owner of the version's funnel stage, who answers for its breaches with the provider. */
  ownerId: string | null;
}

export interface MeasuredAgreement {
  agreement: Agreement;
  /** Versions that were or are in force, oldest first; their time spans do not overlap. */
  versions: MeasuredVersion[];
  /** Every event type any of those versions listens to. */
  types: Set<string>;
}

/** The version in force at an instant, or undefined. */
export function versionAt(agreement: MeasuredAgreement, instant: number): MeasuredVersion | undefined {
  for (let i = agreement.versions.length - 1; i >= 0; i--) {
    const version = agreement.versions[i];
    if (version.activeFrom <= instant) {
      return version.activeUntil === null || instant < version.activeUntil ? version : undefined;
    }
  }
  return undefined;
}

/** A measured version as the pure clock computation wants it. */
export function asResponseVersion(version: MeasuredVersion, span?: { from: number; until: number | null }): ResponseVersion {
  if (!version.entity.response) throw new Error(`version ${version.entity.id} has no response terms`);
  return {
    id: version.entity.id,
    terms: version.entity.response,
    calendar: version.calendar,
    calendarVersion: version.calendarVersion,
    activeFrom: span ? span.from : version.activeFrom,
    activeUntil: span ? span.until : version.activeUntil,
  };
}

export function quotaTermsOf(version: MeasuredVersion): QuotaTerms {
  if (!version.entity.quota) throw new Error(`version ${version.entity.id} has no quota terms`);
  return version.entity.quota;
}

export function conversionTermsOf(version: MeasuredVersion): ConversionTerms {
  if (!version.entity.conversion) throw new Error(`version ${version.entity.id} has no conversion terms`);
  return version.entity.conversion;
}

/** A period of an agreement measured per period (quota, conversion), with the version measuring it. */
export interface PeriodOfAgreement {
  period: Period;
  version: MeasuredVersion;
}

/**
 * The period an instant falls in, with its measuring version; undefined outside the agreement's
 * life. Periods run from the one in which the agreement first came into force; each is measured by
 * the version in force when it began (or at the first activation, for the first period), and is
 * cut in that version's calendar time zone.
 */
export function periodOfAgreement(measured: MeasuredAgreement, instant: number, kind: QuotaPeriodKind): PeriodOfAgreement | undefined {
  const first = measured.versions[0];
  if (!first) return undefined;
  const zoneVersion = versionAt(measured, instant) ?? measured.versions[measured.versions.length - 1];
  const period = periodContaining(instant, kind, zoneVersion.calendar.timezone);
  const firstPeriod = periodContaining(first.activeFrom, kind, first.calendar.timezone);
  if (period.start < firstPeriod.start) return undefined;
  const last = measured.versions[measured.versions.length - 1];
  if (measured.agreement.status === 'retired' && last.activeUntil !== null && period.start >= last.activeUntil) return undefined;
  const version = versionAt(measured, Math.max(period.start, first.activeFrom)) ?? last;
  return { period, version };
}

/**
 * Loads the agreements that have ever been in force, with their versions compiled for
 * measuring: what every batch of events, sweep and compliance question starts from.
 */
@Injectable()
export class AgreementCatalogue {
  /** The last whole catalogue loaded, with the fingerprint of the rows it was built from. */
  private cached?: { fingerprint: string; agreements: MeasuredAgreement[] };
  /**
   * On PostgreSQL outside a transaction, callers asking together share one fingerprint read, sent
   * after each of them asked (sharedReads): under a flood of single events, one statement for many.
   */
  private readonly sharedFingerprint = sharedRead(catalogueFingerprint);

  constructor(private readonly calendars: CalendarsService) {}

  /**
   * Every agreement ever in force (or those named). The whole catalogue, which every delivery of
   * events asks for, is kept per process and handed out again while the rows it was built from are
   * unchanged: one hand-written statement reads every column of the versions in force, their
   * agreements, their calendars' versions and their stages' owners, in the caller's transaction,
   * and any difference (a version approved or retired here or by another instance, a calendar or
   * an owner changed, this transaction's own writes) builds it afresh (see SqlDialect.sharesReads for
   * when the read is shared with other callers asking at the same time). What is handed out is shared:
   * callers read it and never change it.
   */
  async load(manager: EntityManager, agreementIds?: string[]): Promise<MeasuredAgreement[]> {
    if (agreementIds) return this.build(manager, agreementIds);
    const fingerprint = await (SqlDialect.sharesReads(manager) ? this.sharedFingerprint.load(manager) : catalogueFingerprint(manager));
    if (this.cached?.fingerprint === fingerprint) return this.cached.agreements;
    const agreements = await this.build(manager);
    this.cached = { fingerprint, agreements };
    return agreements;
  }

  /** The whole catalogue as last loaded, if it was built from the rows this fingerprint was read from. */
  cachedAt(fingerprint: string): MeasuredAgreement[] | undefined {
    return this.cached?.fingerprint === fingerprint ? this.cached.agreements : undefined;
  }

  private async build(manager: EntityManager, agreementIds?: string[]): Promise<MeasuredAgreement[]> {
    const versions = await manager.find(AgreementVersion, {
      where: agreementIds ? { activeFrom: Not(IsNull()), agreementId: In(agreementIds) } : { activeFrom: Not(IsNull()) },
      order: { agreementId: 'ASC', activeFrom: 'ASC' },
    });
    if (versions.length === 0) return [];
    const agreements = await manager.find(Agreement, { where: { id: In([...new Set(versions.map((v) => v.agreementId))]) } });
    const stageIds = [...new Set(versions.map((v) => v.stageId).filter((id): id is string => id !== null))];
    const stages = stageIds.length ? await manager.find(FunnelStage, { where: { id: In(stageIds) } }) : [];
    const ownerOfStage = new Map(stages.map((stage) => [stage.id, stage.ownerId]));

    const byId = new Map<string, MeasuredAgreement>();
    for (const agreement of agreements) byId.set(agreement.id, { agreement, versions: [], types: new Set() });
    for (const version of versions) {
      const measured = byId.get(version.agreementId);
      if (!measured) continue;
      const { calendar, version: calendarVersion } = await this.calendars.compiledCalendar(manager, version.calendarId);
      measured.versions.push({
        entity: version,
        calendar,
        calendarVersion,
        activeFrom: measuringStart((version.activeFrom as Date).getTime(), version.measureFrom?.getTime() ?? null, measured.versions.length === 0),
        activeUntil: version.activeUntil?.getTime() ?? null,
        ownerId: version.stageId ? (ownerOfStage.get(version.stageId) ?? null) : null,
      });
      for (const type of eventTypesOf(version)) measured.types.add(type);
    }
    return [...byId.values()];
  }
}

/** What the whole catalogue is built from, row by row: see catalogueFingerprint. */
const CATALOGUE_ROWS = `SELECT v.*, a.kind AS a_kind, a.status AS a_status, a.provider_department_id AS a_provider, a.consumer_department_id AS a_consumer,
            a.created_at AS a_created, a.updated_at AS a_updated, c.version AS c_version, s.owner_id AS s_owner
     FROM agreement_versions v
     JOIN agreements a ON a.id = v.agreement_id
     LEFT JOIN calendars c ON c.id = v.calendar_id
     LEFT JOIN funnel_stages s ON s.id = v.stage_id
     WHERE v.active_from IS NOT NULL`;

/**
 * PostgreSQL: the fingerprint as a scalar SQL expression, the SHA-256 of every catalogue row's
 * text in a fixed order, so another statement can carry it (see TrackingService.matchingRead)
 * and the rows need not travel.
 */
export const CATALOGUE_FINGERPRINT_SQL = `(SELECT encode(sha256(convert_to(COALESCE(string_agg(r::text, '|' ORDER BY r.agreement_id, r.active_from, r.id), ''), 'UTF8')), 'hex')
     FROM (${CATALOGUE_ROWS}) r)`;

/**
 * Everything the whole catalogue is built from, as one text: every column of the versions that
 * have been in force, the columns of their agreements, their calendars' versions (bumped on every
 * change of a calendar) and their stages' owners, in a fixed order. On PostgreSQL their digest
 * (CATALOGUE_FINGERPRINT_SQL); on SQLite the rows themselves, read in-process anyway.
 */
async function catalogueFingerprint(manager: EntityManager): Promise<string> {
  if (SqlDialect.of(manager).kind === 'postgres') {
    const [row] = await SqlDialect.rows<{ fingerprint: string }>(manager, `SELECT ${CATALOGUE_FINGERPRINT_SQL} AS fingerprint`, [], { prepared: true });
    return row.fingerprint;
  }
  const rows = await SqlDialect.rows<Record<string, unknown>>(manager, `${CATALOGUE_ROWS} ORDER BY v.agreement_id, v.active_from, v.id`);
  return JSON.stringify(rows);
}
