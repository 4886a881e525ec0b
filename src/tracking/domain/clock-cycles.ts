import { matchesEvent, targetIndexFor, targetName, type ResponseTarget, type ResponseTerms } from '../../agreements/domain/agreement-terms.js';
import { parseBusinessDuration, type BusinessCalendar, type BusinessDuration } from '../../calendars/business-time/index.js';

/**
 * From the events of one subject to the clocks of one response agreement: pure, so live
 * tracking, late corrections and replays compute the very same clocks.
 */

/** An event as the clock sees it: times in epoch milliseconds. */
export interface TrackedEvent {
  id: string;
  type: string;
  occurredAt: number;
  attributes: Record<string, unknown>;
}

/** A version of a response agreement, ready to measure: terms, calendar, and when it was in force. */
export interface ResponseVersion {
  id: string;
  terms: ResponseTerms;
  calendar: BusinessCalendar;
  calendarVersion: number;
  /** In force over [activeFrom, activeUntil); replays use the whole time line. */
  activeFrom: number;
  activeUntil: number | null;
}

export type ClockAction = 'start' | 'pause' | 'resume' | 'stop' | 'cancel';

/** One event that moved a clock, as shown in its history. */
export interface ClockStep {
  action: ClockAction;
  at: string;
  eventId: string;
  eventType: string;
}

export interface ComputedClock {
  startEventId: string;
  cycle: number;
  versionId: string;
  calendarVersion: number;
  targetIndex: number;
  targetName: string;
  targetSeconds: number;
  state: 'running' | 'paused' | 'stopped' | 'cancelled';
  /** `cancelled`: abandoned before it fell due, so neither met nor breached. */
  outcome: 'pending' | 'met' | 'breached' | 'cancelled';
  startedAt: number;
  stoppedAt: number | null;
  dueAt: number | null;
  warnAt: number | null;
  breachedAt: number | null;
  /** Working seconds counted up to the stop (or cancel), or up to the last pause or resume. */
  elapsedSeconds: number;
  /** Working seconds spent paused (closed pauses). */
  pausedSeconds: number;
  steps: ClockStep[];
}

interface OpenCycle {
  version: ResponseVersion;
  startEvent: TrackedEvent;
  cycle: number;
  targetIndex: number;
  /** Running segments [start, end); end null while running. */
  segments: [number, number | null][];
  pauseStartedAt: number | null;
  pausedSeconds: number;
  /** When the clock stopped or was cancelled. */
  stoppedAt: number | null;
  cancelled: boolean;
  steps: ClockStep[];
}

export interface ComputeOptions {
  /**
   * Figures only: no history of steps, no warning instants. Replays need nothing more, and skip
   * the work and the garbage.
   */
  figuresOnly?: boolean;
}

function step(action: ClockAction, event: TrackedEvent): ClockStep {
  return { action, at: new Date(event.occurredAt).toISOString(), eventId: event.id, eventType: event.type };
}

/** Targets are parsed once, not once per clock. */
const parsedDurations = new WeakMap<ResponseTarget, BusinessDuration>();
function durationOf(target: ResponseTarget): BusinessDuration {
  let duration = parsedDurations.get(target);
  if (!duration) parsedDurations.set(target, (duration = parseBusinessDuration(target.within)));
  return duration;
}

/** Events in the order they happened; ties in arrival order of their ids. */
export function byOccurrence(a: TrackedEvent, b: TrackedEvent): number {
  return a.occurredAt - b.occurredAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/**
 * The clocks of one subject under one agreement. `events` must be sorted with `byOccurrence`;
 * `versionAt` gives the version in force at an instant (or undefined). A clock starts on a
 * matching start event while none runs, takes the first target whose `when` matches that event,
 * pauses and resumes on the version's pause and resume events, and stops on its stop event, or is
 * cancelled on its cancel event (a stop wins when an event is both); the subject may then start a
 * new cycle. `now` decides whether a running clock is already late.
 */
export function computeClocks(
  events: readonly TrackedEvent[],
  versionAt: (instant: number) => ResponseVersion | undefined,
  now: number,
  options: ComputeOptions = {},
): ComputedClock[] {
  const keepSteps = !options.figuresOnly;
  const record = (steps: ClockStep[], action: ClockAction, event: TrackedEvent) => {
    if (keepSteps) steps.push(step(action, event));
  };
  const clocks: ComputedClock[] = [];
  let open: OpenCycle | undefined;
  let cycles = 0;

  for (const event of events) {
    if (!open) {
      const version = versionAt(event.occurredAt);
      if (!version || !matchesEvent(version.terms.startOn, event)) continue;
      const targetIndex = targetIndexFor(version.terms.targets, event.attributes);
      if (targetIndex < 0) continue;
      cycles += 1;
      open = {
        version,
        startEvent: event,
        cycle: cycles,
        targetIndex,
        segments: [[event.occurredAt, null]],
        pauseStartedAt: null,
        pausedSeconds: 0,
        stoppedAt: null,
        cancelled: false,
        steps: [],
      };
      record(open.steps, 'start', event);
      continue;
    }
    const terms = open.version.terms;
    const running = open.pauseStartedAt === null;
    const stops = matchesEvent(terms.stopOn, event);
    if (stops || (terms.cancelOn && matchesEvent(terms.cancelOn, event))) {
      if (running) open.segments[open.segments.length - 1][1] = event.occurredAt;
      else open.pausedSeconds += open.version.calendar.businessSecondsBetweenMs(open.pauseStartedAt as number, event.occurredAt);
      open.stoppedAt = event.occurredAt;
      open.cancelled = !stops;
      record(open.steps, stops ? 'stop' : 'cancel', event);
      clocks.push(finish(open, now, keepSteps));
      open = undefined;
    } else if (running && terms.pauseOn && matchesEvent(terms.pauseOn, event)) {
      open.segments[open.segments.length - 1][1] = event.occurredAt;
      open.pauseStartedAt = event.occurredAt;
      record(open.steps, 'pause', event);
    } else if (!running && terms.resumeOn && matchesEvent(terms.resumeOn, event)) {
      open.pausedSeconds += open.version.calendar.businessSecondsBetweenMs(open.pauseStartedAt as number, event.occurredAt);
      open.pauseStartedAt = null;
      open.segments.push([event.occurredAt, null]);
      record(open.steps, 'resume', event);
    }
  }
  if (open) clocks.push(finish(open, now, keepSteps));
  return clocks;
}

/**
 * The instant at which `seconds` of working time have been spent over the running segments, or
 * null when the segments so far do not reach it. An open last segment always reaches it.
 */
function instantReaching(calendar: BusinessCalendar, segments: [number, number | null][], seconds: number): number | null {
  let spent = 0;
  for (const [start, end] of segments) {
    const length = end === null ? Infinity : calendar.businessSecondsBetweenMs(start, end);
    if (spent + length >= seconds) return calendar.addBusinessSeconds(start, seconds - spent);
    spent += length;
  }
  return null;
}

const targetNames = new WeakMap<ResponseTarget, string>();
function nameOf(target: ResponseTarget): string {
  let name = targetNames.get(target);
  if (name === undefined) targetNames.set(target, (name = targetName(target)));
  return name;
}

function finish(open: OpenCycle, now: number, withWarning: boolean): ComputedClock {
  const { version, segments } = open;
  const { calendar, terms } = version;
  const target = terms.targets[open.targetIndex];
  const startedAt = open.startEvent.occurredAt;
  // P2D from this start is this many working seconds; pauses then push the due time along.
  const duration = durationOf(target);
  const targetSeconds =
    duration.days === 0 ? duration.seconds : calendar.businessSecondsBetweenMs(startedAt, calendar.dueAtMs(startedAt, duration));
  let closedSeconds = 0;
  for (const [start, end] of segments) if (end !== null) closedSeconds += calendar.businessSecondsBetweenMs(start, end);
  const state: ComputedClock['state'] =
    open.stoppedAt !== null ? (open.cancelled ? 'cancelled' : 'stopped') : open.pauseStartedAt !== null ? 'paused' : 'running';

  let dueAt = instantReaching(calendar, segments, targetSeconds);
  const reachedWhileCounting = dueAt;
  if (dueAt === null && state === 'stopped') {
    // Met: show when it would have fallen due had it kept running.
    const lastEnd = segments[segments.length - 1][1] as number;
    dueAt = calendar.addBusinessSeconds(lastEnd, targetSeconds - closedSeconds);
  }

  let outcome: ComputedClock['outcome'];
  if (state === 'stopped') outcome = closedSeconds <= targetSeconds ? 'met' : 'breached';
  // Cancelled after its due time: the breach had happened (and was announced), so it stands.
  else if (state === 'cancelled') outcome = reachedWhileCounting !== null && reachedWhileCounting < (open.stoppedAt as number) ? 'breached' : 'cancelled';
  else outcome = reachedWhileCounting !== null && reachedWhileCounting <= now ? 'breached' : 'pending';
  // Abandoned in time: no due or warning instant is left for anyone to act on.
  const abandoned = outcome === 'cancelled';

  const warnSeconds = withWarning && !abandoned && terms.warnAtPercent ? Math.floor((targetSeconds * terms.warnAtPercent) / 100) : null;
  const warnAt = warnSeconds !== null && warnSeconds > 0 ? instantReaching(calendar, segments, warnSeconds) : null;

  return {
    startEventId: open.startEvent.id,
    cycle: open.cycle,
    versionId: version.id,
    calendarVersion: version.calendarVersion,
    targetIndex: open.targetIndex,
    targetName: nameOf(target),
    targetSeconds,
    state,
    outcome,
    startedAt,
    stoppedAt: open.stoppedAt,
    dueAt: abandoned || (state === 'paused' && reachedWhileCounting === null) ? null : dueAt,
    warnAt,
    breachedAt: outcome === 'breached' ? reachedWhileCounting : null,
    elapsedSeconds: closedSeconds,
    pausedSeconds: open.pausedSeconds,
    steps: open.steps,
  };
}
