/**
 * How late a breached request is, in the words of an alert: "still not contacted, 3 h 20 of
 * working time late". Plain TypeScript, shared by the alert email and the breach page.
 */

/** Working time as a head reads it at a glance: "3 h 20", "3 h", "20 min", "under a minute". */
export function formatWorkingTime(seconds: number): string {
  const minutesTotal = Math.floor(Math.max(0, seconds) / 60);
  if (minutesTotal === 0) return 'under a minute';
  const hours = Math.floor(minutesTotal / 60);
  const minutes = minutesTotal % 60;
  if (hours === 0) return `${minutes} min`;
  return minutes === 0 ? `${hours} h` : `${hours} h ${String(minutes).padStart(2, '0')}`;
}

/** What the stop event means, from its type: "lead.contacted" → "contacted", "brief.first_reply" → "first reply". */
export function stopWord(stopEventType: string): string {
  const last = stopEventType.split('.').pop() ?? stopEventType;
  return last.replace(/[_-]+/g, ' ').trim() || stopEventType;
}

export type LatenessState = 'open' | 'stopped' | 'cancelled';

/**
 * The lateness line of a breached clock: measured to now while it is open, to its stop or cancel
 * once it closed (see lateSecondsOf).
 */
export function latenessPhrase(state: LatenessState, stopEventType: string, lateSeconds: number): string {
  const late = `${formatWorkingTime(lateSeconds)} of working time late`;
  const done = stopWord(stopEventType);
  if (state === 'open') return `still not ${done}, ${late}`;
  if (state === 'cancelled') return `cancelled when ${late}`;
  return `${done} ${late}`;
}
