/**
 * The reads bench/reads.bench.ts times, as a list of named cases: compliance of the response
 * agreement for a month and for the year, the funnel report for the year, and the dashboard page
 * of a head with 20 agreements. Each is read through the service as its endpoint or page does;
 * those with a ratio goal are also recomputed the slow way they replace (the baseline of the
 * ratio). Every read is checked — against the recomputation, against what was generated, and the
 * answers clients get over HTTP — before any figure is printed. Timed in the service's own process
 * (bench/support/serve-child.ts), whose heap holds nothing of the benchmark's.
 */
import type { INestApplication } from '@nestjs/common';
import Handlebars from 'handlebars';
import type { FunnelGroup } from '../../src/reports/domain/funnel.js';
import type { FunnelReport } from '../../src/reports/funnel-report.dto.js';
import { FunnelReportService, type FunnelReportRequest } from '../../src/reports/funnel-report.service.js';
import { HISTOGRAM_RELATIVE_ERROR } from '../../src/tracking/domain/duration-histogram.js';
import { ComplianceService } from '../../src/tracking/compliance.service.js';
import type { ComplianceView } from '../../src/tracking/tracking.dto.js';
import { DashboardService } from '../../src/web/dashboard/dashboard.service.js';
import { presentDashboard, type DashboardData } from '../../src/web/dashboard/dashboard.view.js';
import { PageRenderer } from '../../src/web/page-renderer.js';
import { SessionsService } from '../../src/web/sessions.service.js';
import type { WebRequest } from '../../src/web/web-request.js';
import { FUNNEL_STAGES, type SourceFunnel } from './funnel-stories.js';
import type { ClockCounts } from './lead-stories.js';
import { nowMs, timed } from './concord.js';

/** What the benchmark knows of the data: what is read, and what was generated. */
export interface ReadData {
  agreementId: string;
  /** Counts of every clock generated: in total, then per target name. */
  expected: { all: ClockCounts; byTarget: [string, ClockCounts][] };
  /** Per source, what the funnel report for the year must show. */
  funnel: SourceFunnel[];
  /** The head whose dashboard is read: a signed-in page session, and the agreements in force for their department. */
  dashboard: { session: string; agreements: { id: string; name: string }[] };
}

interface ReadContext extends ReadData {
  app: INestApplication;
}

/** How a client signs in for a read: the API's bearer token, or the pages' session cookie. */
export type SignIn = 'token' | 'session';

export interface ReadCase {
  name: string;
  /** Median over HTTP from one client, and the share of a full recomputation the read may take (null: none, judged by its time alone). */
  goal: { httpMs: number; ratio: number | null };
  /** Whether the fifty clients of the load cycle through it (the load's goal is about compliance). */
  underLoad: boolean;
  read(context: ReadContext): Promise<unknown>;
  /** The full recomputation the read replaces, the baseline of the ratio; only with a ratio goal. */
  recompute?: (context: ReadContext) => Promise<unknown>;
  /** Throws when the read differs from the recomputation (if any) or from what was generated. */
  check(read: unknown, recomputed: unknown, context: ReadContext): void;
  /** The request a client sends for it, and how it signs in. */
  request(data: ReadData): { path: string; signIn: SignIn };
  /** Throws when the body a client got is not what the read shows. */
  checkAnswer(body: string, data: ReadData): void;
  /** Shown beside the timings: what the read goes over. */
  size(read: unknown, recomputed: unknown): string;
}

const fmt = (value: number) => value.toLocaleString('en-US');

/** Compliance of the response agreement over a window, as a head asks for it. */
function complianceCase(name: string, window: { from: string; to: string }, holdsEveryClock: boolean): ReadCase {
  return {
    name,
    goal: { httpMs: 20, ratio: 0.02 },
    underLoad: true,
    read: ({ app, agreementId }) => app.get(ComplianceService).live(agreementId, window),
    recompute: ({ app, agreementId }) => app.get(ComplianceService).live(agreementId, window, 'clocks'),
    check: (read, recomputed, { expected }) => {
      checkFigures(name, read as ComplianceView, recomputed as ComplianceView);
      if (holdsEveryClock) checkGenerated(name, read as ComplianceView, expected);
    },
    request: ({ agreementId }) => ({
      path: `/api/agreements/${agreementId}/compliance?from=${encodeURIComponent(window.from)}&to=${encodeURIComponent(window.to)}`,
      signIn: 'token',
    }),
    checkAnswer: (body, { agreementId, expected }) => {
      const view = JSON.parse(body) as ComplianceView;
      if (view.agreementId !== agreementId) throw new Error(`${name} over HTTP: the compliance of ${view.agreementId}`);
      if (holdsEveryClock) checkGenerated(`${name} over HTTP`, view, expected);
    },
    size: (_read, recomputed) => {
      // Met, or breached and closed: none of the generated leads is cancelled.
      const view = recomputed as ComplianceView;
      return `${fmt(view.met + view.breached - view.breachedOpen)} stopped clocks`;
    },
  };
}

/** The funnel report by source over a window holding every MQL generated, as JSON. */
function funnelCase(name: string, request: Required<Pick<FunnelReportRequest, 'from' | 'to' | 'by'>>): ReadCase {
  return {
    name,
    goal: { httpMs: 20, ratio: 0.02 },
    underLoad: false,
    read: ({ app }) => app.get(FunnelReportService).build(request),
    recompute: ({ app }) => app.get(FunnelReportService).build(request, 'entries'),
    check: (read, recomputed, { funnel }) => {
      checkFunnel(name, read as FunnelReport, recomputed as FunnelReport);
      checkFunnelGenerated(name, read as FunnelReport, funnel);
    },
    request: () => ({
      path: `/api/reports/funnel?from=${encodeURIComponent(request.from)}&to=${encodeURIComponent(request.to)}&by=${request.by}&format=json`,
      signIn: 'token',
    }),
    checkAnswer: (body, { funnel }) => checkFunnelGenerated(`${name} over HTTP`, JSON.parse(body) as FunnelReport, funnel),
    size: (read) => {
      const report = read as FunnelReport;
      const entries = report.stages.reduce((sum, stage) => sum + stage.entered, 0);
      return `${fmt(report.stages[0]?.entered ?? 0)} MQLs, ${fmt(entries)} entries`;
    },
  };
}

/**
 * The dashboard page of the head whose session ReadData holds, as DashboardController builds it:
 * the session looked up, the figures loaded, the page rendered. No recomputation: its goal is a
 * time; it is checked for showing every agreement in force, each with its months, and the funnel.
 */
function dashboardCase(name: string): ReadCase {
  return {
    name,
    goal: { httpMs: 150, ratio: null },
    underLoad: false,
    read: async ({ app, dashboard }) => {
      const signedIn = await app.get(SessionsService).authenticate(dashboard.session);
      if (!signedIn) throw new Error(`${name}: the session is not signed in`);
      const actor = signedIn.actor;
      const zone = signedIn.person.timezone;
      const data = await app.get(DashboardService).load(actor, zone);
      // What the page guard leaves on the request for the page's frame.
      const request = { signedIn, actor, csrfToken: signedIn.csrfToken, path: '/', query: {}, headers: {}, cookies: {} } as unknown as WebRequest;
      return { data, html: app.get(PageRenderer).html(request, 'dashboard', 'Dashboard', presentDashboard(actor, data, zone)) };
    },
    check: (read, _recomputed, { dashboard }) => {
      const { data, html } = read as { data: DashboardData; html: string };
      const problems: string[] = [];
      const shown = new Set(data.inForce.map((card) => card.agreement.id));
      for (const agreement of dashboard.agreements) if (!shown.has(agreement.id)) problems.push(`no card for "${agreement.name}"`);
      if (data.inForce.length !== dashboard.agreements.length) problems.push(`${data.inForce.length} agreements in force, ${dashboard.agreements.length} signed`);
      for (const card of data.inForce) {
        if (card.figures.length !== card.windows.length || card.windows.length < 7) problems.push(`"${card.agreement.name}": ${card.figures.length} months of figures`);
      }
      if (!data.funnel || (data.funnel.stages[0]?.entered ?? 0) === 0) problems.push('no funnel, or an empty one');
      if (problems.length > 0) throw new Error(`${name}:\n  ${problems.join('\n  ')}`);
      checkPage(name, html, dashboard.agreements);
    },
    request: () => ({ path: '/', signIn: 'session' }),
    checkAnswer: (body, { dashboard }) => checkPage(`${name} over HTTP`, body, dashboard.agreements),
    size: (read) => {
      const { data } = read as { data: DashboardData };
      const months = data.inForce[0]?.windows.length ?? 0;
      return `${data.inForce.length} agreements × ${months} months, 90-day funnel of ${fmt(data.funnel?.stages[0]?.entered ?? 0)} MQLs`;
    },
  };
}

export const READ_CASES: ReadCase[] = [
  complianceCase('compliance, one month (June, Paris)', { from: '2026-06-01T00:00:00+02:00', to: '2026-07-01T00:00:00+02:00' }, false),
  // In UTC: the leads handed over in the hour before now (the approval) are in it.
  complianceCase('compliance, the year (2026, UTC)', { from: '2026-01-01T00:00:00Z', to: '2027-01-01T00:00:00Z' }, true),
  funnelCase('funnel by source, the year (2026, UTC)', { from: '2026-01-01T00:00:00Z', to: '2027-01-01T00:00:00Z', by: 'source' }),
  dashboardCase('dashboard of a head with 20 agreements'),
];

export interface CaseTiming {
  name: string;
  goal: ReadCase['goal'];
  /** Median of `rounds` reads through the service, after two warm-ups. */
  serviceMs: number;
  /** Median of `recomputeRounds` recomputations; null for a case without one. */
  recomputeMs: number | null;
  size: string;
}

/** Times every case in this process, each checked before and after its timed reads. */
export async function timeCases(app: INestApplication, data: ReadData, rounds: number, recomputeRounds: number): Promise<CaseTiming[]> {
  const context: ReadContext = { ...data, app };
  const timings: CaseTiming[] = [];
  for (const readCase of READ_CASES) {
    let recomputed: unknown = undefined;
    let recomputeMs: number | null = null;
    if (readCase.recompute) {
      const recompute = readCase.recompute;
      const first = await timed(() => recompute(context));
      const recomputeTimes = [first.ms];
      for (let round = 1; round < recomputeRounds; round++) recomputeTimes.push((await timed(() => recompute(context))).ms);
      recomputed = first.value;
      recomputeMs = quantile(recomputeTimes, 0.5);
    }
    for (let warm = 0; warm < 2; warm++) readCase.check(await readCase.read(context), recomputed, context);
    const times: number[] = [];
    let last: unknown;
    for (let round = 0; round < rounds; round++) {
      const begin = nowMs();
      last = await readCase.read(context);
      times.push(nowMs() - begin);
    }
    readCase.check(last, recomputed, context);
    timings.push({ name: readCase.name, goal: readCase.goal, serviceMs: quantile(times, 0.5), recomputeMs, size: readCase.size(last, recomputed) });
  }
  return timings;
}

export function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

/** Whether a duration read from a histogram is the recomputed one, within the histogram's bound. */
function closeEnough(got: number | null, want: number | null): boolean {
  return want === null ? got === null : got !== null && Math.abs(got - want) <= want * HISTOGRAM_RELATIVE_ERROR + 1;
}

function checkFigures(name: string, read: ComplianceView, recomputed: ComplianceView): void {
  const problems: string[] = [];
  type Figures = Pick<ComplianceView, 'total' | 'met' | 'breached' | 'breachedOpen' | 'running' | 'paused' | 'cancelled' | 'metPercent' | 'medianSeconds' | 'p90Seconds'>;
  const compare = (what: string, actual: Figures | undefined, expected: Figures) => {
    for (const field of ['total', 'met', 'breached', 'breachedOpen', 'running', 'paused', 'cancelled', 'metPercent'] as const) {
      if (actual?.[field] !== expected[field]) problems.push(`${what} ${field}: ${String(actual?.[field])}, recomputed ${String(expected[field])}`);
    }
    for (const field of ['medianSeconds', 'p90Seconds'] as const) {
      const got = actual?.[field] ?? null;
      if (!closeEnough(got, expected[field])) problems.push(`${what} ${field}: ${String(got)}, recomputed ${String(expected[field])}`);
    }
  };
  compare('all', read, recomputed);
  if (read.goalMet !== recomputed.goalMet) problems.push(`goalMet: ${read.goalMet}, recomputed ${recomputed.goalMet}`);
  for (const target of recomputed.targets) compare(target.name, read.targets.find((t) => t.name === target.name), target);
  if (read.targets.length !== recomputed.targets.length) problems.push(`${read.targets.length} targets, recomputed ${recomputed.targets.length}`);
  if (problems.length > 0) throw new Error(`${name} read otherwise than recomputed:\n  ${problems.join('\n  ')}`);
}

/** A window holding every clock counts what was generated. */
function checkGenerated(name: string, view: ComplianceView, expected: ReadData['expected']): void {
  const problems: string[] = [];
  const compare = (what: string, actual: Partial<ComplianceView> | undefined, counts: ClockCounts) => {
    for (const field of ['total', 'met', 'breached', 'running', 'paused'] as const) {
      if (actual?.[field] !== counts[field]) problems.push(`${what} ${field}: ${actual?.[field]}, generated ${counts[field]}`);
    }
  };
  compare('all', view, expected.all);
  for (const [target, counts] of expected.byTarget) compare(target, view.targets.find((t) => t.name === target), counts);
  if (problems.length > 0) throw new Error(`${name} counted otherwise than generated:\n  ${problems.join('\n  ')}`);
}

/**
 * The read report equals the recomputed one in every field — stages, groups in order with their
 * stage counts, reasons, competitors, conversions, win rates, never-worked leads, compliance —
 * except `generatedAt`, and medians of durations, which a histogram may give within its bound.
 */
function checkFunnel(name: string, read: FunnelReport, recomputed: FunnelReport): void {
  const problems: string[] = [];
  const compare = (path: string, got: unknown, want: unknown): void => {
    if (problems.length >= 20) return;
    if (path.endsWith('.medianSeconds')) {
      if (!closeEnough(got as number | null, want as number | null)) problems.push(`${path}: ${String(got)}, recomputed ${String(want)}`);
      return;
    }
    if (Array.isArray(want)) {
      if (!Array.isArray(got) || got.length !== want.length) {
        problems.push(`${path}: ${Array.isArray(got) ? got.length : typeof got} items, recomputed ${want.length}`);
        return;
      }
      want.forEach((item, i) => compare(`${path}[${i}]`, got[i], item));
      return;
    }
    if (want !== null && typeof want === 'object') {
      if (got === null || typeof got !== 'object') {
        problems.push(`${path}: ${JSON.stringify(got)}, recomputed an object`);
        return;
      }
      const keys = new Set([...Object.keys(want), ...Object.keys(got)]);
      for (const key of keys) {
        if (path === '' && key === 'generatedAt') continue;
        compare(path ? `${path}.${key}` : key, (got as Record<string, unknown>)[key], (want as Record<string, unknown>)[key]);
      }
      return;
    }
    if (got !== want) problems.push(`${path}: ${JSON.stringify(got)}, recomputed ${JSON.stringify(want)}`);
  };
  compare('', read, recomputed);
  if (problems.length > 0) throw new Error(`${name} read otherwise than recomputed:\n  ${problems.join('\n  ')}`);
}

/** The report for the year counts, per source, the entries, reasons, competitors and never-worked SQLs generated. */
function checkFunnelGenerated(name: string, report: FunnelReport, expected: SourceFunnel[]): void {
  const problems: string[] = [];
  const names = report.stages.map((stage) => stage.name);
  if (names.join() !== FUNNEL_STAGES.join()) problems.push(`stages ${names.join(', ')}, generated ${FUNNEL_STAGES.join(', ')}`);
  const keys = report.groups.map((group) => group.key);
  if (keys.length !== expected.length || expected.some((source) => !keys.includes(source.source))) {
    problems.push(`groups ${keys.join(', ')}, generated ${expected.map((source) => source.source).join(', ')}`);
  }
  const asCounts = (items: { count: number }[] | undefined, label: 'reason' | 'competitor') =>
    Object.fromEntries((items ?? []).map((item) => [(item as unknown as Record<string, string>)[label], item.count]));
  const sameCounts = (a: Record<string, number>, b: Record<string, number>) =>
    Object.keys(a).length === Object.keys(b).length && Object.entries(a).every(([key, count]) => b[key] === count);
  for (const source of expected) {
    const group = report.groups.find((candidate) => candidate.key === source.source) as FunnelGroup | undefined;
    if (!group) continue;
    FUNNEL_STAGES.forEach((stageName, i) => {
      const line = group.stages.find((stage) => stage.name === stageName);
      if (line?.entered !== source.entered[i]) problems.push(`${source.source} ${stageName}: ${line?.entered}, generated ${source.entered[i]}`);
      const reasons = asCounts(line?.reasons, 'reason');
      if (!sameCounts(reasons, source.reasons[stageName] ?? {})) problems.push(`${source.source} ${stageName} reasons: ${JSON.stringify(reasons)}, generated ${JSON.stringify(source.reasons[stageName] ?? {})}`);
      const competitors = asCounts(line?.competitors, 'competitor');
      if (!sameCounts(competitors, source.competitors[stageName] ?? {})) {
        problems.push(`${source.source} ${stageName} competitors: ${JSON.stringify(competitors)}, generated ${JSON.stringify(source.competitors[stageName] ?? {})}`);
      }
    });
    if (group.neverWorked?.count !== source.neverWorked) problems.push(`${source.source} never worked: ${group.neverWorked?.count}, generated ${source.neverWorked}`);
  }
  FUNNEL_STAGES.forEach((stageName, i) => {
    const total = expected.reduce((sum, source) => sum + source.entered[i], 0);
    const line = report.stages.find((stage) => stage.name === stageName);
    if (line?.entered !== total) problems.push(`all ${stageName}: ${line?.entered}, generated ${total}`);
  });
  if (problems.length > 0) throw new Error(`${name} counted otherwise than generated:\n  ${problems.join('\n  ')}`);
}

/** The page names every agreement in force, each heading its card, with its name escaped as the page escapes it. */
function checkPage(name: string, html: string, agreements: { id: string; name: string }[]): void {
  const missing = agreements.filter((agreement) => !html.includes(`<a href="/agreements/${agreement.id}">${Handlebars.escapeExpression(agreement.name)}</a></h3>`));
  if (missing.length > 0) throw new Error(`${name}: no card for ${missing.map((agreement) => `"${agreement.name}"`).join(', ')}`);
}
