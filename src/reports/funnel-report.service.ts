import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, IsNull, Not } from 'typeorm';
import { AgreementVersion } from '../agreements/agreement-version.entity.js';
import { targetName } from '../agreements/domain/agreement-terms.js';
import { FunnelStage } from '../agreements/funnel-stage.entity.js';
import { Clock } from '../common/clock.js';
import { InvalidInputError, NotFoundError } from '../common/errors.js';
import { TemplateRenderer } from '../notifications/template-renderer.js';
import { Person } from '../org/person.entity.js';
import { assembleFunnel, commonAttributes, GROUP_ATTRIBUTE, OUTCOMES, SQL, stageEnteredBy, type ComplianceRow, type CountedStageRef, type ReasonRow, type StageRow } from './domain/funnel.js';
import { DEFAULT_NEVER_WORKED_DAYS, MAX_NEVER_WORKED_DAYS, type FunnelReport } from './funnel-report.dto.js';
import { DurationHistogram } from '../tracking/domain/duration-histogram.js';
import { FunnelClockDeltas, FunnelRollupDeltas, groupingsOf } from '../tracking/domain/funnel-rollups.js';
import { coverWindow } from '../tracking/domain/rollups.js';
import { FunnelRollupRepository } from '../tracking/funnel-rollup.repository.js';
import { FunnelRollupsService } from '../tracking/funnel-rollups.service.js';
import { cohortSize, sumClockRollups, sumFunnelRollups, type ClockRollupPiece, type FunnelRollupPiece } from './domain/funnel-rollup-sum.js';
import { FunnelReportRepository, type FunnelQuery } from './funnel-report.repository.js';
import { direction, type Locale } from '../i18n/locales.js';
import { funnelContext, funnelCsv, reportReader } from './funnel-report.view.js';

export interface FunnelReportRequest {
  from: string;
  to: string;
  /** The attribute to group by; none for one group. */
  by?: string | null;
  neverWorkedDays?: number;
}

/**
 * Up to this many subjects in a cohort, stages, reasons and medians are read from the entries, so
 * medians are exact (about 15 ms here); above, from the rollups, medians within 0.8 % + 1 s.
 */
export const EXACT_MEDIANS_UP_TO = 2000;

/** Where the figures come from: rollups where they hold the window, or every entry. */
export type FunnelSource = 'rollups' | 'entries';

const DAY_MS = 86_400_000;
/** How many recent entries tell which attributes leads carry. */
const ATTRIBUTE_SAMPLE = 200;
/** As the compliance figures: a window of centuries would be a scan nobody asked for. */
const MAX_WINDOW_YEARS = 5;
const MAX_WINDOW_MS = MAX_WINDOW_YEARS * 366 * DAY_MS;

/**
 * The funnel (closed-loop) report: of the leads that entered the funnel's first counted stage in
 * a window, grouped by an attribute of the event that entered them, how many reached each later
 * stage (whenever), how soon, why the lost were lost and to whom, which SQLs nobody worked, and
 * how their response clocks fared. Read from stage entries and clocks (see the repository).
 */
@Injectable()
export class FunnelReportService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly repository: FunnelReportRepository,
    private readonly renderer: TemplateRenderer,
    private readonly clock: Clock,
    private readonly rollups: FunnelRollupRepository,
    private readonly funnelRollups: FunnelRollupsService,
  ) {}

  /** Up to this many subjects in a cohort, the report is read from the entries (exact medians); tests lower it. */
  exactUpTo = EXACT_MEDIANS_UP_TO;

  /**
   * The report for a window. `source` is for tests and the benchmark: `entries` recomputes every
   * figure from the stage entries and clocks, the slow way rollups replace.
   */
  async build(request: FunnelReportRequest, source: FunnelSource = 'rollups'): Promise<FunnelReport> {
    const from = Date.parse(request.from);
    const to = Date.parse(request.to);
    if (!Number.isFinite(from)) throw InvalidInputError.of('from', 'from must be an ISO 8601 instant with its offset');
    if (!Number.isFinite(to)) throw InvalidInputError.of('to', 'to must be an ISO 8601 instant with its offset');
    if (!(to > from)) throw InvalidInputError.of('to', 'to must be after from');
    if (to - from > MAX_WINDOW_MS) throw InvalidInputError.of('to', `to must be at most ${MAX_WINDOW_YEARS} years after from`);
    const by = request.by ?? null;
    if (by !== null && !GROUP_ATTRIBUTE.test(by)) throw InvalidInputError.of('by', 'by must be an attribute name such as source');
    const neverWorkedDays = request.neverWorkedDays ?? DEFAULT_NEVER_WORKED_DAYS;
    if (!Number.isInteger(neverWorkedDays) || neverWorkedDays < 1 || neverWorkedDays > MAX_NEVER_WORKED_DAYS) {
      throw InvalidInputError.of('neverWorkedDays', `neverWorkedDays must be a whole number of days from 1 to ${MAX_NEVER_WORKED_DAYS}`);
    }
    const now = this.clock.now().getTime();
    const model: FunnelReport = {
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
      by,
      neverWorkedDays,
      generatedAt: new Date(now).toISOString(),
      stages: [],
      groups: [],
    };
    const stages = await this.countedStages();
    if (stages.length === 0) return model;

    const sqlStage = stageEnteredBy(stages, SQL);
    const query = {
      cohortStageId: stages[0].id,
      stageIds: stages.map((stage) => stage.id),
      from,
      to,
      by,
      sqlStageId: sqlStage?.id ?? null,
      outcomeStageIds: stages.filter((stage) => (OUTCOMES as readonly string[]).includes(stage.enteredBy)).map((stage) => stage.id),
      neverWorkedBefore: now - neverWorkedDays * DAY_MS,
      now,
    };
    const rolled = source === 'rollups' ? await this.fromRollups(query) : null;
    const [funnel, compliance] = rolled
      ? [{ ...rolled, neverWorked: await this.repository.neverWorked(query) }, rolled.compliance]
      : await Promise.all([this.repository.funnel(query), this.repository.compliance(query)]);
    const assembled = assembleFunnel({
      stages,
      stageRows: funnel.stages,
      reasonRows: funnel.reasons,
      neverWorkedRows: sqlStage ? funnel.neverWorked : null,
      complianceRows: compliance,
      agreements: await this.agreementNames([...new Set(compliance.map((row) => row.agreementId))]),
    });
    return { ...model, ...assembled };
  }

  /**
   * The attributes a report may group by, as the latest entries into the funnel's first stage
   * carry them: the most common first ("source", "score", …).
   */
  async groupAttributes(): Promise<string[]> {
    const [first] = await this.countedStages();
    if (!first) return [];
    return commonAttributes(await this.repository.recentAttributes(first.id, ATTRIBUTE_SAMPLE));
  }

  /** The reader's time zone, in which the HTML, text and CSV name days. */
  async zoneOf(personId: string): Promise<string> {
    const person = await this.dataSource.manager.findOne(Person, { select: { id: true, timezone: true }, where: { id: personId } });
    if (!person) throw new NotFoundError('person', personId);
    return person.timezone;
  }

  /** The report as a string in the reader's zone: the HTML email body, its plain-text part, or CSV. */
  render(model: FunnelReport, format: 'html' | 'text' | 'csv', zone: string, locale: Locale = 'en'): string {
    // CSV is for scripts: its columns and values stay English whoever asks.
    if (format === 'csv') return funnelCsv(model);
    return this.renderer.render(`reports/funnel.${format}`, { ...funnelContext(model, zone, reportReader(locale, this.renderer.translator)), locale, dir: direction(locale) });
  }

  /**
   * Stage, reason and compliance rows from the funnel rollups: whole UTC hours, days, months and
   * years of cohort entries added and taken away (coverWindow), the minutes at the window's ends
   * summed from their entries and clocks the same way, and the clocks past due that the sweep
   * has not marked yet counted as breached (as the compliance figures count them). Null for a cohort of at most EXACT_MEDIANS_UP_TO subjects,
   * or rollups not of this funnel's first stage: read from the entries, its medians are exact.
   */
  private async fromRollups(query: FunnelQuery): Promise<{ stages: StageRow[]; reasons: ReasonRow[]; compliance: ComplianceRow[] } | null> {
    const manager = this.dataSource.manager;
    const cohortStageId = query.cohortStageId;
    const cover = coverWindow(query.from, query.to);
    const attributes = query.by === null ? [''] : ['', query.by];
    const pieces: FunnelRollupPiece[] = await this.rollups.read(manager, cohortStageId, attributes, cover.ranges);
    const edges = await Promise.all(cover.edges.map(async (edge) => ({ edge, subjects: await this.rollups.cohortEntries(manager, cohortStageId, edge.from, edge.to) })));
    for (const { edge, subjects } of edges) {
      const deltas = new FunnelRollupDeltas(cohortStageId, ['edge']);
      for (const entries of subjects.values()) deltas.subject(entries, 1);
      for (const { key, entered, durations, firstAt } of deltas.changes()) {
        const histogram = new DurationHistogram();
        for (const [bucket, count] of durations) histogram.addToBucket(bucket, count);
        pieces.push({ ...key, weight: edge.weight, entered, durations: durations.size > 0 ? histogram.encode() : '', firstAt });
      }
    }
    if (cohortSize(pieces, cohortStageId) <= this.exactUpTo) return null;
    // Rollups kept for another first stage (a funnel changed under a running read) are not these.
    if (cohortStageId !== (await this.funnelRollups.cohortStage(manager))) return null;

    // The response clocks: rollups, the clocks of the ends' subjects, and those past due the sweep has not marked.
    const clockPieces: ClockRollupPiece[] = await this.rollups.readClocks(manager, cohortStageId, attributes, cover.ranges);
    for (const { edge, subjects } of edges) {
      const clocks = await this.rollups.clocksOf(manager, [...subjects.keys()]);
      const deltas = new FunnelClockDeltas(cohortStageId, ['edge']);
      for (const [subject, entries] of subjects) deltas.add(entries.find((entry) => entry.stageId === cohortStageId), clocks.get(subject) ?? [], 1);
      for (const { key, met, breached } of deltas.changes()) clockPieces.push({ ...key, weight: edge.weight, met, breached });
    }
    for (const clock of await this.rollups.unswept(manager, cohortStageId, query.from, query.to, query.now)) {
      for (const [attribute, value] of groupingsOf(clock.attributes)) clockPieces.push({ attribute, value, agreementId: clock.agreementId, targetName: clock.targetName, weight: 1, met: 0, breached: 1 });
    }
    return { ...sumFunnelRollups(pieces, query.by, cohortStageId), compliance: sumClockRollups(clockPieces, query.by) };
  }

  /** The stages with an entering event, in funnel order. */
  private async countedStages(): Promise<CountedStageRef[]> {
    const stages = await this.dataSource.manager.find(FunnelStage, { where: { enteredOn: Not(IsNull()) }, order: { position: 'ASC', id: 'ASC' } });
    return stages.flatMap((stage) => (stage.enteredOn ? [{ id: stage.id, name: stage.name, enteredBy: stage.enteredOn.type }] : []));
  }

  /** Per agreement: the name of its latest version that was in force (else its latest) and that version's targets in order. */
  private async agreementNames(ids: string[]): Promise<Map<string, { name: string; targets: string[] }>> {
    const names = new Map<string, { name: string; targets: string[] }>();
    if (ids.length === 0) return names;
    const versions = await this.dataSource.manager.find(AgreementVersion, { where: { agreementId: In(ids) }, order: { number: 'DESC' } });
    for (const id of ids) {
      const mine = versions.filter((version) => version.agreementId === id);
      const version = mine.find((candidate) => candidate.activeFrom !== null) ?? mine[0];
      if (version) names.set(id, { name: version.name, targets: (version.response?.targets ?? []).map(targetName) });
    }
    return names;
  }
}
