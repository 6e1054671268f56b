/**
 * Gatsby's filter operators on one value (`eq`, `ne`, `in`, `nin`, `regex`, `glob`, `gt`, `gte`,
 * `lt`, `lte`), with sift's rule for lists that Gatsby keeps: a list matches when one of its items
 * does (and `ne`, `nin` when none does).
 */
import { globRegExp } from "./glob.js";

/** Whether `value` passes every operator of `operators` (operators left out pass). */
export function matchesOperators(value: unknown, operators: Readonly<Record<string, unknown>>): boolean {
  for (const [operator, operand] of Object.entries(operators)) {
    if (operand === undefined) continue;
    if (!matchesOperator(value, operator, operand)) return false;
  }
  return true;
}

function matchesOperator(value: unknown, operator: string, operand: unknown): boolean {
  switch (operator) {
    case "eq":
      return equals(value, operand);
    case "ne":
      return !equals(value, operand);
    case "in":
      return Array.isArray(operand) && operand.some((each) => equals(value, each));
    case "nin":
      return !(Array.isArray(operand) && operand.some((each) => equals(value, each)));
    case "regex":
      return (
        operand !== null &&
        someItem(value, (item) => typeof item === "string" && testOnce(regexOf(String(operand)), item))
      );
    case "glob":
      return (
        operand !== null &&
        someItem(value, (item) => typeof item === "string" && globRegExp(String(operand)).test(item))
      );
    case "gt":
      return someItem(value, (item) => compares(item, operand, (difference) => difference > 0));
    case "gte":
      return someItem(value, (item) => compares(item, operand, (difference) => difference >= 0));
    case "lt":
      return someItem(value, (item) => compares(item, operand, (difference) => difference < 0));
    case "lte":
      return someItem(value, (item) => compares(item, operand, (difference) => difference <= 0));
    default:
      throw new Error(`Unknown filter operator "${operator}"`);
  }
}

/** `eq`: the value, or an item of it, is the operand; `eq: null` matches a missing value too. */
function equals(value: unknown, operand: unknown): boolean {
  if (operand === null) return value === null || value === undefined || (Array.isArray(value) && value.includes(null));
  return someItem(value, (item) => sameValue(item, operand));
}

function someItem(value: unknown, test: (item: unknown) => boolean): boolean {
  return Array.isArray(value) ? value.some(test) : test(value);
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  // JSON values (`pageContext`) compare by content.
  return (
    typeof a === "object" &&
    a !== null &&
    typeof b === "object" &&
    b !== null &&
    JSON.stringify(a) === JSON.stringify(b)
  );
}

/**
 * Whether `a` compared with `b` passes `test`; only numbers with numbers and strings with strings
 * compare (dates are ISO strings), so a missing value passes no comparison.
 */
function compares(a: unknown, b: unknown, test: (difference: number) => boolean): boolean {
  if (typeof a === "number" && typeof b === "number") return test(a - b);
  if (typeof a === "string" && typeof b === "string") return test(a < b ? -1 : a > b ? 1 : 0);
  return false;
}

const regexCache = new Map<string, RegExp>();

/**
 * The regular expression of a `regex` operand, written as in Gatsby: `"/pattern/flags"` (a string
 * without the slashes is the pattern itself).
 */
export function regexOf(operand: string): RegExp {
  let regex = regexCache.get(operand);
  if (regex === undefined) {
    const literal = /^\/(.*)\/([a-z]*)$/s.exec(operand);
    regex = literal === null ? new RegExp(operand) : new RegExp(literal[1]!, literal[2]);
    regexCache.set(operand, regex);
  }
  return regex;
}

function testOnce(regex: RegExp, text: string): boolean {
  // A `g` or `y` regex remembers where it stopped; every value is tested from its start.
  regex.lastIndex = 0;
  return regex.test(text);
}
