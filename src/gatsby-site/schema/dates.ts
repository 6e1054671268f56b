/**
 * Gatsby's `Date` scalar and its date fields: an ISO 8601 string, with the `dateformat` arguments
 * on every field of that type, and the test Gatsby's inference uses to call a string a date.
 */
import {
  GraphQLBoolean,
  GraphQLList,
  GraphQLNonNull,
  GraphQLScalarType,
  GraphQLString,
  Kind,
  type GraphQLFieldConfig,
  type GraphQLOutputType,
} from "graphql";
import { formatDate, type DateArgs } from "./date-format.js";
import { readAs, type Source } from "./field-reading.js";

/** `Date`: ISO 8601 text (Gatsby's scalar: values are kept and compared as strings). */
export const GraphQLDate = new GraphQLScalarType({
  name: "Date",
  description:
    "A date string, such as 2007-12-03, compliant with the ISO 8601 standard for representation of dates and times using the Gregorian calendar.",
  serialize: (value) => (value instanceof Date ? value.toISOString() : String(value)),
  parseValue: (value) => String(value),
  parseLiteral: (ast) => (ast.kind === Kind.STRING ? ast.value : undefined),
});

/** What a date field is made from. */
export interface DateFieldOptions {
  /** The stored value (an ISO string, a `Date`, or a list of them). */
  value: (source: Source) => unknown;
  nonNull?: boolean;
  /** How deep in lists the dates are (`1`: `[Date]`); each date is formatted alike. */
  listDepth?: number;
  description?: string;
  deprecationReason?: string;
}

/** A `Date` field with Gatsby's `formatString`, `fromNow`, `difference` and `locale` arguments. */
export function dateField(options: DateFieldOptions): GraphQLFieldConfig<Source, unknown, DateArgs> {
  let type: GraphQLOutputType = GraphQLDate;
  for (let depth = options.listDepth ?? 0; depth > 0; depth--) type = new GraphQLList(type);
  if (options.nonNull) type = new GraphQLNonNull(type);
  return {
    type,
    ...(options.description === undefined ? {} : { description: options.description }),
    ...(options.deprecationReason === undefined ? {} : { deprecationReason: options.deprecationReason }),
    args: {
      formatString: {
        type: GraphQLString,
        description: 'Format the date using Moment.js\' date tokens, e.g. `date(formatString: "YYYY MMMM DD")`.',
      },
      fromNow: { type: GraphQLBoolean, description: "Returns a string generated with Moment.js' `fromNow` function" },
      difference: {
        type: GraphQLString,
        description:
          'Returns the difference between this date and the current time. Defaults to "milliseconds" but you can also pass in as the measurement "years", "months", "weeks", "days", "hours", "minutes", and "seconds".',
      },
      locale: { type: GraphQLString, description: "Configures the locale Moment.js will use to format the date." },
    },
    resolve: (source, args) => formatDates(options.value(source), args),
    extensions: readAs({ value: options.value }),
  };
}

function formatDates(value: unknown, args: DateArgs): unknown {
  if (value === null || value === undefined) return null;
  return Array.isArray(value) ? value.map((item: unknown) => formatDates(item, args)) : formatDate(value, args);
}

// The ISO 8601 forms Gatsby's inference takes for dates: calendar dates with an optional time and
// zone, year and month alone, week dates and ordinal dates.
const CALENDAR =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2})(?::?(\d{2})(?::?(\d{2})(?:\.(?:\d{3}|\d{6}))?)?)? ?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/;
const COMPACT = /^(\d{4})(\d{2})(\d{2})$/;
const YEAR_MONTH = /^(\d{4})(?:-(\d{2}))?$/;
const WEEK = /^\d{4}-?W(\d{2})(?:-?([1-7]))?$/;
const ORDINAL = /^\d{4}-(\d{3})$/;

/** Whether Gatsby's inference would call the string `value` a date (an ISO 8601 date that exists). */
export function looksLikeDate(value: string): boolean {
  const calendar = CALENDAR.exec(value) ?? COMPACT.exec(value);
  if (calendar !== null) {
    const [, year, month, day, hour, minute, second] = calendar.map(Number);
    // Absent parts are NaN, which no comparison rejects.
    return validDay(year!, month!, day!) && !(hour! >= 24) && !(minute! >= 60) && !(second! >= 60);
  }
  const yearMonth = YEAR_MONTH.exec(value);
  if (yearMonth !== null)
    return yearMonth[2] === undefined || (Number(yearMonth[2]) >= 1 && Number(yearMonth[2]) <= 12);
  const week = WEEK.exec(value);
  if (week !== null) return Number(week[1]) >= 1 && Number(week[1]) <= 53;
  const ordinal = ORDINAL.exec(value);
  return ordinal !== null && Number(ordinal[1]) >= 1 && Number(ordinal[1]) <= 366;
}

function validDay(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}
