import type { BreachView } from '../tracking/tracking.dto.js';
import type { BreachLine, DepartmentRef, Offender, OwnerRef, ReportWindow } from './reports.dto.js';

/** The window of the same length that ends where this one starts. */
export function previousWindow(from: number, to: number): { from: number; to: number } {
  return { from: from - (to - from), to: from };
}

export function windowView(window: { from: number; to: number }): ReportWindow {
  return { from: new Date(window.from).toISOString(), to: new Date(window.to).toISOString() };
}

/**
 * The breaches a report of [from, to) lists. A response breach is due at its clock's due time,
 * inside the window; a quota breach is due at the very end of its period, so the period that
 * ends exactly at `to` (November, in a November report) belongs here and not to the next report.
 */
export function breachWindow(kind: 'response' | 'quota' | 'conversion', window: { from: number; to: number }): { from: string; to: string } {
  const shift = kind === 'quota' ? 1 : 0;
  return { from: new Date(window.from + shift).toISOString(), to: new Date(window.to + shift).toISOString() };
}

/** A quota agreement meets its goal when every period closed in the window was met. */
export function quotaGoalMet(met: number, missed: number): boolean | null {
  if (missed > 0) return false;
  return met > 0 ? true : null;
}

export interface LineContext {
  departments: Map<string, DepartmentRef>;
  people: Map<string, string>;
  /** Quota breaches have no subject: they are named by their period ("2026-11"). */
  periodLabel(agreementId: string, dueAt: string): string | null;
  /** The clocks of these breaches still open (running or paused). */
  openClockIds: ReadonlySet<string>;
}

/** A breach as the report shows it: owner named (stage owner, else the provider department). */
export function breachLine(view: BreachView, context: LineContext): BreachLine {
  const department = context.departments.get(view.departmentId) ?? { id: view.departmentId, name: 'unknown department' };
  const ownerName = view.ownerId ? context.people.get(view.ownerId) : undefined;
  const owner: OwnerRef =
    view.ownerId && ownerName ? { kind: 'person', id: view.ownerId, name: ownerName } : { kind: 'department', ...department };
  return {
    id: view.id,
    agreementId: view.agreementId,
    agreementName: view.agreementName,
    kind: view.kind,
    subject: view.subject ?? context.periodLabel(view.agreementId, view.dueAt),
    targetName: view.targetName,
    owner,
    department,
    dueAt: view.dueAt,
    lateSeconds: view.lateSeconds,
    stillOpen: view.clockId ? context.openClockIds.has(view.clockId) : null,
    shortfall: view.shortfall,
    explained: view.explained,
    cause: view.cause,
    correctiveAction: view.correctiveAction,
  };
}

/** Breaches per owner, unexplained beside: most breaches first, then most unexplained, then by name. */
export function offendersOf(lines: BreachLine[]): Offender[] {
  const byOwner = new Map<string, Offender>();
  for (const line of lines) {
    const key = `${line.owner.kind}:${line.owner.id}`;
    let offender = byOwner.get(key);
    if (!offender) byOwner.set(key, (offender = { owner: line.owner, breaches: 0, unexplained: 0 }));
    offender.breaches += 1;
    if (!line.explained) offender.unexplained += 1;
  }
  return [...byOwner.values()].sort(
    (a, b) => b.breaches - a.breaches || b.unexplained - a.unexplained || a.owner.name.localeCompare(b.owner.name),
  );
}

/** Due first to last; the same due time in a stable order. */
export function byDueTime(a: BreachLine, b: BreachLine): number {
  return a.dueAt.localeCompare(b.dueAt) || a.agreementName.localeCompare(b.agreementName) || (a.subject ?? '').localeCompare(b.subject ?? '');
}
