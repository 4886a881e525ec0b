import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { SqlDialect } from '../database/sql-dialect.js';
import { fellDueUnswept } from './clock-lateness.js';
import {
  complianceCounts,
  complianceFigures,
  complianceOf,
  isBreachedOpen,
  partOf,
  type ClockFigures,
  type ComplianceCounts,
  type ComplianceFigures,
} from './domain/compliance.js';
import { DurationHistogram } from './domain/duration-histogram.js';
import { coverWindow, zeroCounts, type ClockRange, type RollupCounts, type WindowCover } from './domain/rollups.js';
import { percentile } from './domain/statistics.js';
import { RollupRepository, type WeightedRollup } from './rollup.repository.js';

/**
 * Up to this many stopped clocks in a window, the median and 90th percentile are computed from
 * their exact durations (one indexed read); above, from the rollups' histograms, within 0.8 %
 * (HISTOGRAM_RELATIVE_ERROR) and a second of rounding. Counts are always exact.
 */
export const EXACT_PERCENTILES_UP_TO = 2000;
/** Window covers kept (a few kilobytes): the oldest goes first. */
const COVERS_KEPT = 256;

/** A response agreement's compliance over a window, and what it is measured against. */
export interface ResponseWindow {
  agreementId: string;
  from: number;
  to: number;
  /** Clocks past their due time and not yet swept count as breached from this instant. */
  now: number;
  goalPercent: number;
  /** The targets listed first, in this order, even without clocks. */
  targetNames: readonly string[];
  /** Exact percentiles up to this many stopped clocks (EXACT_PERCENTILES_UP_TO unless a test says). */
  exactPercentilesUpTo?: number;
  /** False when the reader shows no median or 90th percentile (the dashboard's cards): they stay null, unread. */
  percentiles?: boolean;
}

type ClockRow = { target_name: string; state: ClockFigures['state']; outcome: ClockFigures['outcome']; elapsed_seconds: number };
/** A clock of a window's end, counted `weight` times (−1: in minutes taken away). */
type WeightedClock = ClockFigures & { weight: number };

/**
 * Compliance figures of a response agreement, read from the rollups: the window as a few years,
 * months, days and hours of rollups added or taken away (a Paris month: the UTC month, the hour
 * before it added, its last hour taken away), the clocks of the minutes left at its ends (about
 * half an hour each at most), and clocks past their due time that the sweep has not marked yet
 * from the index of open clocks by due time. `fromClocks` recomputes the same figures from every
 * clock of the window, as before the rollups: the tests and the benchmark compare the two.
 */
@Injectable()
export class ResponseCompliance {
  /** Covers of the windows read lately: heads and dashboards ask for the same months again and again. */
  private readonly covers = new Map<string, WindowCover>();

  constructor(private readonly rollups: RollupRepository) {}

  async fromRollups(manager: EntityManager, window: ResponseWindow): Promise<ComplianceFigures> {
    const dialect = SqlDialect.of(manager);
    const { ranges, edges } = this.cover(window.from, window.to);
    const byTarget = new Map<string, RollupCounts>();
    const countsOf = (targetName: string) => {
      let counts = byTarget.get(targetName);
      if (!counts) byTarget.set(targetName, (counts = zeroCounts()));
      return counts;
    };
    for (const name of window.targetNames) countsOf(name);

    const rollups = await this.rollups.read(manager, window.agreementId, ranges);
    for (const { targetName, weight, counts } of rollups) {
      const sum = countsOf(targetName);
      for (const name of Object.keys(counts) as (keyof RollupCounts)[]) sum[name] += weight * counts[name];
    }
    const edgeClocks = await this.edgeClocks(manager, dialect, window.agreementId, edges);
    for (const clock of edgeClocks) {
      const sum = countsOf(clock.targetName);
      sum[partOf(clock)] += clock.weight;
      if (isBreachedOpen(clock)) sum.breachedOpen += clock.weight;
      if (clock.state === 'stopped') sum.stopped += clock.weight;
    }
    // Past due and not yet swept: breached already, so the figures never wait for the sweep.
    for (const clock of await this.unswept(manager, dialect, window)) {
      const sum = countsOf(clock.target_name);
      sum[clock.state === 'paused' ? 'paused' : 'running'] -= 1;
      sum.breached += 1;
      sum.breachedOpen += 1;
    }

    const stopped = [...byTarget.values()].reduce((total, counts) => total + counts.stopped, 0);
    const percentiles =
      window.percentiles === false
        ? { all: { median: null, p90: null }, byTarget: new Map() }
        : stopped <= (window.exactPercentilesUpTo ?? EXACT_PERCENTILES_UP_TO)
          ? await this.exactPercentiles(manager, dialect, window)
          : estimatedPercentiles(rollups, edgeClocks);

    const all = zeroCounts();
    const targets: (ComplianceCounts & { name: string })[] = [];
    const listed = new Set(window.targetNames);
    // Targets no longer in the terms (an earlier version's) after those in force, by name.
    const extra = [...byTarget.keys()].filter((name) => !listed.has(name)).sort();
    for (const name of [...window.targetNames, ...extra]) {
      const counts = byTarget.get(name) as RollupCounts;
      for (const part of Object.keys(all) as (keyof RollupCounts)[]) all[part] += counts[part];
      const figures = complianceCounts(counts, percentiles.byTarget.get(name)?.median ?? null, percentiles.byTarget.get(name)?.p90 ?? null);
      if (listed.has(name) || figures.total > 0) targets.push({ name, ...figures });
    }
    return complianceFigures(window.goalPercent, complianceCounts(all, percentiles.all.median, percentiles.all.p90), targets);
  }

  private cover(from: number, to: number): WindowCover {
    const key = `${from}/${to}`;
    let cover = this.covers.get(key);
    if (!cover) {
      if (this.covers.size >= COVERS_KEPT) this.covers.delete(this.covers.keys().next().value as string);
      this.covers.set(key, (cover = coverWindow(from, to)));
    }
    return cover;
  }

  /** The same figures from every clock that started in the window (the path the rollups replace). */
  async fromClocks(manager: EntityManager, window: ResponseWindow): Promise<ComplianceFigures> {
    const dialect = SqlDialect.of(manager);
    const rows = await SqlDialect.rows<ClockRow & { due_at: unknown }>(
      manager,
      `SELECT target_name, state, outcome, elapsed_seconds, due_at FROM clocks
       WHERE agreement_id = ${dialect.param(1)} AND started_at >= ${dialect.param(2)} AND started_at < ${dialect.param(3)} AND state <> 'void'`,
      [window.agreementId, dialect.instant(window.from), dialect.instant(window.to)],
    );
    const clocks = rows.map((row): ClockFigures => {
      const late = fellDueUnswept(row, dialect.readInstant(row.due_at), window.now);
      return { targetName: row.target_name, state: row.state, outcome: late ? 'breached' : row.outcome, elapsedSeconds: Number(row.elapsed_seconds) };
    });
    return complianceOf(clocks, window.goalPercent, window.targetNames);
  }

  /**
   * The clocks of the minutes the rollups leave at the window's ends, as stored (the sweep's lag
   * is corrected apart), each with the weight of its range: −1 for minutes taken away.
   */
  private async edgeClocks(manager: EntityManager, dialect: SqlDialect, agreementId: string, edges: ClockRange[]): Promise<WeightedClock[]> {
    const clocks: WeightedClock[] = [];
    for (const edge of edges) {
      const rows = await SqlDialect.rows<ClockRow>(
        manager,
        `SELECT target_name, state, outcome, elapsed_seconds FROM clocks
         WHERE agreement_id = ${dialect.param(1)} AND started_at >= ${dialect.param(2)} AND started_at < ${dialect.param(3)} AND state <> 'void'`,
        [agreementId, dialect.instant(edge.from), dialect.instant(edge.to)],
      );
      for (const row of rows) clocks.push({ targetName: row.target_name, state: row.state, outcome: row.outcome, elapsedSeconds: Number(row.elapsed_seconds), weight: edge.weight });
    }
    return clocks;
  }

  /**
   * The window's open clocks past their due time and still pending, found through the index of
   * pending clocks by due time: the sweep marks them within a minute, so there are few. On
   * SQLite the agreement and start columns are written `+column` so that the planner keeps to
   * that index rather than walking every clock of the window.
   */
  private async unswept(manager: EntityManager, dialect: SqlDialect, window: ResponseWindow): Promise<{ target_name: string; state: ClockFigures['state'] }[]> {
    const not = dialect.kind === 'sqlite' ? '+' : '';
    return SqlDialect.rows<{ target_name: string; state: ClockFigures['state'] }>(
      manager,
      `SELECT target_name, state FROM clocks
       WHERE outcome = 'pending' AND due_at <= ${dialect.param(1)} AND state IN ('running', 'paused')
         AND ${not}agreement_id = ${dialect.param(2)} AND ${not}started_at >= ${dialect.param(3)} AND ${not}started_at < ${dialect.param(4)}`,
      [dialect.instant(window.now), window.agreementId, dialect.instant(window.from), dialect.instant(window.to)],
    );
  }

  /** Percentiles over the exact durations of the window's stopped clocks, in total and per target. */
  private async exactPercentiles(manager: EntityManager, dialect: SqlDialect, window: ResponseWindow): Promise<Percentiles> {
    const rows = await SqlDialect.rows<{ target_name: string; elapsed_seconds: number }>(
      manager,
      `SELECT target_name, elapsed_seconds FROM clocks
       WHERE agreement_id = ${dialect.param(1)} AND started_at >= ${dialect.param(2)} AND started_at < ${dialect.param(3)} AND state = 'stopped'`,
      [window.agreementId, dialect.instant(window.from), dialect.instant(window.to)],
    );
    const byTarget = new Map<string, number[]>();
    for (const row of rows) {
      let durations = byTarget.get(row.target_name);
      if (!durations) byTarget.set(row.target_name, (durations = []));
      durations.push(Number(row.elapsed_seconds));
    }
    const of = (durations: number[]) => {
      const sorted = Float64Array.from(durations).sort();
      return { median: percentile(sorted, 0.5), p90: percentile(sorted, 0.9) };
    };
    return { all: of(rows.map((row) => Number(row.elapsed_seconds))), byTarget: new Map([...byTarget].map(([name, durations]) => [name, of(durations)])) };
  }
}

/** Percentiles from the histograms of the rollups read, merged with the durations of the edge clocks, each by its weight. */
function estimatedPercentiles(rollups: WeightedRollup[], edgeClocks: WeightedClock[]): Percentiles {
  const histograms = new Map<string, DurationHistogram>();
  const histogramOf = (targetName: string) => {
    let histogram = histograms.get(targetName);
    if (!histogram) histograms.set(targetName, (histogram = new DurationHistogram()));
    return histogram;
  };
  for (const rollup of rollups) histogramOf(rollup.targetName).addEncoded(rollup.durations, rollup.weight);
  for (const clock of edgeClocks) if (clock.state === 'stopped') histogramOf(clock.targetName).add(clock.elapsedSeconds, clock.weight);
  const all = new DurationHistogram();
  for (const histogram of histograms.values()) all.merge(histogram);
  const of = (histogram: DurationHistogram) => {
    const [median, p90] = histogram.percentiles([0.5, 0.9]);
    return { median, p90 };
  };
  return { all: of(all), byTarget: new Map([...histograms].map(([name, histogram]) => [name, of(histogram)])) };
}

interface Percentiles {
  all: { median: number | null; p90: number | null };
  byTarget: Map<string, { median: number | null; p90: number | null }>;
}
