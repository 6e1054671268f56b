/** Figures for the tables beyond bench/lib/stats.ts: quantiles of save times, and ratios as printed. */

/** The value at quantile `q` (the upper one of two, not their mean), over the finite values; NaN for none. */
export const quantile = (values: readonly number[], q: number) => {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  return sorted.length === 0
    ? Number.NaN
    : (sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number);
};

/** `a / b` as "1.23×", or a dash when either was not measured. */
export const ratio = (a: number, b: number) =>
  Number.isFinite(a) && Number.isFinite(b) && b > 0 ? `${(a / b).toFixed(2)}×` : "–";
