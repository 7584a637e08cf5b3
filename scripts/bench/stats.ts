/** A figure over the runs: its median and the lowest and highest run, which is the spread the bench prints. */
export interface Spread {
  median: number;
  min: number;
  max: number;
}

export function spread(values: readonly number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  return { median, min: sorted[0]!, max: sorted.at(-1)! };
}

/** Exact percentile of raw samples (nearest rank), not a histogram bucket's edge. */
export function percentile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? NaN;
}

/** `7.12 (7.01-7.30)`, every figure with the same number of decimals. */
export function formatSpread(s: Spread, decimals: number, sign = false): string {
  const f = (value: number) => `${sign && value > 0 ? "+" : ""}${value.toFixed(decimals)}`;
  return `${f(s.median)} (${f(s.min)}..${f(s.max)})`;
}
