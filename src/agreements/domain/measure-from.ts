/**
 * How far back an agreement may measure the stored events when it comes into force. A head who
 * signs today may agree to be measured from last month's CRM export, but not from any date at
 * all: beyond MAX_MEASURE_FROM_DAYS the events are rarely complete, and the activation would
 * rebuild years of clocks inside one approval.
 */
export const MAX_MEASURE_FROM_DAYS = 400;
const DAY_MS = 86_400_000;

/** Why `measureFrom` cannot stand at `now` (a save or an approval), or null when it can. */
export function measureFromProblem(measureFrom: number, now: number): string | null {
  if (measureFrom > now) return 'measureFrom cannot be in the future: measuring starts at the approval at the latest';
  if (now - measureFrom > MAX_MEASURE_FROM_DAYS * DAY_MS) {
    return `measureFrom must be at most ${MAX_MEASURE_FROM_DAYS} days before the approval (not before ${new Date(now - MAX_MEASURE_FROM_DAYS * DAY_MS).toISOString()})`;
  }
  return null;
}

/**
 * From when a version measures the events. Only the first version an agreement has in force may
 * reach back before its approval: every later one follows a version that was in force until the
 * very instant it was approved, and the clocks that version measured stay as they were (history
 * is never measured twice, nor rewritten under anyone's feet).
 */
export function measuringStart(activeFrom: number, measureFrom: number | null, firstInForce: boolean): number {
  return firstInForce && measureFrom !== null && measureFrom < activeFrom ? measureFrom : activeFrom;
}
