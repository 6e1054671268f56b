/** Problems seen in the product while measuring: shown as they come, printed again at the end. */
export const findings: string[] = [];

export function note(text: string): void {
  findings.push(text);
  console.log(`  ! ${text}`);
}
