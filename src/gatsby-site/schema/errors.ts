/** The error a query fails with: what is wrong, where in the query, and which data it asked for that the site lacks. */

/** What a `QueryError` may say beyond its message. */
export interface QueryErrorDetails {
  /** The root field or type the query asks for that this site does not provide (`allMarkdownRemark`). */
  unknownType?: string;
  /** Where in the query text (1-based), when the error has a place. */
  line?: number;
  column?: number;
  cause?: unknown;
}

/** A query that cannot run: a syntax error, a field or type the schema lacks, an argument of the wrong type, a failed resolver. */
export class QueryError extends Error {
  /** The root field or type the query asks for that this site does not provide, if that is what is wrong. */
  readonly unknownType: string | undefined;
  /** The line of the query text where the error is (1-based), if it has a place. */
  readonly line: number | undefined;
  /** The column of the query text where the error is (1-based), if it has a place. */
  readonly column: number | undefined;

  constructor(message: string, details: QueryErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = "QueryError";
    this.unknownType = details.unknownType;
    this.line = details.line;
    this.column = details.column;
  }
}
