/**
 * Percentiles by linear interpolation between closest ranks (the method of spreadsheet
 * PERCENTILE.INC), so the figures match what a head recomputes in Excel.
 */
export function percentile(sortedValues: ArrayLike<number>, fraction: number): number | null {
  if (sortedValues.length === 0) return null;
  const position = (sortedValues.length - 1) * fraction;
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  const value = sortedValues[lower] + (sortedValues[upper] - sortedValues[lower]) * (position - lower);
  return Math.round(value);
}
