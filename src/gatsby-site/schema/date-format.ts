/**
 * Gatsby's date field arguments (`formatString`, `fromNow`, `difference`, `locale`), which Gatsby
 * computes with Moment.js in UTC. Done with dayjs: the Moment tokens dayjs lacks (`z`, `DDD`, `E`,
 * `Mo`…) are worked out here and handed to dayjs as literal text, so a site's format strings give
 * what they gave under Gatsby.
 */
import { createRequire } from "node:module";
import dayjs from "dayjs";
import advancedFormat from "dayjs/plugin/advancedFormat.js";
import isoWeek from "dayjs/plugin/isoWeek.js";
import localizedFormat from "dayjs/plugin/localizedFormat.js";
import relativeTime from "dayjs/plugin/relativeTime.js";
import utc from "dayjs/plugin/utc.js";
import weekOfYear from "dayjs/plugin/weekOfYear.js";
import weekYear from "dayjs/plugin/weekYear.js";

dayjs.extend(utc);
dayjs.extend(advancedFormat);
dayjs.extend(localizedFormat);
dayjs.extend(relativeTime);
dayjs.extend(weekOfYear);
dayjs.extend(isoWeek);
dayjs.extend(weekYear);

/** The arguments Gatsby gives every `Date` field. */
export interface DateArgs {
  formatString?: string | null;
  fromNow?: boolean | null;
  difference?: string | null;
  locale?: string | null;
}

/**
 * A date value as the query asks for it: formatted (`formatString` first, as in Gatsby, then
 * `fromNow`, then `difference`), or the stored value itself (its ISO string) without arguments.
 */
export function formatDate(value: unknown, args: DateArgs): string | number {
  const stored = value instanceof Date ? value.toISOString() : (value as string | number);
  if (!args.formatString && !args.fromNow && !args.difference) return stored;
  const locale = loadLocale(args.locale ?? "en");
  const date = dayjs.utc(stored).locale(locale);
  if (args.formatString)
    return date.isValid() ? date.format(toDayjsFormat(args.formatString, date, locale)) : "Invalid date";
  if (args.fromNow) return date.fromNow();
  // Moment's `diff` with an unknown unit counts milliseconds; dayjs's does the same.
  return dayjs().diff(date, args.difference as dayjs.UnitType);
}

// Moment's format tokens, longest first where one is the start of another.
const TOKENS =
  /\[[^\]]*]|LTS|LT|LL?L?L?|l{1,4}|YYYYYY|YYYYY|YYYY|YY|Y|gggg|gg|GGGG|GG|Qo|Q|Mo|M{1,4}|DDDD|DDDo|DDD|Do|DD?|do|d{1,4}|wo|ww?|Wo|WW?|E|e|HH?|hh?|kk?|mm?|ss?|S{1,9}|ZZ?|zz?|X|x|A|a|./gs;

/** `format` with every Moment token dayjs cannot format replaced by its text (in `[…]`). */
function toDayjsFormat(format: string, date: dayjs.Dayjs, locale: string): string {
  return format.replace(TOKENS, (token) => {
    const text = tokenText(token, date, locale);
    return text === undefined ? token : `[${text}]`;
  });
}

/** The text of a token dayjs does not know (`undefined`: dayjs formats it itself). */
function tokenText(token: string, date: dayjs.Dayjs, locale: string): string | undefined {
  switch (token) {
    case "z":
    case "zz":
      // Moment names the zone only in UTC mode, which is how Gatsby formats every date.
      return "UTC";
    case "DDD":
      return String(dayOfYear(date));
    case "DDDD":
      return String(dayOfYear(date)).padStart(3, "0");
    case "DDDo":
      return ordinal(dayOfYear(date), locale);
    case "Mo":
      return ordinal(date.month() + 1, locale);
    case "Qo":
      return ordinal(Math.ceil((date.month() + 1) / 3), locale);
    case "Wo":
      return ordinal(date.isoWeek(), locale);
    case "do":
      return ordinal(date.day(), locale);
    case "E":
      return String(date.isoWeekday());
    case "e":
      return String((date.day() - (dayjs.Ls[locale]?.weekStart ?? 0) + 7) % 7);
    case "gg":
      return String(date.weekYear()).slice(-2);
    case "GG":
      return String(date.isoWeekYear()).slice(-2);
    case "Y":
      return String(date.year());
    case "YYYYY":
      return String(date.year()).padStart(5, "0");
    case "YYYYYY":
      return (date.year() < 0 ? "-" : "+") + String(Math.abs(date.year())).padStart(6, "0");
  }
  if (token[0] === "S" && token !== "SSS") {
    // Fractions of a second to as many digits as asked (Moment has no more than milliseconds).
    const digits = String(date.millisecond()).padStart(3, "0");
    return token.length <= 3 ? digits.slice(0, token.length) : digits.padEnd(token.length, "0");
  }
  return undefined;
}

function dayOfYear(date: dayjs.Dayjs): number {
  return Math.round((Date.UTC(date.year(), date.month(), date.date()) - Date.UTC(date.year(), 0, 1)) / 86_400_000) + 1;
}

function ordinal(n: number, locale: string): string {
  const make = dayjs.Ls[locale]?.ordinal;
  // dayjs's English ordinal comes bracketed (`[1st]`), ready for its own format strings.
  return make === undefined ? String(n) : String(make(n)).replace(/^\[(.*)]$/, "$1");
}

/** A require from this file, made on first use (see glob.ts for why not at load). */
const requireLocale = (id: string): unknown => createRequire(import.meta.url)(id);
const LOCALE_NAME = /^[a-z]{2,3}(?:-[a-z0-9]{2,8})*$/;

/**
 * The dayjs name of a Moment locale (`de`, `en-gb`, `zh_CN`), loaded on first use; English when
 * dayjs has no such locale (as Moment falls back to its default).
 */
function loadLocale(name: string): string {
  const wanted = name.toLowerCase().replace(/_/g, "-");
  for (const candidate of [wanted, wanted.split("-")[0] ?? wanted]) {
    if (dayjs.Ls[candidate] !== undefined) return candidate;
    if (!LOCALE_NAME.test(candidate)) continue;
    try {
      // The locale files are CommonJS that register themselves with the dayjs module they require.
      requireLocale(`dayjs/locale/${candidate}.js`);
    } catch {
      continue;
    }
    if (dayjs.Ls[candidate] !== undefined) return candidate;
  }
  return "en";
}
