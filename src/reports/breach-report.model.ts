import { DateTime } from 'luxon';
import { conversionsShort } from '../tracking/domain/conversion.js';
import type { BreachView } from '../tracking/tracking.dto.js';
import type { BreachLine, BreachLineConversion, DepartmentRef, Offender, OwnerRef, ReportWindow } from './reports.dto.js';

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
 * A conversion breach is due when its period closed: at its end, or once the window of its last
 * subject passed, later; it is counted as a quota breach is.
 */
export function breachWindow(kind: 'response' | 'quota' | 'conversion', window: { from: number; to: number }): { from: string; to: string } {
  const shift = kind === 'response' ? 0 : 1;
  return { from: new Date(window.from + shift).toISOString(), to: new Date(window.to + shift).toISOString() };
}

/** A quota or conversion agreement meets its goal when every period decided in the window was met. */
export function quotaGoalMet(met: number, missed: number): boolean | null {
  if (missed > 0) return false;
  return met > 0 ? true : null;
}

/** "November 2026" for "2026-11", "Q4 2026" for "2026-Q4", "week 45 of 2026" for "2026-W45"; any other label as it is. */
export function periodName(label: string): string {
  const month = /^(\d{4})-(\d{2})$/.exec(label);
  if (month) return DateTime.fromObject({ year: Number(month[1]), month: Number(month[2]) }, { zone: 'UTC', locale: 'en' }).toFormat('LLLL yyyy');
  const quarter = /^(\d{4})-Q([1-4])$/.exec(label);
  if (quarter) return `Q${quarter[2]} ${quarter[1]}`;
  const week = /^(\d{4})-W(\d{2})$/.exec(label);
  if (week) return `week ${Number(week[2])} of ${week[1]}`;
  return label;
}

const percentWords = (value: number | null) => (value === null ? '–' : `${Math.round(value * 10) / 10} %`);

/** A missed conversion period as the report names it: "MQL → SQL, November 2026: 8 of 20 (40 %), minimum 50 %". */
export function conversionSubject(conversion: BreachLineConversion): string {
  const minimum = conversion.minimumPercent === null ? '' : `, minimum ${conversion.minimumPercent} %`;
  return `${conversion.fromStage} → ${conversion.toStage}, ${conversion.periodName}: ${conversion.converted} of ${conversion.cohort} (${percentWords(conversion.percent)})${minimum}`;
}

/** The stages a version's conversion terms name, by name. */
export interface ConversionStages {
  fromStage: string;
  toStage: string;
}

export interface LineContext {
  departments: Map<string, DepartmentRef>;
  people: Map<string, string>;
  /** Quota breaches have no subject: they are named by their period ("2026-11"). */
  periodLabel(agreementId: string, dueAt: string): string | null;
  /** The stages of a conversion breach's version (its `versionId`). */
  conversionStages(versionId: string): ConversionStages | null;
  /** The clocks of these breaches still open (running or paused). */
  openClockIds: ReadonlySet<string>;
}

/** A breach as the report shows it: owner named (stage owner, else the provider department). */
export function breachLine(view: BreachView, context: LineContext): BreachLine {
  const department = context.departments.get(view.departmentId) ?? { id: view.departmentId, name: 'unknown department' };
  const ownerName = view.ownerId ? context.people.get(view.ownerId) : undefined;
  const owner: OwnerRef =
    view.ownerId && ownerName ? { kind: 'person', id: view.ownerId, name: ownerName } : { kind: 'department', ...department };
  const conversion = conversionOf(view, context);
  const period = conversion?.label ?? (view.kind === 'quota' ? context.periodLabel(view.agreementId, view.dueAt) : null);
  return {
    id: view.id,
    agreementId: view.agreementId,
    agreementName: view.agreementName,
    kind: view.kind,
    subject: view.subject ?? (conversion ? conversionSubject(conversion) : period),
    period,
    targetName: view.targetName,
    owner,
    department,
    dueAt: view.dueAt,
    lateSeconds: view.lateSeconds,
    stillOpen: view.clockId ? context.openClockIds.has(view.clockId) : null,
    shortfall: conversion && conversion.minimumPercent !== null ? conversionsShort(conversion, conversion.minimumPercent) : view.shortfall,
    conversion,
    explained: view.explained,
    cause: view.cause,
    correctiveAction: view.correctiveAction,
  };
}

/** The period a conversion breach is about, with its stages named; null for other breaches. */
function conversionOf(view: BreachView, context: LineContext): BreachLineConversion | null {
  if (!view.conversion) return null;
  const stages = context.conversionStages(view.versionId) ?? { fromStage: 'first stage', toStage: 'second stage' };
  return { ...view.conversion, periodName: periodName(view.conversion.label), ...stages };
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
