/** The median of some numbers (NaN for none). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** A number for a markdown table: fixed digits, or a dash when it was not measured. */
export const fmt = (n: number, digits = 0): string => (Number.isFinite(n) ? n.toFixed(digits) : "–");

/** "met" or "**missed**" for a measured value against a floor's target (empty when not measured). */
export function verdict(value: number | undefined, target: number, op: "≥" | "≤"): string {
  if (value === undefined || !Number.isFinite(value)) return "";
  return (op === "≥" ? value >= target : value <= target) ? "met" : "**missed**";
}
