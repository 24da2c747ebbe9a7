// Small statistics shared by the check and the bench.

/** The median of `values` (sorted in place); the mean of the middle two for an even count, NaN for none. */
export function median(values: number[]): number {
  values.sort((a, b) => a - b);
  const mid = values.length >> 1;
  if (values.length === 0) return NaN;
  return values.length % 2 === 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
}
