/** Nearest-rank percentile of ascending `sorted` values; NaN when there are none. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] ?? Number.NaN;
}

export function median(values: readonly number[]): number {
  return percentile([...values].sort((a, b) => a - b), 50);
}

/** Ours over the bare app's; undefined when there is nothing to compare with. */
export function ratio(ours: number | undefined, bare: number | undefined): number | undefined {
  if (ours === undefined || bare === undefined || bare <= 0) return undefined;
  return ours / bare;
}
