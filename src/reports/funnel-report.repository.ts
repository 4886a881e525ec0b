import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { SqlDialect } from '../database/sql-dialect.js';
import { GROUP_ATTRIBUTE, jsonPath, NEVER_WORKED_LISTED, type ComplianceRow, type NeverWorkedRow, type ReasonRow, type StageRow } from './domain/funnel.js';

/** What one funnel report reads. Instants in epoch ms. */
export interface FunnelQuery {
  /** The first counted stage: its entries in [from, to) are the cohort. */
  cohortStageId: string;
  /** Every counted stage, the cohort's included. */
  stageIds: string[];
  from: number;
  to: number;
  /** The attribute of the cohort entry's event to group by; null for one group, "all". */
  by: string | null;
  /** The stage entered by lead.sql, for the never-worked leads; null to skip them. */
  sqlStageId: string | null;
  /** Stages whose entry means the lead was worked (won, lost, rejected, recycled). */
  outcomeStageIds: string[];
  /** SQLs entered at or before this instant and without an outcome are never worked. */
  neverWorkedBefore: number;
  now: number;
}

interface FunnelRow {
  part: 'stage' | 'reason' | 'never';
  grp: string | null;
  stage_id: string;
  count: number | string;
  value: number | string | null;
  at: unknown;
  label: string | null;
  label2: string | null;
}

/** Placeholders in the order they appear in the text (SQLite's `?` binds by position). */
class Parameters {
  readonly values: unknown[] = [];
  constructor(private readonly dialect: SqlDialect) {}

  add(value: unknown): string {
    this.values.push(value);
    return this.dialect.param(this.values.length);
  }

  list(values: readonly unknown[]): string {
    return values.map((value) => this.add(value)).join(', ');
  }
}

/**
 * The funnel report's reads: aggregates over `stage_entries` (and `clocks` for the response
 * times), grouped in SQL by an attribute of the cohort entry's event, which each entry keeps a
 * copy of — no lookup into `events`. The cohort is read once per statement (materialised), by the
 * (stage_id, entered_at) index; its subjects' other entries by their subject.
 */
@Injectable()
export class FunnelReportRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Entries per group and stage with medians, reasons and competitors, and the never-worked SQLs. */
  async funnel(query: FunnelQuery): Promise<{ stages: StageRow[]; reasons: ReasonRow[]; neverWorked: NeverWorkedRow[] }> {
    const dialect = SqlDialect.of(this.dataSource);
    const p = new Parameters(dialect);
    const cohort = this.cohort(dialect, p, query);
    const entries = `entry AS MATERIALIZED (
        SELECT cohort.grp AS grp, s.stage_id AS stage_id, s.subject AS subject, s.entered_at AS entered_at,
               ${secondsBetween(dialect, 'cohort.entered_at', 's.entered_at')} AS seconds, s.attributes AS attributes
        FROM cohort JOIN stage_entries s ON s.subject = cohort.subject
        WHERE s.stage_id IN (${p.list(query.stageIds)}))`;
    // PostgreSQL types a UNION pairwise: a bare NULL would be text before it meets the instants.
    const noInstant = dialect.kind === 'postgres' ? 'CAST(NULL AS timestamptz)' : 'NULL';
    // The median as the compliance figures take it: the middle value, or the mean of the middle two.
    const stages = `SELECT 'stage' AS part, grp, stage_id, total AS count, AVG(seconds) AS value, ${noInstant} AS at, NULL AS label, NULL AS label2
        FROM (SELECT grp, stage_id, seconds,
                     ROW_NUMBER() OVER (PARTITION BY grp, stage_id ORDER BY seconds) AS n,
                     COUNT(*) OVER (PARTITION BY grp, stage_id) AS total
              FROM entry) ranked
        WHERE n IN ((total + 1) / 2, (total + 2) / 2)
        GROUP BY grp, stage_id, total`;
    const reasons = `SELECT 'reason' AS part, grp, stage_id, COUNT(*) AS count, NULL AS value, MIN(entered_at) AS at, reason AS label, competitor AS label2
        FROM (SELECT grp, stage_id, entered_at, ${attribute(dialect, 'attributes', 'reason')} AS reason, ${attribute(dialect, 'attributes', 'competitor')} AS competitor FROM entry) described
        WHERE reason IS NOT NULL OR competitor IS NOT NULL
        GROUP BY grp, stage_id, reason, competitor`;
    let neverWorked = '';
    if (query.sqlStageId !== null) {
      // Placeholders are taken in the order they appear in the text.
      const sqlStage = p.add(query.sqlStageId);
      const before = p.add(dialect.instant(query.neverWorkedBefore));
      const worked = query.outcomeStageIds.length
        ? `AND NOT EXISTS (SELECT 1 FROM entry o WHERE o.subject = w.subject AND o.stage_id IN (${p.list(query.outcomeStageIds)}))`
        : '';
      neverWorked = `UNION ALL
        SELECT 'never' AS part, grp, stage_id, total AS count, NULL AS value, entered_at AS at, subject AS label, NULL AS label2
        FROM (SELECT w.grp AS grp, w.stage_id AS stage_id, w.subject AS subject, w.entered_at AS entered_at,
                     ROW_NUMBER() OVER (PARTITION BY w.grp ORDER BY w.entered_at, w.subject) AS n,
                     COUNT(*) OVER (PARTITION BY w.grp) AS total
              FROM entry w
              WHERE w.stage_id = ${sqlStage} AND w.entered_at <= ${before} ${worked}) unworked
        WHERE n <= ${NEVER_WORKED_LISTED}`;
    }
    const rows = await SqlDialect.rows<FunnelRow>(
      this.dataSource.manager,
      `WITH ${cohort}, ${entries}
       ${stages}
       UNION ALL
       ${reasons}
       ${neverWorked}`,
      p.values,
    );
    const result = { stages: [] as StageRow[], reasons: [] as ReasonRow[], neverWorked: [] as NeverWorkedRow[] };
    for (const row of rows) {
      const group = row.grp === null ? null : String(row.grp);
      if (row.part === 'stage') {
        result.stages.push({ group, stageId: row.stage_id, entered: Number(row.count), medianSeconds: row.value === null ? null : Math.round(Number(row.value)) });
      } else if (row.part === 'reason') {
        result.reasons.push({ group, stageId: row.stage_id, reason: row.label, competitor: row.label2, count: Number(row.count), firstAt: dialect.readInstant(row.at) as number });
      } else {
        result.neverWorked.push({ group, subject: row.label as string, enteredAt: dialect.readInstant(row.at) as number, total: Number(row.count) });
      }
    }
    result.neverWorked.sort((a, b) => a.enteredAt - b.enteredAt || a.subject.localeCompare(b.subject));
    return result;
  }

  /**
   * Response clocks of the cohort's subjects, per group, agreement and target: met, and breached
   * (a clock past due that the sweep has not marked yet counts as breached, as in the compliance
   * figures). Cancelled and void clocks count in neither.
   */
  async compliance(query: FunnelQuery): Promise<ComplianceRow[]> {
    const dialect = SqlDialect.of(this.dataSource);
    const p = new Parameters(dialect);
    const cohort = this.cohort(dialect, p, query);
    const rows = await SqlDialect.rows<{ grp: string | null; agreement_id: string; target_name: string; met: number | string; breached: number | string }>(
      this.dataSource.manager,
      `WITH ${cohort}
       SELECT cohort.grp AS grp, k.agreement_id AS agreement_id, k.target_name AS target_name,
              SUM(CASE WHEN k.outcome = 'met' THEN 1 ELSE 0 END) AS met,
              SUM(CASE WHEN k.outcome = 'breached'
                         OR (k.outcome = 'pending' AND k.state IN ('running', 'paused') AND k.due_at IS NOT NULL AND k.due_at <= ${p.add(dialect.instant(query.now))})
                       THEN 1 ELSE 0 END) AS breached
       FROM cohort JOIN clocks k ON k.subject = cohort.subject
       WHERE k.state <> 'void'
       GROUP BY cohort.grp, k.agreement_id, k.target_name`,
      p.values,
    );
    return rows.map((row) => ({
      group: row.grp === null ? null : String(row.grp),
      agreementId: row.agreement_id,
      targetName: row.target_name,
      met: Number(row.met),
      breached: Number(row.breached),
    }));
  }

  /** The attributes of a stage's latest entries (their events'), for a page to offer as groupings. */
  async recentAttributes(stageId: string, entries: number): Promise<Record<string, unknown>[]> {
    const dialect = SqlDialect.of(this.dataSource);
    const rows = await SqlDialect.rows<{ attributes: string | null }>(
      this.dataSource.manager,
      `SELECT attributes FROM stage_entries WHERE stage_id = ${dialect.param(1)} ORDER BY entered_at DESC LIMIT ${Math.max(1, Math.floor(entries))}`,
      [stageId],
    );
    return rows.flatMap((row) => (row.attributes ? [JSON.parse(row.attributes) as Record<string, unknown>] : []));
  }

  /** The cohort: subjects entering the first counted stage in [from, to), with their group. */
  private cohort(dialect: SqlDialect, p: Parameters, query: FunnelQuery): string {
    const group = query.by === null ? `'all'` : attribute(dialect, 'c.attributes', query.by);
    return `cohort AS MATERIALIZED (
        SELECT c.subject AS subject, c.entered_at AS entered_at, ${group} AS grp
        FROM stage_entries c
        WHERE c.stage_id = ${p.add(query.cohortStageId)} AND c.entered_at >= ${p.add(dialect.instant(query.from))} AND c.entered_at < ${p.add(dialect.instant(query.to))})`;
  }
}

/**
 * An attribute of a JSON column as text, alike on both databases: "true"/"false" for booleans
 * (SQLite's json_extract answers 1/0), null when absent or null. The name is written into the SQL
 * text — safe only because it matches GROUP_ATTRIBUTE (letters, digits, `_`, `.`, `-`), checked here.
 */
function attribute(dialect: SqlDialect, column: string, name: string): string {
  if (!GROUP_ATTRIBUTE.test(name)) throw new Error(`not an attribute name: ${name}`);
  if (dialect.kind === 'postgres') return `(${column}::json ->> '${name}')`;
  const path = `'${jsonPath(name)}'`;
  return `(CASE json_type(${column}, ${path}) WHEN 'true' THEN 'true' WHEN 'false' THEN 'false' ELSE CAST(json_extract(${column}, ${path}) AS TEXT) END)`;
}

/** Whole wall-clock seconds from one instant column to another. */
function secondsBetween(dialect: SqlDialect, from: string, to: string): string {
  return dialect.kind === 'postgres'
    ? `CAST(ROUND(EXTRACT(EPOCH FROM (${to} - ${from}))) AS BIGINT)`
    : `CAST(ROUND((julianday(${to}) - julianday(${from})) * 86400) AS INTEGER)`;
}
