/** Problems seen in the product while measuring: shown as they come, printed again at the end and written to the report. */
export const findings: string[] = [];

export function note(text: string): void {
  findings.push(text);
  console.log(`  ! ${text}`);
}

/** `a / b` as "1.23×", or a dash when either was not measured. */
export const ratio = (a: number, b: number): string =>
  Number.isFinite(a) && Number.isFinite(b) && b > 0 ? `${(a / b).toFixed(2)}×` : "–";
